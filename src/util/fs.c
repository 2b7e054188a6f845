/* fs.c - reading a whole file; see fs.h. */
#include "fs.h"
#include "common.h"

#include "buf.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
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

/* Names the new files apart, with the pid, from other writers' (O_EXCL says
 * the rest). */
static _Atomic unsigned counter;

/* A new file beside path, under a name no other writer has: its descriptor
 * and *tmp (the caller's, freed by the caller), or -1 with errno set and
 * *tmp NULL. */
static int open_temp(const char *path, char **tmp)
{
    size_t n = strlen(path);
    *tmp = ag_xmalloc(n + 48);
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(*tmp, n + 48, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        errno = e;
    }
    return fd;
}

int ag_write_file_atomic(const char *path, const char *data, size_t len, ag_error *err)
{
    char *tmp;
    int fd = open_temp(path, &tmp);
    if (fd < 0) {
        int e = errno;
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

/* True when path is a regular file holding exactly data: writing it again
 * would change nothing but its inode (and cost a new one). */
static bool holds(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
    char chunk[16384];
    for (size_t off = 0; same && off < len;) {
        size_t want = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
        ssize_t got = read(fd, chunk, want);
        if (got < 0 && errno == EINTR)
            continue;
        same = got == (ssize_t)want && memcmp(chunk, data + off, want) == 0;
        off += want;
    }
    close(fd);
    return same;
}

/* The new file beside target i, written (not synced); errno on failure. */
static int stage_one(ag_staged *st, size_t i, const char *data, size_t len)
{
    const char *path = st->paths[i];
    char *tmp;
    int fd = open_temp(path, &tmp);
    if (fd < 0) {
        int e = errno;
        return e;
    }
    st->tmp[i] = tmp;
    int e = write_all(fd, data, len);
    if (!e && st->sync_each && fdatasync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    return e;
}

/* Up to this many new files are synced one by one; more, with one syncfs.
 * Either way a file's data is on disk before its name points at it
 * (ag_write_file_atomic's rule, that of every file the tool writes): after a
 * crash a target holds its old text or its new, never a prefix or nothing.
 * Measured on the project's VM (ext4, 990 files of 450 bytes): an fsync per
 * file 3.6 s, fdatasync per file on eight threads 0.16-0.34 s wall but
 * about 300 ms of CPU in the tool (each sync its own disk requests), one
 * syncfs 0.1-0.4 s and 35 ms of CPU; syncfs also writes out what other
 * programs left dirty on that file system (2.8 s once while builds ran), so a
 * few files, a re-pull after a small change, are synced on their own. */
enum { SYNC_EACH_MAX = 8 };

int ag_files_stage(ag_staged *st,
                   const char *const *paths,
                   const char *const *data,
                   const size_t *lens,
                   size_t n,
                   ag_error *err)
{
    memset(st, 0, sizeof(*st));
    st->paths = paths;
    st->n = n;
    st->tmp = ag_xcalloc(n + 1, sizeof(*st->tmp));
    /* Targets that already hold their data are left alone. */
    bool *same = ag_xcalloc(n + 1, sizeof(bool));
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
        same[i] = holds(paths[i], data[i], lens[i]);
        changed += !same[i];
    }
    st->sync_each = changed <= SYNC_EACH_MAX;
    int e = 0;
    size_t failed = 0;
    for (size_t i = 0; i < n && !e; i++) {
        if (same[i])
            continue;
        e = stage_one(st, i, data[i], lens[i]);
        failed = i;
    }
    free(same);
    if (!e && changed && !st->sync_each) {
        int dfd = open_parent(paths[0]);
        if (dfd >= 0) {
            if (syncfs(dfd) != 0)
                e = errno;
            close(dfd);
        }
    }
    if (!e)
        return AG_OK;
    ag_files_discard(st);
    return ag_error_set(err, AG_EIO, "cannot write '%s': %s; nothing was written", paths[failed],
                        strerror(e));
}

void ag_files_discard(ag_staged *st)
{
    for (size_t i = 0; st->tmp && i < st->n; i++)
        if (st->tmp[i]) {
            unlink(st->tmp[i]);
            free(st->tmp[i]);
        }
    free(st->tmp);
    st->tmp = NULL;
}

/* The length of the folder part of path ("" for a bare name). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

int ag_files_commit(ag_staged *st, ag_error *err)
{
    int e = 0;
    size_t renamed = 0, failed = 0;
    bool *moved = ag_xcalloc(st->n + 1, sizeof(bool));
    for (size_t i = 0; i < st->n && !e; i++) {
        if (!st->tmp[i])
            continue;
        if (rename(st->tmp[i], st->paths[i]) != 0) {
            e = errno;
            failed = i;
            continue;
        }
        free(st->tmp[i]);
        st->tmp[i] = NULL;
        moved[i] = true;
        renamed++;
    }
    int rc = AG_OK;
    if (e && renamed)
        rc = ag_error_set(err, AG_EIO,
                          "cannot write '%s': %s; %zu of the %zu files were written before it",
                          st->paths[failed], strerror(e), renamed, st->n);
    else if (e)
        rc = ag_error_set(err, AG_EIO, "cannot write '%s': %s; nothing was written",
                          st->paths[failed], strerror(e));
    /* The renames are durable once each folder's entries are on disk: each
     * folder once (the files of one folder come together; a folder synced
     * twice costs a little, not correctness). */
    const char *last = NULL;
    for (size_t i = 0; i < st->n && rc == AG_OK; i++) {
        const char *path = st->paths[i];
        size_t dl = dir_len(path);
        if (!moved[i] || (last && dir_len(last) == dl && strncmp(last, path, dl) == 0))
            continue;
        last = path;
        int dfd = open_parent(path);
        if (dfd >= 0) {
            if (fsync(dfd) != 0 && errno != EINVAL && errno != EROFS)
                rc = ag_error_set(err, AG_EIO, "wrote '%s' but could not sync its folder: %s", path,
                                  strerror(errno));
            close(dfd);
        }
    }
    free(moved);
    ag_files_discard(st);
    return rc;
}

int ag_write_files_atomic(
    const char *const *paths, const char *const *data, const size_t *lens, size_t n, ag_error *err)
{
    ag_staged st;
    int rc = ag_files_stage(&st, paths, data, lens, n, err);
    return rc == AG_OK ? ag_files_commit(&st, err) : rc;
}
