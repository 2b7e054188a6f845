/* type.c - the SPEC §3 type vocabulary: parsing, canonical spelling, equality.
 *
 * This is the only place that knows type names. Dialects map ag_type to and
 * from their SQL spellings; models and migration files use the vocabulary
 * parsed here.
 */
#include "../util/common.h"
#include "schema.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

typedef struct {
    const char *name;
    ag_type_kind kind;
    int params; /* 0 none, 1 length, 2 precision/scale (both optional), 3 name */
} type_word;

static const type_word words[] = {
    { "smallint", AG_T_SMALLINT, 0 },
    { "integer", AG_T_INTEGER, 0 },
    { "int", AG_T_INTEGER, 0 },
    { "bigint", AG_T_BIGINT, 0 },
    { "decimal", AG_T_DECIMAL, 2 },
    { "numeric", AG_T_DECIMAL, 2 },
    { "real", AG_T_REAL, 0 },
    { "double", AG_T_DOUBLE, 0 },
    { "boolean", AG_T_BOOLEAN, 0 },
    { "bool", AG_T_BOOLEAN, 0 },
    { "char", AG_T_CHAR, 1 },
    { "string", AG_T_STRING, 1 },
    { "varchar", AG_T_STRING, 1 },
    { "text", AG_T_TEXT, 0 },
    { "date", AG_T_DATE, 0 },
    { "time", AG_T_TIME, 0 },
    { "timestamp", AG_T_TIMESTAMP, 0 },
    { "datetime", AG_T_TIMESTAMP, 0 },
    { "timestamptz", AG_T_TIMESTAMPTZ, 0 },
    { "interval", AG_T_INTERVAL, 0 },
    { "uuid", AG_T_UUID, 0 },
    { "json", AG_T_JSON, 0 },
    { "jsonb", AG_T_JSONB, 0 },
    { "binary", AG_T_BINARY, 0 },
    { "bytea", AG_T_BINARY, 0 },
    { "blob", AG_T_BINARY, 0 },
    { "enum", AG_T_ENUM, 3 },
    { "sql", AG_T_SQL, 3 },
};

/* Canonical names, indexed by kind. */
static const char *const canon[] = {
    [AG_T_UNKNOWN] = "unknown",
    [AG_T_SMALLINT] = "smallint",
    [AG_T_INTEGER] = "integer",
    [AG_T_BIGINT] = "bigint",
    [AG_T_DECIMAL] = "decimal",
    [AG_T_REAL] = "real",
    [AG_T_DOUBLE] = "double",
    [AG_T_BOOLEAN] = "boolean",
    [AG_T_CHAR] = "char",
    [AG_T_STRING] = "string",
    [AG_T_TEXT] = "text",
    [AG_T_DATE] = "date",
    [AG_T_TIME] = "time",
    [AG_T_TIMESTAMP] = "timestamp",
    [AG_T_TIMESTAMPTZ] = "timestamptz",
    [AG_T_INTERVAL] = "interval",
    [AG_T_UUID] = "uuid",
    [AG_T_JSON] = "json",
    [AG_T_JSONB] = "jsonb",
    [AG_T_BINARY] = "binary",
    [AG_T_ENUM] = "enum",
    [AG_T_SQL] = "sql",
};

/* The largest length of char(n)/string(n) and precision of decimal(p,s):
 * PostgreSQL's limits, kept on every database so that models stay portable. */
enum { MAX_LENGTH = 10485760, MAX_PRECISION = 1000 };

/* An optionally signed integer between spaces; values beyond the int range are
 * clamped, so that "a length can be at most ..." can still be said. */
