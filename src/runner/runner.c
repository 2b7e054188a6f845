/* runner.c - upgrade, downgrade and stamp against a live database; see runner.h. */
#include "runner.h"
#include "../util/common.h"

#include "../migration/opcache.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "runlog.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

/* --- version table ------------------------------------------------------------ */

static const char *version_table_ddl(ag_arena *a, const char *table)
{
    ag_buf sql = AG_BUF_INIT;
    ag_buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    ag_buf_quote_ident(&sql, table);
    ag_buf_puts(&sql, " (version_num VARCHAR(32) NOT NULL, CONSTRAINT ");
    ag_buf_printf(&sql, "\"%s_pkc\" PRIMARY KEY (version_num))", table);
    const char *r = ag_arena_strdup(a, sql.ptr);
    ag_buf_dispose(&sql);
    return r;
}

/* The statements that make the `schema:` setting the default one (creating it
 * when create), or none. */
static void schema_sql(const ag_runner *r, ag_arena *a, bool create, ag_strs *out)
{
    if (r->schema && r->dialect->schema_sql)
        r->dialect->schema_sql(a, r->schema, create, out);
}

/* Write runs: the default schema and the version table exist. */
static int ensure_version_table(ag_runner *r, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_strs stmts = { 0 };
    schema_sql(r, &a, true, &stmts);
    ag_strs_push_arena(&a, &stmts, version_table_ddl(&a, r->version_table));
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < stmts.n; i++)
        rc = r->dialect->exec(r->db, stmts.v[i], err);
    ag_arena_release(&a);
    if (rc == AG_OK && r->run_log_table)
        rc = ag_runlog_ensure(r->dialect, r->db, r->run_log_table, r->no_env, err);
    return rc;
}

static double now_ms(void);

/* One row of the run log (runlog.h), in the transaction that moves the
 * version table: the first row of a run takes its number. started NULL: now. */
static int log_row(ag_runner *r,
                   const char *revision,
                   const char *path,
                   const char *direction,
                   const char *started,
                   double duration_ms,
                   ag_error *err)
{
    if (!r->run_log_table)
        return AG_OK;
    int rc = AG_OK;
    if (!r->log.run)
        rc = ag_runlog_next_run(r->dialect, r->db, r->run_log_table, &r->log.run, err);
    char sum[65], now[32];
    bool have = path && ag_file_checksum(path, sum);
    if (!started)
        ag_utc_now(now);
    ag_log_row row = { .run = r->log.run,
                       .revision = revision,
                       .direction = direction,
                       .started_at = started ? started : now,
                       .duration_ms = duration_ms,
                       .checksum = have ? sum : NULL,
                       .no_env = r->no_env };
    if (rc == AG_OK && r->log.pending && started && duration_ms >= 0) {
        ag_runlog_values(r->log.pending, ++r->log.npending, &row);
        return AG_OK;
    }
    ag_arena a = AG_ARENA_INIT;
    if (rc == AG_OK)
        rc = r->dialect->exec(r->db, ag_runlog_insert_sql(&a, r->dialect, r->run_log_table, &row),
                              err);
    ag_arena_release(&a);
    return rc;
}

/* Write the log rows of the migrations done so far, in one statement: one
 * INSERT per migration cost more than many a migration itself. Before any
 * commit of the run, so that what commits has its rows. */
static int flush_log(ag_runner *r, ag_error *err)
{
    if (!r->log.pending || !r->log.npending)
        return AG_OK;
    ag_arena a = AG_ARENA_INIT;
    int rc = r->dialect->exec(
        r->db, ag_runlog_insert_values_sql(&a, r->run_log_table, ag_buf_cstr(r->log.pending)), err);
    ag_arena_release(&a);
    if (rc == AG_OK) {
        ag_buf_clear(r->log.pending);
        r->log.npending = 0;
    }
    return rc;
}

int ag_runner_version_ids(ag_runner *r, ag_arena *a, ag_strs *out, ag_error *err)
{
    bool exists = false;
    int rc = r->dialect->has_table(r->db, r->version_table, &exists, err);
    if (rc != AG_OK || !exists)
        return rc;
    ag_buf sql = AG_BUF_INIT;
    ag_buf_puts(&sql, "SELECT version_num FROM ");
    ag_buf_quote_ident(&sql, r->version_table);
    ag_buf_puts(&sql, " ORDER BY version_num");
    ag_rows rows = { 0 };
    rc = r->dialect->query(r->db, sql.ptr, NULL, 0, &rows, err);
    ag_buf_dispose(&sql);
    for (size_t i = 0; rc == AG_OK && i < rows.nrows; i++)
        if (ag_rows_get(&rows, i, 0))
            ag_strs_push_arena(a, out, ag_arena_strdup(a, ag_rows_get(&rows, i, 0)));
    ag_rows_release(&rows);
    return rc;
}

int ag_runner_current(ag_runner *r, ag_rev ***out, size_t *n, ag_error *err)
{
    *out = ag_xcalloc(r->graph->n + 1, sizeof(**out));
    *n = 0;
    ag_arena a = AG_ARENA_INIT;
    ag_strs ids = { 0 };
    int rc = ag_runner_version_ids(r, &a, &ids, err);
    const char *unknown = NULL;
    for (size_t i = 0; rc == AG_OK && i < ids.n; i++) {
        const char *id = ids.v[i];
        ag_rev *rev = NULL;
        if (ag_graph_find(&rev, r->graph, id, NULL) != AG_OK || strcmp(rev->rf.revision, id) != 0)
            unknown = unknown ? unknown : id;
        else if (*n <= r->graph->n)
            (*out)[(*n)++] = rev;
    }
    if (rc == AG_OK && unknown) {
        /* `stamp` without --purge reads the table too, so only --purge helps;
         * it empties the table, so the rows that stay are named with it. */
        char others[512];
        ag_graph_join_ids(others, sizeof(others), *out, *n, "");
        for (char *c = others; *c; c++)
            if (*c == ',')
                memmove(c, c + 1, strlen(c)); /* "a, b" -> "a b" */
        rc = ag_error_set(err, AG_ENOTFOUND,
                          "the database is at revision '%s', which no migration file defines; "
                          "restore that file, or set the version table to the revision REV the "
                          "schema is at with 'autogen stamp --purge REV%s%s' ('autogen history' "
                          "lists the revisions)",
                          unknown, *n ? " " : "", others);
        *n = 0;
    }
    ag_arena_release(&a);
    return rc;
}

/* The statements that move the version table from the heads `before` to `after`. */
static void version_sql(const char *table,
                        ag_rev *const *before,
                        size_t nbefore,
                        ag_rev *const *after,
                        size_t nafter,
                        ag_arena *a,
                        ag_strs *out)
{
    ag_buf b = AG_BUF_INIT;
    for (size_t i = 0; i < nbefore; i++) {
        bool kept = false;
        for (size_t j = 0; j < nafter && !kept; j++)
            kept = before[i] == after[j];
        if (kept)
            continue;
        ag_buf_clear(&b);
        ag_buf_puts(&b, "DELETE FROM ");
        ag_buf_quote_ident(&b, table);
        ag_buf_puts(&b, " WHERE version_num = ");
        ag_buf_quote_literal(&b, before[i]->rf.revision);
        ag_strs_push_arena(a, out, b.ptr);
    }
    for (size_t j = 0; j < nafter; j++) {
        bool had = false;
        for (size_t i = 0; i < nbefore && !had; i++)
            had = before[i] == after[j];
        if (had)
            continue;
        ag_buf_clear(&b);
        ag_buf_puts(&b, "INSERT INTO ");
        ag_buf_quote_ident(&b, table);
        ag_buf_puts(&b, " (version_num) VALUES (");
        ag_buf_quote_literal(&b, after[j]->rf.revision);
        ag_buf_putc(&b, ')');
        ag_strs_push_arena(a, out, b.ptr);
    }
    ag_buf_dispose(&b);
}

static int write_rows(ag_runner *r,
                      ag_rev *const *before,
                      size_t nbefore,
                      ag_rev *const *after,
                      size_t nafter,
                      ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_strs stmts = { 0 };
    version_sql(r->version_table, before, nbefore, after, nafter, &a, &stmts);
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < stmts.n; i++)
        rc = r->dialect->exec(r->db, stmts.v[i], err);
    ag_arena_release(&a);
    return rc;
}

/* --- rendering ------------------------------------------------------------------ */

/* A migration's ALTER_COLUMN names only what changes; complete it from the
 * live column so that the renderer sees whole definitions. */
static int complete_alter(ag_arena *a, const ag_schema *state, ag_opdef *op, ag_error *err)
{
    if (!ag_op_complete_alter(a, state, op))
        return ag_error_set(err, AG_EINVALID, "alter_column: no column '%s.%s' in the database",
                            op->table, op->column->name);
    return AG_OK;
}

int ag_render_ops(const ag_dialect *d,
                  ag_schema *state,
                  const ag_oplist *ops,
                  ag_arena *a,
                  ag_strs *out,
                  ag_error *err)
{
    for (size_t i = 0; i < ops->n; i++) {
        ag_opdef *op = ops->ops[i];
        int rc = complete_alter((ag_arena *)&ops->arena, state, op, err);
        if (rc == AG_OK)
            rc = d->render(a, state, op, out, err);
        if (rc == AG_OK)
            rc = ag_schema_apply(state, op, err);
        if (rc != AG_OK)
            return rc;
    }
    return AG_OK;
}

/* --- running ---------------------------------------------------------------------- */

typedef struct compiled {
    ag_rev *rev;
    ag_oplist *ops;
} compiled;

/* One step of a run: where it goes from and to, and its line "Running
 * upgrade a -> b, message" (an event as a run goes, a comment in offline SQL). */
typedef struct step_desc {
    char parents[512];
    const char *from, *to;
    char line[1200];
} step_desc;

