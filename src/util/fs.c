/* fs.c - reading a whole file; see fs.h. */
#include "fs.h"
#include "common.h"

#include "buf.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
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
    char *buf = ag_xmalloc(cap);
    for (;;) {
        if (n + 1 == cap) {
            cap *= 2;
            buf = ag_xrealloc(buf, cap);
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

const char *ag_map_file(const char *path, size_t *len)
{
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return NULL;
    *len = (size_t)st.st_size;
    return m;
}

void ag_unmap_file(const char *map, size_t len)
{
    if (map)
        munmap((void *)(uintptr_t)map, len);
}

/* The folder holding path, opened for fsync; -1 when it cannot be. */
static int open_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (slash == path)
        return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    size_t n = (size_t)(slash - path);
    char *dir = ag_xmalloc(n + 1);
    memcpy(dir, path, n);
    dir[n] = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    return fd;
}

static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        off += (size_t)w;
    }
    return 0;
}

int ag_write_file_atomic(const char *path, const char *data, size_t len, ag_error *err)
{
    static unsigned counter;
    size_t n = strlen(path);
    char *tmp = ag_xmalloc(n + 48);
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, n + 48, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return ag_error_set(err, AG_EIO, "cannot write '%s': %s; nothing was written", path,
                            strerror(e));
    }
    int e = write_all(fd, data, len);
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return ag_error_set(err, AG_EIO, "cannot write '%s': %s; nothing was written", path,
                            strerror(e));
    }
    free(tmp);
    /* The rename is only durable once the folder's entry is on disk. */
    int dfd = open_parent(path);
    if (dfd >= 0) {
        if (fsync(dfd) != 0 && errno != EINVAL && errno != EROFS)
            e = errno;
        close(dfd);
    }
    if (e)
        return ag_error_set(err, AG_EIO, "wrote '%s' but could not sync its folder: %s", path,
                            strerror(e));
    return AG_OK;
}
