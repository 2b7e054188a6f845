/* postgres_baseline.c - what a baseline carries beside the tables (pull --baseline).
 *
 * A database somebody else built has views, materialized views and their
 * indexes, triggers and the functions they call: the models do not describe
 * them, but a database built from the history must have them, or the
 * application that adopted autogen breaks on a fresh one. They are read as the
 * server prints them and written into the baseline as raw SQL, each with the
 * statement that drops it again for the downgrade:
 *
 * - sequences no column owns (a default may call one), first;
 * - functions and procedures of the managed schemas, then (a default or a
 *   check may call one), with function bodies not checked while the tables do
 *   not exist yet (SET LOCAL check_function_bodies, as pg_dump does); one that
 *   takes or returns a table's row type right after the tables;
 * - then, after the tables, views and materialized views in the order they
 *   were made (which is an order they can be made in), with the indexes of a
 *   materialized view, then the triggers on the tables and views carried,
 *   then row-level security (enabled, forced, the policies) of the tables;
 * - the partitions of the partitioned tables, right after the tables (the
 *   models describe the parent; its `options:` say PARTITION BY), then the
 *   exclusion constraints of the tables (EXCLUDE USING gist …), which the
 *   models have no form for.
 *
 * A view that reads a relation the baseline does not create (a table not
 * pulled, one of an unmanaged schema), or a trigger whose function lives in an
 * unmanaged schema, could not be created on a fresh database: it is left out
 * and said. Objects an extension owns come with CREATE EXTENSION. Definitions
 * are read with search_path set to pg_catalog, so that every name in them is
 * schema-qualified and means the same on any database.
 */
#include "../util/common.h"
#include "postgres_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <stdio.h>

/* The schemas the baseline's tables live in ($1 of the queries). */
static const char *table_schemas(ag_arena *a, const ag_schema *s)
{
    ag_strs l = { 0 };
    for (size_t i = 0; i < s->ntables; i++)
        if (s->tables[i]->schema && !ag_strs_contains(&l, s->tables[i]->schema))
            ag_strs_push_arena(a, &l, s->tables[i]->schema);
    return ag_strs_join(a, &l, "\x1f");
}

/* $1: the managed schemas, chr(31) between (current_schema() is pg_catalog
 * while these run). */
#define MANAGED "n.nspname = ANY(string_to_array($1, chr(31))) "
#define NOT_EXT(oid, catalog)                                                                      \
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.objid = " oid                        \
    " AND e.classid = '" catalog "'::regclass AND e.deptype = 'e') "

/* Each function, and whether it takes or returns a table's row type (then it
 * can only be made once the table exists). */
static const char functions_sql[] =
    "SELECT n.nspname, p.proname, p.prokind, "
    "pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.pg_get_functiondef(p.oid), "
    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_type t ON t.oid = "
    "d.refobjid WHERE d.objid = p.oid AND d.classid = 'pg_catalog.pg_proc'::regclass AND "
    "d.refclassid = 'pg_catalog.pg_type'::regclass AND t.typrelid <> 0) "
    "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "WHERE p.prokind IN ('f', 'p') AND " MANAGED
    "AND " NOT_EXT("p.oid", "pg_proc") "ORDER BY p.oid";

/* Each view: what it reads (schema chr(30) name chr(30) kind, chr(31)
 * between), and a materialized view's indexes. */
static const char views_sql[] =
    "SELECT n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid), "
    "pg_catalog.array_to_string(c.reloptions, ', '), "
    "(SELECT pg_catalog.string_agg(DISTINCT rn.nspname || chr(30) || rc.relname || chr(30) || "
    "rc.relkind::text, chr(31)) FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d ON "
    "d.objid = "
    "rw.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = "
    "'pg_catalog.pg_class'::regclass JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid JOIN "
    "pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace WHERE rw.ev_class = c.oid AND "
    "rc.oid <> c.oid), "
    "(SELECT pg_catalog.string_agg(pg_catalog.pg_get_indexdef(i.indexrelid), chr(31) ORDER BY "
    "i.indexrelid) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid) "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('v', 'm') AND " MANAGED
    "AND " NOT_EXT("c.oid", "pg_class") "ORDER BY c.oid";

