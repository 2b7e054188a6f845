/* sqlite_db.c - the SQLite connection: statements, queries, transactions.
 *
 * foreign_keys stays OFF on our connections (SQLite's default): a table
 * rebuild must be able to drop a table that others reference. Integrity is
 * checked instead at the end of every migration (verify: foreign_key_check).
 * Offline scripts do the same (sq_script_prelude, sq_script_verify).
 */
#include "../util/common.h"
#include "sqlite_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct ag_db {
    sqlite3 *h;
};

/* How long a statement waits for another connection's lock (begin_locked
 * waits as its caller says instead). */
#define SQ_BUSY_MS 60000

static int db_error(ag_db *db, ag_error *err, const char *sql)
{
    const char *msg = sqlite3_errmsg(db->h);
    if (sql) {
        /* The statement, abbreviated at a character boundary. */
        size_t n = strlen(sql), keep = n > 160 ? 160 : n;
        while (keep < n && keep > 0 && ((unsigned char)sql[keep] & 0xC0) == 0x80)
            keep--;
        return ag_error_set(err, AG_EDB, "sqlite: %s (in: %.*s%s)", msg, (int)keep, sql,
                            keep < n ? "…" : "");
    }
    return ag_error_set(err, AG_EDB, "sqlite: %s", msg);
}

/* What to open for url: read-only commands and mode=ro never write, only
 * mode=rwc creates; a command that only reads sees a missing file as an
 * empty database (an in-memory one), so that it creates nothing. */
static int open_args(const ag_url *url, const char **path, int *flags, ag_error *err)
{
    *path = url->path;
    bool memory = strcmp(url->path, ":memory:") == 0;
    bool missing = !memory && access(url->path, F_OK) != 0 && errno == ENOENT;
    if (missing && url->read_only) {
        *path = ":memory:";
        *flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        return AG_OK;
    }
    if (missing && url->mode != AG_MODE_RWC)
        return ag_error_set(err, AG_ENOTFOUND,
                            "sqlite: the database '%s' does not exist, and the URL says "
                            "mode=%s, which does not create it",
                            url->path, url->mode == AG_MODE_RO ? "ro" : "rw");
    if (memory)
        *flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else if (url->read_only || url->mode == AG_MODE_RO)
        *flags = SQLITE_OPEN_READONLY;
    else
        *flags = SQLITE_OPEN_READWRITE | (url->mode == AG_MODE_RWC ? SQLITE_OPEN_CREATE : 0);
    return AG_OK;
}

static int sq_connect(ag_db **out, const ag_url *url, ag_error *err)
{
    *out = NULL;
    const char *path;
    int flags;
    int rc = open_args(url, &path, &flags, err);
    if (rc != AG_OK)
        return rc;
    ag_db *db = ag_xcalloc(1, sizeof(*db));
    rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = ag_error_set(err, AG_EDB, "sqlite: cannot open '%s': %s", url->path,
                          db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        sqlite3_close(db->h);
        free(db);
        return rc;
    }
    /* A second runner waits for the first one's write lock instead of failing. */
    sqlite3_busy_timeout(db->h, SQ_BUSY_MS);
    /* Explicitly, whatever the library was built with: see the top of the file. */
    char *msg = NULL;
    if (sqlite3_exec(db->h, "PRAGMA foreign_keys = OFF", NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        rc = db_error(db, err, NULL);
        sqlite3_close(db->h);
        free(db);
        return rc;
    }
    *out = db;
    return AG_OK;
}

static void sq_disconnect(ag_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->h);
    free(db);
}

static int sq_exec(ag_db *db, const char *sql, ag_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return db_error(db, err, sql);
    }
    return AG_OK;
}

static int sq_query(ag_db *db,
                    const char *sql,
                    const char *const *params,
                    size_t nparams,
                    ag_rows *out,
                    ag_error *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(db, err, sql);
    for (size_t i = 0; i < nparams; i++)
        sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_TRANSIENT);
    out->ncols = (size_t)sqlite3_column_count(st);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((out->nrows + 1) * out->ncols > cap) {
            cap = cap ? cap * 2 : 16 * (out->ncols ? out->ncols : 1);
            char **cells = ag_xrealloc(out->cells, cap * sizeof(char *));
            out->cells = cells;
        }
        for (size_t c = 0; c < out->ncols; c++) {
            const unsigned char *v = sqlite3_column_text(st, (int)c);
            out->cells[out->nrows * out->ncols + c] =
                v ? ag_arena_strndup(&out->arena, (const char *)v,
                                     (size_t)sqlite3_column_bytes(st, (int)c))
                  : NULL;
        }
        out->nrows++;
    }
    int result = AG_OK;
    if (rc != SQLITE_DONE) {
        result = db_error(db, err, sql);
        ag_rows_release(out);
    }
    sqlite3_finalize(st);
    return result;
}

int ag_sqlite__each(ag_db *db, const char *sql, ag_sqlite_row_fn fn, void *arg, ag_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(db, err, sql);
    const char *cells[16];
    size_t ncols = (size_t)sqlite3_column_count(st);
    if (ncols > AG_NELEM(cells))
        ncols = AG_NELEM(cells);
    int rc;
    bool more = true;
    while (more && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t c = 0; c < ncols; c++)
            cells[c] = (const char *)sqlite3_column_text(st, (int)c);
        more = fn(arg, cells, ncols);
    }
    int result = more && rc != SQLITE_DONE ? db_error(db, err, sql) : AG_OK;
    sqlite3_finalize(st);
    return result;
}

