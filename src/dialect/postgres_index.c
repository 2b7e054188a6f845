/* postgres_index.c - the part of CREATE INDEX after the table name.
 *
 * An index's `expression` is written two ways. People write one expression,
 * `lower(email)` or `a + b`, which PostgreSQL accepts only inside its own
 * parentheses: `((a + b))`. PostgreSQL itself prints an index's elements
 * (pg_get_indexdef) as a list that stands bare inside the parentheses and
 * may carry what an expression cannot: `lower(email) text_pattern_ops`,
 * `created_at DESC NULLS LAST, id`, `name COLLATE "C"`. Wrapping such a list
 * again would be a syntax error, and leaving `a + b` bare would be one too;
 * so the text is read: a list (a comma outside parentheses) or an element
 * with options (an operator class, COLLATE, ASC/DESC, NULLS FIRST/LAST after a
 * single term) stays bare, anything else is wrapped, as it always was.
 */
#include "../util/common.h"
#include "postgres_internal.h"

#include <ctype.h>
#include <strings.h>

enum { TK_WORD, TK_GROUP, TK_CALL, TK_OTHER };

typedef struct tok {
    int kind;
    const char *at;
    size_t len;
} tok;

enum { MAX_TOKS = 8 };

/* Past the parenthesized group that starts at p (quotes inside skipped). */
static const char *group_end(const char *p)
{
    int depth = 0;
    char quote = 0;
    for (; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p + 1;
        }
    }
    return p;
}

/* The text's top-level tokens, at most MAX_TOKS (more: *many). A comma at the
 * top level sets *comma. Words are identifiers, quoted or dotted; a word
 * followed by a parenthesized group is one call. */
static size_t top_tokens(const char *s, tok *out, bool *comma, bool *many)
{
    size_t n = 0;
    *comma = *many = false;
    const char *p = s;
    while (*p) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        tok t = { TK_OTHER, p, 0 };
        if (*p == ',') {
            *comma = true;
            p++;
            continue;
        }
        if (*p == '(') {
            p = group_end(p);
            t.kind = TK_GROUP;
        } else if (*p == '"' || isalpha((unsigned char)*p) || *p == '_') {
            for (;;) {
                if (*p == '"') {
                    for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
                        ;
                    if (*p)
                        p++;
                } else {
                    while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
                        p++;
                }
                if (*p == '.' && (p[1] == '"' || isalpha((unsigned char)p[1]) || p[1] == '_'))
                    p++;
                else
                    break;
            }
            t.kind = TK_WORD;
            if (*p == '(') {
                p = group_end(p);
                t.kind = TK_CALL;
            }
        } else if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (*p)
                p++;
        } else {
            p++;
        }
        t.len = (size_t)(p - t.at);
        if (n == MAX_TOKS) {
            *many = true;
            continue;
        }
        out[n++] = t;
    }
    return n;
}

static bool is_word(const tok *t, const char *w)
{
    return t->kind == TK_WORD && t->len == strlen(w) && strncasecmp(t->at, w, t->len) == 0;
}

bool ag_pg__index_elements_bare(const char *text)
{
    tok t[MAX_TOKS];
    bool comma, many;
    size_t n = top_tokens(text, t, &comma, &many);
    if (comma)
        return true;
    if (many || n < 2)
        return false;
    size_t end = n;
    if (end >= 3 && is_word(&t[end - 2], "NULLS") &&
        (is_word(&t[end - 1], "FIRST") || is_word(&t[end - 1], "LAST")))
        end -= 2;
    if (end >= 2 && (is_word(&t[end - 1], "ASC") || is_word(&t[end - 1], "DESC")))
        end--;
    if (end == 2 && t[1].kind == TK_WORD && !is_word(&t[0], "NOT") && !is_word(&t[1], "COLLATE"))
        end--; /* an operator class */
    if (end == 3 && is_word(&t[1], "COLLATE") && t[2].kind == TK_WORD)
        end -= 2;
    if (end == n || end != 1)
        return false;
    /* One term: a column, a call, or an expression in parentheses. */
    return (t[0].kind == TK_WORD && !is_word(&t[0], "NOT") && !is_word(&t[0], "CASE")) ||
           t[0].kind == TK_CALL || t[0].kind == TK_GROUP;
}

void ag_pg__index_body(ag_buf *b, const ag_index *x)
{
    if (x->method) {
        ag_buf_puts(b, "USING ");
        ag_buf_puts(b, x->method);
        ag_buf_putc(b, ' ');
    }
    if (x->expression)
        ag_buf_printf(b, ag_pg__index_elements_bare(x->expression) ? "(%s)" : "((%s))",
                      x->expression);
    else
        ag_pg__ident_list(b, &x->columns);
    if (x->include.n) {
        ag_buf_puts(b, " INCLUDE ");
        ag_pg__ident_list(b, &x->include);
    }
}
