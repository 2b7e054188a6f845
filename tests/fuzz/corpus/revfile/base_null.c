const char *const revision = "r1";
const char *const down_revision[] = { NULL };