/* While BEGIN IMMEDIATE waits for another connection's write lock. */
typedef struct sq_waiting {
    sqlite3 *h;
    ag_lock_wait *wait;
    struct timespec start;
    bool announced;
} sq_waiting;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static const char *db_file(sqlite3 *h)
{
    const char *f = sqlite3_db_filename(h, "main");
    return f && *f ? f : ":memory:";
}

/* The busy handler of begin_locked: say after a second what it waits for,
 * give up after the timeout, else sleep a little and try again. */
static int sq_busy(void *arg, int count)
{
    (void)count;
    sq_waiting *w = arg;
    double waited = seconds_since(&w->start), left = w->wait->timeout - waited;
    if (left <= 0) {
        w->wait->timed_out = true;
        return 0;
    }
    if (!w->announced && waited >= 1.0 && !w->wait->quiet) {
        ag_emitf(w->wait->events, AG_EVENT_WAITING,
                 "waiting for the write lock on the database file '%s': another "
                 "connection holds it (giving up after %g s; --lock-timeout)",
                 db_file(w->h), w->wait->timeout);
        w->announced = true;
    }
    struct timespec nap = { 0, left < 0.05 ? (long)(left * 1e9) : 50000000L };
    nanosleep(&nap, NULL);
    return 1;
}

static int sq_begin_locked(ag_db *db, ag_lock_wait *wait, ag_error *err)
{
    sq_waiting w = { db->h, wait, { 0, 0 }, false };
    clock_gettime(CLOCK_MONOTONIC, &w.start);
    wait->timed_out = false;
    sqlite3_busy_handler(db->h, sq_busy, &w);
    int rc = sq_exec(db, "BEGIN IMMEDIATE", err);
    /* Other statements wait as on connect; after a timeout, not for long. */
    sqlite3_busy_timeout(db->h, wait->timed_out ? 1000 : SQ_BUSY_MS);
    if (wait->timed_out)
        snprintf(wait->holder, sizeof(wait->holder),
                 "another connection holds the write lock on the database file '%s'",
                 db_file(db->h));
    return rc;
}

static int sq_commit(ag_db *db, ag_error *err)
{
    return sq_exec(db, "COMMIT", err);
}

static int sq_rollback(ag_db *db, ag_error *err)
{
    if (sqlite3_get_autocommit(db->h))
        return AG_OK;
    return sq_exec(db, "ROLLBACK", err);
}

static int sq_verify(ag_db *db, ag_error *err)
{
    ag_rows r;
    int rc = sq_query(db, "PRAGMA foreign_key_check", NULL, 0, &r, err);
    if (rc != AG_OK)
        return rc;
    if (r.nrows > 0) {
        const char *t = ag_rows_get(&r, 0, 0), *rowid = ag_rows_get(&r, 0, 1),
                   *parent = ag_rows_get(&r, 0, 2);
        rc = ag_error_set(err, AG_EDB,
                          "sqlite: foreign key violation: row %s of '%s' references a missing "
                          "row of '%s' (%zu violation%s in all)",
                          rowid ? rowid : "?", t ? t : "?", parent ? parent : "?", r.nrows,
                          r.nrows == 1 ? "" : "s");
    }
    ag_rows_release(&r);
    return rc;
}

/* Offline, the same as a connection and sq_verify: foreign keys off before
 * any transaction (PRAGMA foreign_keys is a no-op inside one), and a check
 * before each COMMIT that rolls the migration back when a row references
 * nothing (a plain PRAGMA foreign_key_check would only print the rows). */
static const char *const sq_script_prelude[] = { "PRAGMA foreign_keys = OFF", NULL };
static const char *const sq_script_verify[] = {
    "CREATE TEMP TABLE IF NOT EXISTS _ag_foreign_key_check "
    "(foreign_key_violations INTEGER CHECK (foreign_key_violations = 0))",
    "INSERT OR ROLLBACK INTO _ag_foreign_key_check "
    "SELECT count(*) FROM pragma_foreign_key_check",
    NULL
};

static int sq_has_table(ag_db *db, const char *name, bool *out, ag_error *err)
{
    ag_rows r;
    const char *p[1] = { name };
    int rc = sq_query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", p, 1,
                      &r, err);
    *out = rc == AG_OK && r.nrows > 0;
    ag_rows_release(&r);
    return rc;
}

const ag_dialect ag_dialect_sqlite = {
    .name = "sqlite",
    .title = "SQLite",
    .caps = AG_CAP_TRANSACTIONAL_DDL | AG_CAP_VIRTUAL_COLUMNS,
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .exec = sq_exec,
    .query = sq_query,
    .begin_locked = sq_begin_locked,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .verify = sq_verify,
    .script_prelude = sq_script_prelude,
    .script_verify = sq_script_verify,
    .now_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    .has_table = sq_has_table,
    .introspect = ag_sqlite__introspect,
    .render = ag_sqlite__render,
    .type_sql = ag_sqlite__type_sql,
    .type_reduce = ag_sqlite__type_reduce,
    .collation_same = ag_sqlite__collation_same,
    .track_sql = ag_sqlite__track_sql,
    .baseline_extras = ag_sqlite__baseline_extras,
};
