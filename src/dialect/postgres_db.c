/* postgres_db.c - the PostgreSQL connection: statements, queries, transactions.
 *
 * libpq, one connection per project. A run holds a session advisory lock
 * from before its BEGIN until after its COMMIT or ROLLBACK, so two runners
 * against one database queue instead of both applying a migration, also
 * while a `transactional = 0` migration runs between two transactions of the
 * run. It is tried (pg_try_advisory_lock) until a timeout, so that the wait
 * can be announced and bounded. A runner that dies loses its session and the
 * lock. Errors carry the server's message and never the password (libpq's
 * own messages do not echo it; URLs are printed masked by the caller).
 *
 * libpq is loaded with dlopen on the first connection, not linked: it brings
 * some twenty shared libraries (TLS, Kerberos, LDAP) whose loading would cost
 * every command, SQLite ones included, several milliseconds of start-up.
 */
#include "../util/common.h"
#include "postgres_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct ag_db {
    PGconn *conn;
    bool locked; /* the run's advisory lock is held */
};

/* The advisory lock key: "autogen" as a number, the same for every runner. */
#define AG_PG_LOCK_KEY "7016996765293437281"

/* The libpq functions used here, resolved by pq_load(). */
static struct {
    __typeof__(PQclear) *clear;
    __typeof__(PQconnectdb) *connectdb;
    __typeof__(PQconnectdbParams) *connectdbParams;
    __typeof__(PQerrorMessage) *errorMessage;
    __typeof__(PQexec) *exec;
    __typeof__(PQexecParams) *execParams;
    __typeof__(PQfinish) *finish;
    __typeof__(PQgetResult) *getResult;
    __typeof__(PQgetisnull) *getisnull;
    __typeof__(PQgetlength) *getlength;
    __typeof__(PQgetvalue) *getvalue;
    __typeof__(PQnfields) *nfields;
    __typeof__(PQntuples) *ntuples;
    __typeof__(PQresultErrorField) *resultErrorField;
    __typeof__(PQresultErrorMessage) *resultErrorMessage;
    __typeof__(PQresultStatus) *resultStatus;
    __typeof__(PQsendQueryParams) *sendQueryParams;
    __typeof__(PQsetSingleRowMode) *setSingleRowMode;
    __typeof__(PQstatus) *status;
    __typeof__(PQtransactionStatus) *transactionStatus;
} pq;

#ifndef AG_LIBPQ_SONAME
#define AG_LIBPQ_SONAME "libpq.so.5"
#endif

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_error[300];

static void pq_resolve(void)
{
    void *h = dlopen(AG_LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(pq_error, sizeof(pq_error), "%s", dlerror());
        return;
    }
    struct {
        const char *name;
        void **slot;
    } const want[] = {
        { "PQclear", (void **)&pq.clear },
        { "PQconnectdb", (void **)&pq.connectdb },
        { "PQconnectdbParams", (void **)&pq.connectdbParams },
        { "PQerrorMessage", (void **)&pq.errorMessage },
        { "PQexec", (void **)&pq.exec },
        { "PQexecParams", (void **)&pq.execParams },
        { "PQfinish", (void **)&pq.finish },
        { "PQgetResult", (void **)&pq.getResult },
        { "PQgetisnull", (void **)&pq.getisnull },
        { "PQgetlength", (void **)&pq.getlength },
        { "PQgetvalue", (void **)&pq.getvalue },
        { "PQnfields", (void **)&pq.nfields },
        { "PQntuples", (void **)&pq.ntuples },
        { "PQresultErrorField", (void **)&pq.resultErrorField },
        { "PQresultErrorMessage", (void **)&pq.resultErrorMessage },
        { "PQresultStatus", (void **)&pq.resultStatus },
        { "PQsendQueryParams", (void **)&pq.sendQueryParams },
        { "PQsetSingleRowMode", (void **)&pq.setSingleRowMode },
        { "PQstatus", (void **)&pq.status },
        { "PQtransactionStatus", (void **)&pq.transactionStatus },
    };
    for (size_t i = 0; i < AG_NELEM(want); i++) {
        void *fn = dlsym(h, want[i].name);
        if (!fn) {
            snprintf(pq_error, sizeof(pq_error), "%s has no %s", AG_LIBPQ_SONAME, want[i].name);
            memset(&pq, 0, sizeof(pq));
            return;
        }
        memcpy(want[i].slot, &fn, sizeof(fn));
    }
}

