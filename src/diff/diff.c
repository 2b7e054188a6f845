/* diff.c - autogenerate: the ops that turn the current schema into the target.
 *
 * Tables pair by name (and schema), or through the model's renamed_from;
 * columns likewise. Constraints and indexes pair by name, then, for what is
 * left on both sides, by definition, so that a database whose objects were
 * named by someone else is not rewritten for it. Comparison sees through
 * renames: the current side is translated to the new table and column names
 * before it is compared, while the drops carry the definition as the
 * database holds it at the moment they run. Ops gather in phases that are
 * concatenated in an order that applies, and whose reverse (the downgrade)
 * applies too:
 *
 *   1. create enums, add enum values (before anything can use a new value);
 *   2. rename tables;
 *   3. create tables, referenced ones first; foreign keys closing a cycle are
 *      added right after the creates;
 *   4. drop the foreign keys of kept tables that change or go (so a dropped
 *      table, a dropped column or a rebuilt key is no longer referenced);
 *   5. per kept table, in model order: drop indexes, drop uniques, drop
 *      checks, drop the primary key, rename columns, add columns, alter
 *      columns, drop columns, add the primary key, add uniques, add checks,
 *      create indexes, set the table comment;
 *   6. add foreign keys of kept tables, and those of new tables that reference
 *      a column or key a kept table only gets in phase 5;
 *   7. drop the foreign keys that close a cycle among dropped tables, then
 *      drop tables, referencing ones first;
 *   8. drop enum values (recreating the type, once nothing uses them: a
 *      default changed in 5 no longer does; so the downgrade adds them back
 *      before anything uses them again);
 *   9. drop enums.
 *
 * Foreign-key drops and adds are hoisted out of the per-table step (4 and 6)
 * because a key spans two tables: added within its own table's step it could
 * reference a column the other table only gets later.
 */
#include "../util/common.h"

#include "diff_internal.h"

#include "../dialect/dialect.h"
#include "../util/error.h"
#include "../util/hash.h"

#include <fnmatch.h>
#include <stdio.h>

enum phase {
    P_ENUM_CREATE,
    P_ENUM_VALUE,
    P_TABLE_RENAME,
    P_TABLE_CREATE,
    P_CREATE_FK_LATE,
    P_DROP_FK,
    /* per kept table */
    P_DROP_INDEX,
    P_DROP_UNIQUE,
    P_DROP_CHECK,
    P_DROP_PK,
    P_RENAME_COLUMN,
    P_ADD_COLUMN,
    P_ALTER_COLUMN,
    P_DROP_COLUMN,
    P_ADD_PK,
    P_ADD_UNIQUE,
    P_ADD_CHECK,
    P_CREATE_INDEX,
    P_COMMENT,
    /* the end */
    P_ADD_FK,
    P_DROP_FK_GONE,
    P_TABLE_DROP,
    P_ENUM_VALUE_DROP,
    P_ENUM_DROP,
    P_COUNT
};

/* What happens to a target enum: created, left alone, or changed by enum ops
 * that give it the models' values. */
typedef enum { E_NEW, E_SAME, E_CHANGED } enum_fate;

/* A kept table: its current and target definitions. */
typedef struct pair {
    const ag_table *cur; /* as introspected */
    const ag_table *tgt;
    ag_table *state; /* cur with foreign keys following table renames: what drops see */
    ag_table *cmp;   /* state with the column renames applied: what the target is compared to */
    ag_strs ren_from, ren_to; /* column renames */
} pair;

/* Tables by name: the first position of each name in a map, the later ones
 * chained in order, so that a lookup visits only the tables of that name (one
 * per schema) and finds the one a scan in order would find first. Without it
 * every lookup scans every table: quadratic in the size of the schema. */
typedef struct byname {
    ag_strmap first; /* name -> position + 1 */
    size_t *next;    /* position -> the next position of that name, or n */
    size_t n;
} byname;

typedef struct differ {
    const ag_diff_opts *o;
    const ag_schema *current, *target;
    ag_oplist *out;
    ag_oplist *phase[P_COUNT];
    ag_arena tmp;
    pair *pairs;
    size_t npairs;
    enum_fate *fate;                   /* per target enum */
    const ag_strs **enum_current;      /* per target enum: the values the database has */
    ag_expr_ctx ectx;                  /* expressions; ectx.t is the kept table being diffed */
    byname current_by_name;            /* current->tables */
    byname pairs_by_tgt, pairs_by_cur; /* pairs, by target and by current name */
} differ;

static void *xcalloc(size_t n, size_t size)
{
    return ag_xcalloc(n, size);
}

static ag_arena *arena(differ *d, enum phase p)
{
    return &d->phase[p]->arena;
}

static ag_opdef *
emit(differ *d, enum phase p, ag_op_kind kind, const char *table, const char *schema)
{
    ag_opdef *op = ag_oplist_push(d->phase[p], kind, table);
    op->schema = ag_arena_strdup(arena(d, p), schema);
    return op;
}

static ag_opdef *emit_on(differ *d, enum phase p, ag_op_kind kind, const ag_table *t)
{
    return emit(d, p, kind, t->name, t->schema);
}

static void hint(differ *d, const char *text)
{
    ag_strs_push_arena(&d->out->arena, &d->out->hints, text);
}

/* --- scope ------------------------------------------------------------------ */

bool ag_table_glob_match(const char *glob, const char *schema, const char *name)
{
    if (!strchr(glob, '.'))
        return fnmatch(glob, name, 0) == 0;
    /* The schema part, then the name part, each a glob of its own, so that
     * '*' never matches across the dot. */
    const char *dot = strchr(glob, '.');
    size_t slen = (size_t)(dot - glob);
    char *sglob = ag_xstrndup(glob, slen);
    bool hit = schema && fnmatch(sglob, schema, 0) == 0 && fnmatch(dot + 1, name, 0) == 0;
    free(sglob);
    return hit;
}

static bool glob_any(const differ *d, const char *const *globs, size_t n, const ag_table *t)
{
    const char *schema = t->schema ? t->schema : d->o->default_schema;
    for (size_t i = 0; i < n; i++)
        if (ag_table_glob_match(globs[i], schema, t->name))
            return true;
    return false;
}

static bool excluded(const differ *d, const ag_table *t)
{
    return d->o->exclude_tables && glob_any(d, d->o->exclude_tables, d->o->nexclude, t);
}

static bool droppable(const differ *d, const ag_table *t)
{
    if (excluded(d, t))
        return false;
    return !d->o->include_tables || d->o->ninclude == 0 ||
           glob_any(d, d->o->include_tables, d->o->ninclude, t);
}

