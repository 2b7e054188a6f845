/* postgres_normalize.c - expressions in the server's own words.
 *
 * PostgreSQL keeps a check, an index or a default as a parse tree and prints
 * it back its own way: `kind IN ('a','b')` reads back as
 * `(kind = ANY (ARRAY['a'::text, 'b'::text]))`, `'1 hour'` on an interval
 * column as `'01:00:00'::interval`. No rewriting of text on our side can know
 * every such rule, so the server is asked: inside a transaction that is rolled
 * back, each table concerned is created as a temporary table with the models'
 * columns and types, each expression is added to it (a check, an index, a
 * default), and what the catalog then holds is read back. The database's own
 * text goes through the same steps, so both sides are compared in one form.
 *
 * It is one PL/pgSQL block, each expression in a sub-block of its own so that
 * one the server rejects (a syntax error in the models, a column that is
 * gone) costs only its own answer: three round trips whatever the number of
 * expressions.
 */
#include "../util/common.h"
#include "postgres_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <stdio.h>

/* Index of t among the tables seen so far (added when new). */
static size_t table_slot(const ag_table **seen, size_t *n, const ag_table *t)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == t)
            return i;
    seen[*n] = t;
    return (*n)++;
}

/* EXECUTE of a statement, its text a literal inside the block. */
static void execute(ag_buf *b, const char *stmt)
{
    ag_buf_puts(b, "EXECUTE ");
    ag_buf_quote_literal(b, stmt);
    ag_buf_puts(b, ";\n");
}

/* Statements the server may refuse without consequence (a type that exists). */
static void attempt(ag_buf *b, const char *stmt)
{
    ag_buf_puts(b, "BEGIN ");
    execute(b, stmt);
    ag_buf_puts(b, "EXCEPTION WHEN others THEN NULL; END;\n");
}

/* CREATE TYPE for each enum the models' table uses, in case the database
 * does not have it yet (it exists, it stays as it is). */
static void enum_types(ag_buf *b, ag_arena *a, const ag_schema *target, const ag_table *t)
{
    for (size_t i = 0; target && i < t->ncolumns; i++) {
        const ag_type *ty = &t->columns[i]->type;
        const ag_enum *e =
            ty->kind == AG_T_ENUM && ty->name ? ag_schema_find_enum(target, ty->name) : NULL;
        if (!e)
            continue;
        ag_buf s = AG_BUF_INIT;
        ag_buf_puts(&s, "CREATE TYPE ");
        if (e->schema) {
            ag_buf_quote_ident(&s, e->schema);
            ag_buf_putc(&s, '.');
        }
        ag_buf_quote_ident(&s, e->name);
        ag_buf_puts(&s, " AS ENUM (");
        for (size_t k = 0; k < e->values.n; k++) {
            if (k)
                ag_buf_puts(&s, ", ");
            ag_buf_quote_literal(&s, e->values.v[k]);
        }
        ag_buf_putc(&s, ')');
        attempt(b, ag_arena_strdup(a, ag_buf_cstr(&s)));
        ag_buf_dispose(&s);
    }
}

static void temp_table(ag_buf *b, ag_arena *a, size_t k, const ag_table *t)
{
    ag_buf s = AG_BUF_INIT;
    ag_buf_printf(&s, "CREATE TEMPORARY TABLE _ag_t%zu (", k);
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            ag_buf_puts(&s, ", ");
        ag_buf_quote_ident(&s, t->columns[i]->name);
        ag_buf_putc(&s, ' ');
        ag_buf_puts(&s, ag_pg__type_sql(a, &t->columns[i]->type));
    }
    ag_buf_putc(&s, ')');
    attempt(b, ag_buf_cstr(&s));
    ag_buf_dispose(&s);
}

/* The sub-block that adds expression i to table k and records what the
 * catalog makes of it (or the server's refusal). */
