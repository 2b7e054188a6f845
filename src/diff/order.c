/* order.c - tables sorted by their foreign keys.
 *
 * Creating a table needs the tables it references to exist; dropping one
 * needs the tables that reference it gone. A depth-first walk over the
 * foreign keys gives the referenced-first order (tables without a relation
 * between them keep their input order); a key that leads back to a table
 * still being visited closes a cycle and is marked late: the caller creates
 * the tables without it and adds it afterwards (and, dropping, drops it
 * first). Only references among the given tables count.
 */
#include "../util/common.h"

#include "diff_internal.h"

typedef struct walk {
    const ag_table *const *t;
    size_t n;
    unsigned char *state; /* 0 unseen, 1 on the stack, 2 done */
    ag_diff_order *o;
} walk;

static size_t find(const walk *w, const ag_fk *f)
{
    for (int strict = 1; strict >= 0; strict--)
        for (size_t i = 0; i < w->n; i++)
            if (strcmp(w->t[i]->name, f->ref_table) == 0 &&
                (strict ? ag_str_eq(w->t[i]->schema, f->ref_schema)
                        : ag_diff__schema_equal(w->t[i]->schema, f->ref_schema)))
                return i;
    return w->n;
}

static void visit(walk *w, size_t i)
{
    w->state[i] = 1;
    const ag_table *t = w->t[i];
    for (size_t k = 0; k < t->nfks; k++) {
        size_t j = find(w, t->fks[k]);
        if (j == w->n || j == i)
            continue;
        if (w->state[j] == 1)
            w->o->late[i][k] = true;
        else if (w->state[j] == 0)
            visit(w, j);
    }
    w->state[i] = 2;
    w->o->order[w->o->n++] = i;
}

static void *xcalloc(size_t n, size_t size)
{
    return ag_xcalloc(n, size);
}

void ag_diff__order(ag_diff_order *o, const ag_table *const *tables, size_t n)
{
    o->n = 0;
    o->order = xcalloc(n, sizeof(*o->order));
    o->late = xcalloc(n, sizeof(*o->late));
    for (size_t i = 0; i < n; i++)
        o->late[i] = xcalloc(tables[i]->nfks, sizeof(**o->late));
    walk w = { .t = tables, .n = n, .state = xcalloc(n, 1), .o = o };
    for (size_t i = 0; i < n; i++)
        if (!w.state[i])
            visit(&w, i);
    free(w.state);
}

void ag_diff__order_release(ag_diff_order *o)
{
    if (o->late)
        for (size_t i = 0; i < o->n; i++)
            free(o->late[i]);
    free(o->late);
    free(o->order);
    memset(o, 0, sizeof(*o));
}
