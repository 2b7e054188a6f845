/* diff_internal.h - what the files of the diff engine share, nothing public.
 *
 * compare.c says when two definitions mean the same thing; order.c sorts
 * tables by their foreign keys; diff.c walks two schemas and emits the ops;
 * classify.c flags the ops that may lose data.
 */
#ifndef AUTOGEN_DIFF_DIFF_INTERNAL_H
#define AUTOGEN_DIFF_DIFF_INTERNAL_H

#include "diff.h"

#include "../dialect/dialect.h"

/* --- compare.c ------------------------------------------------------------- */

/* Two SQL expressions (checks, index bodies, partial-index predicates) are the
 * same when they differ only by blanks, parentheses, casts (::type), the case
 * of what is outside quotes, double quotes around plain lower-case
 * identifiers, and ~~ for LIKE (what PostgreSQL makes of what it is given). */
bool ag_diff__expr_equal(const char *a, const char *b);
/* Schemas of two tables: equal, or one of them unspecified (NULL). */
bool ag_diff__schema_equal(const char *a, const char *b);

/* Where expressions that differ by text go to be compared by the server's
 * words: x is NULL (text alone), or collecting (resolved false: each text
 * that differs is added to x and compares unequal for now), or resolved (the
 * dialect filled x: texts compare by their normal forms). t is the models'
 * table the expressions belong to. */
typedef struct ag_expr_ctx {
    ag_exprs *x;
    bool resolved;
    const ag_table *t;
} ag_expr_ctx;

/* cur (the database's) and tgt (the models', written at loc) are the same
 * expression of kind: by text, else by the server's normal forms. */
bool ag_diff__expr_same(const ag_expr_ctx *c,
                        ag_expr_kind kind,
                        const char *column,
                        const char *cur,
                        const char *tgt,
                        const ag_loc *loc);

/* In each, a is the database's object and b the models'; c may be NULL. */
bool ag_diff__fk_equal(const ag_fk *a, const ag_fk *b);
/* The same key save for when it is checked: ALTER CONSTRAINT changes that alone. */
bool ag_diff__fk_equal_but_defer(const ag_fk *a, const ag_fk *b);
bool ag_diff__index_equal(const ag_expr_ctx *c, const ag_index *a, const ag_index *b);
bool ag_diff__unique_equal(const ag_unique *a, const ag_unique *b);
bool ag_diff__check_equal(const ag_expr_ctx *c, const ag_check *a, const ag_check *b);

/* --- order.c --------------------------------------------------------------- */

/* Tables in foreign-key order: order[k] indexes `tables`, referenced tables
 * first; late[i][f] is set when fk f of table i closes a cycle (its table
 * must exist before the one it references, so the fk is added afterwards).
 * A self-reference is never late. */
typedef struct ag_diff_order {
    size_t *order;
    bool **late;
    size_t n;
} ag_diff_order;

void ag_diff__order(ag_diff_order *o, const ag_table *const *tables, size_t n);
void ag_diff__order_release(ag_diff_order *o);

#endif