/* --- lookups --------------------------------------------------------------- */

/* Index n tables, table(ctx, i) being the i-th. Chains are built from the end
 * so that each lists its positions in ascending order. */
static void byname_build(byname *b,
                         size_t n,
                         const ag_table *(*table)(const void *ctx, size_t i),
                         const void *ctx)
{
    b->n = n;
    b->next = xcalloc(n, sizeof(*b->next));
    for (size_t i = n; i-- > 0;) {
        const char *name = table(ctx, i)->name;
        size_t first = (size_t)(uintptr_t)ag_strmap_get(&b->first, name);
        b->next[i] = first ? first - 1 : n;
        ag_strmap_put(&b->first, name, (void *)(uintptr_t)(i + 1));
    }
}

static size_t byname_first(const byname *b, const char *name)
{
    size_t first = (size_t)(uintptr_t)ag_strmap_get(&b->first, name);
    return first ? first - 1 : b->n;
}

static void byname_release(byname *b)
{
    ag_strmap_release(&b->first);
    free(b->next);
    b->next = NULL;
}

static const ag_table *current_at(const void *ctx, size_t i)
{
    return ((const ag_schema *)ctx)->tables[i];
}

static const ag_table *pair_tgt_at(const void *ctx, size_t i)
{
    return ((const pair *)ctx)[i].tgt;
}

static const ag_table *pair_cur_at(const void *ctx, size_t i)
{
    return ((const pair *)ctx)[i].cur;
}

/* Lookups by name try the schema given first (the same name may be in
 * several), then any (a database without schemas keeps none). */
static const pair *pair_of_target(const differ *d, const char *name, const char *schema)
{
    const byname *b = &d->pairs_by_tgt;
    for (int strict = 1; strict >= 0; strict--)
        for (size_t i = byname_first(b, name); i < b->n; i = b->next[i])
            if (strict ? ag_str_eq(d->pairs[i].tgt->schema, schema)
                       : ag_diff__schema_equal(d->pairs[i].tgt->schema, schema))
                return &d->pairs[i];
    return NULL;
}

/* The new name of a current table (itself unless renamed). */
static const char *renamed_table(const differ *d, const char *name, const char *schema)
{
    const byname *b = &d->pairs_by_cur;
    for (int strict = 1; strict >= 0; strict--)
        for (size_t i = byname_first(b, name); i < b->n; i = b->next[i])
            if (strict ? ag_str_eq(d->pairs[i].cur->schema, schema)
                       : ag_diff__schema_equal(d->pairs[i].cur->schema, schema))
                return d->pairs[i].tgt->name;
    return name;
}

static void rename_strs(ag_arena *a, ag_strs *l, const ag_strs *from, const ag_strs *to)
{
    for (size_t i = 0; i < l->n; i++)
        for (size_t k = 0; k < from->n; k++)
            if (strcmp(l->v[i], from->v[k]) == 0) {
                l->v[i] = ag_arena_strdup(a, to->v[k]);
                break;
            }
}

/* --- enums ------------------------------------------------------------------- */

static bool column_uses_enum(const ag_column *c, const char *name)
{
    return c->type.kind == AG_T_ENUM && c->type.name && strcmp(c->type.name, name) == 0;
}

/* A column of `s` typed enum(name), or NULL. */
static const ag_column *enum_user(const ag_schema *s, const char *name, const bool *skip)
{
    for (size_t k = 0; k < s->ntables; k++) {
        if (skip && skip[k])
            continue;
        for (size_t i = 0; i < s->tables[k]->ncolumns; i++)
            if (column_uses_enum(s->tables[k]->columns[i], name))
                return s->tables[k]->columns[i];
    }
    return NULL;
}

static ag_enum *find_enum(const ag_schema *s, const char *name, const char *schema)
{
    for (size_t i = 0; i < s->nenums; i++)
        if (strcmp(s->enums[i]->name, name) == 0 &&
            ag_diff__schema_equal(s->enums[i]->schema, schema))
            return s->enums[i];
    return NULL;
}

/* l without the values of `without`, in l's order. */
static void values_without(ag_arena *a, ag_strs *out, const ag_strs *l, const ag_strs *without)
{
    for (size_t i = 0; i < l->n; i++)
        if (!ag_strs_contains(without, l->v[i]))
            ag_strs_push_arena(a, out, l->v[i]);
}

/* An enum op on te, carrying the enum as the database has it (the inverse
 * of a drop puts the value back where it was). */
static ag_opdef *enum_op(differ *d,
                         enum phase p,
                         ag_op_kind kind,
                         const ag_enum *te,
                         const ag_enum *ce,
                         const ag_strs *have)
{
    ag_arena *a = arena(d, p);
    ag_opdef *op = emit(d, p, kind, NULL, te->schema);
    if (ce) {
        op->enm = ag_enum_clone(a, ce);
    } else {
        op->enm = ag_arena_alloc(a, sizeof(ag_enum));
        op->enm->name = ag_arena_strdup(a, te->name);
        op->enm->schema = ag_arena_strdup(a, te->schema);
        ag_strs_clone(a, &op->enm->values, have);
    }
    return op;
}

/* The ops that turn the values the database has into te's. Values new are
 * added first, each before the value it precedes in the models (ADD VALUE …
 * BEFORE; at the end, appended), and values removed are dropped last; when
 * the values both keep are in another order, one ALTER_ENUM gives the type
 * all of te's values in te's order (the type is recreated; rows keep their
 * values), first, or last when it drops values. */
