/* test_model.c - YAML models: what loads, and every way a model can be wrong,
 * each with its exact file:line:col and message. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/dialect.h"
#include "model/model.h"

#include <stdio.h>

/* Load one buffer named m.yaml; return the diagnostics as "L:C: msg" lines. */
static char *load_opts(const char *yaml, const ag_model_opts *opts, ag_schema **out)
{
    static char buf[8192];
    const char *names[] = { "m.yaml" };
    const char *texts[] = { yaml };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    int rc = ag_model_load_buffers(&s, names, texts, 1, opts, &d, &e);
    buf[0] = '\0';
    for (size_t i = 0; i < d.n; i++) {
        assert_string_equal(d.v[i].file, "m.yaml");
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof(buf) - len, "%s%u:%u: %s", i ? "\n" : "", d.v[i].line,
                 d.v[i].col, d.v[i].msg);
    }
    if (d.n)
        assert_int_equal(rc, AG_EINVALID);
    else
        assert_int_equal(rc, AG_OK);
    ag_diags_release(&d);
    if (out)
        *out = s;
    else
        ag_schema_free(s);
    return buf;
}

static char *load(const char *yaml, ag_schema **out)
{
    return load_opts(yaml, NULL, out);
}

#define EXPECT(yaml, diags) assert_string_equal(load(yaml, NULL), diags)

/* With PostgreSQL's limit on names. */
static const ag_model_opts pg_names = { .max_identifier = AG_IDENTIFIER_PORTABLE };
#define EXPECT_PG(yaml, diags) assert_string_equal(load_opts(yaml, &pg_names, NULL), diags)

#define T_ID  "tables:\n  t:\n    columns:\n"
#define USERS "  users:\n    columns:\n      id: { type: integer, primary_key: true }\n"

static void test_model__unknown_top_key(void **state)
{
    (void)state;
    EXPECT("tabels:\n  t:\n    columns:\n      id: { type: integer }\n",
           "1:1: unknown key 'tabels' in a model file; did you mean 'tables'?");
}

static void test_model__unknown_table_key(void **state)
{
    (void)state;
    EXPECT("tables:\n  t:\n    comment: x\n    colums:\n      id: { type: integer }\n",
           "4:5: unknown key 'colums' in table 't'; did you mean 'columns'?\n"
           "2:3: table 't' needs 'columns': a mapping of column names");
}

static void test_model__unknown_column_key(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer, nulable: false }\n",
           "4:28: unknown key 'nulable' in column 'id'; did you mean 'nullable'?");
}

static void test_model__unknown_type_with_suggestion(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: strng(50) }\n",
           "4:19: unknown type 'strng(50)'; did you mean 'string(50)'?");
}

static void test_model__unknown_type(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: geometry }\n", "4:19: unknown type 'geometry'");
}

/* Known type words with impossible parameters say what is wrong with them. */
static void test_model__bad_type_parameters(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: \"decimal(2,5)\" }\n",
           "4:19: invalid type 'decimal(2,5)': the scale (5) cannot exceed the precision (2), "
           "the number of digits in all; did you mean 'decimal(5,2)'?");
    EXPECT(T_ID "      id: { type: string(0) }\n",
           "4:19: invalid type 'string(0)': a length must be at least 1 (write 'string' for no "
           "limit)");
    EXPECT(T_ID "      id: { type: char(-3) }\n",
           "4:19: invalid type 'char(-3)': a length must be at least 1");
    EXPECT(T_ID "      id: { type: varchar(99999999999) }\n",
           "4:19: invalid type 'varchar(99999999999)': a length can be at most 10485760 "
           "(PostgreSQL's limit); use 'text' for longer values");
    EXPECT(T_ID "      id: { type: \"decimal(1200,2)\" }\n",
           "4:19: invalid type 'decimal(1200,2)': the precision can be at most 1000 "
           "(PostgreSQL's limit)");
    EXPECT(T_ID "      id: { type: decimal(0) }\n",
           "4:19: invalid type 'decimal(0)': the precision must be at least 1");
    EXPECT(T_ID "      id: { type: \"decimal(5,-1)\" }\n",
           "4:19: invalid type 'decimal(5,-1)': the scale must be a number from 0 to the "
           "precision (5)");
    EXPECT(T_ID "      id: { type: string(ten) }\n",
           "4:19: invalid type 'string(ten)': write the length as a number, as in 'string(100)'");
    EXPECT(T_ID "      id: { type: integer(4) }\n",
           "4:19: invalid type 'integer(4)': 'integer' takes no parameters; write 'integer'");
}

/* In { } an unquoted comma ends the value: decimal(12,2) becomes the type
 * 'decimal(12' and a key '2)'. One error, that says to quote it. */
static void test_model__unquoted_comma_in_flow_mapping(void **state)
{
    (void)state;
    EXPECT(T_ID "      price: { type: decimal(12,2), default: 0 }\n",
           "4:22: unquoted comma in 'type: decimal(12,2)': inside { } a comma ends the value; "
           "quote it, as in type: \"decimal(12,2)\"");
    EXPECT(T_ID "      price: { type: decimal(12, 2) }\n",
           "4:22: unquoted comma in 'type: decimal(12, 2)': inside { } a comma ends the value; "
           "quote it, as in type: \"decimal(12, 2)\"");
    EXPECT("tables:\n" USERS
           "      n: { type: integer }\n    unique:\n      - { columns: [id, n] }\n"
           "  posts:\n    columns:\n      a: { type: integer }\n      b: { type: integer }\n"
           "    foreign_keys:\n      - { columns: [a, b], references: users(id, n) }\n",
           "13:40: unquoted comma in 'references: users(id, n)': inside { } a comma ends the "
           "value; quote it, as in references: \"users(id, n)\"");
}

/* libyaml's own message for a tab in indentation is "found character that
 * cannot start any token". */
static void test_model__tab_indentation(void **state)
{
    (void)state;
    EXPECT("tables:\n  t:\n    columns:\n\tid: { type: integer }\n",
           "4:1: tabs are not allowed for indentation in YAML; use spaces");
    EXPECT("tables:\n  t:\n    columns:\n  \t  id: { type: integer }\n",
           "4:3: tabs are not allowed for indentation in YAML; use spaces");
}

static void test_model__missing_type(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { nullable: false }\n",
           "4:7: column 'id' has no type; add one, as in 'type: string(100)'");
}

static void test_model__nullable_not_boolean(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer, nullable: maybe }\n",
           "4:38: 'nullable' must be true or false");
}

static void test_model__duplicate_column_key(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n      id: { type: text }\n",
           "5:7: duplicate key 'id' (first at 4:7)");
}

