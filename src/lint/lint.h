/* lint.h - rules run on the operations of a migration (docs/lint.md).
 *
 * `autogen review` hands each migration added since the base to
 * ag_lint_migration(): the schema the history gives just before it, the
 * operations its upgrade() and downgrade() record, and its text. Every rule
 * has a stable id (the anchor of its section in docs/lint.md) and a default
 * severity that autogen.yaml's `lint:` mapping may change. The rules look at
 * the upgrade() operations; a downgrade() finding is never more than info,
 * and nothing is said about tables the migration itself creates (they have
 * no rows and nobody uses them yet).
 *
 * Suppressions live in the migration file:
 *   / * autogen:nolint RULE[,RULE...] reason * /   (or a // comment)
 * inside upgrade()/downgrade(), it silences RULE for the operation on the
 * next line; outside any function (the header comment, say), for the whole
 * file. A suppression that silences nothing is itself a finding
 * (AG_LINT_UNUSED_NOLINT).
 */
#ifndef AUTOGEN_LINT_LINT_H
#define AUTOGEN_LINT_LINT_H

#include "../dialect/dialect.h"
#include "../schema/op.h"
#include "../util/buf.h"

typedef enum ag_lint_severity {
    AG_LINT_OFF = 0,
    AG_LINT_INFO,
    AG_LINT_WARNING,
    AG_LINT_ERROR
} ag_lint_severity;

/* "off", "info", "warning", "error". */
const char *ag_lint_severity_name(ag_lint_severity s);
/* Parse one of those names (exact, lower case); false when it is none. */
bool ag_lint_severity_parse(const char *name, ag_lint_severity *out);

/* One rule: its stable id, default severity and one line saying what it finds. */
typedef struct ag_lint_rule {
    const char *id;
    ag_lint_severity severity;
    const char *summary;
} ag_lint_rule;

/* Every rule, in the order of docs/lint.md. */
extern const ag_lint_rule ag_lint_rules[];
extern const size_t ag_lint_nrules;
/* The rule with that id, or NULL. */
const ag_lint_rule *ag_lint_rule_find(const char *id);
/* The closest rule id to a bad one, for "did you mean", or NULL. */
const char *ag_lint_rule_suggest(const char *bad);

/* The id of the finding a suppression that silences nothing gives. */
#define AG_LINT_UNUSED_NOLINT "unused-nolint"

/* A severity chosen in autogen.yaml's `lint:` for one rule. */
typedef struct ag_lint_level {
    const char *rule; /* a known rule id (the config loader checks) */
    ag_lint_severity severity;
    unsigned line; /* where autogen.yaml sets it, 0 when unknown */
} ag_lint_level;

typedef struct ag_lint_input {
    const ag_dialect *dialect;
    /* The schema just before the migration (the replay of the history before
     * it); not modified. NULL reads as an empty schema. */
    const ag_schema *before;
    const ag_oplist *upgrade;   /* what upgrade() records */
    const ag_oplist *downgrade; /* what downgrade() records, or NULL */
    bool transactional;         /* the file does not say `transactional = 0` */
    const char *path;           /* the migration, as findings name it */
    /* The file's text, for suppression comments; NULL: none are read. */
    const char *text;
    /* autogen.yaml `lint:` (ag_config.lint / nlint); later entries win. */
    const ag_lint_level *levels;
    size_t nlevels;
    /* autogen.yaml `lock_timeout` (ag_config.lock_timeout): when set, the
     * runner bounds every statement's lock wait, and the missing-lock-timeout
     * rule has nothing to say. NULL: off. */
    const char *lock_timeout;
} ag_lint_input;

typedef struct ag_lint_finding {
    const char *rule;          /* the rule id (static) */
    ag_lint_severity severity; /* after autogen.yaml, capped at info for downgrade() */
    const char *message;       /* what the operation does and why it is a hazard
                                * ("downgrade(): ..." for a downgrade() finding) */
    const char *alternative;   /* the safe way to do it, or NULL */
    const char *sql;           /* hand-written SQL shown with the finding, or NULL */
    const char *path;          /* the migration file */
    unsigned line;             /* 1-based line of the operation, 0 when unknown */
    bool downgrade;            /* found in downgrade() */
    size_t op;                 /* index of the op in its list, (size_t)-1 for none */
} ag_lint_finding;

typedef struct ag_lint_report {
    ag_arena arena; /* every string of v */
    ag_lint_finding *v;
    size_t n, cap;
} ag_lint_report;

#define AG_LINT_REPORT_INIT                                                                        \
    {                                                                                              \
        AG_ARENA_INIT, NULL, 0, 0                                                                  \
    }

void ag_lint_report_release(ag_lint_report *r);

/* Run every rule on one migration; append its findings (those not off and
 * not suppressed) to out: upgrade()'s in the order of its operations, then
 * downgrade()'s, then the unused suppressions. An operation on a table
 * `before` lacks (made by hand, or by raw SQL) counts as one on an existing
 * table and leaves the schema as it is; AG_EINVALID only for a missing
 * dialect or report. */
int ag_lint_migration(const ag_lint_input *in, ag_lint_report *out, ag_error *err);

/* The highest severity in r (AG_LINT_OFF when it is empty). */
ag_lint_severity ag_lint_worst(const ag_lint_report *r);

/* One finding as text, ending with a newline:
 *   versions/ab12_x.c:14: error: drop column 'users.email' loses its data [drop-column]
 *     safe alternative: ...
 * with colour escape codes when color is set. */
void ag_lint_finding_text(ag_buf *out, const ag_lint_finding *f, bool color);

#endif
