/* test_pull.c - the YAML `pull` writes: every scalar reads back as the string it
 * was, and a schema written and loaded again is the same schema (names, types,
 * defaults, keys), whatever characters its names hold. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "diff/diff.h"
#include "pull/pull.h"
#include "util/buf.h"

#include <stdio.h>
#include <yaml.h>

static const char *const tricky[] = {
    "plain",       "yes",  "No",   "null",      "~",           "on",    "n",
    "1st",         "-1",   "0.5",  ".inf",      "order items", " lead", "trail ",
    "a: b",        "a #b", "{x}",  "[y]",       "a,b",         "it's",  "say \"hi\"",
    "back\\slash", "é",    "日本", "tab\there", "line\nbreak", "*star", "&amp",
    "!bang",       "%pct", "@at",  "`tick`",    "|pipe",       ">gt",   "?q",
    "-",           "- x",  "",     "a  b",
};

/* The string libyaml reads from `key: <scalar>` (and inside a flow mapping). */
static void read_back(const char *scalar, bool flow, char *out, size_t size)
{
    ag_buf doc = AG_BUF_INIT;
    ag_buf_printf(&doc, flow ? "k: { v: %s, w: 1 }\n" : "k: %s\n", scalar);
    yaml_parser_t p;
    yaml_document_t d;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)doc.ptr, doc.len);
    assert_true(yaml_parser_load(&p, &d));
    yaml_node_t *root = yaml_document_get_root_node(&d);
    assert_non_null(root);
    yaml_node_t *v = yaml_document_get_node(&d, root->data.mapping.pairs.start->value);
    if (flow)
        v = yaml_document_get_node(&d, v->data.mapping.pairs.start->value);
    assert_int_equal(v->type, YAML_SCALAR_NODE);
    snprintf(out, size, "%s", (const char *)v->data.scalar.value);
    /* What a YAML 1.1 reader would type: a plain scalar must never look like a
     * number, boolean or null. */
    if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        char *end;
        (void)strtod(out, &end);
        assert_false(*out && *end == '\0');
    }
    yaml_document_delete(&d);
    yaml_parser_delete(&p);
    ag_buf_dispose(&doc);
}

static void test_pull__scalars_read_back(void **state)
{
    (void)state;
    char got[256];
    for (size_t i = 0; i < AG_NELEM(tricky); i++)
        for (int ident = 0; ident < 2; ident++)
            for (int flow = 0; flow < 2; flow++) {
                ag_buf b = AG_BUF_INIT;
                ag_pull_yaml_scalar(&b, tricky[i], ident);
                read_back(ag_buf_cstr(&b), flow, got, sizeof(got));
                assert_string_equal(got, tricky[i]);
                ag_buf_dispose(&b);
            }
    /* Identifiers are plain only when they are words. */
    ag_buf b = AG_BUF_INIT;
    ag_pull_yaml_scalar(&b, "user_id", true);
    ag_pull_yaml_scalar(&b, "lower(name)", false);
    ag_pull_yaml_scalar(&b, "lower(name)", true);
    assert_string_equal(ag_buf_cstr(&b), "user_idlower(name)\"lower(name)\"");
    ag_buf_dispose(&b);
}

