/* test_runner.c - the runner's savepoint and rollback paths (src/runner/runner.c),
 * on a real SQLite project in a temp folder, with the dialect's exec wrapped to
 * log every statement and to make a chosen one fail.
 *
 * The rule (README, "How migrations run"): each migration runs in its own
 * savepoint; a failing one is rolled back to it, those before it stay applied
 * and the error says where the database stands; a dry run keeps nothing. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/project/project.h"
#include "../../src/runner/runner.h"
#include "../../src/util/buf.h"
#include "../../src/util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A revision whose upgrade executes the statements given (NULL-terminated). */
static void write_rev(const char *rev, const char *down, const char *const *sql)
{
    char rel[128], text[2048], body[1024] = "";
    for (size_t i = 0; sql[i]; i++) {
        size_t n = strlen(body);
        snprintf(body + n, sizeof(body) - n, "    ag_execute(op, \"%s\");\n", sql[i]);
    }
    snprintf(rel, sizeof(rel), "versions/%s_m.c", rev);
    snprintf(text, sizeof(text),
             "#include <autogen/migration.h>\n"
             "const char *const revision = \"%s\";\n"
             "const char *const down_revision[] = { %s%s%s };\n"
             "const char *const branch_labels[] = { NULL };\n"
             "const char *const depends_on[] = { NULL };\n"
             "void upgrade(ag_op *op)\n{\n%s}\n"
             "void downgrade(ag_op *op) { (void)op; }\n",
             rev, down ? "\"" : "", down ? down : "NULL", down ? "\"" : "", body);
    write_file(rel, text);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s/ag-runner-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/versions", dir);
    mkdir(sub, 0777);
    snprintf(sub, sizeof(sub), "%s/models", dir);
    mkdir(sub, 0777);
    write_file("autogen.yaml", "models: models\nscript_location: .\nurl: sqlite:///app.db\n");
    setenv("AUTOGEN_CACHE_DIR", dir, 1);
    /* r1 creates a table; r2 creates another, then fails. */
    write_rev("r1", NULL, (const char *const[]){ "CREATE TABLE a (x INTEGER)", NULL });
    write_rev(
        "r2", "r1",
        (const char *const[]){ "CREATE TABLE b (x INTEGER)", "INSERT INTO nope VALUES (1)", NULL });
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

/* The wrapped exec: every statement logged, one line each; the statement equal
 * to fail_sql fails (fail_count times) without reaching the database. */
static int (*real_exec)(ag_db *db, const char *sql, ag_error *err);
static ag_buf exec_log;
static const char *fail_sql;
static int fail_count;

static int logging_exec(ag_db *db, const char *sql, ag_error *err)
{
    ag_buf_printf(&exec_log, "%s\n", sql);
    if (fail_sql && fail_count > 0 && strcmp(sql, fail_sql) == 0) {
        fail_count--;
        return ag_error_set(err, AG_EDB, "injected failure of '%s'", sql);
    }
    return real_exec(db, sql, err);
}

typedef struct fixture {
    ag_project *p;
    ag_runner r;
    ag_dialect wrapped;
} fixture;

static void open_fixture(fixture *fx)
{
    char config[300];
    snprintf(config, sizeof(config), "%s/autogen.yaml", dir);
    ag_project_options opts = AG_PROJECT_OPTIONS_INIT;
    opts.config_path = config;
    ag_error err = { 0 };
    assert_int_equal(ag_project_open(&fx->p, &opts, &err), AG_OK);
    fx->p->quiet = true;
    assert_int_equal(ag_project_runner(fx->p, &fx->r, &err), AG_OK);
    fx->wrapped = *fx->r.dialect;
    real_exec = fx->wrapped.exec;
    fx->wrapped.exec = logging_exec;
    fx->r.dialect = &fx->wrapped;
    ag_buf_dispose(&exec_log);
    fail_sql = NULL;
    fail_count = 0;
}

/* One value from the database file, read with a connection of our own. */
static void query1(const char *sql, char *out, size_t size)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/app.db", dir);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void assert_db(const char *tables, const char *version)
{
    char got[256];
    query1("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = "
           "'table' AND name NOT IN ('autogen_version', 'autogen_run_log') ORDER BY "
           "name)",
           got, sizeof(got));
    assert_string_equal(got, tables);
    query1("SELECT count(*) FROM sqlite_master WHERE name = 'autogen_version'", got, sizeof(got));
    if (strcmp(got, "0") != 0) /* a dry run does not even keep the version table */
        query1("SELECT group_concat(version_num, ',') FROM autogen_version", got, sizeof(got));
    else
        got[0] = '\0';
    assert_string_equal(got, version);
}

/* r1 is kept, r2 rolled back to its savepoint: its first table is gone too. */
static void test_runner__failing_migration_rolls_back_to_its_savepoint(void **state)
{
    (void)state;
    fixture fx = { 0 };
    open_fixture(&fx);
    ag_error err = { 0 };
    assert_int_equal(ag_runner_upgrade(&fx.r, "head", &err), AG_EDB);
    assert_non_null(strstr(err.msg, "upgrade to r2 failed and was rolled back (the database "
                                    "stays at r1)"));
    assert_non_null(strstr(err.msg, "nope"));
    const char *log = ag_buf_cstr(&exec_log);
    const char *r2 = strstr(log, "CREATE TABLE b");
    assert_non_null(r2);
    /* r1: savepoint, statement, released; r2: savepoint, statements, rolled back. */
    const char *sp1 = strstr(log, "SAVEPOINT autogen_migration\n");
    assert_non_null(sp1);
    assert_true(strstr(log, "RELEASE SAVEPOINT autogen_migration\n") < r2);
    const char *undo = strstr(r2, "ROLLBACK TO SAVEPOINT autogen_migration\n");
    assert_non_null(undo);
    assert_non_null(strstr(undo, "RELEASE SAVEPOINT autogen_migration\n"));
    ag_project_free(fx.p);
    assert_db("a", "r1");
    ag_buf_dispose(&exec_log);
}

/* A savepoint that cannot be released is rolled back like a failed migration:
 * the first one fails, so nothing is applied and the error says base. */
static void test_runner__failed_release_rolls_back(void **state)
{
    (void)state;
    fixture fx = { 0 };
    open_fixture(&fx);
    fail_sql = "RELEASE SAVEPOINT autogen_migration";
    fail_count = 1;
    ag_error err = { 0 };
    assert_int_equal(ag_runner_upgrade(&fx.r, "r1", &err), AG_EDB);
    assert_non_null(strstr(err.msg, "upgrade to r1 failed and was rolled back (the database "
                                    "stays at <base>)"));
    assert_non_null(strstr(err.msg, "injected failure"));
    assert_non_null(strstr(ag_buf_cstr(&exec_log), "ROLLBACK TO SAVEPOINT autogen_migration\n"));
    ag_project_free(fx.p);
    assert_db("", "");
    ag_buf_dispose(&exec_log);
}

/* A savepoint that cannot be taken: the migration does not run at all. */
static void test_runner__savepoint_not_taken(void **state)
{
    (void)state;
    fixture fx = { 0 };
    open_fixture(&fx);
    fail_sql = "SAVEPOINT autogen_migration";
    fail_count = 1;
    ag_error err = { 0 };
    assert_int_equal(ag_runner_upgrade(&fx.r, "r1", &err), AG_EDB);
    assert_null(strstr(ag_buf_cstr(&exec_log), "CREATE TABLE a"));
    ag_project_free(fx.p);
    assert_db("", "");
    ag_buf_dispose(&exec_log);
}

/* A dry run keeps nothing, not even r1 which succeeded, and says so. */
static void test_runner__dry_run_keeps_nothing(void **state)
{
    (void)state;
    fixture fx = { 0 };
    open_fixture(&fx);
    fx.r.dry_run = true;
    ag_error err = { 0 };
    assert_int_equal(ag_runner_upgrade(&fx.r, "head", &err), AG_EDB);
    assert_non_null(strstr(err.msg, "dry run: upgrade to r2"));
    assert_non_null(strstr(err.msg, "nothing was kept: the whole rehearsal was rolled back"));
    assert_non_null(strstr(ag_buf_cstr(&exec_log), "CREATE TABLE a"));
    ag_project_free(fx.p);
    assert_db("", "");
    ag_buf_dispose(&exec_log);
}

/* After a failure the next run starts from where the database stands: fixing
 * r2 and running again applies only r2. */
static void test_runner__rerun_after_failure(void **state)
{
    (void)state;
    fixture fx = { 0 };
    open_fixture(&fx);
    ag_error err = { 0 };
    assert_int_equal(ag_runner_upgrade(&fx.r, "head", &err), AG_EDB);
    ag_project_free(fx.p);
    write_rev("r2", "r1", (const char *const[]){ "CREATE TABLE b (x INTEGER)", NULL });
    fixture again = { 0 };
    open_fixture(&again);
    assert_int_equal(ag_runner_upgrade(&again.r, "head", &err), AG_OK);
    assert_null(strstr(ag_buf_cstr(&exec_log), "CREATE TABLE a"));
    ag_project_free(again.p);
    assert_db("a,b", "r2");
    ag_buf_dispose(&exec_log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_runner__failing_migration_rolls_back_to_its_savepoint,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner__failed_release_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner__savepoint_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner__dry_run_keeps_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner__rerun_after_failure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
