/* runlog.c - the run log table; see runlog.h. */
#include "runlog.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/sha256.h"

#include <pwd.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define COLUMNS                                                                                    \
    "id, run, revision, direction, started_at, duration_ms, checksum, "                            \
    "autogen_version, run_by"

void ag_utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[20];
    if (strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        snprintf(day, sizeof(day), "1970-01-01T00:00:00");
    snprintf(out, 32, "%s.%03dZ", day, (int)(ts.tv_nsec / 1000000) % 1000);
}

const char *ag_run_by(bool no_env)
{
    static char cached[2][300];
    char *who = cached[no_env];
    if (who[0])
        return who;
    const char *user = NULL;
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && pw->pw_name[0])
        user = pw->pw_name;
    if (!user && !no_env)
        user = getenv("USER");
    char host[256] = "";
    if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
        snprintf(host, sizeof(host), "unknown");
    snprintf(who, sizeof(cached[0]), "%.40s@%.200s", user && *user ? user : "unknown", host);
    return who;
}

bool ag_file_checksum(const char *path, char out[65])
{
    size_t len = 0;
    char *text = ag_read_file(path, &len, NULL);
    if (!text)
        return false;
    ag_sha256_buf(text, len, out);
    free(text);
    return true;
}

bool ag_runlog_edited(const ag_log_rev *e, const char *path, char now[65])
{
    now[0] = '\0';
    if (!e || !e->checksum)
        return false;
    if (!ag_file_checksum(path, now))
        now[0] = '\0';
    return strcmp(now, e->checksum) != 0;
}

static void quoted_table(ag_buf *b, const char *table)
{
    ag_buf_quote_ident(b, table);
}

void ag_runlog_create_sql(
    ag_arena *a, const ag_dialect *d, const char *table, bool no_env, ag_strs *out)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "CREATE TABLE IF NOT EXISTS ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " (id BIGINT NOT NULL, run BIGINT NOT NULL, revision VARCHAR(32) NOT NULL, "
                    "direction VARCHAR(16) NOT NULL, started_at VARCHAR(32) NOT NULL, "
                    "duration_ms DOUBLE PRECISION, checksum VARCHAR(64), "
                    "autogen_version VARCHAR(32) NOT NULL, run_by VARCHAR(255) NOT NULL, "
                    "CONSTRAINT ");
    ag_buf_printf(&b, "\"%s_pkc\" PRIMARY KEY (id))", table);
    ag_strs_push_arena(a, out, ag_arena_strdup(a, b.ptr));
    /* The header row, once. */
    ag_buf_clear(&b);
    ag_buf_puts(&b, "INSERT INTO ");
    quoted_table(&b, table);
    /* The database's clock: a script says the same whenever it is made. */
    ag_buf_printf(&b, " (" COLUMNS ") SELECT 0, 0, '%d', 'layout', %s, NULL, NULL, '%s', ",
                  AG_RUN_LOG_LAYOUT, d->now_sql, AG_VERSION);
    ag_buf_quote_literal(&b, ag_run_by(no_env));
    ag_buf_puts(&b, " WHERE NOT EXISTS (SELECT 1 FROM ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " WHERE id = 0)");
    ag_strs_push_arena(a, out, ag_arena_strdup(a, b.ptr));
    ag_buf_dispose(&b);
}

/* layout_steps[i - 1] takes the log from layout i to i + 1, run in order in
 * the run's transaction: what follows "ALTER TABLE <log> ", for instance
 * "ADD COLUMN host_pid BIGINT". Layout 1 is the first, so there is no step
 * yet: the one entry is a placeholder, never run. */
static const char *const layout_steps[AG_RUN_LOG_LAYOUT] = { "" };

