/* runner.h - applying and reverting migrations against a live database.
 *
 * A run takes the database's write lock first (so two runners never apply a
 * migration twice), reads the version table under that lock, plans the
 * revisions to run, compiles them all (nothing runs if one does not compile),
 * then runs each one as a savepoint: render its ops against the live schema,
 * execute, verify, move the version table. A failing migration is rolled back
 * to its savepoint; the ones before it stay applied, and the error says where
 * the database stands.
 */
#ifndef AUTOGEN_RUNNER_RUNNER_H
#define AUTOGEN_RUNNER_RUNNER_H

#include "../dialect/dialect.h"
#include "../revision/graph.h"
#include "../util/event.h"

#include <stdio.h>

typedef struct ag_runner {
    const ag_dialect *dialect;
    ag_db *db;
    ag_graph *graph;
    ag_compiler *compiler;
    const char *opcache_path; /* recorded operations kept between runs, or NULL */
    const char *version_table;
    const char *run_log_table; /* the run log beside it (runlog.h) */
    const char *schema;        /* the `schema:` setting (created by write runs), or NULL */
    ag_introspect_opts iopts;
    /* What the run does, as events (event.h); NULL: nobody listens. quiet
     * keeps the progress to itself ("Running upgrade ...", "Nothing to do",
     * the lock wait, the edited-files warning) even when someone listens. */
    const ag_events *events;
    bool quiet;
    bool no_env; /* read no environment variable (AUTOGEN_RECORD_TIMEOUT) */
    /* How long a write run waits for another runner's lock, in seconds
     * (AG_LOCK_TIMEOUT_DEFAULT unless --lock-timeout). */
    double lock_timeout;
    /* PostgreSQL: lock_timeout of the run's statements (autogen.yaml), or NULL. */
    const char *statement_lock_timeout;

    /* The production guard (README, "Running in production"): refuse, before
     * anything runs, an upgrade or downgrade with a destructive operation,
     * `downgrade base`, and a stamp that removes revisions the version table
     * holds. */
    bool refuse_destructive;
    /* upgrade/downgrade rehearse: run in one transaction, report each
     * revision's time on stdout, roll everything back. A `transactional = 0`
     * migration the dialect would run outside the transaction stops it. */
    bool dry_run;
    /* upgrade: refuse, before anything runs, when an applied migration's file
     * changed since the run log recorded its checksum (the CLI sets it unless
     * --allow-edited); otherwise such files are only warned about. */
    bool refuse_edited;

    /* Set by the run itself. */
    struct {
        long run;         /* this run's number once it wrote a log row, else 0 */
        long revert;      /* ag_runner_downgrade_run: the run to revert (0: the last) */
        double t0;        /* the current migration's start (monotonic ms) */
        char started[32]; /* and in UTC, for the log */
        /* While migrations run: the log rows of those done, written in one
         * statement before the run's transaction commits (runner.c). */
        struct ag_buf *pending;
        size_t npending;
    } log;
} ag_runner;

#define AG_LOCK_TIMEOUT_DEFAULT 60.0

/* The ids the version table holds, as written, sorted; none when the table
 * does not exist. Strings in a. */
int ag_runner_version_ids(ag_runner *r, ag_arena *a, ag_strs *out, ag_error *err);

/* The revisions in the version table (heads applied), resolved against the
 * graph. *out is malloc'd with room for graph->n + 1 entries. An id missing
 * from the graph is an error that says what to do. */
int ag_runner_current(ag_runner *r, ag_rev ***out, size_t *n, ag_error *err);

/* target: "head", "heads", a revision or unique prefix, "+N". */
int ag_runner_upgrade(ag_runner *r, const char *target, ag_error *err);
/* target: "base", a revision or unique prefix, "-N". */
int ag_runner_downgrade(ag_runner *r, const char *target, ag_error *err);
/* downgrade --last-run (run 0) or --run N: revert exactly the revisions that
 * upgrade run applied and are still applied; an error when there is no such
 * run, nothing of it is applied, or a revision applied later needs one. */
int ag_runner_downgrade_run(ag_runner *r, long run, ag_error *err);
/* The same plan as offline SQL (--sql): r is connected, read-only. */
int ag_runner_sql_run(ag_runner *r, long run, FILE *out, ag_error *err);
/* stamp --checksums: record in the run log the checksum of each applied
 * migration's file as it is now, where it differs from the one recorded (or
 * none was). */
int ag_runner_record_checksums(ag_runner *r, ag_error *err);

/* Set the version table to targets without running anything: each target in
 * turn replaces the heads of its branch ("base" empties the table, "heads"
 * stamps every head); purge first deletes every row, even ids no migration
 * defines. */
int ag_runner_stamp(
    ag_runner *r, const char *const *targets, size_t ntargets, bool purge, ag_error *err);

/* Offline (--sql): print, without a database, the SQL a DBA would run to go
 * through range ("TO" from base, or "FROM:TO"), transaction statements and
 * version-table updates included. The schema at FROM is replayed from the
 * migrations, so SQLite rebuilds render as they would run. */
int ag_runner_sql(ag_runner *r, const char *range, ag_direction dir, FILE *out, ag_error *err);
/* The SQL of rev's upgrade, as `show` prints it. */
int ag_runner_revision_sql(ag_runner *r, ag_rev *rev, FILE *out, ag_error *err);

/* The schema the migrations up to upto (and those it needs) build, replayed
 * without a database (as --sql does). *out is the caller's. */
int ag_runner_replay(ag_runner *r, ag_rev *upto, ag_schema **out, ag_error *err);
/* Offline replay of the whole graph (review): every revision's upgrade, in
 * topological order, onto an empty schema, without a database. For each
 * revision `want` accepts, `before` sees the schema before it and its upgrade
 * and downgrade operations, then `rendered` its SQL statements (valid during
 * the call).
 * *final: the schema after the last revision (the caller frees it). */
typedef struct ag_replay_visit {
    bool (*want)(void *arg, const ag_rev *rev);
    void (*before)(void *arg,
                   const ag_rev *rev,
                   const ag_schema *state,
                   const ag_oplist *up,
                   const ag_oplist *down);
    void (*rendered)(void *arg, const ag_rev *rev, const ag_oplist *ops, const ag_strs *sql);
    void *arg;
} ag_replay_visit;
int ag_runner_replay_all(ag_runner *r, const ag_replay_visit *v, ag_schema **final, ag_error *err);

/* Render ops for the database whose schema is state (updated as the ops
 * apply) into statements. */
int ag_render_ops(const ag_dialect *d,
                  ag_schema *state,
                  const ag_oplist *ops,
                  ag_arena *a,
                  ag_strs *out,
                  ag_error *err);

#endif
