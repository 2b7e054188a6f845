/* test_diff.c - autogenerate on schemas written as YAML: which ops, in which
 * order, what counts as no change, and what is flagged. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/dialect.h"
#include "diff/diff.h"
#include "model/model.h"

#include <stdio.h>

static ag_schema *schema(const char *yaml)
{
    const char *names[] = { "m.yaml" };
    const char *texts[] = { yaml };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    if (ag_model_load_buffers(&s, names, texts, 1, NULL, &d, &e) != AG_OK)
        fail_msg("%s: %s", e.msg, d.n ? d.v[0].msg : "");
    ag_diags_release(&d);
    return s;
}

/* The ops from a to b as "kind table[.name]" lines; hints after "--". */
static const char *diff_opts(const char *a, const char *b, const ag_diff_opts *o)
{
    static char buf[4096];
    ag_schema *x = schema(a), *y = schema(b);
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_diff(&ops, x, y, o, &err), AG_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < ops->n; i++) {
        const ag_opdef *op = ops->ops[i];
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof(buf) - len, "%s%s %s%s%s", i ? "\n" : "",
                 ag_op_kind_name(op->kind), op->table ? op->table : "-",
                 op->flags & AG_OPF_DESTRUCTIVE ? " !" : "", "");
    }
    for (size_t i = 0; i < ops->hints.n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof(buf) - len, "\n-- %s", ops->hints.v[i]);
    }
    ag_oplist_free(ops);
    ag_schema_free(x);
    ag_schema_free(y);
    return buf;
}

static const char *diff(const char *a, const char *b)
{
    static const ag_diff_opts sqlite = { .caps = AG_CAP_TRANSACTIONAL_DDL, .type_reduce = NULL };
    return diff_opts(a, b, &sqlite);
}

#define U "tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n"

static void test_diff__identical_is_empty(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      e: { type: string(10), default: x }\n",
                             U "      e: { type: string(10), default: x }\n"),
                        "");
}

static void test_diff__create_tables_in_dependency_order(void **state)
{
    (void)state;
    assert_string_equal(
        diff("tables: {}\n",
             "tables:\n  c:\n    columns:\n      b_id: { type: integer, references: b.id }\n"
             "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
             "      a_id: { type: integer, references: a.id }\n"
             "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"),
        "create_table a\ncreate_table b\ncreate_table c");
}

static void test_diff__cycle_adds_closing_fk_later(void **state)
{
    (void)state;
    assert_string_equal(
        diff("tables: {}\n",
             "tables:\n  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
             "      b_id: { type: integer, references: b.id }\n"
             "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
             "      a_id: { type: integer, references: a.id }\n"),
        "create_table b\ncreate_table a\ncreate_foreign_key b");
}

static void test_diff__drop_tables_referencing_first(void **state)
{
    (void)state;
    assert_string_equal(diff(U "  posts:\n    columns:\n      id: { type: integer }\n"
                               "      uid: { type: integer, references: users.id }\n",
                             "tables: {}\n"),
                        "drop_table posts !\ndrop_table users !");
}

static void test_diff__columns(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      a: { type: text }\n      b: { type: string(10) }\n",
                             U "      b: { type: string(20) }\n      c: { type: integer }\n"),
                        "add_column users\nalter_column users\ndrop_column users !");
}

static void test_diff__narrowing_and_not_null_are_destructive(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      a: { type: string(20) }\n      b: { type: integer }\n",
                             U "      a: { type: string(10) }\n"
                               "      b: { type: integer, nullable: false }\n"),
                        "alter_column users !\nalter_column users !");
    assert_string_equal(diff(U "      a: { type: string(10) }\n      b: { type: smallint }\n",
                             U "      a: { type: text }\n      b: { type: bigint }\n"),
                        "alter_column users\nalter_column users");
}

