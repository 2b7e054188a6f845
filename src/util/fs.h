/* fs.h - reading a whole file. */
#ifndef AUTOGEN_UTIL_FS_H
#define AUTOGEN_UTIL_FS_H

#include "common.h"
#include <autogen/autogen.h>

/* The contents of path, NUL-terminated, malloc'd (caller frees); *len (if not
 * NULL) gets the size. NULL and AG_EIO in err when it cannot be read; err may
 * be NULL for a quiet probe. */
char *ag_read_file(const char *path, size_t *len, ag_error *err);

#endif
