/* runlog.h - the run log: one row per revision a run applied, reverted,
 * stamped or re-checksummed, beside the version table (README, "Running in
 * production").
 *
 * Layout 1 (AG_RUN_LOG_LAYOUT), in SQL both databases take:
 *
 *   id BIGINT primary key   entries in the order they were written; row 0 is
 *                           the header (direction 'layout', revision = the
 *                           layout number)
 *   run BIGINT              the run: one autogen invocation that wrote the log
 *   revision VARCHAR(32)
 *   direction VARCHAR(16)   upgrade, downgrade, stamp, unstamp, checksum
 *   started_at VARCHAR(32)  UTC, ISO-8601 with milliseconds
 *   duration_ms DOUBLE PRECISION, NULL when not measured (stamps, scripts)
 *   checksum VARCHAR(64)    SHA-256 (hex) of the migration file's bytes
 *   autogen_version VARCHAR(32), run_by VARCHAR(255) (user@host)
 *
 * A later layout is reached in place: ag_runlog_ensure reads the header's
 * number and runs each step of `layout_steps` (runlog.c) above it, in the
 * run's transaction, then updates the header. Ids come from MAX(id) + 1 under
 * the run's lock, so the SQL is the same on every database and in scripts.
 */
#ifndef AUTOGEN_RUNNER_RUNLOG_H
#define AUTOGEN_RUNNER_RUNLOG_H

#include "../dialect/dialect.h"
#include "../revision/graph.h"
#include "../util/hash.h"

#include <stdio.h>

#define AG_RUN_LOG_LAYOUT 1

/* One revision as the log tells it. */
typedef struct ag_log_rev {
    const char *revision;
    bool applied;          /* its last upgrade/stamp is not followed by a downgrade/unstamp */
    long run;              /* that row's run (0: none) */
    const char *at;        /* that row's started_at */
    const char *by;        /* that row's run_by */
    const char *direction; /* that row's direction: "upgrade" or "stamp" */
    const char *checksum;  /* the last checksum recorded since it was last reverted, or NULL */
} ag_log_rev;

typedef struct ag_runlog {
    ag_arena arena;
    bool exists;      /* the table exists */
    ag_strmap by_rev; /* revision -> ag_log_rev */
    ag_log_rev **v;   /* in the order first seen */
    size_t n, cap;
    long max_run;          /* highest run of any row (0: none) */
    long last_upgrade_run; /* highest run with an upgrade row (0: none) */
} ag_runlog;

/* Statements that create the log when it is missing (layout 1, with its
 * header row); used by write runs and at the top of offline scripts. */
void ag_runlog_create_sql(
    ag_arena *a, const ag_dialect *d, const char *table, bool no_env, ag_strs *out);

/* In a write run, under its lock: create the log when missing, bring an
 * older layout up to date; refuse one newer than this autogen knows. */
int ag_runlog_ensure(const ag_dialect *d, ag_db *db, const char *table, bool no_env, ag_error *err);

/* Read every row. A missing table is an empty log (exists false). */
int ag_runlog_read(
    const ag_dialect *d, ag_db *db, const char *table, ag_runlog *out, ag_error *err);
void ag_runlog_release(ag_runlog *l);
static inline ag_log_rev *ag_runlog_get(const ag_runlog *l, const char *revision)
{
    return ag_strmap_get(&l->by_rev, revision);
}

/* One row to write. run 0 in a script: the script's own run (the first row
 * it writes takes MAX(run) + 1, the others MAX(run)); started_at NULL: the
 * database's clock (d->now_sql); duration_ms < 0: NULL. */
typedef struct ag_log_row {
    long run;
    bool first_of_script;
    const char *revision;
    const char *direction;
    const char *started_at;
    double duration_ms;
    const char *checksum;
    bool no_env; /* run_by without reading USER (ag_run_by) */
} ag_log_row;

/* The INSERT of row into table. */
const char *
ag_runlog_insert_sql(ag_arena *a, const ag_dialect *d, const char *table, const ag_log_row *row);
/* Rows in one INSERT: values receives row k's (k from 1, run > 0,
 * started_at set), and ag_runlog_insert_values_sql inserts them all, numbered
 * after the table's last id. */
void ag_runlog_values(struct ag_buf *values, size_t k, const ag_log_row *row);
const char *ag_runlog_insert_values_sql(ag_arena *a, const char *table, const char *values);

/* The next run number (MAX(run) + 1), under the run's lock. */
int ag_runlog_next_run(const ag_dialect *d, ag_db *db, const char *table, long *out, ag_error *err);

/* Whether the file at path changed since e recorded its checksum (when it
 * was applied, or by `stamp --checksums`): e has one and the file's (in now,
 * "" when it cannot be read) differs. */
bool ag_runlog_edited(const ag_log_rev *e, const char *path, char now[65]);

/* The SHA-256 (hex) of path's bytes, or false when it cannot be read. */
bool ag_file_checksum(const char *path, char out[65]);

/* Now in UTC as the log writes it: 2026-12-01T06:30:00.123Z. */
void ag_utc_now(char out[32]);

/* "user@host" of this process, for run_by; the user from the password
 * database, else (unless no_env) $USER. */
const char *ag_run_by(bool no_env);

#endif