/* Sequences a default may call (pull writes it as `default_sql: nextval(…)`)
 * or an application may: those no column owns, and a serial's when its column
 * is not an integer column of the primary key (which the models make an
 * identity of), with the column that owns it. An identity's is the column's. */
static const char sequences_sql[] =
    "SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqincrement, "
    "s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle, tn.nspname, t.relname, a.attname "
    "FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.classid = "
    "'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND "
    "d.deptype IN ('a', 'i') "
    "LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
    "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
    "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
    "d.refobjsubid "
    "WHERE n.nspname = ANY(string_to_array($1, chr(31))) AND NOT EXISTS (SELECT 1 FROM "
    "pg_catalog.pg_depend e WHERE e.objid = c.oid AND e.classid = 'pg_catalog.pg_class'::regclass "
    "AND e.deptype = 'e') AND (d.objid IS NULL OR (d.deptype = 'a' AND NOT (a.atttypid IN "
    "('int2'::regtype, 'int4'::regtype, 'int8'::regtype) AND EXISTS (SELECT 1 FROM "
    "pg_catalog.pg_constraint pk WHERE pk.conrelid = d.refobjid AND pk.contype = 'p' AND "
    "d.refobjsubid = ANY (pk.conkey))))) ORDER BY c.oid";

/* Partitions of the partitioned tables (the models describe the parent, its
 * `options:` saying PARTITION BY), in the order they were made, a partition
 * that is partitioned itself with its own key. */
static const char partitions_sql[] =
    "SELECT n.nspname, c.relname, pn.nspname, p.relname, "
    "pg_catalog.pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p' THEN "
    "pg_catalog.pg_get_partkeydef(c.oid) END "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid "
    "JOIN pg_catalog.pg_class p ON p.oid = i.inhparent "
    "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace "
    "WHERE c.relispartition AND c.relkind IN ('r', 'p') AND " MANAGED
    "AND pn.nspname = ANY(string_to_array($1, chr(31))) ORDER BY c.oid";

/* Exclusion constraints: autogenerate neither reads nor compares them (the
 * models have no form for them), so a baseline without them would let a fresh
 * database take rows the original refuses. */
static const char excludes_sql[] =
    "SELECT n.nspname, c.relname, co.conname, pg_catalog.pg_get_constraintdef(co.oid) "
    "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE co.contype = 'x' AND " MANAGED "ORDER BY co.oid";

/* Row-level security: the tables that have it on (and forced), and their
 * policies as pg_policies shows them. A database built without them would
 * show every row to everyone. */
static const char rls_sql[] =
    "SELECT n.nspname, c.relname, c.relforcerowsecurity, NULL, NULL, NULL, NULL, NULL, NULL "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relrowsecurity AND c.relkind IN ('r', 'p') AND " MANAGED
    "UNION ALL SELECT p.schemaname, p.tablename, NULL, p.policyname, p.permissive, "
    "pg_catalog.array_to_string(ARRAY(SELECT CASE WHEN r = 'public' THEN 'PUBLIC' ELSE "
    "pg_catalog.quote_ident(r) END FROM unnest(p.roles) r), ', '), p.cmd, "
    "p.qual, p.with_check "
    "FROM pg_catalog.pg_policies p JOIN pg_catalog.pg_namespace n ON n.nspname = p.schemaname "
    "WHERE " MANAGED "ORDER BY 1, 2, 4 NULLS FIRST";

/* Each trigger, and whether its function comes with the database anyway
 * (pg_catalog's, an extension's) or with the baseline (a managed schema's). */
