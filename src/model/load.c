/* load.c - YAML model files into the target schema.
 *
 * Each file is read once by libyaml, as events that are checked (syntax
 * errors with their marks, aliases, nesting) and made into a tree of nodes
 * (ytree.c) that the loader walks. Files are parsed on as many threads as
 * there are cores while the walk takes them in order, so that diagnostics and
 * the schema come out as from one thread. Everything that can be checked inside one file is checked
 * while walking (keys, value kinds, types, column lists); what spans files
 * (enum names, foreign-key targets, duplicate tables) is checked once all
 * files are in. Every problem becomes a diagnostic; nothing stops at the
 * first.
 */
#include "../util/common.h"
#include "model.h"
#include "ytree.h"

#include "../dialect/dialect.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

const ag_naming ag_naming_default = {
    .ix = "ix_{table}_{columns}",
    .uq = "uq_{table}_{columns}",
    .fk = "fk_{table}_{columns}_{referred_table}",
    .pk = "pk_{table}",
    .ck = "ck_{table}_{name}",
};

enum { MAX_FILE = 16 << 20, MAX_DEPTH = 64 };

void ag_diags_release(ag_diags *d)
{
    if (d)
        ag_arena_release(&d->arena);
}

void ag_diags_add(ag_diags *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ag_diag x = { ag_arena_strdup(&d->arena, file), line, col, ag_arena_strdup(&d->arena, msg) };
    AG_ARENA_PUSH(&d->arena, d->v, d->n, d->cap, x);
}

const char *ag_naming_expand(ag_arena *a,
                             const char *pattern,
                             const char *table,
                             const ag_strs *columns,
                             const char *referred_table,
                             const char *name)
{
    ag_buf b = AG_BUF_INIT;
    for (const char *p = pattern; *p;) {
        if (*p != '{') {
            ag_buf_putc(&b, *p++);
        } else if (strncmp(p, "{table}", 7) == 0) {
            ag_buf_puts(&b, table ? table : "");
            p += 7;
        } else if (strncmp(p, "{columns}", 9) == 0) {
            for (size_t i = 0; columns && i < columns->n; i++) {
                if (i)
                    ag_buf_putc(&b, '_');
                ag_buf_puts(&b, columns->v[i]);
            }
            p += 9;
        } else if (strncmp(p, "{referred_table}", 16) == 0) {
            ag_buf_puts(&b, referred_table ? referred_table : "");
            p += 16;
        } else if (strncmp(p, "{name}", 6) == 0) {
            ag_buf_puts(&b, name ? name : "");
            p += 6;
        } else {
            ag_buf_putc(&b, *p++);
        }
    }
    const char *r = ag_arena_strdup(a, ag_buf_cstr(&b));
    ag_buf_dispose(&b);
    return r;
}

const char *ag_identifier_shorten(ag_arena *a, const char *name, size_t max)
{
    size_t len = strlen(name);
    if (!max || len <= max || max < 16)
        return name;
    size_t keep = max - 9; /* "_" and 8 hex digits */
    while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
        keep--; /* never split a UTF-8 character */
    uint64_t h = ag_fnv1a_str(name);
    return ag_arena_printf(a, "%.*s_%08x", (int)keep, name,
                           (unsigned)((h ^ (h >> 32)) & 0xffffffffu));
}

/* --- the walk ------------------------------------------------------------------- */

typedef struct loader {
    ag_schema *s;
    ag_diags *diags;
    const ag_model_opts *o;
    ag_naming naming;
    const char *file; /* in s's arena */
    const ag_ytree *doc;
    size_t errors;
    ag_strmap tables;       /* by table_key(), for duplicates and references */
    const char **generated; /* names the loader made (naming_convention), by pointer */
    size_t ngenerated, generated_cap;
} loader;

static void diag(loader *l, const yaml_node_t *n, const char *fmt, ...) AG_PRINTF(3, 4);
static void diag(loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ag_diags_add(l->diags, l->file, n ? (unsigned)n->start_mark.line + 1 : 0,
                 n ? (unsigned)n->start_mark.column + 1 : 0, "%s", msg);
    l->errors++;
}

static void diag_loc(loader *l, ag_loc at, const char *fmt, ...) AG_PRINTF(3, 4);
static void diag_loc(loader *l, ag_loc at, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ag_diags_add(l->diags, at.file ? at.file : l->file, at.line, at.col, "%s", msg);
    l->errors++;
}

/* A name the loader made rather than the user wrote (from naming_convention):
 * shortened to the database's limit, and remembered, so that an error about it
 * can say where it came from. */
static const char *generated(loader *l, const char *name)
{
    name = ag_identifier_shorten(&l->s->arena, name, l->o->max_identifier);
    AG_ARENA_PUSH(&l->s->arena, l->generated, l->ngenerated, l->generated_cap, name);
    return name;
}

static bool is_generated(const loader *l, const char *name)
{
    for (size_t i = 0; i < l->ngenerated; i++)
        if (l->generated[i] == name)
            return true;
    return false;
}

static ag_loc loc_of(const loader *l, const yaml_node_t *n)
{
    ag_loc r = { l->file, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1 };
    return r;
}

static yaml_node_t *node(loader *l, int id)
{
    return ag_ytree_node(l->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool plain(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* The closest of `known` to `word`, within distance 2, or NULL. */
static const char *closest(const char *word, const char *const *known, size_t n)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = ag_levenshtein(word, known[i]);
        if (d < bd) {
            bd = d;
            best = known[i];
        }
    }
    return best;
}

/* Check that a mapping has no duplicate or unknown keys. Returns false when
 * the node is not a mapping at all. */
static bool check_keys(
    loader *l, const yaml_node_t *map, const char *what, const char *const *known, size_t nknown)
{
    if (!map || map->type != YAML_MAPPING_NODE) {
        diag(l, map, "%s must be a mapping of keys", what);
        return false;
    }
    /* Many keys (the tables of one file): the earlier ones by name, not by a scan. */
    size_t npairs = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    ag_strmap seen = AG_STRMAP_INIT;
    bool hashed = npairs > 16;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node(l, p->key);
        const char *key = scalar(k);
        if (!key) {
            diag(l, k, "keys of %s must be names", what);
            continue;
        }
        const yaml_node_t *k2 = hashed ? ag_strmap_get(&seen, key) : NULL;
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; !hashed && !k2 && q < p; q++)
            if (scalar(node(l, q->key)) && strcmp(scalar(node(l, q->key)), key) == 0)
                k2 = node(l, q->key);
        if (k2)
            diag(l, k, "duplicate key '%s' (first at %u:%u)", key,
                 (unsigned)k2->start_mark.line + 1, (unsigned)k2->start_mark.column + 1);
        else if (hashed)
            ag_strmap_put(&seen, key, (void *)k);
        if (!known)
            continue;
        bool ok = false;
        for (size_t i = 0; i < nknown && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (ok)
            continue;
        const char *best = closest(key, known, nknown);
        if (best)
            diag(l, k, "unknown key '%s' in %s; did you mean '%s'?", key, what, best);
        else
            diag(l, k, "unknown key '%s' in %s", key, what);
    }
    ag_strmap_release(&seen);
    return true;
}

/* The parts one after the other, cut to cap as snprintf would: a format costs
 * more than the rest of a column's load. */
static void join_what(char *dst, size_t cap, const char *const *parts, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (const char *p = parts[i] ? parts[i] : ""; *p && k + 1 < cap; p++)
            dst[k++] = *p;
    dst[k] = '\0';
}

static const yaml_node_t *get(loader *l, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(node(l, p->key));
        if (k && strcmp(k, key) == 0)
            return node(l, p->value);
    }
    return NULL;
}

/* A YAML boolean word: true/yes/on, false/no/off (any case). */
static bool bool_word(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no",
                                                                              "off" };
    for (size_t i = 0; s && i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
            *out = strcasecmp(s, yes[i]) == 0;
            return true;
        }
    }
    return false;
}

static bool get_bool(loader *l, const yaml_node_t *map, const char *key, bool dflt, bool *ok)
{
    const yaml_node_t *v = get(l, map, key);
    if (!v)
        return dflt;
    bool b;
    if (plain(v) && bool_word(scalar(v), &b))
        return b;
    diag(l, v, "'%s' must be true or false", key);
    if (ok)
        *ok = false;
    return dflt;
}

/* `autoincrement`: true, false, or strict (a database's own keyword asked for,
 * where a key that assigns ids without it would otherwise do: README, model files). */
static void get_autoincrement(loader *l, const yaml_node_t *col, ag_column *c)
{
    const yaml_node_t *v = get(l, col, "autoincrement");
    const char *s = v && plain(v) ? scalar(v) : NULL;
    bool b = false;
    if (s && strcasecmp(s, "strict") == 0)
        c->autoincrement = c->autoincrement_strict = true;
    else if (s && bool_word(s, &b))
        c->autoincrement = b;
    else if (v)
        diag(l, v, "'autoincrement' must be true, false or strict");
}

