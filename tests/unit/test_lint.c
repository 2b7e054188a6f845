/* test_lint.c - the lint rules of `autogen review` (docs/lint.md): each rule
 * firing and not firing on each dialect it applies to, on migrations compiled
 * with libtcc as the runner compiles them (so lines and suppression comments
 * are the real ones); suppressions; autogen.yaml `lint:` levels. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config/config.h"
#include "dialect/dialect.h"
#include "lint/lint.h"
#include "migration/migfile.h"
#include "schema/opcodec.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static ag_compiler *compiler;
static ag_lint_report rep = AG_LINT_REPORT_INIT;
static char text[16384]; /* the migration linted last */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ag-lint-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    ag_error err = { 0 };
    return ag_compiler_new(&compiler, NULL, &err) == AG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ag_compiler_free(compiler);
    ag_lint_report_release(&rep);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

/* The schema every test starts from: an enum, a parent, a child referencing
 * it ON DELETE CASCADE, an index. */
static const char base_body[] =
    "ag_create_enum(op, \"user_status\", AG_VALUES(\"active\", \"banned\", \"gone\"));\n"
    "ag_create_table(op, \"users\",\n"
    "    AG_COL(\"id\", \"bigint\", .primary_key = 1),\n"
    "    AG_COL(\"email\", \"string(100)\"),\n"
    "    AG_COL(\"name\", \"text\"),\n"
    "    AG_COL(\"age\", \"integer\"),\n"
    "    AG_COL(\"status\", \"enum(user_status)\", .values = AG_VALUES(\"active\", \"banned\", "
    "\"gone\")));\n"
    "ag_create_index(op, \"users\", \"ix_users_name\", AG_COLS(\"name\"), NULL);\n"
    "ag_create_table(op, \"orders\",\n"
    "    AG_COL(\"id\", \"bigint\", .primary_key = 1),\n"
    "    AG_COL(\"user_id\", \"bigint\"),\n"
    "    AG_COL(\"total\", \"decimal(10,2)\"),\n"
    "    AG_FOREIGN_KEY(\"fk_orders_user\", AG_COLS(\"user_id\"), \"users\", AG_COLS(\"id\"),\n"
    "                   \"cascade\", NULL));\n";

static void write_text(const char *name, const char *t)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(t, f);
    fclose(f);
}

static ag_oplist *collect(const char *name, ag_direction d, const char *dialect)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    ag_oplist *ops = ag_oplist_new();
    ag_error err = { 0 };
    if (ag_migration_collect(compiler, path, d, dialect, ops, NULL, &err) != AG_OK)
        fail_msg("%s", err.msg);
    return ops;
}

static void make_file(char *out, size_t cap, const char *header, const char *up, const char *down)
{
    snprintf(out, cap,
             "/* a migration\n"
             " *%s\n"
             " */\n"
             "#include <autogen/migration.h>\n"
             "#include <string.h>\n"
             "const char *const revision = \"r2\";\n"
             "const char *const down_revision[] = { \"r1\", NULL };\n"
             "const char *const branch_labels[] = { NULL };\n"
             "const char *const depends_on[] = { NULL };\n"
             "%s"
             "void upgrade(ag_op *op)\n"
             "{\n"
             "%s\n"
             "}\n"
             "void downgrade(ag_op *op)\n"
             "{\n"
             "%s\n"
             "    (void)op;\n"
             "}\n",
             header ? header : "",
             strstr(up, "#transactional0") ? "const int transactional = 0;\n" : "", up,
             down ? down : "");
}

typedef struct opts {
    const ag_lint_level *levels;
    size_t nlevels;
    const char *lock_timeout;
    const char *header; /* a line for the header comment */
    const char *down;   /* downgrade() body */
} opts;

/* Lint a migration whose upgrade() body is `up`, after the base schema, on
 * `dialect`; the findings land in rep. */
