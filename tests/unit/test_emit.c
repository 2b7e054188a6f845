/* test_emit.c - migration files: ops emitted as C and compiled back with libtcc
 * give the same ops; the template; headers read without compiling; compiler
 * diagnostics; the object cache. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "migration/migfile.h"
#include "schema/opcodec.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include <autogen/migration.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ag-emit-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static const char *write_migration(const char *name, const char *rev, const ag_oplist *up)
{
    static char path[400];
    ag_buf body = AG_BUF_INIT, file = AG_BUF_INIT;
    ag_emit_ops_c(&body, up);
    const char *down[] = { "aaaa", NULL }, *none[] = { NULL };
    ag_template_vars v = { .message = "a */ tricky\nmessage",
                           .revision = rev,
                           .down_revisions = down,
                           .branch_labels = none,
                           .depends_on = none,
                           .create_date = "2026-01-01 00:00:00",
                           .upgrades = body.ptr,
                           .downgrades = NULL };
    ag_error err = { 0 };
    assert_int_equal(ag_template_render(&file, ag_default_template, "tmpl", &v, &err), AG_OK);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(ag_write_file_atomic(path, file.ptr, file.len, &err), AG_OK);
    ag_buf_dispose(&body);
    ag_buf_dispose(&file);
    return path;
}

static ag_column *
col(ag_arena *a, const char *name, const char *type, bool nullable, const char *dflt)
{
    ag_column *c = ag_arena_alloc(a, sizeof(*c));
    c->name = name;
    assert_true(ag_type_parse(a, type, &c->type));
    c->nullable = nullable;
    c->default_sql = dflt;
    return c;
}