static const char triggers_sql[] =
    "SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), "
    "fn.nspname = 'pg_catalog' OR fn.nspname = ANY(string_to_array($1, chr(31))) OR EXISTS "
    "(SELECT 1 FROM pg_catalog.pg_depend e WHERE e.objid = f.oid AND e.classid = "
    "'pg_catalog.pg_proc'::regclass AND e.deptype = 'e'), "
    "fn.nspname || '.' || f.proname "
    "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid "
    "JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace "
    "WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND " MANAGED "ORDER BY t.oid";

typedef struct ctx {
    ag_arena *a;
    const ag_schema *s;
    const char *current; /* current_schema(): the tables without a schema live there */
    ag_strs views;       /* "schema.name" of the views and partitions carried */
    ag_strs schemas;     /* schemas made for what goes before the tables */
    ag_baseline_extras *out;
} ctx;

static const char *qualified(ag_arena *a, const char *schema, const char *name)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_quote_ident(&b, schema);
    ag_buf_putc(&b, '.');
    ag_buf_quote_ident(&b, name);
    const char *r = ag_arena_strdup(a, ag_buf_cstr(&b));
    ag_buf_dispose(&b);
    return r;
}

/* Whether the baseline creates relation schema.name (a table or a view). */
static bool carried(const ctx *c, const char *schema, const char *name)
{
    const char *sch = strcmp(schema, c->current) == 0 ? NULL : schema;
    if (ag_schema_find_table_in(c->s, sch, name))
        return true;
    return ag_strs_contains(&c->views, ag_arena_printf(c->a, "%s.%s", schema, name));
}

/* What goes before the tables goes before the schemas they make too: a
 * schema other than the default one is made first (IF NOT EXISTS). */
static void need_schema(ctx *c, const char *schema)
{
    if (strcmp(schema, c->current) == 0 || ag_strs_contains(&c->schemas, schema))
        return;
    ag_strs_push_arena(c->a, &c->schemas, schema);
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "CREATE SCHEMA IF NOT EXISTS ");
    ag_buf_quote_ident(&b, schema);
    ag_sql_pairs_push(c->a, &c->out->before, ag_buf_cstr(&b), NULL);
    ag_buf_dispose(&b);
}

static void functions(ctx *c, const ag_rows *r)
{
    if (r->nrows)
        ag_sql_pairs_push(c->a, &c->out->before, "SET LOCAL check_function_bodies = off", NULL);
    for (size_t i = 0; i < r->nrows; i++) {
        bool late = strcmp(ag_rows_get(r, i, 5), "t") == 0;
        if (!late)
            need_schema(c, ag_rows_get(r, i, 0));
        const char *def = ag_rows_get(r, i, 4);
        bool proc = strcmp(ag_rows_get(r, i, 2), "p") == 0;
        const char *drop = ag_arena_printf(
            c->a, "DROP %s IF EXISTS %s(%s)", proc ? "PROCEDURE" : "FUNCTION",
            qualified(c->a, ag_rows_get(r, i, 0), ag_rows_get(r, i, 1)), ag_rows_get(r, i, 3));
        size_t n = strlen(def);
        while (n && (def[n - 1] == '\n' || def[n - 1] == ' '))
            n--;
        ag_sql_pairs_push(c->a, late ? &c->out->after : &c->out->before,
                          ag_arena_strndup(c->a, def, n), drop);
    }
}

/* The first relation of uses ("s\x1en\x1ek\x1f…") the baseline does not
 * create, as "schema.name", or NULL. */
static const char *missing_use(const ctx *c, const char *uses)
{
    char *l = ag_arena_strdup(c->a, uses ? uses : "");
    for (char *item = l; item && *item;) {
        char *next = strchr(item, '\x1f');
        if (next)
            *next++ = '\0';
        char *name = strchr(item, '\x1e');
        char *kind = name ? strchr(name + 1, '\x1e') : NULL;
        if (name && kind) {
            *name++ = '\0';
            *kind++ = '\0';
            /* A sequence or composite type read by the view is the tables'. */
            bool rel = strchr("rpvm", kind[0]) != NULL;
            if (rel && !carried(c, item, name))
                return ag_arena_printf(c->a, "%s.%s", item, name);
        }
        item = next;
    }
    return NULL;
}