static void lint_with(const char *dialect, const char *up, const opts *o)
{
    static int n;
    char base[4096], name[64];
    make_file(base, sizeof(base), NULL, base_body, NULL);
    snprintf(name, sizeof(name), "base%d.c", ++n);
    write_text(name, base);
    ag_oplist *base_ops = collect(name, AG_UPGRADE, dialect);
    ag_schema *before = ag_schema_new();
    ag_error err = { 0 };
    for (size_t i = 0; i < base_ops->n; i++)
        assert_int_equal(ag_schema_apply(before, base_ops->ops[i], &err), AG_OK);
    make_file(text, sizeof(text), o ? o->header : NULL, up, o ? o->down : NULL);
    snprintf(name, sizeof(name), "m%d.c", n);
    write_text(name, text);
    ag_oplist *ups = collect(name, AG_UPGRADE, dialect);
    ag_oplist *downs = collect(name, AG_DOWNGRADE, dialect);
    ag_revfile rf;
    assert_int_equal(ag_revfile_parse(&rf, name, text, &err), AG_OK);
    ag_lint_report_release(&rep);
    ag_lint_input in = {
        .dialect = strcmp(dialect, "sqlite") == 0 ? &ag_dialect_sqlite : &ag_dialect_postgres,
        .before = before,
        .upgrade = ups,
        .downgrade = downs,
        .transactional = rf.transactional != 0,
        .path = "versions/m.c",
        .text = text,
        .levels = o ? o->levels : NULL,
        .nlevels = o ? o->nlevels : 0,
        .lock_timeout = o ? o->lock_timeout : NULL,
    };
    if (ag_lint_migration(&in, &rep, &err) != AG_OK)
        fail_msg("%s", err.msg);
    if (getenv("AG_LINT_SHOW")) { /* for a person reading the findings */
        ag_buf b = AG_BUF_INIT;
        for (size_t i = 0; i < rep.n; i++)
            ag_lint_finding_text(&b, &rep.v[i], false);
        fprintf(stderr, "--- %s\n%s", dialect, ag_buf_cstr(&b));
        ag_buf_dispose(&b);
    }
    ag_revfile_release(&rf);
    ag_oplist_free(base_ops);
    ag_oplist_free(ups);
    ag_oplist_free(downs);
    ag_schema_free(before);
}

static void lint(const char *dialect, const char *up)
{
    lint_with(dialect, up, NULL);
}

static size_t count(const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < rep.n; i++)
        n += strcmp(rep.v[i].rule, rule) == 0;
    return n;
}

static const ag_lint_finding *find(const char *rule)
{
    for (size_t i = 0; i < rep.n; i++)
        if (strcmp(rep.v[i].rule, rule) == 0)
            return &rep.v[i];
    char all[4096] = "";
    for (size_t i = 0; i < rep.n; i++) {
        strncat(all, rep.v[i].rule, sizeof(all) - strlen(all) - 1);
        strncat(all, " ", sizeof(all) - strlen(all) - 1);
    }
    fail_msg("no %s finding; got: %s", rule, all);
    return NULL;
}

/* The line of text holding needle. */
static unsigned line_of(const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    unsigned line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

static void assert_contains(const char *s, const char *sub)
{
    if (!s || !strstr(s, sub))
        fail_msg("'%s' does not contain '%s'", s ? s : "(null)", sub);
}

static const char *const both[] = { "sqlite", "postgresql" };

/* --- destructive ------------------------------------------------------------ */

static void test_lint__drop_table(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_drop_table(op, \"orders\");");
        const ag_lint_finding *f = find("drop-table");
        assert_int_equal(f->severity, AG_LINT_ERROR);
        assert_int_equal(f->line, line_of("ag_drop_table"));
        assert_string_equal(f->path, "versions/m.c");
        assert_false(f->downgrade);
        assert_contains(f->message, "drops table 'orders'");
        assert_non_null(f->alternative);
        /* a table created by the same migration has no rows */
        lint(both[d], "    ag_create_table(op, \"tmp\", AG_COL(\"id\", \"integer\"));\n"
                      "    ag_drop_table(op, \"tmp\");");
        assert_int_equal(count("drop-table"), 0);
    }
}

/* A table the history never created (made by hand before autogen, or by raw
 * SQL) existed before the migration: dropping it or its columns is said. */
static void test_lint__table_made_by_hand(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_drop_column(op, \"legacy\", \"flags\");\n"
                      "    ag_drop_table(op, \"legacy\");");
        assert_contains(find("drop-column")->message, "'legacy.flags'");
        assert_contains(find("drop-table")->message, "'legacy'");
    }
}

static void test_lint__drop_column(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_drop_column(op, \"users\", \"age\");");
        assert_int_equal(find("drop-column")->severity, AG_LINT_ERROR);
        assert_contains(find("drop-column")->message, "'users.age'");
        lint(both[d], "    ag_add_column(op, \"users\", AG_COLUMN(\"nick\", \"text\"));\n"
                      "    ag_drop_column(op, \"users\", \"nick\");");
        assert_int_equal(count("drop-column"), 0);
    }
}

static void test_lint__drop_schema(void **state)
{
    (void)state;
    lint("postgresql", "    ag_execute(op, \"DROP SCHEMA legacy CASCADE\");");
    assert_int_equal(find("drop-schema")->severity, AG_LINT_ERROR);
    assert_string_equal(find("drop-schema")->sql, "DROP SCHEMA legacy CASCADE");
    /* words inside a string literal or a comment are not statements */
    lint("postgresql",
         "    ag_execute(op, \"UPDATE users SET name = 'drop schema' -- drop schema\");");
    assert_int_equal(count("drop-schema"), 0);
}