int ag_runlog_ensure(const ag_dialect *d, ag_db *db, const char *table, bool no_env, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_strs stmts = { 0 };
    ag_runlog_create_sql(&a, d, table, no_env, &stmts);
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < stmts.n; i++)
        rc = d->exec(db, stmts.v[i], err);
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "SELECT revision FROM ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " WHERE id = 0");
    ag_rows rows = { 0 };
    if (rc == AG_OK)
        rc = d->query(db, b.ptr, NULL, 0, &rows, err);
    long layout = rc == AG_OK && rows.nrows && ag_rows_get(&rows, 0, 0)
                      ? strtol(ag_rows_get(&rows, 0, 0), NULL, 10)
                      : AG_RUN_LOG_LAYOUT;
    ag_rows_release(&rows);
    if (rc == AG_OK && layout < 1)
        rc = ag_error_set(err, AG_ECONFLICT,
                          "the run log '%s' has no valid layout in its header row (id 0): "
                          "nothing was run; restore the row or drop the table",
                          table);
    if (rc == AG_OK && layout > AG_RUN_LOG_LAYOUT)
        rc = ag_error_set(
            err, AG_ECONFLICT,
            "the run log '%s' has layout %ld, written by a newer autogen (this one "
            "knows layouts up to %d): nothing was run; use that autogen or a newer one",
            table, layout, AG_RUN_LOG_LAYOUT);
    for (long l = layout; rc == AG_OK && l < AG_RUN_LOG_LAYOUT; l++) {
        ag_buf_clear(&b);
        ag_buf_puts(&b, "ALTER TABLE ");
        quoted_table(&b, table);
        /* cppcheck-suppress negativeIndex ; layout >= 1 was checked above */
        ag_buf_printf(&b, " %s", layout_steps[l - 1]);
        rc = d->exec(db, b.ptr, err);
        if (rc == AG_OK) {
            ag_buf_clear(&b);
            ag_buf_puts(&b, "UPDATE ");
            quoted_table(&b, table);
            ag_buf_printf(&b, " SET revision = '%ld' WHERE id = 0", l + 1);
            rc = d->exec(db, b.ptr, err);
        }
    }
    ag_buf_dispose(&b);
    ag_arena_release(&a);
    if (rc != AG_OK && err)
        ag_error_prefix(err, "the run log '%s'", table);
    return rc;
}

const char *
ag_runlog_insert_sql(ag_arena *a, const ag_dialect *d, const char *table, const ag_log_row *row)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "INSERT INTO ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " (" COLUMNS ") SELECT COALESCE(MAX(id), 0) + 1, ");
    if (row->run > 0)
        ag_buf_printf(&b, "%ld", row->run);
    else
        ag_buf_puts(&b, row->first_of_script ? "COALESCE(MAX(run), 0) + 1" : "MAX(run)");
    ag_buf_puts(&b, ", ");
    ag_buf_quote_literal(&b, row->revision);
    ag_buf_puts(&b, ", ");
    ag_buf_quote_literal(&b, row->direction);
    ag_buf_puts(&b, ", ");
    if (row->started_at)
        ag_buf_quote_literal(&b, row->started_at);
    else
        ag_buf_puts(&b, d->now_sql);
    if (row->duration_ms >= 0)
        ag_buf_printf(&b, ", %.3f, ", row->duration_ms);
    else
        ag_buf_puts(&b, ", NULL, ");
    if (row->checksum)
        ag_buf_quote_literal(&b, row->checksum);
    else
        ag_buf_puts(&b, "NULL");
    ag_buf_printf(&b, ", '%s', ", AG_VERSION);
    ag_buf_quote_literal(&b, ag_run_by(row->no_env));
    ag_buf_puts(&b, " FROM ");
    quoted_table(&b, table);
    const char *sql = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return sql;
}

void ag_runlog_values(ag_buf *b, size_t k, const ag_log_row *row)
{
    ag_buf_printf(b, "%s(%zu, %ld, ", b->len ? ", " : "", k, row->run);
    ag_buf_quote_literal(b, row->revision);
    ag_buf_puts(b, ", ");
    ag_buf_quote_literal(b, row->direction);
    ag_buf_puts(b, ", ");
    ag_buf_quote_literal(b, row->started_at);
    ag_buf_printf(b, ", %.3f, ", row->duration_ms);
    if (row->checksum)
        ag_buf_quote_literal(b, row->checksum);
    else
        ag_buf_puts(b, "NULL");
    ag_buf_printf(b, ", '%s', ", AG_VERSION);
    ag_buf_quote_literal(b, ag_run_by(row->no_env));
    ag_buf_putc(b, ')');
}