static bool parse_int(const char **p, long *out)
{
    while (isspace((unsigned char)**p))
        (*p)++;
    bool neg = **p == '-';
    if (neg)
        (*p)++;
    if (!isdigit((unsigned char)**p))
        return false;
    long v = 0;
    while (isdigit((unsigned char)**p)) {
        if (v <= 1000000000L)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    while (isspace((unsigned char)**p))
        (*p)++;
    *out = neg ? -v : v;
    return true;
}

/* The parameters of a length type: "(n)" after the word; *p after the ')'. */
static const char *parse_length(const char **p, const type_word *w, ag_type *out, ag_arena *a)
{
    long n;
    if (!parse_int(p, &n))
        return ag_arena_printf(a, "write the length as a number, as in '%s(100)'", w->name);
    if (**p != ')')
        return ag_arena_printf(a, "write it as %s(n), as in '%s(100)'", w->name, w->name);
    (*p)++;
    if (n < 1)
        return w->kind == AG_T_STRING ? ag_arena_printf(a,
                                                        "a length must be at least 1 (write "
                                                        "'%s' for no limit)",
                                                        w->name)
                                      : "a length must be at least 1";
    if (n > MAX_LENGTH)
        return ag_arena_printf(a,
                               "a length can be at most %d (PostgreSQL's limit); use 'text' for "
                               "longer values",
                               MAX_LENGTH);
    out->length = (int)n;
    return NULL;
}

/* The parameters of decimal: "(p)" or "(p,s)"; *p after the ')'. */
static const char *parse_precision(const char **p, const type_word *w, ag_type *out, ag_arena *a)
{
    long prec, scale = 0;
    if (!parse_int(p, &prec))
        return ag_arena_printf(a, "write the precision as a number, as in '%s(12,2)'", w->name);
    if (prec < 1)
        return "the precision must be at least 1";
    if (prec > MAX_PRECISION)
        return ag_arena_printf(a, "the precision can be at most %d (PostgreSQL's limit)",
                               MAX_PRECISION);
    if (**p == ',') {
        (*p)++;
        if (!parse_int(p, &scale) || scale < 0)
            return ag_arena_printf(a, "the scale must be a number from 0 to the precision (%ld)",
                                   prec);
        if (scale > prec)
            return ag_arena_printf(a,
                                   "the scale (%ld) cannot exceed the precision (%ld), the number "
                                   "of digits in all; did you mean '%s(%ld,%ld)'?",
                                   scale, prec, w->name, scale, prec);
    }
    if (**p != ')')
        return ag_arena_printf(a, "write it as %s(p,s), as in '%s(12,2)'", w->name, w->name);
    (*p)++;
    out->precision = (int)prec;
    out->scale = (int)scale;
    return NULL;
}

/* The parameter of enum(name) / sql(anything, with balanced parentheses). */
static const char *parse_name(const char **p, const type_word *w, ag_type *out, ag_arena *a)
{
    const char *start = *p, *q = *p;
    int depth = 0;
    for (; *q; q++) {
        if (*q == '(')
            depth++;
        else if (*q == ')' && depth-- == 0)
            break;
    }
    const char *usage = w->kind == AG_T_ENUM ? "write enum(name), with the name of a declared enum"
                                             : "write sql(TYPE), as in 'sql(tsvector)'";
    if (*q != ')')
        return usage;
    const char *end = q;
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    /* sql() is no declared type at all: SQLite's `CREATE TABLE kv (k, v)`. */
    if (start == end && w->kind == AG_T_ENUM)
        return usage;
    out->name = ag_arena_strndup(a, start, (size_t)(end - start));
    if (w->kind == AG_T_ENUM)
        for (const char *c = out->name; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
                return "an enum's name is letters, digits, '_' and '.'";
    *p = q + 1;
    return NULL;
}

bool ag_type_parse_why(ag_arena *a, const char *spec, ag_type *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if (!spec)
        return false;
    while (isspace((unsigned char)*spec))
        spec++;
    size_t wlen = 0;
    while (isalnum((unsigned char)spec[wlen]) || spec[wlen] == '_')
        wlen++;
    const type_word *w = NULL;
    for (size_t i = 0; i < AG_NELEM(words) && !w; i++) /* the names are distinct */
        if (strncasecmp(words[i].name, spec, wlen) == 0 && words[i].name[wlen] == '\0')
            w = &words[i];
    if (!w)
        return false;
    const char *p = spec + wlen;
    while (isspace((unsigned char)*p))
        p++;
    out->kind = w->kind;
    if (*p == '\0') { /* bare word: every type but sql() may omit its parameters */
        if (w->kind == AG_T_SQL)
            *why = "write sql(TYPE), as in 'sql(tsvector)'";
        return !*why;
    }
    if (*p != '(' || w->params == 0) {
        *why = *p == '('
                   ? ag_arena_printf(a, "'%s' takes no parameters; write '%s'", w->name, w->name)
                   : ag_arena_printf(a, "unexpected '%s' after '%s'", p, w->name);
        return false;
    }
    p++;
    *why = w->params == 3   ? parse_name(&p, w, out, a)
           : w->params == 1 ? parse_length(&p, w, out, a)
                            : parse_precision(&p, w, out, a);
    if (*why)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        *why = ag_arena_printf(a, "unexpected '%s' after the parameters", p);
    return !*why;
}

bool ag_type_parse(ag_arena *a, const char *spec, ag_type *out)
{
    return ag_type_parse_why(a, spec, out, NULL);
}

const char *ag_type_format(ag_arena *a, const ag_type *t)
{
    const char *n = canon[t->kind];
    switch (t->kind) {
    case AG_T_CHAR:
    case AG_T_STRING:
        return t->length ? ag_arena_printf(a, "%s(%d)", n, t->length) : n;
    case AG_T_DECIMAL:
        if (!t->precision)
            return n;
        return ag_arena_printf(a, "decimal(%d,%d)", t->precision, t->scale);
    case AG_T_ENUM:
    case AG_T_SQL:
        return t->name ? ag_arena_printf(a, "%s(%s)", n, t->name) : n;
    default:
        return n;
    }
}

bool ag_type_equal(const ag_type *a, const ag_type *b)
{
    if (a->kind != b->kind || a->length != b->length || a->precision != b->precision ||
        a->scale != b->scale)
        return false;
    if (a->kind == AG_T_ENUM || a->kind == AG_T_SQL) {
        if (!a->name || !b->name)
            return a->name == b->name || a->kind == AG_T_ENUM;
        return a->kind == AG_T_SQL ? strcasecmp(a->name, b->name) == 0
                                   : strcmp(a->name, b->name) == 0;
    }
    return true;
}

bool ag_type_is_integer(const ag_type *t)
{
    return t->kind == AG_T_SMALLINT || t->kind == AG_T_INTEGER || t->kind == AG_T_BIGINT;
}

size_t ag_levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 256 || lb > 256)
        return la > lb ? la : lb;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost =
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ag_type_suggest(ag_arena *a, const char *bad)
{
    if (!bad)
        return NULL;
    /* Split "word(args)" and suggest the closest word with the same args. */
    size_t wlen = strcspn(bad, "(");
    char word[64];
    if (wlen == 0 || wlen >= sizeof(word))
        return NULL;
    memcpy(word, bad, wlen);
    word[wlen] = '\0';
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < AG_NELEM(words); i++) {
        size_t d = ag_levenshtein(word, words[i].name);
        if (d < best_d) {
            best_d = d;
            best = words[i].name;
        }
    }
    size_t limit = wlen <= 4 ? 1 : 2;
    if (!best || best_d == 0 || best_d > limit)
        return NULL;
    const char *candidate = ag_arena_printf(a, "%s%s", best, bad + wlen);
    ag_type t;
    return ag_type_parse(a, candidate, &t) ? candidate : NULL;
}