/* Every op kind, with the fields a migration file can carry. */
static ag_oplist *every_op(void)
{
    ag_oplist *l = ag_oplist_new();
    ag_arena *a = &l->arena;
    ag_opdef *op = ag_oplist_push(l, AG_OP_CREATE_ENUM, NULL);
    op->enm = ag_arena_alloc(a, sizeof(ag_enum));
    op->enm->name = "status";
    ag_strs_push_arena(a, &op->enm->values, "on");
    ag_strs_push_arena(a, &op->enm->values, "off");

    op = ag_oplist_push(l, AG_OP_CREATE_TABLE, "users");
    ag_table *t = ag_arena_alloc(a, sizeof(*t));
    t->name = "users";
    ag_column *id = col(a, "id", "bigint", false, NULL);
    id->autoincrement = true;
    ag_column *st = col(a, "st", "enum(status)", false, "'on'");
    ag_strs_push_arena(a, &st->enum_values, "on");
    ag_strs_push_arena(a, &st->enum_values, "off");
    ag_column *email = col(a, "email", "string(100)", false, NULL);
    email->collation = "NOCASE";
    ag_column *cols[] = { id, email, col(a, "price", "decimal(12,2)", true, "0"), st,
                          col(a, "note", "text", true, "'it''s \"quoted\"'") };
    for (size_t i = 0; i < AG_NELEM(cols); i++)
        AG_ARENA_PUSH(a, t->columns, t->ncolumns, t->columns_cap, cols[i]);
    t->pk.name = "pk_users";
    ag_strs_push_arena(a, &t->pk.columns, "id");
    ag_unique *u = ag_arena_alloc(a, sizeof(*u));
    u->name = "uq_users_email";
    ag_strs_push_arena(a, &u->columns, "email");
    AG_ARENA_PUSH(a, t->uniques, t->nuniques, t->uniques_cap, u);
    ag_check *ck = ag_arena_alloc(a, sizeof(*ck));
    ck->name = "price_ok";
    ck->expression = "price >= 0";
    AG_ARENA_PUSH(a, t->checks, t->nchecks, t->checks_cap, ck);
    ag_fk *f = ag_arena_alloc(a, sizeof(*f));
    f->name = "fk_self";
    ag_strs_push_arena(a, &f->columns, "id");
    f->ref_table = "users";
    ag_strs_push_arena(a, &f->ref_columns, "id");
    f->on_delete = AG_FK_CASCADE;
    f->on_update = AG_FK_SET_NULL;
    AG_ARENA_PUSH(a, t->fks, t->nfks, t->fks_cap, f);
    ag_fk *later = ag_fk_clone(a, f);
    later->name = "fk_later";
    later->defer = AG_FK_DEFERRED;
    AG_ARENA_PUSH(a, t->fks, t->nfks, t->fks_cap, later);
    op->tdef = t;

    op = ag_oplist_push(l, AG_OP_ADD_COLUMN, "users");
    op->column = col(a, "zoning", "string(50)", true, NULL);
    op->column->collation = "C";
    op = ag_oplist_push(l, AG_OP_ALTER_COLUMN, "users");
    op->old_column = col(a, "zoning", "string(50)", true, NULL);
    op->old_column->collation = "C";
    op->column = col(a, "zoning", "string(80)", false, "'x'");
    op = ag_oplist_push(l, AG_OP_RENAME_COLUMN, "users");
    op->old_name = "zoning";
    op->name = "zone";
    op = ag_oplist_push(l, AG_OP_CREATE_INDEX, "users");
    op->index = ag_arena_alloc(a, sizeof(ag_index));
    op->index->name = "ix_part";
    ag_strs_push_arena(a, &op->index->columns, "zone");
    op->index->unique = true;
    op->index->where = "zone IS NOT NULL";
    op = ag_oplist_push(l, AG_OP_CREATE_INDEX, "users");
    op->index = ag_arena_alloc(a, sizeof(ag_index));
    op->index->name = "ix_expr";
    op->index->expression = "lower(email)";
    op = ag_oplist_push(l, AG_OP_ADD_FK, "users");
    op->fk = f;
    op = ag_oplist_push(l, AG_OP_ADD_FK, "users");
    op->fk = ag_fk_clone(a, f);
    op->fk->name = "fk_soon";
    op->fk->defer = AG_FK_DEFERRABLE;
    op = ag_oplist_push(l, AG_OP_ALTER_FK, "users");
    op->fk = ag_fk_clone(a, f);
    op->fk->defer = AG_FK_DEFERRED;
    op->old_fk = ag_fk_clone(a, f);
    op = ag_oplist_push(l, AG_OP_ADD_PK, "users");
    op->pk = ag_arena_alloc(a, sizeof(ag_pk));
    op->pk->name = "pk2";
    ag_strs_push_arena(a, &op->pk->columns, "id");
    ag_strs_push_arena(a, &op->pk->columns, "email");
    op = ag_oplist_push(l, AG_OP_ADD_ENUM_VALUE, NULL);
    op->enm = ag_arena_alloc(a, sizeof(ag_enum));
    op->enm->name = "status";
    op->name = "gone";
    op = ag_oplist_push(l, AG_OP_TABLE_COMMENT, "users");
    op->name = "people";
    op = ag_oplist_push(l, AG_OP_EXECUTE, NULL);
    op->sql = "UPDATE users SET note = 'a\\b'";
    op = ag_oplist_push(l, AG_OP_RENAME_TABLE, "users");
    op->name = "people";
    static const ag_op_kind drops[] = { AG_OP_DROP_INDEX, AG_OP_DROP_UNIQUE,     AG_OP_DROP_CHECK,
                                        AG_OP_DROP_FK,    AG_OP_DROP_PK,         AG_OP_DROP_COLUMN,
                                        AG_OP_DROP_TABLE, AG_OP_DROP_ENUM_VALUE, AG_OP_DROP_ENUM };
    for (size_t i = 0; i < AG_NELEM(drops); i++) {
        bool is_enum = drops[i] == AG_OP_DROP_ENUM_VALUE || drops[i] == AG_OP_DROP_ENUM;
        op = ag_oplist_push(l, drops[i], is_enum ? NULL : "people");
        op->index = ag_arena_alloc(a, sizeof(ag_index));
        op->index->name = "ix_part";
        op->unique = ag_arena_alloc(a, sizeof(ag_unique));
        op->unique->name = "uq_users_email";
        op->check = ag_arena_alloc(a, sizeof(ag_check));
        op->check->name = "price_ok";
        op->fk = ag_arena_alloc(a, sizeof(ag_fk));
        op->fk->name = "fk_self";
        op->pk = ag_arena_alloc(a, sizeof(ag_pk));
        op->pk->name = "pk2";
        op->column = col(a, "note", "text", true, NULL);
        op->enm = ag_arena_alloc(a, sizeof(ag_enum));
        op->enm->name = "status";
        op->name = drops[i] == AG_OP_DROP_ENUM_VALUE ? "gone" : NULL;
    }
    return l;
}

static void assert_column(const ag_column *a, const ag_column *b)
{
    assert_string_equal(a->name, b->name);
    assert_true(ag_type_equal(&a->type, &b->type));
    assert_int_equal(a->nullable, b->nullable);
    assert_int_equal(a->autoincrement, b->autoincrement);
    if (a->default_sql || b->default_sql)
        assert_string_equal(a->default_sql, b->default_sql);
    assert_true(ag_strs_equal(&a->enum_values, &b->enum_values));
    assert_true(ag_str_eq(a->collation, b->collation));
}