static void change_enum(differ *d, const ag_enum *te, const ag_enum *ce, const ag_strs *have)
{
    ag_strs kept_have = { 0 }, kept_want = { 0 }, gone = { 0 }, added = { 0 };
    values_without(&d->tmp, &gone, have, &te->values);
    values_without(&d->tmp, &added, &te->values, have);
    values_without(&d->tmp, &kept_have, have, &gone);
    values_without(&d->tmp, &kept_want, &te->values, &added);
    if (!ag_strs_equal(&kept_have, &kept_want)) {
        enum phase p = gone.n ? P_ENUM_VALUE_DROP : P_ENUM_VALUE;
        ag_opdef *op = enum_op(d, p, AG_OP_ALTER_ENUM, te, ce, have);
        op->old_enm = op->enm;
        op->enm = ag_enum_clone(arena(d, p), op->old_enm);
        ag_strs_clone(arena(d, p), &op->enm->values, &te->values);
        return;
    }
    /* Each drop carries the values just before it, for its inverse. */
    ag_strs prior = { 0 };
    ag_strs_clone(&d->tmp, &prior, have);
    for (size_t k = 0; k < gone.n; k++) {
        ag_opdef *op = enum_op(d, P_ENUM_VALUE_DROP, AG_OP_DROP_ENUM_VALUE, te, ce, &prior);
        ag_strs_clone(arena(d, P_ENUM_VALUE_DROP), &op->enm->values, &prior);
        op->name = ag_arena_strdup(arena(d, P_ENUM_VALUE_DROP), gone.v[k]);
        ag_strs next = { 0 };
        for (size_t i = 0; i < prior.n; i++)
            if (strcmp(prior.v[i], gone.v[k]) != 0)
                ag_strs_push_arena(&d->tmp, &next, prior.v[i]);
        prior = next;
    }
    for (size_t k = 0; k < te->values.n; k++) {
        if (ag_strs_contains(have, te->values.v[k]))
            continue;
        const char *before = NULL;
        for (size_t j = k + 1; j < te->values.n && !before; j++)
            if (ag_strs_contains(have, te->values.v[j]))
                before = te->values.v[j];
        ag_opdef *op = enum_op(d, P_ENUM_VALUE, AG_OP_ADD_ENUM_VALUE, te, ce, have);
        op->name = ag_arena_strdup(arena(d, P_ENUM_VALUE), te->values.v[k]);
        op->old_name = ag_arena_strdup(arena(d, P_ENUM_VALUE), before);
    }
}

/* managed[k]: current table k is kept or dropped by this diff (its enum
 * columns are the diff's business); the others keep using their enums. */
static void diff_enums(differ *d, const bool *managed)
{
    const ag_schema *cur = d->current, *tgt = d->target;
    d->fate = xcalloc(tgt->nenums, sizeof(*d->fate));
    d->enum_current = xcalloc(tgt->nenums, sizeof(*d->enum_current));
    for (size_t i = 0; i < tgt->nenums; i++) {
        const ag_enum *te = tgt->enums[i];
        const ag_enum *ce = find_enum(cur, te->name, te->schema);
        const ag_strs *have = ce ? &ce->values : NULL;
        if (!ce) {
            /* No enum by that name, but a column already uses one (a database
             * whose enums live in its columns): it exists, with those values. */
            const ag_column *user = enum_user(cur, te->name, NULL);
            if (user)
                have = &user->enum_values;
        }
        d->enum_current[i] = have;
        if (!have) {
            d->fate[i] = E_NEW;
            ag_opdef *op = emit(d, P_ENUM_CREATE, AG_OP_CREATE_ENUM, NULL, te->schema);
            op->enm = ag_enum_clone(arena(d, P_ENUM_CREATE), te);
            continue;
        }
        if (ag_strs_equal(have, &te->values)) {
            d->fate[i] = E_SAME;
            continue;
        }
        d->fate[i] = E_CHANGED;
        change_enum(d, te, ce, have);
    }
    /* Enums the models no longer have, unless a table left alone still uses one. */
    bool *skip = xcalloc(cur->ntables, sizeof(bool));
    for (size_t k = 0; k < cur->ntables; k++)
        skip[k] = managed[k];
    for (size_t i = 0; i < cur->nenums; i++) {
        const ag_enum *ce = cur->enums[i];
        if (find_enum(tgt, ce->name, ce->schema) || enum_user(tgt, ce->name, NULL) ||
            enum_user(cur, ce->name, skip))
            continue;
        ag_opdef *op = emit(d, P_ENUM_DROP, AG_OP_DROP_ENUM, NULL, ce->schema);
        op->enm = ag_enum_clone(arena(d, P_ENUM_DROP), ce);
    }
    free(skip);
}

/* The values of an enum column: its own, else its enum's. */
static const ag_strs *column_enum_values(const ag_schema *s, const ag_column *c)
{
    static const ag_strs none = { 0 };
    if (c->enum_values.n || !c->type.name)
        return &c->enum_values;
    const ag_enum *e = ag_schema_find_enum(s, c->type.name);
    return e ? &e->values : &none;
}

/* Without enum types the values live in each column (SQLite: a CHECK), so a
 * column whose values differ from what the enum ops leave it with needs an
 * alter of its own. With enum types the values live in the type and the
 * enum ops are the whole story. */
static bool enum_values_differ(differ *d, const ag_column *cc, const ag_column *tc)
{
    if ((d->o->caps & AG_CAP_ENUM_TYPES) || cc->type.kind != AG_T_ENUM ||
        tc->type.kind != AG_T_ENUM)
        return false;
    const ag_strs *have = column_enum_values(d->current, cc);
    const ag_strs *want = column_enum_values(d->target, tc);
    ag_strs expect = { 0 };
    ag_strs_clone(&d->tmp, &expect, have);
    for (size_t i = 0; tc->type.name && i < d->target->nenums; i++) {
        const ag_enum *te = d->target->enums[i];
        if (strcmp(te->name, tc->type.name) != 0)
            continue;
        /* The enum ops give every column of the enum the models' values. */
        if (d->fate[i] == E_CHANGED && cc->type.name && strcmp(cc->type.name, te->name) == 0 &&
            ag_strs_equal(have, d->enum_current[i]))
            ag_strs_clone(&d->tmp, &expect, &te->values);
    }
    return !ag_strs_equal(&expect, want);
}

/* --- columns ------------------------------------------------------------------ */

static bool type_equal(const differ *d, const ag_type *a, const ag_type *b)
{
    ag_type x = *a, y = *b;
    if (d->o->type_reduce) {
        d->o->type_reduce(&x);
        d->o->type_reduce(&y);
    }
    return ag_type_equal(&x, &y);
}

/* Whether the database's column assigns ids as the model's asks (README, model
 * files): SQLite's INTEGER PRIMARY KEY (a rowid alias) does for `autoincrement:
 * true`, and is what a key without it is made of too; only `autoincrement:
 * strict` asks for the AUTOINCREMENT keyword itself. */
static bool autoincrement_differs(const ag_column *cc, const ag_column *tc)
{
    if (cc->autoincrement == tc->autoincrement)
        return false;
    if (cc->autoincrement) /* the keyword, which the model does not want */
        return true;
    return !cc->rowid_alias || tc->autoincrement_strict;
}

static bool default_same(const differ *d, const ag_column *cc, const ag_column *tc)
{
    return ag_default_equal_typed(cc->default_sql, tc->default_sql, &tc->type) ||
           (type_equal(d, &cc->type, &tc->type) &&
            ag_diff__expr_same(&d->ectx, AG_EXPR_DEFAULT, tc->name, cc->default_sql,
                               tc->default_sql, &tc->loc));
}

static bool collation_same(const differ *d, const char *a, const char *b)
{
    return d->o->collation_same ? d->o->collation_same(a, b) : ag_str_eq(a, b);
}

