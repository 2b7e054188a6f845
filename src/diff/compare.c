/* compare.c - when two definitions mean the same thing.
 *
 * The two sides of a diff are written by different hands (a YAML model and a
 * database's catalog), so equality here is by meaning: expressions compare
 * by skeleton (blanks, parentheses and casts dropped, case folded outside
 * quotes, needless identifier quotes and PostgreSQL's ~~ spelling undone);
 * defaults compare as values (a number, a string,
 * a boolean, or a normalized expression), knowing the column's type when the
 * caller does; constraints and indexes compare by definition, never by name.
 *
 * Defaults, the rules (both sides first normalized as expressions, a trailing
 * PostgreSQL cast `::type` removed, NULL and no default being the same):
 *   - numbers compare numerically: 0 = 0.0 = (0) = +0; integers beyond a
 *     double's precision compare by their digits;
 *   - string literals compare exactly, quotes and case included ('A' != 'a');
 *   - now(), current_timestamp(), CURRENT_TIMESTAMP, transaction_timestamp()
 *     are one value; other keywords and calls compare case-insensitively;
 *   - true = 1 and false = 0 when written bare;
 *   - with the column's type known: on a numeric column a quoted number is
 *     that number ('0' = 0), on a boolean column the usual spellings of true
 *     ('t', 'true', 'yes', 'on', '1', 1, TRUE) are one value and so are those
 *     of false; on any other column '0' and 0 stay different (a string column
 *     whose default changes from 0 to '0' is shown, since SQLite stores the
 *     two differently).
 */
#include "../util/common.h"

#include "diff_internal.h"

#include "../util/buf.h"

#include <ctype.h>
#include <strings.h>

