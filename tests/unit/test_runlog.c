/* test_runlog.c - the run log table (runner/runlog.h): created once with its
 * header row, rows numbered under the run, and what the rows say of each
 * revision (applied, by which run, its checksum) read back. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "runner/runlog.h"

static const ag_dialect *d = &ag_dialect_sqlite;

static ag_db *memdb(void)
{
    ag_url u = { 0 };
    ag_error err = { 0 };
    assert_int_equal(ag_url_parse(&u, "sqlite://:memory:", ".", &err), AG_OK);
    ag_db *db = NULL;
    assert_int_equal(d->connect(&db, &u, &err), AG_OK);
    ag_url_release(&u);
    return db;
}

static void row(ag_db *db, long run, const char *rev, const char *dir, const char *sum)
{
    ag_arena a = AG_ARENA_INIT;
    ag_log_row r = { .run = run,
                     .revision = rev,
                     .direction = dir,
                     .started_at = "2026-12-01T06:30:00.000Z",
                     .duration_ms = -1,
                     .checksum = sum };
    ag_error err = { 0 };
    assert_int_equal(d->exec(db, ag_runlog_insert_sql(&a, d, "log", &r), &err), AG_OK);
    ag_arena_release(&a);
}

static void test_runlog__ensure_is_idempotent(void **state)
{
    (void)state;
    ag_db *db = memdb();
    ag_error err = { 0 };
    ag_runlog log;
    assert_int_equal(ag_runlog_read(d, db, "log", &log, &err), AG_OK);
    assert_false(log.exists);
    ag_runlog_release(&log);
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_OK);
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_OK);
    ag_rows rows = { 0 };
    assert_int_equal(d->query(db, "SELECT id, revision, direction FROM log", NULL, 0, &rows, &err),
                     AG_OK);
    assert_int_equal(rows.nrows, 1); /* the header, once */
    assert_string_equal(ag_rows_get(&rows, 0, 0), "0");
    assert_string_equal(ag_rows_get(&rows, 0, 1), "1");
    assert_string_equal(ag_rows_get(&rows, 0, 2), "layout");
    ag_rows_release(&rows);
    long run = 0;
    assert_int_equal(ag_runlog_next_run(d, db, "log", &run, &err), AG_OK);
    assert_int_equal(run, 1);
    d->disconnect(db);
}

/* A layout newer than this autogen knows is refused, not written. */
static void test_runlog__newer_layout(void **state)
{
    (void)state;
    ag_db *db = memdb();
    ag_error err = { 0 };
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_OK);
    assert_int_equal(d->exec(db, "UPDATE log SET revision = '99' WHERE id = 0", &err), AG_OK);
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_ECONFLICT);
    assert_non_null(strstr(err.msg, "layout 99, written by a newer autogen"));
    d->disconnect(db);
}

static void test_runlog__state_of_each_revision(void **state)
{
    (void)state;
    ag_db *db = memdb();
    ag_error err = { 0 };
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_OK);
    row(db, 1, "a", "upgrade", "s1");
    row(db, 1, "b", "upgrade", "s2");
    row(db, 2, "b", "downgrade", "s2");
    row(db, 3, "c", "stamp", "s3");
    row(db, 4, "a", "checksum", "s1b");
    row(db, 5, "d", "upgrade", NULL);
    row(db, 6, "d", "unstamp", NULL);
    ag_runlog log;
    assert_int_equal(ag_runlog_read(d, db, "log", &log, &err), AG_OK);
    assert_true(log.exists);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.max_run, 6);
    assert_int_equal(log.last_upgrade_run, 5);
    ag_log_rev *a = ag_runlog_get(&log, "a"), *b = ag_runlog_get(&log, "b"),
               *c = ag_runlog_get(&log, "c"), *dd = ag_runlog_get(&log, "d");
    assert_true(a->applied);
    assert_int_equal(a->run, 1);
    assert_string_equal(a->direction, "upgrade");
    assert_string_equal(a->checksum, "s1b"); /* re-recorded */
    assert_string_equal(a->at, "2026-12-01T06:30:00.000Z");
    assert_false(b->applied);
    assert_null(b->checksum);
    assert_true(c->applied);
    assert_string_equal(c->direction, "stamp");
    assert_int_equal(c->run, 3);
    assert_false(dd->applied);
    assert_null(ag_runlog_get(&log, "e"));
    /* Ids follow one another whatever the runs. */
    ag_rows rows = { 0 };
    assert_int_equal(d->query(db, "SELECT group_concat(id) FROM log", NULL, 0, &rows, &err), AG_OK);
    assert_string_equal(ag_rows_get(&rows, 0, 0), "0,1,2,3,4,5,6,7");
    ag_rows_release(&rows);
    ag_runlog_release(&log);
    d->disconnect(db);
}

/* In a script the run is the script's: the first row takes MAX(run) + 1, the
 * others that run, and the time is the database's. */
static void test_runlog__script_rows(void **state)
{
    (void)state;
    ag_db *db = memdb();
    ag_error err = { 0 };
    assert_int_equal(ag_runlog_ensure(d, db, "log", false, &err), AG_OK);
    row(db, 4, "a", "upgrade", "s1");
    ag_arena a = AG_ARENA_INIT;
    ag_log_row first = {
        .first_of_script = true, .revision = "b", .direction = "upgrade", .duration_ms = -1
    };
    ag_log_row next = { .revision = "c", .direction = "upgrade", .duration_ms = -1 };
    assert_int_equal(d->exec(db, ag_runlog_insert_sql(&a, d, "log", &first), &err), AG_OK);
    assert_int_equal(d->exec(db, ag_runlog_insert_sql(&a, d, "log", &next), &err), AG_OK);
    ag_arena_release(&a);
    ag_rows rows = { 0 };
    assert_int_equal(d->query(db,
                              "SELECT run, revision, duration_ms IS NULL, started_at LIKE "
                              "'20__-__-__T__:__:__.___Z' FROM log WHERE id > 1 ORDER BY id",
                              NULL, 0, &rows, &err),
                     AG_OK);
    assert_int_equal(rows.nrows, 2);
    assert_string_equal(ag_rows_get(&rows, 0, 0), "5");
    assert_string_equal(ag_rows_get(&rows, 1, 0), "5");
    assert_string_equal(ag_rows_get(&rows, 1, 2), "1");
    assert_string_equal(ag_rows_get(&rows, 1, 3), "1");
    ag_rows_release(&rows);
    d->disconnect(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runlog__ensure_is_idempotent),
        cmocka_unit_test(test_runlog__newer_layout),
        cmocka_unit_test(test_runlog__state_of_each_revision),
        cmocka_unit_test(test_runlog__script_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