static void test_emit__round_trip_every_op(void **state)
{
    (void)state;
    ag_oplist *up = every_op();
    const char *path = write_migration("r1_all.c", "r1", up);
    ag_compiler *c = NULL;
    ag_error err = { 0 };
    char cache[300];
    snprintf(cache, sizeof(cache), "%s/cache", dir);
    assert_int_equal(ag_compiler_new(&c, cache, &err), AG_OK);
    ag_oplist *got = ag_oplist_new();
    int rc = ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err);
    if (rc != AG_OK)
        fail_msg("%s", err.msg);
    /* CREATE_TABLE's comment comes back as its own op. */
    assert_int_equal(got->n, up->n);
    for (size_t i = 0; i < up->n; i++) {
        const ag_opdef *a = up->ops[i], *b = got->ops[i];
        assert_int_equal(a->kind, b->kind);
        if (a->table)
            assert_string_equal(a->table, b->table);
        switch (a->kind) {
        case AG_OP_CREATE_TABLE:
            assert_int_equal(a->tdef->ncolumns, b->tdef->ncolumns);
            for (size_t k = 0; k < a->tdef->ncolumns; k++)
                assert_column(a->tdef->columns[k], b->tdef->columns[k]);
            assert_string_equal(b->tdef->pk.name, "pk_users");
            assert_true(ag_strs_equal(&a->tdef->pk.columns, &b->tdef->pk.columns));
            assert_string_equal(b->tdef->uniques[0]->name, "uq_users_email");
            assert_string_equal(b->tdef->checks[0]->expression, "price >= 0");
            assert_int_equal(b->tdef->fks[0]->on_delete, AG_FK_CASCADE);
            assert_int_equal(b->tdef->fks[0]->on_update, AG_FK_SET_NULL);
            assert_int_equal(b->tdef->fks[0]->defer, AG_FK_NOT_DEFERRABLE);
            assert_string_equal(b->tdef->fks[1]->name, "fk_later");
            assert_int_equal(b->tdef->fks[1]->on_delete, AG_FK_CASCADE);
            assert_int_equal(b->tdef->fks[1]->defer, AG_FK_DEFERRED);
            break;
        case AG_OP_ADD_FK:
            assert_string_equal(a->fk->name, b->fk->name);
            assert_int_equal(a->fk->on_update, b->fk->on_update);
            assert_int_equal(a->fk->defer, b->fk->defer);
            break;
        case AG_OP_ALTER_FK:
            assert_string_equal(b->fk->name, "fk_self");
            assert_int_equal(b->fk->defer, AG_FK_DEFERRED);
            assert_int_equal(b->old_fk->defer, AG_FK_NOT_DEFERRABLE);
            break;
        case AG_OP_ADD_COLUMN:
            assert_column(a->column, b->column);
            break;
        case AG_OP_ALTER_COLUMN:
            assert_int_equal(b->alter_mask, AG_ALTER_TYPE | AG_ALTER_NULLABLE | AG_ALTER_DEFAULT |
                                                AG_ALTER_COLLATION);
            assert_column(a->column, b->column);
            assert_column(a->old_column, b->old_column);
            break;
        case AG_OP_RENAME_COLUMN:
            assert_string_equal(b->old_name, "zoning");
            assert_string_equal(b->name, "zone");
            break;
        case AG_OP_CREATE_INDEX:
            assert_string_equal(a->index->name, b->index->name);
            assert_true(ag_strs_equal(&a->index->columns, &b->index->columns));
            assert_int_equal(a->index->unique, b->index->unique);
            if (a->index->where)
                assert_string_equal(a->index->where, b->index->where);
            if (a->index->expression)
                assert_string_equal(a->index->expression, b->index->expression);
            break;
        case AG_OP_ADD_PK:
            assert_string_equal(b->pk->name, "pk2");
            assert_int_equal(b->pk->columns.n, 2);
            break;
        case AG_OP_EXECUTE:
            assert_string_equal(a->sql, b->sql);
            break;
        case AG_OP_ADD_ENUM_VALUE:
        case AG_OP_DROP_ENUM_VALUE:
            assert_string_equal(b->enm->name, "status");
            assert_string_equal(b->name, "gone");
            break;
        case AG_OP_CREATE_ENUM:
            assert_true(ag_strs_equal(&a->enm->values, &b->enm->values));
            break;
        case AG_OP_TABLE_COMMENT:
        case AG_OP_RENAME_TABLE:
            assert_string_equal(a->name, b->name);
            break;
        default:
            break;
        }
    }
    /* The header reads back without compiling; the message cannot end the comment. */
    FILE *f = fopen(path, "r");
    char text[16384];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    ag_revfile rf;
    assert_int_equal(ag_revfile_parse(&rf, path, text, &err), AG_OK);
    assert_string_equal(rf.revision, "r1");
    assert_string_equal(rf.down_revisions[0], "aaaa");
    assert_null(rf.down_revisions[1]);
    assert_string_equal(rf.message, "a * / tricky");
    assert_string_equal(rf.create_date, "2026-01-01 00:00:00");
    ag_revfile_release(&rf);
    ag_oplist_free(got);
    ag_oplist_free(up);
    ag_compiler_free(c);
}

