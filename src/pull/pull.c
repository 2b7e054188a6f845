/* pull.c - an introspected schema as YAML model files.
 *
 * A careful writer rather than libyaml's emitter: the layout is the one the
 * README shows (block mappings, one flow mapping per column, indented list
 * items) and every scalar goes through one function that either proves the
 * plain spelling reads back as the same string or double-quotes it. The
 * loader (src/model/load.c) is the reference for what each key means; each
 * choice below says which loader rule it relies on.
 */
#include "pull.h"
#include "../util/common.h"

#include "../diff/diff.h"
#include "../util/error.h"
#include "../util/hash.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

/* --- scalars ------------------------------------------------------------------ */

/* Words YAML 1.1 or 1.2 reads as something other than a string. */
static bool special_word(const char *s)
{
    static const char *const words[] = { "y",    "n",     "yes",  "no", "on",   "off",
                                         "true", "false", "null", "~",  ".inf", ".nan" };
    if (!*s || !strchr("yYnNoOtTfF~.", *s) || strnlen(s, 6) > 5)
        return false; /* most names: not one of their first letters, or longer */
    for (size_t i = 0; i < AG_NELEM(words); i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

static bool plain_ok(const char *s, bool ident)
{
    if (!*s || !(isalpha((unsigned char)s[0]) || s[0] == '_') || special_word(s))
        return false;
    size_t n = strlen(s);
    if (s[n - 1] == ' ')
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '_')
            continue;
        if (ident || !strchr(" ().-+*/=<>", c))
            return false;
        if (c == ' ' && p[1] == ' ')
            return false; /* kept, but a reader would not see two blanks */
    }
    return true;
}

void ag_pull_yaml_scalar(ag_buf *b, const char *s, bool ident)
{
    if (plain_ok(s, ident)) {
        ag_buf_puts(b, s);
        return;
    }
    ag_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            ag_buf_puts(b, "\\\"");
            break;
        case '\\':
            ag_buf_puts(b, "\\\\");
            break;
        case '\n':
            ag_buf_puts(b, "\\n");
            break;
        case '\t':
            ag_buf_puts(b, "\\t");
            break;
        case '\r':
            ag_buf_puts(b, "\\r");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                ag_buf_printf(b, "\\x%02x", *p);
            else
                ag_buf_putc(b, (char)*p);
        }
    }
    ag_buf_putc(b, '"');
}

/* --- the writer ------------------------------------------------------------------ */

typedef struct writer {
    ag_pull *out;
    const ag_pull_opts *o;
    const ag_schema *s;
    ag_arena *a;     /* out->arena */
    ag_buf sqltypes; /* "t.c (type)" of sql() columns, for one warning */
    size_t nsqltypes;
    ag_strmap enum_users; /* enum name -> number of columns using it (as a pointer) */
    ag_strmap paths;      /* file paths taken */
} writer;

static void warn(writer *w, const char *fmt, ...) AG_PRINTF(2, 3);
static void warn(writer *w, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ag_strs_push_arena(w->a, &w->out->warnings, msg);
}

static const char *qualified(writer *w, const ag_table *t)
{
    return t->schema ? ag_arena_printf(w->a, "%s.%s", t->schema, t->name) : t->name;
}

/* The name the loader gives an object the model leaves unnamed. */
static const char *convention(
    writer *w, const char *pattern, const ag_table *t, const ag_strs *cols, const char *referred)
{
    return ag_identifier_shorten(
        w->a, ag_naming_expand(w->a, pattern, t->name, cols, referred, NULL), w->o->max_identifier);
}

/* SQLite keeps no name for a constraint written without one; introspection
 * calls it "<prefix>_<table>_<position>". Such a name is no one's choice. */
static bool invented(writer *w, const char *prefix, const ag_table *t, size_t i, const char *name)
{
    if (w->o->keeps_names || !name)
        return !name;
    return strcmp(name, ag_arena_printf(w->a, "%s_%s_%zu", prefix, t->name, i + 1)) == 0;
}

static void key(ag_buf *b, const char *k)
{
    ag_buf_puts(b, k);
    ag_buf_puts(b, ": ");
}