static const char *get_str(loader *l, const yaml_node_t *map, const char *key)
{
    const yaml_node_t *v = get(l, map, key);
    if (!v)
        return NULL;
    const char *s = scalar(v);
    if (!s) {
        diag(l, v, "'%s' must be a single value", key);
        return NULL;
    }
    return ag_arena_strdup(&l->s->arena, s);
}

/* A name the user wrote must fit the database's limit (in bytes: PostgreSQL
 * cuts longer ones short, and the cut name never matches the model again). */
static void check_identifier(loader *l, const yaml_node_t *n, const char *what)
{
    const char *s = scalar(n);
    size_t max = l->o->max_identifier, len = s ? strlen(s) : 0;
    if (max && len > max)
        diag(l, n, "%s '%s' is %zu bytes long; names may have at most %zu bytes: shorten it", what,
             s, len, max);
}

/* get_str() of a name the database keeps, checked against the limit. */
static const char *get_name(loader *l, const yaml_node_t *map, const char *key, const char *what)
{
    const char *s = get_str(l, map, key);
    if (s)
        check_identifier(l, get(l, map, key), what);
    return s;
}

/* A list of names (or one name) into out; false on a bad node. */
static bool name_list(loader *l, const yaml_node_t *v, const char *key, ag_strs *out)
{
    if (v->type == YAML_SCALAR_NODE && *scalar(v)) {
        ag_strs_push(l->s, out, scalar(v));
        return true;
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        diag(l, v, "'%s' must be a list of column names", key);
        return false;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        const yaml_node_t *x = node(l, *it);
        if (!scalar(x) || !*scalar(x)) {
            diag(l, x, "'%s' must be a list of column names", key);
            return false;
        }
        ag_strs_push(l->s, out, scalar(x));
    }
    if (out->n == 0) {
        diag(l, v, "'%s' must name at least one column", key);
        return false;
    }
    return true;
}

/* --- columns --------------------------------------------------------------------- */

static const char *const column_keys[] = {
    "type",      "nullable",  "primary_key",  "autoincrement", "unique",
    "index",     "default",   "default_sql",  "comment",       "references",
    "on_delete", "on_update", "renamed_from", "values",        "deferrable",
    "initially", "collation", "generated",    "stored",
};

static bool numeric_kind(ag_type_kind k)
{
    return k == AG_T_SMALLINT || k == AG_T_INTEGER || k == AG_T_BIGINT || k == AG_T_DECIMAL ||
           k == AG_T_REAL || k == AG_T_DOUBLE;
}

static bool looks_numeric(const char *s)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    (void)strtod(s, &end);
    return *end == '\0' && !isspace((unsigned char)*s);
}

/* The canonical SQL text of a `default:` literal for column c. */
static const char *default_literal(loader *l, const yaml_node_t *v, const ag_column *c)
{
    ag_arena *a = &l->s->arena;
    const char *s = scalar(v);
    if (!s) {
        diag(l, v, "'default' must be a single value (a string, number or boolean)");
        return NULL;
    }
    if (numeric_kind(c->type.kind) && looks_numeric(s))
        return ag_arena_strdup(a, s);
    if (c->type.kind == AG_T_BOOLEAN && plain(v)) {
        static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no",
                                                                                  "off" };
        for (size_t i = 0; i < 3; i++) {
            if (strcasecmp(s, yes[i]) == 0)
                return "true";
            if (strcasecmp(s, no[i]) == 0)
                return "false";
        }
        diag(l, v, "default of boolean column '%s' must be true or false", c->name);
        return NULL;
    }
    if (numeric_kind(c->type.kind)) {
        diag(l, v, "default of numeric column '%s' must be a number, not '%s'", c->name, s);
        return NULL;
    }
    ag_buf b = AG_BUF_INIT;
    ag_buf_quote_literal(&b, s);
    const char *r = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return r;
}

/* The key of schema.name in the loader's table map (NULL: the default schema). */
/* "schema\x1fname" in a: a key no two (schema, name) pairs share. Joined, not
 * formatted: one per table and per constraint of a load. */
static const char *schema_key(ag_arena *a, const char *schema, const char *name)
{
    size_t ns = schema ? strlen(schema) : 0, nn = strlen(name);
    char *k = ag_arena_alloc(a, ns + nn + 2);
    if (ns)
        memcpy(k, schema, ns);
    k[ns] = '\x1f';
    memcpy(k + ns + 1, name, nn + 1);
    return k;
}

static const char *table_key(loader *l, const char *schema, const char *name)
{
    return schema_key(&l->s->arena, schema, name);
}

/* The database's name when it is known and lacks cap (an ag_dialect_caps),
 * for the message that refuses what asks for it; else NULL. */
static const char *lacks(const loader *l, unsigned cap)
{
    return l->o->dialect && !(l->o->caps & cap) ? l->o->dialect : NULL;
}

/* The default schema (the `schema:` setting, else public) is written as none:
 * that is how introspection reports it. */
static const char *default_schema(const loader *l)
{
    if (lacks(l, AG_CAP_SCHEMAS))
        return "main";
    return l->o->default_schema ? l->o->default_schema : "public";
}

/* On a database without schemas only `main` (its one namespace) may be
 * named: SQLite's foreign keys cannot reach a table of an attached database,
 * and a transaction over several attached files is not atomic in WAL mode,
 * so a layer per attached file would break autogen's guarantees (README,
 * "Schemas on SQLite"). n is the node that names the schema. */
static void check_schemaless(
    loader *l, const yaml_node_t *n, const char *what, const char *name, const char *schema)
{
    const char *db = lacks(l, AG_CAP_SCHEMAS);
    if (!db || !schema || strcmp(schema, "main") == 0)
        return;
    diag(l, n, "%s '%s' has schema '%s', but %s has no schemas: remove '%s' or use PostgreSQL",
         what, name, schema, db,
         strcmp(what, "table") == 0 ? "schema:" : ag_arena_printf(&l->s->arena, "%s.", schema));
}

static const char *normal_schema(const loader *l, const char *schema)
{
    return schema && strcmp(schema, default_schema(l)) == 0 ? NULL : schema;
}

/* `deferrable: true` and `initially: deferred|immediate` of a foreign key or
 * a unique constraint (README, foreign keys): `initially: deferred` alone is
 * deferrable too, as in SQL; `initially: immediate` needs `deferrable: true`,
 * and `deferrable: false` takes no `initially`. */
static void deferrability(loader *l, const yaml_node_t *map, ag_fk_defer *out)
{
    bool ok = true;
    const yaml_node_t *dv = get(l, map, "deferrable"), *iv = get(l, map, "initially");
    bool deferrable = get_bool(l, map, "deferrable", false, &ok);
    if (!ok)
        return;
    *out = deferrable ? AG_FK_DEFERRABLE : AG_FK_NOT_DEFERRABLE;
    if (!iv)
        return;
    static const char *const words[] = { "deferred", "immediate" };
    const char *s = scalar(iv);
    bool deferred = s && strcasecmp(s, "deferred") == 0;
    if (!s || (!deferred && strcasecmp(s, "immediate") != 0)) {
        const char *best = s ? closest(s, words, AG_NELEM(words)) : NULL;
        if (best)
            diag(l, iv, "unknown 'initially' value '%s'; did you mean '%s'?", s, best);
        else
            diag(l, iv, "'initially' must be deferred or immediate, not '%s'", s ? s : "");
        return;
    }
    if (dv && !deferrable)
        diag(l, iv,
             "'initially: %s' with 'deferrable: false': a key that is not deferrable is "
             "checked at each statement; remove 'initially' or write 'deferrable: true'",
             s);
    else if (!deferred && !deferrable)
        diag(l, iv,
             "'initially: immediate' needs 'deferrable: true' (without it the key is not "
             "deferrable at all)");
    else
        *out = deferred ? AG_FK_DEFERRED : AG_FK_DEFERRABLE;
}

/* "users.id" (or "schema.users.id") into an FK of column c. */
static void column_reference(
    loader *l, ag_table *t, ag_column *c, const yaml_node_t *col, const yaml_node_t *ref)
{
    const char *s = scalar(ref);
    const char *dot = s ? strrchr(s, '.') : NULL;
    if (!dot || dot == s || !dot[1]) {
        diag(l, ref, "references must be table.column, as in 'users.id'");
        return;
    }
    ag_fk *f = ag_table_add_fk(l->s, t, NULL);
    f->ref_table = ag_arena_strndup(&l->s->arena, s, (size_t)(dot - s));
    ag_strs_push(l->s, &f->ref_columns, dot + 1);
    ag_strs_push(l->s, &f->columns, c->name);
    f->loc = loc_of(l, ref);
    deferrability(l, col, &f->defer);
    const yaml_node_t *od = get(l, col, "on_delete"), *ou = get(l, col, "on_update");
    static const char *const actions[] = { "cascade", "set null", "set default", "restrict",
                                           "no action" };
    const yaml_node_t *which[2] = { od, ou };
    ag_fk_action *slot[2] = { &f->on_delete, &f->on_update };
    for (int i = 0; i < 2; i++) {
        if (!which[i])
            continue;
        const char *v = scalar(which[i]);
        if (!v || !ag_fk_action_parse(v, slot[i])) {
            const char *best = v ? closest(v, actions, AG_NELEM(actions)) : NULL;
            if (best)
                diag(l, which[i], "unknown action '%s'; did you mean '%s'?", v, best);
            else
                diag(l, which[i],
                     "unknown action '%s'; use cascade, set null, set default, "
                     "restrict or no action",
                     v ? v : "");
        }
    }
}