/* Load libpq once per process; an error that says what to install if it cannot. */
static int pq_load(ag_error *err)
{
    pthread_once(&pq_once, pq_resolve);
    if (pq.connectdb)
        return AG_OK;
    return ag_error_set(err, AG_EDB,
                        "PostgreSQL needs libpq, which cannot be loaded (%s); install the libpq5 "
                        "package",
                        pq_error);
}

static int pg_error(ag_db *db, PGresult *res, const char *sql, ag_error *err)
{
    const char *msg = res ? pq.resultErrorMessage(res) : pq.errorMessage(db->conn);
    char clean[700];
    snprintf(clean, sizeof(clean), "%s", msg && *msg ? msg : "unknown error");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    /* First line only: the rest is libpq's context and caret. */
    char *nl = strchr(clean, '\n');
    if (nl)
        *nl = '\0';
    if (strncmp(clean, "ERROR:  ", 8) == 0)
        memmove(clean, clean + 8, strlen(clean + 8) + 1);
    /* lock_not_available: lock_timeout (autogen.yaml) ran out. */
    const char *state = res ? pq.resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "55P03") == 0) {
        size_t len = strlen(clean);
        snprintf(clean + len, sizeof(clean) - len,
                 ": the lock was not obtained in time (lock_timeout in autogen.yaml): another "
                 "session holds a lock on the table; retry when it is done, or raise "
                 "lock_timeout");
    }
    if (sql) {
        size_t len = strlen(sql);
        return ag_error_set(err, AG_EDB, "postgresql: %s (in: %.*s%s)", clean,
                            len > 160 ? 160 : (int)len, sql, len > 160 ? "…" : "");
    }
    return ag_error_set(err, AG_EDB, "postgresql: %s", clean);
}

static int pg_connect(ag_db **out, const ag_url *url, ag_error *err)
{
    int lrc = pq_load(err);
    if (lrc != AG_OK)
        return lrc;
    *out = NULL;
    ag_db *db = ag_xcalloc(1, sizeof(*db));
    if (url->dbname) {
        /* The URL's settings, with another database (a later dbname wins). */
        const char *const keys[] = { "dbname", "dbname", NULL };
        const char *const values[] = { url->conninfo, url->dbname, NULL };
        db->conn = pq.connectdbParams(keys, values, 1);
    } else {
        db->conn = pq.connectdb(url->conninfo);
    }
    if (!db->conn || pq.status(db->conn) != CONNECTION_OK) {
        char msg[600];
        snprintf(msg, sizeof(msg), "%s", db->conn ? pq.errorMessage(db->conn) : "out of memory");
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        int rc =
            ag_error_set(err, AG_EDB, "postgresql: cannot connect to %s: %s", url->display, msg);
        pq.finish(db->conn);
        free(db);
        return rc;
    }
    /* Quiet NOTICEs (IF NOT EXISTS and friends); errors still come back.
     * application_name lets another runner's wait name this session. */
    pq.clear(pq.exec(db->conn, "SET client_min_messages = warning"));
    pq.clear(pq.exec(db->conn, "SET application_name = 'autogen'"));
    *out = db;
    return AG_OK;
}

static void pg_disconnect(ag_db *db)
{
    if (!db)
        return;
    pq.finish(db->conn);
    free(db);
}

static int pg_exec(ag_db *db, const char *sql, ag_error *err)
{
    PGresult *res = pq.exec(db->conn, sql);
    ExecStatusType st = pq.resultStatus(res);
    int rc = AG_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = pg_error(db, res, sql, err);
    pq.clear(res);
    return rc;
}

/* A row at a time (libpq's single-row mode), each copied and its result
 * freed: the whole result beside its copy would double the memory of a large
 * catalog query (at 10,000 tables, the column list: bench/README.md, "Scale"). */