static void describe_step(step_desc *s, ag_direction dir, const ag_rev *rev)
{
    ag_graph_join_ids(s->parents, sizeof(s->parents), rev->parents, rev->nparents, "<base>");
    s->from = dir == AG_UPGRADE ? s->parents : rev->rf.revision;
    s->to = dir == AG_UPGRADE ? rev->rf.revision : s->parents;
    snprintf(s->line, sizeof(s->line), "Running %s %s -> %s, %s",
             dir == AG_UPGRADE ? "upgrade" : "downgrade", s->from, s->to,
             rev->rf.message ? rev->rf.message : "");
}

static void step_line(FILE *out, const char *prefix, ag_direction dir, const ag_rev *rev)
{
    step_desc s;
    describe_step(&s, dir, rev);
    fprintf(out, "%s%s\n", prefix, s.line);
}

/* REVISION_START, then (done) REVISION_DONE with its status and time. */
static void step_event(const ag_runner *r,
                       ag_direction dir,
                       const ag_rev *rev,
                       bool done,
                       int status,
                       double elapsed_ms)
{
    if (r->quiet || !r->events || !r->events->fn)
        return;
    step_desc s;
    describe_step(&s, dir, rev);
    char line[1300];
    if (done)
        snprintf(line, sizeof(line), "%s %s in %.1f ms", status == AG_OK ? "Finished" : "Failed",
                 s.line + strlen("Running "), elapsed_ms);
    ag_event e = {
        .kind = done ? AG_EVENT_REVISION_DONE : AG_EVENT_REVISION_START,
        .direction = dir == AG_UPGRADE ? AG_EVENT_UPGRADE : AG_EVENT_DOWNGRADE,
        .revision = rev->rf.revision,
        .from = s.from,
        .to = s.to,
        .message = rev->rf.message ? rev->rf.message : "",
        .path = rev->rf.path,
        .elapsed_ms = done ? elapsed_ms : 0,
        .status = done ? status : AG_OK,
        .text = done ? line : s.line,
    };
    ag_emit(r->events, &e);
}

/* Whether ops can leave a row pointing at nothing: not when they only add
 * tables, columns and indexes (a new table is empty; an added column holds no
 * reference). Checking every table after every migration would make a long
 * run quadratic. */
static bool may_break_references(const ag_oplist *ops)
{
    for (size_t i = 0; i < ops->n; i++) {
        switch (ops->ops[i]->kind) {
        case AG_OP_CREATE_TABLE:
        case AG_OP_CREATE_INDEX:
        case AG_OP_DROP_INDEX:
        case AG_OP_ADD_COLUMN:
        case AG_OP_CREATE_ENUM:
        case AG_OP_TABLE_COMMENT:
            continue;
        default:
            return true;
        }
    }
    return false;
}

/* Whether op drops a table that state lacks: one made by hand before autogen
 * and never created by a migration. */
static bool drops_unknown_table(const ag_schema *state, const ag_opdef *op)
{
    return op->kind == AG_OP_DROP_TABLE && !ag_schema_find_table_in(state, op->schema, op->table);
}

#define BASELINE_ADVICE                                                                            \
    "if the table was in the database before autogen, the history needs a baseline: a first "      \
    "revision that creates the tables the database had then"

/* Offline, such a drop is still rendered (it needs only the name): the
 * table goes into state as a stub, with a warning on the first sight. */
static void stub_unknown_table(
    const ag_runner *r, ag_schema *state, const ag_rev *rev, const ag_opdef *op, bool warn)
{
    if (warn)
        ag_emitf(r->events, AG_EVENT_WARNING,
                 "%s drops table '%s', which no migration before it creates; the statement is "
                 "rendered from the name alone (" BASELINE_ADVICE ")",
                 rev->rf.path, op->table);
    ag_table *t = ag_schema_add_table(state, op->table);
    t->schema = ag_arena_strdup(&state->arena, op->schema);
}

/* Render and execute c's operations; *ran counts the statements that took
 * effect. Outside the run's transaction (op_txn), an operation of several
 * statements (dropping an enum value rebuilds the type) runs in a transaction
 * of its own, all or nothing; raw SQL runs as it is, since that is where
 * statements no transaction may hold are written. */
static int exec_ops(ag_runner *r,
                    ag_schema **state,
                    bool *stale,
                    compiled *c,
                    bool op_txn,
                    size_t *ran,
                    ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < c->ops->n; i++) {
        ag_opdef *op = c->ops->ops[i];
        if (*stale) {
            ag_schema_free(*state);
            *state = NULL;
            rc = r->dialect->introspect(r->db, &r->iopts, state, err);
            *stale = false;
            if (rc != AG_OK)
                break;
        }
        if (drops_unknown_table(*state, op)) {
            rc = ag_error_set(err, AG_EINVALID,
                              "%s drops table '%s', which is not in the database: the migrations "
                              "before it never create it; " BASELINE_ADVICE,
                              c->rev->rf.path, op->table);
            break;
        }
        rc = complete_alter(&c->ops->arena, *state, op, err);
        ag_strs stmts = { 0 };
        if (rc == AG_OK)
            rc = r->dialect->render(&a, *state, op, &stmts, err);
        bool wrap = rc == AG_OK && op_txn && op->kind != AG_OP_EXECUTE && stmts.n > 1;
        if (wrap)
            rc = r->dialect->autocommit(r->db, false, err); /* BEGIN */
        size_t done = 0;
        for (size_t k = 0; rc == AG_OK && k < stmts.n; k++) {
            rc = r->dialect->exec(r->db, stmts.v[k], err);
            done += rc == AG_OK;
        }
        if (wrap && rc == AG_OK)
            rc = r->dialect->autocommit(r->db, true, err); /* COMMIT */
        else if (wrap)
            r->dialect->exec(r->db, "ROLLBACK", NULL);
        *ran += wrap && rc != AG_OK ? 0 : done;
        if (rc == AG_OK) {
            /* Raw SQL may change anything; a rename rewrites views and triggers. */
            if (op->kind == AG_OP_EXECUTE ||
                ((op->kind == AG_OP_RENAME_TABLE || op->kind == AG_OP_RENAME_COLUMN) &&
                 (*state)->nobjects))
                *stale = true;
            else
                rc = ag_schema_apply(*state, op, err);
        }
    }
    if (rc == AG_OK && r->dialect->verify && may_break_references(c->ops))
        rc = r->dialect->verify(r->db, err);
    ag_arena_release(&a);
    return rc;
}

/* rows (the heads applied) once rev is applied or reverted. */
static void
step_heads(const ag_graph *g, ag_rev **rows, size_t *nrows, ag_rev *rev, ag_direction dir)
{
    if (dir == AG_UPGRADE)
        ag_graph_heads_after_apply(g, rows, nrows, rev);
    else
        ag_graph_heads_after_revert(g, rows, nrows, rev);
}

/* Move the version table past c (rows: the heads before, updated). */
static int
move_rows(ag_runner *r, compiled *c, ag_direction dir, ag_rev **rows, size_t *nrows, ag_error *err)
{
    ag_rev **before = ag_xmalloc((*nrows + 1) * sizeof(*before));
    memcpy(before, rows, *nrows * sizeof(*rows));
    size_t nbefore = *nrows;
    step_heads(r->graph, rows, nrows, c->rev, dir);
    int rc = write_rows(r, before, nbefore, rows, *nrows, err);
    free(before);
    if (rc == AG_OK)
        rc = log_row(r, c->rev->rf.revision, c->rev->rf.path,
                     dir == AG_UPGRADE ? "upgrade" : "downgrade", r->log.started,
                     now_ms() - r->log.t0, err);
    return rc;
}

/* Run one migration inside its savepoint: all of it or, rolled back, none. */
static int run_in_savepoint(ag_runner *r,
                            ag_schema **state,
                            bool *stale,
                            compiled *c,
                            ag_direction dir,
                            ag_rev **rows,
                            size_t *nrows,
                            ag_error *err)
{
    int rc = r->dialect->exec(r->db, "SAVEPOINT autogen_migration", err);
    if (rc != AG_OK)
        return rc;
    size_t saved_n = *nrows, ran = 0;
    size_t logged = r->log.npending, logged_len = r->log.pending ? r->log.pending->len : 0;
    ag_rev **saved = ag_xmalloc((*nrows + 1) * sizeof(*saved));
    memcpy(saved, rows, *nrows * sizeof(*rows));
    rc = exec_ops(r, state, stale, c, false, &ran, err);
    if (rc == AG_OK)
        rc = move_rows(r, c, dir, rows, nrows, err);
    if (rc == AG_OK)
        rc = r->dialect->exec(r->db, "RELEASE SAVEPOINT autogen_migration", err);
    /* A savepoint that could not be released is undone like a failed migration
     * (else the run's COMMIT would keep what the error says failed). */
    if (rc != AG_OK) {
        ag_error keep = err ? *err : (ag_error){ 0 };
        r->dialect->exec(r->db, "ROLLBACK TO SAVEPOINT autogen_migration", NULL);
        r->dialect->exec(r->db, "RELEASE SAVEPOINT autogen_migration", NULL);
        memcpy(rows, saved, saved_n * sizeof(*rows));
        *nrows = saved_n;
        if (r->log.pending) { /* its log row goes with it */
            r->log.pending->len = logged_len;
            if (r->log.pending->ptr)
                r->log.pending->ptr[logged_len] = '\0';
            r->log.npending = logged;
        }
        if (err && r->dry_run) {
            *err = keep;
            ag_error_prefix(err,
                            "dry run: %s %s (%s) failed; nothing was kept: the whole rehearsal "
                            "was rolled back",
                            dir == AG_UPGRADE ? "upgrade to" : "downgrade of", c->rev->rf.revision,
                            c->rev->rf.path);
        } else if (err) {
            *err = keep;
            char where[256];
            ag_graph_join_ids(where, sizeof(where), rows, *nrows, "<base>");
            ag_error_prefix(err, "%s %s failed and was rolled back (the database stays at %s)",
                            dir == AG_UPGRADE ? "upgrade to" : "downgrade of", c->rev->rf.revision,
                            where);
        }
        *stale = true;
    }
    free(saved);
    return rc;
}

