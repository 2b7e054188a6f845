/* sqlite_introspect.c - a live SQLite database as an ag_schema.
 *
 * Two queries cover every table: sqlite_master (tables and indexes, with the
 * SQL SQLite stored) and the column list of every table through the
 * pragma_table_info() table-valued function. Names of constraints, CHECK
 * bodies, foreign keys, AUTOINCREMENT and enum CHECKs are read from the
 * stored CREATE TABLE text with a small tokenizer that understands quoting,
 * strings, comments and nesting.
 */
#include "../util/common.h"
#include "sqlite_internal.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <strings.h>

/* --- tokens ---------------------------------------------------------------- */

typedef enum { TK_END, TK_WORD, TK_IDENT, TK_STRING, TK_NUMBER, TK_PUNCT } tk_kind;

typedef struct tok {
    tk_kind kind;
    size_t start, end; /* byte span in the text */
} tok;

typedef struct lex {
    const char *s;
    size_t i, n;
} lex;

static tok next(lex *l)
{
    for (;;) {
        while (l->i < l->n && isspace((unsigned char)l->s[l->i]))
            l->i++;
        if (l->i + 1 < l->n && l->s[l->i] == '-' && l->s[l->i + 1] == '-') {
            while (l->i < l->n && l->s[l->i] != '\n')
                l->i++;
            continue;
        }
        if (l->i + 1 < l->n && l->s[l->i] == '/' && l->s[l->i + 1] == '*') {
            const char *e = strstr(l->s + l->i + 2, "*/");
            l->i = e ? (size_t)(e - l->s) + 2 : l->n;
            continue;
        }
        break;
    }
    tok t = { TK_END, l->i, l->i };
    if (l->i >= l->n)
        return t;
    char c = l->s[l->i];
    if (c == '"' || c == '`' || c == '[' || c == '\'') {
        char close = c == '[' ? ']' : c;
        size_t j = l->i + 1;
        while (j < l->n) {
            if (l->s[j] == close) {
                if (close != ']' && j + 1 < l->n && l->s[j + 1] == close) {
                    j += 2;
                    continue;
                }
                break;
            }
            j++;
        }
        t.kind = c == '\'' ? TK_STRING : TK_IDENT;
        t.end = j < l->n ? j + 1 : l->n;
    } else if (isalpha((unsigned char)c) || c == '_') {
        size_t j = l->i;
        while (j < l->n && (isalnum((unsigned char)l->s[j]) || l->s[j] == '_' || l->s[j] == '$'))
            j++;
        t.kind = TK_WORD;
        t.end = j;
    } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)l->s[l->i + 1]))) {
        size_t j = l->i;
        while (j < l->n && (isalnum((unsigned char)l->s[j]) || l->s[j] == '.'))
            j++;
        t.kind = TK_NUMBER;
        t.end = j;
    } else {
        t.kind = TK_PUNCT;
        t.end = l->i + 1;
    }
    l->i = t.end;
    return t;
}

static bool is_word(const lex *l, tok t, const char *w)
{
    size_t n = strlen(w);
    return t.kind == TK_WORD && t.end - t.start == n && strncasecmp(l->s + t.start, w, n) == 0;
}

static bool is_punct(const lex *l, tok t, char c)
{
    return t.kind == TK_PUNCT && l->s[t.start] == c;
}

/* An identifier token's name, unquoted. */
static char *ident(ag_arena *a, const lex *l, tok t)
{
    const char *s = l->s + t.start;
    size_t n = t.end - t.start;
    if (t.kind != TK_IDENT)
        return ag_arena_strndup(a, s, n);
    char close = s[0] == '[' ? ']' : s[0];
    size_t inner = n >= 2 ? n - 2 : 0;
    char *out = ag_arena_alloc(a, inner + 1);
    size_t k = 0;
    for (size_t i = 1; i <= inner; i++) {
        out[k++] = s[i];
        if (s[i] == close && close != ']' && i + 1 <= inner && s[i + 1] == close)
            i++;
    }
    out[k] = '\0';
    return out;
}

/* The text between a '(' just read and its matching ')', which is consumed. */
static bool paren_body(lex *l, size_t *start, size_t *end)
{
    int depth = 1;
    *start = l->i;
    for (;;) {
        tok t = next(l);
        if (t.kind == TK_END)
            return false;
        if (is_punct(l, t, '('))
            depth++;
        else if (is_punct(l, t, ')') && --depth == 0) {
            *end = t.start;
            return true;
        }
    }
}

