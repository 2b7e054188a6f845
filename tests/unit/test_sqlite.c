/* test_sqlite.c - the SQLite dialect on real databases: introspecting tables
 * written by hand, type mapping, URL parsing, and rebuilds that keep rows. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/dialect.h"
#include "dialect/sqlite_internal.h"

#include <stdio.h>

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

static void exec(ag_db *db, const char *sql)
{
    ag_error err = { 0 };
    if (d->exec(db, sql, &err) != AG_OK)
        fail_msg("%s", err.msg);
}

static void test_sqlite__introspect_hand_written(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "CREATE TABLE [Users] (\n"
             "  id INTEGER PRIMARY KEY AUTOINCREMENT, -- the key\n"
             "  `e-mail` varchar( 120 ) NOT NULL UNIQUE,\n"
             "  score numeric(5, 2) DEFAULT (0),\n"
             "  kind TEXT CONSTRAINT kind_t CHECK (kind IN ('a', 'b''c')) DEFAULT 'a',\n"
             "  bio /* free text */ CLOB,\n"
             "  odd MEDIUMINT,\n"
             "  CONSTRAINT \"score ok\" CHECK (score >= 0)\n"
             ");\n"
             "CREATE TABLE posts (id INTEGER NOT NULL, uid INTEGER REFERENCES [Users](id) ON "
             "DELETE SET NULL, CONSTRAINT pk_posts PRIMARY KEY (id), CONSTRAINT fk_x FOREIGN KEY "
             "(id) REFERENCES posts (id) ON UPDATE CASCADE);\n"
             "CREATE UNIQUE INDEX ix_p ON posts (uid DESC) WHERE uid IS NOT NULL;\n"
             "CREATE INDEX ix_e ON posts (lower(uid));\n"
             "CREATE TABLE autogen_version (version_num VARCHAR(32) NOT NULL);\n");
    ag_introspect_opts o = { .version_table = "autogen_version" };
    ag_schema *s = NULL;
    ag_error err = { 0 };
    assert_int_equal(d->introspect(db, &o, &s, &err), AG_OK);
    assert_int_equal(s->ntables, 2);
    ag_table *u = ag_schema_find_table(s, "Users");
    assert_non_null(u);
    assert_int_equal(u->ncolumns, 6);
    assert_true(u->columns[0]->autoincrement);
    assert_string_equal(u->pk.columns.v[0], "id");
    assert_null(u->pk.name);
    assert_string_equal(u->columns[1]->name, "e-mail");
    assert_int_equal(u->columns[1]->type.kind, AG_T_STRING);
    assert_int_equal(u->columns[1]->type.length, 120);
    assert_false(u->columns[1]->nullable);
    assert_int_equal(u->nuniques, 1);
    assert_string_equal(u->uniques[0]->columns.v[0], "e-mail");
    assert_int_equal(u->columns[2]->type.kind, AG_T_DECIMAL);
    assert_int_equal(u->columns[2]->type.precision, 5);
    assert_string_equal(u->columns[2]->default_sql, "0");
    assert_int_equal(u->columns[3]->type.kind, AG_T_ENUM);
    assert_string_equal(u->columns[3]->type.name, "kind_t");
    assert_int_equal(u->columns[3]->enum_values.n, 2);
    assert_string_equal(u->columns[3]->enum_values.v[1], "b'c");
    assert_non_null(ag_schema_find_enum(s, "kind_t"));
    assert_int_equal(u->columns[4]->type.kind, AG_T_TEXT);
    assert_int_equal(u->columns[5]->type.kind, AG_T_SQL);
    assert_string_equal(u->columns[5]->type.name, "MEDIUMINT");
    assert_int_equal(u->nchecks, 1);
    assert_string_equal(u->checks[0]->name, "score ok");
    assert_string_equal(u->checks[0]->expression, "score >= 0");

    ag_table *p = ag_schema_find_table(s, "posts");
    assert_string_equal(p->pk.name, "pk_posts");
    assert_int_equal(p->nfks, 2);
    assert_string_equal(p->fks[0]->ref_table, "Users");
    assert_int_equal(p->fks[0]->on_delete, AG_FK_SET_NULL);
    assert_string_equal(p->fks[1]->name, "fk_x");
    assert_int_equal(p->fks[1]->on_update, AG_FK_CASCADE);
    assert_int_equal(p->nindexes, 2);
    ag_index *e = ag_table_find_index(p, "ix_e"), *x = ag_table_find_index(p, "ix_p");
    assert_string_equal(e->expression, "lower(uid)");
    assert_true(x->unique);
    assert_string_equal(x->columns.v[0], "uid");
    assert_string_equal(x->where, "uid IS NOT NULL");
    ag_schema_free(s);
    d->disconnect(db);
}