/* The `autogen stamp` that moves the version table past rev once its work is
 * done by hand. An upgrade's revision replaces the heads it descends from; a
 * revert can leave several heads (a merge's parents) or fewer (a parent below
 * another branch), so it names the whole set, with --purge. */
static void stamp_command(const ag_graph *g,
                          ag_rev *rev,
                          ag_direction dir,
                          ag_rev *const *rows,
                          size_t nrows,
                          char *buf,
                          size_t size)
{
    if (dir == AG_UPGRADE) {
        snprintf(buf, size, "autogen stamp %s", rev->rf.revision);
        return;
    }
    ag_rev **after = ag_xmalloc((g->n + 1) * sizeof(*after));
    memcpy(after, rows, nrows * sizeof(*rows));
    size_t nafter = nrows;
    ag_graph_heads_after_revert(g, after, &nafter, rev);
    snprintf(buf, size, "autogen stamp %s", nafter ? "--purge" : "base");
    for (size_t i = 0; i < nafter; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " %s", after[i]->rf.revision);
    }
    free(after);
}

/* Run a `transactional = 0` migration between two transactions of the run
 * (exec_ops says how its statements commit); the version table moves in the
 * next transaction. A failure cannot undo what took effect before it: the
 * error counts those statements and says how to go on. */
static int run_outside(ag_runner *r,
                       ag_schema **state,
                       bool *stale,
                       compiled *c,
                       ag_direction dir,
                       ag_rev **rows,
                       size_t *nrows,
                       ag_error *err)
{
    int rc = flush_log(r, err);
    if (rc == AG_OK)
        rc = r->dialect->autocommit(r->db, true, err);
    if (rc != AG_OK)
        return rc;
    size_t ran = 0;
    rc = exec_ops(r, state, stale, c, true, &ran, err);
    int back = r->dialect->autocommit(r->db, false, rc == AG_OK ? err : NULL);
    if (rc == AG_OK)
        rc = back;
    if (rc == AG_OK)
        return move_rows(r, c, dir, rows, nrows, err);
    *stale = true;
    if (err) {
        char where[256];
        ag_graph_join_ids(where, sizeof(where), rows, *nrows, "<base>");
        char done[512];
        stamp_command(r->graph, c->rev, dir, rows, *nrows, done, sizeof(done));
        ag_error_prefix(err,
                        "%s %s failed outside a transaction (it declares transactional = 0): "
                        "%zu statement(s) ran before the failure and stay; the version table "
                        "stays at %s. Finish the migration by hand and run '%s', "
                        "or undo those statements and run it again",
                        dir == AG_UPGRADE ? "upgrade to" : "downgrade of", c->rev->rf.revision, ran,
                        where, done);
    }
    return rc;
}

/* One revision's operations to collect, in a direction. */
typedef struct collect_item {
    ag_rev *rev;
    ag_direction dir;
    ag_oplist *ops; /* filled */
} collect_item;

/* How long one migration's upgrade() or downgrade() may take to record its
 * operations (README, "How migrations run"): AUTOGEN_RECORD_TIMEOUT seconds,
 * 0 for none. */
static unsigned record_timeout(bool no_env)
{
    const char *v = no_env ? NULL : getenv("AUTOGEN_RECORD_TIMEOUT");
    char *end;
    unsigned long s = v && *v ? strtoul(v, &end, 10) : 0;
    return v && *v && !*end && s < 100000 ? (unsigned)s : 300;
}

/* The operations each item records: from the op cache when it has them for
 * the file as it is, else by running the migrations, all of them in one child
 * process so that one that crashes cannot take the run (or the database
 * connection) with it, and kept for next time when they can be (opcache.h).
 * Nothing has run against the database when this returns. */
static int collect_all(ag_runner *r, ag_opcache *oc, collect_item *items, size_t n, ag_error *err)
{
    ag_record_job *jobs = ag_xcalloc(n ? n : 1, sizeof(*jobs));
    size_t *of = ag_xcalloc(n ? n : 1, sizeof(*of));
    size_t njobs = 0;
    for (size_t i = 0; i < n; i++) {
        if (ag_opcache_get(oc, items[i].rev->rf.path, &items[i].rev->stamp, items[i].dir,
                           items[i].ops))
            continue;
        of[njobs] = i;
        jobs[njobs++] = (ag_record_job){ .path = items[i].rev->rf.path,
                                         .dir = items[i].dir,
                                         .ops = items[i].ops };
    }
    int rc = ag_migration_collect_isolated(r->compiler, jobs, njobs, r->dialect->name,
                                           record_timeout(r->no_env), err);
    for (size_t j = 0; rc == AG_OK && j < njobs; j++)
        if (jobs[j].cacheable)
            ag_opcache_put(oc, items[of[j]].rev->rf.path, &items[of[j]].rev->stamp,
                           items[of[j]].dir, items[of[j]].ops);
    free(jobs);
    free(of);
    return rc;
}

/* Why op may lose data, or NULL: as autogenerate classifies it, and a type
 * change whose old type the recorded operation does not carry (a migration's
 * partial alter) counts, since it may not convert. */
static const char *destructive_why(ag_arena *a, ag_opdef *op)
{
    ag_op_classify(a, op);
    if (op->flags & AG_OPF_DESTRUCTIVE)
        return op->note;
    if (op->kind == AG_OP_ALTER_COLUMN && (op->alter_mask & AG_ALTER_TYPE) && !op->old_column)
        return "changes a column's type: values may not convert";
    return NULL;
}

/* The production guard over a plan (README, "Running in production"): its
 * destructive operations, each as "file: description (why)", refused before
 * the first statement runs. */
static int guard_plan(compiled *cs, size_t n, ag_direction dir, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_buf list = AG_BUF_INIT;
    size_t found = 0, shown = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < cs[i].ops->n; k++) {
            ag_opdef *op = cs[i].ops->ops[k];
            const char *why = destructive_why(&cs[i].ops->arena, op);
            if (!why)
                continue;
            found++;
            if (list.len > 640) /* the message has room for so much */
                continue;
            ag_buf_printf(&list, "\n  %s: %s (%s)", cs[i].rev->rf.path, ag_op_describe(&a, op),
                          why);
            shown++;
        }
    }
    int rc = AG_OK;
    if (found)
        rc = ag_error_set(err, AG_ECONFLICT,
                          "the environment is production and this %s destroys data: nothing was "
                          "run; run it again with --allow-destructive to allow it. %zu destructive "
                          "operation(s):%s%s",
                          dir == AG_UPGRADE ? "upgrade" : "downgrade", found, list.ptr,
                          shown < found ? "\n  ..." : "");
    ag_buf_dispose(&list);
    ag_arena_release(&a);
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Collect every migration of plan, then run them; *collected is false when
 * collecting failed (nothing ran). */
static int run_plan(ag_runner *r,
                    ag_plan *plan,
                    ag_direction dir,
                    ag_rev **rows,
                    size_t nrows,
                    bool *collected,
                    ag_error *err)
{
    compiled *cs = ag_xcalloc(plan->n ? plan->n : 1, sizeof(*cs));
    collect_item *items = ag_xcalloc(plan->n ? plan->n : 1, sizeof(*items));
    for (size_t i = 0; i < plan->n; i++) {
        cs[i].rev = plan->revs[i];
        cs[i].ops = ag_oplist_new();
        items[i] = (collect_item){ .rev = cs[i].rev, .dir = dir, .ops = cs[i].ops };
    }
    ag_opcache *oc = ag_opcache_open(r->opcache_path);
    int rc = collect_all(r, oc, items, plan->n, err);
    ag_opcache_close(oc);
    free(items);
    if (rc == AG_OK && r->refuse_destructive)
        rc = guard_plan(cs, plan->n, dir, err);
    *collected = rc == AG_OK;
    ag_schema *state = NULL;
    bool stale = true;
    ag_buf pending = AG_BUF_INIT;
    r->log.pending = &pending;
    r->log.npending = 0;
    for (size_t i = 0; rc == AG_OK && i < plan->n; i++) {
        bool outside = !cs[i].rev->rf.transactional && r->dialect->autocommit;
        if (r->dry_run && outside) {
            /* Its statements would commit one by one: nothing to roll back. */
            ag_emitf(r->events, AG_EVENT_DRY_RUN,
                     "dry run: stopped before %s: it declares transactional = 0, so it runs "
                     "outside a transaction and cannot be rehearsed; %zu migration(s) before it "
                     "were rehearsed",
                     cs[i].rev->rf.path, i);
            break;
        }
        step_event(r, dir, cs[i].rev, false, AG_OK, 0);
        double t0 = now_ms();
        r->log.t0 = t0;
        ag_utc_now(r->log.started);
        if (outside)
            rc = run_outside(r, &state, &stale, &cs[i], dir, rows, &nrows, err);
        else
            rc = run_in_savepoint(r, &state, &stale, &cs[i], dir, rows, &nrows, err);
        double elapsed = now_ms() - t0;
        step_event(r, dir, cs[i].rev, true, rc, elapsed);
        if (r->dry_run)
            ag_emitf(r->events, AG_EVENT_DRY_RUN, "dry run: %s %s %s (%.1f ms)",
                     rc == AG_OK ? "rehearsed" : "FAILED",
                     dir == AG_UPGRADE ? "upgrade to" : "downgrade of", cs[i].rev->rf.path,
                     elapsed);
    }
    /* The rows of what ran, whether or not all of it did: it commits. A
     * log that cannot be written is a run that cannot be recorded, which
     * commits nothing (the caller rolls back, as when collecting fails). */
    ag_error log_err = { 0 };
    if (*collected && flush_log(r, &log_err) != AG_OK) {
        *collected = false;
        rc = log_err.code ? log_err.code : AG_EDB;
        if (err)
            *err = log_err;
    }
    r->log.pending = NULL;
    r->log.npending = 0;
    ag_buf_dispose(&pending);
    ag_schema_free(state);
    for (size_t i = 0; i < plan->n; i++)
        ag_oplist_free(cs[i].ops);
    free(cs);
    return rc;
}