static void test_lint__narrow_type(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d],
             "    ag_alter_column(op, \"users\", \"email\", AG_ALTER(.type = \"string(20)\"));");
        assert_int_equal(find("narrow-type")->severity, AG_LINT_ERROR);
        assert_contains(find("narrow-type")->message, "from string(100) to string(20)");
        lint(both[d],
             "    ag_alter_column(op, \"users\", \"age\", AG_ALTER(.type = \"smallint\"));");
        assert_int_equal(count("narrow-type"), 1);
        /* widening keeps every value */
        lint(both[d],
             "    ag_alter_column(op, \"users\", \"email\", AG_ALTER(.type = \"string(200)\"));\n"
             "    ag_alter_column(op, \"users\", \"age\", AG_ALTER(.type = \"bigint\"));");
        assert_int_equal(count("narrow-type"), 0);
    }
}

/* --- data-dependent ----------------------------------------------------------- */

static void test_lint__add_not_null_column(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d],
             "    ag_add_column(op, \"users\", AG_COLUMN(\"plan\", \"text\", .not_null = 1));");
        assert_int_equal(find("add-not-null-column")->severity, AG_LINT_ERROR);
        /* with a default, or nullable, or on a new table: fine */
        lint(both[d],
             "    ag_add_column(op, \"users\", AG_COLUMN(\"plan\", \"text\", .not_null = 1,\n"
             "                  .server_default = \"'free'\"));\n"
             "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));\n"
             "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
             "    ag_add_column(op, \"t\", AG_COLUMN(\"x\", \"text\", .not_null = 1));");
        assert_int_equal(count("add-not-null-column"), 0);
    }
}

static void test_lint__set_not_null(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_alter_column(op, \"users\", \"name\", AG_ALTER(.nullable = 0));");
        assert_int_equal(find("set-not-null")->severity, AG_LINT_WARNING);
        assert_contains(find("set-not-null")->message, "'users.name' NOT NULL");
        lint(both[d],
             "    ag_alter_column(op, \"users\", \"name\", AG_ALTER(.nullable = 1));\n"
             "    ag_add_column(op, \"users\", AG_COLUMN(\"p\", \"text\", .server_default = "
             "\"'x'\"));");
        assert_int_equal(count("set-not-null"), 0);
    }
    lint("postgresql", "    ag_alter_column(op, \"users\", \"name\", AG_ALTER(.nullable = 0));");
    assert_contains(find("set-not-null")->alternative, "NOT VALID");
}

static void test_lint__add_unique(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d],
             "    ag_create_unique(op, \"users\", \"uq_users_email\", AG_COLS(\"email\"));");
        assert_int_equal(find("add-unique")->severity, AG_LINT_WARNING);
        lint(both[d], "    ag_create_index(op, \"users\", \"ux_email\", AG_COLS(\"email\"),\n"
                      "                    AG_INDEX(.unique = 1));");
        assert_int_equal(count("add-unique"), 1);
        /* not unique, or only on a column this migration adds, or a new table */
        lint(both[d],
             "    ag_create_index(op, \"users\", \"ix_email\", AG_COLS(\"email\"), NULL);\n"
             "    ag_add_column(op, \"users\", AG_COLUMN(\"code\", \"text\"));\n"
             "    ag_create_unique(op, \"users\", \"uq_code\", AG_COLS(\"code\"));\n"
             "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
             "    ag_create_unique(op, \"t\", \"uq_t\", AG_COLS(\"id\"));");
        assert_int_equal(count("add-unique"), 0);
    }
}

static void test_lint__drop_enum_value(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_drop_enum_value(op, \"user_status\", \"gone\");");
        assert_int_equal(find("drop-enum-value")->severity, AG_LINT_WARNING);
        assert_contains(find("drop-enum-value")->message, "'gone'");
        assert_contains(find("drop-enum-value")->message, "users.status");
        lint(both[d], "    ag_alter_enum(op, \"user_status\", AG_VALUES(\"active\", \"banned\"));");
        assert_int_equal(count("drop-enum-value"), 1);
        /* adding a value, or reordering without losing one */
        lint(both[d], "    ag_add_enum_value(op, \"user_status\", \"new\");\n"
                      "    ag_alter_enum(op, \"user_status\", AG_VALUES(\"gone\", \"active\", "
                      "\"banned\", \"new\"));");
        assert_int_equal(count("drop-enum-value"), 0);
    }
}

/* --- backward-incompatible ----------------------------------------------------- */

