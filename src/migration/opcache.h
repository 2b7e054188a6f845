/* opcache.h - the operations migrations record, kept between runs.
 *
 * Running a migration's upgrade() or downgrade() only records operations;
 * for a migration that can do nothing else (it calls only the ag_* API and
 * pure C library functions, and includes no file of the user's; see
 * ag_migration_collect) the list it records depends on nothing but its text,
 * the direction and the dialect. The cache keeps those lists keyed by the
 * file's path and stamp, so applying or printing ten thousand migrations
 * does not load ten thousand objects. A cache of another build of autogen,
 * or one that is damaged, is ignored and replaced.
 */
#ifndef AUTOGEN_MIGRATION_OPCACHE_H
#define AUTOGEN_MIGRATION_OPCACHE_H

#include "../util/fs.h"
#include "migfile.h"

typedef struct ag_opcache ag_opcache;

/* The cache file at path (NULL: a cache that keeps nothing). */
ag_opcache *ag_opcache_open(const char *path);
/* Append to ops what the migration at path records in direction dir, when
 * the cache has it for this stamp. */
bool ag_opcache_get(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, ag_oplist *ops);
void ag_opcache_put(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, const ag_oplist *ops);
/* Write the cache back if anything was put (atomically; failing to write is
 * not an error), and free it. */
void ag_opcache_close(ag_opcache *c);

#endif