/* Lock, read the version table, let `plan_fn` choose what to run, run it, commit. */
typedef int (*plan_fn)(ag_runner *r,
                       const char *target,
                       ag_rev **rows,
                       size_t nrows,
                       ag_plan *plan,
                       ag_direction *dir,
                       ag_error *err);
static int plan_upgrade(ag_runner *r,
                        const char *target,
                        ag_rev **rows,
                        size_t nrows,
                        ag_plan *plan,
                        ag_direction *dir,
                        ag_error *err);

/* After a lock timeout: where the database stands, read without the lock. */
static void describe_current(ag_runner *r, char *out, size_t size)
{
    ag_arena a = AG_ARENA_INIT;
    ag_strs stmts = { 0 };
    schema_sql(r, &a, false, &stmts);
    for (size_t i = 0; i < stmts.n; i++)
        r->dialect->exec(r->db, stmts.v[i], NULL);
    ag_arena_release(&a);
    ag_rev **rows = NULL;
    size_t n = 0;
    ag_error e = { 0 };
    if (ag_runner_current(r, &rows, &n, &e) != AG_OK) {
        /* The reason cut short on purpose: this is one clause of a longer message. */
        snprintf(out, size, "the database's revisions could not be read (%.300s)", e.msg);
    } else if (n == 0) {
        snprintf(out, size, "the database is at base (no revision applied)");
    } else {
        char ids[400];
        ag_graph_join_ids(ids, sizeof(ids), rows, n, "");
        snprintf(out, size, "the database is at %s", ids);
    }
    free(rows);
}

/* Begin the run's transaction under the database's write lock, waiting at
 * most r->lock_timeout for another runner to release it. */
static int take_lock(ag_runner *r, ag_error *err)
{
    ag_lock_wait w = { .timeout = r->lock_timeout,
                       .quiet = r->quiet,
                       .events = r->events,
                       .statement_lock_timeout = r->statement_lock_timeout };
    ag_error lock_err = { 0 };
    int rc = r->dialect->begin_locked(r->db, &w, &lock_err);
    if (rc == AG_OK || !w.timed_out) {
        if (rc != AG_OK && err)
            *err = lock_err;
        return rc;
    }
    r->dialect->rollback(r->db, NULL);
    char where[600];
    describe_current(r, where, sizeof(where));
    return ag_error_set(err, AG_ECONFLICT,
                        "the database's write lock was not obtained within %g s: %s; nothing "
                        "was run, and %s. Find the other runner (another autogen, or a session "
                        "holding a write transaction) and let it finish or stop it, or wait "
                        "longer with --lock-timeout SECONDS",
                        r->lock_timeout, w.holder, where);
}

/* Before an upgrade: the applied migrations whose file changed since the run
 * log recorded its checksum refuse the run (r->refuse_edited), or are warned
 * about. Revisions the log has no checksum for (applied before it existed)
 * are never judged. */
static int check_edited(ag_runner *r, ag_rev **rows, size_t nrows, ag_error *err)
{
    ag_runlog log;
    int rc = ag_runlog_read(r->dialect, r->db, r->run_log_table, &log, err);
    ag_plan applied = { 0 };
    if (rc == AG_OK && log.n)
        rc = ag_graph_plan_upgrade(&applied, r->graph, NULL, 0, rows, nrows, err);
    ag_buf list = AG_BUF_INIT;
    size_t found = 0, shown = 0;
    for (size_t i = 0; rc == AG_OK && i < applied.n; i++) {
        const ag_rev *rev = applied.revs[i];
        ag_log_rev *e = ag_runlog_get(&log, rev->rf.revision);
        char now[65];
        if (!ag_runlog_edited(e, rev->rf.path, now))
            continue;
        found++;
        if (list.len > 600) /* the message has room for so much */
            continue;
        if (e->applied)
            ag_buf_printf(&list, "\n  %s (revision %s, applied in run %ld)", rev->rf.path,
                          rev->rf.revision, e->run);
        else /* applied before the log; its checksum came from stamp --checksums */
            ag_buf_printf(&list, "\n  %s (revision %s)", rev->rf.path, rev->rf.revision);
        shown++;
    }
    if (rc == AG_OK && found && r->refuse_edited)
        rc = ag_error_set(err, AG_ECONFLICT,
                          "%zu applied migration(s) changed since they were applied: nothing was "
                          "run. Restore them, or review the change and record it with 'autogen "
                          "stamp --checksums', or run again with --allow-edited:%s%s",
                          found, list.ptr, shown < found ? "\n  ..." : "");
    else if (rc == AG_OK && found && !r->quiet)
        ag_emitf(r->events, AG_EVENT_WARNING,
                 "%zu applied migration(s) changed since they were applied (--allow-edited):%s%s",
                 found, list.ptr, shown < found ? "\n  ..." : "");
    ag_buf_dispose(&list);
    ag_plan_release(&applied);
    ag_runlog_release(&log);
    return rc;
}

static int with_lock(ag_runner *r, const char *target, plan_fn fn, ag_error *err)
{
    r->log.run = 0;
    int rc = take_lock(r, err);
    if (rc != AG_OK)
        return rc;
    ag_rev **rows = NULL;
    size_t nrows = 0;
    ag_plan plan = { 0 };
    ag_direction dir = AG_UPGRADE;
    rc = ensure_version_table(r, err);
    if (rc == AG_OK)
        rc = ag_runner_current(r, &rows, &nrows, err);
    if (rc == AG_OK && fn == plan_upgrade && r->run_log_table)
        rc = check_edited(r, rows, nrows, err);
    if (rc == AG_OK)
        rc = fn(r, target, rows, nrows, &plan, &dir, err);
    if (rc == AG_OK && plan.n == 0 && !r->quiet)
        ag_emitf(r->events, AG_EVENT_INFO, "Nothing to do: the database is already at the target");
    ag_error run_err = { 0 };
    int run_rc = AG_OK;
    bool collected = true;
    if (rc == AG_OK)
        run_rc = run_plan(r, &plan, dir, rows, nrows, &collected, &run_err);
    /* Commit what ran: a failed migration was already rolled back to its
     * savepoint. When a migration could not be recorded nothing ran: leave
     * the database as it was, without even the version table. */
    if (rc == AG_OK && !collected) {
        rc = run_rc;
        if (err)
            *err = run_err;
    }
    if (rc == AG_OK && r->dry_run) {
        rc = r->dialect->rollback(r->db, err);
        if (rc == AG_OK && run_rc == AG_OK)
            ag_emitf(r->events, AG_EVENT_DRY_RUN,
                     "dry run: rolled back; the database is as it was");
    } else if (rc == AG_OK) {
        rc = r->dialect->commit(r->db, err);
    } else {
        r->dialect->rollback(r->db, NULL);
    }
    if (rc == AG_OK && run_rc != AG_OK) {
        rc = run_rc;
        if (err)
            *err = run_err;
    }
    ag_plan_release(&plan);
    free(rows);
    return rc;
}

static bool parse_relative(const char *s, char sign, long *out)
{
    if (s[0] != sign || s[1] == '\0')
        return false;
    char *end;
    errno = 0;
    long v = strtol(s + 1, &end, 10);
    if (*end || errno || v <= 0)
        return false;
    *out = v;
    return true;
}

static int single_head(const ag_graph *g, ag_rev **out, ag_error *err)
{
    if (g->nheads == 0)
        return ag_error_set(err, AG_ENOTFOUND,
                            "there are no migrations yet; describe tables in the models and run "
                            "'autogen revision -m \"first\"' (with --empty to write one by "
                            "hand)");
    if (g->nheads > 1) {
        char heads[512];
        ag_graph_join_ids(heads, sizeof(heads), g->heads, g->nheads, "");
        return ag_error_set(err, AG_EMULTIHEAD,
                            "the migrations have several heads (%s); upgrade to 'heads', name "
                            "one, or join them with 'autogen merge heads -m \"merge\"'",
                            heads);
    }
    *out = g->heads[0];
    return AG_OK;
}

static int plan_upgrade(ag_runner *r,
                        const char *target,
                        ag_rev **rows,
                        size_t nrows,
                        ag_plan *plan,
                        ag_direction *dir,
                        ag_error *err)
{
    *dir = AG_UPGRADE;
    ag_graph *g = r->graph;
    long steps;
    if (strcmp(target, "heads") == 0)
        return ag_graph_plan_upgrade(plan, g, rows, nrows, g->heads, g->nheads, err);
    if (parse_relative(target, '+', &steps)) {
        ag_rev *head;
        int rc = single_head(g, &head, err);
        if (rc != AG_OK)
            return rc;
        ag_plan full = { 0 };
        rc = ag_graph_plan_upgrade(&full, g, rows, nrows, &head, 1, err);
        if (rc == AG_OK && (size_t)steps > full.n)
            rc = ag_error_set(err, AG_EINVALID,
                              "cannot upgrade %ld revision(s): only %zu remain to the head", steps,
                              full.n);
        if (rc == AG_OK) {
            ag_rev *t = full.revs[steps - 1];
            rc = ag_graph_plan_upgrade(plan, g, rows, nrows, &t, 1, err);
        }
        ag_plan_release(&full);
        return rc;
    }
    ag_rev *t = NULL;
    if (strcmp(target, "head") == 0 && g->nheads == 0)
        return AG_OK; /* no migrations yet: nothing to do */
    int rc = strcmp(target, "head") == 0 ? single_head(g, &t, err)
                                         : ag_graph_resolve(&t, g, target, err);
    if (rc != AG_OK)
        return rc;
    for (size_t i = 0; i < nrows; i++)
        if (t != rows[i] && ag_graph_is_ancestor(g, t, rows[i]))
            return ag_error_set(err, AG_EINVALID,
                                "revision '%s' is older than the database's '%s'; use 'autogen "
                                "downgrade %s' to go back",
                                t->rf.revision, rows[i]->rf.revision, t->rf.revision);
    return ag_graph_plan_upgrade(plan, g, rows, nrows, &t, 1, err);
}

