/* graph.h - the revision graph, loaded from the migration files' text.
 *
 * Every *.c under versions/ (subfolders included) is one revision; its
 * header (revfile.c) gives its id and its parents (down_revision). The graph
 * is a DAG: it may branch (several heads) and merge (a revision with several
 * parents). Loading checks it: duplicate ids, unknown parents, cycles. All
 * lookups are hash-based and every plan is computed over a topological order
 * fixed at load, so commands stay instant on tens of thousands of revisions.
 */
#ifndef AUTOGEN_REVISION_GRAPH_H
#define AUTOGEN_REVISION_GRAPH_H

#include "../migration/migfile.h"
#include "../util/arena.h"
#include "../util/fs.h"

typedef struct ag_rev ag_rev;
struct ag_rev {
    ag_revfile rf;    /* path, revision, down_revisions, message, ... */
    ag_fstamp stamp;  /* of the file, when the graph was loaded */
    ag_rev **parents; /* resolved down_revisions */
    size_t nparents;
    ag_rev **children;
    size_t nchildren, children_cap;
    ag_rev **deps; /* resolved depends_on: applied before this one, on any branch */
    size_t ndeps;
    ag_rev **dependents; /* revisions whose depends_on names this one */
    size_t ndependents, dependents_cap;
    size_t topo; /* position in the topological order (parents first) */
};

typedef struct ag_graph {
    ag_rev **revs; /* in topological order: parents before children */
    size_t n;
    ag_rev **heads; /* revisions with no children, in topological order */
    size_t nheads;
    ag_rev **slots; /* hash table of revisions by id */
    size_t nslots;
    ag_arena arena;             /* revisions, their lists and paths */
    struct ag_rev_index *index; /* headers read from the index point into it */
    bool index_pending;         /* the index is stale: ag_graph_save_index rewrites it */
    /* Scratch for ag_graph_is_ancestor (a graph is used from one thread). */
    unsigned *seen; /* per topo index: the walk that last reached it */
    unsigned walk;
    ag_rev **stack;
} ag_graph;

/* Load every migration under versions_dir. A missing folder is an error
 * that says to run 'autogen init'. */
int ag_graph_load(ag_graph **out, const char *versions_dir, const char *index_path, ag_error *err);
void ag_graph_free(ag_graph *g);
/* Rewrite the header index when loading found it stale. Not done by loading
 * itself: a command that fails leaves the index as it was. */
void ag_graph_save_index(ag_graph *g);

/* A revision by full id or unique prefix. AG_ENOTFOUND / AG_EINVALID (ambiguous). */
int ag_graph_find(ag_rev **out, const ag_graph *g, const char *id, ag_error *err);
/* The revision carrying branch label `label`, or NULL. */
ag_rev *ag_graph_find_label(const ag_graph *g, const char *label);
/* The head of the branch through r (the one head r leads to): AG_EMULTIHEAD when
 * r leads to several. */
int ag_graph_head_of(ag_rev **out, const ag_graph *g, ag_rev *r, ag_error *err);
/* Resolve a revision spec: an id or prefix, "LABEL@head", or "LABEL" (the
 * labelled revision). */
int ag_graph_resolve(ag_rev **out, const ag_graph *g, const char *spec, ag_error *err);

/* Plans: *out is a malloc'd array of *n revisions in the order to run them. */
typedef struct ag_plan {
    ag_rev **revs;
    size_t n;
} ag_plan;
void ag_plan_release(ag_plan *p);

/* Revisions to apply to go from the applied heads `current` to `targets`. */
int ag_graph_plan_upgrade(ag_plan *out,
                          const ag_graph *g,
                          ag_rev *const *current,
                          size_t ncurrent,
                          ag_rev *const *targets,
                          size_t ntargets,
                          ag_error *err);
/* Revisions to revert to go from `current` down to `target` (NULL = base). */
int ag_graph_plan_downgrade(ag_plan *out,
                            const ag_graph *g,
                            ag_rev *const *current,
                            size_t ncurrent,
                            const ag_rev *target,
                            ag_error *err);

/* Revisions to revert to go from the heads `current` to the heads `after`
 * (what current needs and after does not), in the order to revert them. */
int ag_graph_plan_revert(ag_plan *out,
                         const ag_graph *g,
                         ag_rev *const *current,
                         size_t ncurrent,
                         ag_rev *const *after,
                         size_t nafter);

/* The ids of revs joined with ", " into buf (cut short to fit), or `none`
 * when n is 0: for messages such as "the database is at a1, b2". Returns the
 * length of the whole text (as snprintf does): >= size when it was cut. */
size_t ag_graph_join_ids(char *buf, size_t size, ag_rev *const *revs, size_t n, const char *none);

/* Whether a is b or an ancestor of b. */
bool ag_graph_is_ancestor(const ag_graph *g, const ag_rev *a, const ag_rev *b);

/* The heads of the version table after applying / reverting r, given the
 * heads before (rows, updated in place; rows has room for g->n entries). */
void ag_graph_heads_after_apply(const ag_graph *g, ag_rev **rows, size_t *nrows, ag_rev *r);
void ag_graph_heads_after_revert(const ag_graph *g, ag_rev **rows, size_t *nrows, ag_rev *r);

#endif