static void test_lint__renames(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_rename_table(op, \"orders\", \"purchases\");\n"
                      "    ag_rename_column(op, \"users\", \"name\", \"full_name\");");
        assert_int_equal(find("rename-table")->severity, AG_LINT_WARNING);
        assert_int_equal(find("rename-table")->line, line_of("ag_rename_table"));
        assert_int_equal(find("rename-column")->severity, AG_LINT_WARNING);
        assert_int_equal(find("rename-column")->line, line_of("ag_rename_column"));
        lint(both[d], "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
                      "    ag_rename_column(op, \"t\", \"id\", \"tid\");\n"
                      "    ag_rename_table(op, \"t\", \"t2\");");
        assert_int_equal(count("rename-table"), 0);
        assert_int_equal(count("rename-column"), 0);
    }
}

/* --- PostgreSQL ---------------------------------------------------------------- */

static void test_lint__pg_index_not_concurrent(void **state)
{
    (void)state;
    lint("postgresql",
         "    ag_create_index(op, \"users\", \"ix_email\", AG_COLS(\"email\"), NULL);\n"
         "    ag_drop_index(op, \"users\", \"ix_users_name\");");
    assert_int_equal(count("pg-index-not-concurrent"), 2);
    assert_int_equal(find("pg-index-not-concurrent")->severity, AG_LINT_WARNING);
    assert_contains(find("pg-index-not-concurrent")->alternative, "CONCURRENTLY");
    /* on a new table; and never on SQLite */
    lint("postgresql", "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
                       "    ag_create_index(op, \"t\", \"ix_t\", AG_COLS(\"id\"), NULL);");
    assert_int_equal(count("pg-index-not-concurrent"), 0);
    lint("sqlite", "    ag_create_index(op, \"users\", \"ix_email\", AG_COLS(\"email\"), NULL);");
    assert_int_equal(count("pg-index-not-concurrent"), 0);
}

static void test_lint__pg_constraint_not_valid(void **state)
{
    (void)state;
    lint("postgresql",
         "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");\n"
         "    ag_create_foreign_key(op, \"orders\", \"fk_o_u2\", AG_COLS(\"user_id\"), \"users\",\n"
         "                          AG_COLS(\"id\"), NULL, NULL);");
    assert_int_equal(count("pg-constraint-not-valid"), 2);
    assert_int_equal(rep.v[0].severity, AG_LINT_WARNING);
    lint("postgresql",
         "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"),\n"
         "                    AG_COL(\"uid\", \"bigint\"));\n"
         "    ag_create_check(op, \"t\", \"ck_t\", \"id > 0\");\n"
         "    ag_create_foreign_key(op, \"t\", \"fk_t\", AG_COLS(\"uid\"), \"users\",\n"
         "                          AG_COLS(\"id\"), NULL, NULL);");
    assert_int_equal(count("pg-constraint-not-valid"), 0);
    lint("sqlite", "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");");
    assert_int_equal(count("pg-constraint-not-valid"), 0);
}

static void test_lint__pg_type_rewrite(void **state)
{
    (void)state;
    lint("postgresql",
         "    ag_alter_column(op, \"users\", \"age\", AG_ALTER(.type = \"bigint\"));");
    assert_int_equal(find("pg-type-rewrite")->severity, AG_LINT_WARNING);
    assert_contains(find("pg-type-rewrite")->message, "from integer to bigint");
    /* binary-coercible: wider varchar, varchar to text, more numeric precision */
    lint("postgresql",
         "    ag_alter_column(op, \"users\", \"email\", AG_ALTER(.type = \"string(200)\"));\n"
         "    ag_alter_column(op, \"users\", \"email\", AG_ALTER(.type = \"text\"));\n"
         "    ag_alter_column(op, \"orders\", \"total\", AG_ALTER(.type = \"decimal(14,2)\"));");
    assert_int_equal(count("pg-type-rewrite"), 0);
    lint("sqlite", "    ag_alter_column(op, \"users\", \"age\", AG_ALTER(.type = \"bigint\"));");
    assert_int_equal(count("pg-type-rewrite"), 0);
}

static void test_lint__pg_volatile_default(void **state)
{
    (void)state;
    lint("postgresql", "    ag_add_column(op, \"users\", AG_COLUMN(\"token\", \"uuid\",\n"
                       "                  .server_default = \"gen_random_uuid()\"));");
    assert_int_equal(find("pg-volatile-default")->severity, AG_LINT_WARNING);
    assert_int_equal(find("pg-volatile-default")->line, line_of("ag_add_column"));
    /* now() is stable: one value, no rewrite; a constant neither */
    lint("postgresql", "    ag_add_column(op, \"users\", AG_COLUMN(\"seen\", \"timestamptz\",\n"
                       "                  .server_default = \"now()\"));\n"
                       "    ag_add_column(op, \"users\", AG_COLUMN(\"n\", \"integer\", "
                       ".server_default = \"0\"));");
    assert_int_equal(count("pg-volatile-default"), 0);
    lint("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"r\", \"integer\",\n"
                   "                  .server_default = \"random()\"));");
    assert_int_equal(count("pg-volatile-default"), 0);
}

