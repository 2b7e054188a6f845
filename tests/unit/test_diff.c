/* test_diff.c - the diff engine on schemas built with the schema.h
 * constructors: which ops, in which order, what counts as no change, what is
 * flagged as destructive, which hints are given; and, for every list that
 * should apply, a replay of the ops and of their inverse with
 * ag_schema_apply that must land exactly on the target and back on the
 * current schema. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/dialect.h"
#include "diff/diff.h"
#include "schema/opcodec.h"
#include "util/buf.h"

#include <stdio.h>

/* --- building schemas ---------------------------------------------------------- */

static ag_type ty(ag_schema *s, const char *spec)
{
    ag_type t;
    if (!ag_type_parse(&s->arena, spec, &t))
        fail_msg("bad type %s", spec);
    return t;
}

static ag_column *col(ag_schema *s, ag_table *t, const char *name, const char *type)
{
    ag_column *c = ag_table_add_column(s, t, name);
    c->type = ty(s, type);
    return c;
}

static ag_column *col_nn(ag_schema *s, ag_table *t, const char *name, const char *type)
{
    ag_column *c = col(s, t, name, type);
    c->nullable = false;
    return c;
}

/* "a,b" into l. */
static void strs(ag_schema *s, ag_strs *l, const char *csv)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", csv);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        ag_strs_push(s, l, p);
}

/* A table with an integer primary key `id`. */
static ag_table *tab(ag_schema *s, const char *name)
{
    ag_table *t = ag_schema_add_table(s, name);
    col_nn(s, t, "id", "integer");
    ag_strs_push(s, &t->pk.columns, "id");
    return t;
}

static ag_fk *fk(ag_schema *s,
                 ag_table *t,
                 const char *name,
                 const char *cols,
                 const char *ref,
                 const char *ref_cols)
{
    ag_fk *f = ag_table_add_fk(s, t, name);
    strs(s, &f->columns, cols);
    f->ref_table = ag_arena_strdup(&s->arena, ref);
    strs(s, &f->ref_columns, ref_cols);
    return f;
}

static ag_index *idx(ag_schema *s, ag_table *t, const char *name, const char *cols)
{
    ag_index *x = ag_table_add_index(s, t, name);
    if (cols)
        strs(s, &x->columns, cols);
    return x;
}

static ag_unique *uq(ag_schema *s, ag_table *t, const char *name, const char *cols)
{
    ag_unique *u = ag_table_add_unique(s, t, name);
    strs(s, &u->columns, cols);
    return u;
}

static ag_check *ck(ag_schema *s, ag_table *t, const char *name, const char *expr)
{
    ag_check *c = ag_table_add_check(s, t, name);
    c->expression = ag_arena_strdup(&s->arena, expr);
    return c;
}

static ag_enum *enm(ag_schema *s, const char *name, const char *values)
{
    ag_enum *e = ag_schema_add_enum(s, name);
    strs(s, &e->values, values);
    return e;
}

/* An enum column carrying its values, as the loader and introspectors make it. */
static ag_column *enum_col(ag_schema *s, ag_table *t, const char *name, const char *e)
{
    char spec[64];
    snprintf(spec, sizeof(spec), "enum(%s)", e);
    ag_column *c = col(s, t, name, spec);
    const ag_enum *en = ag_schema_find_enum(s, e);
    if (en)
        ag_strs_clone(&s->arena, &c->enum_values, &en->values);
    return c;
}

static ag_schema *clone_schema(const ag_schema *s)
{
    ag_schema *r = ag_schema_new();
    for (size_t i = 0; i < s->ntables; i++)
        AG_ARENA_PUSH(&r->arena, r->tables, r->ntables, r->tables_cap,
                      ag_table_clone(&r->arena, s->tables[i]));
    for (size_t i = 0; i < s->nenums; i++)
        AG_ARENA_PUSH(&r->arena, r->enums, r->nenums, r->enums_cap,
                      ag_enum_clone(&r->arena, s->enums[i]));
    return r;
}

/* users(id, email, status, created) and posts(id, user_id -> users), with one
 * of everything. */
static ag_schema *rich(void)
{
    ag_schema *s = ag_schema_new();
    enm(s, "status", "active,gone");
    ag_table *u = tab(s, "users");
    col_nn(s, u, "email", "string(100)");
    enum_col(s, u, "status", "status")->default_sql = "'active'";
    col(s, u, "created", "timestamptz")->default_sql = "CURRENT_TIMESTAMP";
    u->pk.name = "pk_users";
    uq(s, u, "uq_users_email", "email");
    ck(s, u, "ck_users_email", "length(email) > 3");
    idx(s, u, "ix_users_status", "status");
    ag_index *x = idx(s, u, "ix_users_lower_email", NULL);
    x->expression = "lower(email)";
    x->unique = true;
    ag_table *p = tab(s, "posts");
    col(s, p, "user_id", "integer");
    fk(s, p, "fk_posts_user_id_users", "user_id", "users", "id")->on_delete = AG_FK_CASCADE;
    idx(s, p, "ix_posts_user_id", "user_id")->where = "user_id IS NOT NULL";
    return s;
}

/* --- running the diff ------------------------------------------------------------ */

static const ag_diff_opts plain = { 0 };

static ag_oplist *run(const ag_schema *cur, const ag_schema *tgt, const ag_diff_opts *o)
{
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_diff(&ops, cur, tgt, o, &err), AG_OK);
    assert_non_null(ops);
    return ops;
}

static void describe(ag_buf *b, const ag_opdef *op)
{
    const char *t = op->table ? op->table : "-";
    ag_buf_puts(b, ag_op_kind_name(op->kind));
    switch (op->kind) {
    case AG_OP_CREATE_ENUM:
    case AG_OP_DROP_ENUM:
    case AG_OP_ALTER_ENUM:
        ag_buf_printf(b, " %s", op->enm->name);
        break;
    case AG_OP_ADD_ENUM_VALUE:
    case AG_OP_DROP_ENUM_VALUE:
        ag_buf_printf(b, " %s.%s", op->enm->name, op->name);
        break;
    case AG_OP_RENAME_TABLE:
        ag_buf_printf(b, " %s>%s", t, op->name);
        break;
    case AG_OP_ADD_COLUMN:
    case AG_OP_DROP_COLUMN:
    case AG_OP_ALTER_COLUMN:
        ag_buf_printf(b, " %s.%s", t, op->column->name);
        break;
    case AG_OP_RENAME_COLUMN:
        ag_buf_printf(b, " %s.%s>%s", t, op->old_name, op->name);
        break;
    case AG_OP_CREATE_INDEX:
    case AG_OP_DROP_INDEX:
        ag_buf_printf(b, " %s.%s", t, op->index->name);
        break;
    case AG_OP_ADD_UNIQUE:
    case AG_OP_DROP_UNIQUE:
        ag_buf_printf(b, " %s.%s", t, op->unique->name);
        break;
    case AG_OP_ADD_CHECK:
    case AG_OP_DROP_CHECK:
        ag_buf_printf(b, " %s.%s", t, op->check->name);
        break;
    case AG_OP_ADD_FK:
    case AG_OP_DROP_FK:
        ag_buf_printf(b, " %s.%s", t, op->fk->name);
        break;
    case AG_OP_ALTER_FK:
        ag_buf_printf(b, " %s.%s", t, op->fk->name);
        break;
    default:
        ag_buf_printf(b, " %s", t);
        break;
    }
    if (op->flags & AG_OPF_DESTRUCTIVE)
        ag_buf_puts(b, " !");
}

/* The ops as lines "kind table.object", " !" when destructive. */
static const char *lines(const ag_oplist *ops)
{
    static char out[8192];
    ag_buf b = AG_BUF_INIT;
    for (size_t i = 0; i < ops->n; i++) {
        if (i)
            ag_buf_putc(&b, '\n');
        describe(&b, ops->ops[i]);
    }
    snprintf(out, sizeof(out), "%s", ag_buf_cstr(&b));
    ag_buf_dispose(&b);
    return out;
}

static void apply_all(ag_schema *s, const ag_oplist *ops)
{
    for (size_t i = 0; i < ops->n; i++) {
        ag_error err = { 0 };
        if (ag_schema_apply(s, ops->ops[i], &err) != AG_OK) {
            ag_buf b = AG_BUF_INIT;
            describe(&b, ops->ops[i]);
            fail_msg("op %zu (%s) does not apply: %s", i, ag_buf_cstr(&b), err.msg);
        }
    }
}