/* --- expressions ----------------------------------------------------------- */

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Index just past the quoted run that starts at s[i] (s[i] is the quote). */
static size_t skip_quoted(const char *s, size_t n, size_t i)
{
    char q = s[i++];
    while (i < n) {
        if (s[i] == q) {
            if (i + 1 < n && s[i + 1] == q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return n;
}

/* Whether s[0..n) is one parenthesized group, "(...)". */
static bool wholly_parenthesized(const char *s, size_t n)
{
    if (n < 2 || s[0] != '(' || s[n - 1] != ')')
        return false;
    int depth = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '\'' || s[i] == '"') {
            i = skip_quoted(s, n, i);
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0 && i != n - 1)
            return false;
        i++;
    }
    return depth == 0;
}

/* Trim blanks and strip parentheses around the whole of s[0..*n). */
static const char *strip_outer(const char *s, size_t *n)
{
    for (;;) {
        while (*n && isspace((unsigned char)*s)) {
            s++;
            (*n)--;
        }
        while (*n && isspace((unsigned char)s[*n - 1]))
            (*n)--;
        if (!wholly_parenthesized(s, *n))
            return s;
        s++;
        *n -= 2;
    }
}

/* A "double-quoted" identifier that needs no quotes: lower-case word. */
static bool plain_identifier(const char *s, size_t n)
{
    if (n == 0 || isdigit((unsigned char)s[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

/* The normal form of an expression, appended to out. */
static void normalize_n(ag_buf *out, const char *s, size_t n)
{
    s = strip_outer(s, &n);
    bool space = false;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (isspace((unsigned char)c)) {
            space = true;
            i++;
            continue;
        }
        /* One blank survives, and only between two words. */
        if (space && out->len && is_word_char(out->ptr[out->len - 1]) &&
            (is_word_char(c) || c == '"' || c == '\''))
            ag_buf_putc(out, ' ');
        space = false;
        if (c == '\'') {
            size_t e = skip_quoted(s, n, i);
            ag_buf_put(out, s + i, e - i);
            i = e;
        } else if (c == '"') {
            size_t e = skip_quoted(s, n, i);
            if (e - i >= 2 && s[e - 1] == '"' && plain_identifier(s + i + 1, e - i - 2))
                ag_buf_put(out, s + i + 1, e - i - 2);
            else
                ag_buf_put(out, s + i, e - i);
            i = e;
        } else {
            ag_buf_putc(out, (char)tolower((unsigned char)c));
            i++;
        }
    }
}

static void normalize(ag_buf *out, const char *s)
{
    normalize_n(out, s, strlen(s));
}

static bool word_at(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 && !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* The skeleton databases agree on: PostgreSQL stores `price >= 0` as
 * `(price >= (0)::numeric)` and `a LIKE b` as `((a)::text ~~ b)`. Casts and
 * parentheses are dropped, blanks removed, operators spelled one way and
 * keywords folded to lower case (string literals are kept as they are). Two
 * expressions that differ only in grouping compare equal: a price worth paying
 * against rewriting every check on every autogenerate. */
static void skeleton(ag_buf *out, const char *s)
{
    static const char *const multi[] = {
        "varying", "precision", "without", "with", "time", "zone"
    };
    while (*s) {
        char c = *s;
        if (c == '\'') {
            const char *e = s + 1;
            while (*e && !(*e == '\'' && e[1] != '\''))
                e += *e == '\'' ? 2 : 1;
            ag_buf_put(out, s, (size_t)(e - s) + (*e ? 1 : 0));
            s = *e ? e + 1 : e;
            continue;
        }
        if (c == ':' && s[1] == ':') {
            s += 2;
            if (*s == '"') {
                const char *e = strchr(s + 1, '"');
                s = e ? e + 1 : s + strlen(s);
            }
            for (;;) {
                while (isalnum((unsigned char)*s) || *s == '_' || *s == '.')
                    s++;
                bool more = false;
                for (size_t i = 0; *s == ' ' && i < AG_NELEM(multi) && !more; i++)
                    if (word_at(s + 1, multi[i])) {
                        s++;
                        more = true;
                    }
                if (!more)
                    break;
            }
            if (*s == '(') {
                const char *e = strchr(s, ')');
                s = e ? e + 1 : s + strlen(s);
            }
            while (s[0] == '[' && s[1] == ']')
                s += 2;
            continue;
        }
        if (c == '(' || c == ')' || isspace((unsigned char)c)) {
            s++;
            continue;
        }
        if (c == '!' && s[1] == '~' && s[2] == '~') {
            ag_buf_puts(out, s[3] == '*' ? "notilike" : "notlike");
            s += s[3] == '*' ? 4 : 3;
            continue;
        }
        if (c == '~' && s[1] == '~') {
            ag_buf_puts(out, s[2] == '*' ? "ilike" : "like");
            s += s[2] == '*' ? 3 : 2;
            continue;
        }
        ag_buf_putc(out, (char)tolower((unsigned char)c));
        s++;
    }
}

/* normalize (needless identifier quotes go), then the skeleton. */
static void expr_key(ag_buf *out, const char *s)
{
    ag_buf n = AG_BUF_INIT;
    normalize(&n, s);
    skeleton(out, ag_buf_cstr(&n));
    ag_buf_dispose(&n);
}

bool ag_diff__expr_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    ag_buf x = AG_BUF_INIT, y = AG_BUF_INIT;
    expr_key(&x, a);
    expr_key(&y, b);
    bool eq = strcmp(ag_buf_cstr(&x), ag_buf_cstr(&y)) == 0;
    ag_buf_dispose(&x);
    ag_buf_dispose(&y);
    return eq;
}

/* The entry of x for this text, added when add is set and it is missing. */
static ag_expr *expr_entry(ag_exprs *x,
                           const ag_table *t,
                           ag_expr_kind kind,
                           const char *column,
                           const char *text,
                           bool model,
                           const ag_loc *loc,
                           bool add)
{
    for (size_t i = 0; i < x->n; i++) {
        ag_expr *e = &x->v[i];
        if (e->kind == kind && e->table == t && e->model == model && ag_str_eq(e->column, column) &&
            strcmp(e->text, text) == 0)
            return e;
    }
    if (!add)
        return NULL;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        x->v = ag_xrealloc(x->v, x->cap * sizeof(*x->v));
    }
    ag_expr *e = &x->v[x->n++];
    *e = (ag_expr){ .kind = kind,
                    .table = t,
                    .column = ag_arena_strdup(&x->arena, column),
                    .text = ag_arena_strdup(&x->arena, text),
                    .model = model };
    if (loc)
        e->loc = *loc;
    return e;
}

bool ag_diff__expr_same(const ag_expr_ctx *c,
                        ag_expr_kind kind,
                        const char *column,
                        const char *cur,
                        const char *tgt,
                        const ag_loc *loc)
{
    bool text_equal =
        kind == AG_EXPR_DEFAULT ? ag_default_equal(cur, tgt) : ag_diff__expr_equal(cur, tgt);
    if (text_equal || !c || !c->x || !c->t || !cur || !tgt)
        return text_equal;
    ag_expr *a = expr_entry(c->x, c->t, kind, column, cur, false, NULL, !c->resolved);
    ag_expr *b = expr_entry(c->x, c->t, kind, column, tgt, true, loc, !c->resolved);
    if (!c->resolved)
        return false;
    return a && b && a->normal && b->normal &&
           (strcmp(a->normal, b->normal) == 0 || ag_diff__expr_equal(a->normal, b->normal));
}

bool ag_diff__schema_equal(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

/* --- defaults -------------------------------------------------------------- */

typedef enum { V_NONE, V_NUMBER, V_STRING, V_BOOL, V_EXPR } value_kind;

typedef struct value {
    value_kind kind;
    ag_buf text; /* V_NUMBER: the literal; V_STRING: the contents; V_EXPR: normal form */
    bool truth;  /* V_BOOL */
} value;

/* [+-]digits[.digits][e[+-]digits], or .digits; *integer when no . or e. */
static bool number_syntax(const char *s, bool *integer)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false;
    *integer = true;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits = true;
    }
    if (*p == '.') {
        *integer = false;
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        *integer = false;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

static bool numbers_equal(const char *a, const char *b)
{
    bool ia, ib;
    if (!number_syntax(a, &ia) || !number_syntax(b, &ib))
        return false;
    if (ia && ib) {
        /* By digits, so that big integers do not round together. */
        bool na = *a == '-', nb = *b == '-';
        if (*a == '+' || *a == '-')
            a++;
        if (*b == '+' || *b == '-')
            b++;
        while (*a == '0' && a[1])
            a++;
        while (*b == '0' && b[1])
            b++;
        if (strcmp(a, "0") == 0 && strcmp(b, "0") == 0)
            return true;
        return na == nb && strcmp(a, b) == 0;
    }
    return strtod(a, NULL) == strtod(b, NULL);
}

/* Remove a trailing "::type" cast (outside quotes and parentheses). */
static size_t without_cast(const char *s, size_t n)
{
    size_t cut = n;
    int depth = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '\'' || s[i] == '"') {
            i = skip_quoted(s, n, i);
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')')
            depth--;
        else if (depth == 0 && s[i] == ':' && i + 1 < n && s[i + 1] == ':' && i > 0)
            cut = i;
        i++;
    }
    if (cut == n)
        return n;
    /* Only a type name may follow: words, blanks, dots, brackets, digits. */
    for (size_t i = cut + 2; i < n; i++)
        if (!(is_word_char(s[i]) || strchr(" .\"[](),", s[i])))
            return n;
    return cut;
}

static bool one_string_literal(const char *s, size_t n)
{
    return n >= 2 && s[0] == '\'' && skip_quoted(s, n, 0) == n && s[n - 1] == '\'';
}

static bool truth_word(const char *s, bool *truth)
{
    static const char *const yes[] = { "t", "true", "y", "yes", "on", "1" };
    static const char *const no[] = { "f", "false", "n", "no", "off", "0" };
    for (size_t i = 0; i < AG_NELEM(yes); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *truth = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *truth = false;
            return true;
        }
    }
    return false;
}

static bool numeric_type(const ag_type *t)
{
    return ag_type_is_integer(t) || t->kind == AG_T_DECIMAL || t->kind == AG_T_REAL ||
           t->kind == AG_T_DOUBLE;
}

static void parse_value(value *v, const char *s, const ag_type *type)
{
    memset(v, 0, sizeof(*v));
    if (!s)
        return;
    ag_buf norm = AG_BUF_INIT;
    normalize(&norm, s);
    size_t n = without_cast(ag_buf_cstr(&norm), norm.len);
    if (n != norm.len) {
        ag_buf again = AG_BUF_INIT;
        normalize_n(&again, ag_buf_cstr(&norm), n);
        ag_buf_dispose(&norm);
        norm = again;
    }
    const char *t = ag_buf_cstr(&norm);
    bool integer;
    static const char *const now[] = { "now()", "current_timestamp()", "current_timestamp",
                                       "transaction_timestamp()" };
    if (strcmp(t, "null") == 0 || norm.len == 0) {
        v->kind = V_NONE;
    } else if (one_string_literal(t, norm.len)) {
        v->kind = V_STRING;
        for (size_t i = 1; i + 1 < norm.len; i++) {
            ag_buf_putc(&v->text, t[i]);
            if (t[i] == '\'')
                i++; /* '' is one quote */
        }
    } else if (number_syntax(t, &integer)) {
        v->kind = V_NUMBER;
        ag_buf_puts(&v->text, t);
    } else if (strcmp(t, "true") == 0 || strcmp(t, "false") == 0) {
        v->kind = V_BOOL;
        v->truth = t[0] == 't';
    } else {
        v->kind = V_EXPR;
        for (size_t i = 0; i < AG_NELEM(now); i++)
            if (strcmp(t, now[i]) == 0)
                t = "current_timestamp";
        ag_buf_puts(&v->text, t);
    }
    ag_buf_dispose(&norm);
    if (!type)
        return;
    /* What the column's type makes of a literal. */
    if (numeric_type(type) && v->kind == V_STRING && number_syntax(ag_buf_cstr(&v->text), &integer))
        v->kind = V_NUMBER;
    if (type->kind == AG_T_BOOLEAN && (v->kind == V_STRING || v->kind == V_NUMBER) &&
        truth_word(ag_buf_cstr(&v->text), &v->truth))
        v->kind = V_BOOL;
}

static bool values_equal(const value *a, const value *b)
{
    if (a->kind == V_BOOL && b->kind == V_NUMBER)
        return numbers_equal(ag_buf_cstr(&b->text), a->truth ? "1" : "0");
    if (a->kind == V_NUMBER && b->kind == V_BOOL)
        return values_equal(b, a);
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_NONE:
        return true;
    case V_BOOL:
        return a->truth == b->truth;
    case V_NUMBER:
        return numbers_equal(ag_buf_cstr(&a->text), ag_buf_cstr(&b->text));
    case V_STRING:
    case V_EXPR:
        return strcmp(ag_buf_cstr(&a->text), ag_buf_cstr(&b->text)) == 0;
    }
    return false;
}