static void test_lint__pg_concurrently_in_transaction(void **state)
{
    (void)state;
    lint("postgresql", "    ag_execute(op, \"CREATE INDEX CONCURRENTLY ix_e ON users (email)\");");
    assert_int_equal(find("pg-concurrently-in-transaction")->severity, AG_LINT_ERROR);
    lint("postgresql", "    /* #transactional0 */\n"
                       "    ag_execute(op, \"CREATE INDEX CONCURRENTLY ix_e ON users (email)\");");
    assert_int_equal(count("pg-concurrently-in-transaction"), 0);
}

/* AG_INDEX(.concurrently = 1) and ag_drop_index_concurrently are the safe
 * form: fine outside a transaction, an error inside one; SQLite ignores them. */
static void test_lint__pg_concurrently_api(void **state)
{
    (void)state;
    const char *body = "    ag_create_index(op, \"users\", \"ix_email\", AG_COLS(\"email\"),\n"
                       "                    AG_INDEX(.concurrently = 1));\n"
                       "    ag_drop_index_concurrently(op, \"users\", \"ix_users_name\");\n";
    char outside[1024];
    snprintf(outside, sizeof(outside), "    /* #transactional0 */\n%s", body);
    lint("postgresql", outside);
    assert_int_equal(count("pg-index-not-concurrent"), 0);
    assert_int_equal(count("pg-concurrently-in-transaction"), 0);
    assert_int_equal(count("pg-missing-lock-timeout"), 0); /* no ACCESS EXCLUSIVE lock */
    lint("postgresql", body);
    assert_int_equal(count("pg-concurrently-in-transaction"), 2);
    assert_int_equal(find("pg-concurrently-in-transaction")->severity, AG_LINT_ERROR);
    assert_int_equal(find("pg-concurrently-in-transaction")->line, line_of("ag_create_index"));
    lint("sqlite", body);
    assert_int_equal(count("pg-concurrently-in-transaction"), 0);
}

static void test_lint__pg_missing_lock_timeout(void **state)
{
    (void)state;
    lint("postgresql", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));\n"
                       "    ag_drop_column(op, \"users\", \"age\");");
    assert_int_equal(count("pg-missing-lock-timeout"), 1); /* once per migration */
    assert_int_equal(find("pg-missing-lock-timeout")->line, line_of("ag_add_column"));
    /* set in the migration, or in autogen.yaml; or no ACCESS EXCLUSIVE lock */
    lint("postgresql", "    ag_execute(op, \"SET LOCAL lock_timeout = '2s'\");\n"
                       "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));");
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
    lint_with("postgresql", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));",
              &(opts){ .lock_timeout = "2s" });
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
    lint("postgresql", "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
                       "    ag_create_index(op, \"users\", \"ix_e\", AG_COLS(\"email\"), NULL);");
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
    lint("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));");
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
    /* a comment is no ACCESS EXCLUSIVE lock */
    lint("postgresql",
         "    ag_alter_column(op, \"users\", \"name\", AG_ALTER(.comment = \"full\"));");
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
}

/* --- SQLite -------------------------------------------------------------------- */

static void test_lint__sqlite_table_rebuild(void **state)
{
    (void)state;
    lint("sqlite", "    ag_alter_column(op, \"orders\", \"total\", AG_ALTER(.nullable = 0,\n"
                   "                    .server_default = \"0\"));");
    const ag_lint_finding *f = find("sqlite-table-rebuild");
    assert_int_equal(f->severity, AG_LINT_WARNING);
    assert_contains(f->message, "rebuilds table 'orders'");
    assert_contains(f->message, "columns id, user_id, total");
    assert_int_equal(f->line, line_of("ag_alter_column"));
    lint("sqlite", "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");");
    assert_contains(find("sqlite-table-rebuild")->message, "recreates its 1 index(es)");
    /* in place: a nullable column, a rename; and a new table's rebuild is free */
    lint("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));\n"
                   "    ag_rename_column(op, \"users\", \"name\", \"full_name\");\n"
                   "    ag_create_table(op, \"t\", AG_COL(\"id\", \"integer\"));\n"
                   "    ag_create_check(op, \"t\", \"ck_t\", \"id > 0\");");
    assert_int_equal(count("sqlite-table-rebuild"), 0);
    lint("postgresql", "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");");
    assert_int_equal(count("sqlite-table-rebuild"), 0);
}