/* Every spelling of deferrability SQLite takes, column-level and
 * table-level; a NOT after the clause that is not NOT DEFERRABLE is the
 * column's own (NOT NULL). */
static void test_sqlite__introspect_deferrable(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
             "CREATE TABLE c (id INTEGER PRIMARY KEY,\n"
             "  a INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED NOT NULL,\n"
             "  b INTEGER REFERENCES p deferrable,\n"
             "  d INTEGER REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,\n"
             "  e INTEGER REFERENCES p (id) NOT DEFERRABLE INITIALLY DEFERRED,\n"
             "  f INTEGER REFERENCES p (id) NOT NULL,\n"
             "  CONSTRAINT g FOREIGN KEY (b, d) REFERENCES p (id, id) MATCH SIMPLE\n"
             "    DEFERRABLE INITIALLY DEFERRED,\n"
             "  FOREIGN KEY (e) REFERENCES p (id) NOT DEFERRABLE);\n");
    ag_introspect_opts o = { 0 };
    ag_schema *s = NULL;
    ag_error err = { 0 };
    assert_int_equal(d->introspect(db, &o, &s, &err), AG_OK);
    ag_table *c = ag_schema_find_table(s, "c");
    assert_int_equal(c->nfks, 7);
    static const ag_fk_defer want[] = { AG_FK_DEFERRED,       AG_FK_DEFERRABLE,
                                        AG_FK_DEFERRABLE,     AG_FK_NOT_DEFERRABLE,
                                        AG_FK_NOT_DEFERRABLE, AG_FK_DEFERRED,
                                        AG_FK_NOT_DEFERRABLE };
    for (size_t i = 0; i < c->nfks; i++)
        assert_int_equal(c->fks[i]->defer, want[i]);
    assert_int_equal(c->fks[2]->on_delete, AG_FK_CASCADE);
    assert_false(ag_table_find_column(c, "a")->nullable);
    assert_false(ag_table_find_column(c, "f")->nullable);
    assert_true(ag_table_find_column(c, "e")->nullable);
    ag_schema_free(s);
    d->disconnect(db);
}

static void test_sqlite__rebuild_keeps_rows(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "CREATE TABLE \"t\" (\"id\" INTEGER NOT NULL, \"name\" VARCHAR(10), CONSTRAINT "
             "\"pk_t\" PRIMARY KEY (\"id\"));\n"
             "CREATE INDEX \"ix_t_name\" ON \"t\" (\"name\");\n"
             "INSERT INTO t VALUES (1, 'a'), (2, NULL);");
    ag_schema *s = NULL;
    ag_error err = { 0 };
    assert_int_equal(d->introspect(db, NULL, &s, &err), AG_OK);
    ag_oplist *ops = ag_oplist_new();
    ag_opdef *op = ag_oplist_push(ops, AG_OP_ALTER_COLUMN, "t");
    op->old_column = ag_column_clone(&ops->arena, s->tables[0]->columns[1]);
    op->column = ag_column_clone(&ops->arena, s->tables[0]->columns[1]);
    op->column->nullable = false;
    op->column->default_sql = "'zz'";
    op->column->type.length = 40;
    ag_arena a = AG_ARENA_INIT;
    ag_strs sql = { 0 };
    assert_int_equal(d->render(&a, s, op, &sql, &err), AG_OK);
    assert_int_equal(sql.n, 5);
    assert_string_equal(sql.v[1], "INSERT INTO \"_ag_new_t\" (\"id\", \"name\") SELECT \"id\", "
                                  "COALESCE(\"name\", 'zz') FROM \"t\"");
    for (size_t i = 0; i < sql.n; i++)
        exec(db, sql.v[i]);
    ag_rows r = { 0 };
    assert_int_equal(d->query(db, "SELECT group_concat(name, ',') FROM t", NULL, 0, &r, &err),
                     AG_OK);
    assert_string_equal(ag_rows_get(&r, 0, 0), "a,zz");
    ag_rows_release(&r);
    assert_int_equal(
        d->query(db, "SELECT sql FROM sqlite_master WHERE name = 't'", NULL, 0, &r, &err), AG_OK);
    assert_string_equal(ag_rows_get(&r, 0, 0),
                        "CREATE TABLE \"t\" (\"id\" INTEGER NOT NULL, \"name\" VARCHAR(40) NOT "
                        "NULL DEFAULT 'zz', CONSTRAINT \"pk_t\" PRIMARY KEY (\"id\"))");
    ag_rows_release(&r);
    assert_int_equal(d->verify(db, &err), AG_OK);
    ag_arena_release(&a);
    ag_oplist_free(ops);
    ag_schema_free(s);
    d->disconnect(db);
}

