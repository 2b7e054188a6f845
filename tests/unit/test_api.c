/* test_api.c - the public library API (include/autogen/autogen.h) on a real
 * project in a temp folder: what it promises about the caller's buffers. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <autogen/autogen.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A base revision of its own: two of them are two heads. */
static void write_base_rev(const char *rev)
{
    char rel[128], text[512];
    snprintf(rel, sizeof(rel), "versions/%s_m.c", rev);
    snprintf(text, sizeof(text),
             "#include <autogen/migration.h>\n"
             "const char *const revision = \"%s\";\n"
             "const char *const down_revision[] = { NULL };\n"
             "const char *const branch_labels[] = { NULL };\n"
             "const char *const depends_on[] = { NULL };\n"
             "void upgrade(ag_op *op) { (void)op; }\n"
             "void downgrade(ag_op *op) { (void)op; }\n",
             rev);
    write_file(rel, text);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s/ag-api-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/versions", dir);
    mkdir(sub, 0777);
    snprintf(sub, sizeof(sub), "%s/models", dir);
    mkdir(sub, 0777);
    write_file("autogen.yaml", "models: models\nscript_location: .\nurl: sqlite:///app.db\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

/* ag_project_current fails with AG_EINVALID when the ids do not fit, and
 * never hands back a list cut mid-id. */
static void test_api__current_never_truncates(void **state)
{
    (void)state;
    /* 80 heads: their list (1,118 bytes) is longer than any fixed buffer of 1 KiB. */
    for (int i = 0; i < 80; i++) {
        char rev[16];
        snprintf(rev, sizeof(rev), "rev%09d", i);
        write_base_rev(rev);
    }
    char config[300];
    snprintf(config, sizeof(config), "%s/autogen.yaml", dir);
    setenv("AUTOGEN_CACHE_DIR", dir, 1);
    ag_project_options opts = { .config_path = config };
    ag_project *p = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_project_open(&p, &opts, &err), AG_OK);
    assert_int_equal(ag_project_upgrade(p, "heads", &err), AG_OK);
    char out[2048];
    assert_int_equal(ag_project_current(p, out, sizeof(out), &err), AG_OK);
    assert_int_equal(strlen(out), 80 * 12 + 79 * 2); /* every id, ", " between */
    assert_non_null(strstr(out, "rev000000079"));
    memset(out, 'x', sizeof(out));
    assert_int_equal(ag_project_current(p, out, 20, &err), AG_EINVALID);
    assert_string_equal(out, "");
    assert_non_null(strstr(err.msg, "1119 bytes"));
    assert_int_equal(ag_project_current(p, out, 1118, &err), AG_EINVALID); /* no room for NUL */
    assert_int_equal(ag_project_current(p, out, 1119, &err), AG_OK);
    ag_project_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_api__current_never_truncates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