/* Append text to the file at path. */
static void append(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The ops of path in direction d, encoded (opcodec.h), and whether the
 * compiler's cache got an object (it was compiled). */
static char *collect_encoded(ag_compiler *c, const char *path, ag_direction d, size_t *len)
{
    ag_oplist *got = ag_oplist_new();
    ag_error err = { 0 };
    bool cacheable = false;
    int rc = ag_migration_collect(c, path, d, "sqlite", got, &cacheable, &err);
    if (rc != AG_OK)
        fail_msg("%s", err.msg);
    assert_true(cacheable);
    ag_buf b = AG_BUF_INIT;
    ag_oplist_encode(&b, got);
    ag_oplist_free(got);
    *len = b.len;
    return ag_buf_detach(&b);
}

static size_t objects_in(const char *cache)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.o$'", cache);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    if (fscanf(p, "%zu", &n) != 1)
        n = 0;
    pclose(p);
    return n;
}

/* A file of plain calls is recorded without the compiler (no object is
 * made), and gives exactly the ops the compiled file gives, both ways. */
static void test_emit__direct_reading_matches_the_compiler(void **state)
{
    (void)state;
    ag_oplist *up = every_op();
    char plain[400], compiled[400], cache[300];
    snprintf(plain, sizeof(plain), "%s", write_migration("r2_plain.c", "r2", up));
    /* The same text, but for a directive the reader leaves to the compiler. */
    snprintf(compiled, sizeof(compiled), "%s/r2_compiled.c", dir);
    size_t n = 0;
    char *text = ag_read_file(plain, &n, NULL);
    ag_error err = { 0 };
    assert_int_equal(ag_write_file_atomic(compiled, text, n, &err), AG_OK);
    free(text);
    append(compiled, "#define COMPILED 1\n");
    /* What the emitter never writes but the reader takes: AG_ALTER with few
     * fields, AG_INDEX options, every item macro, a NULL item, strings
     * joined and escaped, AG_KEEP, a comment between the arguments. */
    const char *extra =
        "\nvoid downgrade(ag_op *o)\n{\n"
        "    ag_create_table(o, \"t\", AG_COL(\"id\", \"integer\", .primary_key = 1,"
        " .autoincrement = 1), AG_COL(\"s\", \"enum(st)\", .values = AG_VALUES(\"a\", \"b\"),"
        " .comment = \"c\\\"q\\\\\" \"joined\\n\"), AG_UNIQUE(\"uq_s\", AG_COLS(\"s\")),"
        " AG_CHECK(\"ck\", \"id > 0\"), AG_PRIMARY_KEY(\"pk\", AG_COLS(\"id\")),"
        " AG_FOREIGN_KEY(\"fk\", AG_COLS(\"id\"), \"t\", AG_COLS(\"id\"), \"cascade\", NULL),"
        " AG_DEFERRABLE_FOREIGN_KEY(\"fkd\", AG_COLS(\"id\"), \"t\", AG_COLS(\"id\"), NULL, NULL,"
        " \"deferred\"), AG_DEFERRABLE_FOREIGN_KEY(\"fkn\", AG_COLS(\"id\"), \"t\","
        " AG_COLS(\"id\"), NULL, NULL, NULL));\n"
        "    ag_alter_column(o, \"t\", \"s\", AG_ALTER(.nullable = AG_KEEP, /* keep */ .comment = "
        "\"x\"));\n"
        "    ag_alter_column(o, \"t\", \"s\", AG_ALTER(.type = \"text\", .existing_nullable = "
        "0));\n"
        "    ag_create_index(o, \"t\", \"ix\", AG_COLS(\"s\", \"id\"), AG_INDEX(1, .where = \"id > "
        "1\"));\n"
        "    ag_add_column(o, \"t\", AG_COLUMN(\"n\", \"integer\", 1));\n"
        "    ag_create_unique(o, \"t\", \"uq\", AG_COLS(\"n\"));\n"
        "    ag_create_check(o, \"t\", \"ck2\", \"n > 0\");\n"
        "    ag_create_primary_key(o, \"t\", NULL, AG_COLS(\"n\"));\n"
        "    ag_create_foreign_key(o, \"t\", \"fk2\", AG_COLS(\"n\"), \"t\", AG_COLS(\"id\"), "
        "NULL, \"set null\");\n"
        "    ag_create_deferrable_foreign_key(o, \"t\", \"fk3\", AG_COLS(\"n\"), \"t\", "
        "AG_COLS(\"id\"), NULL, NULL, \"IMMEDIATE\");\n"
        "    ag_alter_foreign_key(o, \"t\", \"fk3\", \"deferred\", \"immediate\");\n"
        "    ag_alter_foreign_key(o, \"t\", \"fk3\", NULL, \"not deferrable\");\n"
        "    ag_add_enum_value_before(o, \"st\", \"z\", \"a\");\n"
        "    ag_alter_enum(o, \"st\", AG_VALUES(\"a\", \"z\"));\n"
        "    ag_execute(o, \"SELECT 1\");\n"
        "}\n";
    for (int k = 0; k < 2; k++) {
        char *t = ag_read_file(k ? compiled : plain, &n, NULL);
        /* Replace the emitted downgrade() with the one above. */
        char *d = strstr(t, "\nvoid downgrade(");
        assert_non_null(d);
        *d = '\0';
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, t);
        ag_buf_puts(&b, extra);
        if (k)
            ag_buf_puts(&b, "#define COMPILED 1\n");
        assert_int_equal(ag_write_file_atomic(k ? compiled : plain, b.ptr, b.len, &err), AG_OK);
        ag_buf_dispose(&b);
        free(t);
    }
    snprintf(cache, sizeof(cache), "%s/cache2", dir);
    ag_compiler *c = NULL;
    assert_int_equal(ag_compiler_new(&c, cache, &err), AG_OK);
    for (int d = 0; d < 2; d++) {
        ag_direction dir_ = d ? AG_DOWNGRADE : AG_UPGRADE;
        size_t la = 0, lb = 0;
        char *a = collect_encoded(c, plain, dir_, &la);
        assert_int_equal(objects_in(cache), d); /* the compiled file made one, once */
        char *b = collect_encoded(c, compiled, dir_, &lb);
        assert_int_equal(objects_in(cache), 1);
        assert_true(la > 0);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
    }
    ag_compiler_free(c);
    ag_oplist_free(up);
}