static void test_sqlite__foreign_key_check(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (aid INTEGER REFERENCES "
             "a(id)); INSERT INTO b VALUES (7);");
    ag_error err = { 0 };
    assert_int_equal(d->verify(db, &err), AG_EDB);
    assert_string_equal(err.msg, "sqlite: foreign key violation: row 1 of 'b' references a "
                                 "missing row of 'a' (1 violation in all)");
    d->disconnect(db);
}

/* SQLite's rule for the rowid alias: one key column declared exactly INTEGER. */
static void test_sqlite__rowid_alias(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "CREATE TABLE a (id INTEGER NOT NULL, x TEXT, PRIMARY KEY (id));"
             "CREATE TABLE b (id integer primary key autoincrement);"
             "CREATE TABLE c (id INT PRIMARY KEY);"
             "CREATE TABLE d (id BIGINT NOT NULL, PRIMARY KEY (id));"
             "CREATE TABLE e (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;"
             "CREATE TABLE f (id INTEGER PRIMARY KEY DESC);"
             "CREATE TABLE g (id INTEGER, k INTEGER, PRIMARY KEY (id, k));");
    ag_schema *s = NULL;
    ag_error err = { 0 };
    assert_int_equal(d->introspect(db, NULL, &s, &err), AG_OK);
    static const struct {
        const char *table;
        bool alias, keyword;
    } want[] = { { "a", true, false },  { "b", true, true },   { "c", false, false },
                 { "d", false, false }, { "e", false, false }, { "f", false, false },
                 { "g", false, false } };
    for (size_t i = 0; i < AG_NELEM(want); i++) {
        const ag_column *c = ag_table_find_column(ag_schema_find_table(s, want[i].table), "id");
        assert_non_null(c);
        if (c->rowid_alias != want[i].alias || c->autoincrement != want[i].keyword)
            fail_msg("table %s: rowid_alias %d autoincrement %d", want[i].table, c->rowid_alias,
                     c->autoincrement);
    }
    ag_schema_free(s);
    d->disconnect(db);
}

/* Only the main database is autogen's: attached ones and temp are never read,
 * even a temp table that shadows a main one's columns. */
static void test_sqlite__only_main(void **state)
{
    (void)state;
    ag_db *db = memdb();
    exec(db, "ATTACH DATABASE ':memory:' AS other;\n"
             "CREATE TABLE other.legacy (id INTEGER PRIMARY KEY, note TEXT);\n"
             "CREATE INDEX other.ix_legacy_note ON legacy (note);\n"
             "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
             "CREATE TEMP TABLE users (id INTEGER, shadow TEXT, more TEXT);\n"
             "CREATE TEMP TABLE scratch (x INTEGER);\n");
    ag_schema *s = NULL;
    ag_error err = { 0 };
    assert_int_equal(d->introspect(db, NULL, &s, &err), AG_OK);
    assert_int_equal(s->ntables, 1);
    assert_string_equal(s->tables[0]->name, "users");
    assert_int_equal(s->tables[0]->ncolumns, 2);
    assert_string_equal(s->tables[0]->columns[1]->name, "name");
    ag_schema_free(s);
    d->disconnect(db);
}

/* Views and triggers that raw SQL creates and drops, followed offline, are
 * what the database has after running that SQL. */