static char *trimmed(ag_arena *a, const char *s, size_t start, size_t end)
{
    while (start < end && isspace((unsigned char)s[start]))
        start++;
    while (end > start && isspace((unsigned char)s[end - 1]))
        end--;
    return ag_arena_strndup(a, s + start, end - start);
}

/* A parenthesized list of identifiers (with optional ASC/DESC/COLLATE x). */
static bool ident_list(ag_arena *a, lex *l, ag_strs *out)
{
    tok t = next(l);
    if (!is_punct(l, t, '('))
        return false;
    for (;;) {
        t = next(l);
        if (t.kind != TK_IDENT && t.kind != TK_WORD)
            return false;
        ag_strs_push_arena(a, out, ident(a, l, t));
        for (;;) {
            t = next(l);
            if (is_punct(l, t, ','))
                break;
            if (is_punct(l, t, ')'))
                return true;
            if (t.kind == TK_END || is_punct(l, t, '('))
                return false;
        }
    }
}

/* --- declared types ---------------------------------------------------------- */

void ag_sqlite__type_parse(ag_arena *a, const char *declared, ag_type *out)
{
    memset(out, 0, sizeof(*out));
    char word[64] = { 0 };
    size_t n = 0;
    const char *p = declared;
    while (*p && isspace((unsigned char)*p))
        p++;
    while ((isalpha((unsigned char)*p) || *p == '_' || *p == ' ') && n + 1 < sizeof(word)) {
        word[n++] = (char)toupper((unsigned char)*p);
        p++;
    }
    while (n && word[n - 1] == ' ')
        n--;
    word[n] = '\0';
    int x = 0, y = 0, nums = 0;
    if (*p == '(')
        nums = sscanf(p, "( %d , %d )", &x, &y);
    static const struct {
        const char *name;
        ag_type_kind kind;
    } map[] = {
        { "SMALLINT", AG_T_SMALLINT },  { "INTEGER", AG_T_INTEGER },
        { "INT", AG_T_INTEGER },        { "BIGINT", AG_T_BIGINT },
        { "NUMERIC", AG_T_DECIMAL },    { "DECIMAL", AG_T_DECIMAL },
        { "REAL", AG_T_REAL },          { "FLOAT", AG_T_DOUBLE },
        { "DOUBLE", AG_T_DOUBLE },      { "DOUBLE PRECISION", AG_T_DOUBLE },
        { "BOOLEAN", AG_T_BOOLEAN },    { "BOOL", AG_T_BOOLEAN },
        { "CHAR", AG_T_CHAR },          { "CHARACTER", AG_T_CHAR },
        { "VARCHAR", AG_T_STRING },     { "CHARACTER VARYING", AG_T_STRING },
        { "NVARCHAR", AG_T_STRING },    { "TEXT", AG_T_TEXT },
        { "CLOB", AG_T_TEXT },          { "DATE", AG_T_DATE },
        { "TIME", AG_T_TIME },          { "TIMESTAMP", AG_T_TIMESTAMP },
        { "DATETIME", AG_T_TIMESTAMP }, { "TIMESTAMPTZ", AG_T_TIMESTAMPTZ },
        { "BLOB", AG_T_BINARY },        { "UUID", AG_T_UUID },
        { "JSON", AG_T_JSON },          { "JSONB", AG_T_JSONB },
    };
    const char *rest = p;
    if (*rest == '(') {
        int depth = 0;
        for (; *rest; rest++) {
            if (*rest == '(')
                depth++;
            else if (*rest == ')' && --depth == 0) {
                rest++;
                break;
            }
        }
    }
    while (*rest && isspace((unsigned char)*rest))
        rest++;
    for (size_t i = 0; i < AG_NELEM(map) && *rest == '\0'; i++) {
        if (strcmp(word, map[i].name) != 0)
            continue;
        out->kind = map[i].kind;
        if (out->kind == AG_T_CHAR || out->kind == AG_T_STRING)
            out->length = nums >= 1 ? x : 0;
        else if (out->kind == AG_T_DECIMAL && nums >= 1) {
            out->precision = x;
            out->scale = nums == 2 ? y : 0;
        }
        return;
    }
    out->kind = AG_T_SQL;
    out->name = trimmed(a, declared, 0, strlen(declared));
}

/* --- CREATE TABLE text --------------------------------------------------------- */

typedef struct table_text {
    bool autoincrement;
    bool pk_desc;       /* a column's PRIMARY KEY DESC: no rowid alias (SQLite's rule) */
    bool without_rowid; /* WITHOUT ROWID: no rowid at all */
} table_text;