/* The message for a step down that could revert any of the heads cands:
 * one command per candidate, from where the database is now (after `done`
 * clear steps of the walk `target`, first run those). */
static int ambiguous_step(const char *target,
                          const ag_rev *from,
                          long done,
                          long left,
                          ag_rev *const *cands,
                          size_t ncands,
                          ag_error *err)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_printf(&b, "'downgrade %s' is ambiguous: ", target);
    char ids[512];
    ag_graph_join_ids(ids, sizeof(ids), cands, ncands, "");
    if (done == 0)
        ag_buf_printf(&b, "the database is at %s and one step down could revert any of them;", ids);
    else
        ag_buf_printf(&b,
                      "after %ld step(s) the database would be at %s and the next step could "
                      "revert any of them; run 'autogen downgrade %s%s-%ld', then",
                      done, ids, from ? from->rf.revision : "", from ? "@" : "", done);
    ag_buf_puts(&b, " name the branch to step down:");
    for (size_t i = 0; i < ncands; i++)
        ag_buf_printf(&b, "%s '%s' ('autogen downgrade %s@-%ld')", i ? "," : "",
                      cands[i]->rf.revision, cands[i]->rf.revision, left);
    int rc = ag_error_set(err, AG_EINVALID, "%s", b.ptr);
    ag_buf_dispose(&b);
    return rc;
}

static void revs_remove(ag_rev **revs, size_t *n, const ag_rev *x)
{
    for (size_t i = 0; i < *n; i++)
        if (revs[i] == x) {
            memmove(&revs[i], &revs[i + 1], (*n - i - 1) * sizeof(*revs));
            (*n)--;
            return;
        }
}

static bool revs_has(ag_rev *const *revs, size_t n, const ag_rev *x)
{
    for (size_t i = 0; i < n; i++)
        if (revs[i] == x)
            return true;
    return false;
}

/* `-N` (from NULL) or `REV@-N`: N steps down from the heads rows, each step
 * reverting one head and putting its parents in its place (a merge leaves
 * both parents as heads). `-N` steps from any head, `REV@-N` from the applied
 * head at or above REV and then from what that head's steps expose. A step
 * with several heads to choose from is refused with a command for each. */
static int plan_walk_down(ag_runner *r,
                          ag_rev *from,
                          const char *target,
                          long steps,
                          ag_rev **rows,
                          size_t nrows,
                          ag_plan *plan,
                          ag_error *err)
{
    ag_graph *g = r->graph;
    ag_rev **cur = ag_xmalloc((g->n + 1) * sizeof(*cur));
    ag_rev **line = ag_xmalloc((g->n + 1) * sizeof(*line));
    ag_rev **gone = ag_xmalloc((g->n + 1) * sizeof(*gone));
    memcpy(cur, rows, nrows * sizeof(*rows));
    size_t ncur = nrows, nline = 0, ngone = 0;
    for (size_t i = 0; from && i < nrows; i++)
        if (ag_graph_is_ancestor(g, from, rows[i]))
            line[nline++] = rows[i];
    int rc = AG_OK;
    for (long step = 0; rc == AG_OK && step < steps; step++) {
        if (!from) {
            memcpy(line, cur, ncur * sizeof(*cur));
            nline = ncur;
        }
        if (nline == 0 && nrows == 0)
            rc = ag_error_set(err, AG_EINVALID,
                              "the database is at base: there is nothing to downgrade");
        else if (nline == 0 && from && step == 0)
            rc = ag_error_set(err, AG_EINVALID,
                              "no applied revision is at or above '%s'; 'autogen current' shows "
                              "where the database is",
                              from->rf.revision);
        else if (nline == 0)
            rc = ag_error_set(err, AG_EINVALID,
                              "cannot downgrade %ld revision(s)%s: only %ld are applied", steps,
                              from ? " on that branch" : "", step);
        else if (nline > 1)
            rc = ambiguous_step(target, from, step, steps - step, line, nline, err);
        if (rc != AG_OK)
            break;
        ag_rev *x = line[0];
        gone[ngone++] = x;
        ag_graph_heads_after_revert(g, cur, &ncur, x);
        revs_remove(line, &nline, x);
        for (size_t p = 0; p < x->nparents; p++)
            if (revs_has(cur, ncur, x->parents[p]))
                line[nline++] = x->parents[p];
    }
    if (rc == AG_OK)
        rc = ag_graph_plan_revert(plan, g, rows, nrows, cur, ncur);
    /* A revision another applied one depends on (depends_on) stays: say so
     * rather than revert less than asked. */
    for (size_t i = 0; rc == AG_OK && i < ngone; i++) {
        if (revs_has(plan->revs, plan->n, gone[i]))
            continue;
        const ag_rev *by = NULL;
        for (size_t k = 0; !by && k < gone[i]->ndependents; k++)
            for (size_t j = 0; !by && j < ncur; j++)
                if (ag_graph_is_ancestor(g, gone[i]->dependents[k], cur[j]))
                    by = gone[i]->dependents[k];
        rc = ag_error_set(err, AG_EINVALID,
                          "'downgrade %s' would revert '%s', which the applied revision '%s' "
                          "depends on; downgrade '%s' first",
                          target, gone[i]->rf.revision, by ? by->rf.revision : "?",
                          by ? by->rf.revision : "?");
        ag_plan_release(plan);
    }
    free(cur);
    free(line);
    free(gone);
    return rc;
}

static int plan_downgrade(ag_runner *r,
                          const char *target,
                          ag_rev **rows,
                          size_t nrows,
                          ag_plan *plan,
                          ag_direction *dir,
                          ag_error *err)
{
    *dir = AG_DOWNGRADE;
    ag_graph *g = r->graph;
    long steps;
    ag_rev *t = NULL;
    if (strcmp(target, "base") == 0) {
        int rc = ag_graph_plan_downgrade(plan, g, rows, nrows, NULL, err);
        if (rc == AG_OK && plan->n && r->refuse_destructive) {
            ag_plan_release(plan);
            rc = ag_error_set(err, AG_ECONFLICT,
                              "the environment is production and 'downgrade base' reverts every "
                              "applied migration: nothing was run; run it again with "
                              "--allow-destructive to allow it");
        }
        return rc;
    }
    if (parse_relative(target, '-', &steps))
        return plan_walk_down(r, NULL, target, steps, rows, nrows, plan, err);
    const char *at = strrchr(target, '@');
    if (at && parse_relative(at + 1, '-', &steps)) {
        char spec[256];
        snprintf(spec, sizeof(spec), "%.*s", (int)(at - target), target);
        int rc = ag_graph_resolve(&t, g, spec, err);
        if (rc != AG_OK)
            return rc;
        return plan_walk_down(r, t, target, steps, rows, nrows, plan, err);
    }
    int rc = ag_graph_resolve(&t, g, target, err);
    if (rc != AG_OK)
        return rc;
    bool below = false;
    for (size_t i = 0; i < nrows; i++)
        below = below || ag_graph_is_ancestor(g, t, rows[i]);
    if (!below)
        return ag_error_set(err, AG_EINVALID,
                            "revision '%s' is not applied to the database; use 'autogen upgrade "
                            "%s' to go forward",
                            t->rf.revision, t->rf.revision);
    return ag_graph_plan_downgrade(plan, g, rows, nrows, t, err);
}

int ag_runner_upgrade(ag_runner *r, const char *target, ag_error *err)
{
    return with_lock(r, target ? target : "head", plan_upgrade, err);
}

int ag_runner_downgrade(ag_runner *r, const char *target, ag_error *err)
{
    if (!target)
        return ag_error_set(err, AG_EUSAGE, "downgrade needs a target: -1, a revision, or base");
    return with_lock(r, target, plan_downgrade, err);
}

/* The revisions upgrade run `run` applied, in the order it applied them
 * (also those reverted since); none when the run applied nothing. */
static int run_revisions(ag_runner *r, long run, ag_arena *a, ag_strs *out, ag_error *err)
{
    ag_buf sql = AG_BUF_INIT;
    ag_buf_puts(&sql, "SELECT revision FROM ");
    ag_buf_quote_ident(&sql, r->run_log_table);
    ag_buf_printf(&sql, " WHERE run = %ld AND direction = 'upgrade' ORDER BY id", run);
    ag_rows rows = { 0 };
    int rc = r->dialect->query(r->db, sql.ptr, NULL, 0, &rows, err);
    ag_buf_dispose(&sql);
    for (size_t i = 0; rc == AG_OK && i < rows.nrows; i++)
        if (ag_rows_get(&rows, i, 0))
            ag_strs_push_arena(a, out, ag_arena_strdup(a, ag_rows_get(&rows, i, 0)));
    ag_rows_release(&rows);
    return rc;
}

/* Where a revision applied to the database came from, for messages. */
static const char *applied_by(ag_arena *a, const ag_runlog *log, const ag_rev *rev)
{
    const ag_log_rev *e = ag_runlog_get(log, rev->rf.revision);
    if (!e || !e->applied)
        return "applied before the run log recorded it";
    return ag_arena_printf(a, "%s in run %ld", e->direction[0] == 's' ? "stamped" : "applied",
                           e->run);
}

/* downgrade --last-run / --run N (r->log.revert; 0: the last upgrade run):
 * exactly the revisions that run applied and that are still applied. */
