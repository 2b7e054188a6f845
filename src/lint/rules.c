/* rules.c - the rule table, severities and how a finding reads as text. */
#include "lint.h"

#include "../util/error.h"

#include <stdio.h>

const ag_lint_rule ag_lint_rules[] = {
    { "drop-table", AG_LINT_ERROR, "a table and its rows are dropped" },
    { "drop-column", AG_LINT_ERROR, "a column and its values are dropped" },
    { "drop-schema", AG_LINT_ERROR, "hand-written SQL drops a schema" },
    { "narrow-type", AG_LINT_ERROR, "a column's type changes to one that may not hold its values" },
    { "add-not-null-column", AG_LINT_ERROR,
      "a NOT NULL column without a default is added to an existing table" },
    { "set-not-null", AG_LINT_WARNING, "an existing column becomes NOT NULL" },
    { "add-unique", AG_LINT_WARNING, "a unique index or constraint on existing columns" },
    { "drop-enum-value", AG_LINT_WARNING, "an enum loses a value rows may hold" },
    { "rename-table", AG_LINT_WARNING, "a table is renamed under the running application" },
    { "rename-column", AG_LINT_WARNING, "a column is renamed under the running application" },
    { "pg-index-not-concurrent", AG_LINT_WARNING,
      "PostgreSQL: an index on an existing table is created or dropped without CONCURRENTLY" },
    { "pg-constraint-not-valid", AG_LINT_WARNING,
      "PostgreSQL: a foreign key or check is added to an existing table without NOT VALID" },
    { "pg-type-rewrite", AG_LINT_WARNING, "PostgreSQL: a type change rewrites the table" },
    { "pg-volatile-default", AG_LINT_WARNING,
      "PostgreSQL: a column added with a volatile default rewrites the table" },
    { "pg-concurrently-in-transaction", AG_LINT_ERROR,
      "PostgreSQL: CONCURRENTLY in a migration that runs in a transaction" },
    { "pg-missing-lock-timeout", AG_LINT_WARNING,
      "PostgreSQL: an ACCESS EXCLUSIVE lock is taken with no lock_timeout" },
    { "sqlite-table-rebuild", AG_LINT_WARNING, "SQLite: the table is rebuilt (copied)" },
    { "sqlite-rebuild-cascade", AG_LINT_WARNING,
      "SQLite: a rebuilt table is referenced with ON DELETE CASCADE" },
    { "raw-sql", AG_LINT_INFO, "hand-written SQL (ag_execute) is not checked" },
    { AG_LINT_UNUSED_NOLINT, AG_LINT_WARNING, "an autogen:nolint comment silences nothing" },
};
const size_t ag_lint_nrules = AG_NELEM(ag_lint_rules);

static const char *const severity_names[] = { "off", "info", "warning", "error" };

const char *ag_lint_severity_name(ag_lint_severity s)
{
    return (unsigned)s < AG_NELEM(severity_names) ? severity_names[s] : "?";
}

bool ag_lint_severity_parse(const char *name, ag_lint_severity *out)
{
    for (size_t i = 0; name && i < AG_NELEM(severity_names); i++) {
        if (strcmp(name, severity_names[i]) == 0) {
            *out = (ag_lint_severity)i;
            return true;
        }
    }
    return false;
}

const ag_lint_rule *ag_lint_rule_find(const char *id)
{
    for (size_t i = 0; id && i < ag_lint_nrules; i++)
        if (strcmp(id, ag_lint_rules[i].id) == 0)
            return &ag_lint_rules[i];
    return NULL;
}

const char *ag_lint_rule_suggest(const char *bad)
{
    const char *best = NULL;
    size_t best_d = 4; /* farther than 3 edits is no suggestion */
    for (size_t i = 0; bad && i < ag_lint_nrules; i++) {
        size_t d = ag_levenshtein(bad, ag_lint_rules[i].id);
        if (d < best_d) {
            best_d = d;
            best = ag_lint_rules[i].id;
        }
    }
    return best;
}

void ag_lint_report_release(ag_lint_report *r)
{
    ag_arena_release(&r->arena);
    r->v = NULL;
    r->n = r->cap = 0;
}

ag_lint_severity ag_lint_worst(const ag_lint_report *r)
{
    ag_lint_severity w = AG_LINT_OFF;
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].severity > w)
            w = r->v[i].severity;
    return w;
}

void ag_lint_finding_text(ag_buf *out, const ag_lint_finding *f, bool color)
{
    static const char *const colors[] = { "", "\033[36m", "\033[33m", "\033[31m" };
    const char *sev = ag_lint_severity_name(f->severity);
    ag_buf_puts(out, f->path ? f->path : "");
    if (f->line)
        ag_buf_printf(out, ":%u", f->line);
    ag_buf_puts(out, ": ");
    if (color && (unsigned)f->severity < AG_NELEM(colors))
        ag_buf_printf(out, "%s%s\033[0m", colors[f->severity], sev);
    else
        ag_buf_puts(out, sev);
    ag_buf_printf(out, ": %s [%s]\n", f->message, f->rule);
    if (f->sql) {
        const char *p = f->sql;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            ag_buf_puts(out, "    | ");
            ag_buf_put(out, p, n);
            ag_buf_putc(out, '\n');
            p += n + (nl != NULL);
        }
    }
    if (f->alternative)
        ag_buf_printf(out, "    safe alternative: %s\n", f->alternative);
}