/* `generated:` (the SQL expression the database computes the column from)
 * and `stored:` (computed on write and kept, else on read: SQLite's VIRTUAL;
 * PostgreSQL 15 stores every generated column). */
static void get_generated(loader *l, const yaml_node_t *col, ag_column *c, bool pk)
{
    const yaml_node_t *g = get(l, col, "generated"), *st = get(l, col, "stored");
    if (!g) {
        if (st)
            diag(l, st, "'stored' goes with 'generated'");
        return;
    }
    const char *s = scalar(g);
    size_t b = 0, e = s ? strlen(s) : 0;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    if (b == e) {
        diag(l, g, "'generated' must be the SQL expression the column is computed from");
        return;
    }
    c->generated = ag_arena_strndup(&l->s->arena, s + b, e - b);
    c->generated_stored = get_bool(l, col, "stored", false, NULL);
    const char *clash = pk                                                 ? "primary_key"
                        : get(l, col, "default")                           ? "default"
                        : get(l, col, "default_sql")                       ? "default_sql"
                        : get(l, col, "autoincrement") && c->autoincrement ? "autoincrement"
                                                                           : NULL;
    if (clash)
        diag(l, g, "column '%s' is generated: it cannot also have '%s'", c->name, clash);
}

static void load_column(loader *l,
                        ag_table *t,
                        const yaml_node_t *key,
                        const yaml_node_t *col,
                        ag_strs *col_pk,
                        bool *col_pk_loc_set,
                        ag_loc *col_pk_loc)
{
    ag_arena *a = &l->s->arena;
    const char *name = scalar(key) ? scalar(key) : ""; /* the caller skips keys not names */
    char what[300];
    const char *const what_parts[] = { "column '", name, "'" };
    join_what(what, sizeof(what), what_parts, AG_NELEM(what_parts));
    if (!check_keys(l, col, what, column_keys, AG_NELEM(column_keys)))
        return;
    ag_column *c = ag_table_add_column(l->s, t, name);
    c->loc = loc_of(l, key);
    check_identifier(l, key, "column name");
    const yaml_node_t *tv = get(l, col, "type");
    if (!tv) {
        diag(l, key, "column '%s' has no type; add one, as in 'type: string(100)'", name);
        return;
    }
    c->type_loc = loc_of(l, tv);
    const char *spec = scalar(tv), *why = NULL;
    if (!spec || !ag_type_parse_why(a, spec, &c->type, &why)) {
        const char *sug = spec && !why ? ag_type_suggest(a, spec) : NULL;
        if (why)
            diag(l, tv, "invalid type '%s': %s", spec, why);
        else if (sug)
            diag(l, tv, "unknown type '%s'; did you mean '%s'?", spec, sug);
        else
            diag(l, tv, "unknown type '%s'", spec ? spec : "");
        c->type.kind = AG_T_UNKNOWN;
    }
    bool pk = get_bool(l, col, "primary_key", false, NULL);
    c->nullable = get_bool(l, col, "nullable", !pk, NULL);
    if (pk && c->nullable) {
        diag(l, get(l, col, "nullable"), "primary-key column '%s' cannot be nullable", name);
        c->nullable = false;
    }
    get_autoincrement(l, col, c);
    c->comment = get_str(l, col, "comment");
    c->collation = get_str(l, col, "collation");
    if (c->collation && !c->collation[0]) {
        diag(l, get(l, col, "collation"),
             "'collation' names a collation, as \"C\", en_US or NOCASE; leave it out for the "
             "default");
        c->collation = NULL;
    }
    c->renamed_from = get_str(l, col, "renamed_from");
    if (pk) {
        ag_strs_push(l->s, col_pk, name);
        if (!*col_pk_loc_set) {
            *col_pk_loc = c->loc;
            *col_pk_loc_set = true;
        }
    }
    if (c->autoincrement && c->type.kind != AG_T_UNKNOWN && !ag_type_is_integer(&c->type))
        diag(l, get(l, col, "autoincrement"), "autoincrement needs an integer column; '%s' is %s",
             name, ag_type_format(a, &c->type));
    /* Enums: enum(name) is resolved later; `enum` with values is declared here. */
    const yaml_node_t *vals = get(l, col, "values");
    if (c->type.kind == AG_T_ENUM && !c->type.name) {
        if (!vals) {
            diag(l, tv, "column '%s': write enum(name) for a declared enum, or give 'values'",
                 name);
        } else {
            ag_enum *e =
                ag_schema_add_enum(l->s, generated(l, ag_arena_printf(a, "%s_%s", t->name, name)));
            e->loc = loc_of(l, vals);
            e->schema = t->schema;
            if (name_list(l, vals, "values", &e->values))
                c->type.name = e->name;
            if (vals->type != YAML_SEQUENCE_NODE)
                check_identifier(l, vals, "enum value");
            else
                for (yaml_node_item_t *it = vals->data.sequence.items.start;
                     it < vals->data.sequence.items.top; it++)
                    check_identifier(l, node(l, *it), "enum value");
        }
    } else if (vals) {
        diag(l, vals, "'values' goes with 'type: enum'");
    }
    const yaml_node_t *dv = get(l, col, "default"), *ds = get(l, col, "default_sql");
    if (dv && ds)
        diag(l, ds, "column '%s' has both 'default' and 'default_sql'; keep one", name);
    else if (dv && c->type.kind != AG_T_UNKNOWN)
        c->default_sql = default_literal(l, dv, c);
    else if (ds) {
        const char *s = scalar(ds);
        if (!s || !*s)
            diag(l, ds, "'default_sql' must be an SQL expression");
        else {
            size_t st = 0, en = strlen(s);
            while (st < en && isspace((unsigned char)s[st]))
                st++;
            while (en > st && isspace((unsigned char)s[en - 1]))
                en--;
            c->default_sql = ag_arena_strndup(a, s + st, en - st);
        }
    }
    if (get_bool(l, col, "unique", false, NULL)) {
        ag_unique *u = ag_table_add_unique(l->s, t, NULL);
        ag_strs_push(l->s, &u->columns, name);
        u->loc = c->loc;
    }
    if (get_bool(l, col, "index", false, NULL)) {
        ag_index *x = ag_table_add_index(l->s, t, NULL);
        ag_strs_push(l->s, &x->columns, name);
        x->loc = c->loc;
    }
    get_generated(l, col, c, pk);
    const yaml_node_t *ref = get(l, col, "references");
    if (ref)
        column_reference(l, t, c, col, ref);
    else if (get(l, col, "on_delete") || get(l, col, "on_update"))
        diag(l, get(l, col, "on_delete") ? get(l, col, "on_delete") : get(l, col, "on_update"),
             "on_delete/on_update go with 'references'");
    else if (get(l, col, "deferrable") || get(l, col, "initially"))
        diag(l, get(l, col, "deferrable") ? get(l, col, "deferrable") : get(l, col, "initially"),
             "deferrable/initially go with 'references'");
}

/* --- table-level lists --------------------------------------------------------------- */

static const char *const index_keys[] = { "name",  "columns", "expression", "unique",
                                          "where", "using",   "include" };
static const char *const unique_keys[] = { "name", "columns", "deferrable", "initially" };
static const char *const check_keys_[] = { "name", "expression" };
static const char *const fk_keys[] = { "name",      "columns",    "references", "on_delete",
                                       "on_update", "deferrable", "initially" };

/* `primary_key: { name: orders_pkey, columns: [id] }`: a key whose name is
 * not the naming convention's (a database made elsewhere names it so). */
static void load_named_pk(loader *l, ag_table *t, const yaml_node_t *v)
{
    static const char *const keys[] = { "name", "columns" };
    if (!check_keys(l, v, "a primary key", keys, AG_NELEM(keys)))
        return;
    t->pk.name = get_name(l, v, "name", "primary key name");
    t->pk.loc = loc_of(l, v);
    const yaml_node_t *cols = get(l, v, "columns");
    if (!cols)
        diag(l, v, "a primary key needs 'columns'");
    else
        name_list(l, cols, "columns", &t->pk.columns);
}