static void expression(ag_buf *b, ag_arena *a, size_t i, size_t k, const ag_expr *e)
{
    ag_buf s = AG_BUF_INIT, rd = AG_BUF_INIT;
    switch (e->kind) {
    case AG_EXPR_CHECK:
        ag_buf_printf(&s, "ALTER TABLE pg_temp._ag_t%zu ADD CONSTRAINT _ag_c%zu CHECK (%s)", k, i,
                      e->text);
        ag_buf_printf(&rd,
                      "SELECT pg_catalog.pg_get_expr(conbin, conrelid) FROM "
                      "pg_catalog.pg_constraint WHERE conrelid = 'pg_temp._ag_t%zu'::regclass "
                      "AND conname = '_ag_c%zu'",
                      k, i);
        break;
    case AG_EXPR_INDEX:
        ag_buf_printf(&s,
                      ag_pg__index_elements_bare(e->text)
                          ? "CREATE INDEX _ag_i%zu ON pg_temp._ag_t%zu (%s)"
                          : "CREATE INDEX _ag_i%zu ON pg_temp._ag_t%zu ((%s))",
                      i, k, e->text);
        ag_buf_printf(&rd,
                      "SELECT substring(pg_catalog.pg_get_indexdef('pg_temp._ag_i%zu'::regclass) "
                      "FROM ' USING .*$')",
                      i);
        break;
    case AG_EXPR_WHERE:
        ag_buf_printf(&s, "CREATE INDEX _ag_i%zu ON pg_temp._ag_t%zu (", i, k);
        ag_buf_quote_ident(&s, e->table->ncolumns ? e->table->columns[0]->name : "");
        ag_buf_printf(&s, ") WHERE %s", e->text);
        ag_buf_printf(&rd,
                      "SELECT pg_catalog.pg_get_expr(indpred, indrelid) FROM pg_catalog.pg_index "
                      "WHERE indexrelid = 'pg_temp._ag_i%zu'::regclass",
                      i);
        break;
    case AG_EXPR_DEFAULT:
        ag_buf_printf(&s, "ALTER TABLE pg_temp._ag_t%zu ALTER COLUMN ", k);
        ag_buf_quote_ident(&s, e->column ? e->column : "");
        ag_buf_printf(&s, " SET DEFAULT %s", e->text);
        ag_buf_printf(&rd,
                      "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM "
                      "pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = "
                      "d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = "
                      "'pg_temp._ag_t%zu'::regclass AND a.attname = ",
                      k);
        ag_buf_quote_literal(&rd, e->column ? e->column : "");
        break;
    case AG_EXPR_GENERATED: {
        /* A column of its own beside the model's, of the same type. */
        const ag_column *c = e->column ? ag_table_find_column(e->table, e->column) : NULL;
        ag_buf_printf(&s,
                      "ALTER TABLE pg_temp._ag_t%zu ADD COLUMN _ag_g%zu %s GENERATED ALWAYS AS "
                      "(%s) STORED",
                      k, i, c ? ag_pg__type_sql(a, &c->type) : "text", e->text);
        ag_buf_printf(&rd,
                      "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM "
                      "pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = "
                      "d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = "
                      "'pg_temp._ag_t%zu'::regclass AND a.attname = '_ag_g%zu'",
                      k, i);
        break;
    }
    }
    ag_buf_puts(b, "BEGIN\n");
    execute(b, ag_buf_cstr(&s));
    ag_buf_printf(b, "INSERT INTO pg_temp._ag_norm SELECT %zu, (%s);\n", i, ag_buf_cstr(&rd));
    ag_buf_printf(b,
                  "EXCEPTION WHEN others THEN INSERT INTO pg_temp._ag_norm VALUES (%zu, NULL, "
                  "SQLSTATE, SQLERRM);\nEND;\n",
                  i);
    ag_buf_dispose(&s);
    ag_buf_dispose(&rd);
}

/* A dollar-quote tag that the body does not contain. */
static const char *dollar_tag(ag_arena *a, const char *body)
{
    for (unsigned n = 0;; n++) {
        const char *tag = ag_arena_printf(a, "$ag_norm%u$", n);
        if (!strstr(body, tag))
            return tag;
    }
}

/* The whole PL/pgSQL block. */
static const char *block(ag_arena *a, const ag_exprs *x)
{
    const ag_table **seen = ag_xcalloc(x->n ? x->n : 1, sizeof(*seen));
    size_t *slot = ag_xcalloc(x->n ? x->n : 1, sizeof(*slot));
    size_t ntables = 0;
    for (size_t i = 0; i < x->n; i++)
        slot[i] = table_slot(seen, &ntables, x->v[i].table);
    ag_buf body = AG_BUF_INIT;
    ag_buf_puts(&body, "BEGIN\n");
    for (size_t k = 0; k < ntables; k++) {
        enum_types(&body, a, x->target, seen[k]);
        temp_table(&body, a, k, seen[k]);
    }
    for (size_t i = 0; i < x->n; i++)
        expression(&body, a, i, slot[i], &x->v[i]);
    ag_buf_puts(&body, "END;\n");
    const char *tag = dollar_tag(a, ag_buf_cstr(&body));
    const char *sql = ag_arena_printf(
        a,
        "CREATE TEMPORARY TABLE _ag_norm (i integer, normal text, state text, message text);\n"
        "DO %s\n%s%s",
        tag, ag_buf_cstr(&body), tag);
    ag_buf_dispose(&body);
    free(seen);
    free(slot);
    return sql;
}

int ag_pg__normalize_exprs(ag_db *db, ag_exprs *x, ag_error *err)
{
    if (!x->n)
        return AG_OK;
    const ag_dialect *d = &ag_dialect_postgres;
    ag_arena *a = &x->arena;
    /* Inside the caller's transaction, a savepoint of ours; else one of ours. */
    bool nested = ag_pg__in_transaction(db);
    int rc = d->exec(db, nested ? "SAVEPOINT _ag_norm" : "BEGIN", err);
    if (rc != AG_OK)
        return rc;
    /* A server that cannot do it (a read-only standby, a role without the
     * TEMPORARY privilege) leaves the expressions to the text comparison. */
    ag_error ignored = { 0 };
    ag_rows rows = { 0 };
    if (d->exec(db, block(a, x), &ignored) == AG_OK)
        d->query(db, "SELECT i, normal, state, message FROM pg_temp._ag_norm", NULL, 0, &rows,
                 &ignored);
    /* Nothing of it stays: the temporary tables, the types, all of it. */
    rc = d->exec(db,
                 nested ? "ROLLBACK TO SAVEPOINT _ag_norm; RELEASE SAVEPOINT _ag_norm" : "ROLLBACK",
                 err);
    for (size_t r = 0; rc == AG_OK && r < rows.nrows; r++) {
        size_t i = strtoul(ag_rows_get(&rows, r, 0), NULL, 10);
        if (i >= x->n)
            continue;
        ag_expr *e = &x->v[i];
        const char *normal = ag_rows_get(&rows, r, 1), *state = ag_rows_get(&rows, r, 2);
        e->normal = ag_arena_strdup(a, normal);
        /* Only a syntax error is surely the text's own fault: a missing
         * column or function may be the database's (an extension it lacks). */
        if (e->model && state && strcmp(state, "42601") == 0)
            e->error = ag_arena_strdup(a, ag_rows_get(&rows, r, 3));
    }
    ag_rows_release(&rows);
    return rc;
}
