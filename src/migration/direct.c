/* direct.c - recording a migration without compiling it, when it is plain calls.
 *
 * Most migration files are what `autogen revision` wrote: the header
 * declarations, then upgrade() and downgrade() made of ag_* calls whose
 * arguments are string literals, NULL, numbers and the AG_* macros of
 * <autogen/migration.h>. Compiling such a file costs two compiler states and
 * an object file; reading it costs a pass over its text. So such a file is
 * read here, token by token, and its calls are made on the recorder exactly
 * as the compiled function would make them: the same structures, filled as
 * the macros fill them, handed to the same ag_* functions.
 *
 * Anything else (another directive, a helper function, a variable, an `if`,
 * a cast, an escape this reader does not know, a wrong argument) is not
 * judged here: the file goes to the compiler, which runs it or reports the
 * error at its file:line. This reader only ever accepts text the compiler
 * accepts and means the same thing by it.
 */
#include "../util/common.h"
#include "migfile.h"

#include "../util/arena.h"

/* The calls below are the recorder's functions themselves: the line of each
 * is the migration file's, set explicitly, not this file's __LINE__. */
#define AG_MIGRATION_NO_LINES
#include <autogen/migration.h>
#include <ctype.h>
#include <stdio.h>

/* Deep enough for every macro of the header inside another. */
#define MAX_LIST 4096

typedef enum { T_END, T_IDENT, T_STRING, T_NUMBER, T_PUNCT, T_BAD } tkind;

typedef struct tk {
    tkind kind;
    const char *p; /* the token's text (T_STRING: the decoded value, in the arena) */
    size_t n;
    long num; /* T_NUMBER */
} tk;

typedef struct rd {
    const char *s, *end;
    ag_arena *a;
    tk t; /* the current token */
    bool bad;
    bool included; /* the header's #include came before any token */
    bool any;      /* a token was read */
    /* Where the current token and the two before it start, and a line count
     * kept up to `counted`: a call's line is that of its closing parenthesis,
     * as the compiler's __LINE__ in the macros of <autogen/migration.h>. */
    const char *cur, *prev, *prev2;
    const char *counted;
    unsigned line;
} rd;

/* The 1-based line of p, counting on from the last position asked for. */
static unsigned line_of(rd *r, const char *p)
{
    for (; r->counted < p; r->counted++)
        r->line += *r->counted == '\n';
    return r->line;
}

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* One C escape after the backslash at *pp; false for any this reader leaves to the compiler. */
static bool escape(const char **pp, const char *end, char *out)
{
    const char *p = *pp;
    if (p >= end)
        return false;
    switch (*p) {
    case 'n':
        *out = '\n';
        break;
    case 't':
        *out = '\t';
        break;
    case 'r':
        *out = '\r';
        break;
    case '\\':
        *out = '\\';
        break;
    case '"':
        *out = '"';
        break;
    case '\'':
        *out = '\'';
        break;
    case '?':
        *out = '?';
        break;
    default:
        return false; /* octal, hex, \0 (which would cut the string): compiled */
    }
    *pp = p + 1;
    return true;
}

/* Skip spaces and comments; a preprocessor line other than the include of the
 * header makes the file one for the compiler. */
static void skip_space(rd *r, bool *line_start)
{
    for (;;) {
        while (r->s < r->end && isspace((unsigned char)*r->s)) {
            if (*r->s == '\n')
                *line_start = true;
            r->s++;
        }
        if (r->s + 1 < r->end && r->s[0] == '/' && r->s[1] == '*') {
            const char *e = r->s + 2;
            while (e + 1 < r->end && !(e[0] == '*' && e[1] == '/'))
                e++;
            if (e + 1 >= r->end) {
                r->bad = true;
                return;
            }
            r->s = e + 2;
            continue;
        }
        if (r->s + 1 < r->end && r->s[0] == '/' && r->s[1] == '/') {
            while (r->s < r->end && *r->s != '\n')
                r->s++;
            continue;
        }
        if (r->s < r->end && *r->s == '#' && *line_start) {
            static const char inc[] = "#include <autogen/migration.h>";
            const char *eol = memchr(r->s, '\n', (size_t)(r->end - r->s));
            size_t len = (size_t)((eol ? eol : r->end) - r->s);
            while (len > 0 && isspace((unsigned char)r->s[len - 1]))
                len--;
            if (len != sizeof(inc) - 1 || memcmp(r->s, inc, len) != 0) {
                r->bad = true;
                return;
            }
            if (r->any) {
                r->bad = true; /* the header after code that needs it */
                return;
            }
            r->included = true;
            r->s += len;
            continue;
        }
        return;
    }
}