/* Strip one layer of parentheses around a whole default expression. */
static const char *default_text(ag_arena *a, const char *d)
{
    if (!d)
        return NULL;
    size_t n = strlen(d);
    if (n >= 2 && d[0] == '(' && d[n - 1] == ')') {
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < n && whole; i++) {
            if (d[i] == '(')
                depth++;
            else if (d[i] == ')' && --depth == 0 && i != n - 1)
                whole = false;
        }
        if (whole)
            return trimmed(a, d, 1, n - 1);
    }
    return ag_arena_strdup(a, d);
}

/* `"col" IN ('a', 'b')`: the values of an enum CHECK, or false. */
static bool enum_check(
    ag_arena *a, const char *text, size_t start, size_t end, const char *col, ag_strs *values)
{
    lex l = { text, start, end };
    tok t = next(&l);
    if ((t.kind != TK_IDENT && t.kind != TK_WORD) || strcmp(ident(a, &l, t), col) != 0)
        return false;
    if (!is_word(&l, next(&l), "IN") || !is_punct(&l, next(&l), '('))
        return false;
    ag_strs vals = { 0 };
    for (;;) {
        t = next(&l);
        if (t.kind != TK_STRING)
            return false;
        /* unquote '' */
        ag_buf b = AG_BUF_INIT;
        for (size_t i = t.start + 1; i + 1 < t.end; i++) {
            if (text[i] == '\'' && text[i + 1] == '\'')
                i++;
            ag_buf_putc(&b, text[i]);
        }
        ag_strs_push_arena(a, &vals, ag_buf_cstr(&b));
        ag_buf_dispose(&b);
        t = next(&l);
        if (is_punct(&l, t, ')'))
            break;
        if (!is_punct(&l, t, ','))
            return false;
    }
    if (next(&l).kind != TK_END)
        return false;
    *values = vals;
    return true;
}

static bool fk_action(lex *l, ag_fk_action *out)
{
    tok t = next(l);
    if (is_word(l, t, "CASCADE"))
        *out = AG_FK_CASCADE;
    else if (is_word(l, t, "RESTRICT"))
        *out = AG_FK_RESTRICT;
    else if (is_word(l, t, "SET")) {
        t = next(l);
        *out = is_word(l, t, "NULL") ? AG_FK_SET_NULL : AG_FK_SET_DEFAULT;
    } else if (is_word(l, t, "NO")) {
        next(l);
        *out = AG_FK_NO_ACTION;
    } else {
        return false;
    }
    return true;
}

/* REFERENCES t (cols) [ON DELETE x] [ON UPDATE y] ... */
static void references(ag_schema *s, lex *l, ag_fk *f)
{
    ag_arena *a = &s->arena;
    tok t = next(l);
    f->ref_table = ident(a, l, t);
    size_t save = l->i;
    tok p = next(l);
    l->i = save;
    if (is_punct(l, p, '('))
        ident_list(a, l, &f->ref_columns);
    for (;;) {
        save = l->i;
        t = next(l);
        if (is_word(l, t, "ON")) {
            tok which = next(l);
            ag_fk_action act;
            if (fk_action(l, &act)) {
                if (is_word(l, which, "DELETE"))
                    f->on_delete = act;
                else if (is_word(l, which, "UPDATE"))
                    f->on_update = act;
            }
        } else if (is_word(l, t, "MATCH")) {
            next(l);
        } else if (is_word(l, t, "DEFERRABLE")) {
            /* [NOT] DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE]:
             * only DEFERRABLE INITIALLY DEFERRED defers (sqlite.org, foreign
             * keys); the others are kept as written. */
            f->defer = AG_FK_DEFERRABLE;
            size_t at = l->i;
            if (is_word(l, next(l), "INITIALLY")) {
                if (is_word(l, next(l), "DEFERRED"))
                    f->defer = AG_FK_DEFERRED;
            } else {
                l->i = at;
            }
        } else if (is_word(l, t, "NOT") && is_word(l, next(l), "DEFERRABLE")) {
            f->defer = AG_FK_NOT_DEFERRABLE;
            size_t at = l->i;
            if (is_word(l, next(l), "INITIALLY"))
                next(l);
            else
                l->i = at;
        } else {
            l->i = save;
            return;
        }
    }
}

static ag_column *find_col(ag_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (strcasecmp(t->columns[i]->name, name) == 0)
            return t->columns[i];
    return NULL;
}