static void test_sqlite__track_sql_follows_the_database(void **state)
{
    (void)state;
    static const char *const sql[] = {
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE u (id INTEGER PRIMARY KEY)",
        "CREATE VIEW v1 AS SELECT id, \"v\" || ';' AS w FROM t; CREATE VIEW main.\"v 2\" AS SELECT "
        "* "
        "FROM v1",
        "CREATE TRIGGER tr1 AFTER UPDATE OF \"v\" ON t BEGIN UPDATE u SET id = id; DELETE FROM u "
        "WHERE id = 'x;y'; END; CREATE TEMP VIEW tmp AS SELECT 1",
        "CREATE TRIGGER tr2 INSTEAD OF INSERT ON \"v 2\" BEGIN SELECT 1; END",
        "CREATE TABLE w (id INTEGER); CREATE TRIGGER tr3 BEFORE DELETE ON w BEGIN SELECT 2; END",
        "DROP VIEW IF EXISTS nowhere; DROP TABLE w",
        "create view v3 as select 3; drop view v3; CREATE VIEW IF NOT EXISTS v4 AS SELECT 4",
    };
    ag_db *db = memdb();
    ag_schema *replayed = ag_schema_new();
    for (size_t i = 0; i < AG_NELEM(sql); i++) {
        exec(db, sql[i]);
        ag_sqlite__track_sql(replayed, sql[i]);
    }
    /* Renames, which SQLite carries into the text of views and triggers (the
     * replay quotes a renamed name always, SQLite where it was quoted: the
     * view quotes its column so that the texts compare). */
    ag_error err = { 0 };
    ag_table *t = ag_schema_add_table(replayed, "t");
    ag_table_add_column(replayed, t, "id");
    ag_table_add_column(replayed, t, "v");
    ag_opdef ren_col = { .kind = AG_OP_RENAME_COLUMN, .table = "t", .old_name = "v", .name = "v2" };
    ag_opdef ren_tab = { .kind = AG_OP_RENAME_TABLE, .table = "t", .name = "t2" };
    assert_int_equal(ag_schema_apply(replayed, &ren_col, &err), AG_OK);
    assert_int_equal(ag_schema_apply(replayed, &ren_tab, &err), AG_OK);
    exec(db, "ALTER TABLE t RENAME COLUMN v TO v2; ALTER TABLE t RENAME TO t2");
    ag_schema *live = NULL;
    assert_int_equal(d->introspect(db, NULL, &live, &err), AG_OK);
    assert_true(live->objects_complete);
    assert_false(replayed->objects_complete);
    assert_int_equal(replayed->nobjects, live->nobjects);
    for (size_t i = 0; i < live->nobjects; i++) {
        const ag_sqlobj *a = replayed->objects[i], *b = live->objects[i];
        assert_int_equal(a->kind, b->kind);
        assert_string_equal(a->name, b->name);
        assert_string_equal(a->table, b->table);
        assert_string_equal(a->sql, b->sql);
    }
    assert_true(ag_sqlite__mentions(live->objects[1]->sql, "V1"));
    assert_false(ag_sqlite__mentions(live->objects[0]->sql, "w;"));
    assert_false(ag_sqlite__mentions("SELECT 'v1' FROM x", "v1"));
    ag_schema_free(live);
    ag_schema_free(replayed);
    d->disconnect(db);
}