static bool each_item(loader *l, const yaml_node_t *list, const char *key)
{
    if (list->type != YAML_SEQUENCE_NODE) {
        diag(l, list, "'%s' must be a list", key);
        return false;
    }
    return true;
}

/* `using:`, the access method, in lower case; the default (btree) is NULL,
 * as introspection reports it. */
static const char *index_method(loader *l, const yaml_node_t *x)
{
    const char *m = get_str(l, x, "using");
    if (!m)
        return NULL;
    char *low = ag_arena_strdup(&l->s->arena, m);
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!low[0] || strspn(low, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(low)) {
        diag(l, get(l, x, "using"), "'using' names an index access method, as btree, gin or gist");
        return NULL;
    }
    return strcmp(low, "btree") == 0 ? NULL : low;
}

/* A database with one kind of index and no INCLUDE columns (SQLite) refuses
 * both at the key that asks for them, rather than building a plain index. */
static void
check_plain_index(loader *l, const yaml_node_t *x, const char *table, const ag_index *ix)
{
    const char *db = lacks(l, AG_CAP_INDEX_METHODS);
    if (!db)
        return;
    const char *key = ix->method ? "using" : ix->include.n ? "include" : NULL;
    if (!key)
        return;
    diag(l, get(l, x, key), "index%s%s on '%s': %s has %s; remove '%s:' or use PostgreSQL",
         ix->name ? " " : "", ix->name ? ag_arena_printf(&l->s->arena, "'%s'", ix->name) : "",
         table, db, ix->method ? "no index access methods" : "no INCLUDE columns", key);
}

static void load_indexes(loader *l, ag_table *t, const yaml_node_t *list)
{
    if (!each_item(l, list, "indexes"))
        return;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        const yaml_node_t *x = node(l, *it);
        if (!check_keys(l, x, "an index", index_keys, AG_NELEM(index_keys)))
            continue;
        ag_index *ix = ag_table_add_index(l->s, t, get_name(l, x, "name", "index name"));
        ix->loc = loc_of(l, x);
        ix->unique = get_bool(l, x, "unique", false, NULL);
        ix->where = get_str(l, x, "where");
        ix->expression = get_str(l, x, "expression");
        ix->method = index_method(l, x);
        const yaml_node_t *inc = get(l, x, "include");
        if (inc)
            name_list(l, inc, "include", &ix->include);
        check_plain_index(l, x, t->name, ix);
        const yaml_node_t *cols = get(l, x, "columns");
        if (cols)
            name_list(l, cols, "columns", &ix->columns);
        if (cols && ix->expression)
            diag(l, x, "an index has 'columns' or 'expression', not both");
        else if (!cols && !ix->expression)
            diag(l, x, "an index needs 'columns' or 'expression'");
        else if (ix->expression && !ix->name)
            diag(l, x, "an expression index needs a 'name'");
    }
}

static void load_uniques(loader *l, ag_table *t, const yaml_node_t *list)
{
    if (!each_item(l, list, "unique"))
        return;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        const yaml_node_t *x = node(l, *it);
        if (!check_keys(l, x, "a unique constraint", unique_keys, AG_NELEM(unique_keys)))
            continue;
        ag_unique *u =
            ag_table_add_unique(l->s, t, get_name(l, x, "name", "unique constraint name"));
        u->loc = loc_of(l, x);
        const yaml_node_t *cols = get(l, x, "columns");
        if (!cols)
            diag(l, x, "a unique constraint needs 'columns'");
        else
            name_list(l, cols, "columns", &u->columns);
        deferrability(l, x, &u->defer);
        /* SQLite's UNIQUE takes no DEFERRABLE: refused, not built as immediate. */
        const char *db = lacks(l, AG_CAP_DEFERRABLE_UNIQUE);
        if (u->defer != AG_FK_NOT_DEFERRABLE && db)
            diag(l, get(l, x, "deferrable") ? get(l, x, "deferrable") : get(l, x, "initially"),
                 "%s's unique constraints are checked at each statement, never deferred; remove "
                 "'deferrable'/'initially' or use PostgreSQL",
                 db);
    }
}

static void load_checks(loader *l, ag_table *t, const yaml_node_t *list)
{
    if (!each_item(l, list, "checks"))
        return;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        const yaml_node_t *x = node(l, *it);
        if (!check_keys(l, x, "a check", check_keys_, AG_NELEM(check_keys_)))
            continue;
        const char *name = get_name(l, x, "name", "check name"),
                   *expr = get_str(l, x, "expression");
        if (!name)
            diag(l, x, "a check needs a 'name'");
        if (!expr)
            diag(l, x, "a check needs an 'expression'");
        if (!name || !expr)
            continue;
        ag_check *c = ag_table_add_check(l->s, t, name);
        c->expression = expr;
        c->loc = loc_of(l, x);
    }
}

/* "users(id)" or "users(a, b)". */
static bool parse_fk_target(loader *l, const yaml_node_t *v, ag_fk *f)
{
    const char *s = scalar(v);
    const char *open = s ? strchr(s, '(') : NULL;
    size_t n = s ? strlen(s) : 0;
    if (!open || open == s || s[n - 1] != ')') {
        diag(l, v, "references must be table(column, ...), as in 'users(id)'");
        return false;
    }
    ag_arena *a = &l->s->arena;
    const char *e = open;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    f->ref_table = ag_arena_strndup(a, s, (size_t)(e - s));
    const char *p = open + 1;
    while (p < s + n - 1) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        const char *q = p;
        while (q < s + n - 1 && *q != ',')
            q++;
        const char *r = q;
        while (r > p && isspace((unsigned char)r[-1]))
            r--;
        if (r > p)
            ag_strs_push_arena(a, &f->ref_columns, ag_arena_strndup(a, p, (size_t)(r - p)));
        p = q;
    }
    if (!f->ref_columns.n) {
        diag(l, v, "references must name the referenced column(s), as in 'users(id)'");
        return false;
    }
    return true;
}

static void load_fks(loader *l, ag_table *t, const yaml_node_t *list)
{
    if (!each_item(l, list, "foreign_keys"))
        return;
    static const char *const actions[] = { "cascade", "set null", "set default", "restrict",
                                           "no action" };
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        const yaml_node_t *x = node(l, *it);
        if (!check_keys(l, x, "a foreign key", fk_keys, AG_NELEM(fk_keys)))
            continue;
        ag_fk *f = ag_table_add_fk(l->s, t, get_name(l, x, "name", "foreign key name"));
        f->loc = loc_of(l, x);
        const yaml_node_t *cols = get(l, x, "columns"), *ref = get(l, x, "references");
        if (!cols || !ref) {
            diag(l, x, "a foreign key needs 'columns' and 'references'");
            continue;
        }
        if (!name_list(l, cols, "columns", &f->columns) || !parse_fk_target(l, ref, f))
            continue;
        f->loc = loc_of(l, ref);
        if (f->columns.n != f->ref_columns.n)
            diag(l, ref, "foreign key has %zu column(s) but references %zu", f->columns.n,
                 f->ref_columns.n);
        deferrability(l, x, &f->defer);
        const char *keys[2] = { "on_delete", "on_update" };
        ag_fk_action *slot[2] = { &f->on_delete, &f->on_update };
        for (int i = 0; i < 2; i++) {
            const yaml_node_t *v = get(l, x, keys[i]);
            const char *s = v ? scalar(v) : NULL;
            if (v && (!s || !ag_fk_action_parse(s, slot[i]))) {
                const char *best = s ? closest(s, actions, AG_NELEM(actions)) : NULL;
                if (best)
                    diag(l, v, "unknown action '%s'; did you mean '%s'?", s, best);
                else
                    diag(l, v, "unknown action '%s'", s ? s : "");
            }
        }
    }
}

/* --- tables ---------------------------------------------------------------------------- */

/* `options:`, what CREATE TABLE says after its closing parenthesis. SQLite
 * has two, checked here (README, model files); PostgreSQL's server checks its
 * own (PARTITION BY, WITH (…)) when the migration runs. */
static const char *table_options(loader *l, const yaml_node_t *v)
{
    if (!v)
        return NULL;
    const char *s = scalar(v);
    size_t b = 0, e = s ? strlen(s) : 0;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    if (b == e) {
        diag(l, v,
             "'options' is the SQL after CREATE TABLE's closing parenthesis, as STRICT or "
             "\"PARTITION BY RANGE (day)\"");
        return NULL;
    }
    const char *opts = ag_arena_strndup(&l->s->arena, s + b, e - b);
    const char *db = lacks(l, AG_CAP_TABLE_OPTIONS);
    if (db) { /* SQLite's two */
        /* Upper case, blanks collapsed, none around commas. */
        char *w = ag_arena_strdup(&l->s->arena, opts), *o = w;
        for (const char *q = opts; *q; q++) {
            if (isspace((unsigned char)*q)) {
                if (o > w && o[-1] != ' ' && o[-1] != ',' && q[1] && q[1] != ',' &&
                    !isspace((unsigned char)q[1]))
                    *o++ = ' ';
            } else {
                if (*q == ',' && o > w && o[-1] == ' ')
                    o--;
                *o++ = (char)toupper((unsigned char)*q);
            }
        }
        *o = '\0';
        static const char *const ok[] = { "STRICT", "WITHOUT ROWID", "STRICT,WITHOUT ROWID",
                                          "WITHOUT ROWID,STRICT" };
        bool known = false;
        for (size_t k = 0; k < AG_NELEM(ok) && !known; k++)
            known = strcmp(w, ok[k]) == 0;
        if (!known) {
            diag(l, v,
                 "%s's table options are STRICT and WITHOUT ROWID (or both, a comma between), "
                 "not '%s'",
                 db, opts);
            return NULL;
        }
    }
    return opts;
}