static void next(rd *r)
{
    bool line_start = false;
    skip_space(r, &line_start);
    r->prev2 = r->prev;
    r->prev = r->cur;
    r->cur = r->s;
    tk *t = &r->t;
    memset(t, 0, sizeof(*t));
    if (r->bad) {
        t->kind = T_BAD;
        return;
    }
    if (r->s >= r->end) {
        t->kind = T_END;
        return;
    }
    r->any = true;
    const char *s = r->s;
    if (isalpha((unsigned char)*s) || *s == '_') {
        const char *e = s;
        while (e < r->end && is_ident_char(*e))
            e++;
        *t = (tk){ T_IDENT, s, (size_t)(e - s), 0 };
        r->s = e;
        /* A prefixed literal (L"", u8"") is an identifier glued to a string. */
        if (e < r->end && (*e == '"' || *e == '\''))
            t->kind = T_BAD;
        return;
    }
    if (isdigit((unsigned char)*s)) {
        const char *e = s;
        long v = 0;
        while (e < r->end && isdigit((unsigned char)*e) && v < 100000000)
            v = v * 10 + (*e++ - '0');
        /* Octal, hex, suffixes, floats, huge values: compiled. */
        if ((e - s > 1 && *s == '0') || (e < r->end && (is_ident_char(*e) || *e == '.'))) {
            t->kind = T_BAD;
            return;
        }
        *t = (tk){ T_NUMBER, s, (size_t)(e - s), v };
        r->s = e;
        return;
    }
    if (*s == '"') {
        /* Adjacent literals are one string, as the compiler joins them. */
        char *buf = NULL;
        size_t len = 0, cap = 0;
        while (r->s < r->end && *r->s == '"') {
            const char *p = r->s + 1;
            for (;;) {
                if (p >= r->end || *p == '\n') {
                    free(buf);
                    t->kind = T_BAD;
                    return;
                }
                char c = *p++;
                if (c == '"')
                    break;
                if (c == '\\' && !escape(&p, r->end, &c)) {
                    free(buf);
                    t->kind = T_BAD;
                    return;
                }
                if (len + 1 >= cap) {
                    cap = cap ? cap * 2 : 64;
                    buf = ag_xrealloc(buf, cap);
                }
                buf[len++] = c;
            }
            r->s = p;
            line_start = false;
            skip_space(r, &line_start);
            if (r->bad) {
                free(buf);
                t->kind = T_BAD;
                return;
            }
        }
        char *v = ag_arena_alloc(r->a, len + 1);
        if (len)
            memcpy(v, buf, len);
        v[len] = '\0';
        free(buf);
        *t = (tk){ T_STRING, v, len, 0 };
        return;
    }
    if (strchr("(){}[],;=*.-&", *s)) {
        *t = (tk){ T_PUNCT, s, 1, 0 };
        r->s = s + 1;
        return;
    }
    t->kind = T_BAD; /* character literals, operators, anything else */
}

static bool is_punct(const rd *r, char c)
{
    return r->t.kind == T_PUNCT && r->t.p[0] == c;
}

static bool is_word(const rd *r, const char *w)
{
    return r->t.kind == T_IDENT && r->t.n == strlen(w) && memcmp(r->t.p, w, r->t.n) == 0;
}

static bool expect_punct(rd *r, char c)
{
    if (!is_punct(r, c))
        return false;
    next(r);
    return true;
}

static bool expect_word(rd *r, const char *w)
{
    if (!is_word(r, w))
        return false;
    next(r);
    return true;
}

/* --- arguments ---------------------------------------------------------------- */

/* A string argument: a literal or NULL. */
static bool arg_string(rd *r, const char **out)
{
    if (r->t.kind == T_STRING) {
        *out = r->t.p;
        next(r);
        return true;
    }
    *out = NULL;
    return expect_word(r, "NULL");
}