static void indent(ag_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        ag_buf_putc(b, ' ');
}

/* ", key: value" inside a flow mapping (the first without the comma). */
typedef struct flow {
    ag_buf *b;
    bool first;
} flow;

static void flow_open(flow *f, ag_buf *b)
{
    f->b = b;
    f->first = true;
    ag_buf_puts(b, "{ ");
}

static void flow_key(flow *f, const char *k)
{
    if (!f->first)
        ag_buf_puts(f->b, ", ");
    f->first = false;
    key(f->b, k);
}

static void flow_str(flow *f, const char *k, const char *v, bool ident)
{
    flow_key(f, k);
    ag_pull_yaml_scalar(f->b, v, ident);
}

static void flow_raw(flow *f, const char *k, const char *v)
{
    flow_key(f, k);
    ag_buf_puts(f->b, v);
}

static void flow_close(flow *f)
{
    ag_buf_puts(f->b, " }");
}

static void name_list(ag_buf *b, const ag_strs *l)
{
    ag_buf_putc(b, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ag_buf_puts(b, ", ");
        ag_pull_yaml_scalar(b, l->v[i], true);
    }
    ag_buf_putc(b, ']');
}

/* --- types and defaults ------------------------------------------------------------ */

/* The `type:` text of c; false (warned) when the models cannot say it. */
static const char *type_text(writer *w, const ag_table *t, const ag_column *c)
{
    if (c->type.kind == AG_T_SQL && (!c->type.name || !*c->type.name)) {
        /* A column declared without a type (SQLite) is `sql()` where the
         * vocabulary has it. */
        ag_type none;
        if (ag_type_parse(w->a, "sql()", &none) && none.kind == AG_T_SQL)
            return "sql()";
        warn(w,
             "column '%s.%s' has no declared type, which a model cannot say: written as "
             "sql(BLOB), so autogenerate will want to change it",
             qualified(w, t), c->name);
        return "sql(BLOB)";
    }
    const char *text = ag_type_format(w->a, &c->type);
    ag_type back;
    if (!ag_type_parse(w->a, text, &back) || !ag_type_equal(&back, &c->type)) {
        warn(w,
             "column '%s.%s' has type '%s', which a model cannot spell so that it reads back: "
             "written as it is, autogenerate will want to change it",
             qualified(w, t), c->name, c->type.name ? c->type.name : text);
    } else if (c->type.kind == AG_T_SQL) {
        if (w->nsqltypes < 8)
            ag_buf_printf(&w->sqltypes, "%s'%s.%s' (%s)", w->nsqltypes ? ", " : "", qualified(w, t),
                          c->name, c->type.name);
        w->nsqltypes++;
    }
    return text;
}

static bool numeric(const ag_type *t)
{
    return ag_type_is_integer(t) || t->kind == AG_T_DECIMAL || t->kind == AG_T_REAL ||
           t->kind == AG_T_DOUBLE;
}

/* [+-]digits[.digits][e[+-]digits], as the loader's numbers. */
static bool number_text(const char *s)
{
    if (!*s || isspace((unsigned char)*s))
        return false;
    char *end;
    (void)strtod(s, &end);
    return *end == '\0' && (isdigit((unsigned char)*s) || strchr("+-.", *s));
}

/* 'it''s' -> it's; NULL unless s is one string literal. */
static const char *string_literal(ag_arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
        return NULL;
    char *out = ag_arena_alloc(a, n);
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] == '\'') {
            if (s[i + 1] != '\'' || i + 2 >= n)
                return NULL; /* two literals, or an expression around them */
            i++;
        }
        out[k++] = s[i];
    }
    out[k] = '\0';
    return out;
}

static bool truth(const char *s, bool *v)
{
    static const char *const yes[] = { "t", "true", "y", "yes", "on", "1" };
    static const char *const no[] = { "f", "false", "n", "no", "off", "0" };
    for (size_t i = 0; i < AG_NELEM(yes); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return (*v = true);
        if (strcasecmp(s, no[i]) == 0)
            return !(*v = false);
    }
    return false;
}

