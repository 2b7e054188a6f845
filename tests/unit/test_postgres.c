/* test_postgres.c - the PostgreSQL connection against a real server (the
 * throwaway cluster ctest starts: tests/pg/cluster.sh). Never skipped: without
 * a server the test fails and says how to get one. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/postgres_internal.h"
#include "util/fs.h"

#include <stdio.h>

static const ag_dialect *d = &ag_dialect_postgres;
static char url[512];

static int find_server(void **state)
{
    (void)state;
    const char *file = getenv("AG_PG_URL_FILE");
    char *text = file ? ag_read_file(file, NULL, NULL) : NULL;
    if (!text) {
        fprintf(stderr, "test_postgres: no server; run it through ctest, which starts one "
                        "(tests/pg/cluster.sh)\n");
        return -1;
    }
    snprintf(url, sizeof(url), "%s", text);
    url[strcspn(url, "\n")] = '\0';
    free(text);
    return 0;
}

static ag_db *connect_url(const char *u, ag_error *err)
{
    ag_url pu = { 0 };
    assert_int_equal(ag_url_parse(&pu, u, ".", err), AG_OK);
    ag_db *db = NULL;
    int rc = d->connect(&db, &pu, err);
    ag_url_release(&pu);
    return rc == AG_OK ? db : NULL;
}

static void test_postgres__exec_query_params(void **state)
{
    (void)state;
    ag_error err = { 0 };
    ag_db *db = connect_url(url, &err);
    assert_non_null(db);
    assert_int_equal(d->exec(db, "CREATE TABLE IF NOT EXISTS t1 (a int, b text)", &err), AG_OK);
    assert_int_equal(d->exec(db, "TRUNCATE t1; INSERT INTO t1 VALUES (1, 'x'), (2, NULL)", &err),
                     AG_OK);
    ag_rows r;
    const char *p[1] = { "1" };
    assert_int_equal(
        d->query(db, "SELECT a, b FROM t1 WHERE a > $1::int - 1 ORDER BY a", p, 1, &r, &err),
        AG_OK);
    assert_int_equal(r.nrows, 2);
    assert_string_equal(ag_rows_get(&r, 0, 1), "x");
    assert_null(ag_rows_get(&r, 1, 1));
    ag_rows_release(&r);
    bool exists = false;
    assert_int_equal(d->has_table(db, "t1", &exists, &err), AG_OK);
    assert_true(exists);
    assert_int_equal(d->has_table(db, "nope", &exists, &err), AG_OK);
    assert_false(exists);
    assert_int_equal(d->exec(db, "SELECT * FROM nope", &err), AG_EDB);
    assert_string_equal(err.msg, "postgresql: relation \"nope\" does not exist (in: SELECT * FROM "
                                 "nope)");
    d->disconnect(db);
}

static void test_postgres__transactions_roll_back_ddl(void **state)
{
    (void)state;
    ag_error err = { 0 };
    ag_lock_wait wait = { .timeout = 5 };
    ag_db *db = connect_url(url, &err);
    assert_non_null(db);
    assert_int_equal(d->begin_locked(db, &wait, &err), AG_OK);
    assert_int_equal(d->exec(db, "CREATE TABLE rolled_back (a int)", &err), AG_OK);
    assert_int_equal(d->rollback(db, &err), AG_OK);
    bool exists = true;
    assert_int_equal(d->has_table(db, "rolled_back", &exists, &err), AG_OK);
    assert_false(exists);
    d->disconnect(db);
}

static void test_postgres__advisory_lock_serialises_runners(void **state)
{
    (void)state;
    ag_error err = { 0 };
    ag_lock_wait wait = { .timeout = 5 };
    ag_db *a = connect_url(url, &err), *b = connect_url(url, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(d->begin_locked(a, &wait, &err), AG_OK);
    /* While a holds the lock, b cannot take it (tried without waiting). */
    ag_rows r;
    assert_int_equal(
        d->query(b, "SELECT pg_try_advisory_lock(7016996765293437281)", NULL, 0, &r, &err), AG_OK);
    assert_string_equal(ag_rows_get(&r, 0, 0), "f");
    ag_rows_release(&r);
    /* Nor between two transactions of a's run (a `transactional = 0` migration). */
    assert_int_equal(d->autocommit(a, true, &err), AG_OK);
    assert_int_equal(
        d->query(b, "SELECT pg_try_advisory_lock(7016996765293437281)", NULL, 0, &r, &err), AG_OK);
    assert_string_equal(ag_rows_get(&r, 0, 0), "f");
    ag_rows_release(&r);
    assert_int_equal(d->autocommit(a, false, &err), AG_OK);
    assert_int_equal(d->commit(a, &err), AG_OK);
    assert_int_equal(d->begin_locked(b, &wait, &err), AG_OK);
    assert_int_equal(d->commit(b, &err), AG_OK);
    d->disconnect(a);
    d->disconnect(b);
}

static void test_postgres__connection_errors_hide_the_password(void **state)
{
    (void)state;
    ag_error err = { 0 };
    char bad[600];
    /* A database that does not exist, reached with a password in the URL. */
    const char *host = strstr(url, "?host=");
    snprintf(bad, sizeof(bad), "postgresql://postgres:s3cret@/no_such_db%s", host ? host : "");
    assert_null(connect_url(bad, &err));
    assert_int_equal(err.code, AG_EDB);
    assert_non_null(strstr(err.msg, "no_such_db"));
    assert_null(strstr(err.msg, "s3cret"));
    assert_non_null(strstr(err.msg, "postgres:***@"));
    /* A server that is not there. */
    assert_null(connect_url("postgresql://u:s3cret@/db?host=/nonexistent-dir", &err));
    assert_non_null(strstr(err.msg, "cannot connect"));
    assert_null(strstr(err.msg, "s3cret"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postgres__exec_query_params),
        cmocka_unit_test(test_postgres__transactions_roll_back_ddl),
        cmocka_unit_test(test_postgres__advisory_lock_serialises_runners),
        cmocka_unit_test(test_postgres__connection_errors_hide_the_password),
    };
    return cmocka_run_group_tests(tests, find_server, NULL);
}
