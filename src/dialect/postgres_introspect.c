/* postgres_introspect.c - a live PostgreSQL database as an ag_schema.
 *
 * Five catalog queries cover the whole database, whatever its size: tables,
 * columns, constraints, indexes, enums. Objects that belong to an extension
 * (pg_depend deptype 'e', e.g. PostGIS's spatial_ref_sys) are never reported,
 * so they are never diffed. Types are mapped back to the vocabulary and
 * defaults stripped of the casts PostgreSQL adds, so a model applied and read
 * back compares equal.
 */
#include "../util/common.h"
#include "postgres_internal.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

void ag_pg__type_parse(ag_arena *a, const char *sql, ag_type *out)
{
    static const struct {
        const char *name;
        ag_type_kind kind;
    } map[] = {
        { "smallint", AG_T_SMALLINT },
        { "integer", AG_T_INTEGER },
        { "bigint", AG_T_BIGINT },
        { "numeric", AG_T_DECIMAL },
        { "real", AG_T_REAL },
        { "double precision", AG_T_DOUBLE },
        { "boolean", AG_T_BOOLEAN },
        { "character", AG_T_CHAR },
        { "character varying", AG_T_STRING },
        { "text", AG_T_TEXT },
        { "date", AG_T_DATE },
        { "time without time zone", AG_T_TIME },
        { "timestamp without time zone", AG_T_TIMESTAMP },
        { "timestamp with time zone", AG_T_TIMESTAMPTZ },
        { "interval", AG_T_INTERVAL },
        { "uuid", AG_T_UUID },
        { "json", AG_T_JSON },
        { "jsonb", AG_T_JSONB },
        { "bytea", AG_T_BINARY },
    };
    memset(out, 0, sizeof(*out));
    const char *paren = strchr(sql, '(');
    size_t wlen = paren ? (size_t)(paren - sql) : strlen(sql);
    /* "timestamp(3) without time zone": parameters in the middle are kept as sql(). */
    bool tail = paren && strchr(paren, ')') && strchr(paren, ')')[1] != '\0';
    for (size_t i = 0; i < AG_NELEM(map) && !tail && !strchr(sql, '['); i++) {
        if (strlen(map[i].name) != wlen || strncmp(sql, map[i].name, wlen) != 0)
            continue;
        out->kind = map[i].kind;
        int x = 0, y = 0, n = paren ? sscanf(paren, "(%d,%d)", &x, &y) : 0;
        if (out->kind == AG_T_CHAR || out->kind == AG_T_STRING)
            out->length = n >= 1 ? x : 0;
        else if (out->kind == AG_T_DECIMAL && n >= 1) {
            out->precision = x;
            out->scale = n == 2 ? y : 0;
        } else if (n >= 1) {
            break; /* a parameter the vocabulary cannot hold */
        }
        return;
    }
    memset(out, 0, sizeof(*out));
    out->kind = AG_T_SQL;
    out->name = ag_arena_strdup(a, sql);
}

/* A number as PostgreSQL prints one: [-]digits[.digits][e[+-]digits]. */
static bool plain_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && s[i] == '-')
        i++;
    for (; i < n && isdigit((unsigned char)s[i]); i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && isdigit((unsigned char)s[i]); i++)
            digits++;
    if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !isdigit((unsigned char)s[i]))
            return false;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
    }
    return digits && i == n;
}