/* `default:` (a literal the loader turns back into the same SQL) when there
 * is one, else `default_sql:` with the database's text. */
static void default_of(writer *w, flow *f, const ag_column *c)
{
    const char *d = c->default_sql;
    if (!d || ag_default_equal_typed(d, NULL, &c->type))
        return;
    const char *lit = string_literal(w->a, d);
    const ag_type *ty = &c->type;
    bool b;
    /* The loader (default_literal): a number on a numeric column stays bare,
     * a plain true/false on a boolean column is that keyword, anything else
     * becomes a quoted SQL string. */
    const char *loaded = NULL, *yaml = NULL;
    bool as_string = false;
    if (ty->kind == AG_T_BOOLEAN && truth(lit ? lit : d, &b)) {
        loaded = yaml = b ? "true" : "false";
    } else if (numeric(ty) && number_text(lit ? lit : d)) {
        loaded = yaml = lit ? lit : d;
    } else if (lit && !numeric(ty) && ty->kind != AG_T_BOOLEAN) {
        ag_buf q = AG_BUF_INIT;
        ag_buf_quote_literal(&q, lit);
        loaded = ag_arena_strdup(w->a, ag_buf_cstr(&q));
        ag_buf_dispose(&q);
        yaml = lit;
        as_string = true;
    }
    if (loaded && ag_default_equal_typed(d, loaded, ty)) {
        if (as_string)
            flow_str(f, "default", yaml, false);
        else
            flow_raw(f, "default", yaml);
        return;
    }
    flow_str(f, "default_sql", d, false);
}

/* --- one table -------------------------------------------------------------------- */

/* What goes on a column rather than in the table's lists. */
typedef struct column_keys {
    bool unique;        /* `unique: true` */
    bool index;         /* `index: true` */
    const ag_fk *fk;    /* `references:` */
    const ag_enum *enm; /* `type: enum` with `values:` (the loader names it <table>_<column>) */
} column_keys;

static bool enum_inline(writer *w, const ag_table *t, const ag_column *c, const ag_enum *e)
{
    if (!e || !ag_str_eq(e->schema, t->schema))
        return false;
    const char *own = ag_identifier_shorten(w->a, ag_arena_printf(w->a, "%s_%s", t->name, c->name),
                                            w->o->max_identifier);
    if (strcmp(own, e->name) != 0)
        return false;
    return (uintptr_t)ag_strmap_get(&w->enum_users, e->name) == 1;
}

/* A name part of "table.column" or "table(a, b)" the loader would split wrongly. */
static bool splits(const char *name, const char *chars)
{
    return strpbrk(name, chars) != NULL || isspace((unsigned char)name[0]) ||
           (*name && isspace((unsigned char)name[strlen(name) - 1]));
}

/* The referenced table as the loader resolves it: plain in the table's own
 * schema, else qualified (a plain name would mean the one in the table's
 * schema first). */
static const char *ref_table(writer *w, const ag_table *t, const ag_fk *f)
{
    if (ag_str_eq(f->ref_schema, t->schema) && !strchr(f->ref_table, '.'))
        return f->ref_table;
    return ag_arena_printf(w->a, "%s.%s", f->ref_schema ? f->ref_schema : w->o->default_schema,
                           f->ref_table);
}

static bool fk_default_actions(const ag_fk *f)
{
    return (f->on_delete == AG_FK_NONE || f->on_delete == AG_FK_NO_ACTION) &&
           (f->on_update == AG_FK_NONE || f->on_update == AG_FK_NO_ACTION);
}

static void fk_actions(flow *f, const ag_fk *k)
{
    if (k->on_delete != AG_FK_NONE && k->on_delete != AG_FK_NO_ACTION)
        flow_raw(f, "on_delete", ag_fk_action_name(k->on_delete));
    if (k->on_update != AG_FK_NONE && k->on_update != AG_FK_NO_ACTION)
        flow_raw(f, "on_update", ag_fk_action_name(k->on_update));
    if (k->defer != AG_FK_NOT_DEFERRABLE)
        flow_raw(f, "deferrable", "true");
    if (k->defer == AG_FK_DEFERRED)
        flow_raw(f, "initially", "deferred");
    (void)fk_default_actions;
}