/* A table twice in one file is a duplicate key, reported once. */
static void test_model__duplicate_table_in_one_file(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n  t:\n    columns:\n      id: { type: integer }\n",
           "5:3: duplicate key 't' (first at 2:3)");
}

/* Past a few keys duplicates are found by name: the first one is still the one named. */
static void test_model__duplicate_key_among_many(void **state)
{
    (void)state;
    char yaml[4096] = "tables:\n";
    for (int i = 0; i < 20; i++)
        snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml),
                 "  t%d:\n    columns:\n      id: { type: integer }\n", i);
    strcat(yaml, "  t3:\n    columns:\n      id: { type: integer }\n"
                 "  t3:\n    columns:\n      id: { type: integer }\n");
    EXPECT(yaml, "62:3: duplicate key 't3' (first at 11:3)\n"
                 "65:3: duplicate key 't3' (first at 11:3)");
}

/* Many files are parsed on several threads: the schema and the diagnostics
 * still come in file order, as from one. */
static void test_model__many_files_in_order(void **state)
{
    (void)state;
    enum { N = 64 };
    char names[N][16], texts[N][128];
    const char *np[N], *tp[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "f%02d.yaml", i);
        snprintf(texts[i], sizeof(texts[i]), "tables:\n  t%02d:\n    columns:\n      id: { %s }\n",
                 i == 50 ? 2 : i, i == 5 ? "tpye: integer" : "type: integer");
        np[i] = names[i];
        tp[i] = texts[i];
    }
    snprintf(texts[30], sizeof(texts[30]), "tables:\n\tt30: {}\n");
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, np, tp, N, NULL, &d, &e), AG_EINVALID);
    assert_null(s);
    assert_int_equal(d.n, 4);
    assert_string_equal(d.v[0].file, "f05.yaml");
    assert_string_equal(d.v[0].msg, "unknown key 'tpye' in column 'id'; did you mean 'type'?");
    assert_string_equal(d.v[1].file, "f05.yaml");
    assert_string_equal(d.v[2].file, "f30.yaml");
    assert_int_equal(d.v[2].line, 2);
    assert_string_equal(d.v[2].msg, "tabs are not allowed for indentation in YAML; use spaces");
    assert_string_equal(d.v[3].file, "f50.yaml");
    assert_string_equal(d.v[3].msg, "duplicate table 't02' (first declared at f02.yaml:2:3)");
    ag_diags_release(&d);

    snprintf(texts[5], sizeof(texts[5]),
             "tables:\n  t05:\n    columns:\n      id: { type: integer }\n");
    snprintf(texts[30], sizeof(texts[30]),
             "tables:\n  t30:\n    columns:\n      id: { type: integer }\n");
    snprintf(texts[50], sizeof(texts[50]),
             "tables:\n  t50:\n    columns:\n      id: { type: integer }\n");
    assert_int_equal(ag_model_load_buffers(&s, np, tp, N, NULL, &d, &e), AG_OK);
    assert_int_equal(s->ntables, N);
    for (int i = 0; i < N; i++) {
        char want[8];
        snprintf(want, sizeof(want), "t%02d", i);
        assert_string_equal(s->tables[i]->name, want);
        assert_string_equal(s->tables[i]->loc.file, names[i]);
    }
    ag_schema_free(s);
    ag_diags_release(&d);
}

/* A stream takes files while they are written; abort frees what was parsed. */
static void test_model__stream(void **state)
{
    (void)state;
    ag_model_stream *st = ag_model_stream_start(40);
    char texts[20][96];
    char names[20][16];
    for (int i = 0; i < 20; i++) {
        snprintf(names[i], sizeof(names[i]), "s%02d.yaml", i);
        snprintf(texts[i], sizeof(texts[i]),
                 "tables:\n  s%02d:\n    columns:\n      id: { type: integer }\n", i);
        ag_model_stream_add(st, names[i], texts[i]);
    }
    ag_model_stream_abort(st);

    st = ag_model_stream_start(40);
    for (int i = 0; i < 20; i++)
        ag_model_stream_add(st, names[i], texts[i]);
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_stream_finish(st, &s, NULL, &d, &e), AG_OK);
    assert_int_equal(s->ntables, 20);
    assert_string_equal(s->tables[19]->name, "s19");
    ag_schema_free(s);
    ag_diags_release(&d);
}

static void test_model__duplicate_table_across_files(void **state)
{
    (void)state;
    const char *names[] = { "a.yaml", "b.yaml" };
    const char *texts[] = { T_ID "      id: { type: integer }\n",
                            "# other\n" T_ID "      id: { type: integer }\n" };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, names, texts, 2, NULL, &d, &e), AG_EINVALID);
    assert_null(s);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, "b.yaml");
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 3);
    assert_string_equal(d.v[0].msg, "duplicate table 't' (first declared at a.yaml:2:3)");
    assert_string_equal(e.msg, "1 error in the model files");
    ag_diags_release(&d);
}

/* One name in several schemas: one table each; a plain reference means the
 * referencing table's schema first, then the default one. */
static void test_model__same_name_in_two_schemas(void **state)
{
    (void)state;
    const char *names[] = { "raw.yaml", "clean.yaml" };
    const char *texts[] = {
        "tables:\n  events:\n    schema: raw\n    columns:\n"
        "      id: { type: integer, primary_key: true }\n",
        "tables:\n  events:\n    schema: clean\n    columns:\n"
        "      id: { type: integer, primary_key: true }\n"
        "      raw_id: { type: integer, references: raw.events.id }\n"
        "  sessions:\n    schema: clean\n    columns:\n"
        "      id: { type: integer, primary_key: true }\n"
        "      event_id: { type: integer, references: events.id }\n",
    };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, names, texts, 2, NULL, &d, &e), AG_OK);
    assert_int_equal(s->ntables, 3);
    const ag_table *ce = ag_schema_find_table_exact(s, "clean", "events");
    const ag_table *cs = ag_schema_find_table_exact(s, "clean", "sessions");
    assert_non_null(ag_schema_find_table_exact(s, "raw", "events"));
    assert_non_null(ce);
    assert_string_equal(ce->fks[0]->ref_schema, "raw");
    assert_string_equal(ce->fks[0]->ref_table, "events");
    assert_string_equal(ce->fks[0]->name, "fk_events_raw_id_events");
    assert_string_equal(cs->fks[0]->ref_schema, "clean");
    ag_schema_free(s);
    ag_diags_release(&d);
}

/* SQLite has one namespace, `main`: a table or enum naming another schema is
 * an error at its line (README, "Schemas on SQLite"), never ignored; `main`
 * itself is the default schema. */
static const ag_model_opts sqlite_opts = { .dialect = "SQLite",
                                           .caps =
                                               AG_CAP_TRANSACTIONAL_DDL | AG_CAP_VIRTUAL_COLUMNS };