static const char *const table_keys[] = { "comment",     "schema", "renamed_from", "columns",
                                          "indexes",     "unique", "checks",       "foreign_keys",
                                          "primary_key", "options" };

static void
check_columns_exist(loader *l, const ag_table *t, const ag_strs *cols, ag_loc at, const char *what)
{
    for (size_t i = 0; i < cols->n; i++)
        if (!ag_table_find_column(t, cols->v[i])) {
            const char **names = ag_xmalloc((t->ncolumns + 1) * sizeof(char *));
            for (size_t k = 0; k < t->ncolumns; k++)
                names[k] = t->columns[k]->name;
            const char *best = closest(cols->v[i], names, t->ncolumns);
            free(names);
            if (best)
                diag_loc(l, at, "%s names unknown column '%s' of table '%s'; did you mean '%s'?",
                         what, cols->v[i], t->name, best);
            else
                diag_loc(l, at, "%s names unknown column '%s' of table '%s'", what, cols->v[i],
                         t->name);
        }
}

static void load_table(loader *l, const yaml_node_t *key, const yaml_node_t *body)
{
    const char *name = scalar(key);
    char what[300];
    const char *const what_parts[] = { "table '", name, "'" };
    join_what(what, sizeof(what), what_parts, AG_NELEM(what_parts));
    if (!check_keys(l, body, what, table_keys, AG_NELEM(table_keys)))
        return;
    ag_table *t = ag_schema_add_table(l->s, name);
    t->loc = loc_of(l, key);
    t->comment = get_str(l, body, "comment");
    t->renamed_from = get_str(l, body, "renamed_from");
    t->options = table_options(l, get(l, body, "options"));
    check_identifier(l, key, "table name");
    t->schema = get_name(l, body, "schema", "schema name");
    check_schemaless(l, get(l, body, "schema"), "table", name, t->schema);
    t->schema = normal_schema(l, t->schema);
    const yaml_node_t *cols = get(l, body, "columns");
    ag_strs col_pk = { 0 };
    bool pk_loc_set = false;
    ag_loc pk_loc = { 0 };
    if (!cols || cols->type != YAML_MAPPING_NODE ||
        cols->data.mapping.pairs.start == cols->data.mapping.pairs.top) {
        diag(l, cols ? cols : key, "table '%s' needs 'columns': a mapping of column names", name);
    } else if (check_keys(l, cols, "columns", NULL, 0)) {
        for (yaml_node_pair_t *p = cols->data.mapping.pairs.start; p < cols->data.mapping.pairs.top;
             p++) {
            const yaml_node_t *k = node(l, p->key);
            if (!scalar(k) || ag_table_find_column(t, scalar(k)))
                continue; /* reported by check_keys */
            load_column(l, t, k, node(l, p->value), &col_pk, &pk_loc_set, &pk_loc);
        }
    }
    const yaml_node_t *v;
    if ((v = get(l, body, "indexes")))
        load_indexes(l, t, v);
    if ((v = get(l, body, "unique")))
        load_uniques(l, t, v);
    if ((v = get(l, body, "checks")))
        load_checks(l, t, v);
    if ((v = get(l, body, "foreign_keys")))
        load_fks(l, t, v);
    if ((v = get(l, body, "primary_key"))) {
        if (col_pk.n)
            diag(l, v,
                 "table '%s' declares its primary key twice: on columns and in 'primary_key'; "
                 "keep one",
                 name);
        else if (v->type == YAML_MAPPING_NODE)
            load_named_pk(l, t, v);
        else if (name_list(l, v, "primary_key", &t->pk.columns))
            t->pk.loc = loc_of(l, v);
    } else {
        t->pk.columns = col_pk;
        t->pk.loc = pk_loc;
    }

    /* Within the table: every named column exists; names from the convention. */
    ag_arena *a = &l->s->arena;
    const ag_naming *nm = &l->naming;
    check_columns_exist(l, t, &t->pk.columns, t->pk.loc, "the primary key");
    for (size_t i = 0; i < t->pk.columns.n; i++) {
        ag_column *c = ag_table_find_column(t, t->pk.columns.v[i]);
        if (c)
            c->nullable = false;
    }
    if (t->pk.columns.n && !t->pk.name)
        t->pk.name = generated(l, ag_naming_expand(a, nm->pk, t->name, &t->pk.columns, NULL, NULL));
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i]->autoincrement && !ag_strs_contains(&t->pk.columns, t->columns[i]->name))
            diag_loc(l, t->columns[i]->loc,
                     "autoincrement column '%s' must be the table's primary key",
                     t->columns[i]->name);
    for (size_t i = 0; i < t->nindexes; i++) {
        ag_index *x = t->indexes[i];
        check_columns_exist(l, t, &x->columns, x->loc, "an index");
        check_columns_exist(l, t, &x->include, x->loc, "an index's include");
        if (!x->name)
            x->name = generated(l, ag_naming_expand(a, nm->ix, t->name, &x->columns, NULL, NULL));
    }
    for (size_t i = 0; i < t->nuniques; i++) {
        ag_unique *u = t->uniques[i];
        check_columns_exist(l, t, &u->columns, u->loc, "a unique constraint");
        if (!u->name)
            u->name = generated(l, ag_naming_expand(a, nm->uq, t->name, &u->columns, NULL, NULL));
    }
    for (size_t i = 0; i < t->nfks; i++) {
        ag_fk *f = t->fks[i];
        check_columns_exist(l, t, &f->columns, f->loc, "a foreign key");
        if (!f->name && f->ref_table) {
            /* {referred_table} is the table's name, without a schema written before it. */
            const char *dot = strchr(f->ref_table, '.');
            const char *referred = dot && dot[1] ? dot + 1 : f->ref_table;
            f->name =
                generated(l, ag_naming_expand(a, nm->fk, t->name, &f->columns, referred, NULL));
        }
    }
}

static void load_enums(loader *l, const yaml_node_t *map)
{
    if (!check_keys(l, map, "enums", NULL, 0))
        return;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
        const char *name = scalar(k);
        if (!name)
            continue;
        /* `schema.name`: an enum of another schema (PostgreSQL), as ag_create_enum()
         * names one; columns still say enum(name): enum names are unique. */
        const char *schema = NULL, *dot = strchr(name, '.');
        if (dot && dot > name && dot[1] && !strchr(dot + 1, '.')) {
            schema = ag_arena_strndup(&l->s->arena, name, (size_t)(dot - name));
            name = dot + 1;
        }
        ag_enum *prev = ag_schema_find_enum(l->s, name);
        if (prev) {
            diag(l, k, "duplicate enum '%s' (first declared at %s:%u:%u)", name, prev->loc.file,
                 prev->loc.line, prev->loc.col);
            continue;
        }
        ag_enum *e = ag_schema_add_enum(l->s, name);
        e->loc = loc_of(l, k);
        check_identifier(l, k, "enum name");
        check_schemaless(l, k, "enum", name, schema);
        e->schema = normal_schema(l, schema);
        if (v->type != YAML_SEQUENCE_NODE ||
            v->data.sequence.items.start == v->data.sequence.items.top) {
            diag(l, v, "enum '%s' must be a non-empty list of values", name);
            continue;
        }
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             it++) {
            const yaml_node_t *x = node(l, *it);
            const char *val = scalar(x);
            if (!val) {
                diag(l, x, "enum '%s': values must be strings", name);
                continue;
            }
            check_identifier(l, x, "enum value");
            if (ag_strs_contains(&e->values, val))
                diag(l, x, "enum '%s': duplicate value '%s'", name, val);
            else
                ag_strs_push(l->s, &e->values, val);
        }
    }
}

/* --- files ---------------------------------------------------------------------------- */

/* The balance of parentheses in s: '(' counts 1, ')' counts -1. */
static int paren_balance(const char *s, size_t n)
{
    int b = 0;
    for (size_t i = 0; i < n; i++)
        b += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
    return b;
}

static bool plain_with_parens(const yaml_node_t *n)
{
    return plain(n) && memchr(n->data.scalar.value, '(', n->data.scalar.length);
}

