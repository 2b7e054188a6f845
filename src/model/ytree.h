/* ytree.h - one YAML document as a tree of libyaml nodes, in one pass.
 *
 * libyaml's own loader (yaml_parser_load) recurses as deep as the input nests
 * and accepts aliases; the model loader refuses both, and wants every syntax
 * error with its mark. So the events are read once, here: they are checked
 * (syntax, aliases, one document, nesting depth) and, when all is well, made
 * into yaml_node_t nodes as yaml_parser_load would make them (ids from 1, in
 * the order their events start, marks included; no tags), in an arena the
 * caller owns. Parsing different texts on different threads is safe, each
 * with its own arena, scratch and diagnostics.
 */
#ifndef AUTOGEN_MODEL_YTREE_H
#define AUTOGEN_MODEL_YTREE_H

#include "model.h"

#include <yaml.h>

typedef struct ag_ytree {
    yaml_node_t *nodes; /* id i is nodes[i - 1]; the root is id 1 */
    size_t n;           /* 0: the text holds no document */
} ag_ytree;

/* Growable buffers reused from one parse to the next (one per thread). */
typedef struct ag_ytree_scratch {
    yaml_node_t *nodes;
    size_t nodes_cap;
    int *ids; /* the children of the collections still open */
    size_t ids_cap;
} ag_ytree_scratch;

void ag_ytree_scratch_release(ag_ytree_scratch *s);

/* Parse text (len bytes) into *out, nodes and scalars allocated in a. Each
 * problem is added to diags under file, and counted in the return value: 0
 * means *out holds the text's first (and only) document. */
size_t ag_ytree_parse(ag_ytree *out,
                      ag_arena *a,
                      ag_ytree_scratch *s,
                      const char *text,
                      size_t len,
                      const char *file,
                      int max_depth,
                      ag_diags *diags);

static inline yaml_node_t *ag_ytree_node(const ag_ytree *t, int id)
{
    return id >= 1 && (size_t)id <= t->n ? &t->nodes[id - 1] : NULL;
}

#endif