/* A PostgreSQL column whose default calls nextval() of a sequence no column
 * owns is both: `autoincrement: true` matches it (as it always did), and so
 * does a `default_sql:` of that call (what pull writes, so that a database
 * built from the models gets the same shared sequence). */
static bool sequence_default_same(const differ *d, const ag_column *cc, const ag_column *tc)
{
    return cc->sequence_default && !tc->autoincrement && tc->default_sql &&
           ag_diff__expr_same(&d->ectx, AG_EXPR_DEFAULT, tc->name, cc->sequence_default,
                              tc->default_sql, &tc->loc);
}

static bool column_changed(differ *d, const ag_column *cc, const ag_column *tc)
{
    if (!type_equal(d, &cc->type, &tc->type) || cc->nullable != tc->nullable)
        return true;
    if (!sequence_default_same(d, cc, tc) &&
        (autoincrement_differs(cc, tc) || !default_same(d, cc, tc)))
        return true;
    if ((d->o->caps & AG_CAP_COMMENTS) && !ag_str_eq(cc->comment, tc->comment))
        return true;
    if (!collation_same(d, cc->collation, tc->collation))
        return true;
    return enum_values_differ(d, cc, tc);
}

/* A generated column is never altered: PostgreSQL 15 cannot change its
 * expression, and turning a plain column into a generated one (or back)
 * replaces its values. What differs is said, for a migration by hand. */
static void generated_hint(differ *d, const ag_table *tgt, const ag_column *cc, const ag_column *tc)
{
    const char *why = NULL;
    if (!tc->generated)
        return; /* listed as a plain column: the database's is kept */
    if (!cc->generated)
        why = "the model computes it (`generated:`) but the database's column is a plain one";
    else if (!ag_diff__expr_same(&d->ectx, AG_EXPR_GENERATED, tc->name, cc->generated,
                                 tc->generated, &tc->loc))
        why = ag_arena_printf(&d->tmp, "the model computes it as (%s), the database as (%s)",
                              tc->generated, cc->generated);
    else if ((d->o->caps & AG_CAP_VIRTUAL_COLUMNS) && cc->generated_stored != tc->generated_stored)
        why = tc->generated_stored ? "the model stores it, the database computes it on read"
                                   : "the model computes it on read, the database stores it";
    if (why)
        hint(d, ag_arena_printf(&d->tmp,
                                "column '%s.%s': %s; autogenerate does not change a generated "
                                "column: drop and add it in a migration by hand (with the "
                                "indexes on it) if it matters",
                                tgt->name, tc->name, why));
}

static void diff_columns(differ *d, const pair *p)
{
    const ag_table *cur = p->cur, *tgt = p->tgt;
    bool *seen = xcalloc(cur->ncolumns, sizeof(bool));
    ag_strs added = { 0 };
    for (size_t i = 0; i < p->ren_to.n; i++) {
        ag_opdef *op = emit_on(d, P_RENAME_COLUMN, AG_OP_RENAME_COLUMN, tgt);
        op->old_name = ag_arena_strdup(arena(d, P_RENAME_COLUMN), p->ren_from.v[i]);
        op->name = ag_arena_strdup(arena(d, P_RENAME_COLUMN), p->ren_to.v[i]);
    }
    for (size_t i = 0; i < tgt->ncolumns; i++) {
        const ag_column *tc = tgt->columns[i];
        size_t k = ag_table_column_index(cur, tc->name);
        if (k == cur->ncolumns && tc->renamed_from && ag_strs_contains(&p->ren_to, tc->name))
            k = ag_table_column_index(cur, tc->renamed_from);
        if (k == cur->ncolumns) {
            ag_opdef *op = emit_on(d, P_ADD_COLUMN, AG_OP_ADD_COLUMN, tgt);
            op->column = ag_column_clone(arena(d, P_ADD_COLUMN), tc);
            op->column->renamed_from = NULL;
            if (!tc->renamed_from)
                ag_strs_push_arena(&d->tmp, &added, tc->name);
            continue;
        }
        seen[k] = true;
        const ag_column *cc = cur->columns[k];
        /* Generated columns are kept as the database has them (README, what
         * autogenerate sees): a model may list one as a plain column, and one
         * it describes with `generated:` is compared for a hint only. */
        if (cc->generated || tc->generated) {
            generated_hint(d, tgt, cc, tc);
            continue;
        }
        if (!column_changed(d, cc, tc))
            continue;
        ag_arena *a = arena(d, P_ALTER_COLUMN);
        ag_opdef *op = emit_on(d, P_ALTER_COLUMN, AG_OP_ALTER_COLUMN, tgt);
        op->old_column = ag_column_clone(a, cc);
        op->old_column->name = ag_arena_strdup(a, tc->name); /* renamed by now */
        op->old_column->renamed_from = NULL;
        /* Types the dialect cannot tell apart are not a change of type. */
        if (type_equal(d, &cc->type, &tc->type)) {
            op->old_column->type = tc->type;
            op->old_column->type.name = ag_arena_strdup(a, tc->type.name);
            op->old_column->type.schema = ag_arena_strdup(a, tc->type.schema);
        }
        op->column = ag_column_clone(a, tc);
        op->column->renamed_from = NULL;
        /* Nor is a collation spelled otherwise (SQLite: nocase, NOCASE). */
        if (collation_same(d, cc->collation, tc->collation))
            op->column->collation = op->old_column->collation;
        else if (!tc->collation)
            /* Models could not say a collation before `collation:`: one that
             * leaves it out now changes how the column compares and sorts. */
            hint(d, ag_arena_printf(&d->tmp,
                                    "column '%s.%s': the database compares it with collation %s "
                                    "and the model names none, so the migration returns it to "
                                    "the default; add `collation: %s` to the model to keep it",
                                    tgt->name, tc->name, cc->collation, cc->collation));
        /* Values an enum op adds (or a named enum type holds) are not this column's change. */
        if (tc->type.kind == AG_T_ENUM && cc->type.kind == AG_T_ENUM &&
            !enum_values_differ(d, cc, tc))
            ag_strs_clone(a, &op->old_column->enum_values, &op->column->enum_values);
        if (!(d->o->caps & AG_CAP_COMMENTS)) /* comments are not ours to change */
            op->column->comment = ag_arena_strdup(a, cc->comment);
        /* Nor is autoincrement: AG_ALTER(...) cannot say it, so the migration
         * would not do it; `diff` shows what the migration does. */
        op->column->autoincrement = cc->autoincrement;
        op->column->autoincrement_strict = false;
        if (sequence_default_same(d, cc, tc)) /* the same sequence's nextval(): no change */
            op->column->default_sql = op->old_column->default_sql;
        if (!ag_op_alter_visible(op)) {
            /* Nothing AG_ALTER(...) can say (autoincrement): no op, a hint. */
            d->phase[P_ALTER_COLUMN]->n--;
            hint(d, ag_arena_printf(&d->tmp,
                                    "column '%s.%s': the model %s and the database's column %s; "
                                    "ag_alter_column cannot change that, so autogenerate writes "
                                    "nothing for it: change the key by hand (ag_execute) if "
                                    "it matters",
                                    tgt->name, tc->name,
                                    tc->autoincrement_strict ? "asks for AUTOINCREMENT "
                                                               "(autoincrement: strict)"
                                    : tc->autoincrement      ? "says autoincrement"
                                                             : "says no autoincrement",
                                    cc->autoincrement ? "has it"
                                    : cc->rowid_alias ? "is a rowid alias without AUTOINCREMENT"
                                                      : "does not assign ids"));
        }
    }
    bool *hinted = xcalloc(added.n, sizeof(bool));
    for (size_t k = 0; k < cur->ncolumns; k++) {
        if (seen[k] || cur->columns[k]->generated)
            continue;
        const ag_column *cc = cur->columns[k];
        ag_opdef *op = emit_on(d, P_DROP_COLUMN, AG_OP_DROP_COLUMN, tgt);
        op->column = ag_column_clone(arena(d, P_DROP_COLUMN), cc);
        /* A drop and an add of the same type look like a rename the model did not declare. */
        for (size_t j = 0; j < added.n; j++) {
            const ag_column *ac = ag_table_find_column(tgt, added.v[j]);
            if (hinted[j] || !type_equal(d, &cc->type, &ac->type))
                continue;
            hinted[j] = true;
            hint(d, ag_arena_printf(&d->tmp,
                                    "table '%s': column '%s' is dropped and '%s' added with the "
                                    "same type; if it is a rename, add \"renamed_from: %s\" to "
                                    "'%s' in the model",
                                    tgt->name, cc->name, ac->name, cc->name, ac->name));
            break;
        }
    }
    free(hinted);
    free(seen);
}

