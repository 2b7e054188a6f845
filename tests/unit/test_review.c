/* test_review.c - the pieces of review and rebase that need no repository: the
 * header rewrite of rebase, path normalization, and autogen.yaml read from memory
 * (as review reads it from a git tree). */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "review/git.h"
#include "review/review.h"

#include <stdlib.h>

static const char migration[] = "/* add email\n"
                                " *\n"
                                " * Revision ID: bb02\n"
                                " * Revises: aa01\n"
                                " * Create Date: 2026-01-01 00:00:00\n"
                                " */\n"
                                "#include <autogen/migration.h>\n"
                                "\n"
                                "const char *const revision = \"bb02\";\n"
                                "const char *const down_revision[] = { \"aa01\", NULL };\n"
                                "const char *const branch_labels[] = { NULL };\n"
                                "\n"
                                "void upgrade(ag_op *op)\n{\n    (void)op;\n}\n";

static void test_rewrite__parent_and_revises_line(void **state)
{
    (void)state;
    char *out = ag_rebase_rewrite(migration, "cc03");
    assert_non_null(out);
    assert_non_null(strstr(out, " * Revises: cc03\n"));
    assert_non_null(strstr(out, "down_revision[] = { \"cc03\", NULL };\n"));
    assert_null(strstr(out, "aa01"));
    /* Everything else is kept byte for byte. */
    assert_non_null(strstr(out, " * Create Date: 2026-01-01 00:00:00\n"));
    assert_non_null(strstr(out, "const char *const branch_labels[] = { NULL };\n"));
    assert_int_equal(strlen(out), strlen(migration));
    ag_revfile rf = { 0 };
    ag_error err = { 0 };
    assert_int_equal(ag_revfile_parse(&rf, "x.c", out, &err), AG_OK);
    assert_string_equal(rf.down_revisions[0], "cc03");
    assert_null(rf.down_revisions[1]);
    ag_revfile_release(&rf);
    free(out);
}

static void test_rewrite__merge_and_base(void **state)
{
    (void)state;
    /* A first migration (no parent) and one with two parents become one-parent ones. */
    const char *base =
        "const char *const down_revision[] = { NULL };\nvoid upgrade(ag_op *op) {}\n";
    char *out = ag_rebase_rewrite(base, "dd04");
    assert_non_null(out);
    assert_string_equal(out, "const char *const down_revision[] = { \"dd04\", NULL };\n"
                             "void upgrade(ag_op *op) {}\n");
    free(out);
    const char *two = "/* Revises: a1, b2\n */\nconst char *const down_revision[] = {\n"
                      "    \"a1\", \"b2\", NULL\n};\n";
    out = ag_rebase_rewrite(two, "e5");
    assert_non_null(out);
    assert_string_equal(
        out, "/* Revises: e5\n */\nconst char *const down_revision[] = { \"e5\", NULL };\n");
    free(out);
}

static void test_rewrite__unknown_form(void **state)
{
    (void)state;
    assert_null(ag_rebase_rewrite("const char *const down_revision[] = /* x */ { NULL };\n", "a"));
    assert_null(ag_rebase_rewrite("int x;\n", "a"));
}

static void test_normalize(void **state)
{
    (void)state;
    ag_arena a = AG_ARENA_INIT;
    assert_string_equal(ag_path_normalize(&a, "models"), "models");
    assert_string_equal(ag_path_normalize(&a, "./models/"), "models");
    assert_string_equal(ag_path_normalize(&a, "svc/db/../shared//models"), "svc/shared/models");
    assert_string_equal(ag_path_normalize(&a, "svc/./db/alembic_like/versions"),
                        "svc/db/alembic_like/versions");
    assert_string_equal(ag_path_normalize(&a, "a/.."), "");
    ag_arena_release(&a);
}

static void test_config_from_memory(void **state)
{
    (void)state;
    static const char text[] = "models: [../shared/models]\nscript_location: migrations\n"
                               "url: sqlite:///app.db\n";
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load_text(&c, "svc/db/autogen.yaml", text, strlen(text), &err),
                     AG_OK);
    assert_string_equal(c.dir, "svc/db");
    assert_int_equal(c.models.n, 1);
    assert_string_equal(c.models.v[0], "svc/db/../shared/models");
    assert_string_equal(c.script_location, "svc/db/migrations");
    ag_config_release(&c);
    static const char bad[] = "models: [a\n";
    assert_int_not_equal(ag_config_load_text(&c, "autogen.yaml", bad, strlen(bad), &err), AG_OK);
    assert_string_equal(err.file, "autogen.yaml");
    assert_true(err.line >= 1);
    ag_config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite__parent_and_revises_line),
        cmocka_unit_test(test_rewrite__merge_and_base),
        cmocka_unit_test(test_rewrite__unknown_form),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_config_from_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
