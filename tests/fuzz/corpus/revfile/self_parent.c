const char*const revision="x";const char*const down_revision[]={"x",NULL};
