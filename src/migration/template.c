/* template.c - filling script.c.tmpl, and writing files whole or not at all.
 *
 * The template language is only ${name} placeholders (and $$ for a dollar):
 * no logic, so a template stays a readable C file that users can edit.
 */
#include "../util/common.h"
#include "migfile.h"

#include "../util/error.h"
#include "../util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

const char ag_default_template[] = "/* ${message}\n"
                                   " *\n"
                                   " * Revision ID: ${revision}\n"
                                   " * Revises: ${down_revision_ids}\n"
                                   " * Create Date: ${create_date}\n"
                                   " */\n"
                                   "#include <autogen/migration.h>\n"
                                   "\n"
                                   "const char *const revision = \"${revision}\";\n"
                                   "const char *const down_revision[] = { ${down_revision} };\n"
                                   "const char *const branch_labels[] = { ${branch_labels} };\n"
                                   "const char *const depends_on[] = { ${depends_on} };\n"
                                   "${transactional}\n"
                                   "\n"
                                   "void upgrade(ag_op *op)\n"
                                   "{\n"
                                   "${upgrades}}\n"
                                   "\n"
                                   "void downgrade(ag_op *op)\n"
                                   "{\n"
                                   "${downgrades}}\n";

static const char *const placeholders[] = {
    "message",    "revision",    "down_revision", "down_revision_ids", "branch_labels",
    "depends_on", "create_date", "upgrades",      "downgrades",        "transactional",
};

/* `"a", "b", NULL` or `NULL`. */
static void c_list(ag_buf *out, const char *const *items)
{
    for (size_t i = 0; items && items[i]; i++) {
        ag_buf_quote_c(out, items[i]);
        ag_buf_puts(out, ", ");
    }
    ag_buf_puts(out, "NULL");
}

/* A message goes into a C comment: it must not close it. */
static void comment_text(ag_buf *out, const char *s)
{
    for (; *s; s++) {
        if (s[0] == '*' && s[1] == '/') {
            ag_buf_puts(out, "* /");
            s++;
        } else if (*s == '\n') {
            ag_buf_puts(out, "\n * ");
        } else {
            ag_buf_putc(out, *s);
        }
    }
}

/* The declaration of a migration that runs outside a transaction, or nothing. */
static void outside_transaction(ag_buf *out, const ag_template_vars *v)
{
    if (!v->outside_transaction)
        return;
    ag_buf_puts(out, "/* ");
    comment_text(out, v->outside_transaction);
    ag_buf_puts(out, " */\nconst int transactional = 0;");
}

static void fill(ag_buf *out, const char *name, const ag_template_vars *v)
{
    if (strcmp(name, "message") == 0) {
        comment_text(out, v->message ? v->message : "");
    } else if (strcmp(name, "revision") == 0) {
        ag_buf_puts(out, v->revision);
    } else if (strcmp(name, "down_revision") == 0) {
        c_list(out, v->down_revisions);
    } else if (strcmp(name, "down_revision_ids") == 0) {
        for (size_t i = 0; v->down_revisions && v->down_revisions[i]; i++) {
            if (i)
                ag_buf_puts(out, ", ");
            ag_buf_puts(out, v->down_revisions[i]);
        }
    } else if (strcmp(name, "branch_labels") == 0) {
        c_list(out, v->branch_labels);
    } else if (strcmp(name, "depends_on") == 0) {
        c_list(out, v->depends_on);
    } else if (strcmp(name, "create_date") == 0) {
        ag_buf_puts(out, v->create_date ? v->create_date : "");
    } else if (strcmp(name, "upgrades") == 0) {
        ag_buf_puts(out, v->upgrades ? v->upgrades : "    (void)op;\n");
    } else if (strcmp(name, "downgrades") == 0) {
        ag_buf_puts(out, v->downgrades ? v->downgrades : "    (void)op;\n");
    } else if (strcmp(name, "transactional") == 0) {
        outside_transaction(out, v);
    }
}

int ag_template_render(ag_buf *out,
                       const char *tmpl,
                       const char *tmpl_name,
                       const ag_template_vars *vars,
                       ag_error *err)
{
    unsigned line = 1, col = 1;
    size_t bol = out->len; /* where the current output line begins */
    bool used_transactional = false;
    for (const char *p = tmpl; *p;) {
        if (p[0] == '$' && p[1] == '$') {
            ag_buf_putc(out, '$');
            p += 2;
            col += 2;
            continue;
        }
        if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            size_t len = end ? (size_t)(end - p - 2) : 0;
            char name[64];
            if (!end || len == 0 || len >= sizeof(name))
                return ag_error_set_at(err, AG_EINVALID, tmpl_name, line, col,
                                       "unterminated placeholder; write ${name} or $$ for '$'");
            memcpy(name, p + 2, len);
            name[len] = '\0';
            bool known = false;
            const char *best = NULL;
            size_t best_d = 3;
            for (size_t i = 0; i < AG_NELEM(placeholders); i++) {
                if (strcmp(placeholders[i], name) == 0)
                    known = true;
                size_t d = ag_levenshtein(name, placeholders[i]);
                if (d < best_d) {
                    best_d = d;
                    best = placeholders[i];
                }
            }
            if (!known) {
                if (best)
                    return ag_error_set_at(err, AG_EINVALID, tmpl_name, line, col,
                                           "unknown placeholder '${%s}'; did you mean '${%s}'?",
                                           name, best);
                return ag_error_set_at(err, AG_EINVALID, tmpl_name, line, col,
                                       "unknown placeholder '${%s}'", name);
            }
            size_t before = out->len;
            fill(out, name, vars);
            used_transactional |= strcmp(name, "transactional") == 0;
            col += (unsigned)len + 3;
            p = end + 1;
            /* A placeholder alone on its line that fills in nothing leaves no blank line. */
            if (out->len == before && before == bol && *p == '\n') {
                p++;
                line++;
                col = 1;
            }
            continue;
        }
        if (*p == '\n') {
            line++;
            col = 1;
            bol = out->len + 1;
        } else {
            col++;
        }
        ag_buf_putc(out, *p++);
    }
    /* A template older than ${transactional}: the declaration goes at the end. */
    if (!used_transactional && vars->outside_transaction) {
        ag_buf_puts(out, "\n");
        outside_transaction(out, vars);
        ag_buf_puts(out, "\n");
    }
    return AG_OK;
}