static void add_enum(ag_schema *s, ag_column *c, const char *name, ag_strs *values)
{
    c->type.kind = AG_T_ENUM;
    c->type.name = ag_arena_strdup(&s->arena, name);
    c->enum_values = *values;
    if (!ag_schema_find_enum(s, name)) {
        ag_enum *e = ag_schema_add_enum(s, name);
        ag_strs_clone(&s->arena, &e->values, values);
    }
}

/* A column definition part: constraints written on the column. */
static void column_part(ag_schema *s, ag_table *t, lex *l, table_text *tt)
{
    ag_arena *a = &s->arena;
    tok nt = next(l);
    ag_column *c = find_col(t, ident(a, l, nt));
    const char *cname = NULL;
    for (;;) {
        tok k = next(l);
        if (k.kind == TK_END)
            return;
        if (is_word(l, k, "CONSTRAINT")) {
            cname = ident(a, l, next(l));
            continue;
        }
        if (is_word(l, k, "AUTOINCREMENT")) {
            tt->autoincrement = true;
            if (c)
                c->autoincrement = true;
        } else if (is_word(l, k, "PRIMARY")) {
            size_t save = l->i;
            if (is_word(l, next(l), "KEY") && is_word(l, next(l), "DESC"))
                tt->pk_desc = true;
            else
                l->i = save;
        } else if (is_word(l, k, "COLLATE") && c) {
            c->collation = ident(a, l, next(l));
            if (c->collation && ag_sqlite__collation_same(c->collation, NULL))
                c->collation = NULL; /* BINARY: what a column without COLLATE has */
        } else if (is_word(l, k, "AS") && c) {
            /* [GENERATED ALWAYS] AS (expr) [STORED | VIRTUAL] */
            size_t bs, be;
            if (!is_punct(l, next(l), '(') || !paren_body(l, &bs, &be))
                return;
            c->generated = trimmed(a, l->s, bs, be);
            size_t save = l->i;
            if (is_word(l, next(l), "STORED"))
                c->generated_stored = true;
            else
                l->i = save;
        } else if (is_word(l, k, "CHECK")) {
            if (!is_punct(l, next(l), '('))
                return;
            size_t bs, be;
            if (!paren_body(l, &bs, &be))
                return;
            ag_strs vals = { 0 };
            if (c && enum_check(a, l->s, bs, be, c->name, &vals)) {
                add_enum(s, c, cname ? cname : ag_arena_printf(a, "%s_%s", t->name, c->name),
                         &vals);
            } else {
                ag_check *ck = ag_table_add_check(
                    s, t, cname ? cname : ag_arena_printf(a, "ck_%s_%zu", t->name, t->nchecks + 1));
                ck->expression = trimmed(a, l->s, bs, be);
            }
        } else if (is_word(l, k, "UNIQUE") && c) {
            ag_unique *u = ag_table_add_unique(s, t, cname);
            ag_strs_push(s, &u->columns, c->name);
        } else if (is_word(l, k, "REFERENCES") && c) {
            ag_fk *f = ag_table_add_fk(s, t, cname);
            ag_strs_push(s, &f->columns, c->name);
            references(s, l, f);
        } else if (is_punct(l, k, '(')) {
            size_t bs, be;
            if (!paren_body(l, &bs, &be))
                return;
        }
        if (!is_word(l, k, "CONSTRAINT"))
            cname = NULL;
    }
}

/* A table constraint part. */
static void constraint_part(ag_schema *s, ag_table *t, lex *l)
{
    ag_arena *a = &s->arena;
    const char *cname = NULL;
    tok k = next(l);
    if (is_word(l, k, "CONSTRAINT")) {
        cname = ident(a, l, next(l));
        k = next(l);
    }
    if (is_word(l, k, "PRIMARY")) {
        next(l); /* KEY */
        ag_strs cols = { 0 };
        if (ident_list(a, l, &cols))
            t->pk.name = cname;
    } else if (is_word(l, k, "UNIQUE")) {
        ag_unique *u = ag_table_add_unique(s, t, cname);
        ident_list(a, l, &u->columns);
    } else if (is_word(l, k, "CHECK")) {
        if (!is_punct(l, next(l), '('))
            return;
        size_t bs, be;
        if (!paren_body(l, &bs, &be))
            return;
        ag_check *ck = ag_table_add_check(
            s, t, cname ? cname : ag_arena_printf(a, "ck_%s_%zu", t->name, t->nchecks + 1));
        ck->expression = trimmed(a, l->s, bs, be);
    } else if (is_word(l, k, "FOREIGN")) {
        next(l); /* KEY */
        ag_fk *f = ag_table_add_fk(s, t, cname);
        ident_list(a, l, &f->columns);
        if (is_word(l, next(l), "REFERENCES"))
            references(s, l, f);
    }
}