const char *ag_runlog_insert_values_sql(ag_arena *a, const char *table, const char *values)
{
    /* VALUES names its columns column1, column2… in SQLite and PostgreSQL alike. */
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "INSERT INTO ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " (" COLUMNS ") SELECT m.base + v.column1, v.column2, v.column3, v.column4, "
                    "v.column5, v.column6, v.column7, v.column8, v.column9 FROM (SELECT "
                    "COALESCE(MAX(id), 0) AS base FROM ");
    quoted_table(&b, table);
    ag_buf_puts(&b, ") AS m, (VALUES ");
    ag_buf_puts(&b, values);
    ag_buf_puts(&b, ") AS v");
    const char *sql = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return sql;
}

int ag_runlog_next_run(const ag_dialect *d, ag_db *db, const char *table, long *out, ag_error *err)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "SELECT COALESCE(MAX(run), 0) + 1 FROM ");
    quoted_table(&b, table);
    ag_rows rows = { 0 };
    int rc = d->query(db, b.ptr, NULL, 0, &rows, err);
    ag_buf_dispose(&b);
    *out = rc == AG_OK && rows.nrows && ag_rows_get(&rows, 0, 0)
               ? strtol(ag_rows_get(&rows, 0, 0), NULL, 10)
               : 1;
    ag_rows_release(&rows);
    return rc;
}

int ag_runlog_read(const ag_dialect *d, ag_db *db, const char *table, ag_runlog *out, ag_error *err)
{
    memset(out, 0, sizeof(*out));
    int rc = d->has_table(db, table, &out->exists, err);
    if (rc != AG_OK || !out->exists)
        return rc;
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "SELECT run, revision, direction, started_at, checksum, run_by FROM ");
    quoted_table(&b, table);
    ag_buf_puts(&b, " WHERE id > 0 ORDER BY id");
    ag_rows rows = { 0 };
    rc = d->query(db, b.ptr, NULL, 0, &rows, err);
    ag_buf_dispose(&b);
    ag_arena *a = &out->arena;
    for (size_t i = 0; rc == AG_OK && i < rows.nrows; i++) {
        const char *revision = ag_rows_get(&rows, i, 1), *dir = ag_rows_get(&rows, i, 2);
        if (!revision || !dir)
            continue;
        long run = ag_rows_get(&rows, i, 0) ? strtol(ag_rows_get(&rows, i, 0), NULL, 10) : 0;
        out->max_run = run > out->max_run ? run : out->max_run;
        ag_log_rev *e = ag_strmap_get(&out->by_rev, revision);
        if (!e) {
            e = ag_arena_alloc(a, sizeof(*e));
            memset(e, 0, sizeof(*e));
            e->revision = ag_arena_strdup(a, revision);
            ag_strmap_put(&out->by_rev, e->revision, e);
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->v = ag_xrealloc(out->v, out->cap * sizeof(*out->v));
            }
            out->v[out->n++] = e;
        }
        const char *sum = ag_rows_get(&rows, i, 4);
        if (strcmp(dir, "upgrade") == 0 || strcmp(dir, "stamp") == 0) {
            e->applied = true;
            e->run = run;
            e->at = ag_arena_strdup(a, ag_rows_get(&rows, i, 3));
            e->by = ag_arena_strdup(a, ag_rows_get(&rows, i, 5));
            e->direction = dir[0] == 'u' ? "upgrade" : "stamp";
            e->checksum = ag_arena_strdup(a, sum);
            if (dir[0] == 'u' && run > out->last_upgrade_run)
                out->last_upgrade_run = run;
        } else if (strcmp(dir, "checksum") == 0) {
            e->checksum = ag_arena_strdup(a, sum);
        } else if (strcmp(dir, "downgrade") == 0 || strcmp(dir, "unstamp") == 0) {
            e->applied = false;
            e->run = 0;
            e->at = e->by = e->direction = e->checksum = NULL;
        }
    }
    ag_rows_release(&rows);
    return rc;
}

void ag_runlog_release(ag_runlog *l)
{
    ag_strmap_release(&l->by_rev);
    free(l->v);
    ag_arena_release(&l->arena);
    memset(l, 0, sizeof(*l));
}