/* Anything beyond plain calls is compiled: it still runs, its errors still
 * name the file and line, and the recorder's errors are the same either way. */
static void test_emit__direct_reading_leaves_the_rest_to_the_compiler(void **state)
{
    (void)state;
    static const char head[] = "/* m */\n#include <autogen/migration.h>\n"
                               "const char *const revision = \"m\";\n"
                               "const char *const down_revision[] = { NULL };\n";
    static const struct {
        const char *body;
        const char *want; /* a substring of the error, or NULL: records one op */
    } cases[] = {
        /* C the reader does not take, which compiles and runs. */
        { "void upgrade(ag_op *op) { if (1) ag_drop_table(op, \"t\"); }\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          NULL },
        { "static const char *T = \"t\";\n"
          "void upgrade(ag_op *op) { ag_drop_table(op, T); }\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          NULL },
        { "void upgrade(ag_op *op) { ag_execute(op, \"a\\x41\"); }\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          NULL },
        /* Errors: the compiler's, at their line; the recorder's, as compiled. */
        { "void upgrade(ag_op *op)\n{\n    ag_drop_table(op, \"t\") oops;\n}\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          "m.c:7:" },
        { "void upgrade(ag_op *op)\n{\n    ag_drop_table(op, 5);\n}\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          "m.c:7:" },
        { "void upgrade(ag_op *op) { ag_add_column(op, \"t\", AG_COLUMN(\"c\", \"integr\")); }\n"
          "void downgrade(ag_op *op) { (void)op; }\n",
          "integr" },
        { "void downgrade(ag_op *op) { (void)op; }\n", "has no upgrade() function" },
    };
    char path[400];
    snprintf(path, sizeof(path), "%s/m.c", dir);
    for (size_t i = 0; i < AG_NELEM(cases); i++) {
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, head);
        ag_buf_puts(&b, cases[i].body);
        ag_error err = { 0 };
        assert_int_equal(ag_write_file_atomic(path, b.ptr, b.len, &err), AG_OK);
        ag_buf_dispose(&b);
        ag_compiler *c = NULL;
        assert_int_equal(ag_compiler_new(&c, NULL, &err), AG_OK);
        ag_oplist *got = ag_oplist_new();
        int rc = ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err);
        if (!cases[i].want) {
            if (rc != AG_OK)
                fail_msg("case %zu: %s", i, err.msg);
            assert_int_equal(got->n, 1);
        } else {
            assert_int_not_equal(rc, AG_OK);
            if (!strstr(err.msg, cases[i].want))
                fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        }
        ag_error_clear(&err);
        ag_oplist_free(got);
        ag_compiler_free(c);
    }
}

/* What the header's types now refuse at compile time, reaching the recorder
 * anyway (the varargs form, a cast): an error, never a wild read. */
static void test_emit__recorder_rejects_misplaced_arguments(void **state)
{
    (void)state;
    ag_oplist *ops = ag_oplist_new();
    struct ag_op op = { .ops = ops, .dialect = "sqlite", .file = "m.c" };
    /* A string among the items: misaligned, and not an item. */
    (ag_create_table)(&op, "a", "extra", AG_COL("id", "integer", .primary_key = 1), NULL);
    assert_true(op.failed);
    assert_non_null(strstr(op.err.msg, "m.c: ag_create_table: table 'a': item 1 is not a column"));

    /* AG_COL where AG_COLS belongs inside AG_FOREIGN_KEY: read as names. */
    memset(&op, 0, sizeof(op));
    op.ops = ops;
    op.file = "m.c";
    const ag_item *fk =
        &(const ag_item){ .kind = AG_ITEM_FOREIGN_KEY,
                          .name = "fk",
                          .columns = (const char *const *)(const void *)AG_COL("a_id"),
                          .ref_table = "a",
                          .ref_columns = AG_COLS("id") };
    ag_create_table_items(&op, "b",
                          (const ag_item *const[]){ AG_COL("a_id", "integer"), fk, NULL });
    assert_true(op.failed);
    assert_non_null(strstr(op.err.msg, "is not a list of names: write AG_COLS"));

    /* The varargs form still records a well-formed table. */
    memset(&op, 0, sizeof(op));
    op.ops = ops;
    (ag_create_table)(&op, "c", AG_COL("id", "integer", .primary_key = 1),
                      AG_UNIQUE("uq_c", AG_COLS("id")), NULL);
    assert_false(op.failed);
    ag_oplist_free(ops);
}

static void test_emit__compile_error_has_location(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof(path), "%s/bad.c", dir);
    FILE *f = fopen(path, "w");
    fputs("#include <autogen/migration.h>\nconst char *const revision = \"bad\";\n"
          "void upgrade(ag_op *op)\n{\n    ag_execute(op, \"x\") oops;\n}\n",
          f);
    fclose(f);
    ag_compiler *c = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_compiler_new(&c, NULL, &err), AG_OK);
    ag_oplist *got = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err),
                     AG_ECOMPILE);
    char want[500];
    snprintf(want, sizeof(want), "%s:5: error:", path);
    assert_non_null(strstr(err.msg, want));
    ag_oplist_free(got);
    ag_compiler_free(c);
}