/* An int field: a decimal number, its negation, or AG_KEEP. */
static bool arg_int(rd *r, int *out)
{
    bool neg = false;
    if (is_word(r, "AG_KEEP")) {
        *out = AG_KEEP;
        next(r);
        return true;
    }
    if (is_punct(r, '-')) {
        neg = true;
        next(r);
    }
    if (r->t.kind != T_NUMBER)
        return false;
    *out = (int)(neg ? -r->t.num : r->t.num);
    next(r);
    return true;
}

/* AG_COLS("a", ...) or AG_VALUES(...), or NULL: a NULL-terminated array. */
static bool arg_list(rd *r, const char *const **out)
{
    *out = NULL;
    if (expect_word(r, "NULL"))
        return true;
    if (!is_word(r, "AG_COLS") && !is_word(r, "AG_VALUES"))
        return false;
    next(r);
    if (!expect_punct(r, '('))
        return false;
    const char *v[MAX_LIST];
    size_t n = 0;
    do {
        if (r->t.kind != T_STRING || n + 1 >= MAX_LIST)
            return false;
        v[n++] = r->t.p;
        next(r);
    } while (expect_punct(r, ','));
    if (!expect_punct(r, ')'))
        return false;
    const char **arr = ag_arena_alloc(r->a, (n + 1) * sizeof(*arr));
    memcpy(arr, v, n * sizeof(*arr));
    arr[n] = NULL;
    *out = arr;
    return true;
}

/* The fields of a struct the header's macros fill: in order, then designated. */
typedef enum { F_STR, F_INT, F_LIST } fkind;
typedef struct field {
    const char *name;
    fkind kind;
    size_t offset;
} field;

#define FIELD(type, name, kind)                                                                    \
    {                                                                                              \
#name, kind, offsetof(type, name)                                                          \
    }
static const field column_fields[] = {
    FIELD(ag_column_def, name, F_STR),          FIELD(ag_column_def, type, F_STR),
    FIELD(ag_column_def, not_null, F_INT),      FIELD(ag_column_def, primary_key, F_INT),
    FIELD(ag_column_def, autoincrement, F_INT), FIELD(ag_column_def, server_default, F_STR),
    FIELD(ag_column_def, comment, F_STR),       FIELD(ag_column_def, values, F_LIST),
    FIELD(ag_column_def, collation, F_STR),     FIELD(ag_column_def, generated, F_STR),
    FIELD(ag_column_def, stored, F_INT),
};
static const field index_fields[] = {
    FIELD(ag_index_def, unique, F_INT),     FIELD(ag_index_def, where, F_STR),
    FIELD(ag_index_def, expression, F_STR), FIELD(ag_index_def, method, F_STR),
    FIELD(ag_index_def, include, F_LIST),
};
static const field alter_fields[] = {
    FIELD(ag_alter_def, type, F_STR),
    FIELD(ag_alter_def, nullable, F_INT),
    FIELD(ag_alter_def, server_default, F_STR),
    FIELD(ag_alter_def, drop_default, F_INT),
    FIELD(ag_alter_def, comment, F_STR),
    FIELD(ag_alter_def, drop_comment, F_INT),
    FIELD(ag_alter_def, existing_type, F_STR),
    FIELD(ag_alter_def, existing_nullable, F_INT),
    FIELD(ag_alter_def, existing_server_default, F_STR),
    FIELD(ag_alter_def, existing_comment, F_STR),
    FIELD(ag_alter_def, values, F_LIST),
    FIELD(ag_alter_def, collation, F_STR),
    FIELD(ag_alter_def, drop_collation, F_INT),
    FIELD(ag_alter_def, existing_collation, F_STR),
};
#undef FIELD

static bool field_value(rd *r, const field *f, void *obj)
{
    char *at = (char *)obj + f->offset;
    switch (f->kind) {
    case F_STR: {
        const char *v;
        if (!arg_string(r, &v))
            return false;
        memcpy(at, &v, sizeof(v));
        return true;
    }
    case F_INT: {
        int v;
        if (!arg_int(r, &v))
            return false;
        memcpy(at, &v, sizeof(v));
        return true;
    }
    case F_LIST: {
        const char *const *v;
        if (!arg_list(r, &v))
            return false;
        memcpy(at, &v, sizeof(v));
        return true;
    }
    }
    return false;
}