static void views(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const char *schema = ag_rows_get(r, i, 0), *name = ag_rows_get(r, i, 1);
        bool mat = strcmp(ag_rows_get(r, i, 2), "m") == 0;
        const char *what = mat ? "materialized view" : "view";
        const char *gone = missing_use(c, ag_rows_get(r, i, 5));
        if (gone) {
            ag_strs_push_arena(c->a, &c->out->left_out,
                               ag_arena_printf(c->a,
                                               "%s '%s.%s' reads '%s', which the baseline "
                                               "does not create",
                                               what, schema, name, gone));
            continue;
        }
        const char *def = ag_rows_get(r, i, 3), *opts = ag_rows_get(r, i, 4);
        size_t n = strlen(def);
        while (n && (def[n - 1] == ';' || def[n - 1] == '\n' || def[n - 1] == ' '))
            n--;
        const char *q = qualified(c->a, schema, name);
        ag_buf b = AG_BUF_INIT;
        ag_buf_printf(&b, "CREATE %s %s", mat ? "MATERIALIZED VIEW" : "VIEW", q);
        if (opts && *opts)
            ag_buf_printf(&b, " WITH (%s)", opts);
        ag_buf_puts(&b, " AS");
        ag_buf_put(&b, def, n);
        ag_sql_pairs_push(
            c->a, &c->out->after, ag_buf_cstr(&b),
            ag_arena_printf(c->a, "DROP %s IF EXISTS %s", mat ? "MATERIALIZED VIEW" : "VIEW", q));
        ag_buf_dispose(&b);
        ag_strs_push_arena(c->a, &c->views, ag_arena_printf(c->a, "%s.%s", schema, name));
        /* A materialized view's indexes go with it (and with its drop). */
        char *ix = ag_arena_strdup(c->a, ag_rows_get(r, i, 6) ? ag_rows_get(r, i, 6) : "");
        for (char *item = ix; *item;) {
            char *next = strchr(item, '\x1f');
            if (next)
                *next++ = '\0';
            ag_sql_pairs_push(c->a, &c->out->after, item, NULL);
            item = next ? next : item + strlen(item);
        }
    }
}

static void sequences(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        need_schema(c, ag_rows_get(r, i, 0));
        const char *q = qualified(c->a, ag_rows_get(r, i, 0), ag_rows_get(r, i, 1));
        ag_sql_pairs_push(
            c->a, &c->out->before,
            ag_arena_printf(c->a,
                            "CREATE SEQUENCE IF NOT EXISTS %s AS %s INCREMENT BY %s MINVALUE %s "
                            "MAXVALUE %s START WITH %s CACHE %s %sCYCLE",
                            q, ag_rows_get(r, i, 2), ag_rows_get(r, i, 3), ag_rows_get(r, i, 4),
                            ag_rows_get(r, i, 5), ag_rows_get(r, i, 6), ag_rows_get(r, i, 7),
                            strcmp(ag_rows_get(r, i, 8), "t") == 0 ? "" : "NO "),
            ag_arena_printf(c->a, "DROP SEQUENCE IF EXISTS %s", q));
        const char *owner = ag_rows_get(r, i, 11);
        if (!owner)
            continue;
        ag_buf b = AG_BUF_INIT;
        ag_buf_printf(&b, "ALTER SEQUENCE %s OWNED BY %s.", q,
                      qualified(c->a, ag_rows_get(r, i, 9), ag_rows_get(r, i, 10)));
        ag_buf_quote_ident(&b, owner);
        ag_sql_pairs_push(c->a, &c->out->after, ag_buf_cstr(&b), NULL);
        ag_buf_dispose(&b);
    }
}