static void test_lint__sqlite_rebuild_cascade(void **state)
{
    (void)state;
    lint("sqlite", "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");");
    const ag_lint_finding *f = find("sqlite-rebuild-cascade");
    assert_int_equal(f->severity, AG_LINT_WARNING);
    assert_contains(f->message, "'orders'");
    assert_contains(f->message, "ON DELETE CASCADE");
    /* several referencing tables: one finding naming them */
    lint("sqlite", "    ag_create_table(op, \"refunds\", AG_COL(\"id\", \"integer\"),\n"
                   "        AG_COL(\"uid\", \"bigint\"), AG_FOREIGN_KEY(\"fk_refunds_user\",\n"
                   "        AG_COLS(\"uid\"), \"users\", AG_COLS(\"id\"), \"set null\", NULL));\n"
                   "    ag_create_check(op, \"users\", \"ck_age\", \"age >= 0\");");
    assert_int_equal(count("sqlite-rebuild-cascade"), 1);
    assert_contains(find("sqlite-rebuild-cascade")->message,
                    "'orders' with foreign key 'fk_orders_user' ON DELETE CASCADE, 'refunds' with "
                    "foreign key 'fk_refunds_user' ON DELETE SET NULL");
    /* the child's own rebuild deletes nothing */
    lint("sqlite", "    ag_create_check(op, \"orders\", \"ck_total\", \"total >= 0\");");
    assert_int_equal(count("sqlite-rebuild-cascade"), 0);
    assert_int_equal(count("sqlite-table-rebuild"), 1);
}

/* --- hand-written SQL ------------------------------------------------------------ */

static void test_lint__raw_sql(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        lint(both[d], "    ag_execute(op, \"UPDATE users SET name = '' WHERE name IS NULL\");");
        const ag_lint_finding *f = find("raw-sql");
        assert_int_equal(f->severity, AG_LINT_INFO);
        assert_string_equal(f->sql, "UPDATE users SET name = '' WHERE name IS NULL");
        lint(both[d], "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));");
        assert_int_equal(count("raw-sql"), 0);
    }
}

/* --- downgrade, lines, suppressions, levels ---------------------------------------- */

static void test_lint__downgrade_is_info(void **state)
{
    (void)state;
    /* the downgrade drops what upgrade added: nothing to say; a drop of an
     * older column is said, as info */
    lint_with("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));",
              &(opts){ .down = "    ag_drop_column(op, \"users\", \"bio\");\n"
                               "    ag_drop_column(op, \"users\", \"age\");" });
    assert_int_equal(count("drop-column"), 1);
    const ag_lint_finding *f = find("drop-column");
    assert_true(f->downgrade);
    assert_int_equal(f->severity, AG_LINT_INFO);
    assert_int_equal(f->line, line_of("ag_drop_column(op, \"users\", \"age\")"));
    assert_contains(f->message, "downgrade(): drops column 'users.age'");
}

static void test_lint__multi_line_call_points_at_first_line(void **state)
{
    (void)state;
    lint("sqlite", "    ag_add_column(op,\n"
                   "                  \"users\",\n"
                   "                  AG_COLUMN(\"plan\", \"text\", .not_null = 1));");
    assert_int_equal(find("add-not-null-column")->line, line_of("ag_add_column"));
}

/* Each ag_* call notes its line; the op cache's encoding keeps it. */
static void test_lint__ops_keep_their_line(void **state)
{
    (void)state;
    lint("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));\n"
                   "\n"
                   "    ag_execute(op,\n"
                   "               \"UPDATE users SET bio = ''\");");
    char name[64];
    snprintf(name, sizeof(name), "lines.c");
    write_text(name, text);
    ag_oplist *ops = collect(name, AG_UPGRADE, "sqlite");
    assert_int_equal(ops->n, 2);
    assert_int_equal(ops->ops[0]->line, line_of("ag_add_column"));
    assert_int_equal(ops->ops[1]->line, line_of("UPDATE users")); /* tcc: the call's last line */
    ag_buf b = AG_BUF_INIT;
    ag_oplist_encode(&b, ops);
    ag_oplist *back = ag_oplist_new();
    assert_true(ag_oplist_decode(back, b.ptr, b.len));
    assert_int_equal(back->ops[0]->line, ops->ops[0]->line);
    assert_int_equal(back->ops[1]->line, ops->ops[1]->line);
    assert_int_equal(find("raw-sql")->line, line_of("ag_execute")); /* its first line */
    ag_buf_dispose(&b);
    ag_oplist_free(back);
    ag_oplist_free(ops);
}