/* 'text'::some_type -> 'text'; (-1)::integer -> -1; others unchanged. */
const char *ag_pg__default(ag_arena *a, const char *expr)
{
    if (!expr)
        return NULL;
    size_t n = strlen(expr);
    if (expr[0] == '\'') {
        size_t i = 1;
        for (; i < n; i++) {
            if (expr[i] == '\'') {
                if (i + 1 < n && expr[i + 1] == '\'') {
                    i++;
                    continue;
                }
                break;
            }
        }
        if (i < n && strncmp(expr + i + 1, "::", 2) == 0) {
            const char *lit = ag_arena_strndup(a, expr, i + 1);
            /* Numbers PostgreSQL quoted: '0'::numeric -> 0. Not an array of
             * them ('{0,0}'::numeric[] stays a string: {0,0} is no SQL). */
            const char *cast = expr + i + 3;
            bool numeric = strncmp(cast, "numeric", 7) == 0 || strncmp(cast, "integer", 7) == 0 ||
                           strncmp(cast, "bigint", 6) == 0 || strncmp(cast, "double", 6) == 0 ||
                           strncmp(cast, "real", 4) == 0 || strncmp(cast, "smallint", 8) == 0;
            if (numeric && !strchr(cast, '[') && plain_number(lit + 1, strlen(lit) - 2))
                return ag_arena_strndup(a, lit + 1, strlen(lit) - 2);
            return lit;
        }
        return ag_arena_strdup(a, expr);
    }
    if (expr[0] == '(') {
        const char *close = strchr(expr, ')');
        if (close && strncmp(close + 1, "::", 2) == 0)
            return ag_arena_strndup(a, expr + 1, (size_t)(close - expr - 1));
    }
    return ag_arena_strdup(a, expr);
}

/* chr(31)-separated lists from array_to_string. */
static void split(ag_schema *s, ag_strs *out, const char *joined)
{
    if (!joined || !*joined)
        return;
    const char *p = joined;
    for (;;) {
        const char *e = strchr(p, '\x1f');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        ag_strs_push_arena(&s->arena, out, ag_arena_strndup(&s->arena, p, len));
        if (!e)
            break;
        p = e + 1;
    }
}

static ag_fk_action action(const char *c)
{
    switch (c ? c[0] : 'a') {
    case 'r':
        return AG_FK_RESTRICT;
    case 'c':
        return AG_FK_CASCADE;
    case 'n':
        return AG_FK_SET_NULL;
    case 'd':
        return AG_FK_SET_DEFAULT;
    default:
        return AG_FK_NONE;
    }
}

/* Schemas of user objects: not the system's, not an extension's. */
#define USER_NS                                                                                    \
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
/* Schemas autogenerate manages: the default one ($1) and those the models
 * name ($2, chr(31)-separated; NULL: every schema). The filter is in each
 * query, so that a database with many schemas is not read whole. */
#define MANAGED_NS                                                                                 \
    "($2::text IS NULL OR n.nspname = $1 OR n.nspname = ANY(string_to_array($2, chr(31)))) "
#define NOT_EXTENSION(oid, catalog)                                                                \
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.objid = " oid                    \
    " AND dep.classid = '" catalog "'::regclass AND dep.deptype = 'e') "

/* The columns that own a sequence (serial, bigserial: "attrelid/attname"), for
 * telling a serial's nextval() default from one of a sequence of its own. One
 * query, read only when some default calls nextval(). */
static int owned_sequences(ag_db *db, ag_rows *rows, ag_strmap *out, ag_error *err)
{
    int rc = ag_dialect_postgres.query(
        db,
        "SELECT dep.refobjid::text || '/' || a.attname FROM pg_catalog.pg_depend dep "
        "JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S' "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = "
        "dep.refobjsubid WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
        "dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype = 'a'",
        NULL, 0, rows, err);
    for (size_t r = 0; rc == AG_OK && r < rows->nrows; r++)
        ag_strmap_put(out, ag_rows_get(rows, r, 0), (void *)1);
    return rc;
}

/* Tables by oid, sorted for a binary search: every column, constraint and
 * index row names its table's oid. */
typedef struct tmap {
    unsigned long oid;
    ag_table *t;
    long *attnums; /* of t->columns, in order (in tmp) */
    size_t nattnums, attnums_cap;
} tmap;

static int cmp_tmap(const void *a, const void *b)
{
    unsigned long x = ((const tmap *)a)->oid, y = ((const tmap *)b)->oid;
    return x < y ? -1 : x > y;
}

