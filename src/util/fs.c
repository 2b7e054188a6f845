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

int ag_write_files_atomic(
    const char *const *paths, const char *const *data, const size_t *lens, size_t n, ag_error *err)
{
    static unsigned counter;
    char **tmp = ag_xcalloc(n + 1, sizeof(*tmp));
    int e = 0;
    size_t failed = 0;
    /* Every file into a new file beside it; none is synced on its own. */
    for (size_t i = 0; i < n && !e; i++) {
        size_t len = strlen(paths[i]);
        tmp[i] = ag_xmalloc(len + 48);
        int fd = -1;
        for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
            snprintf(tmp[i], len + 48, "%s.tmp.%ld.%u", paths[i], (long)getpid(), counter++);
            fd = open(tmp[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd < 0 && errno != EEXIST)
                break;
        }
        if (fd < 0) {
            e = errno;
            free(tmp[i]);
            tmp[i] = NULL;
        } else {
            e = write_all(fd, data[i], lens[i]);
            if (close(fd) != 0 && !e)
                e = errno;
        }
        failed = i;
    }
    /* One sync of the file system for all of them, then the renames. */
    if (!e && n) {
        int dfd = open_parent(tmp[0]);
        if (dfd >= 0) {
            if (syncfs(dfd) != 0)
                e = errno;
            close(dfd);
        }
    }
    size_t renamed = 0;
    for (size_t i = 0; i < n && !e; i++, renamed++)
        if (rename(tmp[i], paths[i]) != 0) {
            e = errno;
            failed = i;
        }
    for (size_t i = renamed; i < n; i++)
        if (tmp[i])
            unlink(tmp[i]);
    int rc = AG_OK;
    if (e && renamed)
        rc = ag_error_set(err, AG_EIO,
                          "cannot write '%s': %s; %zu of the %zu files were written before it",
                          paths[failed], strerror(e), renamed, n);
    else if (e)
        rc = ag_error_set(err, AG_EIO, "cannot write '%s': %s; nothing was written", paths[failed],
                          strerror(e));
    /* The renames are durable once each folder's entries are on disk. */
    for (size_t i = 0; i < renamed && rc == AG_OK; i++) {
        bool seen = false;
        const char *slash = strrchr(paths[i], '/');
        size_t dl = slash ? (size_t)(slash - paths[i]) : 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const char *s2 = strrchr(paths[k], '/');
            size_t dl2 = s2 ? (size_t)(s2 - paths[k]) : 0;
            seen = dl == dl2 && strncmp(paths[i], paths[k], dl) == 0;
        }
        int dfd = seen ? -1 : open_parent(paths[i]);
        if (dfd >= 0) {
            if (fsync(dfd) != 0 && errno != EINVAL && errno != EROFS)
                rc = ag_error_set(err, AG_EIO, "wrote '%s' but could not sync its folder: %s",
                                  paths[i], strerror(errno));
            close(dfd);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(tmp[i]);
    free(tmp);
    return rc;
}
