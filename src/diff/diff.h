/* diff.h - the autogenerate engine: two schemas in, an ordered op list out.
 *
 * ag_diff compares the current schema (introspected) with the target
 * (models) and returns the operations that turn one into the other, ordered
 * so that they apply: enums first, referenced tables created before the
 * tables that reference them, drops in reverse, foreign keys to tables that
 * do not exist yet added after those tables. The downgrade is the inverse of
 * the list (ag_oplist_invert). Rename hints (a drop and an add of the same
 * type in one table) go to the list's `hints`.
 */
#ifndef AUTOGEN_DIFF_DIFF_H
#define AUTOGEN_DIFF_DIFF_H

#include "../schema/op.h"

struct ag_exprs;

typedef struct ag_diff_opts {
    unsigned caps;                   /* the dialect's ag_dialect_caps: what it can hold */
    void (*type_reduce)(ag_type *t); /* the dialect's type equivalence; NULL = exact */
    bool (*collation_same)(const char *a, const char *b); /* the dialect's; NULL = exact */
    const char *const *include_tables; /* globs (ag_table_glob_match); NULL = all */
    size_t ninclude;
    const char *const *exclude_tables; /* globs; never touched */
    size_t nexclude;
    const char *default_schema; /* what a qualified glob calls tables without a schema */

    /* Expressions (checks, index bodies and predicates, defaults) that differ
     * by text are handed to this (the dialect's normalize_exprs), all at once,
     * and compare by what it makes of them; a model's text it rejects is an
     * error at the model's file:line:col. NULL: by text alone. */
    int (*normalize)(void *arg, struct ag_exprs *x, ag_error *err);
    void *normalize_arg;
} ag_diff_opts;

/* include_tables/exclude_tables: a glob without a dot matches the table's
 * name (in any schema); one with a dot matches "schema.table", schema being
 * the table's (never NULL: the default schema's name for its tables). */
bool ag_table_glob_match(const char *glob, const char *schema, const char *name);

/* *out belongs to the caller (ag_oplist_free); empty when nothing differs. */
int ag_diff(ag_oplist **out,
            const ag_schema *current,
            const ag_schema *target,
            const ag_diff_opts *opts,
            ag_error *err);

/* For databases that cannot use an enum value in the transaction that adds it
 * (AG_CAP_ENUM_COMMIT): move out of ops the ADD_ENUM_VALUE ops whose value
 * another op of ops uses (in a default, a check, an index, raw SQL, or by
 * casting rows to the enum), into the list returned, which must run and commit
 * first. NULL when there are none; ops keeps the rest, in order. */
ag_oplist *ag_diff_split_enum_values(ag_oplist *ops);

/* Defaults compare equal when they mean the same ("'a'" = "('a')", "0" = "0.0"
 * for numbers, keywords case-insensitively). */
bool ag_default_equal(const char *a, const char *b);
/* The same, knowing the column's type (NULL = unknown, as ag_default_equal):
 * on a numeric column a quoted number is that number ('0' = 0); on a boolean
 * column true/'t'/'true'/1/'1'/'yes'/'on' are one value, and so are the
 * false spellings. On other columns '0' and 0 stay different. */
bool ag_default_equal_typed(const char *a, const char *b, const ag_type *type);

#endif