/* Inside { }, an unquoted comma ends a value: `{ type: decimal(12,2) }` reads
 * as type 'decimal(12' and a key '2)' without a value. Find such splits (a
 * plain value with unclosed parentheses, followed by value-less keys that
 * close them), report each once with the fix (quote it), and join the pieces
 * back so that the rest of the load sees the value as meant. */
static void mend_split_values(loader *l, const ag_ytree *doc, const char *text, ag_arena *a)
{
    if (!doc->nodes) /* an empty document */
        return;
    for (yaml_node_t *m = doc->nodes; m < doc->nodes + doc->n; m++) {
        if (m->type != YAML_MAPPING_NODE || m->data.mapping.style != YAML_FLOW_MAPPING_STYLE)
            continue;
        yaml_node_pair_t *pairs = m->data.mapping.pairs.start;
        size_t n = (size_t)(m->data.mapping.pairs.top - pairs);
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *k = node(l, pairs[i].key), *v = node(l, pairs[i].value);
            if (!scalar(k) || !plain_with_parens(v))
                continue;
            int open = paren_balance((const char *)v->data.scalar.value, v->data.scalar.length);
            size_t j = i + 1;
            for (; open > 0 && j < n; j++) {
                const yaml_node_t *kj = node(l, pairs[j].key), *vj = node(l, pairs[j].value);
                if (!plain(kj) || !plain(vj) || vj->data.scalar.length)
                    break;
                open += paren_balance((const char *)kj->data.scalar.value, kj->data.scalar.length);
            }
            if (open != 0 || j == i + 1)
                continue;
            const yaml_node_t *last = node(l, pairs[j - 1].key);
            size_t from = v->start_mark.index, to = last->end_mark.index;
            char *whole = ag_arena_strndup(a, text + from, to - from);
            diag(l, v,
                 "unquoted comma in '%s: %s': inside { } a comma ends the value; quote it, as in "
                 "%s: \"%s\"",
                 scalar(k), whole, scalar(k), whole);
            v->data.scalar.value = (yaml_char_t *)whole;
            v->data.scalar.length = to - from;
            memmove(pairs + i + 1, pairs + j, (n - j) * sizeof(*pairs));
            n -= j - i - 1;
            m->data.mapping.pairs.top = pairs + n;
        }
    }
}

/* Walk the tree of one file into the schema. */
static void load_tree(loader *l, const ag_ytree *doc, const char *text)
{
    l->doc = doc;
    mend_split_values(l, doc, text, &l->s->arena);
    const yaml_node_t *root = node(l, 1);
    static const char *const top_keys[] = { "tables", "enums" };
    if (root && !(root->type == YAML_SCALAR_NODE && !*scalar(root)) &&
        check_keys(l, root, "a model file", top_keys, AG_NELEM(top_keys))) {
        const yaml_node_t *enums = get(l, root, "enums"), *tables = get(l, root, "tables");
        if (enums)
            load_enums(l, enums);
        if (tables && check_keys(l, tables, "tables", NULL, 0)) {
            for (yaml_node_pair_t *q = tables->data.mapping.pairs.start;
                 q < tables->data.mapping.pairs.top; q++) {
                const yaml_node_t *k = node(l, q->key);
                const char *name = scalar(k);
                if (!name)
                    continue;
                size_t before = l->s->ntables;
                load_table(l, k, node(l, q->value));
                if (l->s->ntables == before)
                    continue;
                /* One table per name and schema: the same name may live in several. */
                ag_table *t = l->s->tables[l->s->ntables - 1];
                const char *key = table_key(l, t->schema, t->name);
                const ag_table *prev = ag_strmap_get(&l->tables, key);
                if (prev) {
                    /* In one file the mapping already reported the duplicate key. */
                    if (prev->loc.file != l->file)
                        diag(l, k, "duplicate table '%s' (first declared at %s:%u:%u)", name,
                             prev->loc.file, prev->loc.line, prev->loc.col);
                    l->s->ntables--;
                    continue;
                }
                ag_strmap_put(&l->tables, key, t);
            }
        }
    }
    l->doc = NULL;
}

static const char *schema_shown(const loader *l, const char *schema)
{
    return schema ? schema : default_schema(l);
}

/* Whether a model table lives in schema (not the default one). */
static bool models_use_schema(const loader *l, const char *schema)
{
    for (size_t i = 0; schema && i < l->s->ntables; i++)
        if (ag_str_eq(l->s->tables[i]->schema, schema))
            return true;
    return false;
}

/* The table f of table t references: "schema.table" names it exactly;
 * "table" means the one in t's schema, else the one in the default schema, else
 * the only one of that name. False when the reference is wrong (reported);
 * true with *out NULL when no table has that name. A qualified reference into
 * a schema no model table lives in names a table autogenerate does not manage
 * (README, "What autogenerate sees"): taken as written, *external set. */
static bool
reference_target(loader *l, const ag_table *t, ag_fk *f, const ag_table **out, bool *external)
{
    const char *name = f->ref_table, *dot = strchr(name, '.');
    *out = NULL;
    *external = false;
    if (dot && dot[1] && dot > name) {
        const char *schema =
            normal_schema(l, ag_arena_strndup(&l->s->arena, name, (size_t)(dot - name)));
        *out = ag_strmap_get(&l->tables, table_key(l, schema, dot + 1));
        if (!*out && schema && !models_use_schema(l, schema)) {
            f->ref_schema = schema;
            f->ref_table = dot + 1;
            *external = true;
            return true;
        }
        if (!*out) {
            const ag_table *elsewhere = ag_schema_find_table(l->s, dot + 1);
            if (elsewhere) {
                diag_loc(l, f->loc, "foreign key references '%s', but table '%s' is in schema '%s'",
                         name, elsewhere->name, schema_shown(l, elsewhere->schema));
                return false;
            }
            return true;
        }
        f->ref_table = (*out)->name;
        return true;
    }
    *out = ag_strmap_get(&l->tables, table_key(l, t->schema, name));
    if (!*out)
        *out = ag_strmap_get(&l->tables, table_key(l, NULL, name));
    for (size_t i = 0; !*out && i < l->s->ntables; i++) {
        const ag_table *c = l->s->tables[i];
        if (strcmp(c->name, name) != 0)
            continue;
        for (size_t j = i + 1; j < l->s->ntables; j++)
            if (strcmp(l->s->tables[j]->name, name) == 0) {
                diag_loc(l, f->loc,
                         "foreign key references '%s', which is in schemas '%s' and '%s'; write "
                         "'%s.%s' or '%s.%s'",
                         name, schema_shown(l, c->schema), schema_shown(l, l->s->tables[j]->schema),
                         schema_shown(l, c->schema), name, schema_shown(l, l->s->tables[j]->schema),
                         name);
                return false;
            }
        *out = c;
    }
    return true;
}

/* The same columns, in any order. */
static bool same_columns(const ag_strs *a, const ag_strs *b)
{
    if (a->n != b->n || a->n == 0)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!ag_strs_contains(b, a->v[i]))
            return false;
    return true;
}

/* A foreign key must reference columns the database knows to be unique: the
 * primary key, a unique constraint, or a unique index on exactly those
 * columns without WHERE. */
static void check_fk_target(loader *l, const ag_fk *f, const ag_table *rt)
{
    const ag_strs *cols = &f->ref_columns;
    if (same_columns(&rt->pk.columns, cols))
        return;
    for (size_t i = 0; i < rt->nuniques; i++)
        if (same_columns(&rt->uniques[i]->columns, cols))
            return;
    const char *partial = NULL;
    for (size_t i = 0; i < rt->nindexes; i++) {
        const ag_index *x = rt->indexes[i];
        if (!x->unique || !same_columns(&x->columns, cols))
            continue;
        if (!x->where)
            return;
        partial = partial ? partial : x->name;
    }
    ag_arena *a = &l->s->arena;
    const char *why =
        partial ? ag_arena_printf(a, " (the unique index '%s' has a WHERE, so it does not count)",
                                  partial)
                : "";
    if (cols->n == 1)
        diag_loc(l, f->loc,
                 "foreign key references '%s.%s', which is neither a primary key nor unique%s; add "
                 "'unique: true' to column '%s' of table '%s'",
                 rt->name, cols->v[0], why, cols->v[0], rt->name);
    else
        diag_loc(l, f->loc,
                 "foreign key references '%s(%s)', which are neither the primary key nor unique "
                 "together%s; add a unique constraint on [%s] to table '%s'",
                 rt->name, ag_strs_join(a, cols, ", "), why, ag_strs_join(a, cols, ", "), rt->name);
}

/* Types a foreign key may join: the same family (integers; char, string and
 * text; real and double; dates and timestamps), an enum only with itself.
 * 0: not judged (unknown, or sql(...) verbatim). */
