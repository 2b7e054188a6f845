/* fs.c - reading a whole file; see fs.h. */
#include "fs.h"
#include "common.h"

#include "buf.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>

char *ag_read_file(const char *path, size_t *len, ag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ag_error_set(err, AG_EIO, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    ag_buf b = AG_BUF_INIT;
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ag_buf_put(&b, chunk, n);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        ag_buf_dispose(&b);
        ag_error_set(err, AG_EIO, "cannot read '%s'", path);
        return NULL;
    }
    if (len)
        *len = b.len;
    return ag_buf_detach(&b);
}