static void assert_no_diff(const ag_schema *a, const ag_schema *b, const ag_diff_opts *o)
{
    ag_oplist *rest = run(a, b, o);
    if (rest->n)
        fail_msg("still differs:\n%s", lines(rest));
    ag_oplist_free(rest);
}

/* Replay the diff onto a copy of cur: it must give tgt; replay the inverse:
 * it must give cur back. */
static void assert_roundtrip(const ag_schema *cur, const ag_schema *tgt, const ag_diff_opts *o)
{
    ag_oplist *up = run(cur, tgt, o), *down = ag_oplist_new();
    ag_oplist_invert(down, up);
    ag_schema *s = clone_schema(cur);
    apply_all(s, up);
    assert_no_diff(s, tgt, o);
    apply_all(s, down);
    assert_no_diff(s, cur, o);
    ag_schema_free(s);
    ag_oplist_free(up);
    ag_oplist_free(down);
}

/* The diff's ops as lines; the list is kept for a closer look. */
static ag_oplist *last;

static const char *diff_with(const ag_schema *cur, const ag_schema *tgt, const ag_diff_opts *o)
{
    ag_oplist_free(last);
    last = run(cur, tgt, o);
    return lines(last);
}

static const char *diff(const ag_schema *cur, const ag_schema *tgt)
{
    return diff_with(cur, tgt, &plain);
}

static int teardown(void **state)
{
    (void)state;
    ag_oplist_free(last);
    last = NULL;
    return 0;
}

/* --- no change ---------------------------------------------------------------------- */