/* The inside of MACRO( ... ): positional values first, in field order, then
 * `.field = value`, each field at most once; `positional` false when the
 * macro puts designated fields of its own first (AG_ALTER), so that a
 * positional value would land on a field this reader does not track. Empty
 * only when allow_empty (AG_ALTER() leaves a trailing comma, valid C; an
 * empty AG_INDEX() is not). */
static bool fields(rd *r, const field *fs, size_t nf, void *obj, bool positional, bool allow_empty)
{
    if (!expect_punct(r, '('))
        return false;
    if (is_punct(r, ')')) {
        next(r);
        return allow_empty;
    }
    bool seen[16] = { 0 };
    size_t pos = 0;
    bool designated = false;
    do {
        if (is_punct(r, '.')) {
            next(r);
            if (r->t.kind != T_IDENT)
                return false;
            size_t k = 0;
            while (k < nf &&
                   !(strlen(fs[k].name) == r->t.n && memcmp(fs[k].name, r->t.p, r->t.n) == 0))
                k++;
            if (k == nf || seen[k])
                return false;
            next(r);
            if (!expect_punct(r, '='))
                return false;
            if (!field_value(r, &fs[k], obj))
                return false;
            seen[k] = designated = true;
        } else {
            if (!positional || designated || pos >= nf || seen[pos])
                return false;
            if (!field_value(r, &fs[pos], obj))
                return false;
            seen[pos++] = true;
        }
    } while (expect_punct(r, ','));
    return expect_punct(r, ')');
}

static bool arg_column(rd *r, const ag_column_def **out)
{
    if (!expect_word(r, "AG_COLUMN"))
        return false;
    ag_column_def *c = ag_arena_alloc(r->a, sizeof(*c));
    memset(c, 0, sizeof(*c));
    *out = c;
    return fields(r, column_fields, AG_NELEM(column_fields), c, true, false);
}

static bool arg_index(rd *r, const ag_index_def **out)
{
    *out = NULL;
    if (expect_word(r, "NULL"))
        return true;
    if (!expect_word(r, "AG_INDEX"))
        return false;
    ag_index_def *x = ag_arena_alloc(r->a, sizeof(*x));
    memset(x, 0, sizeof(*x));
    *out = x;
    return fields(r, index_fields, AG_NELEM(index_fields), x, true, false);
}

static bool arg_alter(rd *r, const ag_alter_def **out)
{
    if (!expect_word(r, "AG_ALTER"))
        return false;
    ag_alter_def *x = ag_arena_alloc(r->a, sizeof(*x));
    memset(x, 0, sizeof(*x));
    x->nullable = AG_KEEP;
    x->existing_nullable = AG_KEEP;
    *out = x;
    return fields(r, alter_fields, AG_NELEM(alter_fields), x, false, true);
}

/* One item of ag_create_table(), or NULL. */
static bool arg_item(rd *r, const ag_item **out)
{
    *out = NULL;
    if (expect_word(r, "NULL"))
        return true;
    ag_item *it = ag_arena_alloc(r->a, sizeof(*it));
    memset(it, 0, sizeof(*it));
    *out = it;
    if (expect_word(r, "AG_COL")) {
        it->kind = AG_ITEM_COLUMN;
        ag_column_def *c = ag_arena_alloc(r->a, sizeof(*c));
        memset(c, 0, sizeof(*c));
        it->column = c;
        return fields(r, column_fields, AG_NELEM(column_fields), c, true, false);
    }
    if (is_word(r, "AG_PRIMARY_KEY") || is_word(r, "AG_UNIQUE") ||
        is_word(r, "AG_DEFERRABLE_UNIQUE")) {
        bool deferrable = is_word(r, "AG_DEFERRABLE_UNIQUE");
        it->kind = is_word(r, "AG_PRIMARY_KEY") ? AG_ITEM_PRIMARY_KEY : AG_ITEM_UNIQUE;
        next(r);
        return expect_punct(r, '(') && arg_string(r, &it->name) && expect_punct(r, ',') &&
               arg_list(r, &it->columns) &&
               (!deferrable || (expect_punct(r, ',') && arg_string(r, &it->initially))) &&
               expect_punct(r, ')');
    }
    if (expect_word(r, "AG_TABLE_OPTIONS")) {
        it->kind = AG_ITEM_OPTIONS;
        return expect_punct(r, '(') && arg_string(r, &it->expression) && expect_punct(r, ')');
    }
    if (expect_word(r, "AG_CHECK")) {
        it->kind = AG_ITEM_CHECK;
        return expect_punct(r, '(') && arg_string(r, &it->name) && expect_punct(r, ',') &&
               arg_string(r, &it->expression) && expect_punct(r, ')');
    }
    bool deferrable = is_word(r, "AG_DEFERRABLE_FOREIGN_KEY");
    if (deferrable || expect_word(r, "AG_FOREIGN_KEY")) {
        if (deferrable)
            next(r);
        it->kind = AG_ITEM_FOREIGN_KEY;
        return expect_punct(r, '(') && arg_string(r, &it->name) && expect_punct(r, ',') &&
               arg_list(r, &it->columns) && expect_punct(r, ',') && arg_string(r, &it->ref_table) &&
               expect_punct(r, ',') && arg_list(r, &it->ref_columns) && expect_punct(r, ',') &&
               arg_string(r, &it->on_delete) && expect_punct(r, ',') &&
               arg_string(r, &it->on_update) &&
               (!deferrable || (expect_punct(r, ',') && arg_string(r, &it->initially))) &&
               expect_punct(r, ')');
    }
    return false;
}