#define EXPECT_SQLITE(yaml, diags) assert_string_equal(load_opts(yaml, &sqlite_opts, NULL), diags)

static void test_model__schema_on_sqlite(void **state)
{
    (void)state;
    EXPECT_SQLITE("tables:\n  orders:\n    comment: raw orders\n    schema: raw\n"
                  "    columns:\n      id: { type: integer, primary_key: true }\n",
                  "4:13: table 'orders' has schema 'raw', but SQLite has no schemas: remove "
                  "'schema:' or use PostgreSQL");
    /* PostgreSQL's default schema is no more SQLite's than any other. */
    EXPECT_SQLITE("tables:\n  t:\n    schema: public\n"
                  "    columns:\n      id: { type: integer, primary_key: true }\n",
                  "3:13: table 't' has schema 'public', but SQLite has no schemas: remove "
                  "'schema:' or use PostgreSQL");
    EXPECT_SQLITE("enums:\n  raw.status: [a, b]\n" T_ID
                  "      id: { type: integer, primary_key: true }\n",
                  "2:3: enum 'status' has schema 'raw', but SQLite has no schemas: remove 'raw.' "
                  "or use PostgreSQL");
    ag_schema *s = NULL;
    assert_string_equal(load_opts("tables:\n  t:\n    schema: main\n"
                                  "    columns:\n      id: { type: integer, primary_key: true }\n",
                                  &sqlite_opts, &s),
                        "");
    assert_null(ag_schema_find_table_exact(s, "main", "t"));
    assert_non_null(ag_schema_find_table_exact(s, NULL, "t"));
    ag_schema_free(s);
}

/* SQLite has one kind of index and no INCLUDE columns: `using:` and
 * `include:` are errors at the key, when the models are loaded (README,
 * "Indexes"), not when a migration runs; `using: btree` is the default. */
static void test_model__index_kinds_on_sqlite(void **state)
{
    (void)state;
    EXPECT_SQLITE("tables:\n  docs:\n    columns:\n"
                  "      id: { type: integer, primary_key: true }\n"
                  "      body: { type: text }\n"
                  "    indexes:\n"
                  "      - { name: ix_docs_body, columns: [body], using: gin }\n",
                  "7:55: index 'ix_docs_body' on 'docs': SQLite has no index access methods; "
                  "remove 'using:' or use PostgreSQL");
    EXPECT_SQLITE("tables:\n  docs:\n    columns:\n"
                  "      id: { type: integer, primary_key: true }\n"
                  "      body: { type: text }\n"
                  "    indexes:\n"
                  "      - columns: [id]\n"
                  "        include: [body]\n",
                  "8:18: index on 'docs': SQLite has no INCLUDE columns; "
                  "remove 'include:' or use PostgreSQL");
    ag_schema *s = NULL;
    assert_string_equal(load_opts("tables:\n  docs:\n    columns:\n"
                                  "      id: { type: integer, primary_key: true }\n"
                                  "    indexes:\n"
                                  "      - { columns: [id], using: BTREE }\n",
                                  &sqlite_opts, &s),
                        "");
    ag_schema_free(s);
    /* PostgreSQL loads both. */
    assert_string_equal(load_opts("tables:\n  docs:\n    columns:\n"
                                  "      id: { type: integer, primary_key: true }\n"
                                  "      body: { type: text }\n"
                                  "    indexes:\n"
                                  "      - { columns: [id], include: [body], using: hash }\n",
                                  NULL, &s),
                        "");
    ag_schema_free(s);
}

/* `collation:` is kept as written (the dialect decides what is the same). */
static void test_model__collation(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(load_opts("tables:\n  t:\n    columns:\n"
                                  "      id: { type: integer, primary_key: true }\n"
                                  "      code: { type: text, collation: \"C\" }\n"
                                  "      name: { type: text }\n",
                                  NULL, &s),
                        "");
    const ag_table *t = ag_schema_find_table(s, "t");
    assert_string_equal(ag_table_find_column(t, "code")->collation, "C");
    assert_null(ag_table_find_column(t, "name")->collation);
    ag_schema_free(s);
    EXPECT("tables:\n  t:\n    columns:\n"
           "      id: { type: integer, primary_key: true }\n"
           "      code: { type: text, collation: \"\" }\n",
           "5:38: 'collation' names a collation, as \"C\", en_US or NOCASE; leave it out for the "
           "default");
    EXPECT("tables:\n  t:\n    columns:\n"
           "      id: { type: integer, primary_key: true }\n"
           "      code: { type: text, collation: [a] }\n",
           "5:38: 'collation' must be a single value");
}

static void test_model__reference_unknown_table(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      owner_id: { type: integer, references: userz.id }\n",
           "7:46: column 'owner_id' references unknown table 'userz'; did you mean 'users'?");
}

static void test_model__reference_unknown_column(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      owner_id: { type: integer, references: users.uid }\n",
           "7:46: foreign key references unknown column 'users.uid'");
}

static void test_model__reference_malformed(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      owner_id: { type: integer, references: users }\n",
           "7:46: references must be table.column, as in 'users.id'");
}

static void test_model__unknown_action(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      owner_id: { type: integer, references: users.id, on_delete: cascad }\n",
           "7:67: unknown action 'cascad'; did you mean 'cascade'?");
}

static void test_model__action_without_reference(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer, on_delete: cascade }\n",
           "4:39: on_delete/on_update go with 'references'");
}

static void test_model__index_unknown_column(void **state)
{
    (void)state;
    EXPECT(T_ID "      name: { type: text }\n    indexes:\n      - { columns: [nme] }\n",
           "6:9: an index names unknown column 'nme' of table 't'; did you mean 'name'?");
}

static void test_model__unique_unknown_column(void **state)
{
    (void)state;
    EXPECT(T_ID "      name: { type: text }\n    unique:\n      - { columns: [name, email] }\n",
           "6:9: a unique constraint names unknown column 'email' of table 't'");
}

static void test_model__primary_key_unknown_column(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n    primary_key: [idd]\n",
           "5:18: the primary key names unknown column 'idd' of table 't'; did you mean 'id'?");
}

static void test_model__primary_key_twice(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer, primary_key: true }\n    primary_key: [id]\n",
           "5:18: table 't' declares its primary key twice: on columns and in 'primary_key'; "
           "keep one");
}

static void test_model__foreign_key_incomplete(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
           "    foreign_keys:\n      - { references: users(id) }\n",
           "9:9: a foreign key needs 'columns' and 'references'");
}

static void test_model__foreign_key_bad_target(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
           "    foreign_keys:\n      - { columns: [uid], references: users.id }\n",
           "9:39: references must be table(column, ...), as in 'users(id)'");
}

