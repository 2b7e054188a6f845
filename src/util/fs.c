/* fs.c - reading a whole file; see fs.h. */
#include "fs.h"
#include "common.h"

#include "buf.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

char *ag_read_file(const char *path, size_t *len, ag_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        ag_error_set(err, AG_EIO, "cannot read '%s': %s", path, strerror(e));
        return NULL;
    }
    /* One read of the size fstat gives; more if the file grew meanwhile. */
    size_t cap = (S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 16384) + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    for (;;) {
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            free(buf);
            ag_error_set(err, AG_EIO, "cannot read '%s': %s", path, strerror(e));
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