/* A call to an undeclared function (getenv without <stdlib.h>) would truncate
 * its result: it is a compile error, not a warning. */
static void test_emit__implicit_declaration_is_an_error(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof(path), "%s/implicit.c", dir);
    FILE *f = fopen(path, "w");
    fputs("#include <autogen/migration.h>\nconst char *const revision = \"imp\";\n"
          "void upgrade(ag_op *op)\n{\n    const char *t = getenv(\"T\");\n"
          "    ag_execute(op, t ? t : \"x\");\n}\n",
          f);
    fclose(f);
    for (int cached = 0; cached < 2; cached++) {
        ag_compiler *c = NULL;
        ag_error err = { 0 };
        assert_int_equal(ag_compiler_new(&c, cached ? dir : NULL, &err), AG_OK);
        ag_oplist *got = ag_oplist_new();
        assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err),
                         AG_ECOMPILE);
        char want[500];
        snprintf(want, sizeof(want), "%s:5: error: implicit declaration of function 'getenv'",
                 path);
        assert_non_null(strstr(err.msg, want));
        assert_non_null(strstr(err.msg, "<stdlib.h>"));
        ag_oplist_free(got);
        ag_compiler_free(c);
    }
}

/* Every way a hand-written file fails to compile, in this process (where
 * LeakSanitizer sees it): an error with the file's position, and the compiler
 * state freed on each path, cached or not. */
static void test_emit__rejected_files_leak_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *want;
    } cases[] = {
        { "AG_COLS(\"x\");", "nest more than 256 deep" },
        { "ag_create_index(op, \"t\", \"ix\", AG_COL(\"a\"), AG_INDEX(0));",
          ":5: error: assignment from incompatible pointer type" },
        { "ag_create_table(op, \"t\", \"extra\", AG_COL(\"a\", \"integer\"), NULL);",
          ":5: error: assignment from incompatible pointer type" },
        { "ag_execute(op, \"x\") oops;", ":5: error:" },
    };
    for (size_t k = 0; k < AG_NELEM(cases); k++) {
        char path[400];
        snprintf(path, sizeof(path), "%s/rejected%zu.c", dir, k);
        FILE *f = fopen(path, "w");
        fputs("#include <autogen/migration.h>\nconst char *const revision = \"rej\";\n"
              "void upgrade(ag_op *op)\n{\n    ",
              f);
        if (k == 0) {
            for (int i = 0; i < 300; i++)
                fputc('(', f);
            fputs("(void)0", f);
            for (int i = 0; i < 300; i++)
                fputc(')', f);
            fputs(";\n", f);
        }
        fprintf(f, "%s\n}\n", cases[k].body);
        fclose(f);
        for (int cached = 0; cached < 2; cached++) {
            ag_compiler *c = NULL;
            ag_error err = { 0 };
            assert_int_equal(ag_compiler_new(&c, cached ? dir : NULL, &err), AG_OK);
            ag_oplist *got = ag_oplist_new();
            assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err),
                             AG_ECOMPILE);
            /* The nesting check points at the bracket (after the body's own
             * brace, the 256th parenthesis is one too deep); tcc at the line. */
            bool at = k == 0 ? strcmp(err.file, path) == 0 && err.line == 5 && err.col == 260
                             : strstr(err.msg, path) != NULL;
            if (!strstr(err.msg, cases[k].want) || !at)
                fail_msg("case %zu: %s (%u:%u)", k, err.msg, err.line, err.col);
            ag_oplist_free(got);
            ag_compiler_free(c);
        }
    }
}