/* Strip parentheses around the whole of an expression (PostgreSQL's
 * deparser adds them to every check); the diff ignores them. */
static const char *bare_expression(ag_arena *a, const char *s)
{
    size_t n = strlen(s);
    while (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
        int depth = 0;
        bool whole = true, quoted = false;
        for (size_t i = 0; i < n && whole; i++) {
            if (s[i] == '\'')
                quoted = !quoted;
            if (quoted)
                continue;
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0 && i != n - 1)
                whole = false;
        }
        if (!whole || depth != 0)
            break;
        s++;
        n -= 2;
    }
    return ag_arena_strndup(a, s, n);
}

/* Characters, not bytes: what alignment is counted in. */
static size_t chars(const ag_buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += ((unsigned char)b->ptr[i] & 0xC0) != 0x80;
    return n;
}

static void write_table(writer *w, ag_buf *b, const ag_table *t, int ind)
{
    ag_arena *a = w->a;
    const ag_naming *nm = &w->o->naming;
    column_keys *ck = ag_arena_alloc(a, (t->ncolumns + 1) * sizeof(*ck));
    bool *uq_col = ag_arena_alloc(a, t->nuniques + 1), *ix_col = ag_arena_alloc(a, t->nindexes + 1),
         *fk_col = ag_arena_alloc(a, t->nfks + 1);

    for (size_t i = 0; i < t->nuniques; i++) {
        const ag_unique *u = t->uniques[i];
        if (u->columns.n != 1 || u->defer != AG_FK_NOT_DEFERRABLE) /* the list says when */
            continue;
        size_t k = ag_table_column_index(t, u->columns.v[0]);
        if (k == t->ncolumns || ck[k].unique)
            continue;
        if (invented(w, "uq", t, i, u->name) ||
            strcmp(u->name, convention(w, nm->uq, t, &u->columns, NULL)) == 0)
            ck[k].unique = uq_col[i] = true;
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const ag_index *x = t->indexes[i];
        if (x->unique || x->where || x->expression || x->method || x->include.n ||
            x->columns.n != 1)
            continue;
        size_t k = ag_table_column_index(t, x->columns.v[0]);
        if (k == t->ncolumns || ck[k].index)
            continue;
        if (strcmp(x->name, convention(w, nm->ix, t, &x->columns, NULL)) == 0)
            ck[k].index = ix_col[i] = true;
    }
    for (size_t i = 0; i < t->nfks; i++) {
        const ag_fk *f = t->fks[i];
        if (f->columns.n != 1 || f->ref_columns.n != 1 || !f->ref_table)
            continue;
        size_t k = ag_table_column_index(t, f->columns.v[0]);
        if (k == t->ncolumns || ck[k].fk || splits(f->ref_columns.v[0], ".") ||
            (f->ref_schema && strchr(f->ref_schema, '.')))
            continue;
        if (invented(w, "fk", t, i, f->name) ||
            strcmp(f->name, convention(w, nm->fk, t, &f->columns, f->ref_table)) == 0) {
            ck[k].fk = f;
            fk_col[i] = true;
        }
    }

    indent(b, ind);
    ag_pull_yaml_scalar(b, t->name, true);
    ag_buf_puts(b, ":\n");
    ind += 2;
    if (t->schema) {
        indent(b, ind);
        key(b, "schema");
        ag_pull_yaml_scalar(b, t->schema, true);
        ag_buf_putc(b, '\n');
    }
    if (t->comment) {
        indent(b, ind);
        key(b, "comment");
        ag_pull_yaml_scalar(b, t->comment, false);
        ag_buf_putc(b, '\n');
    }
    if (t->options) {
        indent(b, ind);
        key(b, "options");
        ag_pull_yaml_scalar(b, t->options, false);
        ag_buf_putc(b, '\n');
    }

    /* A primary key named otherwise than the convention says (PostgreSQL's own
     * `orders_pkey`) keeps its name: written in the long form. */
    bool pk_named = t->pk.columns.n && t->pk.name &&
                    strcmp(t->pk.name, convention(w, nm->pk, t, &t->pk.columns, NULL)) != 0;
    if (pk_named && strcmp(t->pk.name, ag_arena_printf(a, "%s_pkey", t->name)) == 0)
        w->out->pg_pkey_names++;

    /* Columns, their keys aligned as people align them (up to a point). */
    indent(b, ind);
    ag_buf_puts(b, "columns:\n");
    size_t width = 0;
    ag_buf name = AG_BUF_INIT;
    for (size_t i = 0; i < t->ncolumns; i++) {
        ag_buf_clear(&name);
        ag_pull_yaml_scalar(&name, t->columns[i]->name, true);
        if (chars(&name) > width && chars(&name) <= 24)
            width = chars(&name);
    }
    for (size_t i = 0; i < t->ncolumns; i++) {
        const ag_column *c = t->columns[i];
        ag_buf_clear(&name);
        ag_pull_yaml_scalar(&name, c->name, true);
        indent(b, ind + 2);
        ag_buf_put(b, name.ptr, name.len);
        ag_buf_putc(b, ':');
        size_t shown = chars(&name);
        for (size_t k = shown; k < width + 1; k++)
            ag_buf_putc(b, ' ');
        if (shown >= width + 1)
            ag_buf_putc(b, ' ');
        flow f;
        flow_open(&f, b);
        const ag_enum *e =
            c->type.kind == AG_T_ENUM ? ag_schema_find_enum(w->s, c->type.name) : NULL;
        if (enum_inline(w, t, c, e)) {
            ck[i].enm = e;
            w->out->nenums++;
            flow_raw(&f, "type", "enum");
            flow_key(&f, "values");
            name_list(b, c->enum_values.n ? &c->enum_values : &e->values);
        } else {
            flow_str(&f, "type", type_text(w, t, c), false);
        }
        if (c->collation && !(w->o->collation_same && w->o->collation_same(c->collation, NULL)))
            flow_str(&f, "collation", c->collation, true);
        if (c->generated) {
            flow_str(&f, "generated", c->generated, false);
            if (c->generated_stored)
                flow_raw(&f, "stored", "true");
        }
        bool pk = ag_strs_contains(&t->pk.columns, c->name);
        if (pk && t->pk.columns.n == 1 && !pk_named)
            flow_raw(&f, "primary_key", "true");
        /* Identity, or a serial on an integer key: autoincrement. Any other
         * nextval() default (a sequence of its own, or a serial off the key)
         * is written as the default it is, and the baseline makes the
         * sequence. */
        bool key_seq = c->autoincrement && (!c->sequence_default || c->sequence_owned) && pk &&
                       ag_type_is_integer(&c->type);
        bool seq_default = c->sequence_default && !key_seq;
        if (key_seq)
            flow_raw(&f, "autoincrement", "true");
        else if (c->autoincrement && !c->sequence_default) /* an identity off the key */
            warn(w,
                 "column '%s.%s' is an identity column but not an integer column of the primary "
                 "key, which a model cannot say: written without it (autogenerate leaves it "
                 "alone, but a database made from the models has none)",
                 qualified(w, t), c->name);
        if (!pk && !c->nullable)
            flow_raw(&f, "nullable", "false");
        if (ck[i].unique)
            flow_raw(&f, "unique", "true");
        if (ck[i].index)
            flow_raw(&f, "index", "true");
        if (seq_default)
            flow_str(&f, "default_sql", c->sequence_default, false);
        else if (!c->autoincrement)
            default_of(w, &f, c);
        if (ck[i].fk) {
            const ag_fk *k = ck[i].fk;
            flow_key(&f, "references");
            ag_pull_yaml_scalar(
                b, ag_arena_printf(a, "%s.%s", ref_table(w, t, k), k->ref_columns.v[0]), false);
            fk_actions(&f, k);
        }
        if (c->comment)
            flow_str(&f, "comment", c->comment, false);
        flow_close(&f);
        ag_buf_putc(b, '\n');
    }
    ag_buf_dispose(&name);

    if (pk_named) {
        indent(b, ind);
        key(b, "primary_key");
        flow f;
        flow_open(&f, b);
        flow_str(&f, "name", t->pk.name, true);
        flow_key(&f, "columns");
        name_list(b, &t->pk.columns);
        flow_close(&f);
        ag_buf_putc(b, '\n');
    } else if (t->pk.columns.n > 1) {
        indent(b, ind);
        key(b, "primary_key");
        name_list(b, &t->pk.columns);
        ag_buf_putc(b, '\n');
    }

    bool head = false;
    for (size_t i = 0; i < t->nindexes; i++) {
        const ag_index *x = t->indexes[i];
        if (ix_col[i])
            continue;
        if (!head) {
            indent(b, ind);
            ag_buf_puts(b, "indexes:\n");
            head = true;
        }
        indent(b, ind + 2);
        ag_buf_puts(b, "- ");
        flow f;
        flow_open(&f, b);
        if (x->expression || strcmp(x->name, convention(w, nm->ix, t, &x->columns, NULL)) != 0)
            flow_str(&f, "name", x->name, true);
        if (x->expression) {
            flow_str(&f, "expression", x->expression, false);
        } else {
            flow_key(&f, "columns");
            name_list(b, &x->columns);
        }
        if (x->unique)
            flow_raw(&f, "unique", "true");
        if (x->method)
            flow_str(&f, "using", x->method, true);
        if (x->include.n) {
            flow_key(&f, "include");
            name_list(b, &x->include);
        }
        if (x->where)
            flow_str(&f, "where", bare_expression(a, x->where), false);
        flow_close(&f);
        ag_buf_putc(b, '\n');
    }

    head = false;
    for (size_t i = 0; i < t->nuniques; i++) {
        const ag_unique *u = t->uniques[i];
        if (uq_col[i])
            continue;
        if (!head) {
            indent(b, ind);
            ag_buf_puts(b, "unique:\n");
            head = true;
        }
        indent(b, ind + 2);
        ag_buf_puts(b, "- ");
        flow f;
        flow_open(&f, b);
        if (!invented(w, "uq", t, i, u->name) &&
            strcmp(u->name, convention(w, nm->uq, t, &u->columns, NULL)) != 0)
            flow_str(&f, "name", u->name, true);
        flow_key(&f, "columns");
        name_list(b, &u->columns);
        if (u->defer != AG_FK_NOT_DEFERRABLE)
            flow_raw(&f, "deferrable", "true");
        if (u->defer == AG_FK_DEFERRED)
            flow_raw(&f, "initially", "deferred");
        flow_close(&f);
        ag_buf_putc(b, '\n');
    }

    if (t->nchecks) {
        indent(b, ind);
        ag_buf_puts(b, "checks:\n");
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        const ag_check *x = t->checks[i];
        indent(b, ind + 2);
        ag_buf_puts(b, "- ");
        flow f;
        flow_open(&f, b);
        flow_str(&f, "name", x->name, true);
        flow_str(&f, "expression", bare_expression(a, x->expression), false);
        flow_close(&f);
        ag_buf_putc(b, '\n');
    }

    head = false;
    for (size_t i = 0; i < t->nfks; i++) {
        const ag_fk *k = t->fks[i];
        if (fk_col[i])
            continue;
        if (!k->ref_table || !k->ref_columns.n) {
            warn(w,
                 "foreign key '%s' of table '%s' names no referenced column, which a model "
                 "cannot say: left out",
                 k->name, qualified(w, t));
            continue;
        }
        bool bad = strchr(k->ref_table, '(') || (k->ref_schema && strchr(k->ref_schema, '.'));
        for (size_t r = 0; r < k->ref_columns.n; r++)
            bad = bad || splits(k->ref_columns.v[r], ",()");
        if (bad) {
            warn(w,
                 "foreign key '%s' of table '%s' references names a model cannot spell "
                 "(a '(' in the table, a ',' or parenthesis in a column): left out",
                 k->name, qualified(w, t));
            continue;
        }
        if (!head) {
            indent(b, ind);
            ag_buf_puts(b, "foreign_keys:\n");
            head = true;
        }
        indent(b, ind + 2);
        ag_buf_puts(b, "- ");
        flow f;
        flow_open(&f, b);
        if (!invented(w, "fk", t, i, k->name) &&
            strcmp(k->name, convention(w, nm->fk, t, &k->columns, k->ref_table)) != 0)
            flow_str(&f, "name", k->name, true);
        flow_key(&f, "columns");
        name_list(b, &k->columns);
        flow_str(&f, "references",
                 ag_arena_printf(a, "%s(%s)", ref_table(w, t, k),
                                 ag_strs_join(a, &k->ref_columns, ", ")),
                 false);
        fk_actions(&f, k);
        flow_close(&f);
        ag_buf_putc(b, '\n');
    }
}