static void test_model__foreign_key_arity(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
           "    foreign_keys:\n      - { columns: [uid], references: \"users(id, id)\" }\n",
           "9:39: foreign key has 1 column(s) but references 2");
}

/* `deferrable:` and `initially:` on both forms of a foreign key (README). */
static void test_model__foreign_key_deferrable(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(
        load("tables:\n" USERS "  posts:\n    columns:\n"
             "      a: { type: integer, references: users.id, deferrable: true, initially: "
             "deferred }\n"
             "      b: { type: integer, references: users.id, deferrable: true }\n"
             "      c: { type: integer, references: users.id, initially: DEFERRED }\n"
             "      d: { type: integer, references: users.id, deferrable: false }\n"
             "      e: { type: integer }\n"
             "      f: { type: integer }\n"
             "      g: { type: integer }\n"
             "    foreign_keys:\n"
             "      - { columns: [e], references: users(id), deferrable: true,"
             " initially: immediate }\n"
             "      - { columns: [f], references: users(id), initially: deferred }\n"
             "      - { columns: [g], references: users(id) }\n",
             &s),
        "");
    const ag_table *t = ag_schema_find_table(s, "posts");
    assert_int_equal(t->nfks, 7);
    static const ag_fk_defer want[] = { AG_FK_DEFERRED,       AG_FK_DEFERRABLE, AG_FK_DEFERRED,
                                        AG_FK_NOT_DEFERRABLE, AG_FK_DEFERRABLE, AG_FK_DEFERRED,
                                        AG_FK_NOT_DEFERRABLE };
    for (size_t i = 0; i < t->nfks; i++)
        assert_int_equal(t->fks[i]->defer, want[i]);
    ag_schema_free(s);
}

static void test_model__foreign_key_deferrable_errors(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      a: { type: integer, references: users.id, initially: defered }\n",
           "7:60: unknown 'initially' value 'defered'; did you mean 'deferred'?");
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      a: { type: integer, references: users.id, initially: later }\n",
           "7:60: 'initially' must be deferred or immediate, not 'later'");
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      a: { type: integer, references: users.id, deferrable: maybe }\n",
           "7:61: 'deferrable' must be true or false");
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      a: { type: integer, references: users.id, initially: immediate }\n",
           "7:60: 'initially: immediate' needs 'deferrable: true' (without it the key is not "
           "deferrable at all)");
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
           "    foreign_keys:\n      - { columns: [uid], references: users(id), deferrable: false,"
           " initially: deferred }\n",
           "9:80: 'initially: deferred' with 'deferrable: false': a key that is not deferrable is "
           "checked at each statement; remove 'initially' or write 'deferrable: true'");
    EXPECT(T_ID "      id: { type: integer, deferrable: true }\n",
           "4:40: deferrable/initially go with 'references'");
    EXPECT(T_ID "      id: { type: integer, initially: deferred }\n",
           "4:39: deferrable/initially go with 'references'");
    EXPECT(
        "tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
        "    foreign_keys:\n      - { columns: [uid], references: users(id), deferable: true }\n",
        "9:50: unknown key 'deferable' in a foreign key; did you mean 'deferrable'?");
}

static void test_model__index_without_columns(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n    indexes:\n      - { name: ix_t }\n",
           "6:9: an index needs 'columns' or 'expression'");
}

static void test_model__index_with_both(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n    indexes:\n"
                "      - { name: ix_t, columns: [id], expression: \"id + 1\" }\n",
           "6:9: an index has 'columns' or 'expression', not both");
}

static void test_model__expression_index_without_name(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n    indexes:\n      - { expression: \"id + 1\" }\n",
           "6:9: an expression index needs a 'name'");
}

static void test_model__check_without_name(void **state)
{
    (void)state;
    EXPECT(T_ID "      n: { type: integer }\n    checks:\n      - { expression: \"n > 0\" }\n",
           "6:9: a check needs a 'name'");
}

static void test_model__check_without_expression(void **state)
{
    (void)state;
    EXPECT(T_ID "      n: { type: integer }\n    checks:\n      - { name: positive }\n",
           "6:9: a check needs an 'expression'");
}

static void test_model__autoincrement_not_integer(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: text, primary_key: true, autoincrement: true }\n",
           "4:59: autoincrement needs an integer column; 'id' is text");
}

static void test_model__autoincrement_not_key(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer, primary_key: true }\n"
                "      n: { type: integer, autoincrement: true }\n",
           "5:7: autoincrement column 'n' must be the table's primary key");
}

static void test_model__default_and_default_sql(void **state)
{
    (void)state;
    EXPECT(T_ID "      n: { type: integer, default: 1, default_sql: \"2\" }\n",
           "4:52: column 'n' has both 'default' and 'default_sql'; keep one");
}

static void test_model__numeric_default_not_number(void **state)
{
    (void)state;
    EXPECT(T_ID "      n: { type: integer, default: abc }\n",
           "4:36: default of numeric column 'n' must be a number, not 'abc'");
}

static void test_model__enum_default_not_a_value(void **state)
{
    (void)state;
    EXPECT("enums:\n  st: [a, b]\n" T_ID "      s: { type: enum(st), default: c }\n",
           "6:7: default 'c' of column 's' is not a value of enum 'st'");
}

static void test_model__unknown_enum(void **state)
{
    (void)state;
    EXPECT(T_ID "      s: { type: enum(nope) }\n",
           "4:18: unknown enum 'nope'; declare it under 'enums:'");
}

static void test_model__empty_enum(void **state)
{
    (void)state;
    EXPECT("enums:\n  st: []\n" T_ID "      id: { type: integer }\n",
           "2:7: enum 'st' must be a non-empty list of values");
}

static void test_model__duplicate_enum_value(void **state)
{
    (void)state;
    EXPECT("enums:\n  st: [a, b, a]\n" T_ID "      id: { type: integer }\n",
           "2:14: enum 'st': duplicate value 'a'");
}

static void test_model__enum_without_name_or_values(void **state)
{
    (void)state;
    EXPECT(T_ID "      s: { type: enum }\n",
           "4:18: column 's': write enum(name) for a declared enum, or give 'values'");
}

static void test_model__values_without_enum(void **state)
{
    (void)state;
    EXPECT(T_ID "      s: { type: text, values: [a] }\n", "4:32: 'values' goes with 'type: enum'");
}

static void test_model__table_without_columns(void **state)
{
    (void)state;
    EXPECT("tables:\n  t:\n    comment: nothing\n",
           "2:3: table 't' needs 'columns': a mapping of column names");
}

static void test_model__table_not_a_mapping(void **state)
{
    (void)state;
    EXPECT("tables:\n  t: 5\n", "2:6: table 't' must be a mapping of keys");
}