static void test_emit__recorder_errors_name_the_file(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof(path), "%s/typo.c", dir);
    FILE *f = fopen(path, "w");
    fputs("#include <autogen/migration.h>\n#include <string.h>\n"
          "void upgrade(ag_op *op)\n{\n"
          "    if (strcmp(ag_dialect(op), \"sqlite\") == 0)\n"
          "        ag_add_column(op, \"t\", AG_COLUMN(\"c\", \"strng(5)\"));\n}\n",
          f);
    fclose(f);
    ag_compiler *c = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_compiler_new(&c, NULL, &err), AG_OK);
    ag_oplist *got = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err),
                     AG_EINVALID);
    char want[600];
    snprintf(want, sizeof(want),
             "%s: ag_add_column: unknown type 'strng(5)'; did you mean 'string(5)'?", path);
    assert_string_equal(err.msg, want);
    ag_oplist_free(got);
    got = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_DOWNGRADE, "sqlite", got, NULL, &err),
                     AG_EINVALID);
    assert_non_null(strstr(err.msg, "has no downgrade() function"));
    ag_oplist_free(got);
    /* A deferrability the recorder does not know, read directly or compiled. */
    snprintf(path, sizeof(path), "%s/defer.c", dir);
    f = fopen(path, "w");
    fputs("#include <autogen/migration.h>\nconst char *const revision = \"d\";\n"
          "const char *const down_revision[] = { NULL };\n"
          "void upgrade(ag_op *op)\n{\n"
          "    ag_alter_foreign_key(op, \"t\", \"fk\", \"later\", NULL);\n}\n"
          "void downgrade(ag_op *op)\n{\n"
          "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"), "
          "AG_DEFERRABLE_FOREIGN_KEY(\"fk\", AG_COLS(\"id\"), \"t\", AG_COLS(\"id\"), NULL, "
          "NULL, \"deferable\"));\n}\n",
          f);
    fclose(f);
    got = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", got, NULL, &err),
                     AG_EINVALID);
    snprintf(want, sizeof(want),
             "%s: ag_alter_foreign_key: unknown deferrability 'later'; use \"deferred\", "
             "\"immediate\" or \"not deferrable\"",
             path);
    assert_string_equal(err.msg, want);
    ag_oplist_free(got);
    got = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_DOWNGRADE, "sqlite", got, NULL, &err),
                     AG_EINVALID);
    assert_non_null(strstr(err.msg, "ag_create_table: unknown deferrability 'deferable'"));
    ag_oplist_free(got);
    ag_compiler_free(c);
}

static void test_emit__cache_reuses_objects(void **state)
{
    (void)state;
    ag_oplist *up = every_op();
    const char *path = write_migration("r2_cache.c", "r2", up);
    append(path, "#define COMPILED 1\n"); /* not plain calls: compiled (direct.c) */
    char cache[300];
    snprintf(cache, sizeof(cache), "%s/cache2", dir);
    ag_compiler *c = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_compiler_new(&c, cache, &err), AG_OK);
    ag_oplist *a = ag_oplist_new(), *b = ag_oplist_new();
    assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", a, NULL, &err), AG_OK);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "ls %s/*.o | wc -l > %s/count", cache, dir);
    assert_int_equal(system(cmd), 0);
    /* Make the object unreadable as a compiler input would be: if it were
     * recompiled, the new object would replace it; loading it must just work. */
    struct stat st1, st2;
    snprintf(cmd, sizeof(cmd), "%s", cache);
    char obj[400];
    snprintf(cmd, sizeof(cmd), "ls %s/*.o > %s/objname", cache, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s/objname", dir);
    FILE *f = fopen(cmd, "r");
    assert_non_null(fgets(obj, sizeof(obj), f));
    fclose(f);
    obj[strcspn(obj, "\n")] = '\0';
    assert_int_equal(stat(obj, &st1), 0);
    sleep(1);
    assert_int_equal(ag_migration_collect(c, path, AG_UPGRADE, "sqlite", b, NULL, &err), AG_OK);
    assert_int_equal(stat(obj, &st2), 0);
    assert_int_equal(st1.st_mtime, st2.st_mtime);
    assert_int_equal(a->n, b->n);
    ag_oplist_free(a);
    ag_oplist_free(b);
    ag_oplist_free(up);
    ag_compiler_free(c);
}