static int pg_query(ag_db *db,
                    const char *sql,
                    const char *const *params,
                    size_t nparams,
                    ag_rows *out,
                    ag_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!pq.sendQueryParams(db->conn, sql, (int)nparams, NULL, params, NULL, NULL, 0))
        return pg_error(db, NULL, sql, err);
    pq.setSingleRowMode(db->conn);
    int rc = AG_OK;
    size_t cap = 0;
    PGresult *res;
    while ((res = pq.getResult(db->conn)) != NULL) {
        ExecStatusType st = pq.resultStatus(res);
        if (rc != AG_OK || (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK)) {
            if (rc == AG_OK)
                rc = pg_error(db, res, sql, err);
            pq.clear(res); /* the rest of the results, until there are none */
            continue;
        }
        out->ncols = (size_t)pq.nfields(res);
        for (int r = 0; r < pq.ntuples(res); r++) {
            if ((out->nrows + 1) * out->ncols > cap) {
                cap = cap ? cap * 2 : 16 * (out->ncols ? out->ncols : 1);
                out->cells = ag_xrealloc(out->cells, cap * sizeof(char *));
            }
            for (size_t c = 0; c < out->ncols; c++)
                out->cells[out->nrows * out->ncols + c] =
                    pq.getisnull(res, r, (int)c)
                        ? NULL
                        : ag_arena_strndup(&out->arena, pq.getvalue(res, r, (int)c),
                                           (size_t)pq.getlength(res, r, (int)c));
            out->nrows++;
        }
        pq.clear(res);
    }
    if (rc != AG_OK)
        ag_rows_release(out);
    else if (!out->cells)
        out->cells = ag_xcalloc(1, sizeof(char *));
    return rc;
}

static void pg_unlock(ag_db *db)
{
    if (db->locked)
        pg_exec(db, "SELECT pg_advisory_unlock(" AG_PG_LOCK_KEY ")", NULL);
    db->locked = false;
}

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Who holds the run's advisory lock in this database: "pid N (application
 * 'NAME')", or what is known when the server does not say. */
static void lock_holder(ag_db *db, char *out, size_t size)
{
    ag_rows r;
    int rc = pg_query(db,
                      "SELECT a.pid, a.application_name FROM pg_catalog.pg_locks l "
                      "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
                      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                      "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
                      "WHERE datname = pg_catalog.current_database()) "
                      "AND l.classid::int8 = (" AG_PG_LOCK_KEY "::int8 >> 32) "
                      "AND l.objid::int8 = (" AG_PG_LOCK_KEY "::int8 & 4294967295)",
                      NULL, 0, &r, NULL);
    const char *pid = rc == AG_OK && r.nrows ? ag_rows_get(&r, 0, 0) : NULL;
    const char *app = pid ? ag_rows_get(&r, 0, 1) : NULL;
    if (pid && app)
        snprintf(out, size, "the session of pid %s (application '%s') holds it", pid, app);
    else if (pid) /* another role's session, its details hidden from ours */
        snprintf(out, size, "the session of pid %s (application not shown to this role) holds it",
                 pid);
    else
        snprintf(out, size, "another session holds it (the server does not show which)");
    if (rc == AG_OK)
        ag_rows_release(&r);
}

/* The run's advisory lock, tried without blocking so that the wait can be
 * announced after a second and bounded by wait->timeout. */
static int pg_lock(ag_db *db, ag_lock_wait *wait, ag_error *err)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool announced = false;
    wait->timed_out = false;
    for (;;) {
        ag_rows r;
        int rc = pg_query(db, "SELECT pg_try_advisory_lock(" AG_PG_LOCK_KEY ")", NULL, 0, &r, err);
        if (rc != AG_OK)
            return rc;
        bool got = r.nrows && ag_rows_get(&r, 0, 0) && strcmp(ag_rows_get(&r, 0, 0), "t") == 0;
        ag_rows_release(&r);
        if (got)
            return AG_OK;
        double waited = seconds_since(&start), left = wait->timeout - waited;
        if (left <= 0) {
            wait->timed_out = true;
            lock_holder(db, wait->holder, sizeof(wait->holder));
            return ag_error_set(err, AG_EDB, "postgresql: the run's advisory lock is taken: %s",
                                wait->holder);
        }
        if (!announced && waited >= 1.0 && !wait->quiet) {
            char who[256];
            lock_holder(db, who, sizeof(who));
            ag_emitf(wait->events, AG_EVENT_WAITING,
                     "waiting for the run's advisory lock (another runner's): %s "
                     "(giving up after %g s; --lock-timeout)",
                     who, wait->timeout);
            announced = true;
        }
        struct timespec nap = { 0, left < 0.1 ? (long)(left * 1e9) : 100000000L };
        nanosleep(&nap, NULL);
    }
}