static void test_diff__equal_defaults_written_differently(void **state)
{
    (void)state;
    assert_true(ag_default_equal("now()", "CURRENT_TIMESTAMP"));
    assert_true(ag_default_equal("(0)", "0.0"));
    assert_true(ag_default_equal("'a'", "('a')"));
    assert_true(ag_default_equal("true", "1"));
    assert_true(ag_default_equal(NULL, "NULL"));
    assert_false(ag_default_equal("'0'", "0"));
    assert_false(ag_default_equal("'A'", "'a'"));
    assert_false(ag_default_equal(NULL, "0"));
}

static void test_diff__renames(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      fullname: { type: text }\n",
                             U "      full_name: { type: text, renamed_from: fullname }\n"),
                        "rename_column users");
    assert_string_equal(diff(U, "tables:\n  people:\n    renamed_from: users\n    columns:\n"
                                "      id: { type: integer, primary_key: true }\n"),
                        "rename_table users");
}

static void test_diff__rename_hint(void **state)
{
    (void)state;
    assert_string_equal(
        diff(U "      fullname: { type: text }\n", U "      full_name: { type: text }\n"),
        "add_column users\ndrop_column users !\n-- table 'users': column 'fullname' is dropped "
        "and 'full_name' added with the same type; if it is a rename, add \"renamed_from: "
        "fullname\" to that column in the model");
}

static void test_diff__constraints_and_indexes(void **state)
{
    (void)state;
    assert_string_equal(
        diff(U "      a: { type: integer }\n    indexes:\n      - { columns: [a] }\n"
               "    checks:\n      - { name: pos, expression: \"a > 0\" }\n",
             U "      a: { type: integer, unique: true }\n    indexes:\n"
               "      - { columns: [a], where: \"a > 1\" }\n"
               "    checks:\n      - { name: pos, expression: \"a >= 0\" }\n"),
        "drop_index users\ndrop_check users\ncreate_unique users\ncreate_check users\n"
        "create_index users");
}

static void test_diff__matched_by_definition(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      a: { type: integer }\n    unique:\n"
                               "      - { name: legacy_name, columns: [a] }\n",
                             U "      a: { type: integer, unique: true }\n"),
                        "");
}

static void test_diff__fk_action_change(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      p: { type: integer, references: users.id }\n",
                             U "      p: { type: integer, references: users.id, on_delete: "
                               "cascade }\n"),
                        "drop_foreign_key users\ncreate_foreign_key users");
}

static void test_diff__primary_key(void **state)
{
    (void)state;
    assert_string_equal(diff(U "      b: { type: integer, nullable: false }\n",
                             "tables:\n  users:\n    columns:\n      id: { type: integer }\n"
                             "      b: { type: integer, nullable: false }\n"
                             "    primary_key: [id, b]\n"),
                        "drop_primary_key users\ncreate_primary_key users");
}

static void test_diff__enums(void **state)
{
    (void)state;
    assert_string_equal(diff("enums:\n  s: [a]\n" U, "enums:\n  s: [a, b]\n  t: [x]\n" U),
                        "create_enum -\nadd_enum_value -");
    assert_string_equal(diff("enums:\n  s: [a, b]\n" U, "enums:\n  s: [b, a]\n" U),
                        "\n-- enum 's' changed other than by appending values (from a,b); that "
                        "needs a hand-written migration");
    assert_string_equal(diff("enums:\n  s: [a]\n" U, U), "drop_enum - !");
}

static void test_diff__comments_only_with_the_capability(void **state)
{
    (void)state;
    const char *a = U "      n: { type: text }\n", *b = U "      n: { type: text, comment: hi }\n";
    assert_string_equal(diff(a, b), "");
    ag_diff_opts pg = { .caps = AG_CAP_COMMENTS };
    assert_string_equal(diff_opts(a, b, &pg), "alter_column users");
}