static void test_sqlite__urls(void **state)
{
    (void)state;
    ag_url u = { 0 };
    ag_error err = { 0 };
    assert_int_equal(ag_url_parse(&u, "sqlite:///app.db", "proj", &err), AG_OK);
    assert_string_equal(u.path, "proj/app.db");
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "sqlite:////var/x.db", "proj", &err), AG_OK);
    assert_string_equal(u.path, "/var/x.db");
    ag_url_release(&u);
    /* The query string holds parameters, not part of the file name. */
    assert_int_equal(ag_url_parse(&u, "sqlite:///app.db?mode=ro", "proj", &err), AG_OK);
    assert_string_equal(u.path, "proj/app.db");
    assert_int_equal(u.mode, AG_MODE_RO);
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "sqlite:////var/x.db?mode=rw", ".", &err), AG_OK);
    assert_string_equal(u.path, "/var/x.db");
    assert_int_equal(u.mode, AG_MODE_RW);
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "sqlite:///x.db?mode=rwc", ".", &err), AG_OK);
    assert_int_equal(u.mode, AG_MODE_RWC);
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "sqlite:///x.db?mode=ro&cache=shared", ".", &err),
                     AG_EINVALID);
    assert_non_null(strstr(err.msg, "unknown parameter 'cache'"));
    assert_int_equal(ag_url_parse(&u, "sqlite:///x.db?mode=", ".", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "write mode=ro, mode=rw or mode=rwc"));
    /* A password= before a user:password@ is masked too (found by fuzz_url). */
    assert_int_equal(ag_url_parse(&u, "postgresql://password=s3cret&u:x@h/db", ".", &err), AG_OK);
    assert_string_equal(u.display, "postgresql://password=***&u:***@h/db");
    ag_url_release(&u);
    /* A bad value is quoted masked like the URL (found by tests/fuzz/fuzz_url). */
    assert_int_equal(ag_url_parse(&u, "sqlite:///x.db?mode=xpassword=s3cret", ".", &err),
                     AG_EINVALID);
    assert_string_equal(err.msg, "'mode=xpassword=***' in the SQLite URL "
                                 "'sqlite:///x.db?mode=xpassword=***': write mode=ro, mode=rw or "
                                 "mode=rwc");
    assert_int_equal(ag_url_parse(&u, "postgresql://me:s3cret@db:5432/app", ".", &err), AG_OK);
    assert_string_equal(u.scheme, "postgresql");
    assert_string_equal(u.display, "postgresql://me:***@db:5432/app");
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "postgres://h/app?password=s3cret&x=1", ".", &err), AG_OK);
    assert_string_equal(u.display, "postgres://h/app?password=***&x=1");
    ag_url_release(&u);
    /* A password may hold an '@'; every password= of a query is masked. */
    assert_int_equal(ag_url_parse(&u, "postgresql://me:p@ss@db/app", ".", &err), AG_OK);
    assert_string_equal(u.display, "postgresql://me:***@db/app");
    ag_url_release(&u);
    assert_int_equal(
        ag_url_parse(&u, "postgresql://db/app?password=a&sslmode=require&password=b", ".", &err),
        AG_OK);
    assert_string_equal(u.display, "postgresql://db/app?password=***&sslmode=require&password=***");
    ag_url_release(&u);
    assert_int_equal(ag_url_parse(&u, "sqlite://", ".", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "names no database file"));
    assert_int_equal(ag_url_parse(&u, "postgresql://", ".", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "names no server"));
    assert_int_equal(ag_url_parse(&u, "sqlite://app.db", ".", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "(sqlite:///app.db)"));
    assert_int_equal(ag_url_parse(&u, "mysql://me:s3cret@h/db", ".", &err), AG_EINVALID);
    assert_string_equal(err.msg, "unsupported database URL scheme 'mysql'; expected sqlite:// or "
                                 "postgresql://");
    assert_int_equal(ag_url_parse(&u, "sqlite://app.db", ".", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "three slashes"));
    assert_int_equal(ag_url_parse(&u, "app.db", ".", &err), AG_EINVALID);
    assert_int_equal(ag_url_parse(&u, "", ".", &err), AG_EINVALID);
}

static void test_sqlite__types_round_trip(void **state)
{
    (void)state;
    static const char *const specs[] = { "smallint",  "integer",     "bigint",  "decimal(10,3)",
                                         "real",      "double",      "boolean", "char(2)",
                                         "string(9)", "text",        "date",    "time",
                                         "timestamp", "timestamptz", "binary",  "sql(MEDIUMINT)" };
    ag_arena a = AG_ARENA_INIT;
    for (size_t i = 0; i < AG_NELEM(specs); i++) {
        ag_type t, back;
        assert_true(ag_type_parse(&a, specs[i], &t));
        ag_sqlite__type_parse(&a, d->type_sql(&a, &t), &back);
        if (!ag_type_equal(&t, &back))
            fail_msg("%s -> %s -> %s", specs[i], d->type_sql(&a, &t), ag_type_format(&a, &back));
    }
    ag_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite__introspect_hand_written),
        cmocka_unit_test(test_sqlite__introspect_deferrable),
        cmocka_unit_test(test_sqlite__only_main),
        cmocka_unit_test(test_sqlite__rebuild_keeps_rows),
        cmocka_unit_test(test_sqlite__foreign_key_check),
        cmocka_unit_test(test_sqlite__rowid_alias),
        cmocka_unit_test(test_sqlite__track_sql_follows_the_database),
        cmocka_unit_test(test_sqlite__urls),
        cmocka_unit_test(test_sqlite__types_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