static int plan_run(ag_runner *r,
                    const char *target,
                    ag_rev **rows,
                    size_t nrows,
                    ag_plan *plan,
                    ag_direction *dir,
                    ag_error *err)
{
    AG_UNUSED(target);
    *dir = AG_DOWNGRADE;
    ag_graph *g = r->graph;
    ag_arena a = AG_ARENA_INIT;
    ag_runlog log;
    ag_strs revs = { 0 };
    ag_plan applied = { 0 };
    long run = r->log.revert;
    const char *table = r->run_log_table;
    int rc = ag_runlog_read(r->dialect, r->db, table, &log, err);
    if (rc == AG_OK && run == 0) {
        run = log.last_upgrade_run;
        if (!run)
            rc = ag_error_set(err, AG_ENOTFOUND,
                              "the run log '%s' records no upgrade run, so there is no last run "
                              "to revert; 'autogen status' shows what is applied",
                              table);
    }
    if (rc == AG_OK)
        rc = run_revisions(r, run, &a, &revs, err);
    if (rc == AG_OK && revs.n == 0)
        rc = ag_error_set(err, AG_ENOTFOUND,
                          "run %ld applied no revision: the run log '%s' has no upgrade of that "
                          "run ('autogen status' shows the run of each applied revision)",
                          run, table);
    if (rc == AG_OK)
        rc = ag_graph_plan_upgrade(&applied, g, NULL, 0, rows, nrows, err);
    /* In: the applied revisions whose last application was this run. */
    unsigned char *in = ag_xcalloc(g->n + 1, 1);
    ag_rev **cur = ag_xmalloc((g->n + 1) * sizeof(*cur));
    size_t nin = 0;
    for (size_t i = 0; rc == AG_OK && i < applied.n; i++) {
        const ag_log_rev *e = ag_runlog_get(&log, applied.revs[i]->rf.revision);
        if (e && e->applied && e->run == run && e->direction[0] == 'u') {
            in[applied.revs[i]->topo] = 1;
            nin++;
        }
    }
    if (rc == AG_OK && nin == 0) {
        ag_buf ids = AG_BUF_INIT;
        for (size_t i = 0; i < revs.n && ids.len < 300; i++)
            ag_buf_printf(&ids, "%s%s", i ? ", " : "", revs.v[i]);
        /* The run before it that has something still applied, if any. */
        long before = 0;
        for (size_t i = 0; i < applied.n; i++) {
            const ag_log_rev *e = ag_runlog_get(&log, applied.revs[i]->rf.revision);
            if (e && e->applied && e->direction[0] == 'u' && e->run < run && e->run > before)
                before = e->run;
        }
        char hint[160] = "";
        if (before)
            snprintf(hint, sizeof(hint),
                     "; the latest run before it still applied is %ld "
                     "('autogen downgrade --run %ld')",
                     before, before);
        rc = ag_error_set(err, AG_EINVALID,
                          "nothing that run %ld applied (%s) is still applied: nothing was run%s",
                          run, ids.ptr, hint);
        ag_buf_dispose(&ids);
    }
    /* Revert them newest first, each a head by then: one that is not has an
     * applied revision of another run on top of it. */
    memcpy(cur, rows, nrows * sizeof(*rows));
    size_t ncur = nrows;
    for (size_t i = applied.n; rc == AG_OK && i-- > 0;) {
        ag_rev *x = applied.revs[i];
        if (!in[x->topo])
            continue;
        if (!revs_has(cur, ncur, x)) {
            const ag_rev *above = NULL;
            for (size_t k = i + 1; !above && k < applied.n; k++)
                if (!in[applied.revs[k]->topo] && ag_graph_is_ancestor(g, x, applied.revs[k]))
                    above = applied.revs[k];
            rc = ag_error_set(err, AG_EINVALID,
                              "run %ld cannot be reverted alone: its revision '%s' has '%s' on "
                              "top of it (%s); revert that first: nothing was run",
                              run, x->rf.revision, above ? above->rf.revision : "?",
                              above ? applied_by(&a, &log, above) : "?");
            break;
        }
        ag_graph_heads_after_revert(g, cur, &ncur, x);
    }
    if (rc == AG_OK)
        rc = ag_graph_plan_revert(plan, g, rows, nrows, cur, ncur);
    /* A revision another applied one depends on (depends_on) stays. */
    for (size_t i = 0; rc == AG_OK && i < applied.n; i++) {
        ag_rev *x = applied.revs[i];
        if (in[x->topo] && !revs_has(plan->revs, plan->n, x)) {
            ag_plan_release(plan);
            rc = ag_error_set(err, AG_EINVALID,
                              "run %ld cannot be reverted alone: an applied revision of another "
                              "run depends on its revision '%s' (depends_on); revert that first: "
                              "nothing was run",
                              run, x->rf.revision);
        }
    }
    if (rc == AG_OK && !r->quiet)
        ag_emitf(r->events, AG_EVENT_INFO, "Reverting run %ld: %zu revision(s)", run, plan->n);
    free(in);
    free(cur);
    ag_plan_release(&applied);
    ag_runlog_release(&log);
    ag_arena_release(&a);
    return rc;
}

int ag_runner_downgrade_run(ag_runner *r, long run, ag_error *err)
{
    r->log.revert = run;
    return with_lock(r, "", plan_run, err);
}

/* after (the heads to stamp, updated) once target is stamped onto them. */
static int
stamp_one(ag_runner *r, const char *target, ag_rev **after, size_t *nafter, ag_error *err)
{
    if (strcmp(target, "heads") == 0) {
        memcpy(after, r->graph->heads, r->graph->nheads * sizeof(*after));
        *nafter = r->graph->nheads;
        return AG_OK;
    }
    if (strcmp(target, "base") == 0) {
        *nafter = 0;
        return AG_OK;
    }
    ag_rev *t = NULL;
    int rc = strcmp(target, "head") == 0 ? single_head(r->graph, &t, err)
                                         : ag_graph_resolve(&t, r->graph, target, err);
    if (rc != AG_OK)
        return rc;
    /* t replaces the heads of its own branch; other branches stay where they are. */
    size_t n = 0;
    for (size_t i = 0; i < *nafter; i++)
        if (!ag_graph_is_ancestor(r->graph, after[i], t) &&
            !ag_graph_is_ancestor(r->graph, t, after[i]))
            after[n++] = after[i];
    after[n++] = t;
    *nafter = n;
    return AG_OK;
}

/* The ids the version table holds, as written (even ones no file defines). */
static int held_ids(ag_runner *r, ag_arena *a, ag_strs *out, ag_error *err)
{
    ag_buf sql = AG_BUF_INIT;
    ag_buf_puts(&sql, "SELECT version_num FROM ");
    ag_buf_quote_ident(&sql, r->version_table);
    ag_buf_puts(&sql, " ORDER BY version_num");
    ag_rows rows = { 0 };
    int rc = r->dialect->query(r->db, sql.ptr, NULL, 0, &rows, err);
    ag_buf_dispose(&sql);
    for (size_t i = 0; rc == AG_OK && i < rows.nrows; i++)
        if (ag_rows_get(&rows, i, 0))
            ag_strs_push_arena(a, out, ag_arena_strdup(a, ag_rows_get(&rows, i, 0)));
    ag_rows_release(&rows);
    return rc;
}

/* The production guard over a stamp: refused when it removes or replaces a
 * revision the version table holds (held), since the schema then no longer
 * matches what the table says was applied. */
static int guard_stamp(const ag_strs *held, ag_rev *const *after, size_t nafter, ag_error *err)
{
    ag_buf gone = AG_BUF_INIT;
    for (size_t i = 0; i < held->n; i++) {
        bool kept = false;
        for (size_t j = 0; j < nafter && !kept; j++)
            kept = strcmp(after[j]->rf.revision, held->v[i]) == 0;
        if (!kept)
            ag_buf_printf(&gone, "%s%s", gone.len ? ", " : "", held->v[i]);
    }
    int rc = AG_OK;
    if (gone.len)
        rc = ag_error_set(err, AG_ECONFLICT,
                          "the environment is production and this stamp removes applied "
                          "revision(s) %s from the version table: nothing was changed; run it "
                          "again with --allow-destructive to allow it",
                          gone.ptr);
    ag_buf_dispose(&gone);
    return rc;
}

/* The run log's rows for a stamp from the heads before (and, purged, the ids
 * no file defines) to after: `unstamp` for each revision no longer applied,
 * newest first, then `stamp` for each newly applied one, oldest first. */
static int log_stamp(ag_runner *r,
                     ag_rev *const *before,
                     size_t nbefore,
                     const ag_strs *unknown,
                     ag_rev *const *after,
                     size_t nafter,
                     ag_error *err)
{
    ag_graph *g = r->graph;
    ag_plan was = { 0 }, now = { 0 };
    int rc = ag_graph_plan_upgrade(&was, g, NULL, 0, before, nbefore, err);
    if (rc == AG_OK)
        rc = ag_graph_plan_upgrade(&now, g, NULL, 0, after, nafter, err);
    for (size_t i = was.n; rc == AG_OK && i-- > 0;)
        if (!revs_has(now.revs, now.n, was.revs[i]))
            rc = log_row(r, was.revs[i]->rf.revision, was.revs[i]->rf.path, "unstamp", NULL, -1,
                         err);
    for (size_t i = 0; rc == AG_OK && i < unknown->n; i++)
        rc = log_row(r, unknown->v[i], NULL, "unstamp", NULL, -1, err);
    for (size_t i = 0; rc == AG_OK && i < now.n; i++)
        if (!revs_has(was.revs, was.n, now.revs[i]))
            rc = log_row(r, now.revs[i]->rf.revision, now.revs[i]->rf.path, "stamp", NULL, -1, err);
    ag_plan_release(&was);
    ag_plan_release(&now);
    return rc;
}

