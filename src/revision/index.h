/* index.h - a cache of parsed migration headers, keyed by path and file stat.
 *
 * Loading the graph reads every migration's header; on a history of tens of
 * thousands of files that is most of the time a command takes. The index
 * keeps each file's parsed header with the file's size, mtime and inode; a
 * file whose stat still matches is not read again. A missing, stale or
 * damaged index only costs the reads it would have saved: it is never trusted
 * beyond a matching stat, and it is rewritten (atomically) when anything
 * changed.
 */
#ifndef AUTOGEN_REVISION_INDEX_H
#define AUTOGEN_REVISION_INDEX_H

#include "../migration/migfile.h"

#include <sys/stat.h>

typedef struct ag_rev_index ag_rev_index;

/* Read the index at path (NULL: an index that remembers nothing and saves nowhere). */
ag_rev_index *ag_rev_index_open(const char *path);
/* Fill rf from the index when path's stat matches its record. */
bool ag_rev_index_lookup(ag_rev_index *ix, const char *path, const struct stat *st, ag_revfile *rf);
/* Remember rf for path (every file of the load is put, hit or miss). */
void ag_rev_index_put(ag_rev_index *ix,
                      const char *path,
                      const struct stat *st,
                      const ag_revfile *rf);
/* Write the index back if it changed. Failing to write is not an error. */
void ag_rev_index_save(ag_rev_index *ix);
void ag_rev_index_free(ag_rev_index *ix);

#endif