bool ag_default_equal_typed(const char *a, const char *b, const ag_type *type)
{
    value x, y;
    parse_value(&x, a, type);
    parse_value(&y, b, type);
    bool eq = values_equal(&x, &y);
    ag_buf_dispose(&x.text);
    ag_buf_dispose(&y.text);
    return eq;
}

bool ag_default_equal(const char *a, const char *b)
{
    return ag_default_equal_typed(a, b, NULL);
}

/* --- constraints and indexes ----------------------------------------------- */

static ag_fk_action action(ag_fk_action a)
{
    return a == AG_FK_NONE ? AG_FK_NO_ACTION : a;
}

bool ag_diff__fk_equal(const ag_fk *a, const ag_fk *b)
{
    return a->defer == b->defer && ag_diff__fk_equal_but_defer(a, b);
}

bool ag_diff__fk_equal_but_defer(const ag_fk *a, const ag_fk *b)
{
    return ag_strs_equal(&a->columns, &b->columns) && a->ref_table && b->ref_table &&
           strcmp(a->ref_table, b->ref_table) == 0 &&
           ag_diff__schema_equal(a->ref_schema, b->ref_schema) &&
           ag_strs_equal(&a->ref_columns, &b->ref_columns) &&
           action(a->on_delete) == action(b->on_delete) &&
           action(a->on_update) == action(b->on_update);
}