static void test_model__root_not_a_mapping(void **state)
{
    (void)state;
    EXPECT("- a\n- b\n", "1:1: a model file must be a mapping of keys");
}

static void test_model__columns_not_names(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n    indexes:\n      - { columns: [[id]] }\n",
           "6:21: 'columns' must be a list of column names");
}

static void test_model__syntax_error(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer\n",
           "5:1: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping "
           "(which started at 4:11)");
}

static void test_model__alias(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: &idcol { type: integer }\n      id2: *idcol\n",
           "5:12: YAML aliases are not supported");
}

static void test_model__two_documents(void **state)
{
    (void)state;
    EXPECT(T_ID "      id: { type: integer }\n---\ntables: {}\n",
           "5:1: a model file holds one YAML document; split the others into files");
}

static void test_model__every_error_of_every_file(void **state)
{
    (void)state;
    const char *names[] = { "a.yaml", "b.yaml" };
    const char *texts[] = { T_ID
                            "      id: { type: intger }\n      n: { type: text, nulable: no }\n",
                            "tables:\n  u:\n    columns:\n      x: { type: strin }\n" };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, names, texts, 2, NULL, &d, &e), AG_EINVALID);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.v[0].file, "a.yaml");
    assert_string_equal(d.v[0].msg, "unknown type 'intger'; did you mean 'integer'?");
    assert_string_equal(d.v[1].msg,
                        "unknown key 'nulable' in column 'n'; did you mean 'nullable'?");
    assert_string_equal(d.v[2].file, "b.yaml");
    assert_int_equal(d.v[2].line, 4);
    assert_int_equal(d.v[2].col, 18);
    assert_string_equal(d.v[2].msg, "unknown type 'strin'; did you mean 'string'?");
    assert_string_equal(e.msg, "3 errors in the model files");
    ag_diags_release(&d);
}

/* --- models that could not be applied ------------------------------------------ */

static void test_model__duplicate_index_name(void **state)
{
    (void)state;
    EXPECT(T_ID "      a: { type: integer }\n      b: { type: integer }\n    indexes:\n"
                "      - { name: ix_x, columns: [a] }\n      - { name: ix_x, columns: [b] }\n",
           "8:9: index name 'ix_x' is already taken by an index of table 't' (m.yaml:7:9); "
           "tables, indexes, primary keys and unique constraints share one namespace per "
           "schema: rename one");
}

/* `index: true` names its index by the convention; a named index may take the same name. */
static void test_model__index_true_and_named_index(void **state)
{
    (void)state;
    EXPECT(T_ID "      b: { type: integer, index: true }\n    indexes:\n"
                "      - { name: ix_t_b, columns: [b], unique: true }\n",
           "6:9: index name 'ix_t_b' is already taken by an index of table 't' (m.yaml:4:7); "
           "tables, indexes, primary keys and unique constraints share one namespace per "
           "schema: rename one");
    EXPECT(T_ID "      b: { type: integer, index: true }\n    indexes:\n"
                "      - { columns: [b], where: \"b > 0\" }\n",
           "6:9: index name 'ix_t_b' (from naming_convention) is already taken by an index of "
           "table 't' (m.yaml:4:7); tables, indexes, primary keys and unique constraints share "
           "one namespace per schema: rename one");
}

/* Index names are per schema, not per table (SQLite: per database). */
static void test_model__same_index_name_on_two_tables(void **state)
{
    (void)state;
    EXPECT("tables:\n  a:\n    columns:\n      x: { type: integer }\n    indexes:\n"
           "      - { name: ix_x, columns: [x] }\n"
           "  b:\n    columns:\n      x: { type: integer }\n    indexes:\n"
           "      - { name: ix_x, columns: [x] }\n",
           "11:9: index name 'ix_x' is already taken by an index of table 'a' (m.yaml:6:9); "
           "tables, indexes, primary keys and unique constraints share one namespace per "
           "schema: rename one");
    /* The same through a convention without {table}, across files. */
    const char *names[] = { "a.yaml", "b.yaml" };
    const char *texts[] = {
        "tables:\n  a:\n    columns:\n      x: { type: integer, index: true }\n",
        "tables:\n  b:\n    columns:\n      x: { type: integer, index: true }\n"
    };
    ag_model_opts o = { .naming = { .ix = "ix_{columns}" } };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, names, texts, 2, &o, &d, &e), AG_EINVALID);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, "b.yaml");
    assert_int_equal(d.v[0].line, 4);
    assert_int_equal(d.v[0].col, 7);
    assert_string_equal(d.v[0].msg,
                        "index name 'ix_x' (from naming_convention) is already taken by an index "
                        "of table 'a' (a.yaml:4:7); tables, indexes, primary keys and unique "
                        "constraints share one namespace per schema: rename one");
    ag_diags_release(&d);
}

/* PostgreSQL makes an index for a unique constraint, of the same name. */
static void test_model__unique_and_index_of_one_name(void **state)
{
    (void)state;
    EXPECT(T_ID "      a: { type: integer }\n    unique:\n      - { name: k_a, columns: [a] }\n"
                "    indexes:\n      - { name: k_a, columns: [a] }\n",
           "8:9: index name 'k_a' is already taken by a unique constraint of table 't' "
           "(m.yaml:6:9); tables, indexes, primary keys and unique constraints share one "
           "namespace per schema: rename one");
    EXPECT("tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n"
           "  pk_users:\n    columns:\n      id: { type: integer }\n",
           "5:3: table name 'pk_users' is already taken by the primary key of table 'users' "
           "(m.yaml:4:7); tables, indexes, primary keys and unique constraints share one "
           "namespace per schema: rename one");
}

static void test_model__constraint_names_per_table(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n      uid: { type: integer }\n"
           "    foreign_keys:\n      - { name: c_uid, columns: [uid], references: users(id) }\n"
           "    checks:\n      - { name: c_uid, expression: \"uid > 0\" }\n",
           "11:9: check name 'c_uid' is already taken by a foreign key of table 'posts' "
           "(m.yaml:9:52); constraints of a table share one namespace: rename one");
}

/* What may repeat: an index name in two schemas, a constraint name on two tables. */
static void test_model__names_that_may_repeat(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS
           "  events:\n    schema: raw\n    columns:\n      id: { type: integer, index: true }\n"
           "      uid: { type: integer }\n    checks:\n      - { name: positive, expression: "
           "\"id > 0\" }\n"
           "    foreign_keys:\n      - { name: fk_user, columns: [uid], references: users(id) }\n"
           "  events_clean:\n    schema: clean\n    columns:\n      id: { type: integer }\n"
           "      uid: { type: integer }\n    indexes:\n      - { name: ix_events_id, columns: "
           "[id] }\n    checks:\n      - { name: positive, expression: \"id > 0\" }\n"
           "    foreign_keys:\n      - { name: fk_user, columns: [uid], references: users(id) }\n",
           "");
}