/* Render s, load the YAML back; the diff of the two is empty. */
static ag_schema *round_trip(const ag_schema *s, ag_pull *pl)
{
    ag_pull_opts o = { .naming = ag_naming_default,
                       .default_schema = "public",
                       .dialect = "postgresql",
                       .keeps_names = true };
    ag_error err = { 0 };
    assert_int_equal(ag_pull_render(pl, s, &o, &err), AG_OK);
    const char **names = calloc(pl->nfiles + 1, sizeof(char *));
    const char **texts = calloc(pl->nfiles + 1, sizeof(char *));
    assert_non_null(names);
    assert_non_null(texts);
    for (size_t i = 0; i < pl->nfiles; i++) {
        names[i] = pl->files[i].path;
        texts[i] = pl->files[i].text;
    }
    ag_diags d = { 0 };
    ag_schema *back = NULL;
    int rc = ag_model_load_buffers(&back, names, texts, pl->nfiles, NULL, &d, &err);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s:%u:%u: %s\n", d.v[i].file, d.v[i].line, d.v[i].col, d.v[i].msg);
    ag_diags_release(&d);
    free(names);
    free(texts);
    assert_int_equal(rc, AG_OK);
    ag_oplist *ops = NULL;
    ag_diff_opts dop = { .default_schema = "public", .caps = 0xff };
    assert_int_equal(ag_diff(&ops, s, back, &dop, &err), AG_OK);
    ag_arena a = AG_ARENA_INIT;
    for (size_t i = 0; i < ops->n; i++)
        fprintf(stderr, "differs: %s\n", ag_op_describe(&a, ops->ops[i]));
    if (ops->n)
        fprintf(stderr, "%s\n", pl->files[0].text);
    assert_int_equal(ops->n, 0);
    ag_arena_release(&a);
    ag_oplist_free(ops);
    return back;
}

static void test_pull__tricky_names_round_trip(void **state)
{
    (void)state;
    ag_schema *s = ag_schema_new();
    /* Names the loader cannot hold are not tried here: empty, and the
     * separators of "table.column" / "table(a, b)" (tested through warnings). */
    for (size_t i = 0; i < AG_NELEM(tricky); i++) {
        const char *n = tricky[i];
        if (!*n || strpbrk(n, ".,()") || n[0] == ' ' || n[strlen(n) - 1] == ' ')
            continue;
        ag_table *t = ag_schema_add_table(s, n);
        t->comment = n;
        ag_column *id = ag_table_add_column(s, t, "id");
        id->type.kind = AG_T_BIGINT;
        id->autoincrement = true;
        id->nullable = false;
        ag_strs_push(s, &t->pk.columns, "id");
        /* Not the convention's name: written in the long form, quoted as the table's. */
        t->pk.name = ag_arena_printf(&s->arena, "%s_pkey", n);
        ag_column *c = ag_table_add_column(s, t, n);
        c->type.kind = AG_T_TEXT;
        c->nullable = true;
        c->comment = n;
        ag_buf q = AG_BUF_INIT;
        ag_buf_quote_literal(&q, n);
        c->default_sql = ag_arena_strdup(&s->arena, ag_buf_cstr(&q));
        ag_buf_dispose(&q);
        ag_index *x = ag_table_add_index(s, t, ag_arena_printf(&s->arena, "ix %s", n));
        ag_strs_push(s, &x->columns, n);
        ag_check *k = ag_table_add_check(s, t, ag_arena_printf(&s->arena, "ck %s", n));
        k->expression = "id > 0";
        if (s->ntables > 1) {
            ag_fk *f = ag_table_add_fk(s, t, NULL);
            f->name = ag_arena_printf(&s->arena, "fk %s", n);
            ag_strs_push(s, &f->columns, "id");
            f->ref_table = s->tables[0]->name;
            ag_strs_push(s, &f->ref_columns, "id");
            f->on_delete = AG_FK_CASCADE;
            f->defer = (ag_fk_defer)(s->ntables % 3); /* all three, written and read back */
        }
    }
    ag_pull pl;
    ag_schema *back = round_trip(s, &pl);
    assert_int_equal(back->ntables, s->ntables);
    for (size_t i = 0; i < s->ntables; i++) {
        assert_string_equal(back->tables[i]->name, s->tables[i]->name);
        assert_string_equal(back->tables[i]->comment, s->tables[i]->comment);
        assert_string_equal(back->tables[i]->columns[1]->name, s->tables[i]->columns[1]->name);
        for (size_t k = 0; k < s->tables[i]->nfks; k++)
            assert_int_equal(back->tables[i]->fks[k]->defer, s->tables[i]->fks[k]->defer);
    }
    /* Names that make the same file name ("a: b", "a #b") get files of their own. */
    bool numbered = false;
    for (size_t i = 0; i < pl.nfiles; i++) {
        numbered = numbered || strcmp(pl.files[i].path, "a__b_2.yaml") == 0;
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(pl.files[i].path, pl.files[k].path);
    }
    assert_true(numbered);
    ag_pull_release(&pl);
    ag_schema_free(back);
    ag_schema_free(s);
}