static void test_diff__identical_is_empty(void **state)
{
    (void)state;
    ag_schema *a = rich(), *b = rich();
    assert_string_equal(diff(a, b), "");
    assert_int_equal(last->hints.n, 0);
    ag_diff_opts pg = { .caps = AG_CAP_COMMENTS | AG_CAP_ENUM_TYPES | AG_CAP_SCHEMAS };
    assert_string_equal(diff_with(a, b, &pg), "");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* The database writes the same things its own way: no op. */
static void test_diff__same_meaning_written_differently(void **state)
{
    (void)state;
    ag_schema *a = rich(), *b = rich();
    ag_table *u = ag_schema_find_table(a, "users"), *p = ag_schema_find_table(a, "posts");
    u->columns[3]->default_sql = "now()";
    u->uniques[0]->name = "users_email_key";
    u->checks[0]->expression = "(length(\"email\")>3)";
    u->indexes[1]->expression = "LOWER( email )";
    p->indexes[0]->where = "(user_id is not null)";
    p->indexes[0]->name = "posts_user_idx";
    p->fks[0]->name = "posts_user_id_fkey";
    ag_table *bu = ag_schema_find_table(b, "users");
    bu->pk.name = NULL; /* SQLite keeps no key name */
    assert_string_equal(diff(a, b), "");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- tables -------------------------------------------------------------------------- */

static void test_diff__create_tables(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = rich();
    assert_string_equal(diff(a, b), "create_enum status\ncreate_table users\ncreate_table posts");
    const ag_table *u = last->ops[1]->tdef;
    assert_int_equal(u->ncolumns, 4);
    assert_int_equal(u->nindexes, 2); /* created with the table */
    assert_int_equal(u->nuniques, 1);
    assert_int_equal(u->nchecks, 1);
    assert_int_equal(last->ops[2]->tdef->nfks, 1);
    assert_int_equal(last->ops[2]->tdef->nindexes, 1);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__drop_tables(void **state)
{
    (void)state;
    ag_schema *a = rich(), *b = ag_schema_new();
    assert_string_equal(diff(a, b), "drop_table posts !\ndrop_table users !\ndrop_enum status !");
    const ag_opdef *op = last->ops[0];
    assert_string_equal(op->note, "drops table 'posts' and all its rows");
    assert_int_equal(op->tdef->nindexes, 1); /* the whole table, for the inverse */
    assert_int_equal(op->tdef->nfks, 1);
    assert_int_equal(last->ops[1]->tdef->nindexes, 2);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__rename_table(void **state)
{
    (void)state;
    ag_schema *a = rich(), *b = rich();
    ag_table *u = ag_schema_find_table(b, "users");
    u->name = "people";
    u->renamed_from = "users";
    ag_schema_find_table(b, "posts")->fks[0]->ref_table = "people";
    /* The foreign key follows the rename: nothing else to do. */
    assert_string_equal(diff(a, b), "rename_table users>people");
    assert_roundtrip(a, b, &plain);
    col(b, u, "nick", "text");
    assert_string_equal(diff(a, b), "rename_table users>people\nadd_column people.nick");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* renamed_from is ignored when the new name already exists in the database. */
static void test_diff__rename_table_needs_a_free_name(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col(a, tab(a, "users"), "x", "text");
    tab(a, "people");
    tab(b, "people")->renamed_from = "users";
    assert_string_equal(diff(a, b), "drop_table users !");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* Tables pair by name within a schema; an unspecified schema is the default. */
static void test_diff__table_schemas(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    tab(b, "users")->schema = "public";
    assert_string_equal(diff(a, b), "");
    a->tables[0]->schema = "old";
    b->tables[0]->schema = "new";
    assert_string_equal(diff(a, b), "create_table users\ndrop_table users !");
    assert_string_equal(last->ops[0]->schema, "new");
    assert_string_equal(last->ops[1]->schema, "old");
    assert_int_equal(last->hints.n, 0);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- columns -------------------------------------------------------------------------- */

static void test_diff__columns_add_alter_drop(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *t = tab(a, "users");
    col(a, t, "a", "text");
    col(a, t, "b", "string(10)");
    t = tab(b, "users");
    col(b, t, "b", "string(20)");
    col(b, t, "c", "integer");
    assert_string_equal(diff(a, b),
                        "add_column users.c\nalter_column users.b\ndrop_column users.a !");
    assert_string_equal(last->ops[2]->note, "drops column 'users.a' and its data");
    assert_int_equal(last->ops[1]->old_column->type.length, 10);
    assert_int_equal(last->ops[1]->column->type.length, 20);
    assert_int_equal(last->hints.n, 0); /* text and integer: not a rename */
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__rename_column(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *t = tab(a, "users");
    col(a, t, "code", "string(10)");
    uq(a, t, "uq_users_code", "code");
    idx(a, t, "ix_users_code", "code");
    ag_table *o = tab(a, "orders");
    col(a, o, "ref", "string(10)");
    fk(a, o, "fk_orders_ref", "ref", "users", "code");

    t = tab(b, "users");
    col(b, t, "sku", "string(20)")->renamed_from = "code";
    uq(b, t, "uq_users_code", "sku");
    idx(b, t, "ix_users_code", "sku");
    o = tab(b, "orders");
    col(b, o, "ref", "string(10)");
    fk(b, o, "fk_orders_ref", "ref", "users", "sku");
    /* The unique, the index and the other table's key follow the rename. */
    assert_string_equal(diff(a, b), "rename_column users.code>sku\nalter_column users.sku");
    assert_string_equal(last->ops[1]->old_column->name, "sku");
    assert_null(last->ops[1]->column->renamed_from);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__column_rename_hint(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col(a, tab(a, "users"), "fullname", "text");
    col(b, tab(b, "users"), "full_name", "text");
    assert_string_equal(diff(a, b), "add_column users.full_name\ndrop_column users.fullname !");
    assert_int_equal(last->hints.n, 1);
    assert_string_equal(last->hints.v[0],
                        "table 'users': column 'fullname' is dropped and 'full_name' added with "
                        "the same type; if it is a rename, add \"renamed_from: fullname\" to "
                        "'full_name' in the model");
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__table_rename_hint(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col(a, tab(a, "props"), "name", "text");
    col(b, tab(b, "properties"), "name", "text");
    assert_string_equal(diff(a, b), "create_table properties\ndrop_table props !");
    assert_int_equal(last->hints.n, 1);
    assert_string_equal(last->hints.v[0],
                        "table 'props' is dropped and 'properties' created with the same "
                        "columns; if it is a rename, add \"renamed_from: props\" to table "
                        "'properties' in the model");
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__type_widening_and_narrowing(void **state)
{
    (void)state;
    static const char *const from[] = { "string(10)", "smallint",      "char(3)",
                                        "real",       "integer",       "decimal(10,2)",
                                        "string(20)", "bigint",        "integer",
                                        "text",       "decimal(12,2)", "decimal(12,2)",
                                        "text",       "double" };
    static const char *const to[] = { "string(20)", "bigint",        "text",
                                      "double",     "decimal(12,0)", "decimal(14,4)",
                                      "string(10)", "integer",       "smallint",
                                      "string(50)", "decimal(10,2)", "decimal(12,1)",
                                      "integer",    "integer" };
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(a, "t"), *tb = tab(b, "t");
    for (size_t i = 0; i < AG_NELEM(from); i++) {
        char name[8];
        snprintf(name, sizeof(name), "c%zu", i);
        col(a, ta, name, from[i]);
        col(b, tb, name, to[i]);
    }
    assert_string_equal(diff(a, b), "alter_column t.c0\nalter_column t.c1\nalter_column t.c2\n"
                                    "alter_column t.c3\nalter_column t.c4\nalter_column t.c5\n"
                                    "alter_column t.c6 !\nalter_column t.c7 !\n"
                                    "alter_column t.c8 !\nalter_column t.c9 !\n"
                                    "alter_column t.c10 !\nalter_column t.c11 !\n"
                                    "alter_column t.c12 !\nalter_column t.c13 !");
    assert_string_equal(last->ops[6]->note,
                        "narrows 't.c6' from string(20) to string(10): values may not fit");
    assert_string_equal(last->ops[12]->note,
                        "changes 't.c12' from text to integer: values may not convert");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__nullability_both_ways(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *t = tab(a, "users");
    col(a, t, "a", "text");
    col_nn(a, t, "b", "text");
    t = tab(b, "users");
    col_nn(b, t, "a", "text");
    col(b, t, "b", "text");
    assert_string_equal(diff(a, b), "alter_column users.a !\nalter_column users.b");
    assert_string_equal(last->ops[0]->note, "makes 'users.a' NOT NULL: fails if a row holds NULL");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__defaults_add_change_drop(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *t = tab(a, "users");
    col(a, t, "add", "text");
    col(a, t, "change", "text")->default_sql = "'x'";
    col(a, t, "drop", "integer")->default_sql = "0";
    t = tab(b, "users");
    col(b, t, "add", "text")->default_sql = "'x'";
    col(b, t, "change", "text")->default_sql = "'y'";
    col(b, t, "drop", "integer");
    assert_string_equal(diff(a, b), "alter_column users.add\nalter_column users.change\n"
                                    "alter_column users.drop");
    assert_null(last->ops[2]->column->default_sql);
    assert_string_equal(last->ops[2]->old_column->default_sql, "0");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* Pairs of defaults on a column of the given type: the same, or not. */
static void test_diff__defaults_equal_by_meaning(void **state)
{
    (void)state;
    static const struct {
        const char *type, *a, *b;
        bool same;
    } cases[] = {
        { "timestamptz", "now()", "CURRENT_TIMESTAMP", true },
        { "timestamptz", "(CURRENT_TIMESTAMP)", "current_timestamp", true },
        { "integer", "(0)", "0.0", true },
        { "integer", "'0'", "0", true }, /* a quoted number on a numeric column */
        { "decimal(12,2)", "'1.50'::numeric", "1.5", true },
        { "bigint", "9007199254740993", "9007199254740992", false },
        { "boolean", "true", "1", true },
        { "boolean", "'t'", "TRUE", true },
        { "boolean", "false", "'0'", true },
        { "boolean", "false", "true", false },
        { "text", "'a'", "('a')", true },
        { "text", "'a'::text", "'a'", true },
        { "text", "'0'", "0", false }, /* a string is not a number on a text column */
        { "text", "'A'", "'a'", false },
        { "text", "NULL", NULL, true },
        { "text", "'it''s'", "'it''s'", true },
        { "integer", NULL, "0", false },
    };
    for (size_t i = 0; i < AG_NELEM(cases); i++) {
        ag_schema *a = ag_schema_new(), *b = ag_schema_new();
        col(a, tab(a, "t"), "c", cases[i].type)->default_sql = cases[i].a;
        col(b, tab(b, "t"), "c", cases[i].type)->default_sql = cases[i].b;
        const char *got = diff(a, b);
        if (strcmp(got, cases[i].same ? "" : "alter_column t.c") != 0)
            fail_msg("%s: %s vs %s gave '%s'", cases[i].type, cases[i].a ? cases[i].a : "NULL",
                     cases[i].b ? cases[i].b : "NULL", got);
        ag_schema_free(a);
        ag_schema_free(b);
    }
    /* Without a type, quoted and bare stay apart. */
    assert_true(ag_default_equal("now()", "CURRENT_TIMESTAMP"));
    assert_true(ag_default_equal("(0)", "0.0"));
    assert_true(ag_default_equal("'a'", "('a')"));
    assert_true(ag_default_equal("true", "1"));
    assert_true(ag_default_equal(NULL, "NULL"));
    assert_true(ag_default_equal(NULL, NULL));
    assert_true(ag_default_equal("lower( 'X' )", "LOWER('X')"));
    assert_false(ag_default_equal("lower('x')", "lower('X')"));
    assert_false(ag_default_equal("'0'", "0"));
    assert_false(ag_default_equal("'t'", "1"));
    assert_false(ag_default_equal(NULL, "0"));
}

/* SQLite's reduction, as far as these tests need it. */
static void reduce_like_sqlite(ag_type *t)
{
    if (t->kind == AG_T_UUID || t->kind == AG_T_JSON || t->kind == AG_T_JSONB)
        t->kind = AG_T_TEXT;
    else if (t->kind == AG_T_SMALLINT || t->kind == AG_T_BIGINT)
        t->kind = AG_T_INTEGER;
}

static void test_diff__type_reduce_makes_text_and_uuid_equal(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col(a, tab(a, "t"), "u", "text");
    col(b, tab(b, "t"), "u", "uuid");
    ag_diff_opts sqlite = { .type_reduce = reduce_like_sqlite };
    assert_string_equal(diff_with(a, b, &sqlite), "");
    assert_string_equal(diff(a, b), "alter_column t.u !"); /* exact: text -> uuid */
    /* Another change on that column: the type is not part of it. */
    a->tables[0]->columns[1]->nullable = false;
    assert_string_equal(diff_with(a, b, &sqlite), "alter_column t.u");
    assert_int_equal(last->ops[0]->old_column->type.kind, AG_T_UUID);
    assert_roundtrip(a, b, &sqlite);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* AG_ALTER(...) cannot say autoincrement: an alter of nothing else would be a
 * migration that reads (and runs) as doing nothing, so there is none, and a
 * hint says what differs. */
static void test_diff__autoincrement_alone_is_a_hint(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "t");
    ag_column *want = tab(b, "t")->columns[0];
    want->autoincrement = true;
    assert_string_equal(diff(a, b), "");
    assert_int_equal(last->hints.n, 1);
    assert_non_null(strstr(last->hints.v[0], "'t.id'"));
    assert_non_null(strstr(last->hints.v[0], "does not assign ids"));
    /* SQLite's INTEGER PRIMARY KEY assigns ids: it is autoincrement enough... */
    a->tables[0]->columns[0]->rowid_alias = true;
    assert_string_equal(diff(a, b), "");
    assert_int_equal(last->hints.n, 0);
    /* ...unless the model asks for the keyword. */
    want->autoincrement_strict = true;
    assert_string_equal(diff(a, b), "");
    assert_int_equal(last->hints.n, 1);
    assert_non_null(strstr(last->hints.v[0], "autoincrement: strict"));
    /* With a visible change, the op is there, and leaves autoincrement as it is. */
    want->nullable = true;
    a->tables[0]->pk.columns.n = b->tables[0]->pk.columns.n = 0;
    assert_string_equal(diff(a, b), "alter_column t.id");
    assert_false(last->ops[0]->column->autoincrement);
    assert_true(last->ops[0]->column->nullable);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__alter_visible(void **state)
{
    (void)state;
    ag_schema *s = ag_schema_new();
    ag_table *t = tab(s, "t");
    ag_opdef op = { .kind = AG_OP_ALTER_COLUMN, .table = "t" };
    ag_column o = *col(s, t, "x", "string(10)"), n = o;
    op.old_column = &o;
    op.column = &n;
    n.autoincrement = true; /* nothing AG_ALTER can show */
    assert_false(ag_op_alter_visible(&op));
    n.type = ty(s, "string(20)");
    assert_true(ag_op_alter_visible(&op));
    n.type = o.type;
    n.nullable = !o.nullable;
    assert_true(ag_op_alter_visible(&op));
    n.nullable = o.nullable;
    n.default_sql = "'a'";
    assert_true(ag_op_alter_visible(&op));
    n.default_sql = NULL;
    n.comment = "c";
    assert_true(ag_op_alter_visible(&op));
    n.comment = NULL;
    assert_false(ag_op_alter_visible(&op));
    ag_schema_free(s);
}

/* --- keys, constraints, indexes ----------------------------------------------------- */

static void test_diff__primary_key(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col_nn(a, tab(a, "t"), "b", "integer");
    ag_table *t = tab(b, "t");
    col_nn(b, t, "b", "integer");
    ag_strs_push(b, &t->pk.columns, "b");
    assert_string_equal(diff(a, b), "drop_primary_key t\ncreate_primary_key t");
    assert_roundtrip(a, b, &plain);
    /* Same columns: the name does not count (a renamed table keeps its key's name). */
    t->pk.columns.n = 1;
    t->pk.name = "pk_t";
    assert_string_equal(diff(a, b), "");
    a->tables[0]->pk.name = "t_pkey";
    assert_string_equal(diff(a, b), "");
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__uniques(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(a, "t"), *tb = tab(b, "t");
    col(a, ta, "x", "integer");
    col(a, ta, "y", "integer");
    col(b, tb, "x", "integer");
    col(b, tb, "y", "integer");
    uq(a, ta, "uq_old", "y");
    uq(a, ta, "other_name", "x");
    uq(b, tb, "uq_t_x", "x"); /* matched by definition */
    uq(b, tb, "uq_t_xy", "x,y");
    assert_string_equal(diff(a, b), "drop_unique t.uq_old\ncreate_unique t.uq_t_xy");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__checks(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(a, "t"), *tb = tab(b, "t");
    col(a, ta, "x", "integer");
    col(b, tb, "x", "integer");
    ck(a, ta, "ck_same", "x <> 1");
    ck(a, ta, "ck_changed", "x > 0");
    ck(a, ta, "ck_gone", "x < 100");
    ck(b, tb, "ck_same", "((x<>1))");
    ck(b, tb, "ck_changed", "x >= 0");
    ck(b, tb, "ck_new", "x <> 5");
    assert_string_equal(diff(a, b), "drop_check t.ck_changed\ndrop_check t.ck_gone\n"
                                    "create_check t.ck_changed\ncreate_check t.ck_new");
    assert_string_equal(last->ops[0]->check->expression, "x > 0");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__indexes(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(a, "t"), *tb = tab(b, "t");
    col(a, ta, "x", "text");
    col(a, ta, "y", "text");
    col(b, tb, "x", "text");
    col(b, tb, "y", "text");
    idx(a, ta, "ix_cols", "x");
    idx(a, ta, "ix_partial", "y")->where = "y IS NOT NULL";
    idx(a, ta, "ix_expr", NULL)->expression = "lower(x)";
    idx(a, ta, "ix_unique", "y");
    idx(a, ta, "ix_gone", "x,y");
    idx(b, tb, "ix_cols", "x,y");
    idx(b, tb, "ix_partial", "y")->where = "y <> ''";
    idx(b, tb, "ix_expr", NULL)->expression = "upper(x)";
    idx(b, tb, "ix_unique", "y")->unique = true;
    idx(b, tb, "ix_new", "y,x");
    assert_string_equal(diff(a, b),
                        "drop_index t.ix_cols\ndrop_index t.ix_partial\ndrop_index t.ix_expr\n"
                        "drop_index t.ix_unique\ndrop_index t.ix_gone\n"
                        "create_index t.ix_cols\ncreate_index t.ix_partial\n"
                        "create_index t.ix_expr\ncreate_index t.ix_unique\n"
                        "create_index t.ix_new");
    assert_roundtrip(a, b, &plain);
    /* An expression written differently is the same index. */
    tb->indexes[2]->expression = "LOWER(x)";
    ta->indexes[1]->where = "(y <> '')";
    assert_string_equal(diff(a, b), "drop_index t.ix_cols\ndrop_index t.ix_unique\n"
                                    "drop_index t.ix_gone\ncreate_index t.ix_cols\n"
                                    "create_index t.ix_unique\ncreate_index t.ix_new");
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__foreign_keys(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    tab(b, "users");
    ag_table *ta = tab(a, "posts"), *tb = tab(b, "posts");
    col(a, ta, "u1", "integer");
    col(a, ta, "u2", "integer");
    col(a, ta, "u3", "integer");
    col(b, tb, "u1", "integer");
    col(b, tb, "u2", "integer");
    col(b, tb, "u3", "integer");
    fk(a, ta, "fk_same", "u1", "users", "id")->on_update = AG_FK_NONE;
    fk(a, ta, "fk_action", "u2", "users", "id")->on_delete = AG_FK_CASCADE;
    fk(a, ta, "fk_gone", "u3", "users", "id");
    fk(b, tb, "fk_same", "u1", "users", "id")->on_update = AG_FK_NO_ACTION;
    fk(b, tb, "fk_action", "u2", "users", "id")->on_delete = AG_FK_SET_NULL;
    fk(b, tb, "fk_new", "u3", "users", "id")->on_delete = AG_FK_RESTRICT;
    assert_string_equal(diff(a, b),
                        "drop_foreign_key posts.fk_action\ndrop_foreign_key posts.fk_gone\n"
                        "create_foreign_key posts.fk_action\ncreate_foreign_key posts.fk_new");
    assert_int_equal(last->ops[0]->fk->on_delete, AG_FK_CASCADE);
    assert_int_equal(last->ops[2]->fk->on_delete, AG_FK_SET_NULL);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* Deferrability alone changing is one ALTER_FK (PostgreSQL's ALTER
 * CONSTRAINT), with what it was for the inverse; with another change too, the
 * key is dropped and created. */
static void test_diff__foreign_key_deferrability(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    tab(b, "users");
    ag_table *ta = tab(a, "posts"), *tb = tab(b, "posts");
    const char *cs[] = { "u1", "u2", "u3", "u4" };
    for (size_t i = 0; i < AG_NELEM(cs); i++) {
        col(a, ta, cs[i], "integer");
        col(b, tb, cs[i], "integer");
    }
    fk(a, ta, "fk_defer", "u1", "users", "id");
    fk(a, ta, "fk_undefer", "u2", "users", "id")->defer = AG_FK_DEFERRED;
    fk(a, ta, "fk_both", "u3", "users", "id");
    fk(a, ta, "fk_same", "u4", "users", "id")->defer = AG_FK_DEFERRABLE;
    fk(b, tb, "fk_defer", "u1", "users", "id")->defer = AG_FK_DEFERRED;
    fk(b, tb, "fk_undefer", "u2", "users", "id")->defer = AG_FK_DEFERRABLE;
    ag_fk *both = fk(b, tb, "fk_both", "u3", "users", "id");
    both->defer = AG_FK_DEFERRED;
    both->on_delete = AG_FK_CASCADE;
    fk(b, tb, "fk_same", "u4", "users", "id")->defer = AG_FK_DEFERRABLE;
    assert_string_equal(diff(a, b), "drop_foreign_key posts.fk_both\n"
                                    "alter_foreign_key posts.fk_defer\n"
                                    "alter_foreign_key posts.fk_undefer\n"
                                    "create_foreign_key posts.fk_both");
    assert_int_equal(last->ops[1]->fk->defer, AG_FK_DEFERRED);
    assert_int_equal(last->ops[1]->old_fk->defer, AG_FK_NOT_DEFERRABLE);
    assert_int_equal(last->ops[2]->fk->defer, AG_FK_DEFERRABLE);
    assert_int_equal(last->ops[2]->old_fk->defer, AG_FK_DEFERRED);
    assert_int_equal(last->ops[3]->fk->defer, AG_FK_DEFERRED);
    ag_arena ar = AG_ARENA_INIT;
    assert_string_equal(ag_op_describe(&ar, last->ops[1]),
                        "make foreign key 'fk_defer' on 'posts' DEFERRABLE INITIALLY DEFERRED");
    ag_oplist *down = ag_oplist_new();
    ag_op_invert(down, last->ops[2]);
    assert_string_equal(ag_op_describe(&ar, down->ops[0]),
                        "make foreign key 'fk_undefer' on 'posts' DEFERRABLE INITIALLY DEFERRED");
    ag_oplist_free(down);
    ag_arena_release(&ar);
    assert_roundtrip(a, b, &plain);
    assert_roundtrip(b, a, &plain);
    /* A key the models name otherwise (or not at all) is altered under the
     * database's name, as it is paired by its definition. */
    tb->fks[0]->name = "fk_posts_u1_users";
    assert_string_equal(diff(a, b), "drop_foreign_key posts.fk_both\n"
                                    "alter_foreign_key posts.fk_defer\n"
                                    "alter_foreign_key posts.fk_undefer\n"
                                    "create_foreign_key posts.fk_both");
    assert_int_equal(last->ops[1]->fk->defer, AG_FK_DEFERRED);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* Every per-table change at once, in the documented order. */
static void test_diff__order_within_a_table(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *t = tab(a, "t");
    col_nn(a, t, "a", "integer");
    col(a, t, "b", "text");
    col(a, t, "c", "integer");
    col(a, t, "old", "text");
    fk(a, t, "fk_t_a", "a", "r", "id");
    idx(a, t, "ix_t_b", "b");
    uq(a, t, "uq_t_a", "a");
    ck(a, t, "ck_t", "a > 0");
    tab(a, "r");

    t = tab(b, "t");
    col_nn(b, t, "a", "integer");
    col(b, t, "b", "string(10)");
    col(b, t, "new", "text")->renamed_from = "old";
    col(b, t, "d", "integer");
    ag_strs_push(b, &t->pk.columns, "a");
    fk(b, t, "fk_t_a", "a", "r", "id")->on_delete = AG_FK_CASCADE;
    idx(b, t, "ix_t_bd", "b,d");
    uq(b, t, "uq_t_b", "b");
    ck(b, t, "ck_t", "a >= 0");
    tab(b, "r");
    assert_string_equal(diff(a, b), "drop_foreign_key t.fk_t_a\n"
                                    "drop_index t.ix_t_b\n"
                                    "drop_unique t.uq_t_a\n"
                                    "drop_check t.ck_t\n"
                                    "drop_primary_key t\n"
                                    "rename_column t.old>new\n"
                                    "add_column t.d\n"
                                    "alter_column t.b !\n"
                                    "drop_column t.c !\n"
                                    "create_primary_key t\n"
                                    "create_unique t.uq_t_b\n"
                                    "create_check t.ck_t\n"
                                    "create_index t.ix_t_bd\n"
                                    "create_foreign_key t.fk_t_a");
    assert_int_equal(last->hints.n, 1); /* c dropped, d added, both integer */
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- ordering across tables ------------------------------------------------------------- */

static void test_diff__create_in_dependency_order(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *c = tab(b, "c");
    col(b, c, "b_id", "integer");
    fk(b, c, "fk_c_b", "b_id", "b", "id");
    ag_table *bt = tab(b, "b");
    col(b, bt, "a_id", "integer");
    fk(b, bt, "fk_b_a", "a_id", "a", "id");
    ag_table *tree = tab(b, "a");
    col(b, tree, "parent_id", "integer");
    fk(b, tree, "fk_a_parent", "parent_id", "a", "id"); /* self-reference: inline */
    assert_string_equal(diff(a, b), "create_table a\ncreate_table b\ncreate_table c");
    assert_int_equal(last->ops[0]->tdef->nfks, 1);
    assert_roundtrip(a, b, &plain);
    /* And dropped the other way round. */
    assert_string_equal(diff(b, a), "drop_table c !\ndrop_table b !\ndrop_table a !");
    assert_roundtrip(b, a, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__cycle(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(b, "a");
    col(b, ta, "b_id", "integer");
    fk(b, ta, "fk_a_b", "b_id", "b", "id");
    ag_table *tb = tab(b, "b");
    col(b, tb, "a_id", "integer");
    fk(b, tb, "fk_b_a", "a_id", "a", "id");
    assert_string_equal(diff(a, b), "create_table b\ncreate_table a\ncreate_foreign_key b.fk_b_a");
    assert_int_equal(last->ops[0]->tdef->nfks, 0);
    assert_int_equal(last->ops[1]->tdef->nfks, 1);
    assert_roundtrip(a, b, &plain);
    assert_string_equal(diff(b, a), "drop_foreign_key b.fk_b_a\ndrop_table a !\ndrop_table b !");
    assert_int_equal(last->ops[2]->tdef->nfks, 0);
    assert_roundtrip(b, a, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* A kept table's key to a dropped table goes first. */
static void test_diff__fk_to_dropped_table(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    ag_table *p = tab(a, "posts");
    col(a, p, "uid", "integer");
    fk(a, p, "fk_posts_uid", "uid", "users", "id");
    col(b, tab(b, "posts"), "uid", "integer");
    assert_string_equal(diff(a, b), "drop_foreign_key posts.fk_posts_uid\ndrop_table users !");
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* A key to a column another table only gets later waits for it. */
static void test_diff__fk_to_a_new_column(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    col(a, tab(a, "orders"), "code", "string(10)");
    tab(a, "users");
    ag_table *o = tab(b, "orders");
    col(b, o, "code", "string(10)");
    fk(b, o, "fk_orders_code", "code", "users", "code");
    ag_table *n = tab(b, "notes");
    col(b, n, "code", "string(10)");
    fk(b, n, "fk_notes_code", "code", "users", "code");
    ag_table *u = tab(b, "users");
    col(b, u, "code", "string(10)");
    uq(b, u, "uq_users_code", "code");
    assert_string_equal(diff(a, b), "create_table notes\n"
                                    "add_column users.code\n"
                                    "create_unique users.uq_users_code\n"
                                    "create_foreign_key notes.fk_notes_code\n"
                                    "create_foreign_key orders.fk_orders_code");
    assert_int_equal(last->ops[0]->tdef->nfks, 0);
    assert_roundtrip(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- enums ------------------------------------------------------------------------------ */

static void test_diff__enum_create_and_drop(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    enm(b, "mood", "happy,sad");
    enum_col(b, tab(b, "users"), "mood", "mood");
    enm(b, "kind", "x");
    enum_col(b, tab(b, "things"), "kind", "kind");
    assert_string_equal(diff(a, b), "create_enum mood\ncreate_enum kind\n"
                                    "create_table things\nadd_column users.mood");
    assert_roundtrip(a, b, &plain);
    assert_string_equal(diff(b, a), "drop_column users.mood !\ndrop_table things !\n"
                                    "drop_enum mood !\ndrop_enum kind !");
    assert_string_equal(last->ops[2]->note, "drops enum 'mood'");
    assert_roundtrip(b, a, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__enum_add_values(void **state)
{
    (void)state;
    for (int caps = 0; caps < 2; caps++) {
        ag_diff_opts o = { .caps = caps ? AG_CAP_ENUM_TYPES : 0 };
        ag_schema *a = ag_schema_new(), *b = ag_schema_new();
        enm(a, "mood", "happy");
        enum_col(a, tab(a, "users"), "mood", "mood");
        enm(b, "mood", "happy,sad,meh");
        enum_col(b, tab(b, "users"), "mood", "mood");
        /* The columns follow the enum: no alter of their own. */
        assert_string_equal(diff_with(a, b, &o),
                            "add_enum_value mood.sad\nadd_enum_value mood.meh");
        assert_roundtrip(a, b, &o);
        /* The inverse drops the values: destructive. */
        ag_oplist *down = ag_oplist_new();
        ag_oplist_invert(down, last);
        ag_op_classify(&down->arena, down->ops[0]);
        assert_true(down->ops[0]->flags & AG_OPF_DESTRUCTIVE);
        assert_string_equal(down->ops[0]->note,
                            "drops value 'meh' of enum 'mood': fails if a row holds it");
        ag_oplist_free(down);
        ag_schema_free(a);
        ag_schema_free(b);
    }
}

/* A value added and used in one change: the alter of the column is the default
 * only (no type change), and for PostgreSQL the value moves to a list of its
 * own, which must commit first; a value nothing uses stays. */
static void test_diff__enum_value_used_splits(void **state)
{
    (void)state;
    for (int caps = 0; caps < 2; caps++) {
        ag_diff_opts o = { .caps = caps ? AG_CAP_ENUM_TYPES : 0 };
        ag_schema *a = ag_schema_new(), *b = ag_schema_new();
        enm(a, "mood", "happy");
        enum_col(a, tab(a, "users"), "mood", "mood")->default_sql = "'happy'";
        enm(b, "mood", "happy,sad,meh");
        ag_table *u = tab(b, "users");
        enum_col(b, u, "mood", "mood")->default_sql = "'sad'";
        ag_table_add_check(b, u, "ck_not_meh")->expression = "mood <> 'meh'";
        assert_string_equal(diff_with(a, b, &o), "add_enum_value mood.sad\n"
                                                 "add_enum_value mood.meh\n"
                                                 "alter_column users.mood\n"
                                                 "create_check users.ck_not_meh");
        const ag_opdef *alter = last->ops[2];
        assert_true(ag_strs_equal(&alter->old_column->enum_values, &alter->column->enum_values));
        assert_roundtrip(a, b, &o);
        ag_oplist *first = ag_diff_split_enum_values(last);
        assert_non_null(first);
        assert_string_equal(lines(first), "add_enum_value mood.sad\nadd_enum_value mood.meh");
        assert_string_equal(lines(last), "alter_column users.mood\ncreate_check users.ck_not_meh");
        ag_oplist_free(first);
        ag_schema_free(a);
        ag_schema_free(b);
    }
    /* Unused: nothing moves. */
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy");
    enum_col(a, tab(a, "users"), "mood", "mood");
    enm(b, "mood", "happy,sad");
    enum_col(b, tab(b, "users"), "mood", "mood");
    ag_table *t = tab(b, "other");
    col(b, t, "note", "text")->default_sql = "'sadness'";
    diff(a, b);
    assert_null(ag_diff_split_enum_values(last));
    assert_string_equal(lines(last), "add_enum_value mood.sad\ncreate_table other");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* A value inserted in the middle goes before the value it precedes; its
 * downgrade drops it. */
static void test_diff__enum_insert_goes_before(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy,sad");
    enum_col(a, tab(a, "users"), "mood", "mood");
    enm(b, "mood", "meh,happy,ok,sad,gone");
    enum_col(b, tab(b, "users"), "mood", "mood");
    assert_string_equal(diff(a, b), "add_enum_value mood.meh\nadd_enum_value mood.ok\n"
                                    "add_enum_value mood.gone");
    assert_string_equal(last->ops[0]->old_name, "happy");
    assert_string_equal(last->ops[1]->old_name, "sad");
    assert_null(last->ops[2]->old_name);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* A value removed is dropped after the tables' changes (a default moves off it
 * first); the downgrade recreates the type as it was, first. */
static void test_diff__enum_remove_drops_late(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy,meh,sad");
    enum_col(a, tab(a, "users"), "mood", "mood")->default_sql = "'meh'";
    enm(b, "mood", "happy,sad");
    enum_col(b, tab(b, "users"), "mood", "mood")->default_sql = "'sad'";
    assert_string_equal(diff(a, b), "alter_column users.mood\ndrop_enum_value mood.meh !");
    ag_oplist *down = ag_oplist_new();
    ag_oplist_invert(down, last);
    assert_int_equal(down->ops[0]->kind, AG_OP_ALTER_ENUM);
    assert_string_equal(ag_strs_join(&down->arena, &down->ops[0]->enm->values, ","),
                        "happy,meh,sad");
    assert_int_equal(down->ops[1]->kind, AG_OP_ALTER_COLUMN);
    ag_oplist_free(down);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* The same values in another order: one alter_enum, its inverse the old order. */
static void test_diff__enum_reorder_recreates(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy,sad");
    enum_col(a, tab(a, "users"), "mood", "mood");
    enm(b, "mood", "sad,happy");
    enum_col(b, tab(b, "users"), "mood", "mood");
    assert_string_equal(diff(a, b), "alter_enum mood");
    assert_int_equal(last->hints.n, 0);
    assert_string_equal(ag_strs_join(&last->arena, &last->ops[0]->enm->values, ","), "sad,happy");
    ag_oplist *down = ag_oplist_new();
    ag_oplist_invert(down, last);
    assert_int_equal(down->ops[0]->kind, AG_OP_ALTER_ENUM);
    assert_string_equal(ag_strs_join(&down->arena, &down->ops[0]->enm->values, ","), "happy,sad");
    ag_oplist_free(down);
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- expressions in the server's words -------------------------------------------------- */

/* A stand-in for the dialect's normalize_exprs: "n > 1" is its own form,
 * everything else one form; "syntax error" in a model's text is rejected. */
static int normalize_calls;
static int fake_normalize(void *arg, ag_exprs *x, ag_error *err)
{
    (void)arg;
    (void)err;
    normalize_calls++;
    for (size_t i = 0; i < x->n; i++) {
        ag_expr *e = &x->v[i];
        e->normal = strstr(e->text, "n > 1") ? "other" : "same";
        if (e->model && strstr(e->text, "syntax error"))
            e->error = "syntax error at end of input";
    }
    return AG_OK;
}

static void expr_schemas(ag_schema **a, ag_schema **b, const char *cur, const char *tgt)
{
    *a = ag_schema_new();
    *b = ag_schema_new();
    ck(*a, tab(*a, "t"), "ck_t", cur);
    ag_check *c = ck(*b, tab(*b, "t"), "ck_t", tgt);
    c->loc = (ag_loc){ "models/t.yaml", 7, 9 };
}

static void test_diff__expr_asks_the_server_only_when_text_differs(void **state)
{
    (void)state;
    ag_diff_opts o = { .normalize = fake_normalize };
    ag_schema *a, *b;
    expr_schemas(&a, &b, "(n > 0)", "n > 0");
    normalize_calls = 0;
    assert_string_equal(diff_with(a, b, &o), "");
    assert_int_equal(normalize_calls, 0);
    ag_schema_free(a);
    ag_schema_free(b);

    /* Another text, the same form: nothing to do, asked once for both. */
    expr_schemas(&a, &b, "(kind = ANY (ARRAY['a'::text, 'b'::text]))", "kind IN ('a','b')");
    assert_string_equal(diff_with(a, b, &o), "");
    assert_int_equal(normalize_calls, 1);
    ag_schema_free(a);
    ag_schema_free(b);

    /* A real change is still one. */
    expr_schemas(&a, &b, "(n > 0)", "n > 1");
    assert_string_equal(diff_with(a, b, &o), "drop_check t.ck_t\ncreate_check t.ck_t");
    ag_schema_free(a);
    ag_schema_free(b);
}

static void test_diff__expr_rejected_is_the_models_error(void **state)
{
    (void)state;
    ag_diff_opts o = { .normalize = fake_normalize };
    ag_schema *a, *b;
    expr_schemas(&a, &b, "(n > 0)", "n > 0 AND syntax error");
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_diff(&ops, a, b, &o, &err), AG_EINVALID);
    assert_null(ops);
    assert_string_equal(err.file, "models/t.yaml");
    assert_int_equal(err.line, 7);
    assert_non_null(strstr(err.msg, "syntax error at end of input"));
    ag_schema_free(a);
    ag_schema_free(b);
}

/* An enum the database holds only in a column (no enum type) exists already. */
static void test_diff__enum_known_from_a_column(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_column *c = col(a, tab(a, "users"), "mood", "enum(mood)");
    strs(a, &c->enum_values, "happy,sad");
    enm(b, "mood", "happy,sad");
    enum_col(b, tab(b, "users"), "mood", "mood");
    assert_string_equal(diff(a, b), "");
    b->enums[0]->values.n = 1;
    ag_strs_push(b, &b->enums[0]->values, "sad");
    ag_strs_push(b, &b->enums[0]->values, "meh");
    b->tables[0]->columns[1]->enum_values.n = 0; /* values from the enum */
    assert_string_equal(diff(a, b), "add_enum_value mood.meh");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* An enum a table outside autogen's scope uses is never dropped. */
static void test_diff__enum_kept_for_an_excluded_table(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy");
    enum_col(a, tab(a, "legacy"), "mood", "mood");
    const char *exc[] = { "legacy" };
    ag_diff_opts o = { .exclude_tables = exc, .nexclude = 1 };
    assert_string_equal(diff_with(a, b, &o), "");
    assert_string_equal(diff(a, b), "drop_table legacy !\ndrop_enum mood !");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* Without enum types (SQLite) the values live in each column's CHECK: a
 * column whose values the enum ops do not bring in line is altered. */
static void test_diff__enum_values_in_columns(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    enm(a, "mood", "happy,sad");
    ag_table *t = tab(a, "users");
    enum_col(a, t, "m1", "mood");
    enum_col(a, t, "m2", "mood")->enum_values.n = 1; /* a CHECK with only 'happy' */
    enm(b, "mood", "happy,sad");
    t = tab(b, "users");
    enum_col(b, t, "m1", "mood");
    enum_col(b, t, "m2", "mood");
    assert_string_equal(diff(a, b), "alter_column users.m2");
    assert_roundtrip(a, b, &plain);
    ag_diff_opts pg = { .caps = AG_CAP_ENUM_TYPES };
    assert_string_equal(diff_with(a, b, &pg), "");
    /* Losing a value is destructive. */
    assert_string_equal(diff(b, a), "alter_column users.m2 !");
    assert_string_equal(last->ops[0]->note,
                        "removes value(s) sad of 'users.m2': fails if a row holds one");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- comments ---------------------------------------------------------------------------- */

static void test_diff__comments_need_the_capability(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    ag_table *ta = tab(a, "t"), *tb = tab(b, "t");
    col(a, ta, "n", "text")->comment = "old";
    col(b, tb, "n", "text")->comment = "new";
    ta->comment = "was";
    tb->comment = "is";
    ag_diff_opts pg = { .caps = AG_CAP_COMMENTS };
    assert_string_equal(diff(a, b), "");
    assert_string_equal(diff_with(a, b, &pg), "alter_column t.n\ntable_comment t");
    assert_string_equal(last->ops[1]->name, "is");
    assert_string_equal(last->ops[1]->old_name, "was");
    assert_roundtrip(a, b, &pg);
    /* Altered for another reason without the capability: the comment stays. */
    tb->columns[1]->nullable = false;
    assert_string_equal(diff(a, b), "alter_column t.n !");
    assert_string_equal(last->ops[0]->column->comment, "old");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- scope ----------------------------------------------------------------------------- */

static void test_diff__include_and_exclude(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "users");
    tab(a, "app_logs");
    tab(a, "spatial_ref_sys");
    tab(b, "users");
    col(b, tab(b, "spatial_ref_sys"), "srid", "integer"); /* excluded: never touched */
    const char *inc[] = { "app_*", "users" }, *exc[] = { "spatial_*" }, *only[] = { "users" };
    ag_diff_opts o = { .include_tables = inc, .ninclude = 2, .exclude_tables = exc, .nexclude = 1 };
    assert_string_equal(diff_with(a, b, &o), "drop_table app_logs !");
    ag_diff_opts o2 = {
        .include_tables = only, .ninclude = 1, .exclude_tables = exc, .nexclude = 1
    };
    assert_string_equal(diff_with(a, b, &o2), "");
    ag_diff_opts o3 = { .exclude_tables = exc, .nexclude = 1 };
    assert_string_equal(diff_with(a, b, &o3), "drop_table app_logs !");
    assert_string_equal(diff(a, b), "add_column spatial_ref_sys.srid\ndrop_table app_logs !");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* A glob without a dot matches the name in any schema; one with a dot matches
 * schema.table, each side a glob of its own. */
static void test_diff__table_glob_match(void **state)
{
    (void)state;
    assert_true(ag_table_glob_match("handmade", "public", "handmade"));
    assert_true(ag_table_glob_match("handmade", "blog", "handmade"));
    assert_true(ag_table_glob_match("hand*", "blog", "handmade"));
    assert_false(ag_table_glob_match("hand", "public", "handmade"));
    assert_true(ag_table_glob_match("public.handmade", "public", "handmade"));
    assert_false(ag_table_glob_match("public.handmade", "blog", "handmade"));
    assert_true(ag_table_glob_match("blog.scr*", "blog", "scratch"));
    assert_true(ag_table_glob_match("*.scratch", "blog", "scratch"));
    assert_true(ag_table_glob_match("b*.*", "blog", "posts"));
    /* '*' does not cross the dot: "*" is not "blog.posts", "*s" is not "x.y.posts". */
    assert_false(ag_table_glob_match("*posts", "blog", "x"));
    assert_false(ag_table_glob_match("blog*", "blog", "posts"));
    assert_false(ag_table_glob_match("*.posts", NULL, "posts"));
}

/* Tables of the default schema go by its name in a qualified glob. */
static void test_diff__qualified_globs(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = ag_schema_new();
    tab(a, "handmade");
    tab(a, "handmade")->schema = "blog";
    const char *pub[] = { "public.hand*" }, *bare[] = { "handmade" };
    ag_diff_opts o = { .exclude_tables = pub, .nexclude = 1, .default_schema = "public" };
    assert_string_equal(diff_with(a, b, &o), "drop_table handmade !");
    assert_string_equal(last->ops[0]->schema, "blog"); /* blog.handmade is not public's */
    ag_diff_opts o2 = { .exclude_tables = bare, .nexclude = 1, .default_schema = "public" };
    assert_string_equal(diff_with(a, b, &o2), "");
    ag_schema_free(a);
    ag_schema_free(b);
}

/* --- ownership and classification ---------------------------------------------------------- */

/* The ops own copies: the schemas can go first. */
static void test_diff__ops_outlive_the_schemas(void **state)
{
    (void)state;
    ag_schema *a = ag_schema_new(), *b = rich();
    ag_oplist *ops = run(a, b, &plain);
    ag_schema_free(a);
    ag_schema_free(b);
    ag_arena scratch = AG_ARENA_INIT;
    for (size_t i = 0; i < ops->n; i++)
        assert_non_null(ag_op_describe(&scratch, ops->ops[i]));
    assert_string_equal(ops->ops[1]->tdef->columns[2]->default_sql, "'active'");
    assert_string_equal(ops->ops[1]->tdef->indexes[1]->expression, "lower(email)");
    ag_arena_release(&scratch);
    ag_oplist_free(ops);
}

static void test_diff__classify(void **state)
{
    (void)state;
    ag_schema *s = ag_schema_new();
    ag_oplist *l = ag_oplist_new();
    ag_table *t = ag_schema_add_table(s, "t");
    ag_opdef *op = ag_oplist_push(l, AG_OP_ALTER_COLUMN, "t");
    op->old_column = col(s, t, "c", "integer");
    op->column = col(s, t, "c", "bigint");
    ag_op_classify(&l->arena, op);
    assert_false(op->flags & AG_OPF_DESTRUCTIVE);
    /* Type and NOT NULL at once: both reasons. */
    op->column = col_nn(s, t, "c", "smallint");
    ag_op_classify(&l->arena, op);
    assert_true(op->flags & AG_OPF_DESTRUCTIVE);
    assert_string_equal(op->note, "narrows 't.c' from integer to smallint: values may not fit; "
                                  "makes 't.c' NOT NULL: fails if a row holds NULL");
    /* A migration's partial alter: only what it changes counts. */
    op->alter_mask = AG_ALTER_DEFAULT;
    ag_op_classify(&l->arena, op);
    assert_false(op->flags & AG_OPF_DESTRUCTIVE);
    assert_null(op->note);
    op->alter_mask = AG_ALTER_NULLABLE;
    op->old_column = NULL;
    ag_op_classify(&l->arena, op);
    assert_true(op->flags & AG_OPF_DESTRUCTIVE);
    /* The rest of the table of widenings. */
    static const char *const safe[][2] = {
        { "smallint", "integer" },     { "char(3)", "string(3)" }, { "string(5)", "string" },
        { "decimal(5,2)", "decimal" }, { "integer", "double" },    { "enum(e)", "text" },
        { "json", "jsonb" },           { "uuid", "text" },         { "text", "string" },
    };
    static const char *const unsafe[][2] = {
        { "integer", "real" },         { "double", "real" },     { "string", "string(5)" },
        { "integer", "decimal(5,0)" }, { "char(3)", "char(2)" }, { "binary", "text" },
        { "timestamp", "date" },       { "text", "uuid" },       { "decimal", "decimal(8,2)" },
    };
    op->alter_mask = 0;
    for (size_t i = 0; i < AG_NELEM(safe) + AG_NELEM(unsafe); i++) {
        bool ok = i < AG_NELEM(safe);
        const char *const *p = ok ? safe[i] : unsafe[i - AG_NELEM(safe)];
        op->old_column = col(s, t, "c", p[0]);
        op->column = col(s, t, "c", p[1]);
        ag_op_classify(&l->arena, op);
        if (!(op->flags & AG_OPF_DESTRUCTIVE) != ok)
            fail_msg("%s -> %s should be %s", p[0], p[1], ok ? "safe" : "destructive");
    }
    op = ag_oplist_push(l, AG_OP_DROP_INDEX, "t");
    ag_op_classify(&l->arena, op);
    assert_false(op->flags & AG_OPF_DESTRUCTIVE);
    ag_oplist_free(l);
    ag_schema_free(s);
}

/* ag_schema_apply alone: what a database does as a side effect of an op, and
 * the ops it refuses. */
static void test_diff__apply_follows_the_database(void **state)
{
    (void)state;
    ag_schema *s = ag_schema_new();
    ag_table *t = tab(s, "items");
    col(s, t, "qty", "integer");
    ck(s, t, "ck_qty", "qty > 0 AND \"QTY\" < 100 AND note <> 'qty' AND qty(1) = 1");
    ag_index *x = idx(s, t, "ix_qty", NULL);
    x->expression = "abs(qty)";
    x->where = "qty IS NOT NULL -- qty";
    ag_table *o = tab(s, "other");
    ag_oplist *ops = ag_oplist_new();
    ag_error err = { 0 };

    /* Renaming a column rewrites the expressions that name it, but not string
     * literals, comments or a function of the same name. */
    ag_opdef *op = ag_oplist_push(ops, AG_OP_RENAME_COLUMN, "items");
    op->old_name = "qty";
    op->name = "amount";
    assert_int_equal(ag_schema_apply(s, op, &err), AG_OK);
    assert_string_equal(t->checks[0]->expression,
                        "\"amount\" > 0 AND \"amount\" < 100 AND note <> 'qty' AND qty(1) = 1");
    assert_string_equal(t->indexes[0]->expression, "abs(\"amount\")");
    assert_string_equal(t->indexes[0]->where, "\"amount\" IS NOT NULL -- qty");

    /* Index names are unique across the tables of a schema. */
    op = ag_oplist_push(ops, AG_OP_CREATE_INDEX, "other");
    ag_schema *defs = ag_schema_new();
    op->index = ag_table_add_index(defs, ag_schema_add_table(defs, "other"), "ix_qty");
    strs(defs, &op->index->columns, "id");
    assert_int_equal(ag_schema_apply(s, op, &err), AG_EINVALID);
    assert_string_equal(err.msg, "create_index: index 'ix_qty' already exists on 'items'");
    op->index->name = "ix_other";
    ag_strs_push(defs, &op->index->columns, "nope");
    assert_int_equal(ag_schema_apply(s, op, &err), AG_EINVALID);
    assert_string_equal(err.msg, "create_index: no column 'other.nope'");
    assert_int_equal(o->nindexes, 0);

    /* A second primary key, or dropping one that is not there. */
    op = ag_oplist_push(ops, AG_OP_ADD_PK, "other");
    op->pk = &o->pk;
    assert_int_equal(ag_schema_apply(s, op, &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "already has a primary key"));
    op = ag_oplist_push(ops, AG_OP_DROP_PK, "other");
    assert_int_equal(ag_schema_apply(s, op, &err), AG_OK);
    assert_int_equal(o->pk.columns.n, 0);
    assert_int_equal(ag_schema_apply(s, op, &err), AG_EINVALID);
    assert_string_equal(err.msg, "drop_primary_key: table 'other' has no primary key");
    ag_schema_free(defs);
    ag_oplist_free(ops);
    ag_schema_free(s);
}

/* The op codec: every op of a rich diff and of its inverse survives encoding
 * byte for byte; damaged bytes are refused, never half-read as success. */
static void test_diff__ops_encode_and_decode(void **state)
{
    (void)state;
    ag_schema *empty = ag_schema_new(), *full = rich();
    ag_diff_opts pg = { .caps = AG_CAP_COMMENTS | AG_CAP_ENUM_TYPES | AG_CAP_SCHEMAS };
    full->tables[0]->comment = "people";
    full->tables[0]->columns[1]->comment = "where to write";
    ag_oplist *ops = run(empty, full, &pg);
    ag_oplist_invert(ops, ops);
    ag_opdef *x = ag_oplist_push(ops, AG_OP_EXECUTE, "");
    x->sql = "UPDATE users SET email = lower(email)";
    x->flags = AG_OPF_NONTRANSACTIONAL;
    ag_opdef *alter = ag_oplist_push(ops, AG_OP_ALTER_FK, "posts");
    alter->fk = ag_fk_clone(&ops->arena, full->tables[1]->fks[0]);
    alter->fk->defer = AG_FK_DEFERRED;
    alter->old_fk = ag_fk_clone(&ops->arena, full->tables[1]->fks[0]);
    alter->old_fk->defer = AG_FK_DEFERRABLE;
    ag_oplist_push(ops, AG_OP_EXECUTE, "")->sql = "SELECT 1";
    assert_true(ops->n > 4);

    ag_buf a = AG_BUF_INIT, b = AG_BUF_INIT;
    ag_oplist_encode(&a, ops);
    ag_oplist *back = ag_oplist_new();
    assert_true(ag_oplist_decode(back, a.ptr, a.len));
    assert_int_equal(back->n, ops->n);
    ag_oplist_encode(&b, back);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    ag_arena ar = AG_ARENA_INIT;
    for (size_t i = 0; i < ops->n; i++)
        assert_string_equal(ag_op_describe(&ar, back->ops[i]), ag_op_describe(&ar, ops->ops[i]));
    assert_string_equal(back->ops[back->n - 3]->sql, x->sql);
    const ag_opdef *ba = back->ops[back->n - 2];
    assert_int_equal(ba->kind, AG_OP_ALTER_FK);
    assert_int_equal(ba->fk->defer, AG_FK_DEFERRED);
    assert_int_equal(ba->old_fk->defer, AG_FK_DEFERRABLE);
    assert_string_equal(ba->old_fk->name, "fk_posts_user_id_users");
    ag_arena_release(&ar);

    /* Every truncation, and trailing bytes, are refused. */
    for (size_t cut = 0; cut < a.len; cut += 7) {
        ag_oplist *part = ag_oplist_new();
        assert_false(ag_oplist_decode(part, a.ptr, cut));
        ag_oplist_free(part);
    }
    ag_buf_putc(&a, 'x');
    ag_oplist *more = ag_oplist_new();
    assert_false(ag_oplist_decode(more, a.ptr, a.len));
    /* An op kind out of range. */
    unsigned char bad[] = { 1, 0, 0, 0, 200, 0, 0, 0 };
    ag_oplist *odd = ag_oplist_new();
    assert_false(ag_oplist_decode(odd, bad, sizeof(bad)));

    ag_oplist_free(odd);
    ag_oplist_free(more);
    ag_oplist_free(back);
    ag_oplist_free(ops);
    ag_buf_dispose(&a);
    ag_buf_dispose(&b);
    ag_schema_free(empty);
    ag_schema_free(full);
}

static void test_diff__bad_arguments(void **state)
{
    (void)state;
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    ag_schema *s = ag_schema_new();
    assert_int_equal(ag_diff(&ops, s, NULL, NULL, &err), AG_EUSAGE);
    assert_null(ops);
    assert_int_equal(ag_diff(&ops, s, s, NULL, NULL), AG_OK);
    assert_int_equal(ops->n, 0);
    ag_oplist_free(ops);
    ag_schema_free(s);
}

#define T(name) cmocka_unit_test_teardown(test_diff__##name, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(identical_is_empty),
        T(same_meaning_written_differently),
        T(create_tables),
        T(drop_tables),
        T(rename_table),
        T(rename_table_needs_a_free_name),
        T(table_schemas),
        T(columns_add_alter_drop),
        T(rename_column),
        T(column_rename_hint),
        T(table_rename_hint),
        T(type_widening_and_narrowing),
        T(nullability_both_ways),
        T(defaults_add_change_drop),
        T(defaults_equal_by_meaning),
        T(type_reduce_makes_text_and_uuid_equal),
        T(autoincrement_alone_is_a_hint),
        T(alter_visible),
        T(primary_key),
        T(uniques),
        T(checks),
        T(indexes),
        T(foreign_keys),
        T(foreign_key_deferrability),
        T(order_within_a_table),
        T(create_in_dependency_order),
        T(cycle),
        T(fk_to_dropped_table),
        T(fk_to_a_new_column),
        T(enum_create_and_drop),
        T(enum_add_values),
        T(enum_value_used_splits),
        T(enum_insert_goes_before),
        T(enum_remove_drops_late),
        T(enum_reorder_recreates),
        T(enum_known_from_a_column),
        T(expr_asks_the_server_only_when_text_differs),
        T(expr_rejected_is_the_models_error),
        T(enum_kept_for_an_excluded_table),
        T(enum_values_in_columns),
        T(comments_need_the_capability),
        T(include_and_exclude),
        T(table_glob_match),
        T(qualified_globs),
        T(ops_outlive_the_schemas),
        T(classify),
        T(apply_follows_the_database),
        T(ops_encode_and_decode),
        T(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
