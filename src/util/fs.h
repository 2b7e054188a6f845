/* fs.h - reading a whole file, writing one atomically. */
#ifndef AUTOGEN_UTIL_FS_H
#define AUTOGEN_UTIL_FS_H

#include "common.h"
#include <autogen/autogen.h>

#include <stdint.h>

/* What says a file has not changed since it was last read: its size, inode
 * and modification time (from stat). */
typedef struct ag_fstamp {
    uint64_t size, ino;
    int64_t mtime_s;
    int64_t mtime_ns;
} ag_fstamp;

/* The contents of path, NUL-terminated, malloc'd (caller frees); *len (if not
 * NULL) gets the size. NULL and AG_EIO in err when it cannot be read; err may
 * be NULL for a quiet probe. */
char *ag_read_file(const char *path, size_t *len, ag_error *err);

/* path mapped read-only with its pages populated (one call, no fault per
 * page), for the caches that are read whole on every run; NULL when it is
 * missing, empty or cannot be mapped. Release with ag_unmap_file. */
const char *ag_map_file(const char *path, size_t *len);
void ag_unmap_file(const char *map, size_t len);

/* Write data to path whole or not at all: a new file beside it (created with
 * mode 0666 less the umask, like any file the user makes), written, fsynced,
 * renamed over path, and the folder fsynced so that the rename itself
 * survives a crash. On failure path is untouched and the message says
 * "nothing was written". */
int ag_write_file_atomic(const char *path, const char *data, size_t len, ag_error *err);

/* Many files, each whole or not at all, as ag_write_file_atomic does: all
 * are written beside their targets and synced first (one by one when they
 * are few, else with one sync of the file system), and none is renamed
 * unless every one was written (then "nothing was written"). A target that
 * already holds its data is left alone: not rewritten, its inode and times
 * kept. */
int ag_write_files_atomic(
    const char *const *paths, const char *const *data, const size_t *lens, size_t n, ag_error *err);

/* ag_write_files_atomic in two steps, for a caller with other work to do
 * between them (or on another thread while it runs): ag_files_stage writes
 * and syncs the new files beside their targets (on failure none is left and
 * st needs no discard); then either ag_files_commit renames them over their
 * targets and syncs their folders, or ag_files_discard removes them. paths
 * must outlive st. */
typedef struct ag_staged {
    const char *const *paths;
    size_t n;
    char **tmp;     /* per target: its new file, NULL when the target already holds the data */
    bool sync_each; /* few new files: each synced on its own, not the file system */
} ag_staged;

int ag_files_stage(ag_staged *st,
                   const char *const *paths,
                   const char *const *data,
                   const size_t *lens,
                   size_t n,
                   ag_error *err);
int ag_files_commit(ag_staged *st, ag_error *err);
void ag_files_discard(ag_staged *st);

#endif