/* --- constraints and indexes --------------------------------------------------- */

typedef bool (*eq_fn)(const differ *d, const void *a, const void *b);

static bool eq_fk(const differ *d, const void *a, const void *b)
{
    AG_UNUSED(d);
    return ag_diff__fk_equal(a, b);
}
static bool fk_alterable(const differ *d, const void *a, const void *b)
{
    AG_UNUSED(d);
    return ag_diff__fk_equal_but_defer(a, b);
}
static bool eq_index(const differ *d, const void *a, const void *b)
{
    return ag_diff__index_equal(&d->ectx, a, b);
}
static bool eq_unique(const differ *d, const void *a, const void *b)
{
    AG_UNUSED(d);
    return ag_diff__unique_equal(a, b);
}
static bool eq_check(const differ *d, const void *a, const void *b)
{
    return ag_diff__check_equal(&d->ectx, a, b);
}

/* Every object type starts with its name. */
static const char *name_of(const void *x)
{
    return *(const char *const *)x;
}

/* m[i] = the current object paired with target object i: the one of the same
 * name, else an unpaired one with the same definition, else (when `loose` is
 * given) one loose() finds alike; ncur when none. */
static void pair_objects(const differ *d,
                         void *const *cur,
                         size_t ncur,
                         void *const *tgt,
                         size_t ntgt,
                         eq_fn eq,
                         eq_fn loose,
                         size_t *m)
{
    bool *taken = xcalloc(ncur, sizeof(bool));
    for (size_t i = 0; i < ntgt; i++) {
        m[i] = ncur;
        for (size_t k = 0; k < ncur && m[i] == ncur; k++)
            if (!taken[k] && name_of(cur[k]) && name_of(tgt[i]) &&
                strcmp(name_of(cur[k]), name_of(tgt[i])) == 0) {
                m[i] = k;
                taken[k] = true;
            }
    }
    for (size_t i = 0; i < ntgt; i++)
        for (size_t k = 0; k < ncur && m[i] == ncur; k++)
            if (!taken[k] && eq(d, cur[k], tgt[i])) {
                m[i] = k;
                taken[k] = true;
            }
    for (size_t i = 0; loose && i < ntgt; i++)
        for (size_t k = 0; k < ncur && m[i] == ncur; k++)
            if (!taken[k] && loose(d, cur[k], tgt[i])) {
                m[i] = k;
                taken[k] = true;
            }
    free(taken);
}

/* What a kind of object needs to be diffed. */
typedef struct objkind {
    eq_fn eq;
    ag_op_kind drop, add;
    enum phase pdrop, padd;
    /* Foreign keys: the same key but for its deferrability, which an ALTER_FK
     * changes in place (under the database's name for it); NULL for the rest. */
    eq_fn alterable;
} objkind;

static void set_object(ag_opdef *op, ag_arena *a, ag_op_kind kind, const void *x)
{
    switch (kind) {
    case AG_OP_ADD_FK:
    case AG_OP_DROP_FK:
        op->fk = ag_fk_clone(a, x);
        break;
    case AG_OP_CREATE_INDEX:
    case AG_OP_DROP_INDEX:
        op->index = ag_index_clone(a, x);
        break;
    case AG_OP_ADD_UNIQUE:
    case AG_OP_DROP_UNIQUE:
        op->unique = ag_unique_clone(a, x);
        break;
    default:
        op->check = ag_check_clone(a, x);
        break;
    }
}

/* cmp: the current objects translated to the new names (compared); state:
 * the same objects as the database holds them when the drops run. */
static void diff_objects(differ *d,
                         const objkind *k,
                         const ag_table *tgt,
                         void *const *cmp,
                         void *const *state,
                         size_t ncur,
                         void *const *want,
                         size_t nwant)
{
    size_t *m = xcalloc(nwant, sizeof(size_t));
    bool *kept = xcalloc(ncur, sizeof(bool));
    pair_objects(d, cmp, ncur, want, nwant, k->eq, k->alterable, m);
    for (size_t i = 0; i < nwant; i++) {
        if (m[i] < ncur) {
            kept[m[i]] = true;
            if (k->eq(d, cmp[m[i]], want[i]))
                continue;
            if (k->alterable && k->alterable(d, cmp[m[i]], want[i])) {
                ag_opdef *op = emit_on(d, k->padd, AG_OP_ALTER_FK, tgt);
                op->fk = ag_fk_clone(arena(d, k->padd), state[m[i]]);
                op->fk->defer = ((const ag_fk *)want[i])->defer;
                op->old_fk = ag_fk_clone(arena(d, k->padd), state[m[i]]);
                continue;
            }
            set_object(emit_on(d, k->pdrop, k->drop, tgt), arena(d, k->pdrop), k->drop,
                       state[m[i]]);
        }
        set_object(emit_on(d, k->padd, k->add, tgt), arena(d, k->padd), k->add, want[i]);
    }
    for (size_t i = 0; i < ncur; i++)
        if (!kept[i])
            set_object(emit_on(d, k->pdrop, k->drop, tgt), arena(d, k->pdrop), k->drop, state[i]);
    free(kept);
    free(m);
}