/* --- calls ---------------------------------------------------------------------- */

/* The argument kinds after `op`: S string, L list, C column, X index options,
 * A alter, I items (the rest of the call). */
typedef struct call {
    const char *name;
    const char *args;
} call;

static const call calls[] = {
    { "ag_create_table", "SI" },
    { "ag_drop_table", "S" },
    { "ag_rename_table", "SS" },
    { "ag_table_comment", "SSS" },
    { "ag_add_column", "SC" },
    { "ag_drop_column", "SS" },
    { "ag_alter_column", "SSA" },
    { "ag_rename_column", "SSS" },
    { "ag_create_index", "SSLX" },
    { "ag_drop_index", "SS" },
    { "ag_create_unique", "SSL" },
    { "ag_create_deferrable_unique", "SSLS" },
    { "ag_drop_unique", "SS" },
    { "ag_create_check", "SSS" },
    { "ag_drop_check", "SS" },
    { "ag_create_foreign_key", "SSLSLSS" },
    { "ag_create_deferrable_foreign_key", "SSLSLSSS" },
    { "ag_alter_foreign_key", "SSSS" },
    { "ag_drop_foreign_key", "SS" },
    { "ag_create_primary_key", "SSL" },
    { "ag_drop_primary_key", "SS" },
    { "ag_create_enum", "SL" },
    { "ag_drop_enum", "S" },
    { "ag_add_enum_value", "SS" },
    { "ag_add_enum_value_before", "SSS" },
    { "ag_alter_enum", "SL" },
    { "ag_drop_enum_value", "SS" },
    { "ag_execute", "S" },
};

typedef struct args {
    const char *s[8];
    const char *const *l[4];
    const ag_column_def *c;
    const ag_index_def *x;
    const ag_alter_def *alt;
    const ag_item **items;
    size_t ns, nl;
} args;