/* NULL (the default access method) and "btree" are one method. */
static bool method_equal(const char *a, const char *b)
{
    a = a ? a : "btree";
    b = b ? b : "btree";
    return strcasecmp(a, b) == 0;
}

bool ag_diff__index_equal(const ag_expr_ctx *c, const ag_index *a, const ag_index *b)
{
    if (a->unique != b->unique || !ag_strs_equal(&a->columns, &b->columns) ||
        !method_equal(a->method, b->method) || !ag_strs_equal(&a->include, &b->include))
        return false;
    /* Both, so that the server is asked about both at once. */
    bool body = ag_diff__expr_same(c, AG_EXPR_INDEX, NULL, a->expression, b->expression, &b->loc);
    bool where = ag_diff__expr_same(c, AG_EXPR_WHERE, NULL, a->where, b->where, &b->loc);
    return body && where;
}

bool ag_diff__unique_equal(const ag_unique *a, const ag_unique *b)
{
    return ag_strs_equal(&a->columns, &b->columns) && a->defer == b->defer;
}

bool ag_diff__check_equal(const ag_expr_ctx *c, const ag_check *a, const ag_check *b)
{
    return ag_diff__expr_same(c, AG_EXPR_CHECK, NULL, a->expression, b->expression, &b->loc);
}