static void test_model__foreign_key_to_column_not_unique(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "      email: { type: text }\n  posts:\n    columns:\n"
           "      author: { type: text, references: users.email }\n",
           "8:41: foreign key references 'users.email', which is neither a primary key nor "
           "unique; add 'unique: true' to column 'email' of table 'users'");
    /* A unique index counts only without WHERE. */
    EXPECT("tables:\n" USERS "      email: { type: text }\n    indexes:\n"
           "      - { columns: [email], unique: true, where: \"email <> ''\" }\n"
           "  posts:\n    columns:\n      author: { type: text, references: users.email }\n",
           "10:41: foreign key references 'users.email', which is neither a primary key nor "
           "unique (the unique index 'ix_users_email' has a WHERE, so it does not count); add "
           "'unique: true' to column 'email' of table 'users'");
    /* Several columns: unique together, in any order. */
    EXPECT("tables:\n" USERS "      org: { type: integer }\n  posts:\n    columns:\n"
           "      a: { type: integer }\n      b: { type: integer }\n    foreign_keys:\n"
           "      - { columns: [a, b], references: \"users(org, id)\" }\n",
           "11:40: foreign key references 'users(org, id)', which are neither the primary key "
           "nor unique together; add a unique constraint on [org, id] to table 'users'");
}

static void test_model__foreign_key_targets_that_are_unique(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "      email: { type: text, unique: true }\n"
           "      login: { type: text }\n      org: { type: integer }\n    indexes:\n"
           "      - { columns: [login], unique: true }\n    unique:\n"
           "      - { columns: [org, id] }\n"
           "  posts:\n    columns:\n      a: { type: integer, references: users.id }\n"
           "      b: { type: string(100), references: users.email }\n"
           "      c: { type: text, references: users.login }\n"
           "      d: { type: integer }\n    foreign_keys:\n"
           "      - { columns: [d, a], references: \"users(id, org)\" }\n",
           "");
}

static void test_model__foreign_key_incompatible_types(void **state)
{
    (void)state;
    EXPECT("tables:\n" USERS "  posts:\n    columns:\n"
           "      owner_id: { type: text, references: users.id }\n",
           "7:43: foreign key column 'owner_id' is text but 'users.id' is integer; declare "
           "'owner_id' as integer");
    EXPECT("enums:\n  a: [x]\n  b: [x]\ntables:\n  users:\n    columns:\n"
           "      k: { type: enum(a), primary_key: true }\n  posts:\n    columns:\n"
           "      k: { type: enum(b), references: users.k }\n",
           "10:39: foreign key column 'k' is enum(b) but 'users.k' is enum(a); declare 'k' as "
           "enum(a)");
}

static void test_model__foreign_key_compatible_types(void **state)
{
    (void)state;
    EXPECT("enums:\n  a: [x]\ntables:\n  users:\n    columns:\n"
           "      id: { type: bigint, primary_key: true }\n"
           "      code: { type: char(4), unique: true }\n"
           "      k: { type: enum(a), unique: true }\n"
           "  posts:\n    columns:\n"
           "      a: { type: smallint, references: users.id }\n"
           "      b: { type: string(10), references: users.code }\n"
           "      c: { type: text, references: users.code }\n"
           "      d: { type: enum(a), references: users.k }\n",
           "");
}

/* --- names over the database's limit ------------------------------------------------- */

#define A30 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B30 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define X64 A30 B30 "xxxx"
#define E32                                                                                        \
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"                             \
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"                             \
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"                             \
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"

/* PostgreSQL keeps 63 bytes of a name and cuts the rest: such a name never
 * matches the model again, so it is an error where it is written. */
static void test_model__names_over_the_limit(void **state)
{
    (void)state;
    const char *over = "is 64 bytes long; names may have at most 63 bytes: shorten it";
    char want[4096];
    snprintf(want, sizeof(want),
             "2:3: table name '" X64 "' %s\n"
             "4:7: column name '" E32 "' %s\n"
             "6:17: index name '" B30 A30 "iiii' %s\n"
             "8:17: unique constraint name '" B30 A30 "uuuu' %s\n"
             "10:17: check name '" B30 A30 "cccc' %s",
             over, over, over, over, over);
    EXPECT_PG("tables:\n  " X64 ":\n    columns:\n      " E32 ": { type: integer }\n"
              "    indexes:\n      - { name: " B30 A30 "iiii, columns: [" E32 "] }\n"
              "    unique:\n      - { name: " B30 A30 "uuuu, columns: [" E32 "] }\n"
              "    checks:\n      - { name: " B30 A30 "cccc, expression: \"1 = 1\" }\n",
              want);
    snprintf(want, sizeof(want),
             "2:3: enum name '" X64 "' %s\n"
             "3:11: enum value '" E32 "' %s\n"
             "8:36: enum value '" X64 "' %s\n"
             "12:13: schema name '" X64 "' %s\n"
             "17:17: foreign key name '" X64 "' %s",
             over, over, over, over, over);
    EXPECT_PG("enums:\n  " X64 ": [a]\n  st: [a, " E32 "]\n"
              "tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n"
              "      k: { type: enum, values: [a, " X64 "] }\n"
              "  u:\n    columns:\n      id: { type: integer }\n"
              "    schema: " X64 "\n"
              "  v:\n    columns:\n      t_id: { type: integer }\n"
              "    foreign_keys:\n      - { name: " X64 ", columns: [t_id], references: t(id) }\n",
              want);
    /* 63 bytes fit, counted in bytes: 31 two-byte characters and one more. */
    EXPECT_PG(T_ID "      " A30 B30 "xyz: { type: integer }\n"
                   "      "
                   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                   "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                   "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x: { type: integer }\n"
                   "      x" E32 ": { type: integer }\n",
              "6:7: column name 'x" E32
              "' is 65 bytes long; names may have at most 63 bytes: shorten it");
    /* SQLite has no limit. */
    EXPECT("tables:\n  " X64 ":\n    columns:\n      " E32 ": { type: integer }\n", "");
}

/* A name from the convention is shortened instead, as Alembic's and
 * SQLAlchemy's are: a prefix, '_' and 8 hex digits of a hash of the whole. */