static void test_emit__template_errors(void **state)
{
    (void)state;
    ag_buf out = AG_BUF_INIT;
    ag_error err = { 0 };
    ag_template_vars v = { .revision = "r" };
    assert_int_equal(ag_template_render(&out, "x\n  ${mesage}\n", "t.tmpl", &v, &err), AG_EINVALID);
    assert_string_equal(err.file, "t.tmpl");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg, "unknown placeholder '${mesage}'; did you mean '${message}'?");
    ag_buf_clear(&out);
    assert_int_equal(ag_template_render(&out, "$$${revision}", "t", &v, &err), AG_OK);
    assert_string_equal(out.ptr, "$r");
    ag_buf_dispose(&out);
}

/* ${transactional}: a declaration with its reason, or no line at all; a
 * template without it gets the declaration at the end when one is needed. */
static void test_emit__template_transactional(void **state)
{
    (void)state;
    ag_buf out = AG_BUF_INIT;
    ag_error err = { 0 };
    ag_template_vars v = { .revision = "r" };
    const char *tmpl = "a ${revision}\n${transactional}\nb\n";
    assert_int_equal(ag_template_render(&out, tmpl, "t", &v, &err), AG_OK);
    assert_string_equal(out.ptr, "a r\nb\n");
    v.outside_transaction = "why */ not";
    ag_buf_clear(&out);
    assert_int_equal(ag_template_render(&out, tmpl, "t", &v, &err), AG_OK);
    assert_string_equal(out.ptr, "a r\n/* why * / not */\nconst int transactional = 0;\nb\n");
    ag_buf_clear(&out);
    assert_int_equal(ag_template_render(&out, "a\n", "t", &v, &err), AG_OK);
    assert_string_equal(out.ptr, "a\n\n/* why * / not */\nconst int transactional = 0;\n");
    ag_buf_dispose(&out);
}

static void test_emit__revfile_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
        unsigned line;
    } cases[] = {
        { "int x;\n",
          "not a migration: no 'const char *const revision = \"…\";' (every file under "
          "versions/ must be one)",
          1 },
        { "const char *const revision = \"a b\";\nconst char *const down_revision[] = { NULL };\n",
          "invalid revision id 'a b': use 1 to 32 letters, digits or '_'", 1 },
        { "const char *const revision = \"abc\";\n",
          "no 'down_revision' list: write { NULL } for the first migration", 1 },
        { "\nconst char *const revision = \"abc\n\";", "unterminated string literal", 2 },
        { "const char *const revision = abc;", "'revision' must be a string literal", 1 },
        { "const char *const revision = \"abc\";\nconst char *const down_revision[] = \"x\";\n",
          "'down_revision' must be a list: { \"id\", NULL } or { NULL }", 2 },
        { "const char *const revision = \"abc\";\nconst char *const down_revision[] = { abc };\n",
          "'down_revision' must list revision ids as string literals", 2 },
        { "const char *const revision = \"abc\";\nconst char *const down_revision[] = { \"abc\" };",
          "revision 'abc' names itself as its down_revision", 2 },
    };
    for (size_t i = 0; i < AG_NELEM(cases); i++) {
        ag_revfile rf;
        ag_error err = { 0 };
        assert_int_not_equal(ag_revfile_parse(&rf, "v/x.c", cases[i].text, &err), AG_OK);
        assert_string_equal(err.msg, cases[i].msg);
        assert_string_equal(err.file, "v/x.c");
        assert_int_equal(err.line, cases[i].line);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_emit__round_trip_every_op, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit__direct_reading_matches_the_compiler, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_emit__direct_reading_leaves_the_rest_to_the_compiler,
                                        setup, teardown),
        cmocka_unit_test(test_emit__recorder_rejects_misplaced_arguments),
        cmocka_unit_test_setup_teardown(test_emit__compile_error_has_location, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit__implicit_declaration_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_emit__rejected_files_leak_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit__recorder_errors_name_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit__cache_reuses_objects, setup, teardown),
        cmocka_unit_test(test_emit__template_errors),
        cmocka_unit_test(test_emit__template_transactional),
        cmocka_unit_test(test_emit__revfile_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