static bool constraint_start(const lex *l, tok t)
{
    return is_word(l, t, "CONSTRAINT") || is_word(l, t, "PRIMARY") || is_word(l, t, "UNIQUE") ||
           is_word(l, t, "CHECK") || is_word(l, t, "FOREIGN");
}

static void parse_create_table(ag_schema *s, ag_table *t, const char *sql, table_text *out)
{
    lex l = { sql, 0, strlen(sql) };
    tok k;
    do {
        k = next(&l);
    } while (k.kind != TK_END && !is_punct(&l, k, '('));
    table_text tt = { false, false, false };
    /* Split the body at top-level commas. */
    for (;;) {
        size_t part_start = l.i;
        int depth = 0;
        size_t part_end;
        bool last = false;
        for (;;) {
            tok x = next(&l);
            if (x.kind == TK_END) {
                part_end = l.i;
                last = true;
                break;
            }
            if (is_punct(&l, x, '('))
                depth++;
            else if (is_punct(&l, x, ')')) {
                if (depth-- == 0) {
                    part_end = x.start;
                    last = true;
                    break;
                }
            } else if (is_punct(&l, x, ',') && depth == 0) {
                part_end = x.start;
                break;
            }
        }
        lex p = { sql, part_start, part_end };
        size_t save = p.i;
        tok first = next(&p);
        p.i = save;
        if (first.kind != TK_END) {
            if (constraint_start(&p, first))
                constraint_part(s, t, &p);
            else
                column_part(s, t, &p, &tt);
        }
        if (last)
            break;
    }
    /* Table options (STRICT, WITHOUT ROWID): kept as written on a rebuild. */
    size_t tail = l.i;
    for (k = next(&l); k.kind != TK_END; k = next(&l))
        if (is_word(&l, k, "WITHOUT"))
            tt.without_rowid = true;
    const char *options = trimmed(&s->arena, sql, tail, l.n);
    t->options = *options ? options : NULL;
    *out = tt;
}

/* SQLite's rule: a single-column key whose declared type is exactly INTEGER
 * (any case) is the rowid, which assigns ids without AUTOINCREMENT; not in a
 * WITHOUT ROWID table, nor when written `PRIMARY KEY DESC` on the column. */
static void mark_rowid_alias(ag_table *t, const char *declared, const table_text *tt)
{
    ag_column *c = t->pk.columns.n == 1 ? ag_table_find_column(t, t->pk.columns.v[0]) : NULL;
    if (c && declared && strcasecmp(declared, "INTEGER") == 0 && !tt->without_rowid && !tt->pk_desc)
        c->rowid_alias = true;
}

/* CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (…) [WHERE …] */
static void parse_index(ag_schema *s, ag_table *t, const char *name, const char *sql)
{
    ag_arena *a = &s->arena;
    lex l = { sql, 0, strlen(sql) };
    ag_index *x = ag_table_add_index(s, t, name);
    tok k;
    while ((k = next(&l)).kind != TK_END && !is_word(&l, k, "ON"))
        if (is_word(&l, k, "UNIQUE"))
            x->unique = true;
    next(&l); /* table */
    if (!is_punct(&l, next(&l), '('))
        return;
    size_t bs, be;
    if (!paren_body(&l, &bs, &be))
        return;
    lex cl = { sql, bs - 1, be + 1 };
    ag_strs cols = { 0 };
    /* Plain columns, or an expression. */
    lex probe = { sql, bs - 1, be + 1 };
    bool plain = ident_list(a, &probe, &cols);
    if (plain) {
        /* ident_list accepts "col ASC"; reject anything with operators or calls. */
        lex chk = { sql, bs, be };
        for (tok z = next(&chk); z.kind != TK_END; z = next(&chk))
            if (z.kind == TK_PUNCT && sql[z.start] != ',')
                plain = false;
    }
    AG_UNUSED(cl);
    if (plain)
        x->columns = cols;
    else
        x->expression = trimmed(a, sql, bs, be);
    k = next(&l);
    if (is_word(&l, k, "WHERE"))
        x->where = trimmed(a, sql, l.i, l.n);
}

/* --- views and triggers -------------------------------------------------------------- */

