/* test_config.c - autogen.yaml: defaults, paths joined with the file's folder,
 * lists, naming conventions, and located errors. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config/config.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], path[300];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ag-config-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/autogen.yaml", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return rmdir(dir);
}

static void write_config(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_config__defaults(void **state)
{
    (void)state;
    write_config("url: sqlite:///app.db\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_OK);
    assert_string_equal(c.url, "sqlite:///app.db");
    assert_string_equal(c.version_table, "autogen_version");
    assert_string_equal(c.run_log_table, "autogen_run_log");
    assert_string_equal(c.file_template, "{rev}_{slug}");
    assert_int_equal(c.models.n, 1);
    char want[400];
    snprintf(want, sizeof(want), "%s/models", dir);
    assert_string_equal(c.models.v[0], want);
    snprintf(want, sizeof(want), "%s/alembic_like", dir);
    assert_string_equal(c.script_location, want);
    assert_string_equal(c.naming.ix, "ix_{table}_{columns}");
    assert_string_equal(c.naming.pk, "pk_{table}");
    ag_config_release(&c);
}

static void test_config__lists_and_naming(void **state)
{
    (void)state;
    write_config("models: [a.yaml, more]\nscript_location: mig\ninclude_tables: [\"app_*\"]\n"
                 "exclude_tables: spatial_ref_sys\nnaming_convention:\n  ix: \"idx_{columns}\"\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_OK);
    assert_int_equal(c.models.n, 2);
    assert_int_equal(c.include_tables.n, 1);
    assert_string_equal(c.include_tables.v[0], "app_*");
    assert_int_equal(c.exclude_tables.n, 1);
    assert_string_equal(c.naming.ix, "idx_{columns}");
    assert_string_equal(c.naming.uq, "uq_{table}_{columns}");
    ag_config_release(&c);
}

static void test_config__unknown_key(void **state)
{
    (void)state;
    write_config("url: sqlite:///x.db\nversion_tabel: v\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_EINVALID);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    assert_string_equal(err.msg, "unknown setting 'version_tabel'; did you mean 'version_table'?");
    ag_config_release(&c);
}

static void test_config__bad_yaml(void **state)
{
    (void)state;
    write_config("url: [unclosed\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_EINVALID);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "invalid YAML"));
    ag_config_release(&c);
}

static void test_config__bad_naming_key(void **state)
{
    (void)state;
    write_config("naming_convention:\n  idx: x\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_EINVALID);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg,
                        "unknown naming_convention key 'idx'; expected ix, uq, fk, pk or ck");
    ag_config_release(&c);
}

/* lock_timeout: seconds become milliseconds, PostgreSQL's units are kept,
 * 0 is off, anything else is an error at the value. */
static void lock_timeout_is(const char *text, const char *want)
{
    char yaml[100];
    snprintf(yaml, sizeof(yaml), "lock_timeout: %s\n", text);
    write_config(yaml);
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_OK);
    if (want)
        assert_string_equal(c.lock_timeout, want);
    else
        assert_null(c.lock_timeout);
    ag_config_release(&c);
}

static void test_config__lock_timeout(void **state)
{
    (void)state;
    write_config("url: sqlite:///x.db\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_OK);
    assert_null(c.lock_timeout);
    ag_config_release(&c);
    lock_timeout_is("1", "1000ms");
    lock_timeout_is("0.25", "250ms");
    lock_timeout_is("0", NULL);
    lock_timeout_is("500ms", "500ms");
    lock_timeout_is("5s", "5s");
    lock_timeout_is("2 min", "2min");
    lock_timeout_is("1.5h", "1.5h");
    const char *const bad[] = { "soon", "-1", "5 seconds", "5x", "\"\"", "1e999", ".5" };
    for (size_t i = 0; i < AG_NELEM(bad); i++) {
        char yaml[100];
        snprintf(yaml, sizeof(yaml), "url: sqlite:///x.db\nlock_timeout: %s\n", bad[i]);
        write_config(yaml);
        memset(&err, 0, sizeof(err));
        assert_int_equal(ag_config_load(&c, path, &err), AG_EINVALID);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.col, 15);
        assert_non_null(strstr(err.msg, "lock_timeout must be seconds (2, 0.5) or a number with "
                                        "a unit (500ms, 5s, 1min, us, h, d)"));
        ag_config_release(&c);
    }
}

static void test_config__find_in_parent(void **state)
{
    (void)state;
    write_config("url: sqlite:///x.db\n");
    char sub[320];
    snprintf(sub, sizeof(sub), "%s/deeper", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    char *found = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_config_find(&found, sub, &err), AG_OK);
    char *real = realpath(path, NULL);
    assert_string_equal(found, real);
    free(real);
    free(found);
    rmdir(sub);
}

/* The run log's table is a setting, and never the version table. */
static void test_config__run_log_table(void **state)
{
    (void)state;
    write_config("run_log_table: deploy_log\n");
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c, path, &err), AG_OK);
    assert_string_equal(c.run_log_table, "deploy_log");
    ag_config_release(&c);
    write_config("version_table: runs\nrun_log_table: runs\n");
    assert_int_equal(ag_config_load(&c, path, &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "run_log_table and version_table both name 'runs'"));
    ag_config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config__defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__lists_and_naming, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__bad_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__bad_naming_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__lock_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__run_log_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config__find_in_parent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