static void partitions(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const char *schema = ag_rows_get(r, i, 0), *name = ag_rows_get(r, i, 1);
        const char *pschema = ag_rows_get(r, i, 2), *parent = ag_rows_get(r, i, 3);
        if (!carried(c, pschema, parent))
            continue; /* of a table not pulled */
        const char *q = qualified(c->a, schema, name);
        ag_buf b = AG_BUF_INIT;
        ag_buf_printf(&b, "CREATE TABLE %s PARTITION OF %s %s", q, qualified(c->a, pschema, parent),
                      ag_rows_get(r, i, 4));
        if (ag_rows_get(r, i, 5))
            ag_buf_printf(&b, " PARTITION BY %s", ag_rows_get(r, i, 5));
        ag_sql_pairs_push(c->a, &c->out->after, ag_buf_cstr(&b),
                          ag_arena_printf(c->a, "DROP TABLE IF EXISTS %s", q));
        ag_buf_dispose(&b);
        ag_strs_push_arena(c->a, &c->views, ag_arena_printf(c->a, "%s.%s", schema, name));
    }
}

static void excludes(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const char *schema = ag_rows_get(r, i, 0), *rel = ag_rows_get(r, i, 1);
        if (!carried(c, schema, rel))
            continue;
        const char *q = qualified(c->a, schema, rel);
        ag_buf b = AG_BUF_INIT, u = AG_BUF_INIT;
        ag_buf_printf(&b, "ALTER TABLE %s ADD CONSTRAINT ", q);
        ag_buf_quote_ident(&b, ag_rows_get(r, i, 2));
        ag_buf_printf(&b, " %s", ag_rows_get(r, i, 3));
        ag_buf_printf(&u, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS ", q);
        ag_buf_quote_ident(&u, ag_rows_get(r, i, 2));
        ag_sql_pairs_push(c->a, &c->out->after, ag_buf_cstr(&b), ag_buf_cstr(&u));
        ag_buf_dispose(&b);
        ag_buf_dispose(&u);
    }
}

static void row_security(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const char *schema = ag_rows_get(r, i, 0), *rel = ag_rows_get(r, i, 1);
        if (!carried(c, schema, rel))
            continue;
        const char *q = qualified(c->a, schema, rel), *policy = ag_rows_get(r, i, 3);
        if (!policy) {
            bool force = strcmp(ag_rows_get(r, i, 2), "t") == 0;
            ag_sql_pairs_push(
                c->a, &c->out->after,
                ag_arena_printf(c->a, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY", q),
                ag_arena_printf(c->a, "ALTER TABLE %s DISABLE ROW LEVEL SECURITY", q));
            if (force)
                ag_sql_pairs_push(
                    c->a, &c->out->after,
                    ag_arena_printf(c->a, "ALTER TABLE %s FORCE ROW LEVEL SECURITY", q),
                    ag_arena_printf(c->a, "ALTER TABLE %s NO FORCE ROW LEVEL SECURITY", q));
            continue;
        }
        const char *cmd = ag_rows_get(r, i, 6);
        const char *qual = ag_rows_get(r, i, 7), *check = ag_rows_get(r, i, 8);
        ag_buf b = AG_BUF_INIT, u = AG_BUF_INIT;
        ag_buf_puts(&b, "CREATE POLICY ");
        ag_buf_quote_ident(&b, policy);
        ag_buf_printf(&b, " ON %s AS %s FOR %s TO %s", q, ag_rows_get(r, i, 4), cmd,
                      ag_rows_get(r, i, 5));
        if (qual)
            ag_buf_printf(&b, " USING (%s)", qual);
        if (check)
            ag_buf_printf(&b, " WITH CHECK (%s)", check);
        ag_buf_puts(&u, "DROP POLICY IF EXISTS ");
        ag_buf_quote_ident(&u, policy);
        ag_buf_printf(&u, " ON %s", q);
        ag_sql_pairs_push(c->a, &c->out->after, ag_buf_cstr(&b), ag_buf_cstr(&u));
        ag_buf_dispose(&b);
        ag_buf_dispose(&u);
    }
}