static const objkind FK = { eq_fk, AG_OP_DROP_FK, AG_OP_ADD_FK, P_DROP_FK, P_ADD_FK, fk_alterable };
static const objkind INDEX = { eq_index,     AG_OP_DROP_INDEX, AG_OP_CREATE_INDEX,
                               P_DROP_INDEX, P_CREATE_INDEX,   NULL };
static const objkind UNIQUE = { eq_unique,     AG_OP_DROP_UNIQUE, AG_OP_ADD_UNIQUE,
                                P_DROP_UNIQUE, P_ADD_UNIQUE,      NULL };
static const objkind CHECK = { eq_check,     AG_OP_DROP_CHECK, AG_OP_ADD_CHECK,
                               P_DROP_CHECK, P_ADD_CHECK,      NULL };

static void remove_fk_at(ag_table *t, size_t i)
{
    memmove(&t->fks[i], &t->fks[i + 1], (t->nfks - i - 1) * sizeof(*t->fks));
    t->nfks--;
}

static ag_pk *pk_clone(ag_arena *a, const ag_pk *p)
{
    ag_pk *r = ag_arena_alloc(a, sizeof(*r));
    r->name = ag_arena_strdup(a, p->name);
    ag_strs_clone(a, &r->columns, &p->columns);
    return r;
}

static void diff_table(differ *d, const pair *p)
{
    const ag_table *tgt = p->tgt, *cmp = p->cmp, *st = p->state;
    d->ectx.t = tgt;
    diff_objects(d, &INDEX, tgt, (void *const *)cmp->indexes, (void *const *)st->indexes,
                 cmp->nindexes, (void *const *)tgt->indexes, tgt->nindexes);
    diff_objects(d, &UNIQUE, tgt, (void *const *)cmp->uniques, (void *const *)st->uniques,
                 cmp->nuniques, (void *const *)tgt->uniques, tgt->nuniques);
    diff_objects(d, &CHECK, tgt, (void *const *)cmp->checks, (void *const *)st->checks,
                 cmp->nchecks, (void *const *)tgt->checks, tgt->nchecks);

    /* Primary key: the columns. A name alone differing (after a table rename,
     * or a key someone else named) is not worth rebuilding a key that other
     * tables' foreign keys may hang on. */
    bool same = ag_strs_equal(&cmp->pk.columns, &tgt->pk.columns);
    if (!same) {
        if (st->pk.columns.n)
            emit_on(d, P_DROP_PK, AG_OP_DROP_PK, tgt)->pk = pk_clone(arena(d, P_DROP_PK), &st->pk);
        if (tgt->pk.columns.n)
            emit_on(d, P_ADD_PK, AG_OP_ADD_PK, tgt)->pk = pk_clone(arena(d, P_ADD_PK), &tgt->pk);
    }

    diff_columns(d, p);

    if ((d->o->caps & AG_CAP_COMMENTS) && !ag_str_eq(p->cur->comment, tgt->comment)) {
        ag_opdef *op = emit_on(d, P_COMMENT, AG_OP_TABLE_COMMENT, tgt);
        op->name = ag_arena_strdup(arena(d, P_COMMENT), tgt->comment);
        op->old_name = ag_arena_strdup(arena(d, P_COMMENT), p->cur->comment);
    }
    /* Table options (PARTITION BY, STRICT…) are fixed when a table is made:
     * a model that says other ones gets a hint, never a rebuild of a table
     * (and its partitions) behind the user's back. A model without `options:`
     * leaves the database's as they are. */
    if (tgt->options && !ag_diff__expr_equal(p->cur->options ? p->cur->options : "", tgt->options))
        hint(d, ag_arena_printf(&d->tmp,
                                "table '%s': the model's options are '%s', the database's %s%s%s; "
                                "autogenerate does not remake a table for its options: do it in a "
                                "migration by hand if it matters",
                                tgt->name, tgt->options, p->cur->options ? "'" : "",
                                p->cur->options ? p->cur->options : "none",
                                p->cur->options ? "'" : ""));
    d->ectx.t = NULL;
}

/* --- pairing ------------------------------------------------------------------- */

/* The current table for target table t: same name (same schema first), else
 * its renamed_from when the models have no table of that name. */
static size_t find_current(differ *d, const ag_table *t, const bool *taken, bool *renamed)
{
    const ag_schema *cur = d->current;
    const byname *b = &d->current_by_name;
    *renamed = false;
    for (int strict = 1; strict >= 0; strict--)
        for (size_t k = byname_first(b, t->name); k < b->n; k = b->next[k]) {
            const ag_table *c = cur->tables[k];
            if (!taken[k] && (strict ? ag_str_eq(c->schema, t->schema)
                                     : ag_diff__schema_equal(c->schema, t->schema)))
                return k;
        }
    if (!t->renamed_from || ag_schema_find_table(d->target, t->renamed_from))
        return cur->ntables;
    for (size_t k = byname_first(b, t->renamed_from); k < b->n; k = b->next[k]) {
        const ag_table *c = cur->tables[k];
        if (!taken[k] && ag_diff__schema_equal(c->schema, t->schema) && !excluded(d, c)) {
            *renamed = true;
            return k;
        }
    }
    return cur->ntables;
}

/* Column renames of a kept table: renamed_from names a current column that
 * the target no longer has, and the target name is new. */
static void find_column_renames(differ *d, pair *p)
{
    for (size_t i = 0; i < p->tgt->ncolumns; i++) {
        const ag_column *tc = p->tgt->columns[i];
        if (!tc->renamed_from || ag_table_find_column(p->cur, tc->name) ||
            !ag_table_find_column(p->cur, tc->renamed_from) ||
            ag_table_find_column(p->tgt, tc->renamed_from) ||
            ag_strs_contains(&p->ren_from, tc->renamed_from))
            continue;
        ag_strs_push_arena(&d->tmp, &p->ren_from, tc->renamed_from);
        ag_strs_push_arena(&d->tmp, &p->ren_to, tc->name);
    }
}