bool ag_sqlite__mentions(const char *sql, const char *name)
{
    lex l = { sql, 0, strlen(sql) };
    size_t n = strlen(name);
    ag_arena a = AG_ARENA_INIT;
    bool found = false;
    for (tok t = next(&l); t.kind != TK_END && !found; t = next(&l)) {
        if (t.kind == TK_WORD)
            found = t.end - t.start == n && strncasecmp(sql + t.start, name, n) == 0;
        else if (t.kind == TK_IDENT)
            found = strcasecmp(ident(&a, &l, t), name) == 0;
    }
    ag_arena_release(&a);
    return found;
}

/* `[schema.]name` from the token t on: the name; *at, where it starts. */
static const char *object_name(ag_arena *a, lex *l, tok t, size_t *at)
{
    size_t save = l->i;
    if (is_punct(l, next(l), '.'))
        t = next(l);
    else
        l->i = save;
    if (at)
        *at = t.start;
    return ident(a, l, t);
}

/* One statement of raw SQL: CREATE VIEW/TRIGGER, DROP VIEW/TRIGGER/TABLE. */
static void track_statement(ag_schema *s, const char *sql, size_t start, size_t end)
{
    ag_arena *a = &s->arena;
    lex l = { sql, start, end };
    tok first = next(&l), k = next(&l);
    bool create = is_word(&l, first, "CREATE"), drop = is_word(&l, first, "DROP");
    if (!create && !drop)
        return;
    if (is_word(&l, k, "TEMP") || is_word(&l, k, "TEMPORARY"))
        return; /* sqlite_temp_master: gone with the session */
    bool view = is_word(&l, k, "VIEW"), trigger = is_word(&l, k, "TRIGGER");
    bool table = drop && is_word(&l, k, "TABLE");
    if (!view && !trigger && !table)
        return;
    tok t = next(&l);
    bool if_clause = is_word(&l, t, "IF");
    if (if_clause) {
        next(&l); /* NOT (create) or EXISTS (drop) */
        if (create)
            next(&l); /* EXISTS */
        t = next(&l);
    }
    size_t name_at = 0;
    const char *name = object_name(a, &l, t, &name_at);
    ag_sqlobj_kind kind = view ? AG_OBJ_VIEW : AG_OBJ_TRIGGER;
    if (table) {
        for (size_t i = s->nobjects; i-- > 0;)
            if (s->objects[i]->kind == AG_OBJ_TRIGGER &&
                strcasecmp(s->objects[i]->table, name) == 0)
                ag_schema_remove_object(s, AG_OBJ_TRIGGER, s->objects[i]->name);
        return;
    }
    if (drop) {
        ag_schema_remove_object(s, kind, name);
        return;
    }
    const char *on = name;
    for (tok x = next(&l); trigger && x.kind != TK_END; x = next(&l))
        if (is_word(&l, x, "ON")) {
            on = object_name(a, &l, next(&l), NULL);
            break;
        }
    for (size_t i = 0; i < s->nobjects; i++)
        if (s->objects[i]->kind == kind && strcasecmp(s->objects[i]->name, name) == 0)
            return; /* IF NOT EXISTS, or an error SQLite reports when it runs */
    /* Stored as SQLite stores it: without TEMP, IF NOT EXISTS or the schema. */
    ag_schema_add_object(s, kind, name, on,
                         ag_arena_printf(a, "CREATE %s %s", view ? "VIEW" : "TRIGGER",
                                         trimmed(a, sql, name_at, end)));
}

void ag_sqlite__track_sql(ag_schema *s, const char *sql)
{
    /* Statements end at a semicolon that ends a complete one (not one inside
     * a string or a trigger's body): sqlite3_complete knows. */
    ag_buf stmt = AG_BUF_INIT;
    size_t start = 0, n = strlen(sql);
    for (size_t i = 0; i <= n; i++) {
        if (i < n && sql[i] != ';')
            continue;
        ag_buf_clear(&stmt);
        ag_buf_put(&stmt, sql + start, i - start);
        ag_buf_putc(&stmt, ';');
        if (i < n && !sqlite3_complete(ag_buf_cstr(&stmt)))
            continue;
        track_statement(s, sql, start, i);
        start = i + 1;
    }
    ag_buf_dispose(&stmt);
}

/* --- the schema ------------------------------------------------------------------- */

static bool skip_table(const char *name, const ag_introspect_opts *opts)
{
    return strncmp(name, "sqlite_", 7) == 0 || strncmp(name, "_ag_", 4) == 0 ||
           (opts && opts->version_table && strcmp(name, opts->version_table) == 0) ||
           (opts && opts->run_log_table && strcmp(name, opts->run_log_table) == 0);
}