int ag_runner_stamp(
    ag_runner *r, const char *const *targets, size_t ntargets, bool purge, ag_error *err)
{
    r->log.run = 0;
    int rc = take_lock(r, err);
    if (rc != AG_OK)
        return rc;
    ag_rev **rows = NULL, **after = ag_xcalloc(r->graph->n + 1, sizeof(*after));
    size_t nrows = 0, nafter = 0;
    ag_arena a = AG_ARENA_INIT;
    ag_strs held = { 0 }, unknown = { 0 };
    ag_rev **purged = ag_xcalloc(r->graph->n + 1, sizeof(*purged));
    size_t npurged = 0;
    rc = ensure_version_table(r, err);
    if (rc == AG_OK)
        rc = held_ids(r, &a, &held, err);
    /* What a purge removes, for the run log: revisions, and ids no file defines. */
    for (size_t i = 0; rc == AG_OK && purge && i < held.n; i++) {
        ag_rev *rev = NULL;
        if (ag_graph_find(&rev, r->graph, held.v[i], NULL) == AG_OK &&
            strcmp(rev->rf.revision, held.v[i]) == 0 && npurged < r->graph->n)
            purged[npurged++] = rev;
        else
            ag_strs_push_arena(&a, &unknown, held.v[i]);
    }
    if (rc == AG_OK && purge) {
        /* Whatever the table holds, even ids no file defines any more. */
        ag_buf sql = AG_BUF_INIT;
        ag_buf_puts(&sql, "DELETE FROM ");
        ag_buf_quote_ident(&sql, r->version_table);
        rc = r->dialect->exec(r->db, sql.ptr, err);
        ag_buf_dispose(&sql);
        rows = ag_xcalloc(r->graph->n + 1, sizeof(*rows));
    } else if (rc == AG_OK) {
        rc = ag_runner_current(r, &rows, &nrows, err);
    }
    if (rc == AG_OK) {
        memcpy(after, rows, nrows * sizeof(*rows));
        nafter = nrows;
    }
    for (size_t i = 0; rc == AG_OK && i < ntargets; i++)
        rc = stamp_one(r, targets[i], after, &nafter, err);
    if (rc == AG_OK && r->refuse_destructive)
        rc = guard_stamp(&held, after, nafter, err);
    if (rc == AG_OK)
        rc = write_rows(r, rows, nrows, after, nafter, err);
    if (rc == AG_OK)
        rc = purge ? log_stamp(r, purged, npurged, &unknown, after, nafter, err)
                   : log_stamp(r, rows, nrows, &unknown, after, nafter, err);
    if (rc == AG_OK)
        rc = r->dialect->commit(r->db, err);
    else
        r->dialect->rollback(r->db, NULL);
    free(rows);
    free(after);
    free(purged);
    ag_arena_release(&a);
    return rc;
}

int ag_runner_record_checksums(ag_runner *r, ag_error *err)
{
    r->log.run = 0;
    int rc = take_lock(r, err);
    if (rc != AG_OK)
        return rc;
    ag_rev **rows = NULL;
    size_t nrows = 0, recorded = 0;
    ag_runlog log = { 0 };
    ag_plan applied = { 0 };
    rc = ensure_version_table(r, err);
    if (rc == AG_OK)
        rc = ag_runner_current(r, &rows, &nrows, err);
    if (rc == AG_OK)
        rc = ag_runlog_read(r->dialect, r->db, r->run_log_table, &log, err);
    if (rc == AG_OK)
        rc = ag_graph_plan_upgrade(&applied, r->graph, NULL, 0, rows, nrows, err);
    for (size_t i = 0; rc == AG_OK && i < applied.n; i++) {
        const ag_rev *rev = applied.revs[i];
        const ag_log_rev *e = ag_runlog_get(&log, rev->rf.revision);
        char now[65];
        if (!ag_file_checksum(rev->rf.path, now)) {
            rc = ag_error_set(err, AG_EIO, "cannot read '%s': nothing was recorded", rev->rf.path);
            break;
        }
        if (e && e->checksum && strcmp(e->checksum, now) == 0)
            continue;
        rc = log_row(r, rev->rf.revision, rev->rf.path, "checksum", NULL, -1, err);
        if (rc == AG_OK && !r->quiet)
            ag_emitf(r->events, AG_EVENT_INFO, "Recorded the checksum of %s (revision %s)%s",
                     rev->rf.path, rev->rf.revision, e && e->checksum ? ", which changed" : "");
        recorded++;
    }
    if (rc == AG_OK && !recorded && !r->quiet)
        ag_emitf(r->events, AG_EVENT_INFO,
                 "Nothing to do: the checksum of every applied migration is recorded and "
                 "matches its file");
    if (rc == AG_OK)
        rc = r->dialect->commit(r->db, err);
    else
        r->dialect->rollback(r->db, NULL);
    free(rows);
    ag_plan_release(&applied);
    ag_runlog_release(&log);
    return rc;
}

/* --- offline SQL ------------------------------------------------------------------- */

/* Apply op to a replayed state: raw SQL too, as far as the dialect follows it
 * (views and triggers on SQLite). */
static int replay_op(ag_runner *r, ag_schema *state, const ag_opdef *op, ag_error *err)
{
    if (op->kind == AG_OP_EXECUTE && r->dialect->track_sql)
        r->dialect->track_sql(state, op->sql);
    return ag_schema_apply(state, op, err);
}

/* Replay the upgrades recorded in items onto state without running anything. */
static int
replay(ag_runner *r, ag_schema *state, const collect_item *items, size_t n, ag_error *err)
{
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < n; i++) {
        ag_oplist *ops = items[i].ops;
        for (size_t k = 0; rc == AG_OK && k < ops->n; k++) {
            if (drops_unknown_table(state, ops->ops[k]))
                stub_unknown_table(r, state, items[i].rev, ops->ops[k], false);
            rc = complete_alter(&ops->arena, state, ops->ops[k], err);
            if (rc == AG_OK)
                rc = replay_op(r, state, ops->ops[k], err);
        }
    }
    return rc;
}

static int emit_plan(ag_runner *r,
                     ag_rev **rows,
                     size_t nrows,
                     ag_plan *plan,
                     ag_direction dir,
                     const ag_strs *prelude,
                     FILE *out,
                     ag_error *err)
{
    /* The schema where the plan starts: every revision the start needs,
     * replayed. Their operations and the plan's are collected at once, before
     * anything is printed. */
    ag_plan before = { 0 };
    ag_schema *state = ag_schema_new();
    int rc = ag_graph_plan_upgrade(&before, r->graph, NULL, 0, rows, nrows, err);
    size_t nitems = before.n + plan->n;
    collect_item *items = ag_xcalloc(nitems ? nitems : 1, sizeof(*items));
    for (size_t i = 0; i < nitems; i++) {
        bool pre = i < before.n;
        items[i] = (collect_item){ .rev = pre ? before.revs[i] : plan->revs[i - before.n],
                                   .dir = pre ? AG_UPGRADE : dir,
                                   .ops = ag_oplist_new() };
    }
    ag_opcache *oc = ag_opcache_open(r->opcache_path);
    if (rc == AG_OK)
        rc = collect_all(r, oc, items, nitems, err);
    ag_opcache_close(oc);
    if (rc == AG_OK)
        rc = replay(r, state, items, before.n, err);
    bool tx = (r->dialect->caps & AG_CAP_TRANSACTIONAL_DDL) != 0;
    ag_arena a = AG_ARENA_INIT; /* one revision's statements, released after each */
    ag_rev **after = ag_xmalloc((r->graph->n + 1) * sizeof(*after));
    /* The script starts where a session would (prelude): printed only once
     * every migration has been recorded, so that a failure prints nothing. */
    for (size_t i = 0; rc == AG_OK && prelude && i < prelude->n; i++)
        fprintf(out, "%s;\n%s", prelude->v[i], i + 1 == prelude->n ? "\n" : "");
    if (rc == AG_OK && dir == AG_UPGRADE && nrows == 0)
        fprintf(out, "%s;\n\n", version_table_ddl(&a, r->version_table));
    /* A script (not `show`) writes the run log as a run would: created when
     * missing, one row per revision in its transaction (runlog.h). */
    bool script = prelude != NULL && r->run_log_table;
    if (rc == AG_OK && script) {
        ag_strs ddl = { 0 };
        ag_runlog_create_sql(&a, r->dialect, r->run_log_table, r->no_env, &ddl);
        for (size_t i = 0; i < ddl.n; i++)
            fprintf(out, "%s;\n%s", ddl.v[i], i + 1 == ddl.n ? "\n" : "");
    }
    for (size_t i = 0; rc == AG_OK && i < plan->n; i++) {
        ag_rev *rev = plan->revs[i];
        /* A `transactional = 0` migration: statements stand alone, except that an
         * operation of several gets a transaction of its own, as online
         * (exec_ops); then the version table moves in a transaction. */
        bool own = tx && !rev->rf.transactional && r->dialect->autocommit;
        ag_oplist *ops = items[before.n + i].ops;
        ag_strs stmts = { 0 };
        size_t ngroups = 0, *groups = ag_arena_alloc(&a, 2 * (ops->n + 1) * sizeof(*groups));
        for (size_t k = 0; rc == AG_OK && k < ops->n; k++) {
            ag_opdef *op = ops->ops[k];
            size_t first = stmts.n;
            if (drops_unknown_table(state, op))
                stub_unknown_table(r, state, rev, op, dir == AG_UPGRADE);
            rc = complete_alter(&ops->arena, state, op, err);
            if (rc == AG_OK)
                rc = r->dialect->render(&a, state, op, &stmts, err);
            if (rc == AG_OK)
                rc = replay_op(r, state, op, err);
            if (own && op->kind != AG_OP_EXECUTE && stmts.n - first > 1) {
                groups[2 * ngroups] = first;
                groups[2 * ngroups++ + 1] = stmts.n;
            }
        }
        /* Where the online run verifies (exec_ops), inside the transaction. */
        for (const char *const *v = r->dialect->script_verify;
             rc == AG_OK && v && *v && may_break_references(ops); v++)
            ag_strs_push_arena(&a, &stmts, *v);
        memcpy(after, rows, nrows * sizeof(*rows));
        size_t nafter = nrows;
        step_heads(r->graph, after, &nafter, rev, dir);
        size_t nops_sql = stmts.n;
        version_sql(r->version_table, rows, nrows, after, nafter, &a, &stmts);
        if (script) {
            char sum[65];
            bool have = ag_file_checksum(rev->rf.path, sum);
            ag_log_row row = { .first_of_script = i == 0,
                               .revision = rev->rf.revision,
                               .direction = dir == AG_UPGRADE ? "upgrade" : "downgrade",
                               .duration_ms = -1,
                               .checksum = have ? sum : NULL,
                               .no_env = r->no_env };
            ag_strs_push_arena(&a, &stmts,
                               ag_runlog_insert_sql(&a, r->dialect, r->run_log_table, &row));
        }
        memcpy(rows, after, nafter * sizeof(*rows));
        nrows = nafter;
        if (rc == AG_OK) {
            step_line(out, "-- ", dir, rev);
            for (size_t k = 0, g = 0; k < stmts.n; k++) {
                bool group_start = g < ngroups && k == groups[2 * g];
                if ((tx && k == (own ? nops_sql : 0)) || group_start)
                    fputs("BEGIN;\n", out);
                fputs(stmts.v[k], out);
                fputs(";\n", out);
                if (g < ngroups && k + 1 == groups[2 * g + 1]) {
                    fputs("COMMIT;\n", out);
                    g++;
                }
            }
            if (tx && stmts.n > (own ? nops_sql : 0))
                fputs("COMMIT;\n", out);
            fputs("\n", out);
        }
        ag_arena_release(&a);
    }
    for (size_t i = 0; i < nitems; i++)
        ag_oplist_free(items[i].ops);
    free(items);
    ag_plan_release(&before);
    free(after);
    ag_arena_release(&a);
    ag_schema_free(state);
    return rc;
}