/* The current side as the target's names see it. */
static void translate(differ *d, pair *p)
{
    ag_arena *a = &d->tmp;
    /* Most kept tables rename no column and reference no renamed table or
     * column: they are compared as the database has them, not copied (two
     * copies of every table were over a quarter of the peak memory at 10,000
     * tables). */
    bool renames = p->ren_from.n > 0;
    for (size_t i = 0; !renames && i < p->cur->nfks; i++) {
        const ag_fk *f = p->cur->fks[i];
        const char *ref = renamed_table(d, f->ref_table, f->ref_schema);
        const pair *r = pair_of_target(d, ref, f->ref_schema);
        renames = strcmp(ref, f->ref_table) != 0 || (r && r->ren_from.n > 0);
    }
    if (!renames) {
        p->state = p->cmp = (ag_table *)(uintptr_t)p->cur; /* read only from here on */
        return;
    }
    p->state = ag_table_clone(a, p->cur);
    for (size_t i = 0; i < p->state->nfks; i++) {
        ag_fk *f = p->state->fks[i];
        f->ref_table = ag_arena_strdup(a, renamed_table(d, f->ref_table, f->ref_schema));
    }
    ag_table *c = p->cmp = ag_table_clone(a, p->state);
    rename_strs(a, &c->pk.columns, &p->ren_from, &p->ren_to);
    for (size_t i = 0; i < c->nuniques; i++)
        rename_strs(a, &c->uniques[i]->columns, &p->ren_from, &p->ren_to);
    for (size_t i = 0; i < c->nindexes; i++)
        rename_strs(a, &c->indexes[i]->columns, &p->ren_from, &p->ren_to);
    for (size_t i = 0; i < c->nfks; i++)
        rename_strs(a, &c->fks[i]->columns, &p->ren_from, &p->ren_to);
}

static void translate_references(differ *d, pair *p)
{
    for (size_t i = 0; i < p->cmp->nfks; i++) {
        ag_fk *f = p->cmp->fks[i];
        const pair *r = pair_of_target(d, f->ref_table, f->ref_schema);
        if (r && r->ren_from.n > 0) /* then translate() copied p->cur */
            rename_strs(&d->tmp, &f->ref_columns, &r->ren_from, &r->ren_to);
    }
}

/* Whether the kept table a new table's fk references already has the key the
 * fk needs (the columns, under those names, with a primary key or unique
 * constraint or plain unique index on exactly them); if not, the fk waits for
 * phase 6. */

static bool reference_ready(const differ *d, const ag_fk *f)
{
    const pair *r = pair_of_target(d, f->ref_table, f->ref_schema);
    if (!r)
        return true; /* created here (ordered), or outside our scope */
    const ag_table *t = r->state;
    for (size_t i = 0; i < f->ref_columns.n; i++)
        if (!ag_table_find_column(t, f->ref_columns.v[i]))
            return false;
    if (ag_strs_same_set(&t->pk.columns, &f->ref_columns))
        return true;
    for (size_t i = 0; i < t->nuniques; i++)
        if (ag_strs_same_set(&t->uniques[i]->columns, &f->ref_columns))
            return true;
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i]->unique && !t->indexes[i]->where && !t->indexes[i]->expression &&
            ag_strs_same_set(&t->indexes[i]->columns, &f->ref_columns))
            return true;
    return false;
}

/* --- new and dropped tables ------------------------------------------------------- */

static void create_tables(differ *d, const ag_table *const *created, size_t n)
{
    ag_diff_order ord;
    ag_diff__order(&ord, created, n);
    ag_arena *a = arena(d, P_TABLE_CREATE);
    for (size_t k = 0; k < ord.n; k++) {
        size_t i = ord.order[k];
        const ag_table *t = created[i];
        ag_table *def = ag_table_clone(a, t);
        def->renamed_from = NULL;
        for (size_t c = 0; c < def->ncolumns; c++)
            def->columns[c]->renamed_from = NULL;
        for (size_t f = t->nfks; f-- > 0;) {
            enum phase later = ord.late[i][f]                   ? P_CREATE_FK_LATE
                               : !reference_ready(d, t->fks[f]) ? P_ADD_FK
                                                                : P_COUNT;
            if (later == P_COUNT)
                continue;
            emit_on(d, later, AG_OP_ADD_FK, t)->fk = ag_fk_clone(arena(d, later), t->fks[f]);
            remove_fk_at(def, f);
        }
        emit_on(d, P_TABLE_CREATE, AG_OP_CREATE_TABLE, t)->tdef = def;
    }
    ag_diff__order_release(&ord);
}

static void drop_tables(differ *d, const ag_table *const *gone, size_t n)
{
    ag_diff_order ord;
    ag_diff__order(&ord, gone, n);
    for (size_t k = ord.n; k-- > 0;) {
        size_t i = ord.order[k];
        const ag_table *t = gone[i];
        ag_table *def = ag_table_clone(arena(d, P_TABLE_DROP), t);
        for (size_t f = t->nfks; f-- > 0;) {
            if (!ord.late[i][f])
                continue;
            emit_on(d, P_DROP_FK_GONE, AG_OP_DROP_FK, t)->fk =
                ag_fk_clone(arena(d, P_DROP_FK_GONE), t->fks[f]);
            remove_fk_at(def, f);
        }
        emit_on(d, P_TABLE_DROP, AG_OP_DROP_TABLE, t)->tdef = def;
    }
    ag_diff__order_release(&ord);
}

static bool same_columns(const differ *d, const ag_table *a, const ag_table *b)
{
    if (a->ncolumns != b->ncolumns || a->ncolumns == 0)
        return false;
    for (size_t k = 0; k < a->ncolumns; k++)
        if (strcmp(a->columns[k]->name, b->columns[k]->name) != 0 ||
            !type_equal(d, &a->columns[k]->type, &b->columns[k]->type))
            return false;
    return true;
}

static void table_rename_hints(differ *d,
                               const ag_table *const *gone,
                               size_t ngone,
                               const ag_table *const *created,
                               size_t ncreated)
{
    bool *used = xcalloc(ncreated, sizeof(bool));
    for (size_t i = 0; i < ngone; i++)
        for (size_t j = 0; j < ncreated; j++) {
            if (used[j] || created[j]->renamed_from || !same_columns(d, gone[i], created[j]) ||
                strcmp(gone[i]->name, created[j]->name) == 0) /* moved between schemas */
                continue;
            used[j] = true;
            hint(d,
                 ag_arena_printf(&d->tmp,
                                 "table '%s' is dropped and '%s' created with the same "
                                 "columns; if it is a rename, add \"renamed_from: %s\" to "
                                 "table '%s' in the model",
                                 gone[i]->name, created[j]->name, gone[i]->name, created[j]->name));
            break;
        }
    free(used);
}