static void triggers(ctx *c, const ag_rows *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const char *schema = ag_rows_get(r, i, 0), *rel = ag_rows_get(r, i, 1);
        const char *name = ag_rows_get(r, i, 2);
        if (!carried(c, schema, rel))
            continue; /* on a table not pulled: not the baseline's */
        if (strcmp(ag_rows_get(r, i, 4), "t") != 0) {
            ag_strs_push_arena(c->a, &c->out->left_out,
                               ag_arena_printf(c->a,
                                               "trigger '%s' on '%s.%s' calls '%s', which "
                                               "the baseline does not create",
                                               name, schema, rel, ag_rows_get(r, i, 5)));
            continue;
        }
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "DROP TRIGGER IF EXISTS ");
        ag_buf_quote_ident(&b, name);
        ag_buf_printf(&b, " ON %s", qualified(c->a, schema, rel));
        ag_sql_pairs_push(c->a, &c->out->after, ag_rows_get(r, i, 3), ag_buf_cstr(&b));
        ag_buf_dispose(&b);
    }
}

int ag_pg__baseline_extras(
    ag_db *db, const ag_schema *s, ag_arena *a, ag_baseline_extras *out, ag_error *err)
{
    const ag_dialect *d = &ag_dialect_postgres;
    ctx c = { .a = a, .s = s, .out = out };
    const char *params[1] = { table_schemas(a, s) };
    ag_rows cur = { 0 }, fns = { 0 }, vws = { 0 }, tgs = { 0 }, exs = { 0 }, pts = { 0 },
            sqs = { 0 }, rls = { 0 };
    /* search_path = pg_catalog while reading: names come schema-qualified.
     * In a transaction (or savepoint) of ours, rolled back: nothing stays. */
    bool nested = ag_pg__in_transaction(db);
    int rc = d->exec(db, nested ? "SAVEPOINT _ag_extras" : "BEGIN READ ONLY", err);
    if (rc != AG_OK)
        return rc;
    rc = d->query(db, "SELECT current_schema()", NULL, 0, &cur, err);
    if (rc == AG_OK) {
        c.current = ag_arena_strdup(a, cur.nrows ? ag_rows_get(&cur, 0, 0) : "public");
        rc = d->exec(db, "SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)", err);
    }
    /* current_schema() in the queries below is now pg_catalog: use the one read. */
    if (rc == AG_OK) {
        const char *p2[1] = { ag_arena_printf(a, "%s%s%s", params[0], *params[0] ? "\x1f" : "",
                                              c.current) };
        rc = d->query(db, functions_sql, p2, 1, &fns, err);
        if (rc == AG_OK)
            rc = d->query(db, views_sql, p2, 1, &vws, err);
        if (rc == AG_OK)
            rc = d->query(db, triggers_sql, p2, 1, &tgs, err);
        if (rc == AG_OK)
            rc = d->query(db, excludes_sql, p2, 1, &exs, err);
        if (rc == AG_OK)
            rc = d->query(db, partitions_sql, p2, 1, &pts, err);
        if (rc == AG_OK)
            rc = d->query(db, sequences_sql, p2, 1, &sqs, err);
        if (rc == AG_OK)
            rc = d->query(db, rls_sql, p2, 1, &rls, err);
    }
    int end = d->exec(
        db, nested ? "ROLLBACK TO SAVEPOINT _ag_extras; RELEASE SAVEPOINT _ag_extras" : "ROLLBACK",
        rc == AG_OK ? err : &(ag_error){ 0 });
    if (rc == AG_OK)
        rc = end;
    if (rc == AG_OK) {
        sequences(&c, &sqs);
        functions(&c, &fns);
        partitions(&c, &pts);
        excludes(&c, &exs);
        views(&c, &vws);
        triggers(&c, &tgs);
        row_security(&c, &rls);
    }
    ag_rows_release(&cur);
    ag_rows_release(&fns);
    ag_rows_release(&vws);
    ag_rows_release(&tgs);
    ag_rows_release(&exs);
    ag_rows_release(&pts);
    ag_rows_release(&sqs);
    ag_rows_release(&rls);
    return rc;
}