static void test_model__generated_names_are_shortened(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(load_opts("tables:\n  ix_" A30 ":\n    columns:\n      " B30
                                  ": { type: integer, index: true, primary_key: true }\n"
                                  "      c: { type: enum, values: [x] }\n",
                                  &pg_names, &s),
                        "");
    ag_table *t = s->tables[0];
    /* "ix_ix_aaa..._bbb...": 67 bytes. */
    assert_string_equal(t->indexes[0]->name, "ix_ix_" A30 "_bbbbbbbbbbbbbbbbb_cf5690d2");
    assert_int_equal(strlen(t->indexes[0]->name), 63);
    assert_string_equal(t->pk.name, "pk_ix_" A30);
    ag_schema_free(s);

    ag_arena a = AG_ARENA_INIT;
    const char *n64 = "ix_" A30 "_" B30;
    assert_string_equal(ag_identifier_shorten(&a, n64, 63),
                        "ix_" A30 "_bbbbbbbbbbbbbbbbbbbb_dbf613a0");
    assert_string_equal(ag_identifier_shorten(&a, "ix_" A30 "_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbc", 63),
                        "ix_" A30 "_bbbbbbbbbbbbbbbbbbbb_dbf616d7");
    assert_string_equal(ag_identifier_shorten(&a, n64, 0), n64);
    assert_string_equal(ag_identifier_shorten(&a, n64, 64), n64);
    /* Never inside a UTF-8 character: 53 bytes kept, 62 in all. */
    assert_string_equal(ag_identifier_shorten(&a,
                                              "ix_" E32 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                              "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                                              63),
                        "ix_\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                        "\xc3\xa9_013ed69d");
    ag_arena_release(&a);
}

static const char spec_example[] =
    "enums:\n"
    "  property_status: [active, sold, archived]\n"
    "\n"
    "tables:\n"
    "  users:\n"
    "    columns:\n"
    "      id: { type: bigint, primary_key: true, autoincrement: true }\n"
    "  properties:\n"
    "    comment: Rental properties\n"
    "    schema: clean\n"
    "    renamed_from: props\n"
    "    columns:\n"
    "      id:         { type: bigint, primary_key: true, autoincrement: true }\n"
    "      owner_id:   { type: bigint, nullable: false, references: users.id, on_delete: cascade "
    "}\n"
    "      name:       { type: string(200), nullable: false }\n"
    "      zoning:     { type: string(50) }\n"
    "      status:     { type: enum(property_status), default: active, nullable: false }\n"
    "      price:      { type: \"decimal(12,2)\", default: 0 }\n"
    "      features:   { type: jsonb }\n"
    "      created_at: { type: timestamptz, nullable: false, default_sql: CURRENT_TIMESTAMP }\n"
    "      usage_type: { type: text, renamed_from: property_type }\n"
    "      flag:       { type: boolean, default: yes }\n"
    "      kind:       { type: enum, values: [a, b], default: b }\n"
    "    indexes:\n"
    "      - { columns: [status] }\n"
    "      - { name: ix_properties_lower_name, expression: \"lower(name)\", unique: true }\n"
    "      - { columns: [zoning], where: \"zoning IS NOT NULL\" }\n"
    "    unique:\n"
    "      - { columns: [owner_id, name] }\n"
    "    checks:\n"
    "      - { name: price_nonnegative, expression: \"price >= 0\" }\n"
    "    foreign_keys:\n"
    "      - { name: fk_properties_owner, columns: [owner_id], references: users(id),\n"
    "          on_delete: cascade, on_update: no action }\n";

static void test_model__spec_example(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(load(spec_example, &s), "");
    assert_non_null(s);
    assert_int_equal(s->ntables, 2);
    ag_table *t = s->tables[1];
    assert_string_equal(t->name, "properties");
    assert_string_equal(t->schema, "clean");
    assert_string_equal(t->comment, "Rental properties");
    assert_string_equal(t->renamed_from, "props");
    assert_int_equal(t->ncolumns, 11);
    const char *order[] = { "id",       "owner_id",   "name",       "zoning", "status", "price",
                            "features", "created_at", "usage_type", "flag",   "kind" };
    for (size_t i = 0; i < AG_NELEM(order); i++)
        assert_string_equal(t->columns[i]->name, order[i]);
    ag_column *id = t->columns[0];
    assert_int_equal(id->type.kind, AG_T_BIGINT);
    assert_false(id->nullable);
    assert_true(id->autoincrement);
    assert_true(t->columns[3]->nullable);
    assert_int_equal(t->columns[3]->type.length, 50);
    ag_column *st = t->columns[4];
    assert_int_equal(st->type.kind, AG_T_ENUM);
    assert_string_equal(st->type.name, "property_status");
    assert_string_equal(st->default_sql, "'active'");
    assert_int_equal(st->enum_values.n, 3);
    assert_string_equal(st->enum_values.v[2], "archived");
    assert_int_equal(t->columns[5]->type.precision, 12);
    assert_int_equal(t->columns[5]->type.scale, 2);
    assert_string_equal(t->columns[5]->default_sql, "0");
    assert_int_equal(t->columns[6]->type.kind, AG_T_JSONB);
    assert_string_equal(t->columns[7]->default_sql, "CURRENT_TIMESTAMP");
    assert_string_equal(t->columns[8]->renamed_from, "property_type");
    assert_string_equal(t->columns[9]->default_sql, "true");
    assert_string_equal(t->columns[10]->type.name, "properties_kind");
    assert_string_equal(t->columns[10]->default_sql, "'b'");
    assert_non_null(ag_schema_find_enum(s, "properties_kind"));
    assert_string_equal(t->pk.name, "pk_properties");
    assert_int_equal(t->pk.columns.n, 1);
    assert_int_equal(t->nindexes, 3);
    assert_string_equal(t->indexes[0]->name, "ix_properties_status");
    assert_string_equal(t->indexes[1]->expression, "lower(name)");
    assert_true(t->indexes[1]->unique);
    assert_string_equal(t->indexes[2]->where, "zoning IS NOT NULL");
    assert_string_equal(t->indexes[2]->name, "ix_properties_zoning");
    assert_int_equal(t->nuniques, 1);
    assert_string_equal(t->uniques[0]->name, "uq_properties_owner_id_name");
    assert_int_equal(t->nchecks, 1);
    assert_string_equal(t->checks[0]->expression, "price >= 0");
    assert_int_equal(t->nfks, 2);
    assert_string_equal(t->fks[0]->name, "fk_properties_owner_id_users");
    assert_int_equal(t->fks[0]->on_delete, AG_FK_CASCADE);
    assert_string_equal(t->fks[1]->ref_table, "users");
    assert_int_equal(t->fks[1]->on_update, AG_FK_NO_ACTION);
    assert_int_equal(id->loc.line, 13);
    assert_int_equal(id->loc.col, 7);
    assert_int_equal(t->columns[1]->type_loc.col, 27);
    ag_schema_free(s);
}

static void test_model__string_defaults_are_quoted(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(
        load(T_ID "      a: { type: string(10), default: 0 }\n      b: { type: text, default: "
                  "\"it's\" }\n      c: { type: \"decimal(4,1)\", default: \"2.5\" }\n",
             &s),
        "");
    ag_table *t = s->tables[0];
    assert_string_equal(t->columns[0]->default_sql, "'0'");
    assert_string_equal(t->columns[1]->default_sql, "'it''s'");
    assert_string_equal(t->columns[2]->default_sql, "2.5");
    ag_schema_free(s);
}

static void test_model__naming_convention(void **state)
{
    (void)state;
    const char *names[] = { "m.yaml" };
    const char *texts[] = { "tables:\n  a:\n    columns:\n      id: { type: integer, primary_key: "
                            "true }\n      b: { type: integer, index: true, unique: true }\n" };
    ag_model_opts o = { .naming = { .ix = "idx_{columns}", .pk = "{table}_pkey" } };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load_buffers(&s, names, texts, 1, &o, &d, &e), AG_OK);
    ag_table *t = s->tables[0];
    assert_string_equal(t->pk.name, "a_pkey");
    assert_string_equal(t->indexes[0]->name, "idx_b");
    assert_string_equal(t->uniques[0]->name, "uq_a_b");
    ag_schema_free(s);
    ag_diags_release(&d);
}

static void test_model__empty_file(void **state)
{
    (void)state;
    ag_schema *s = NULL;
    assert_string_equal(load("", &s), "");
    assert_int_equal(s->ntables, 0);
    ag_schema_free(s);
    assert_string_equal(load("# only a comment\n", NULL), "");
}

static void test_model__unreadable_file(void **state)
{
    (void)state;
    const char *files[] = { "/nonexistent/models/x.yaml" };
    ag_diags d = { 0 };
    ag_error e = { 0 };
    ag_schema *s = NULL;
    assert_int_equal(ag_model_load(&s, files, 1, NULL, &d, &e), AG_EINVALID);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 0);
    assert_string_equal(d.v[0].msg, "cannot read: No such file or directory");
    ag_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model__unknown_top_key),
        cmocka_unit_test(test_model__unknown_table_key),
        cmocka_unit_test(test_model__unknown_column_key),
        cmocka_unit_test(test_model__unknown_type_with_suggestion),
        cmocka_unit_test(test_model__unknown_type),
        cmocka_unit_test(test_model__bad_type_parameters),
        cmocka_unit_test(test_model__unquoted_comma_in_flow_mapping),
        cmocka_unit_test(test_model__tab_indentation),
        cmocka_unit_test(test_model__missing_type),
        cmocka_unit_test(test_model__nullable_not_boolean),
        cmocka_unit_test(test_model__duplicate_column_key),
        cmocka_unit_test(test_model__duplicate_table_in_one_file),
        cmocka_unit_test(test_model__duplicate_table_across_files),
        cmocka_unit_test(test_model__reference_unknown_table),
        cmocka_unit_test(test_model__reference_unknown_column),
        cmocka_unit_test(test_model__reference_malformed),
        cmocka_unit_test(test_model__unknown_action),
        cmocka_unit_test(test_model__action_without_reference),
        cmocka_unit_test(test_model__index_unknown_column),
        cmocka_unit_test(test_model__unique_unknown_column),
        cmocka_unit_test(test_model__primary_key_unknown_column),
        cmocka_unit_test(test_model__primary_key_twice),
        cmocka_unit_test(test_model__foreign_key_incomplete),
        cmocka_unit_test(test_model__foreign_key_bad_target),
        cmocka_unit_test(test_model__foreign_key_arity),
        cmocka_unit_test(test_model__index_without_columns),
        cmocka_unit_test(test_model__index_with_both),
        cmocka_unit_test(test_model__expression_index_without_name),
        cmocka_unit_test(test_model__check_without_name),
        cmocka_unit_test(test_model__check_without_expression),
        cmocka_unit_test(test_model__autoincrement_not_integer),
        cmocka_unit_test(test_model__autoincrement_not_key),
        cmocka_unit_test(test_model__default_and_default_sql),
        cmocka_unit_test(test_model__numeric_default_not_number),
        cmocka_unit_test(test_model__enum_default_not_a_value),
        cmocka_unit_test(test_model__unknown_enum),
        cmocka_unit_test(test_model__empty_enum),
        cmocka_unit_test(test_model__duplicate_enum_value),
        cmocka_unit_test(test_model__enum_without_name_or_values),
        cmocka_unit_test(test_model__values_without_enum),
        cmocka_unit_test(test_model__table_without_columns),
        cmocka_unit_test(test_model__table_not_a_mapping),
        cmocka_unit_test(test_model__root_not_a_mapping),
        cmocka_unit_test(test_model__columns_not_names),
        cmocka_unit_test(test_model__syntax_error),
        cmocka_unit_test(test_model__alias),
        cmocka_unit_test(test_model__two_documents),
        cmocka_unit_test(test_model__every_error_of_every_file),
        cmocka_unit_test(test_model__names_over_the_limit),
        cmocka_unit_test(test_model__generated_names_are_shortened),
        cmocka_unit_test(test_model__duplicate_index_name),
        cmocka_unit_test(test_model__index_true_and_named_index),
        cmocka_unit_test(test_model__same_index_name_on_two_tables),
        cmocka_unit_test(test_model__unique_and_index_of_one_name),
        cmocka_unit_test(test_model__constraint_names_per_table),
        cmocka_unit_test(test_model__names_that_may_repeat),
        cmocka_unit_test(test_model__foreign_key_to_column_not_unique),
        cmocka_unit_test(test_model__foreign_key_targets_that_are_unique),
        cmocka_unit_test(test_model__foreign_key_incompatible_types),
        cmocka_unit_test(test_model__foreign_key_compatible_types),
        cmocka_unit_test(test_model__spec_example),
        cmocka_unit_test(test_model__string_defaults_are_quoted),
        cmocka_unit_test(test_model__naming_convention),
        cmocka_unit_test(test_model__empty_file),
        cmocka_unit_test(test_model__same_name_in_two_schemas),
        cmocka_unit_test(test_model__schema_on_sqlite),
        cmocka_unit_test(test_model__index_kinds_on_sqlite),
        cmocka_unit_test(test_model__collation),
        cmocka_unit_test(test_model__unreadable_file),
        cmocka_unit_test(test_model__foreign_key_deferrable),
        cmocka_unit_test(test_model__foreign_key_deferrable_errors),
        cmocka_unit_test(test_model__duplicate_key_among_many),
        cmocka_unit_test(test_model__many_files_in_order),
        cmocka_unit_test(test_model__stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