static void test_diff__type_reduction(void **state)
{
    (void)state;
    ag_diff_opts sqlite = { .type_reduce = ag_dialect_sqlite.type_reduce };
    assert_string_equal(diff_opts(U "      n: { type: text }\n      m: { type: integer }\n",
                                  U "      n: { type: uuid }\n      m: { type: bigint }\n",
                                  &sqlite),
                        "");
    assert_string_equal(diff(U "      n: { type: text }\n", U "      n: { type: uuid }\n"),
                        "alter_column users !");
}

static void test_diff__include_and_exclude(void **state)
{
    (void)state;
    const char *cur = U "  app_logs:\n    columns:\n      id: { type: integer }\n"
                        "  spatial_ref_sys:\n    columns:\n      srid: { type: integer }\n";
    const char *inc[] = { "app_*", "users" }, *exc[] = { "spatial_*" };
    ag_diff_opts o = { .include_tables = inc, .ninclude = 2, .exclude_tables = exc, .nexclude = 1 };
    assert_string_equal(diff_opts(cur, U, &o), "drop_table app_logs !");
    const char *inc2[] = { "users" };
    ag_diff_opts o2 = { .include_tables = inc2, .ninclude = 1 };
    assert_string_equal(diff_opts(cur, U, &o2), "");
}

static void test_diff__downgrade_is_the_inverse(void **state)
{
    (void)state;
    ag_schema *x = schema(U "      a: { type: string(10) }\n");
    ag_schema *y = schema(U "      a: { type: string(20), nullable: false, default: z }\n"
                            "      b: { type: integer }\n"
                            "  posts:\n    columns:\n      id: { type: integer }\n");
    ag_oplist *up = NULL, *down = ag_oplist_new();
    ag_error err = { 0 };
    assert_int_equal(ag_diff(&up, x, y, NULL, &err), AG_OK);
    ag_oplist_invert(down, up);
    /* Replaying up onto x gives y; replaying down gives x back. */
    for (size_t i = 0; i < up->n; i++)
        assert_int_equal(ag_schema_apply(x, up->ops[i], &err), AG_OK);
    ag_oplist *none = NULL;
    assert_int_equal(ag_diff(&none, x, y, NULL, &err), AG_OK);
    assert_int_equal(none->n, 0);
    ag_oplist_free(none);
    for (size_t i = 0; i < down->n; i++)
        assert_int_equal(ag_schema_apply(x, down->ops[i], &err), AG_OK);
    ag_schema *orig = schema(U "      a: { type: string(10) }\n");
    assert_int_equal(ag_diff(&none, x, orig, NULL, &err), AG_OK);
    assert_int_equal(none->n, 0);
    ag_oplist_free(none);
    ag_schema_free(orig);
    ag_oplist_free(up);
    ag_oplist_free(down);
    ag_schema_free(x);
    ag_schema_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff__identical_is_empty),
        cmocka_unit_test(test_diff__create_tables_in_dependency_order),
        cmocka_unit_test(test_diff__cycle_adds_closing_fk_later),
        cmocka_unit_test(test_diff__drop_tables_referencing_first),
        cmocka_unit_test(test_diff__columns),
        cmocka_unit_test(test_diff__narrowing_and_not_null_are_destructive),
        cmocka_unit_test(test_diff__equal_defaults_written_differently),
        cmocka_unit_test(test_diff__renames),
        cmocka_unit_test(test_diff__rename_hint),
        cmocka_unit_test(test_diff__constraints_and_indexes),
        cmocka_unit_test(test_diff__matched_by_definition),
        cmocka_unit_test(test_diff__fk_action_change),
        cmocka_unit_test(test_diff__primary_key),
        cmocka_unit_test(test_diff__enums),
        cmocka_unit_test(test_diff__comments_only_with_the_capability),
        cmocka_unit_test(test_diff__type_reduction),
        cmocka_unit_test(test_diff__include_and_exclude),
        cmocka_unit_test(test_diff__downgrade_is_the_inverse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
