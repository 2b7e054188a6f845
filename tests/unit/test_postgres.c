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

static void pexec(ag_db *db, const char *sql)
{
    ag_error err = { 0 };
    if (d->exec(db, sql, &err) != AG_OK)
        fail_msg("%s", err.msg);
}

/* Introspection of a schema written by hand, the way an ORM or a DBA writes one:
 * serial keys, quoted names, casts in defaults, named checks, partial and
 * expression indexes, an enum, comments, a foreign key with actions. */
static void test_postgres__introspect_hand_written(void **state)
{
    (void)state;
    ag_error err = { 0 };
    ag_db *db = connect_url(url, &err);
    assert_non_null(db);
    pexec(db, "DROP SCHEMA IF EXISTS ut_intro CASCADE; CREATE SCHEMA ut_intro;\n"
              "CREATE TYPE ut_intro.mood AS ENUM ('sad', 'o''k');\n"
              "CREATE TABLE ut_intro.\"Users\" (\n"
              "  id serial PRIMARY KEY,\n"
              "  \"e-mail\" character varying(120) NOT NULL UNIQUE,\n"
              "  score numeric(5,2) DEFAULT 0,\n"
              "  kind varchar(10) DEFAULT 'a'::character varying,\n"
              "  feeling ut_intro.mood,\n"
              "  created timestamp with time zone DEFAULT now(),\n"
              "  CONSTRAINT \"score ok\" CHECK (score >= 0));\n"
              "COMMENT ON TABLE ut_intro.\"Users\" IS 'people';\n"
              "COMMENT ON COLUMN ut_intro.\"Users\".score IS 'points';\n"
              "CREATE TABLE ut_intro.posts (id bigint NOT NULL, uid integer,\n"
              "  CONSTRAINT pk_posts PRIMARY KEY (id),\n"
              "  CONSTRAINT fk_u FOREIGN KEY (uid) REFERENCES ut_intro.\"Users\" (id)\n"
              "    ON DELETE SET NULL ON UPDATE CASCADE);\n"
              "CREATE UNIQUE INDEX ix_p ON ut_intro.posts (uid) WHERE uid IS NOT NULL;\n"
              "CREATE INDEX ix_e ON ut_intro.posts (abs(uid));\n");
    ag_strs none = { 0 }; /* no schema besides the default one */
    ag_introspect_opts o = { .version_table = "autogen_version",
                             .schema = "ut_intro",
                             .managed = &none };
    ag_schema *s = NULL;
    assert_int_equal(d->introspect(db, &o, &s, &err), AG_OK);
    assert_int_equal(s->ntables, 2);
    ag_table *u = ag_schema_find_table(s, "Users");
    assert_non_null(u);
    assert_string_equal(u->comment, "people");
    assert_int_equal(u->ncolumns, 6);
    assert_string_equal(u->pk.columns.v[0], "id");
    assert_int_equal(u->columns[0]->type.kind, AG_T_INTEGER);
    assert_true(u->columns[0]->autoincrement);
    assert_string_equal(u->columns[1]->name, "e-mail");
    assert_int_equal(u->columns[1]->type.kind, AG_T_STRING);
    assert_int_equal(u->columns[1]->type.length, 120);
    assert_false(u->columns[1]->nullable);
    assert_int_equal(u->nuniques, 1);
    assert_string_equal(u->uniques[0]->columns.v[0], "e-mail");
    assert_int_equal(u->columns[2]->type.kind, AG_T_DECIMAL);
    assert_int_equal(u->columns[2]->type.precision, 5);
    assert_int_equal(u->columns[2]->type.scale, 2);
    assert_string_equal(u->columns[2]->default_sql, "0");
    assert_string_equal(u->columns[2]->comment, "points");
    assert_string_equal(u->columns[3]->default_sql, "'a'");
    assert_int_equal(u->columns[4]->type.kind, AG_T_ENUM);
    assert_string_equal(u->columns[4]->type.name, "mood");
    ag_enum *mood = ag_schema_find_enum(s, "mood");
    assert_non_null(mood);
    assert_int_equal(mood->values.n, 2);
    assert_string_equal(mood->values.v[1], "o'k");
    assert_int_equal(u->columns[5]->type.kind, AG_T_TIMESTAMPTZ);
    assert_string_equal(u->columns[5]->default_sql, "now()");
    assert_int_equal(u->nchecks, 1);
    assert_string_equal(u->checks[0]->name, "score ok");
    assert_non_null(strstr(u->checks[0]->expression, "score >= "));

    ag_table *p = ag_schema_find_table(s, "posts");
    assert_non_null(p);
    assert_string_equal(p->pk.name, "pk_posts");
    assert_int_equal(p->columns[0]->type.kind, AG_T_BIGINT);
    assert_false(p->columns[0]->autoincrement);
    assert_int_equal(p->nfks, 1);
    assert_string_equal(p->fks[0]->name, "fk_u");
    assert_string_equal(p->fks[0]->ref_table, "Users");
    assert_int_equal(p->fks[0]->on_delete, AG_FK_SET_NULL);
    assert_int_equal(p->fks[0]->on_update, AG_FK_CASCADE);
    assert_int_equal(p->nindexes, 2);
    ag_index *x = ag_table_find_index(p, "ix_p"), *e = ag_table_find_index(p, "ix_e");
    assert_non_null(x);
    assert_non_null(e);
    assert_true(x->unique);
    assert_string_equal(x->columns.v[0], "uid");
    assert_string_equal(x->where, "(uid IS NOT NULL)"); /* as pg_get_expr prints it */
    assert_string_equal(e->expression, "abs(uid)");
    ag_schema_free(s);
    pexec(db, "DROP SCHEMA ut_intro CASCADE");
    d->disconnect(db);
}

