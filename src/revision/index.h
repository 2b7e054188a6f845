/* index.h - a cache of parsed migration headers, keyed by path and file stamp.
 *
 * Loading the graph reads every migration's header; on a history of tens of
 * thousands of files that is most of the time a command takes. The index
 * keeps each file's parsed header with the file's size, mtime and inode; a
 * file whose stamp still matches is not read again. A missing, stale or
 * damaged index only costs the reads it would have saved: it is never trusted
 * beyond a matching stamp, and it is rewritten (atomically) when anything
 * changed.
 *
 * Lookups are meant to come in path order (the order the index is written
 * in), so each one is a comparison with the next record, not a search. A hit
 * points into the index's own memory: the index must outlive the ag_revfile
 * it filled.
 */
#ifndef AUTOGEN_REVISION_INDEX_H
#define AUTOGEN_REVISION_INDEX_H

#include "../migration/migfile.h"
#include "../util/arena.h"
#include "../util/fs.h"

#include <stdint.h>

typedef struct ag_rev_index ag_rev_index;

/* Read the index at path (NULL: an index that remembers nothing and saves nowhere). */
ag_rev_index *ag_rev_index_open(const char *path);
/* Fill rf from the index when path's stamp matches its record; the lists are
 * allocated in a, the strings are the index's. */
bool ag_rev_index_lookup(
    ag_rev_index *ix, ag_arena *a, const char *path, const ag_fstamp *st, ag_revfile *rf);
/* Whether the index must be written again: a lookup missed, or it holds
 * files no lookup asked for. */
bool ag_rev_index_stale(ag_rev_index *ix);
/* Write the index anew from the headers put, in path order (every file of
 * the load). Failing to write is not an error. */
void ag_rev_index_put(ag_rev_index *ix, const ag_revfile *rf, const ag_fstamp *st);
void ag_rev_index_save(ag_rev_index *ix);
void ag_rev_index_free(ag_rev_index *ix);

#endif
