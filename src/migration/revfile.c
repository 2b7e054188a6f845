/* revfile.c - reading a migration's header from its text, without compiling.
 *
 * Read-only commands (history, heads, current, the graph itself) need only
 * `revision`, `down_revision`, `branch_labels`, `depends_on`, the message and
 * the date. This is a small tokenizer over C: it skips comments (keeping the
 * first block comment for the message), reads string literals with their
 * escapes, and looks for the four definitions by name.
 */
#include "../util/common.h"
#include "migfile.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <ctype.h>

typedef struct lexer {
    const char *path;
    const char *s; /* the text */
    size_t i;      /* position */
    unsigned line;
    ag_error *err;
} lexer;

static void skip_space(lexer *lx)
{
    for (;;) {
        char c = lx->s[lx->i];
        if (c == '\n') {
            lx->line++;
            lx->i++;
        } else if (isspace((unsigned char)c)) {
            lx->i++;
        } else if (c == '/' && lx->s[lx->i + 1] == '*') {
            lx->i += 2;
            while (lx->s[lx->i] && !(lx->s[lx->i] == '*' && lx->s[lx->i + 1] == '/')) {
                if (lx->s[lx->i] == '\n')
                    lx->line++;
                lx->i++;
            }
            if (lx->s[lx->i])
                lx->i += 2;
        } else if (c == '/' && lx->s[lx->i + 1] == '/') {
            while (lx->s[lx->i] && lx->s[lx->i] != '\n')
                lx->i++;
        } else if (c == '#') {
            /* preprocessor line */
            while (lx->s[lx->i] && lx->s[lx->i] != '\n')
                lx->i++;
        } else {
            return;
        }
    }
}

/* The 1-based column of byte i: its distance from the start of its line. */
static unsigned col_at(const lexer *lx, size_t i)
{
    size_t b = i;
    while (b > 0 && lx->s[b - 1] != '\n')
        b--;
    return (unsigned)(i - b + 1);
}

/* No header value needs more: a revision id is at most 32 bytes. */
#define REVFILE_MAX_STRING 4096

/* Append one literal's contents (lx at its opening quote) to b; false with the
 * error set when it is unterminated. Never reads past the terminating NUL. */
static bool read_one_string(lexer *lx, ag_buf *b)
{
    size_t open = lx->i;
    unsigned line = lx->line;
    for (lx->i++;;) {
        char c = lx->s[lx->i];
        if (c == '\0' || c == '\n') {
            ag_error_set_at(lx->err, AG_EINVALID, lx->path, line, col_at(lx, open),
                            "unterminated string literal");
            return false;
        }
        lx->i++;
        if (c == '"')
            return true;
        if (c == '\\') {
            char e = lx->s[lx->i];
            if (e == '\0' || e == '\n')
                continue; /* reported as unterminated on the next turn */
            lx->i++;
            switch (e) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case '0':
                continue;
            default:
                c = e;
            }
        }
        if (b->len >= REVFILE_MAX_STRING) {
            ag_error_set_at(lx->err, AG_EINVALID, lx->path, line, col_at(lx, open),
                            "string literal longer than %d bytes: a header value is a short "
                            "revision id or label",
                            REVFILE_MAX_STRING);
            return false;
        }
        ag_buf_putc(b, c);
    }
}

/* Read a string literal at the current position, with the adjacent literals
 * that concatenate with it (in a loop: their number is bounded only by the
 * file), into a malloc'd string. */
static char *read_string(lexer *lx)
{
    ag_buf b = AG_BUF_INIT;
    for (;;) {
        if (!read_one_string(lx, &b)) {
            ag_buf_dispose(&b);
            return NULL;
        }
        size_t save_i = lx->i;
        unsigned save_line = lx->line;
        skip_space(lx);
        if (lx->s[lx->i] != '"') {
            lx->i = save_i;
            lx->line = save_line;
            break;
        }
    }
    return ag_buf_detach(&b);
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static bool ident_at(const lexer *lx, size_t i, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(lx->s + i, word, n) != 0)
        return false;
    if (i > 0 && ident_char(lx->s[i - 1]))
        return false;
    return !ident_char(lx->s[i + n]);
}

/* Where each definition's value starts (just after its `=`), found in one pass
 * over the text: comments, strings and character literals are skipped whole,
 * identifiers compared as whole words. */