/* Rendering: what each op becomes, run on the server, and read back. */
static void test_postgres__render_alter_and_add(void **state)
{
    (void)state;
    ag_error err = { 0 };
    ag_db *db = connect_url(url, &err);
    assert_non_null(db);
    pexec(db, "DROP SCHEMA IF EXISTS ut_render CASCADE; CREATE SCHEMA ut_render;\n"
              "CREATE TABLE ut_render.t (id integer NOT NULL, name varchar(10),\n"
              "  CONSTRAINT pk_t PRIMARY KEY (id));\n"
              "INSERT INTO ut_render.t VALUES (1, 'a'), (2, 'b');\n"
              "SET search_path TO ut_render;"); /* what a run with `schema:` does */
    ag_strs none = { 0 };
    ag_introspect_opts o = { .schema = "ut_render", .managed = &none };
    ag_schema *s = NULL;
    assert_int_equal(d->introspect(db, &o, &s, &err), AG_OK);
    ag_table *t = ag_schema_find_table(s, "t");
    assert_non_null(t);
    ag_oplist *ops = ag_oplist_new();
    ag_arena a = AG_ARENA_INIT;

    /* A longer string, NOT NULL with a default: PostgreSQL alters in place. */
    ag_opdef *op = ag_oplist_push(ops, AG_OP_ALTER_COLUMN, "t");
    op->old_column = ag_column_clone(&ops->arena, t->columns[1]);
    op->column = ag_column_clone(&ops->arena, t->columns[1]);
    op->column->type.length = 40;
    op->column->nullable = false;
    op->column->default_sql = "'zz'";
    ag_strs sql = { 0 };
    assert_int_equal(d->render(&a, s, op, &sql, &err), AG_OK);
    assert_int_equal(sql.n, 3);
    assert_string_equal(sql.v[0], "ALTER TABLE \"t\" ALTER COLUMN \"name\" TYPE VARCHAR(40) USING "
                                  "\"name\"::VARCHAR(40)");
    assert_string_equal(sql.v[1], "ALTER TABLE \"t\" ALTER COLUMN \"name\" SET NOT NULL");
    assert_string_equal(sql.v[2], "ALTER TABLE \"t\" ALTER COLUMN \"name\" SET DEFAULT 'zz'");
    for (size_t i = 0; i < sql.n; i++)
        pexec(db, sql.v[i]);
    assert_int_equal(ag_schema_apply(s, op, &err), AG_OK);

    /* A column added with a comment. */
    op = ag_oplist_push(ops, AG_OP_ADD_COLUMN, "t");
    op->column = ag_column_clone(&ops->arena, t->columns[1]);
    op->column->name = "born";
    op->column->type = (ag_type){ .kind = AG_T_DATE };
    op->column->nullable = true;
    op->column->default_sql = NULL;
    op->column->comment = "day of birth";
    ag_strs add = { 0 };
    assert_int_equal(d->render(&a, s, op, &add, &err), AG_OK);
    assert_int_equal(add.n, 2);
    assert_string_equal(add.v[0], "ALTER TABLE \"t\" ADD COLUMN \"born\" DATE");
    assert_string_equal(add.v[1], "COMMENT ON COLUMN \"t\".\"born\" IS 'day of birth'");
    for (size_t i = 0; i < add.n; i++)
        pexec(db, add.v[i]);

    ag_rows r;
    assert_int_equal(d->query(db, "SELECT string_agg(name, ',' ORDER BY id) FROM ut_render.t", NULL,
                              0, &r, &err),
                     AG_OK);
    assert_string_equal(ag_rows_get(&r, 0, 0), "a,b");
    ag_rows_release(&r);
    ag_schema *after = NULL;
    assert_int_equal(d->introspect(db, &o, &after, &err), AG_OK);
    ag_table *t2 = ag_schema_find_table(after, "t");
    assert_int_equal(t2->ncolumns, 3);
    assert_int_equal(t2->columns[1]->type.length, 40);
    assert_false(t2->columns[1]->nullable);
    assert_string_equal(t2->columns[1]->default_sql, "'zz'");
    assert_int_equal(t2->columns[2]->type.kind, AG_T_DATE);
    assert_string_equal(t2->columns[2]->comment, "day of birth");
    ag_schema_free(after);
    ag_schema_free(s);
    ag_oplist_free(ops);
    ag_arena_release(&a);
    pexec(db, "DROP SCHEMA ut_render CASCADE; SET search_path TO DEFAULT");
    d->disconnect(db);
}