static const struct {
    const char *name, *sql;
    ag_fk_action act;
} actions[] = {
    { "no action", "NO ACTION", AG_FK_NO_ACTION },
    { "cascade", "CASCADE", AG_FK_CASCADE },
    { "set null", "SET NULL", AG_FK_SET_NULL },
    { "set default", "SET DEFAULT", AG_FK_SET_DEFAULT },
    { "restrict", "RESTRICT", AG_FK_RESTRICT },
};

bool ag_fk_action_parse(const char *s, ag_fk_action *out)
{
    char norm[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof(norm); s++) {
        char c = (char)tolower((unsigned char)*s);
        if (c == '_')
            c = ' ';
        if (c == ' ' && (n == 0 || norm[n - 1] == ' '))
            continue;
        norm[n++] = c;
    }
    while (n && norm[n - 1] == ' ')
        n--;
    norm[n] = '\0';
    for (size_t i = 0; i < AG_NELEM(actions); i++)
        if (strcmp(actions[i].name, norm) == 0) {
            *out = actions[i].act;
            return true;
        }
    return false;
}

const char *ag_fk_action_sql(ag_fk_action a)
{
    for (size_t i = 0; i < AG_NELEM(actions); i++)
        if (actions[i].act == a)
            return actions[i].sql;
    return NULL;
}

const char *ag_fk_action_name(ag_fk_action a)
{
    for (size_t i = 0; i < AG_NELEM(actions); i++)
        if (actions[i].act == a)
            return actions[i].name;
    return NULL;
}

bool ag_fk_defer_parse(const char *s, ag_fk_defer *out)
{
    if (!s || strcasecmp(s, "not deferrable") == 0)
        *out = AG_FK_NOT_DEFERRABLE;
    else if (strcasecmp(s, "immediate") == 0)
        *out = AG_FK_DEFERRABLE;
    else if (strcasecmp(s, "deferred") == 0)
        *out = AG_FK_DEFERRED;
    else
        return false;
    return true;
}

const char *ag_fk_defer_name(ag_fk_defer d)
{
    return d == AG_FK_DEFERRED ? "deferred" : d == AG_FK_DEFERRABLE ? "immediate" : NULL;
}

const char *ag_fk_defer_sql(ag_fk_defer d)
{
    return d == AG_FK_DEFERRED     ? "DEFERRABLE INITIALLY DEFERRED"
           : d == AG_FK_DEFERRABLE ? "DEFERRABLE"
                                   : NULL;
}
