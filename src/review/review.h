/* review.h - `autogen review --base REF` and `autogen rebase` (docs/review.md).
 *
 * A review compares the project in the working tree (files on disk, untracked
 * ones included) with the project at a git revision, read from git's objects
 * (git.h): the models, the migrations added, edited and removed, their
 * operations and SQL (an offline replay of the whole history, as `upgrade
 * --sql` renders it), the lint findings of each added migration (lint.h),
 * whether the replayed history reaches the models, and the revision graph
 * merged with the other side's.
 */
#ifndef AUTOGEN_REVIEW_REVIEW_H
#define AUTOGEN_REVIEW_REVIEW_H

#include "../lint/lint.h"
#include "../project/project.h"

/* Review-level rule ids (the lint rules have theirs in lint.h). */
#define AG_REVIEW_MODELS_WITHOUT_MIGRATION "models-without-migration"
#define AG_REVIEW_LEFTOVER                 "migrations-leave-differences"
#define AG_REVIEW_REPLAY_FAILED            "replay-failed"
#define AG_REVIEW_MULTIPLE_HEADS           "multiple-heads"
#define AG_REVIEW_STALE_PARENT             "stale-down-revision"
#define AG_REVIEW_DUPLICATE                "duplicate-revision"
#define AG_REVIEW_EDITED                   "edited-migration"
#define AG_REVIEW_DELETED                  "deleted-migration"
#define AG_REVIEW_SAME_TABLES              "same-tables"
#define AG_REVIEW_DISJOINT                 "disjoint-tables"

typedef enum ag_review_change {
    AG_REVIEW_ADDED,
    AG_REVIEW_MODIFIED,
    AG_REVIEW_REMOVED
} ag_review_change;

const char *ag_review_change_name(ag_review_change c); /* "added", "modified", "removed" */

typedef struct ag_review_finding {
    const char *rule;
    ag_lint_severity severity;
    const char *message;
    const char *hint; /* what to do, or NULL */
    const char *rev;  /* the revision it is about, or NULL */
    const char *path; /* the file, or NULL */
    unsigned line;    /* 0 when unknown */
    const char *sql;  /* hand-written SQL it shows, or NULL */
    bool lint;        /* a lint rule (documented in docs/lint.md) */
} ag_review_finding;

typedef struct ag_review_mig {
    ag_review_change change;
    const char *rev, *path, *message;
    ag_strs parents;
    ag_strs ops; /* upgrade operations, described */
    ag_strs sql; /* the statements they render to */
} ag_review_mig;

typedef struct ag_review {
    ag_arena arena;
    const char *ref;         /* as given */
    const char *ref_sha;     /* REF's commit */
    const char *base_sha;    /* the commit compared with (merge base, or REF) */
    const char *head_sha;    /* HEAD, or "" before the first commit */
    const char *project_dir; /* the project folder in the repository ("" or "sub/") */
    const char *dialect;
    bool merge_base; /* base is merge-base(REF, HEAD) */
    bool ref_moved;  /* REF has migrations or model changes since the base */
    ag_strs model_changes;
    ag_review_mig *migs;
    size_t nmigs, migs_cap;
    ag_review_finding *findings;
    size_t nfindings, findings_cap;
    ag_strs heads;     /* of the graph merged with REF's */
    ag_strs ref_heads; /* of REF's graph */
    ag_strs leftover;  /* what the replayed history leaves different from the models */
    bool replayed;     /* the replay ran to the end */
    bool scratch;      /* it ran on a scratch database (--scratch), not offline */
    ag_strs ours_tables, theirs_tables, shared_tables;
    size_t nrevs; /* revisions in the working tree */
} ag_review;

typedef struct ag_review_opts {
    const char *ref;
    bool no_merge_base;
} ag_review_opts;

/* Run the review of project p (its dialect set). Problems of the change are
 * findings; errors (no repository, no REF, a shallow clone, bad working-tree
 * models) are returned. */
int ag_review_run(ag_project *p, const ag_review_opts *o, ag_review *out, ag_error *err);
void ag_review_release(ag_review *r);

/* review --scratch: replace the offline replay's conclusion with the
 * differences a replay into a real scratch database left (ops), or with the
 * failure of that replay. */
void ag_review_set_scratch(ag_review *r, const ag_oplist *ops, const char *failure);

/* The worst severity of r's findings (AG_LINT_OFF when there are none). */
ag_lint_severity ag_review_worst(const ag_review *r);

/* rebase: re-parent the revisions of the working tree that REF lacks onto
 * REF's head (or onto), rewriting their headers, all files or none. */
typedef struct ag_rebase_opts {
    const char *ref;
    const char *onto; /* a revision id or prefix, or NULL: REF's head */
} ag_rebase_opts;

typedef struct ag_rebase_result {
    ag_arena arena;
    ag_strs moved;       /* "REV: OLD -> NEW" per rewritten revision */
    const char *onto;    /* the revision they now revise */
    const char *db_note; /* why the database was not checked, or NULL */
} ag_rebase_result;

int ag_rebase_run(ag_project *p, const ag_rebase_opts *o, ag_rebase_result *out, ag_error *err);
void ag_rebase_release(ag_rebase_result *r);

/* Rewrite the down_revision list and the "Revises:" line of a migration's
 * text so that it revises `parent` alone; malloc'd, or NULL when the text
 * has no `down_revision[] = { ... }` to rewrite. */
char *ag_rebase_rewrite(const char *text, const char *parent);

#endif