/* The server's spellings into the vocabulary of models, without a server. */
static void test_postgres__types_and_defaults(void **state)
{
    (void)state;
    ag_arena a = AG_ARENA_INIT;
    ag_type t = { 0 };
    ag_pg__type_parse(&a, "character varying(50)", &t);
    assert_int_equal(t.kind, AG_T_STRING);
    assert_int_equal(t.length, 50);
    assert_string_equal(ag_pg__type_sql(&a, &t), "VARCHAR(50)");
    ag_pg__type_parse(&a, "numeric(12,3)", &t);
    assert_int_equal(t.kind, AG_T_DECIMAL);
    assert_int_equal(t.precision, 12);
    assert_int_equal(t.scale, 3);
    ag_pg__type_parse(&a, "timestamp without time zone", &t);
    assert_int_equal(t.kind, AG_T_TIMESTAMP);
    ag_pg__type_parse(&a, "timestamp with time zone", &t);
    assert_int_equal(t.kind, AG_T_TIMESTAMPTZ);
    ag_pg__type_parse(&a, "jsonb", &t);
    assert_int_equal(t.kind, AG_T_JSONB);
    ag_pg__type_parse(&a, "bytea", &t);
    assert_int_equal(t.kind, AG_T_BINARY);
    assert_string_equal(ag_pg__default(&a, "'x'::character varying"), "'x'");
    assert_string_equal(ag_pg__default(&a, "'it''s'::text"), "'it''s'");
    assert_string_equal(ag_pg__default(&a, "now()"), "now()");
    assert_string_equal(ag_pg__default(&a, "42"), "42");
    ag_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postgres__exec_query_params),
        cmocka_unit_test(test_postgres__transactions_roll_back_ddl),
        cmocka_unit_test(test_postgres__advisory_lock_serialises_runners),
        cmocka_unit_test(test_postgres__connection_errors_hide_the_password),
        cmocka_unit_test(test_postgres__introspect_hand_written),
        cmocka_unit_test(test_postgres__render_alter_and_add),
        cmocka_unit_test(test_postgres__types_and_defaults),
    };
    return cmocka_run_group_tests(tests, find_server, NULL);
}