static tmap *find_tmap(tmap *m, size_t n, const char *oid)
{
    tmap key = { .oid = strtoul(oid, NULL, 10) };
    return bsearch(&key, m, n, sizeof(*m), cmp_tmap);
}

/* The names of the attribute numbers in nums ("{1,2}" or "1 2", as int2[] and
 * int2vector print) from the first up to `upto` (0: all), or from `upto`
 * on (after), appended to out; numbers of no column (0: an expression) are
 * skipped. The catalog's numbers are named here rather than by a subquery
 * per row, which was most of the server's time for these queries. */
static void
attnames(ag_schema *s, const tmap *tm, const char *nums, size_t upto, bool after, ag_strs *out)
{
    size_t k = 0;
    for (const char *p = nums ? nums : ""; *p;) {
        if (*p != '-' && (*p < '0' || *p > '9')) {
            p++;
            continue;
        }
        char *end;
        long n = strtol(p, &end, 10);
        p = end;
        k++;
        if (upto && (after ? k <= upto : k > upto))
            continue;
        for (size_t i = 0; i < tm->nattnums; i++)
            if (tm->attnums[i] == n) {
                ag_strs_push_arena(&s->arena, out, tm->t->columns[i]->name);
                break;
            }
    }
}

int ag_pg__introspect(ag_db *db, const ag_introspect_opts *opts, ag_schema **out, ag_error *err)
{
    *out = NULL;
    const ag_dialect *d = &ag_dialect_postgres;
    const char *dflt_schema = opts && opts->schema ? opts->schema : "public";
    const char *vt = opts && opts->version_table ? opts->version_table : "";
    ag_arena tmp = AG_ARENA_INIT;
    const char *managed = opts && opts->managed ? ag_strs_join(&tmp, opts->managed, "\x1f") : NULL;
    const char *rl = opts && opts->run_log_table ? opts->run_log_table : "";
    const char *params[4] = { dflt_schema, managed, vt, rl };
    ag_rows tables = { 0 }, cols = { 0 }, cons = { 0 }, idx = { 0 }, enums = { 0 };
    /* Comments are joined, not looked up row by row; the deparsing functions
     * are called only where their result is used, and pg_get_expr gets a
     * relation only where an expression can name its columns (checks,
     * generated columns): given one, the server opens that relation for each
     * row, which on a thousand tables is most of the introspection. */
    int rc = d->query(
        db,
        "SELECT c.oid, n.nspname, c.relname, d.description, NULLIF(pg_catalog.concat_ws(' ', "
        "CASE WHEN c.relkind = 'p' THEN 'PARTITION BY ' || pg_catalog.pg_get_partkeydef(c.oid) "
        "END, 'WITH (' || pg_catalog.array_to_string(c.reloptions, ', ') || ')'), '') "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid "
        "AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0 WHERE "
        "c.relkind IN ('r', 'p') AND NOT c.relispartition AND " USER_NS "AND " MANAGED_NS
        "AND " NOT_EXTENSION("c.oid", "pg_class") "AND c.relname <> $3 AND c.relname <> $4 "
                                                  "ORDER BY n.nspname <> $1, n.nspname, c.relname",
        params, 4, &tables, err);
    if (rc == AG_OK)
        rc = d->query(db,
                      "SELECT a.attrelid, a.attname, "
                      "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                      "pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 "
                      "ELSE ad.adrelid END), a.attidentity, d.description, t.typtype, "
                      "tn.nspname, t.typname, a.attgenerated, CASE WHEN a.attcollation <> "
                      "t.typcollation THEN (SELECT co.collname FROM pg_catalog.pg_collation co "
                      "WHERE co.oid = a.attcollation) END, a.attnum FROM pg_catalog.pg_attribute a "
                      "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                      "JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace "
                      "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
                      "AND ad.adnum = a.attnum "
                      "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid "
                      "AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
                      "AND d.objsubid = a.attnum WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 "
                      "AND NOT a.attisdropped AND " USER_NS "AND " MANAGED_NS
                      "ORDER BY a.attrelid, a.attnum",
                      params, 2, &cols, err);
    if (rc == AG_OK)
        rc = d->query(
            db,
            "SELECT co.conrelid, co.conname, co.contype, NULL, co.conkey, rn.nspname, rc.relname, "
            "CASE WHEN co.contype = 'f' THEN " /* read for foreign keys only */
            "array_to_string(ARRAY(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY "
            "k(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum "
            "= k.n ORDER BY k.i), chr(31)) END, co.confdeltype, co.confupdtype, "
            "CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END, "
            "CASE WHEN co.condeferred THEN 'd' WHEN co.condeferrable THEN 'i' END "
            "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid "
            "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
            "WHERE co.contype IN ('p', 'u', 'f', 'c') AND " USER_NS "AND " MANAGED_NS
            "ORDER BY co.conrelid, co.contype, co.conname",
            params, 2, &cons, err);
    if (rc == AG_OK)
        rc = d->query(
            db,
            "SELECT i.indrelid, ic.relname, i.indisunique, "
            "CASE WHEN e.elements THEN pg_catalog.pg_get_indexdef(i.indexrelid) END, "
            "pg_catalog.pg_get_expr(i.indpred, i.indrelid), e.elements, i.indkey, "
            "NULLIF(am.amname, 'btree'), i.indnkeyatts "
            "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
            "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
            "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            /* Elements that are more than plain columns: expressions, or a
             * key column with an order, a NULLS placement, an operator class
             * or a collation of its own. Those are read as PostgreSQL prints
             * them (see postgres_index.c). */
            "CROSS JOIN LATERAL (SELECT i.indexprs IS NOT NULL OR EXISTS (SELECT 1 FROM "
            "generate_series(0, i.indnkeyatts - 1) g(j) JOIN pg_catalog.pg_attribute ka ON "
            "ka.attrelid = i.indrelid AND ka.attnum = i.indkey[g.j] JOIN pg_catalog.pg_opclass oc "
            "ON oc.oid = i.indclass[g.j] WHERE i.indoption[g.j] <> 0 OR NOT oc.opcdefault OR "
            /* OFFSET 0: computed once per index, not once per use. */
            "i.indcollation[g.j] <> ka.attcollation) AS elements OFFSET 0) e WHERE " USER_NS
            "AND " MANAGED_NS
            "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = "
            "i.indexrelid AND co.contype IN ('p', 'u', 'x')) ORDER BY i.indrelid, ic.relname",
            params, 2, &idx, err);
    if (rc == AG_OK)
        rc = d->query(db,
                      "SELECT n.nspname, t.typname, array_to_string(ARRAY(SELECT e.enumlabel "
                      "FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY "
                      "e.enumsortorder), chr(31)) FROM pg_catalog.pg_type t "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                      "WHERE t.typtype = 'e' AND " USER_NS "AND " MANAGED_NS
                      "AND " NOT_EXTENSION("t.oid", "pg_type") "ORDER BY n.nspname, t.typname",
                      params, 2, &enums, err);
    if (rc != AG_OK)
        goto done;

    ag_schema *s = ag_schema_new();
    ag_arena *a = &s->arena;
    tmap *m = ag_xcalloc(tables.nrows + 1, sizeof(*m));
    for (size_t r = 0; r < tables.nrows; r++) {
        const char *ns = ag_rows_get(&tables, r, 1);
        ag_table *t = ag_schema_add_table(s, ag_rows_get(&tables, r, 2));
        t->schema = strcmp(ns, dflt_schema) == 0 ? NULL : ag_arena_strdup(a, ns);
        t->comment = ag_arena_strdup(a, ag_rows_get(&tables, r, 3));
        t->options = ag_arena_strdup(a, ag_rows_get(&tables, r, 4)); /* PARTITION BY, WITH */
        m[r].oid = strtoul(ag_rows_get(&tables, r, 0), NULL, 10);
        m[r].t = t;
    }
    qsort(m, tables.nrows, sizeof(*m), cmp_tmap);
    size_t ntables = tables.nrows;
    ag_rows_release(&tables); /* each result goes once read: at 10,000 tables, megabytes */
    for (size_t r = 0; r < enums.nrows; r++) {
        const char *ns = ag_rows_get(&enums, r, 0);
        ag_enum *e = ag_schema_add_enum(s, ag_rows_get(&enums, r, 1));
        e->schema = strcmp(ns, dflt_schema) == 0 ? NULL : ag_arena_strdup(a, ns);
        split(s, &e->values, ag_rows_get(&enums, r, 2));
    }
    ag_strmap owned = AG_STRMAP_INIT;
    ag_rows seqs = { 0 };
    bool seqs_read = false;
    for (size_t r = 0; rc == AG_OK && r < cols.nrows; r++) {
        tmap *tm = find_tmap(m, ntables, ag_rows_get(&cols, r, 0));
        if (!tm)
            continue;
        ag_table *t = tm->t;
        ag_column *c = ag_table_add_column(s, t, ag_rows_get(&cols, r, 1));
        AG_ARENA_PUSH(&tmp, tm->attnums, tm->nattnums, tm->attnums_cap,
                      strtol(ag_rows_get(&cols, r, 12), NULL, 10));
        const char *typtype = ag_rows_get(&cols, r, 7);
        if (typtype && typtype[0] == 'e') {
            c->type.kind = AG_T_ENUM;
            c->type.name = ag_arena_strdup(a, ag_rows_get(&cols, r, 9));
            const char *tns = ag_rows_get(&cols, r, 8);
            c->type.schema = tns && strcmp(tns, dflt_schema) != 0 ? ag_arena_strdup(a, tns) : NULL;
            const ag_enum *e = ag_schema_find_enum(s, c->type.name);
            if (e)
                ag_strs_clone(a, &c->enum_values, &e->values);
        } else {
            ag_pg__type_parse(a, ag_rows_get(&cols, r, 2), &c->type);
        }
        c->nullable = strcmp(ag_rows_get(&cols, r, 3), "t") != 0;
        const char *identity = ag_rows_get(&cols, r, 5);
        const char *dflt = ag_rows_get(&cols, r, 4);
        const char *generated = ag_rows_get(&cols, r, 10);
        c->collation = ag_arena_strdup(a, ag_rows_get(&cols, r, 11));
        if (generated && generated[0]) {
            /* Kept as the database has it, never diffed (README). */
            c->generated = ag_arena_strdup(a, dflt);
            c->generated_stored = true;
        } else if ((identity && identity[0]) || (dflt && strncmp(dflt, "nextval(", 8) == 0)) {
            c->autoincrement = true; /* identity, or serial */
            if (!(identity && identity[0])) {
                c->sequence_default = ag_arena_strdup(a, dflt);
                if (opts && opts->sequence_owners) {
                    if (!seqs_read) {
                        rc = owned_sequences(db, &seqs, &owned, err);
                        seqs_read = true;
                    }
                    const char *k =
                        ag_arena_printf(&tmp, "%s/%s", ag_rows_get(&cols, r, 0), c->name);
                    c->sequence_owned = rc == AG_OK && ag_strmap_get(&owned, k); /* a serial */
                }
            }
        } else {
            c->default_sql = ag_pg__default(a, dflt);
        }
        c->comment = ag_arena_strdup(a, ag_rows_get(&cols, r, 6));
    }
    ag_strmap_release(&owned);
    ag_rows_release(&seqs);
    ag_rows_release(&cols);
    if (rc != AG_OK) {
        free(m);
        ag_schema_free(s);
        goto done;
    }
    for (size_t r = 0; r < cons.nrows; r++) {
        tmap *tm = find_tmap(m, ntables, ag_rows_get(&cons, r, 0));
        if (!tm)
            continue;
        ag_table *t = tm->t;
        const char *name = ag_rows_get(&cons, r, 1), *type = ag_rows_get(&cons, r, 2);
        ag_strs columns = { 0 };
        attnames(s, tm, ag_rows_get(&cons, r, 4), 0, false, &columns);
        switch (type[0]) {
        case 'p':
            t->pk.name = ag_arena_strdup(a, name);
            t->pk.columns = columns;
            break;
        case 'u': {
            ag_unique *u = ag_table_add_unique(s, t, name);
            u->columns = columns;
            const char *defer = ag_rows_get(&cons, r, 11);
            u->defer = !defer          ? AG_FK_NOT_DEFERRABLE
                       : *defer == 'd' ? AG_FK_DEFERRED
                                       : AG_FK_DEFERRABLE;
            break;
        }
        case 'c': {
            ag_check *ck = ag_table_add_check(s, t, name);
            ck->expression = ag_arena_strdup(a, ag_rows_get(&cons, r, 10));
            break;
        }
        case 'f': {
            ag_fk *f = ag_table_add_fk(s, t, name);
            f->columns = columns;
            const char *rns = ag_rows_get(&cons, r, 5);
            f->ref_schema = rns && strcmp(rns, dflt_schema) != 0 ? ag_arena_strdup(a, rns) : NULL;
            f->ref_table = ag_arena_strdup(a, ag_rows_get(&cons, r, 6));
            split(s, &f->ref_columns, ag_rows_get(&cons, r, 7));
            f->on_delete = action(ag_rows_get(&cons, r, 8));
            f->on_update = action(ag_rows_get(&cons, r, 9));
            const char *defer = ag_rows_get(&cons, r, 11);
            f->defer = !defer          ? AG_FK_NOT_DEFERRABLE
                       : *defer == 'd' ? AG_FK_DEFERRED
                                       : AG_FK_DEFERRABLE;
            break;
        }
        default:
            break;
        }
    }
    for (size_t r = 0; r < idx.nrows; r++) {
        tmap *tm = find_tmap(m, ntables, ag_rows_get(&idx, r, 0));
        if (!tm)
            continue;
        ag_table *t = tm->t;
        size_t nkey = strtoul(ag_rows_get(&idx, r, 8), NULL, 10);
        ag_index *x = ag_table_add_index(s, t, ag_rows_get(&idx, r, 1));
        x->unique = strcmp(ag_rows_get(&idx, r, 2), "t") == 0;
        x->where = ag_arena_strdup(a, ag_rows_get(&idx, r, 4));
        const char *method = ag_rows_get(&idx, r, 7);
        x->method = method && method[0] ? ag_arena_strdup(a, method) : NULL;
        attnames(s, tm, ag_rows_get(&idx, r, 6), nkey, true, &x->include);
        if (strcmp(ag_rows_get(&idx, r, 5), "t") == 0) {
            /* CREATE INDEX n ON t USING method (elements) [INCLUDE (…)] [WHERE …]:
             * the elements. */
            const char *def = ag_rows_get(&idx, r, 3);
            const char *open = strstr(def, " USING ");
            open = open ? strchr(open, '(') : NULL;
            if (open) {
                int depth = 0;
                const char *p = open;
                for (; *p; p++) {
                    if (*p == '(')
                        depth++;
                    else if (*p == ')' && --depth == 0)
                        break;
                }
                x->expression = ag_arena_strndup(a, open + 1, (size_t)(p - open - 1));
            }
        } else {
            attnames(s, tm, ag_rows_get(&idx, r, 6), nkey, false, &x->columns);
        }
    }
    free(m);
    *out = s;
done:
    ag_arena_release(&tmp);
    ag_rows_release(&tables);
    ag_rows_release(&cols);
    ag_rows_release(&cons);
    ag_rows_release(&idx);
    ag_rows_release(&enums);
    return rc;
}