static int type_family(ag_type_kind k)
{
    switch (k) {
    case AG_T_UNKNOWN:
    case AG_T_SQL:
        return 0;
    case AG_T_SMALLINT:
    case AG_T_INTEGER:
    case AG_T_BIGINT:
        return AG_T_INTEGER;
    case AG_T_CHAR:
    case AG_T_STRING:
    case AG_T_TEXT:
        return AG_T_TEXT;
    case AG_T_REAL:
    case AG_T_DOUBLE:
        return AG_T_DOUBLE;
    case AG_T_DATE:
    case AG_T_TIMESTAMP:
    case AG_T_TIMESTAMPTZ:
        return AG_T_TIMESTAMP;
    default:
        return (int)k;
    }
}

static bool fk_types_compatible(const ag_type *a, const ag_type *b)
{
    int fa = type_family(a->kind), fb = type_family(b->kind);
    if (!fa || !fb)
        return true;
    if (a->kind == AG_T_ENUM && b->kind == AG_T_ENUM)
        return !a->name || !b->name || strcmp(a->name, b->name) == 0;
    return fa == fb;
}

static void check_fk_types(loader *l, const ag_table *t, const ag_fk *f, const ag_table *rt)
{
    for (size_t i = 0; i < f->columns.n && i < f->ref_columns.n; i++) {
        const ag_column *c = ag_table_find_column(t, f->columns.v[i]);
        const ag_column *r = ag_table_find_column(rt, f->ref_columns.v[i]);
        if (!c || !r || fk_types_compatible(&c->type, &r->type))
            continue;
        ag_arena *a = &l->s->arena;
        const char *want = ag_type_format(a, &r->type);
        diag_loc(l, f->loc, "foreign key column '%s' is %s but '%s.%s' is %s; declare '%s' as %s",
                 c->name, ag_type_format(a, &c->type), rt->name, r->name, want, c->name, want);
    }
}

/* What spans files: enum references, enum defaults, foreign-key targets. */
static void resolve(loader *l)
{
    ag_arena *a = &l->s->arena;
    const char **tnames = ag_xmalloc((l->s->ntables + 1) * sizeof(char *));
    for (size_t i = 0; i < l->s->ntables; i++)
        tnames[i] = l->s->tables[i]->name;
    for (size_t i = 0; i < l->s->ntables; i++) {
        ag_table *t = l->s->tables[i];
        for (size_t k = 0; k < t->ncolumns; k++) {
            ag_column *c = t->columns[k];
            if (c->type.kind != AG_T_ENUM || !c->type.name)
                continue;
            const ag_enum *e = ag_schema_find_enum(l->s, c->type.name);
            if (!e) {
                diag_loc(l, c->type_loc, "unknown enum '%s'; declare it under 'enums:'",
                         c->type.name);
                continue;
            }
            ag_strs_clone(a, &c->enum_values, &e->values);
            c->type.schema = e->schema;
            if (c->default_sql) {
                bool found = false;
                for (size_t v = 0; v < e->values.n && !found; v++) {
                    ag_buf b = AG_BUF_INIT;
                    ag_buf_quote_literal(&b, e->values.v[v]);
                    found = strcmp(b.ptr, c->default_sql) == 0;
                    ag_buf_dispose(&b);
                }
                if (!found)
                    diag_loc(l, c->loc, "default %s of column '%s' is not a value of enum '%s'",
                             c->default_sql, c->name, e->name);
            }
        }
        for (size_t k = 0; k < t->nfks; k++) {
            ag_fk *f = t->fks[k];
            if (!f->ref_table)
                continue;
            const ag_table *rt = NULL;
            bool external = false;
            if (!reference_target(l, t, f, &rt, &external) || external)
                continue;
            if (rt)
                f->ref_schema = rt->schema;
            if (!rt) {
                const char *best = closest(f->ref_table, tnames, l->s->ntables);
                const char *col = f->columns.n ? f->columns.v[0] : "?";
                if (best)
                    diag_loc(l, f->loc,
                             "column '%s' references unknown table '%s'; did you mean '%s'?", col,
                             f->ref_table, best);
                else
                    diag_loc(l, f->loc, "column '%s' references unknown table '%s'", col,
                             f->ref_table);
                continue;
            }
            bool known = true;
            for (size_t r = 0; r < f->ref_columns.n; r++)
                if (!ag_table_find_column(rt, f->ref_columns.v[r])) {
                    diag_loc(l, f->loc, "foreign key references unknown column '%s.%s'", rt->name,
                             f->ref_columns.v[r]);
                    known = false;
                }
            if (known) {
                check_fk_target(l, f, rt);
                check_fk_types(l, t, f, rt);
            }
        }
    }
    free(tnames);
}

/* --- what the database must be able to apply ------------------------------------------ */

/* A name the database keeps: tables, indexes, primary keys and unique
 * constraints share one namespace per schema (PostgreSQL makes an index, of
 * the constraint's name, for every primary key and unique constraint, and
 * indexes are relations like tables; SQLite keeps table and index names in one
 * namespace per database). The constraints of a table share another. */
typedef struct named {
    const char *kind; /* "index" */
    const char *as;   /* "an index" */
    const char *name;
    const ag_table *t;
    ag_loc loc;
    bool relation, constraint;
} named;

static void name_taken(loader *l, const named *x, const named *first, bool relation)
{
    const char *whose =
        strcmp(first->kind, "table") == 0
            ? ag_arena_printf(&l->s->arena, "table '%s'", first->t->name)
            : ag_arena_printf(&l->s->arena, "%s of table '%s'", first->as, first->t->name);
    diag_loc(l, x->loc, "%s name '%s'%s is already taken by %s (%s:%u:%u); %s: rename one", x->kind,
             x->name, is_generated(l, x->name) ? " (from naming_convention)" : "", whose,
             first->loc.file, first->loc.line, first->loc.col,
             relation ? "tables, indexes, primary keys and unique constraints share one "
                        "namespace per schema"
                      : "constraints of a table share one namespace");
}

static void add_named(ag_arena *a,
                      named **v,
                      size_t *n,
                      size_t *cap,
                      const ag_table *t,
                      const char *kind,
                      const char *as,
                      const char *name,
                      ag_loc loc,
                      bool relation,
                      bool constraint)
{
    if (!name)
        return;
    named x = { kind, as, name, t, loc, relation, constraint };
    *v = ag_arena_grow(a, *v, sizeof(named), cap, *n + 1);
    (*v)[(*n)++] = x;
}