/* The script's opening: set up as a connection is, in the `schema:` setting. */
static void script_prelude(ag_runner *r, ag_arena *a, ag_strs *prelude)
{
    for (const char *const *p = r->dialect->script_prelude; p && *p; p++)
        ag_strs_push_arena(a, prelude, *p);
    schema_sql(r, a, true, prelude);
}

int ag_runner_sql(ag_runner *r, const char *range, ag_direction dir, FILE *out, ag_error *err)
{
    const char *colon = strchr(range, ':');
    char from[256] = "";
    const char *to = range;
    if (colon) {
        snprintf(from, sizeof(from), "%.*s", (int)(colon - range), range);
        to = colon + 1;
    } else if (dir == AG_DOWNGRADE) {
        return ag_error_set(err, AG_EUSAGE,
                            "offline downgrade needs a range FROM:TO, as in 'autogen downgrade "
                            "--sql head:base'");
    }
    ag_rev **rows = ag_xcalloc(r->graph->n + 1, sizeof(*rows));
    size_t nrows = 0;
    int rc = AG_OK;
    if (from[0] && strcmp(from, "base") != 0) {
        if (strcmp(from, "heads") == 0) {
            memcpy(rows, r->graph->heads, r->graph->nheads * sizeof(*rows));
            nrows = r->graph->nheads;
        } else if (strcmp(from, "head") == 0) {
            rc = single_head(r->graph, &rows[0], err);
            nrows = rc == AG_OK;
        } else {
            rc = ag_graph_resolve(&rows[0], r->graph, from, err);
            nrows = rc == AG_OK;
        }
    }
    ag_plan plan = { 0 };
    ag_direction d2 = dir;
    if (rc == AG_OK)
        rc = dir == AG_UPGRADE ? plan_upgrade(r, to, rows, nrows, &plan, &d2, err)
                               : plan_downgrade(r, to, rows, nrows, &plan, &d2, err);
    if (rc == AG_OK) {
        /* The script starts where a session would: set up as a connection is,
         * in the `schema:` setting. */
        ag_arena a = AG_ARENA_INIT;
        ag_strs prelude = { 0 };
        script_prelude(r, &a, &prelude);
        rc = emit_plan(r, rows, nrows, &plan, dir, &prelude, out, err);
        ag_arena_release(&a);
    }
    ag_plan_release(&plan);
    free(rows);
    return rc;
}

int ag_runner_sql_run(ag_runner *r, long run, FILE *out, ag_error *err)
{
    /* Read where the database stands and what the run applied, in the
     * `schema:` setting, without writing. */
    ag_arena a = AG_ARENA_INIT;
    ag_strs setup = { 0 };
    schema_sql(r, &a, false, &setup);
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < setup.n; i++)
        rc = r->dialect->exec(r->db, setup.v[i], err);
    ag_rev **rows = NULL;
    size_t nrows = 0;
    if (rc == AG_OK)
        rc = ag_runner_current(r, &rows, &nrows, err);
    ag_plan plan = { 0 };
    ag_direction dir = AG_DOWNGRADE;
    r->log.revert = run;
    if (rc == AG_OK)
        rc = plan_run(r, "", rows, nrows, &plan, &dir, err);
    if (rc == AG_OK) {
        ag_strs prelude = { 0 };
        script_prelude(r, &a, &prelude);
        rc = emit_plan(r, rows, nrows, &plan, dir, &prelude, out, err);
    }
    ag_plan_release(&plan);
    free(rows);
    ag_arena_release(&a);
    return rc;
}

int ag_runner_revision_sql(ag_runner *r, ag_rev *rev, FILE *out, ag_error *err)
{
    ag_rev **rows = ag_xcalloc(r->graph->n + 1, sizeof(*rows));
    memcpy(rows, rev->parents, rev->nparents * sizeof(*rows));
    ag_plan plan = { .revs = &rev, .n = 1 };
    int rc = emit_plan(r, rows, rev->nparents, &plan, AG_UPGRADE, NULL, out, err);
    free(rows);
    return rc;
}

int ag_runner_replay(ag_runner *r, ag_rev *upto, ag_schema **out, ag_error *err)
{
    ag_plan plan = { 0 };
    *out = NULL;
    int rc = ag_graph_plan_upgrade(&plan, r->graph, NULL, 0, &upto, 1, err);
    collect_item *items = ag_xcalloc(plan.n + 1, sizeof(*items));
    for (size_t i = 0; i < plan.n; i++)
        items[i] = (collect_item){ .rev = plan.revs[i], .dir = AG_UPGRADE, .ops = ag_oplist_new() };
    ag_schema *state = ag_schema_new();
    ag_opcache *oc = rc == AG_OK ? ag_opcache_open(r->opcache_path) : NULL;
    if (rc == AG_OK)
        rc = collect_all(r, oc, items, plan.n, err);
    ag_opcache_close(oc);
    if (rc == AG_OK)
        rc = replay(r, state, items, plan.n, err);
    for (size_t i = 0; i < plan.n; i++)
        ag_oplist_free(items[i].ops);
    free(items);
    ag_plan_release(&plan);
    if (rc == AG_OK)
        *out = state;
    else
        ag_schema_free(state);
    return rc;
}

int ag_runner_replay_all(ag_runner *r, const ag_replay_visit *v, ag_schema **final, ag_error *err)
{
    *final = NULL;
    size_t n = r->graph->n, nitems = n;
    /* Every upgrade, then the downgrades of the revisions visited. */
    collect_item *items = ag_xcalloc(2 * n + 1, sizeof(*items));
    size_t *down = ag_xcalloc(n + 1, sizeof(*down)); /* index of a rev's downgrade item, or 0 */
    for (size_t i = 0; i < n; i++) {
        ag_rev *rev = r->graph->revs[i];
        items[i] = (collect_item){ .rev = rev, .dir = AG_UPGRADE, .ops = ag_oplist_new() };
        if (v && v->want && v->want(v->arg, rev)) {
            down[i] = nitems;
            items[nitems++] =
                (collect_item){ .rev = rev, .dir = AG_DOWNGRADE, .ops = ag_oplist_new() };
        }
    }
    ag_opcache *oc = ag_opcache_open(r->opcache_path);
    int rc = collect_all(r, oc, items, nitems, err);
    ag_opcache_close(oc);
    ag_schema *state = ag_schema_new();
    ag_arena a = AG_ARENA_INIT; /* one revision's statements */
    for (size_t i = 0; rc == AG_OK && i < n; i++) {
        ag_rev *rev = items[i].rev;
        ag_oplist *ops = items[i].ops;
        if (!down[i]) {
            rc = replay(r, state, &items[i], 1, err);
            continue;
        }
        if (v->before)
            v->before(v->arg, rev, state, ops, items[down[i]].ops);
        ag_strs stmts = { 0 };
        for (size_t k = 0; rc == AG_OK && k < ops->n; k++) {
            ag_opdef *op = ops->ops[k];
            if (drops_unknown_table(state, op))
                stub_unknown_table(r, state, rev, op, false);
            rc = complete_alter(&ops->arena, state, op, err);
            if (rc == AG_OK)
                rc = r->dialect->render(&a, state, op, &stmts, err);
            if (rc == AG_OK)
                rc = replay_op(r, state, op, err);
        }
        if (rc == AG_OK && v->rendered)
            v->rendered(v->arg, rev, ops, &stmts);
        ag_arena_release(&a);
    }
    if (rc != AG_OK)
        ag_error_prefix(err, "replaying the migrations offline");
    for (size_t i = 0; i < nitems; i++)
        ag_oplist_free(items[i].ops);
    free(items);
    free(down);
    ag_arena_release(&a);
    if (rc == AG_OK)
        *final = state;
    else
        ag_schema_free(state);
    return rc;
}