static void test_lint__nolint_on_the_line_before(void **state)
{
    (void)state;
    lint("sqlite", "    /* autogen:nolint drop-column the column was never read */\n"
                   "    ag_drop_column(op, \"users\", \"age\");\n"
                   "    ag_drop_column(op, \"users\", \"name\");");
    assert_int_equal(count("drop-column"), 1);
    assert_int_equal(find("drop-column")->line, line_of("\"name\""));
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
    /* several rules, a // comment, a multi-line call */
    lint("postgresql", "    // autogen:nolint rename-column, pg-missing-lock-timeout  reason\n"
                       "    ag_rename_column(op, \"users\",\n"
                       "                     \"name\", \"full_name\");");
    assert_int_equal(count("rename-column"), 0);
    assert_int_equal(count("pg-missing-lock-timeout"), 0);
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
    /* after the call on the same line, also on the last line of a long one */
    lint("sqlite",
         "    ag_drop_column(op, \"users\", \"age\"); /* autogen:nolint drop-column ok */\n"
         "    ag_drop_column(op, \"users\",\n"
         "                   \"name\"); // autogen:nolint drop-column ok too");
    assert_int_equal(count("drop-column"), 0);
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
}

static void test_lint__nolint_file_level(void **state)
{
    (void)state;
    lint_with(
        "sqlite",
        "    ag_drop_column(op, \"users\", \"age\");\n"
        "    ag_drop_column(op, \"users\", \"name\");",
        &(opts){ .header = " autogen:nolint drop-column both columns are gone from the app" });
    assert_int_equal(count("drop-column"), 0);
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
}

static void test_lint__unused_nolint(void **state)
{
    (void)state;
    lint("sqlite", "    /* autogen:nolint drop-table not dropping any */\n"
                   "    ag_drop_column(op, \"users\", \"age\");\n"
                   "    /* autogen:nolint drop-colum typo */\n"
                   "    ag_drop_column(op, \"users\", \"name\");");
    assert_int_equal(count("drop-column"), 2);
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 2);
    const ag_lint_finding *f = find(AG_LINT_UNUSED_NOLINT);
    assert_int_equal(f->severity, AG_LINT_WARNING);
    assert_int_equal(f->line, line_of("drop-table not"));
    assert_contains(f->message, "autogen:nolint drop-table silences nothing");
    assert_contains(rep.v[rep.n - 1].message, "did you mean 'drop-column'?");
    lint_with("sqlite", "    ag_add_column(op, \"users\", AG_COLUMN(\"bio\", \"text\"));",
              &(opts){ .header = " autogen:nolint drop-table" });
    assert_contains(find(AG_LINT_UNUSED_NOLINT)->message, "silences nothing in this file");
    /* before something that is no operation */
    lint("sqlite", "    /* autogen:nolint drop-column misplaced */\n"
                   "    (void)0;\n"
                   "    ag_drop_column(op, \"users\", \"age\");");
    assert_contains(find(AG_LINT_UNUSED_NOLINT)->message,
                    "autogen:nolint drop-column is not on the line before an operation");
    /* a rule of the other dialect, or an operation only the other dialect
     * records: nothing to say on this one */
    lint("sqlite", "    /* autogen:nolint pg-index-not-concurrent small table */\n"
                   "    ag_create_index(op, \"users\", \"ix_e\", AG_COLS(\"email\"), NULL);\n"
                   "    if (strcmp(ag_dialect(op), \"postgresql\") == 0) {\n"
                   "        /* autogen:nolint drop-column only there */\n"
                   "        ag_drop_column(op, \"users\", \"age\");\n"
                   "    }");
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
    lint("postgresql", "    /* autogen:nolint sqlite-table-rebuild */\n"
                       "    ag_create_check(op, \"users\", \"ck\", \"age > 0\");");
    assert_int_equal(count(AG_LINT_UNUSED_NOLINT), 0);
}

static void test_lint__levels(void **state)
{
    (void)state;
    const ag_lint_level lv[] = { { "drop-column", AG_LINT_WARNING, 3 },
                                 { "raw-sql", AG_LINT_OFF, 4 },
                                 { "rename-table", AG_LINT_ERROR, 5 } };
    lint_with("sqlite",
              "    ag_drop_column(op, \"users\", \"age\");\n"
              "    ag_execute(op, \"UPDATE users SET age = 1\");\n"
              "    ag_rename_table(op, \"orders\", \"o\");",
              &(opts){ .levels = lv, .nlevels = 3 });
    assert_int_equal(find("drop-column")->severity, AG_LINT_WARNING);
    assert_int_equal(count("raw-sql"), 0);
    assert_int_equal(find("rename-table")->severity, AG_LINT_ERROR);
    assert_int_equal(ag_lint_worst(&rep), AG_LINT_ERROR);
}