typedef struct defpos {
    const char *name;
    size_t pos;
    unsigned line;
    bool found;
} defpos;

static void find_defs(lexer *lx, defpos *defs, size_t ndefs)
{
    lx->i = 0;
    lx->line = 1;
    for (;;) {
        skip_space(lx);
        char c = lx->s[lx->i];
        if (!c)
            return;
        if (c == '"' || c == '\'') {
            char q = c;
            for (lx->i++; lx->s[lx->i] && lx->s[lx->i] != q && lx->s[lx->i] != '\n'; lx->i++)
                if (lx->s[lx->i] == '\\' && lx->s[lx->i + 1])
                    lx->i++;
            if (lx->s[lx->i] == q)
                lx->i++;
            continue;
        }
        if (!ident_char(c)) {
            lx->i++;
            continue;
        }
        size_t start = lx->i;
        while (ident_char(lx->s[lx->i]))
            lx->i++;
        size_t len = lx->i - start;
        for (size_t k = 0; k < ndefs; k++) {
            if (defs[k].found || strlen(defs[k].name) != len ||
                memcmp(lx->s + start, defs[k].name, len) != 0)
                continue;
            size_t save = lx->i;
            unsigned save_line = lx->line;
            skip_space(lx);
            if (lx->s[lx->i] == '[') {
                while (lx->s[lx->i] && lx->s[lx->i] != ']')
                    if (lx->s[lx->i++] == '\n')
                        lx->line++;
                if (lx->s[lx->i])
                    lx->i++;
                skip_space(lx);
            }
            if (lx->s[lx->i] == '=' && lx->s[lx->i + 1] != '=') {
                lx->i++;
                skip_space(lx);
                defs[k].pos = lx->i;
                defs[k].line = lx->line;
                defs[k].found = true;
            } else {
                lx->i = save;
                lx->line = save_line;
            }
            break;
        }
    }
}

/* Position lx at the value of a definition found by find_defs. */
static bool at_def(lexer *lx, const defpos *d)
{
    if (!d->found)
        return false;
    lx->i = d->pos;
    lx->line = d->line;
    return true;
}

static void free_list(char **l)
{
    for (size_t i = 0; l && l[i]; i++)
        free(l[i]);
    free(l);
}

/* `{ "a", "b", NULL }` or `{ NULL }` or `{ 0 }` into a NULL-terminated list. */
static int read_list(lexer *lx, const char *name, char ***out)
{
    *out = ag_xcalloc(1, sizeof(char *));
    size_t n = 0;
    if (lx->s[lx->i] != '{')
        return ag_error_set_at(lx->err, AG_EINVALID, lx->path, lx->line, col_at(lx, lx->i),
                               "'%s' must be a list: { \"id\", NULL } or { NULL }", name);
    lx->i++;
    for (;;) {
        skip_space(lx);
        char c = lx->s[lx->i];
        if (c == '}') {
            lx->i++;
            return AG_OK;
        }
        if (c == ',') {
            lx->i++;
            continue;
        }
        if (c == '"') {
            char *s = read_string(lx);
            if (!s)
                return AG_EINVALID;
            char **grown = ag_xrealloc(*out, (n + 2) * sizeof(char *));
            *out = grown;
            (*out)[n++] = s;
            (*out)[n] = NULL;
            continue;
        }
        if (ident_at(lx, lx->i, "NULL")) {
            lx->i += 4;
            continue;
        }
        if (c == '0' || c == '(') {
            /* 0, or (const char *)0 */
            while (lx->s[lx->i] && lx->s[lx->i] != ',' && lx->s[lx->i] != '}')
                lx->i++;
            continue;
        }
        return ag_error_set_at(lx->err, AG_EINVALID, lx->path, lx->line, col_at(lx, lx->i),
                               "'%s' must list revision ids as string literals", name);
    }
}

bool ag_revision_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 32)
        return false;
    for (const char *c = id; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return false;
    return true;
}