/* --- enums and files --------------------------------------------------------------- */

/* Enums written under `enums:` (not inline on their one column). */
static bool enum_top_level(writer *w, const ag_enum *e)
{
    for (size_t i = 0; i < w->s->ntables; i++) {
        const ag_table *t = w->s->tables[i];
        for (size_t k = 0; k < t->ncolumns; k++) {
            const ag_column *c = t->columns[k];
            if (c->type.kind == AG_T_ENUM && c->type.name && strcmp(c->type.name, e->name) == 0)
                return !enum_inline(w, t, c, e);
        }
    }
    return true;
}

static int cmp_enum(const void *x, const void *y)
{
    const ag_enum *a = *(const ag_enum *const *)x, *b = *(const ag_enum *const *)y;
    return strcmp(a->name, b->name);
}

static void write_enums(writer *w, ag_buf *b, ag_pull_file *file)
{
    size_t n = w->s->nenums;
    const ag_enum **v = ag_arena_alloc(w->a, (n + 1) * sizeof(*v));
    if (n)
        memcpy(v, w->s->enums, n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_enum);
    bool head = false;
    for (size_t i = 0; i < n; i++) {
        const ag_enum *e = v[i];
        if (!enum_top_level(w, e))
            continue;
        bool name_ok = *e->name != '\0';
        for (const char *c = e->name; *c; c++)
            name_ok = name_ok && (isalnum((unsigned char)*c) || *c == '_' || *c == '.');
        if (!name_ok || !e->values.n) {
            warn(w,
                 "enum '%s' %s, which a model cannot say: left out, so autogenerate will want "
                 "to change it",
                 e->name,
                 !name_ok ? "has a name of other characters than letters, digits and '_'"
                          : "has no values");
            continue;
        }
        if (!head) {
            ag_buf_puts(b, "enums:\n");
            head = true;
        }
        /* An enum outside the default schema is keyed "schema.name". */
        indent(b, 2);
        ag_pull_yaml_scalar(
            b, e->schema ? ag_arena_printf(w->a, "%s.%s", e->schema, e->name) : e->name,
            !e->schema);
        ag_buf_puts(b, ": ");
        name_list(b, &e->values);
        ag_buf_putc(b, '\n');
        ag_strs_push_arena(w->a, &file->enums, e->name);
        w->out->nenums++;
    }
}

