const char *const down_revision[] = {NULL};
const char *const revision = "a\tb\n\0\\";