static int pg_begin_locked(ag_db *db, ag_lock_wait *wait, ag_error *err)
{
    int rc = pg_lock(db, wait, err);
    db->locked = rc == AG_OK;
    if (rc == AG_OK && wait->statement_lock_timeout) {
        /* Session-wide, before BEGIN, so that a rollback does not undo it. */
        char sql[96];
        snprintf(sql, sizeof(sql), "SET lock_timeout = '%s'", wait->statement_lock_timeout);
        rc = pg_exec(db, sql, err);
    }
    if (rc == AG_OK)
        rc = pg_exec(db, "BEGIN", err);
    if (rc != AG_OK)
        pg_unlock(db);
    return rc;
}

static int pg_commit(ag_db *db, ag_error *err)
{
    int rc = pg_exec(db, "COMMIT", err);
    pg_unlock(db);
    return rc;
}

static int pg_rollback(ag_db *db, ag_error *err)
{
    int rc = AG_OK;
    if (pq.transactionStatus(db->conn) != PQTRANS_IDLE)
        rc = pg_exec(db, "ROLLBACK", err);
    pg_unlock(db);
    return rc;
}

bool ag_pg__in_transaction(ag_db *db)
{
    return pq.transactionStatus(db->conn) != PQTRANS_IDLE;
}

/* Leave the run's transaction (its work commits) and come back, the lock held. */
static int pg_autocommit(ag_db *db, bool on, ag_error *err)
{
    return pg_exec(db, on ? "COMMIT" : "BEGIN", err);
}

static int pg_has_table(ag_db *db, const char *name, bool *out, ag_error *err)
{
    ag_rows r;
    const char *p[1] = { name };
    int rc = pg_query(db,
                      "SELECT 1 FROM pg_catalog.pg_class c "
                      "WHERE c.relname = $1 AND c.relkind IN ('r', 'p') "
                      "AND pg_catalog.pg_table_is_visible(c.oid)",
                      p, 1, &r, err);
    *out = rc == AG_OK && r.nrows > 0;
    ag_rows_release(&r);
    return rc;
}

static int pg_scratch_create(ag_url *url, ag_error *err)
{
    ag_db *db = NULL;
    int rc = pg_connect(&db, url, err);
    if (rc != AG_OK)
        return rc;
    char name[64];
    snprintf(name, sizeof(name), "autogen_scratch_%ld_%ld", (long)getpid(), (long)time(NULL));
    char sql[128];
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", name);
    rc = pg_exec(db, sql, err);
    pg_disconnect(db);
    if (rc == AG_OK) {
        free(url->dbname);
        url->dbname = ag_xstrdup(name);
    }
    return rc;
}

static int pg_scratch_drop(ag_url *url, ag_error *err)
{
    char *name = url->dbname;
    url->dbname = NULL;
    ag_db *db = NULL;
    int rc = pg_connect(&db, url, err);
    if (rc == AG_OK && name) {
        char sql[128];
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
        rc = pg_exec(db, sql, err);
    }
    pg_disconnect(db);
    free(name);
    return rc;
}

const ag_dialect ag_dialect_postgres = {
    .name = "postgresql",
    .title = "PostgreSQL",
    .caps = AG_CAP_ALTER_COLUMN | AG_CAP_ENUM_TYPES | AG_CAP_SCHEMAS | AG_CAP_COMMENTS |
            AG_CAP_INDEX_METHODS | AG_CAP_TRANSACTIONAL_DDL | AG_CAP_ENUM_COMMIT |
            AG_CAP_DEFERRABLE_UNIQUE | AG_CAP_TABLE_OPTIONS,
    .max_identifier = 63, /* NAMEDATALEN - 1: longer names are cut short */
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .query = pg_query,
    .begin_locked = pg_begin_locked,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .autocommit = pg_autocommit,
    .schema_sql = ag_pg__schema_sql,
    .has_table = pg_has_table,
    /* now(): when the migration's transaction started. */
    .now_sql = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
    .scratch_create = pg_scratch_create,
    .scratch_drop = pg_scratch_drop,
    .introspect = ag_pg__introspect,
    .render = ag_pg__render,
    .type_sql = ag_pg__type_sql,
    .type_reduce = ag_pg__type_reduce,
    .collation_same = ag_pg__collation_same,
    .normalize_exprs = ag_pg__normalize_exprs,
    .prerequisites = ag_pg__prerequisites,
    .baseline_extras = ag_pg__baseline_extras,
};