/* --- the whole ------------------------------------------------------------------------ */

/* Move phases [from, to] into the result, classifying each op. */
static void flush(differ *d, enum phase from, enum phase to)
{
    for (int p = (int)from; p <= (int)to; p++) {
        ag_oplist *l = d->phase[p];
        if (l->n == 0)
            continue; /* most kept tables leave most phases empty */
        for (size_t i = 0; i < l->n; i++)
            ag_op_classify(&d->out->arena, ag_op_copy(d->out, l->ops[i]));
        ag_oplist_free(l);
        d->phase[p] = ag_oplist_new();
    }
}

/* One walk over the two schemas; expressions as x says (ag_expr_ctx). */
static ag_oplist *diff_pass(const ag_schema *current,
                            const ag_schema *target,
                            const ag_diff_opts *opts,
                            ag_exprs *x,
                            bool resolved)
{
    differ d = { .o = opts, .current = current, .target = target };
    d.ectx.x = x;
    d.ectx.resolved = resolved;
    d.out = ag_oplist_new();
    for (int p = 0; p < P_COUNT; p++)
        d.phase[p] = ag_oplist_new();

    /* Pair target tables with current ones. */
    bool *taken = xcalloc(current->ntables, sizeof(bool));
    const ag_table **created = xcalloc(target->ntables, sizeof(*created));
    const ag_table **gone = xcalloc(current->ntables, sizeof(*gone));
    size_t ncreated = 0, ngone = 0;
    d.pairs = xcalloc(target->ntables, sizeof(*d.pairs));
    byname_build(&d.current_by_name, current->ntables, current_at, current);
    for (size_t i = 0; i < target->ntables; i++) {
        const ag_table *t = target->tables[i];
        if (excluded(&d, t))
            continue;
        bool renamed;
        size_t k = find_current(&d, t, taken, &renamed);
        if (k == current->ntables) {
            created[ncreated++] = t;
            continue;
        }
        taken[k] = true;
        pair *p = &d.pairs[d.npairs++];
        p->cur = current->tables[k];
        p->tgt = t;
        if (renamed) {
            ag_opdef *op = emit(&d, P_TABLE_RENAME, AG_OP_RENAME_TABLE, p->cur->name, t->schema);
            op->name = ag_arena_strdup(arena(&d, P_TABLE_RENAME), t->name);
        }
    }
    /* Current tables the models lack: dropped when in scope, else left alone. */
    bool *managed = xcalloc(current->ntables, sizeof(bool));
    for (size_t k = 0; k < current->ntables; k++) {
        managed[k] = taken[k];
        if (!taken[k] && droppable(&d, current->tables[k])) {
            gone[ngone++] = current->tables[k];
            managed[k] = true;
        }
    }
    byname_build(&d.pairs_by_tgt, d.npairs, pair_tgt_at, d.pairs);
    byname_build(&d.pairs_by_cur, d.npairs, pair_cur_at, d.pairs);
    for (size_t i = 0; i < d.npairs; i++)
        find_column_renames(&d, &d.pairs[i]);
    for (size_t i = 0; i < d.npairs; i++)
        translate(&d, &d.pairs[i]);
    for (size_t i = 0; i < d.npairs; i++)
        translate_references(&d, &d.pairs[i]);

    diff_enums(&d, managed);
    create_tables(&d, created, ncreated);
    for (size_t i = 0; i < d.npairs; i++) {
        const pair *p = &d.pairs[i];
        diff_objects(&d, &FK, p->tgt, (void *const *)p->cmp->fks, (void *const *)p->state->fks,
                     p->cmp->nfks, (void *const *)p->tgt->fks, p->tgt->nfks);
    }
    flush(&d, P_ENUM_CREATE, P_DROP_FK);
    for (size_t i = 0; i < d.npairs; i++) {
        diff_table(&d, &d.pairs[i]);
        flush(&d, P_DROP_INDEX, P_COMMENT);
    }
    drop_tables(&d, gone, ngone);
    table_rename_hints(&d, gone, ngone, created, ncreated);
    flush(&d, P_ADD_FK, P_ENUM_DROP);

    free(managed);
    free(taken);
    free(created);
    free(gone);
    byname_release(&d.current_by_name);
    byname_release(&d.pairs_by_tgt);
    byname_release(&d.pairs_by_cur);
    free(d.pairs);
    free(d.fate);
    free(d.enum_current);
    for (int p = 0; p < P_COUNT; p++)
        ag_oplist_free(d.phase[p]);
    ag_arena_release(&d.tmp);
    return d.out;
}

/* The first model expression the server rejected, as the models' error. */
static int rejected(const ag_exprs *x, ag_error *err)
{
    for (size_t i = 0; i < x->n; i++) {
        const ag_expr *e = &x->v[i];
        if (e->model && e->error)
            return ag_error_set_at(err, AG_EINVALID, e->loc.file, e->loc.line, e->loc.col,
                                   "table '%s': the %s \"%s\" is not valid SQL: %s", e->table->name,
                                   e->kind == AG_EXPR_CHECK       ? "check"
                                   : e->kind == AG_EXPR_INDEX     ? "index expression"
                                   : e->kind == AG_EXPR_WHERE     ? "index predicate"
                                   : e->kind == AG_EXPR_GENERATED ? "generated expression"
                                                                  : "default",
                                   e->text, e->error);
    }
    return AG_OK;
}

int ag_diff(ag_oplist **out,
            const ag_schema *current,
            const ag_schema *target,
            const ag_diff_opts *opts,
            ag_error *err)
{
    if (!out || !current || !target)
        return ag_error_set(err, AG_EUSAGE, "ag_diff: needs an output and two schemas");
    *out = NULL;
    static const ag_diff_opts none = { 0 };
    opts = opts ? opts : &none;
    /* Expressions that differ by text are collected in a first walk, put in
     * the server's words all at once, and a second walk compares by those:
     * when nothing differs by text, the server is never asked. */
    ag_exprs x = { .target = target };
    ag_oplist *ops = diff_pass(current, target, opts, opts->normalize ? &x : NULL, false);
    int rc = AG_OK;
    if (x.n) {
        rc = opts->normalize(opts->normalize_arg, &x, err);
        if (rc == AG_OK)
            rc = rejected(&x, err);
        ag_oplist_free(ops);
        ops = rc == AG_OK ? diff_pass(current, target, opts, &x, true) : NULL;
    }
    free(x.v);
    ag_arena_release(&x.arena);
    *out = ops;
    return rc;
}