static void test_pull__defaults_and_keys(void **state)
{
    (void)state;
    ag_schema *s = ag_schema_new();
    ag_enum *e = ag_schema_add_enum(s, "mood");
    ag_strs_push(s, &e->values, "ok");
    ag_strs_push(s, &e->values, "yes");
    ag_table *t = ag_schema_add_table(s, "t");
    struct {
        const char *name;
        ag_type_kind kind;
        const char *dflt;
        const char *want; /* in the YAML */
    } cols[] = {
        { "n", AG_T_INTEGER, "-3", "default: -3" },
        { "d", AG_T_DECIMAL, "0.50", "default: 0.50" },
        { "b", AG_T_BOOLEAN, "'t'", "default: true" },
        { "b0", AG_T_BOOLEAN, "0", "default: false" },
        { "s", AG_T_TEXT, "'0'", "default: \"0\"" },
        { "s2", AG_T_TEXT, "'it''s'", "default: \"it's\"" },
        { "s3", AG_T_TEXT, "0", "default_sql: \"0\"" },
        { "e", AG_T_ENUM, "'yes'", "default: \"yes\"" },
        { "ts", AG_T_TIMESTAMPTZ, "CURRENT_TIMESTAMP", "default_sql: CURRENT_TIMESTAMP" },
        { "x", AG_T_TEXT, "'a' || 'b'", "default_sql: \"'a' || 'b'\"" },
    };
    for (size_t i = 0; i < AG_NELEM(cols); i++) {
        ag_column *c = ag_table_add_column(s, t, cols[i].name);
        c->type.kind = cols[i].kind;
        if (cols[i].kind == AG_T_ENUM) {
            c->type.name = "mood";
            ag_strs_clone(&s->arena, &c->enum_values, &e->values);
        }
        c->nullable = true;
        c->default_sql = cols[i].dflt;
    }
    ag_strs_push(s, &t->pk.columns, "n");
    ag_strs_push(s, &t->pk.columns, "d");
    t->columns[0]->nullable = t->columns[1]->nullable = false;
    ag_unique *u = ag_table_add_unique(s, t, "uq_t_s");
    ag_strs_push(s, &u->columns, "s");
    ag_unique *u2 = ag_table_add_unique(s, t, "pair");
    ag_strs_push(s, &u2->columns, "s");
    ag_strs_push(s, &u2->columns, "s2");
    ag_pull pl;
    ag_schema *back = round_trip(s, &pl);
    assert_int_equal(pl.nfiles, 2);
    assert_string_equal(pl.files[0].path, "t.yaml");
    assert_string_equal(pl.files[1].path, "enums.yaml");
    assert_string_equal(pl.files[1].text, "enums:\n  mood: [ok, \"yes\"]\n");
    const char *yaml = pl.files[0].text;
    for (size_t i = 0; i < AG_NELEM(cols); i++)
        if (!strstr(yaml, cols[i].want))
            fail_msg("'%s' not in:\n%s", cols[i].want, yaml);
    assert_non_null(strstr(yaml, "    primary_key: [\"n\", d]\n"));
    assert_non_null(strstr(yaml, "s:   { type: text, unique: true, default: \"0\" }"));
    assert_non_null(strstr(yaml, "- { name: pair, columns: [s, s2] }"));
    ag_pull_release(&pl);
    ag_schema_free(back);
    ag_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pull__scalars_read_back),
        cmocka_unit_test(test_pull__tricky_names_round_trip),
        cmocka_unit_test(test_pull__defaults_and_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