/* Views and triggers, in the order they were created (rowid), as they are
 * written: a rebuild recreates them (README, SQLite rebuilds). */
static int read_objects(ag_db *db, ag_schema *s, ag_error *err)
{
    ag_rows r = { 0 };
    int rc = ag_dialect_sqlite.query(db,
                                     "SELECT type, name, tbl_name, sql FROM sqlite_master "
                                     "WHERE type IN ('view', 'trigger') AND sql IS NOT NULL "
                                     "ORDER BY rowid",
                                     NULL, 0, &r, err);
    for (size_t i = 0; rc == AG_OK && i < r.nrows; i++)
        ag_schema_add_object(
            s, strcmp(ag_rows_get(&r, i, 0), "view") == 0 ? AG_OBJ_VIEW : AG_OBJ_TRIGGER,
            ag_rows_get(&r, i, 1), ag_rows_get(&r, i, 2), ag_rows_get(&r, i, 3));
    s->objects_complete = rc == AG_OK;
    ag_rows_release(&r);
    return rc;
}

/* The introspection in progress. Every query is read a row at a time and
 * nothing of its text is kept but what the schema holds: at 10,000 tables the
 * column list and sqlite_master as a whole result took more memory than the
 * schema built from them (bench/README.md, "Scale"). */
typedef struct intro {
    ag_schema *s;
    const ag_introspect_opts *opts;
    ag_strmap by_name;    /* table name -> ag_table: columns and indexes find their table */
    ag_strmap integer_pk; /* table name -> non-NULL when its key column is declared INTEGER */
    ag_table *last;       /* the table of the previous column row */
    bool sorted;          /* the column rows come sorted by table and cid */
    bool scattered;       /* a table's columns came out of cid order: sort them */
} intro;

/* `SELECT m.name`: the tables, in name order, without their columns yet. */
static bool table_row(void *arg, const char *const *v, size_t n)
{
    intro *in = arg;
    AG_UNUSED(n);
    if (!skip_table(v[0], in->opts)) {
        ag_table *t = ag_schema_add_table(in->s, v[0]);
        ag_strmap_put(&in->by_name, t->name, t);
    }
    return true;
}

/* `SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk`:
 * one column. The rows come table by table, each in cid order, as the join
 * runs (the function needs its table's name first); should a table's rows
 * ever come out of cid order, the query runs again, sorted. */
static bool column_row(void *arg, const char *const *v, size_t n)
{
    intro *in = arg;
    AG_UNUSED(n);
    ag_table *t = in->last && strcmp(in->last->name, v[0]) == 0 ? in->last
                                                                : ag_strmap_get(&in->by_name, v[0]);
    in->last = t;
    if (!t)
        return true; /* a table autogen does not read (skip_table) */
    if (!in->sorted && (size_t)atoll(v[1]) != t->ncolumns) {
        in->scattered = true;
        return false;
    }
    ag_arena *a = &in->s->arena;
    ag_column *c = ag_table_add_column(in->s, t, v[2]);
    ag_sqlite__type_parse(a, v[3] ? v[3] : "", &c->type);
    c->nullable = strcmp(v[4], "0") == 0;
    c->default_sql = default_text(a, v[5]);
    int pos = atoi(v[6]);
    if (pos > 0) {
        /* The key's columns in key order (pk is the 1-based position). */
        ag_strs *pk = &t->pk.columns;
        if (pk->n < (size_t)pos) {
            pk->v = ag_arena_grow(a, pk->v, sizeof(*pk->v), &pk->cap, (size_t)pos);
            pk->n = (size_t)pos;
        }
        pk->v[pos - 1] = c->name;
        ag_strmap_put(&in->integer_pk, t->name,
                      v[3] && strcasecmp(v[3], "INTEGER") == 0 ? t : NULL);
        c->nullable = false;
    }
    return true;
}

/* A key whose positions left a hole (never seen): the columns there are. */
static void close_pk(ag_strs *pk)
{
    size_t k = 0;
    for (size_t i = 0; i < pk->n; i++)
        if (pk->v[i])
            pk->v[k++] = pk->v[i];
    pk->n = k;
}

/* `SELECT m.type, m.name, m.tbl_name, m.sql`, tables first: what the table's
 * text says beyond its columns, then its indexes. */