static void run_call(const call *k, ag_op *op, const args *a)
{
    const char *const *s = a->s;
    const char *const *const *l = a->l;
    const char *n = k->name + 3;
#define IS(w) (strcmp(n, w) == 0)
    if (IS("create_table"))
        ag_create_table_items(op, s[0], a->items);
    else if (IS("drop_table"))
        ag_drop_table(op, s[0]);
    else if (IS("rename_table"))
        ag_rename_table(op, s[0], s[1]);
    else if (IS("table_comment"))
        ag_table_comment(op, s[0], s[1], s[2]);
    else if (IS("add_column"))
        ag_add_column(op, s[0], a->c);
    else if (IS("drop_column"))
        ag_drop_column(op, s[0], s[1]);
    else if (IS("alter_column"))
        ag_alter_column(op, s[0], s[1], a->alt);
    else if (IS("rename_column"))
        ag_rename_column(op, s[0], s[1], s[2]);
    else if (IS("create_index"))
        ag_create_index(op, s[0], s[1], l[0], a->x);
    else if (IS("drop_index"))
        ag_drop_index(op, s[0], s[1]);
    else if (IS("create_unique"))
        ag_create_unique(op, s[0], s[1], l[0]);
    else if (IS("create_deferrable_unique"))
        ag_create_deferrable_unique(op, s[0], s[1], l[0], s[2]);
    else if (IS("drop_unique"))
        ag_drop_unique(op, s[0], s[1]);
    else if (IS("create_check"))
        ag_create_check(op, s[0], s[1], s[2]);
    else if (IS("drop_check"))
        ag_drop_check(op, s[0], s[1]);
    else if (IS("create_foreign_key"))
        ag_create_foreign_key(op, s[0], s[1], l[0], s[2], l[1], s[3], s[4]);
    else if (IS("create_deferrable_foreign_key"))
        ag_create_deferrable_foreign_key(op, s[0], s[1], l[0], s[2], l[1], s[3], s[4], s[5]);
    else if (IS("alter_foreign_key"))
        ag_alter_foreign_key(op, s[0], s[1], s[2], s[3]);
    else if (IS("drop_foreign_key"))
        ag_drop_foreign_key(op, s[0], s[1]);
    else if (IS("create_primary_key"))
        ag_create_primary_key(op, s[0], s[1], l[0]);
    else if (IS("drop_primary_key"))
        ag_drop_primary_key(op, s[0], s[1]);
    else if (IS("create_enum"))
        ag_create_enum(op, s[0], l[0]);
    else if (IS("drop_enum"))
        ag_drop_enum(op, s[0]);
    else if (IS("add_enum_value"))
        ag_add_enum_value(op, s[0], s[1]);
    else if (IS("add_enum_value_before"))
        ag_add_enum_value_before(op, s[0], s[1], s[2]);
    else if (IS("alter_enum"))
        ag_alter_enum(op, s[0], l[0]);
    else if (IS("drop_enum_value"))
        ag_drop_enum_value(op, s[0], s[1]);
    else if (IS("execute"))
        ag_execute(op, s[0]);
#undef IS
}

/* The rest of a call after its name: "(op, args...);" parsed into a. */
static bool call_args(rd *r, const call *k, const char *param, args *a)
{
    if (!expect_punct(r, '(') || !expect_word(r, param))
        return false;
    for (const char *kind = k->args; *kind; kind++) {
        if (!expect_punct(r, ','))
            return false;
        switch (*kind) {
        case 'S':
            if (!arg_string(r, &a->s[a->ns++]))
                return false;
            break;
        case 'L':
            if (!arg_list(r, &a->l[a->nl++]))
                return false;
            break;
        case 'C':
            if (!arg_column(r, &a->c))
                return false;
            break;
        case 'X':
            if (!arg_index(r, &a->x))
                return false;
            break;
        case 'A':
            if (!arg_alter(r, &a->alt))
                return false;
            break;
        case 'I': {
            /* ag_create_table(op, table, item, ..., [NULL]): the macro ends the
             * array with a NULL of its own; at least one item. */
            const ag_item *v[MAX_LIST];
            size_t n = 0;
            do {
                if (n + 1 >= MAX_LIST || !arg_item(r, &v[n++]))
                    return false;
            } while (expect_punct(r, ','));
            const ag_item **arr = ag_arena_alloc(r->a, (n + 1) * sizeof(*arr));
            memcpy(arr, v, n * sizeof(*arr));
            arr[n] = NULL;
            a->items = arr;
            return expect_punct(r, ')') && expect_punct(r, ';');
        }
        }
    }
    return expect_punct(r, ')') && expect_punct(r, ';');
}

/* A function body; calls are made on op only when run is true (the other
 * direction's body is read, not run). */
static bool body(rd *r, const char *param, ag_op *op, bool run)
{
    if (!expect_punct(r, '{'))
        return false;
    while (!is_punct(r, '}')) {
        if (is_punct(r, '(')) { /* (void)op; */
            next(r);
            if (!expect_word(r, "void") || !expect_punct(r, ')') || !expect_word(r, param) ||
                !expect_punct(r, ';'))
                return false;
            continue;
        }
        if (r->t.kind != T_IDENT)
            return false;
        const call *k = NULL;
        for (size_t i = 0; i < AG_NELEM(calls); i++)
            if (strlen(calls[i].name) == r->t.n && memcmp(calls[i].name, r->t.p, r->t.n) == 0)
                k = &calls[i];
        if (!k)
            return false;
        next(r);
        args a = { 0 };
        if (!call_args(r, k, param, &a))
            return false;
        if (run && !op->failed) {
            /* prev2 is the call's ')', prev its ';' */
            ag_op_line(op, r->prev2 ? (int)line_of(r, r->prev2) : 0);
            run_call(k, op, &a);
        }
    }
    next(r);
    return true;
}