static bool loc_before(ag_loc a, ag_loc b)
{
    return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* Every name the database keeps is taken once: the second of two is an error
 * that says where the first is. Tables in model order, and within a table its
 * entries in file order, so that "second" means what the reader sees. */
static void check_names(loader *l)
{
    ag_arena tmp = AG_ARENA_INIT;
    ag_strmap relations = AG_STRMAP_INIT;
    for (size_t i = 0; i < l->s->ntables; i++) {
        const ag_table *t = l->s->tables[i];
        named *v = NULL;
        size_t n = 0, cap = 0;
        add_named(&tmp, &v, &n, &cap, t, "table", "table", t->name, t->loc, true, false);
        if (t->pk.columns.n)
            add_named(&tmp, &v, &n, &cap, t, "primary key", "the primary key", t->pk.name,
                      t->pk.loc, true, true);
        for (size_t k = 0; k < t->nindexes; k++)
            add_named(&tmp, &v, &n, &cap, t, "index", "an index", t->indexes[k]->name,
                      t->indexes[k]->loc, true, false);
        for (size_t k = 0; k < t->nuniques; k++)
            add_named(&tmp, &v, &n, &cap, t, "unique constraint", "a unique constraint",
                      t->uniques[k]->name, t->uniques[k]->loc, true, true);
        for (size_t k = 0; k < t->nfks; k++)
            add_named(&tmp, &v, &n, &cap, t, "foreign key", "a foreign key", t->fks[k]->name,
                      t->fks[k]->loc, false, true);
        for (size_t k = 0; k < t->nchecks; k++)
            add_named(&tmp, &v, &n, &cap, t, "check", "a check", t->checks[k]->name,
                      t->checks[k]->loc, false, true);
        for (size_t k = 2; k < n; k++) /* insertion sort after the table: stable */
            for (size_t j = k; j > 1 && loc_before(v[j].loc, v[j - 1].loc); j--) {
                named x = v[j];
                v[j] = v[j - 1];
                v[j - 1] = x;
            }
        ag_strmap constraints = AG_STRMAP_INIT;
        for (size_t k = 0; k < n; k++) {
            named *x = &v[k];
            if (x->relation) {
                const char *key = schema_key(&tmp, t->schema, x->name);
                const named *first = ag_strmap_get(&relations, key);
                if (first) {
                    name_taken(l, x, first, true);
                    continue;
                }
                ag_strmap_put(&relations, key, x);
            }
            if (x->constraint) {
                const named *first = ag_strmap_get(&constraints, x->name);
                if (first)
                    name_taken(l, x, first, false);
                else
                    ag_strmap_put(&constraints, x->name, x);
            }
        }
        ag_strmap_release(&constraints);
    }
    ag_strmap_release(&relations);
    ag_arena_release(&tmp);
}

static int finish(loader *l, ag_schema **out, ag_error *err)
{
    if (l->errors == 0)
        resolve(l);
    check_names(l);
    ag_strmap_release(&l->tables);
    if (l->errors) {
        ag_schema_free(l->s);
        *out = NULL;
        return ag_error_set(err, AG_EINVALID, "%zu error%s in the model files", l->errors,
                            l->errors == 1 ? "" : "s");
    }
    *out = l->s;
    return AG_OK;
}

static void init_loader(loader *l, const ag_model_opts *opts, ag_diags *diags)
{
    static const ag_model_opts none = { .max_identifier = 0 };
    memset(l, 0, sizeof(*l));
    l->s = ag_schema_new();
    l->diags = diags;
    l->o = opts ? opts : &none;
    const ag_naming *n = &l->o->naming, *d = &ag_naming_default;
    l->naming.ix = n->ix ? n->ix : d->ix;
    l->naming.uq = n->uq ? n->uq : d->uq;
    l->naming.fk = n->fk ? n->fk : d->fk;
    l->naming.pk = n->pk ? n->pk : d->pk;
    l->naming.ck = n->ck ? n->ck : d->ck;
}

/* --- the files, parsed in parallel -------------------------------------------------- */

/* One file: its text (given, or read from disk by whichever thread parses
 * it), its tree, and the problems met reading and parsing it. */
typedef struct source {
    const char *name;
    const char *text; /* NULL until read */
    size_t len;
    char *owned; /* text read from disk */
    ag_ytree tree;
    ag_arena arena; /* the tree's, released once the tree is walked */
    ag_diags diags;
    size_t errors;
    bool done; /* parsed (under mu) */
} source;

typedef struct worker {
    ag_model_stream *st;
    ag_ytree_scratch scratch;
    pthread_t th;
} worker;

struct ag_model_stream {
    source *src;
    size_t cap, added, next; /* files room, given, taken by a parser */
    bool closed;             /* no file will be added */
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a file was added, parsed, or the stream closed */
    worker *w;         /* w[0] is the caller's */
    size_t nw, started;
};

/* Read (like every other file, ag_read_file: a failed read is an error,
 * never a truncated model that would be diffed) and parse source x. */
static void parse_source(worker *w, source *x)
{
    if (!x->text) {
        struct stat st;
        if (stat(x->name, &st) == 0 && st.st_size > MAX_FILE) {
            ag_diags_add(&x->diags, x->name, 0, 0, "larger than %d MiB; split it", MAX_FILE >> 20);
            x->errors++;
            return;
        }
        ag_error rerr = { 0 };
        x->owned = ag_read_file(x->name, &x->len, &rerr);
        if (!x->owned) {
            /* "cannot read 'PATH': WHY" -> "cannot read: WHY", the file being named. */
            size_t skip = strlen("cannot read '") + strlen(x->name) + strlen("': ");
            bool ours = strncmp(rerr.msg, "cannot read '", 13) == 0 && strlen(rerr.msg) > skip;
            const char *why = ours ? rerr.msg + skip : rerr.msg;
            ag_diags_add(&x->diags, x->name, 0, 0, "cannot read: %s", why);
            x->errors++;
            return;
        }
        x->text = x->owned;
    }
    x->errors += ag_ytree_parse(&x->tree, &x->arena, &w->scratch, x->text, x->len, x->name,
                                MAX_DEPTH, &x->diags);
}

/* Parse the next file added and not taken (st->mu held, and held again on
 * return); false when there is none now. */
static bool parse_next(worker *w)
{
    ag_model_stream *st = w->st;
    if (st->next >= st->added)
        return false;
    source *x = &st->src[st->next++];
    pthread_mutex_unlock(&st->mu);
    parse_source(w, x);
    pthread_mutex_lock(&st->mu);
    x->done = true;
    pthread_cond_broadcast(&st->cv);
    return true;
}

static void *parse_loop(void *arg)
{
    worker *w = arg;
    ag_model_stream *st = w->st;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        if (parse_next(w))
            continue;
        if (st->closed)
            break;
        pthread_cond_wait(&st->cv, &st->mu);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

/* Files per extra thread below which a thread does not pay for itself. */
enum { FILES_PER_THREAD = 8, MAX_THREADS = 8 };

ag_model_stream *ag_model_stream_start(size_t max_files)
{
    ag_model_stream *st = ag_xcalloc(1, sizeof(*st));
    st->cap = max_files;
    st->src = ag_xcalloc(max_files + 1, sizeof(*st->src));
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    st->nw = cores > 1 ? (size_t)cores : 1;
    if (st->nw > MAX_THREADS)
        st->nw = MAX_THREADS;
    if (st->nw > 1 + max_files / FILES_PER_THREAD)
        st->nw = 1 + max_files / FILES_PER_THREAD;
    st->w = ag_xcalloc(st->nw, sizeof(*st->w));
    for (size_t k = 0; k < st->nw; k++)
        st->w[k].st = st;
    for (st->started = 1; st->started < st->nw; st->started++)
        if (pthread_create(&st->w[st->started].th, NULL, parse_loop, &st->w[st->started]) != 0)
            break;
    return st;
}

void ag_model_stream_add(ag_model_stream *st, const char *name, const char *text)
{
    pthread_mutex_lock(&st->mu);
    if (st->added < st->cap) {
        source *x = &st->src[st->added];
        x->name = name;
        x->text = text;
        x->len = text ? strlen(text) : 0;
        st->added++;
        pthread_cond_broadcast(&st->cv);
    }
    pthread_mutex_unlock(&st->mu);
}

static void stream_close(ag_model_stream *st)
{
    pthread_mutex_lock(&st->mu);
    st->closed = true;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

static void stream_free(ag_model_stream *st)
{
    for (size_t k = 1; k < st->started; k++)
        pthread_join(st->w[k].th, NULL);
    for (size_t k = 0; k < st->nw; k++)
        ag_ytree_scratch_release(&st->w[k].scratch);
    for (size_t i = 0; i < st->added; i++) {
        ag_diags_release(&st->src[i].diags);
        ag_arena_release(&st->src[i].arena);
        free(st->src[i].owned);
    }
    free(st->w);
    free(st->src);
    pthread_cond_destroy(&st->cv);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

void ag_model_stream_abort(ag_model_stream *st)
{
    if (!st)
        return;
    stream_close(st);
    pthread_mutex_lock(&st->mu);
    st->added = st->next; /* what no thread took is not parsed */
    pthread_mutex_unlock(&st->mu);
    stream_free(st);
}

/* Load the files in the order added: the other threads parse ahead while
 * this one walks each file as soon as it is parsed (parsing one itself
 * rather than wait). */
int ag_model_stream_finish(
    ag_model_stream *st, ag_schema **out, const ag_model_opts *opts, ag_diags *diags, ag_error *err)
{
    loader l;
    init_loader(&l, opts, diags);
    stream_close(st);
    for (size_t i = 0; i < st->added; i++) {
        source *x = &st->src[i];
        pthread_mutex_lock(&st->mu);
        while (!x->done)
            if (!parse_next(&st->w[0]))
                pthread_cond_wait(&st->cv, &st->mu);
        pthread_mutex_unlock(&st->mu);
        l.file = ag_arena_strdup(&l.s->arena, x->name);
        for (size_t k = 0; k < x->diags.n; k++)
            ag_diags_add(l.diags, x->diags.v[k].file, x->diags.v[k].line, x->diags.v[k].col, "%s",
                         x->diags.v[k].msg);
        l.errors += x->errors;
        if (!x->errors)
            load_tree(&l, &x->tree, x->text);
        ag_diags_release(&x->diags);
        /* Walked: the model keeps copies, so the tree and the text go now
         * (at 10,000 tables the trees are tens of megabytes). */
        ag_arena_release(&x->arena);
        free(x->owned);
        x->owned = NULL;
    }
    stream_free(st);
    return finish(&l, out, err);
}

int ag_model_load_buffers(ag_schema **out,
                          const char *const *names,
                          const char *const *texts,
                          size_t n,
                          const ag_model_opts *opts,
                          ag_diags *diags,
                          ag_error *err)
{
    ag_model_stream *st = ag_model_stream_start(n);
    for (size_t i = 0; i < n; i++)
        ag_model_stream_add(st, names[i], texts[i]);
    return ag_model_stream_finish(st, out, opts, diags, err);
}

int ag_model_load(ag_schema **out,
                  const char *const *files,
                  size_t nfiles,
                  const ag_model_opts *opts,
                  ag_diags *diags,
                  ag_error *err)
{
    ag_model_stream *st = ag_model_stream_start(nfiles);
    for (size_t i = 0; i < nfiles; i++)
        ag_model_stream_add(st, files[i], NULL); /* read by the thread that parses it */
    return ag_model_stream_finish(st, out, opts, diags, err);
}
