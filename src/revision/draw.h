/* draw.h - the revision graph drawn for people (README: "Drawing the graph").
 *
 * Three drawings of one graph: text the way `git log --graph` draws commits,
 * a Graphviz digraph and a Mermaid flowchart. Each is a pure function of the
 * graph and of what the caller marks, returning the whole text (malloc'd,
 * freed by the caller), so that tests compare it and the CLI prints it.
 *
 * All three draw the revisions in one order, newest first: a revision comes
 * before its parents and before what it depends on, and a line of history is
 * drawn through before the next one starts (git's --topo-order). Edges go
 * from a revision to its parents (down_revision); depends_on links are shown
 * in the text as "(depends on …)" and drawn dashed in dot and Mermaid, but
 * take no column in the text drawing.
 */
#ifndef AUTOGEN_REVISION_DRAW_H
#define AUTOGEN_REVISION_DRAW_H

#include "graph.h"

typedef struct ag_draw_opts {
    const bool *shown;      /* by topo index: the revisions to draw; NULL = all */
    ag_rev *const *current; /* the revisions the database is at, marked (current) */
    size_t ncurrent;
} ag_draw_opts;

/* The shown revisions in drawing order, newest first: a malloc'd array of *n. */
ag_rev **ag_draw_order(const ag_graph *g, const bool *shown, size_t *n);

/* One line per revision, "* <id> <marks> <message>", with the columns
 * `|`, `/`, `\` of branches and merges between them (ASCII only). */
char *ag_draw_text(const ag_graph *g, const ag_draw_opts *o);
/* A Graphviz digraph: edges child -> parent, heads bold, current filled. */
char *ag_draw_dot(const ag_graph *g, const ag_draw_opts *o);
/* A Mermaid `flowchart TB`: the same nodes, edges and styles. */
char *ag_draw_mermaid(const ag_graph *g, const ag_draw_opts *o);

#endif