/* `const char *const NAME = "..." ;` or `const char *const NAME[] = { "...", NULL } ;`
 * (after `const char`), or `const int transactional = N ;` (after `const int`). */
static bool declaration(rd *r, unsigned *seen)
{
    static const char *const names[] = { "revision", "down_revision", "branch_labels", "depends_on",
                                         "transactional" };
    if (!expect_word(r, "const"))
        return false;
    bool is_int = is_word(r, "int");
    if (!expect_word(r, is_int ? "int" : "char"))
        return false;
    if (!is_int && !(expect_punct(r, '*') && expect_word(r, "const")))
        return false;
    size_t k = 0;
    while (k < AG_NELEM(names) && !is_word(r, names[k]))
        k++;
    if (k == AG_NELEM(names) || (*seen & (1u << k)) || is_int != (k == 4))
        return false;
    *seen |= 1u << k;
    next(r);
    if (is_int) {
        int v;
        return expect_punct(r, '=') && arg_int(r, &v) && expect_punct(r, ';');
    }
    if (k == 0) {
        const char *v;
        return expect_punct(r, '=') && r->t.kind == T_STRING && arg_string(r, &v) &&
               expect_punct(r, ';');
    }
    if (!expect_punct(r, '[') || !expect_punct(r, ']') || !expect_punct(r, '=') ||
        !expect_punct(r, '{'))
        return false;
    do {
        if (is_punct(r, '}'))
            break; /* a trailing comma */
        const char *v;
        if (!arg_string(r, &v))
            return false;
    } while (expect_punct(r, ','));
    return expect_punct(r, '}') && expect_punct(r, ';');
}

int ag_migration_direct(const char *path,
                        const char *text,
                        size_t len,
                        ag_direction dir,
                        const char *dialect,
                        ag_oplist *ops,
                        bool *done,
                        ag_error *err)
{
    *done = false;
    ag_arena arena = AG_ARENA_INIT;
    ag_oplist *mine = ag_oplist_new();
    rd r = { .s = text, .end = text + len, .a = &arena, .counted = text, .line = 1 };
    struct ag_op rec = { .ops = mine, .dialect = dialect, .file = path };
    unsigned seen = 0;
    bool ok = true, up = false, down = false;
    next(&r);
    while (ok && r.t.kind != T_END) {
        if (is_word(&r, "const")) {
            ok = declaration(&r, &seen);
            continue;
        }
        /* void upgrade(ag_op *op) { ... } / void downgrade(ag_op *op) { ... } */
        ok = expect_word(&r, "void");
        bool is_up = is_word(&r, "upgrade"), is_down = is_word(&r, "downgrade");
        ok = ok && (is_up || is_down) && !(is_up ? up : down);
        if (!ok)
            break;
        next(&r);
        ok = expect_punct(&r, '(') && expect_word(&r, "ag_op") && expect_punct(&r, '*') &&
             r.t.kind == T_IDENT && r.t.n < 64;
        if (!ok)
            break;
        char param[64];
        memcpy(param, r.t.p, r.t.n);
        param[r.t.n] = '\0';
        next(&r);
        ok = expect_punct(&r, ')') &&
             body(&r, param, &rec, is_up ? dir == AG_UPGRADE : dir == AG_DOWNGRADE);
        up |= is_up;
        down |= is_down;
    }
    /* Read here only with the header included (checked as the file was
     * read: nothing before it could have compiled) and both functions. */
    int rc = AG_OK;
    if (ok && r.t.kind == T_END && r.included && up && down) {
        *done = true;
        if (rec.failed) {
            rc = rec.err.code;
            if (err)
                *err = rec.err;
        } else {
            for (size_t i = 0; i < mine->n; i++)
                ag_op_copy(ops, mine->ops[i]);
        }
    }
    ag_oplist_free(mine);
    ag_arena_release(&arena);
    return rc;
}