/* What a baseline must create before the tables (pull --baseline): every
 * extension but plpgsql, in its schema; then the domains of the schemas the
 * tables live in (and the default one), in the order they were made, with
 * their NOT NULL, DEFAULT and checks. A domain has no IF NOT EXISTS: it is
 * created in a block that lets an existing one be. */
int ag_pg__prerequisites(ag_db *db, const ag_schema *s, ag_arena *a, ag_strs *out, ag_error *err)
{
    const ag_dialect *d = &ag_dialect_postgres;
    ag_rows ext = { 0 }, dom = { 0 };
    ag_strs schemas = { 0 };
    for (size_t i = 0; i < s->ntables; i++)
        if (s->tables[i]->schema && !ag_strs_contains(&schemas, s->tables[i]->schema))
            ag_strs_push_arena(a, &schemas, s->tables[i]->schema);
    int rc = d->query(db,
                      "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
                      "WHERE e.extname <> 'plpgsql' ORDER BY e.oid",
                      NULL, 0, &ext, err);
    if (rc == AG_OK) {
        const char *params[1] = { ag_strs_join(a, &schemas, "\x1f") };
        rc = d->query(
            db,
            "SELECT n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), "
            "t.typnotnull, t.typdefault, array_to_string(ARRAY(SELECT 'CONSTRAINT ' || "
            "quote_ident(c.conname) || ' ' || pg_catalog.pg_get_constraintdef(c.oid) FROM "
            "pg_catalog.pg_constraint c WHERE c.contypid = t.oid ORDER BY c.conname), ' ') "
            "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
            "WHERE t.typtype = 'd' AND " USER_NS "AND (n.nspname = current_schema() OR n.nspname "
            "= ANY(string_to_array($1, chr(31)))) AND " NOT_EXTENSION("t.oid",
                                                                      "pg_type") "ORDER BY t.oid",
            params, 1, &dom, err);
    }
    for (size_t r = 0; rc == AG_OK && r < ext.nrows; r++) {
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "CREATE EXTENSION IF NOT EXISTS ");
        ag_buf_quote_ident(&b, ag_rows_get(&ext, r, 0));
        ag_buf_puts(&b, " WITH SCHEMA ");
        ag_buf_quote_ident(&b, ag_rows_get(&ext, r, 1));
        ag_strs_push_arena(a, out, ag_buf_cstr(&b));
        ag_buf_dispose(&b);
    }
    for (size_t r = 0; rc == AG_OK && r < dom.nrows; r++) {
        ag_buf b = AG_BUF_INIT;
        if (strcmp(ag_rows_get(&dom, r, 0), "public") != 0) {
            ag_buf_puts(&b, "CREATE SCHEMA IF NOT EXISTS ");
            ag_buf_quote_ident(&b, ag_rows_get(&dom, r, 0));
            ag_strs_push_arena(a, out, ag_buf_cstr(&b));
            ag_buf_clear(&b);
        }
        ag_buf_puts(&b, "DO $autogen$ BEGIN CREATE DOMAIN ");
        ag_buf_quote_ident(&b, ag_rows_get(&dom, r, 0));
        ag_buf_putc(&b, '.');
        ag_buf_quote_ident(&b, ag_rows_get(&dom, r, 1));
        ag_buf_printf(&b, " AS %s", ag_rows_get(&dom, r, 2));
        if (strcmp(ag_rows_get(&dom, r, 3), "t") == 0)
            ag_buf_puts(&b, " NOT NULL");
        if (ag_rows_get(&dom, r, 4))
            ag_buf_printf(&b, " DEFAULT %s", ag_rows_get(&dom, r, 4));
        if (ag_rows_get(&dom, r, 5) && *ag_rows_get(&dom, r, 5))
            ag_buf_printf(&b, " %s", ag_rows_get(&dom, r, 5));
        ag_buf_puts(&b, "; EXCEPTION WHEN duplicate_object THEN NULL; END $autogen$");
        ag_strs_push_arena(a, out, ag_buf_cstr(&b));
        ag_buf_dispose(&b);
    }
    ag_rows_release(&ext);
    ag_rows_release(&dom);
    return rc;
}