/* The first line of the leading block comment, and its "Create Date:" line. */
static void read_header_comment(const char *text, char **message, char **date)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    *message = ag_xstrdup("");
    *date = ag_xstrdup("");
    if (strncmp(p, "/*", 2) != 0)
        return;
    const char *end = strstr(p + 2, "*/");
    if (!end)
        return;
    const char *line = p + 2;
    bool first = true;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl ? nl : end;
        const char *a = line;
        while (a < le && (isspace((unsigned char)*a) || *a == '*'))
            a++;
        const char *b = le;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (first && b > a) {
            free(*message);
            *message = ag_xstrndup(a, (size_t)(b - a));
            first = false;
        } else if (b > a && strncmp(a, "Create Date:", 12) == 0) {
            const char *d = a + 12;
            while (d < b && isspace((unsigned char)*d))
                d++;
            free(*date);
            *date = ag_xstrndup(d, (size_t)(b - d));
        }
        if (!nl)
            break;
        line = nl + 1;
    }
}

int ag_revfile_parse(ag_revfile *out, const char *path, const char *text, ag_error *err)
{
    memset(out, 0, sizeof(*out));
    out->path = ag_xstrdup(path);
    out->transactional = 1;
    lexer lx = { path, text, 0, 1, err };
    int rc = AG_OK;
    defpos defs[] = {
        { "revision", 0, 0, false },      { "down_revision", 0, 0, false },
        { "branch_labels", 0, 0, false }, { "depends_on", 0, 0, false },
        { "transactional", 0, 0, false },
    };
    find_defs(&lx, defs, AG_NELEM(defs));
    if (!at_def(&lx, &defs[0])) {
        rc = ag_error_set_at(err, AG_EINVALID, path, 1, 1,
                             "not a migration: no 'const char *const revision = \"…\";' (every "
                             "file under versions/ must be one)");
        goto fail;
    }
    unsigned rev_line = lx.line, rev_col = col_at(&lx, lx.i);
    if (lx.s[lx.i] != '"') {
        rc = ag_error_set_at(err, AG_EINVALID, path, rev_line, rev_col,
                             "'revision' must be a string literal");
        goto fail;
    }
    out->revision = read_string(&lx);
    if (!out->revision) {
        rc = AG_EINVALID;
        goto fail;
    }
    if (!ag_revision_id_valid(out->revision)) {
        rc = ag_error_set_at(err, AG_EINVALID, path, rev_line, rev_col,
                             "invalid revision id '%s': use 1 to 32 letters, digits or '_'",
                             out->revision);
        goto fail;
    }
    if (!at_def(&lx, &defs[1])) {
        rc = ag_error_set_at(err, AG_EINVALID, path, 1, 1,
                             "no 'down_revision' list: write { NULL } for the first migration");
        goto fail;
    }
    rc = read_list(&lx, "down_revision", &out->down_revisions);
    for (size_t i = 0; rc == AG_OK && out->down_revisions[i]; i++) {
        if (!ag_revision_id_valid(out->down_revisions[i]))
            rc = ag_error_set_at(err, AG_EINVALID, path, lx.line, 1,
                                 "invalid down_revision id '%s'", out->down_revisions[i]);
        else if (strcmp(out->down_revisions[i], out->revision) == 0)
            rc = ag_error_set_at(err, AG_ECYCLE, path, lx.line, 1,
                                 "revision '%s' names itself as its down_revision", out->revision);
    }
    if (rc != AG_OK)
        goto fail;
    if (at_def(&lx, &defs[2]))
        rc = read_list(&lx, "branch_labels", &out->branch_labels);
    else
        out->branch_labels = ag_xcalloc(1, sizeof(char *));
    if (rc != AG_OK)
        goto fail;
    if (at_def(&lx, &defs[3]))
        rc = read_list(&lx, "depends_on", &out->depends_on);
    else
        out->depends_on = ag_xcalloc(1, sizeof(char *));
    if (rc != AG_OK)
        goto fail;
    if (at_def(&lx, &defs[4]) && lx.s[lx.i] == '0')
        out->transactional = 0;
    read_header_comment(text, &out->message, &out->create_date);
    return AG_OK;
fail:
    ag_revfile_release(out);
    return rc;
}

void ag_revfile_release(ag_revfile *rf)
{
    if (!rf)
        return;
    free(rf->path);
    free(rf->revision);
    free_list(rf->down_revisions);
    free_list(rf->branch_labels);
    free_list(rf->depends_on);
    free(rf->message);
    free(rf->create_date);
    memset(rf, 0, sizeof(*rf));
}