static bool master_row(void *arg, const char *const *v, size_t n)
{
    intro *in = arg;
    AG_UNUSED(n);
    ag_schema *s = in->s;
    ag_arena *a = &s->arena;
    if (strcmp(v[0], "table") == 0) {
        ag_table *t = ag_strmap_get(&in->by_name, v[1]);
        if (!t)
            return true;
        close_pk(&t->pk.columns);
        table_text tt;
        parse_create_table(s, t, v[3] ? v[3] : "", &tt);
        /* SQLite's rule (mark_rowid_alias) on the key column's declared type. */
        mark_rowid_alias(t, ag_strmap_get(&in->integer_pk, t->name) ? "INTEGER" : NULL, &tt);
        /* Constraints written without a name still need one to be diffed and dropped. */
        for (size_t i = 0; i < t->nuniques; i++)
            if (!t->uniques[i]->name)
                t->uniques[i]->name = ag_arena_printf(a, "uq_%s_%zu", t->name, i + 1);
        for (size_t i = 0; i < t->nfks; i++)
            if (!t->fks[i]->name)
                t->fks[i]->name = ag_arena_printf(a, "fk_%s_%zu", t->name, i + 1);
    } else if (v[3]) {
        ag_table *t = ag_strmap_get(&in->by_name, v[2]);
        if (t)
            parse_index(s, t, v[1], v[3]);
    }
    return true;
}

int ag_sqlite__introspect(ag_db *db, const ag_introspect_opts *opts, ag_schema **out, ag_error *err)
{
    *out = NULL;
    /* Only the main database: attached ones (and temp) are never read. Virtual
     * tables (FTS, R*Tree) and the shadow tables their modules keep are no
     * tables a model can describe: like views, never read. The column list
     * includes generated columns (table_xinfo), not the hidden columns of
     * virtual tables. */
#define REAL_TABLE                                                                                 \
    "m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND m.name NOT IN "               \
    "(SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow') "
#define COLUMNS                                                                                    \
    "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "                     \
    "FROM main.sqlite_master AS m JOIN pragma_table_xinfo(m.name, 'main') AS p WHERE " REAL_TABLE  \
    "AND p.hidden <> 1"
    intro in = { .s = ag_schema_new(), .opts = opts };
    ag_schema *s = in.s;
    int rc = ag_sqlite__each(
        db, "SELECT m.name FROM main.sqlite_master AS m WHERE " REAL_TABLE "ORDER BY m.name",
        table_row, &in, err);
    /* Unsorted: at 10,000 tables sorting the column list took longer than
     * the rest of the introspection. */
    if (rc == AG_OK)
        rc = ag_sqlite__each(db, COLUMNS, column_row, &in, err);
    if (rc == AG_OK && in.scattered) {
        for (size_t i = 0; i < s->ntables; i++)
            s->tables[i]->ncolumns = s->tables[i]->pk.columns.n = 0;
        in.sorted = true;
        in.last = NULL;
        rc = ag_sqlite__each(db, COLUMNS " ORDER BY m.name, p.cid", column_row, &in, err);
    }
    if (rc == AG_OK)
        rc = ag_sqlite__each(db,
                             "SELECT m.type, m.name, m.tbl_name, m.sql FROM main.sqlite_master "
                             "AS m WHERE (" REAL_TABLE ") OR m.type = 'index' "
                             "ORDER BY m.type DESC, m.name",
                             master_row, &in, err);
#undef COLUMNS
#undef REAL_TABLE
    /* `REFERENCES users` without columns means the referenced table's primary
     * key (sqlite.org, foreign keys): say which, so that it compares equal to
     * the `users.id` a model writes. */
    for (size_t i = 0; rc == AG_OK && i < s->ntables; i++)
        for (size_t k = 0; k < s->tables[i]->nfks; k++) {
            ag_fk *f = s->tables[i]->fks[k];
            const ag_table *rt =
                f->ref_table && !f->ref_columns.n ? ag_strmap_get(&in.by_name, f->ref_table) : NULL;
            for (size_t j = 0; f->ref_table && !f->ref_columns.n && !rt && j < s->ntables; j++)
                if (strcasecmp(s->tables[j]->name, f->ref_table) == 0)
                    rt = s->tables[j];
            if (rt && rt->pk.columns.n == f->columns.n)
                ag_strs_clone(&s->arena, &f->ref_columns, &rt->pk.columns);
        }
    ag_strmap_release(&in.by_name);
    ag_strmap_release(&in.integer_pk);
    if (rc == AG_OK)
        rc = read_objects(db, s, err);
    if (rc != AG_OK) {
        ag_schema_free(s);
        return rc;
    }
    *out = s;
    return AG_OK;
}