/* A file name for a name: bytes a shell and every file system take. */
static const char *file_part(ag_arena *a, const char *name)
{
    char *s = ag_arena_strdup(a, name);
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80))
            *p = '_';
    }
    if (s[0] == '.' || s[0] == '\0')
        return ag_arena_printf(a, "_%s", s);
    return s;
}

static ag_pull_file *new_file(writer *w, const char *path)
{
    /* Two names may make one file name ("a b" and "a_b"): the second gets a number. */
    const char *p = path;
    for (int n = 2; ag_strmap_get(&w->paths, p); n++)
        p = ag_arena_printf(w->a, "%.*s_%d.yaml", (int)(strlen(path) - 5), path, n);
    ag_strmap_put(&w->paths, p, (void *)p);
    ag_pull_file f = { .path = p };
    AG_ARENA_PUSH(w->a, w->out->files, w->out->nfiles, w->out->files_cap, f);
    return &w->out->files[w->out->nfiles - 1];
}

/* A table without columns (PostgreSQL's `CREATE TABLE t ()`) cannot be a
 * model: the loader wants columns. */
static bool describable(const ag_table *t)
{
    return t->ncolumns > 0;
}

/* A file is complete: hand it to the loader, if any. */
static void written(const ag_pull_opts *o, const ag_pull_file *f)
{
    if (o->load)
        ag_model_stream_add(o->load, f->path, f->text);
}