static void test_lint__text_form(void **state)
{
    (void)state;
    lint("sqlite", "    ag_drop_column(op, \"users\", \"age\");");
    ag_buf b = AG_BUF_INIT;
    ag_lint_finding_text(&b, find("drop-column"), false);
    char want[256];
    snprintf(want, sizeof(want), "versions/m.c:%u: error: drops column 'users.age'",
             line_of("ag_drop_column"));
    assert_true(strncmp(b.ptr, want, strlen(want)) == 0);
    assert_contains(b.ptr, "[drop-column]\n    safe alternative: ");
    ag_buf_dispose(&b);
}

/* Every rule has a unique id; unknown ids are told apart. */
static void test_lint__rule_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ag_lint_nrules; i++) {
        assert_ptr_equal(ag_lint_rule_find(ag_lint_rules[i].id), &ag_lint_rules[i]);
        assert_true(ag_lint_rules[i].severity >= AG_LINT_INFO);
    }
    assert_null(ag_lint_rule_find("drop-everything"));
    assert_string_equal(ag_lint_rule_suggest("drop_table"), "drop-table");
    ag_lint_severity s;
    assert_true(ag_lint_severity_parse("off", &s) && s == AG_LINT_OFF);
    assert_false(ag_lint_severity_parse("fatal", &s));
}

/* --- autogen.yaml lint: ------------------------------------------------------------ */

static const char *config_path(const char *yaml)
{
    static char path[300];
    snprintf(path, sizeof(path), "%s/autogen.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(yaml, f);
    fclose(f);
    return path;
}

static void test_lint__config(void **state)
{
    (void)state;
    ag_config c;
    ag_error err = { 0 };
    assert_int_equal(ag_config_load(&c,
                                    config_path("url: sqlite:///x.db\n"
                                                "lint:\n"
                                                "  drop-column: warning\n"
                                                "  raw-sql: off\n"),
                                    &err),
                     AG_OK);
    assert_int_equal(c.nlint, 2);
    assert_string_equal(c.lint[0].rule, "drop-column");
    assert_int_equal(c.lint[0].severity, AG_LINT_WARNING);
    assert_int_equal(c.lint[0].line, 3);
    assert_int_equal(c.lint[1].severity, AG_LINT_OFF);
    ag_config_release(&c);

    assert_int_equal(ag_config_load(&c, config_path("lint:\n  drop-colum: error\n"), &err),
                     AG_EINVALID);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(
        err.msg, "unknown lint rule 'drop-colum'; did you mean 'drop-column'? (docs/lint.md)");
    ag_config_release(&c);

    err = (ag_error){ 0 };
    assert_int_equal(ag_config_load(&c, config_path("lint:\n  drop-column: fatal\n"), &err),
                     AG_EINVALID);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 16);
    assert_string_equal(err.msg, "lint rule 'drop-column': unknown level 'fatal'; use off, info, "
                                 "warning or error");
    ag_config_release(&c);

    err = (ag_error){ 0 };
    assert_int_equal(ag_config_load(&c, config_path("lint: [drop-column]\n"), &err), AG_EINVALID);
    assert_int_equal(err.line, 1);
    ag_config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint__drop_table),
        cmocka_unit_test(test_lint__table_made_by_hand),
        cmocka_unit_test(test_lint__drop_column),
        cmocka_unit_test(test_lint__drop_schema),
        cmocka_unit_test(test_lint__narrow_type),
        cmocka_unit_test(test_lint__add_not_null_column),
        cmocka_unit_test(test_lint__set_not_null),
        cmocka_unit_test(test_lint__add_unique),
        cmocka_unit_test(test_lint__drop_enum_value),
        cmocka_unit_test(test_lint__renames),
        cmocka_unit_test(test_lint__pg_index_not_concurrent),
        cmocka_unit_test(test_lint__pg_constraint_not_valid),
        cmocka_unit_test(test_lint__pg_type_rewrite),
        cmocka_unit_test(test_lint__pg_volatile_default),
        cmocka_unit_test(test_lint__pg_concurrently_in_transaction),
        cmocka_unit_test(test_lint__pg_concurrently_api),
        cmocka_unit_test(test_lint__pg_missing_lock_timeout),
        cmocka_unit_test(test_lint__sqlite_table_rebuild),
        cmocka_unit_test(test_lint__sqlite_rebuild_cascade),
        cmocka_unit_test(test_lint__raw_sql),
        cmocka_unit_test(test_lint__downgrade_is_info),
        cmocka_unit_test(test_lint__multi_line_call_points_at_first_line),
        cmocka_unit_test(test_lint__ops_keep_their_line),
        cmocka_unit_test(test_lint__nolint_on_the_line_before),
        cmocka_unit_test(test_lint__nolint_file_level),
        cmocka_unit_test(test_lint__unused_nolint),
        cmocka_unit_test(test_lint__levels),
        cmocka_unit_test(test_lint__text_form),
        cmocka_unit_test(test_lint__rule_table),
        cmocka_unit_test(test_lint__config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