int ag_pull_render(ag_pull *out, const ag_schema *in, const ag_pull_opts *o, ag_error *err)
{
    AG_UNUSED(err);
    memset(out, 0, sizeof(*out));
    /* The same schema, less the tables a model cannot hold (warned). */
    ag_schema view = *in;
    view.tables = ag_arena_alloc(&out->arena, (in->ntables + 1) * sizeof(*view.tables));
    view.ntables = 0;
    ag_schema *s = &view;
    writer w = { .out = out, .o = o, .s = s, .a = &out->arena };
    for (size_t i = 0; i < in->ntables; i++) {
        const ag_table *t = in->tables[i];
        for (size_t k = 0; k < t->ncolumns; k++) {
            const ag_column *c = t->columns[k];
            if (c->type.kind == AG_T_ENUM && c->type.name)
                ag_strmap_put(&w.enum_users, c->type.name,
                              (void *)((uintptr_t)ag_strmap_get(&w.enum_users, c->type.name) + 1));
        }
        if (describable(in->tables[i]))
            view.tables[view.ntables++] = in->tables[i];
        else
            warn(&w,
                 "table '%s' has no column a model can describe: left out, so autogenerate "
                 "will want to drop it",
                 qualified(&w, in->tables[i]));
    }
    ag_buf b = AG_BUF_INIT;
    if (o->single_file) {
        ag_pull_file *f = new_file(&w, o->single_file);
        write_enums(&w, &b, f);
        if (s->ntables)
            ag_buf_puts(&b, "tables:\n");
        for (size_t i = 0; i < s->ntables; i++) {
            write_table(&w, &b, s->tables[i], 2);
            ag_strs_push_arena(w.a, &f->tables, qualified(&w, s->tables[i]));
        }
        out->files[0].text = ag_arena_strdup(w.a, ag_buf_cstr(&b));
        written(o, &out->files[0]);
    } else {
        for (size_t i = 0; i < s->ntables; i++) {
            const ag_table *t = s->tables[i];
            const char *path = ag_arena_printf(w.a, "%s.yaml", file_part(w.a, t->name));
            if (t->schema)
                path = ag_arena_printf(w.a, "%s/%s", file_part(w.a, t->schema), path);
            ag_pull_file *f = new_file(&w, path);
            ag_buf_clear(&b);
            ag_buf_puts(&b, "tables:\n");
            write_table(&w, &b, t, 2);
            f->text = ag_arena_strdup(w.a, ag_buf_cstr(&b));
            ag_strs_push_arena(w.a, &f->tables, qualified(&w, t));
            written(o, f);
        }
        ag_buf_clear(&b);
        ag_pull_file tmp = { 0 };
        write_enums(&w, &b, &tmp);
        if (b.len) {
            ag_pull_file *f = new_file(&w, "enums.yaml");
            f->text = ag_arena_strdup(w.a, ag_buf_cstr(&b));
            f->enums = tmp.enums;
            written(o, f);
        }
    }
    out->ntables = s->ntables;
    if (w.nsqltypes)
        warn(&w,
             "%zu column%s %s a type with no model type, written as sql(...), which only %s "
             "reads: %s%s",
             w.nsqltypes, w.nsqltypes == 1 ? "" : "s", w.nsqltypes == 1 ? "has" : "have",
             o->dialect ? o->dialect : "this database", ag_buf_cstr(&w.sqltypes),
             w.nsqltypes > 8 ? ", ..." : "");
    ag_buf_dispose(&w.sqltypes);
    ag_buf_dispose(&b);
    ag_strmap_release(&w.enum_users);
    ag_strmap_release(&w.paths);
    return AG_OK;
}

void ag_pull_release(ag_pull *p)
{
    if (p)
        ag_arena_release(&p->arena);
}
