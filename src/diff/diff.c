/* diff.c - autogenerate: the ops that turn the current schema into the target.
 *
 * Objects are matched by name, then, for what is left on both sides, by
 * definition (so a database whose constraints were named by someone else is
 * not rewritten for it). Types compare after the dialect's reduction, and
 * defaults by meaning (ag_default_equal). The ops are gathered in buckets and
 * concatenated in an order that applies: see diff.h.
 */
#include "diff.h"
#include "../util/common.h"

#include "../dialect/dialect.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <strings.h>

/* --- comparing values ---------------------------------------------------------- */

/* Trim, strip whole-expression parentheses, fold runs of blanks. */
static void normalize_expr(ag_buf *out, const char *s)
{
    size_t n = strlen(s);
    for (;;) {
        while (n && isspace((unsigned char)*s)) {
            s++;
            n--;
        }
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if (n < 2 || s[0] != '(' || s[n - 1] != ')')
            break;
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < n && whole; i++) {
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0 && i != n - 1)
                whole = false;
        }
        if (!whole)
            break;
        s++;
        n -= 2;
    }
    bool space = false;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (quote) {
            ag_buf_putc(out, c);
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
        }
        if (isspace((unsigned char)c)) {
            space = true;
            continue;
        }
        if (space && out->len) {
            char prev = out->ptr[out->len - 1];
            bool word = isalnum((unsigned char)prev) || prev == '_';
            bool word2 = isalnum((unsigned char)c) || c == '_';
            if (word && word2)
                ag_buf_putc(out, ' ');
        }
        space = false;
        ag_buf_putc(out, c);
    }
}

static bool expr_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    ag_buf x = AG_BUF_INIT, y = AG_BUF_INIT;
    normalize_expr(&x, a);
    normalize_expr(&y, b);
    bool eq = strcmp(ag_buf_cstr(&x), ag_buf_cstr(&y)) == 0;
    ag_buf_dispose(&x);
    ag_buf_dispose(&y);
    return eq;
}

static bool is_number(const char *s, double *v)
{
    if (!*s)
        return false;
    char *end;
    *v = strtod(s, &end);
    return *end == '\0';
}

/* Spellings of the same default. */
static const char *canonical_keyword(const char *s)
{
    static const struct {
        const char *a, *b;
    } same[] = {
        { "now()", "CURRENT_TIMESTAMP" },
        { "current_timestamp()", "CURRENT_TIMESTAMP" },
        { "true", "1" },
        { "false", "0" },
        { "'t'", "1" },
        { "'f'", "0" },
    };
    for (size_t i = 0; i < AG_NELEM(same); i++)
        if (strcasecmp(s, same[i].a) == 0)
            return same[i].b;
    return s;
}

bool ag_default_equal(const char *a, const char *b)
{
    if (!a || !b)
        return (!a || strcasecmp(a, "NULL") == 0) && (!b || strcasecmp(b, "NULL") == 0);
    ag_buf x = AG_BUF_INIT, y = AG_BUF_INIT;
    normalize_expr(&x, a);
    normalize_expr(&y, b);
    const char *p = canonical_keyword(ag_buf_cstr(&x)), *q = canonical_keyword(ag_buf_cstr(&y));
    double u, v;
    bool eq;
    if (is_number(p, &u) && is_number(q, &v))
        eq = u == v;
    else if (!strchr(p, '\'') && !strchr(q, '\''))
        eq = strcasecmp(p, q) == 0; /* keywords and function calls */
    else
        eq = strcmp(p, q) == 0;
    ag_buf_dispose(&x);
    ag_buf_dispose(&y);
    return eq;
}

static bool type_equal(const ag_diff_opts *o, const ag_type *a, const ag_type *b)
{
    ag_type x = *a, y = *b;
    if (o->type_reduce) {
        o->type_reduce(&x);
        o->type_reduce(&y);
    }
    if (x.kind == AG_T_ENUM && y.kind == AG_T_ENUM)
        return !x.name || !y.name || strcmp(x.name, y.name) == 0;
    return ag_type_equal(&x, &y);
}

static bool str_equal(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool column_equal(const ag_diff_opts *o, const ag_column *a, const ag_column *b)
{
    if (!type_equal(o, &a->type, &b->type) || a->nullable != b->nullable ||
        a->autoincrement != b->autoincrement || !ag_default_equal(a->default_sql, b->default_sql))
        return false;
    if ((o->caps & AG_CAP_COMMENTS) && !str_equal(a->comment, b->comment))
        return false;
    return true;
}

static ag_fk_action act(ag_fk_action a)
{
    return a == AG_FK_NONE ? AG_FK_NO_ACTION : a;
}

static bool fk_equal(const ag_fk *a, const ag_fk *b)
{
    return ag_strs_equal(&a->columns, &b->columns) && strcmp(a->ref_table, b->ref_table) == 0 &&
           ag_strs_equal(&a->ref_columns, &b->ref_columns) &&
           act(a->on_delete) == act(b->on_delete) && act(a->on_update) == act(b->on_update);
}

static bool index_equal(const ag_index *a, const ag_index *b)
{
    return a->unique == b->unique && ag_strs_equal(&a->columns, &b->columns) &&
           expr_equal(a->expression, b->expression) && expr_equal(a->where, b->where);
}

static bool unique_equal(const ag_unique *a, const ag_unique *b)
{
    return ag_strs_equal(&a->columns, &b->columns);
}

static bool check_equal(const ag_check *a, const ag_check *b)
{
    return expr_equal(a->expression, b->expression);
}

/* --- buckets ------------------------------------------------------------------------ */

enum bucket {
    B_ENUM_CREATE,
    B_ENUM_VALUE,
    B_TABLE_RENAME,
    B_TABLE_CREATE,
    B_TABLE_FK_LATE,
    B_DROP_FK,
    B_DROP_INDEX,
    B_DROP_CONSTRAINT,
    B_DROP_PK,
    B_RENAME_COLUMN,
    B_ADD_COLUMN,
    B_ALTER_COLUMN,
    B_DROP_COLUMN,
    B_ADD_PK,
    B_ADD_CONSTRAINT,
    B_CREATE_INDEX,
    B_ADD_FK,
    B_COMMENT,
    B_TABLE_DROP,
    B_ENUM_DROP,
    B_COUNT
};

typedef struct differ {
    const ag_diff_opts *o;
    ag_oplist *out;
    /* Per-table buckets are flushed table by table; global ones at the end. */
    ag_oplist *bucket[B_COUNT];
} differ;

static ag_opdef *emit(differ *d, enum bucket b, ag_op_kind kind, const ag_table *t)
{
    ag_opdef *op = ag_oplist_push(d->bucket[b], kind, t ? t->name : NULL);
    if (t)
        op->schema = ag_arena_strdup(&d->bucket[b]->arena, t->schema);
    return op;
}

static ag_arena *arena_of(differ *d, enum bucket b)
{
    return &d->bucket[b]->arena;
}

static void
hint(differ *d, const char *fmt, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char buf[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(buf, sizeof(buf), fmt, a1, a2, a3, a4);
#pragma GCC diagnostic pop
    ag_strs_push_arena(&d->out->arena, &d->out->hints, buf);
}

/* --- scope ---------------------------------------------------------------------------- */

static bool matches(const char *const *globs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], name, 0) == 0)
            return true;
    return false;
}

static bool excluded(const ag_diff_opts *o, const char *name)
{
    return matches(o->exclude_tables, o->nexclude, name);
}

static bool droppable(const ag_diff_opts *o, const char *name)
{
    return !excluded(o, name) &&
           (o->ninclude == 0 || matches(o->include_tables, o->ninclude, name));
}

/* --- one table ------------------------------------------------------------------------- */

/* Find in `pool` the object named like x, else an unclaimed one equal to x. */
#define MATCH(type, pool, npool, x, claimed, eq)                                                   \
    ({                                                                                             \
        type *found_ = NULL;                                                                       \
        for (size_t i_ = 0; i_ < (npool) && !found_; i_++)                                         \
            if (!(claimed)[i_] && (pool)[i_]->name && (x)->name &&                                 \
                strcmp((pool)[i_]->name, (x)->name) == 0) {                                        \
                found_ = (pool)[i_];                                                               \
                (claimed)[i_] = true;                                                              \
            }                                                                                      \
        for (size_t i_ = 0; i_ < (npool) && !found_; i_++)                                         \
            if (!(claimed)[i_] && eq((pool)[i_], (x))) {                                           \
                found_ = (pool)[i_];                                                               \
                (claimed)[i_] = true;                                                              \
            }                                                                                      \
        found_;                                                                                    \
    })

static bool *claims(size_t n)
{
    bool *c = calloc(n ? n : 1, sizeof(bool));
    if (!c)
        abort();
    return c;
}

static void diff_columns(differ *d, const ag_table *cur, const ag_table *tgt)
{
    const ag_diff_opts *o = d->o;
    bool *seen = claims(cur->ncolumns);
    ag_strs added = { 0 }, dropped = { 0 };
    ag_arena tmp = AG_ARENA_INIT;
    for (size_t i = 0; i < tgt->ncolumns; i++) {
        const ag_column *tc = tgt->columns[i];
        size_t k = ag_table_column_index(cur, tc->name);
        if (k == cur->ncolumns && tc->renamed_from) {
            size_t r = ag_table_column_index(cur, tc->renamed_from);
            if (r < cur->ncolumns && !seen[r] && !ag_table_find_column(tgt, tc->renamed_from)) {
                ag_opdef *op = emit(d, B_RENAME_COLUMN, AG_OP_RENAME_COLUMN, tgt);
                op->old_name = ag_arena_strdup(arena_of(d, B_RENAME_COLUMN), tc->renamed_from);
                op->name = ag_arena_strdup(arena_of(d, B_RENAME_COLUMN), tc->name);
                k = r;
            }
        }
        if (k == cur->ncolumns) {
            ag_opdef *op = emit(d, B_ADD_COLUMN, AG_OP_ADD_COLUMN, tgt);
            op->column = ag_column_clone(arena_of(d, B_ADD_COLUMN), tc);
            op->column->renamed_from = NULL;
            ag_strs_push_arena(&tmp, &added, tc->name);
            continue;
        }
        seen[k] = true;
        const ag_column *cc = cur->columns[k];
        if (!column_equal(o, cc, tc)) {
            ag_opdef *op = emit(d, B_ALTER_COLUMN, AG_OP_ALTER_COLUMN, tgt);
            op->old_column = ag_column_clone(arena_of(d, B_ALTER_COLUMN), cc);
            op->old_column->name = ag_arena_strdup(arena_of(d, B_ALTER_COLUMN), tc->name);
            op->column = ag_column_clone(arena_of(d, B_ALTER_COLUMN), tc);
            op->column->renamed_from = NULL;
            if (!(o->caps & AG_CAP_COMMENTS))
                op->column->comment = op->old_column->comment;
        }
    }
    for (size_t k = 0; k < cur->ncolumns; k++) {
        if (seen[k])
            continue;
        ag_opdef *op = emit(d, B_DROP_COLUMN, AG_OP_DROP_COLUMN, tgt);
        op->column = ag_column_clone(arena_of(d, B_DROP_COLUMN), cur->columns[k]);
        ag_strs_push_arena(&tmp, &dropped, cur->columns[k]->name);
    }
    /* A drop and an add of the same type look like a rename the model did not declare. */
    for (size_t i = 0; i < dropped.n; i++)
        for (size_t j = 0; j < added.n; j++) {
            const ag_column *dc = ag_table_find_column(cur, dropped.v[i]);
            const ag_column *ac = ag_table_find_column(tgt, added.v[j]);
            if (type_equal(o, &dc->type, &ac->type)) {
                hint(d,
                     "table '%s': column '%s' is dropped and '%s' added with the same type; if "
                     "it is a rename, add \"renamed_from: %s\" to that column in the model",
                     tgt->name, dc->name, ac->name, dc->name);
                break;
            }
        }
    ag_arena_release(&tmp);
    free(seen);
}

static void diff_table(differ *d, const ag_table *cur, const ag_table *tgt)
{
    /* Foreign keys */
    bool *cl = claims(cur->nfks);
    for (size_t i = 0; i < tgt->nfks; i++) {
        const ag_fk *f = tgt->fks[i];
        ag_fk *m = MATCH(ag_fk, cur->fks, cur->nfks, f, cl, fk_equal);
        if (m && fk_equal(m, f))
            continue;
        if (m) {
            emit(d, B_DROP_FK, AG_OP_DROP_FK, tgt)->fk = ag_fk_clone(arena_of(d, B_DROP_FK), m);
        }
        emit(d, B_ADD_FK, AG_OP_ADD_FK, tgt)->fk = ag_fk_clone(arena_of(d, B_ADD_FK), f);
    }
    for (size_t i = 0; i < cur->nfks; i++)
        if (!cl[i])
            emit(d, B_DROP_FK, AG_OP_DROP_FK, tgt)->fk =
                ag_fk_clone(arena_of(d, B_DROP_FK), cur->fks[i]);
    free(cl);

    /* Indexes */
    cl = claims(cur->nindexes);
    for (size_t i = 0; i < tgt->nindexes; i++) {
        const ag_index *x = tgt->indexes[i];
        ag_index *m = MATCH(ag_index, cur->indexes, cur->nindexes, x, cl, index_equal);
        if (m && index_equal(m, x))
            continue;
        if (m)
            emit(d, B_DROP_INDEX, AG_OP_DROP_INDEX, tgt)->index =
                ag_index_clone(arena_of(d, B_DROP_INDEX), m);
        emit(d, B_CREATE_INDEX, AG_OP_CREATE_INDEX, tgt)->index =
            ag_index_clone(arena_of(d, B_CREATE_INDEX), x);
    }
    for (size_t i = 0; i < cur->nindexes; i++)
        if (!cl[i])
            emit(d, B_DROP_INDEX, AG_OP_DROP_INDEX, tgt)->index =
                ag_index_clone(arena_of(d, B_DROP_INDEX), cur->indexes[i]);
    free(cl);

    /* Unique constraints */
    cl = claims(cur->nuniques);
    for (size_t i = 0; i < tgt->nuniques; i++) {
        const ag_unique *u = tgt->uniques[i];
        ag_unique *m = MATCH(ag_unique, cur->uniques, cur->nuniques, u, cl, unique_equal);
        if (m && unique_equal(m, u))
            continue;
        if (m)
            emit(d, B_DROP_CONSTRAINT, AG_OP_DROP_UNIQUE, tgt)->unique =
                ag_unique_clone(arena_of(d, B_DROP_CONSTRAINT), m);
        emit(d, B_ADD_CONSTRAINT, AG_OP_ADD_UNIQUE, tgt)->unique =
            ag_unique_clone(arena_of(d, B_ADD_CONSTRAINT), u);
    }
    for (size_t i = 0; i < cur->nuniques; i++)
        if (!cl[i])
            emit(d, B_DROP_CONSTRAINT, AG_OP_DROP_UNIQUE, tgt)->unique =
                ag_unique_clone(arena_of(d, B_DROP_CONSTRAINT), cur->uniques[i]);
    free(cl);

    /* Checks */
    cl = claims(cur->nchecks);
    for (size_t i = 0; i < tgt->nchecks; i++) {
        const ag_check *c = tgt->checks[i];
        ag_check *m = MATCH(ag_check, cur->checks, cur->nchecks, c, cl, check_equal);
        if (m && check_equal(m, c))
            continue;
        if (m)
            emit(d, B_DROP_CONSTRAINT, AG_OP_DROP_CHECK, tgt)->check =
                ag_check_clone(arena_of(d, B_DROP_CONSTRAINT), m);
        emit(d, B_ADD_CONSTRAINT, AG_OP_ADD_CHECK, tgt)->check =
            ag_check_clone(arena_of(d, B_ADD_CONSTRAINT), c);
    }
    for (size_t i = 0; i < cur->nchecks; i++)
        if (!cl[i])
            emit(d, B_DROP_CONSTRAINT, AG_OP_DROP_CHECK, tgt)->check =
                ag_check_clone(arena_of(d, B_DROP_CONSTRAINT), cur->checks[i]);
    free(cl);

    /* Primary key: the column list. A name alone differing (after a table rename, or
     * a key named by someone else) is not worth rebuilding a key, like any
     * constraint matched by definition. */
    bool pk_same = ag_strs_equal(&cur->pk.columns, &tgt->pk.columns);
    if (!pk_same) {
        if (cur->pk.columns.n) {
            ag_opdef *op = emit(d, B_DROP_PK, AG_OP_DROP_PK, tgt);
            op->pk = ag_arena_alloc(arena_of(d, B_DROP_PK), sizeof(ag_pk));
            op->pk->name = ag_arena_strdup(arena_of(d, B_DROP_PK), cur->pk.name);
            ag_strs_clone(arena_of(d, B_DROP_PK), &op->pk->columns, &cur->pk.columns);
        }
        if (tgt->pk.columns.n) {
            ag_opdef *op = emit(d, B_ADD_PK, AG_OP_ADD_PK, tgt);
            op->pk = ag_arena_alloc(arena_of(d, B_ADD_PK), sizeof(ag_pk));
            op->pk->name = ag_arena_strdup(arena_of(d, B_ADD_PK), tgt->pk.name);
            ag_strs_clone(arena_of(d, B_ADD_PK), &op->pk->columns, &tgt->pk.columns);
        }
    }

    diff_columns(d, cur, tgt);

    if ((d->o->caps & AG_CAP_COMMENTS) && !str_equal(cur->comment, tgt->comment)) {
        ag_opdef *op = emit(d, B_COMMENT, AG_OP_TABLE_COMMENT, tgt);
        op->name = ag_arena_strdup(arena_of(d, B_COMMENT), tgt->comment);
        op->old_name = ag_arena_strdup(arena_of(d, B_COMMENT), cur->comment);
    }
}

/* --- ordering of whole tables ---------------------------------------------------------- */

typedef struct topo {
    const ag_table **in; /* the tables to order */
    size_t n;
    unsigned char *state; /* 0 new, 1 visiting, 2 done */
    const ag_table **out;
    size_t nout;
    ag_strs late; /* "table\1fk" of FKs that close a cycle */
    ag_arena *a;
} topo;

static size_t topo_find(const topo *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->in[i]->name, name) == 0)
            return i;
    return t->n;
}

static void topo_visit(topo *t, size_t i)
{
    t->state[i] = 1;
    const ag_table *tb = t->in[i];
    for (size_t k = 0; k < tb->nfks; k++) {
        size_t j = topo_find(t, tb->fks[k]->ref_table);
        if (j == t->n || j == i)
            continue;
        if (t->state[j] == 1)
            ag_strs_push_arena(t->a, &t->late,
                               ag_arena_printf(t->a, "%s\1%s", tb->name, tb->fks[k]->name));
        else if (t->state[j] == 0)
            topo_visit(t, j);
    }
    t->state[i] = 2;
    t->out[t->nout++] = tb;
}

/* Order tables so each comes after the tables it references. */
static void topo_sort(topo *t)
{
    t->state = calloc(t->n ? t->n : 1, 1);
    t->out = calloc(t->n ? t->n : 1, sizeof(*t->out));
    if (!t->state || !t->out)
        abort();
    for (size_t i = 0; i < t->n; i++)
        if (!t->state[i])
            topo_visit(t, i);
}

static bool is_late(const topo *t, const char *table, const char *fk)
{
    for (size_t i = 0; i < t->late.n; i++) {
        const char *s = t->late.v[i], *sep = strchr(s, '\1');
        if (strlen(table) == (size_t)(sep - s) && strncmp(s, table, (size_t)(sep - s)) == 0 &&
            strcmp(sep + 1, fk) == 0)
            return true;
    }
    return false;
}

/* --- enums -------------------------------------------------------------------------------- */

static void diff_enums(differ *d, const ag_schema *cur, const ag_schema *tgt)
{
    for (size_t i = 0; i < tgt->nenums; i++) {
        const ag_enum *te = tgt->enums[i];
        const ag_enum *ce = ag_schema_find_enum(cur, te->name);
        if (!ce) {
            ag_opdef *op = emit(d, B_ENUM_CREATE, AG_OP_CREATE_ENUM, NULL);
            op->enm = ag_enum_clone(arena_of(d, B_ENUM_CREATE), te);
            op->schema = op->enm->schema;
            continue;
        }
        /* Values appended at the end can be added; anything else cannot be done in place. */
        bool prefix = ce->values.n <= te->values.n;
        for (size_t k = 0; prefix && k < ce->values.n; k++)
            prefix = strcmp(ce->values.v[k], te->values.v[k]) == 0;
        if (!prefix) {
            hint(d,
                 "enum '%s' changed other than by appending values (%s%s%s); that needs a "
                 "hand-written migration",
                 te->name, "from ", ag_strs_join(&d->out->arena, &ce->values, ","), "");
            continue;
        }
        for (size_t k = ce->values.n; k < te->values.n; k++) {
            ag_opdef *op = emit(d, B_ENUM_VALUE, AG_OP_ADD_ENUM_VALUE, NULL);
            op->enm = ag_enum_clone(arena_of(d, B_ENUM_VALUE), ce);
            op->schema = op->enm->schema;
            op->name = ag_arena_strdup(arena_of(d, B_ENUM_VALUE), te->values.v[k]);
        }
    }
    for (size_t i = 0; i < cur->nenums; i++) {
        if (ag_schema_find_enum(tgt, cur->enums[i]->name))
            continue;
        ag_opdef *op = emit(d, B_ENUM_DROP, AG_OP_DROP_ENUM, NULL);
        op->enm = ag_enum_clone(arena_of(d, B_ENUM_DROP), cur->enums[i]);
        op->schema = op->enm->schema;
    }
}

/* --- the whole --------------------------------------------------------------------------- */

static void flush(differ *d, enum bucket from, enum bucket to)
{
    for (int b = (int)from; b <= (int)to; b++) {
        ag_oplist *l = d->bucket[b];
        for (size_t i = 0; i < l->n; i++) {
            /* Deep-copy into the result's arena; the bucket is freed after. */
            ag_opdef *op = ag_op_copy(d->out, l->ops[i]);
            ag_op_classify(&d->out->arena, op);
        }
        ag_oplist_free(l);
        d->bucket[b] = ag_oplist_new();
    }
}

int ag_diff(ag_oplist **out,
            const ag_schema *current,
            const ag_schema *target,
            const ag_diff_opts *opts,
            ag_error *err)
{
    AG_UNUSED(err);
    static const ag_diff_opts none = { 0 };
    const ag_diff_opts *o = opts ? opts : &none;
    differ d = { .o = o, .out = ag_oplist_new() };
    for (int b = 0; b < B_COUNT; b++)
        d.bucket[b] = ag_oplist_new();
    ag_arena tmp = AG_ARENA_INIT;

    diff_enums(&d, current, target);

    /* Pair target tables with current ones (by name, or renamed_from). */
    bool *kept = claims(current->ntables);
    const ag_table **pair = calloc(target->ntables ? target->ntables : 1, sizeof(*pair));
    const ag_table **created = calloc(target->ntables ? target->ntables : 1, sizeof(*created));
    size_t ncreated = 0;
    if (!pair || !created)
        abort();
    for (size_t i = 0; i < target->ntables; i++) {
        const ag_table *t = target->tables[i];
        if (excluded(o, t->name))
            continue;
        for (size_t k = 0; k < current->ntables && !pair[i]; k++)
            if (!kept[k] && strcmp(current->tables[k]->name, t->name) == 0) {
                pair[i] = current->tables[k];
                kept[k] = true;
            }
        if (!pair[i] && t->renamed_from && !ag_schema_find_table(target, t->renamed_from)) {
            for (size_t k = 0; k < current->ntables && !pair[i]; k++)
                if (!kept[k] && strcmp(current->tables[k]->name, t->renamed_from) == 0) {
                    pair[i] = current->tables[k];
                    kept[k] = true;
                    ag_opdef *op = emit(&d, B_TABLE_RENAME, AG_OP_RENAME_TABLE, pair[i]);
                    op->name = ag_arena_strdup(arena_of(&d, B_TABLE_RENAME), t->name);
                }
        }
        if (!pair[i])
            created[ncreated++] = t;
    }
    /* Tables the database has and the models do not. */
    for (size_t k = 0; k < current->ntables; k++)
        if (!kept[k] && excluded(o, current->tables[k]->name))
            kept[k] = true;

    /* New tables, referenced ones first; FKs closing a cycle are added after. */
    topo ct = { .in = created, .n = ncreated, .a = &tmp };
    topo_sort(&ct);
    for (size_t i = 0; i < ct.nout; i++) {
        const ag_table *t = ct.out[i];
        ag_opdef *op = emit(&d, B_TABLE_CREATE, AG_OP_CREATE_TABLE, t);
        ag_table *def = ag_table_clone(arena_of(&d, B_TABLE_CREATE), t);
        def->renamed_from = NULL;
        for (size_t c = 0; c < def->ncolumns; c++)
            def->columns[c]->renamed_from = NULL;
        for (size_t f = def->nfks; f-- > 0;)
            if (is_late(&ct, t->name, def->fks[f]->name)) {
                emit(&d, B_TABLE_FK_LATE, AG_OP_ADD_FK, t)->fk =
                    ag_fk_clone(arena_of(&d, B_TABLE_FK_LATE), def->fks[f]);
                ag_table_remove_fk(def, def->fks[f]->name);
            }
        op->tdef = def;
    }
    flush(&d, B_ENUM_CREATE, B_TABLE_FK_LATE);

    /* Changed tables, in model order, each as a unit. */
    for (size_t i = 0; i < target->ntables; i++) {
        if (!pair[i])
            continue;
        diff_table(&d, pair[i], target->tables[i]);
        flush(&d, B_DROP_FK, B_COMMENT);
    }

    /* Dropped tables: those referencing others go first. */
    const ag_table **gone = calloc(current->ntables ? current->ntables : 1, sizeof(*gone));
    size_t ngone = 0;
    if (!gone)
        abort();
    for (size_t k = 0; k < current->ntables; k++)
        if (!kept[k] && droppable(o, current->tables[k]->name))
            gone[ngone++] = current->tables[k];
    topo dt = { .in = gone, .n = ngone, .a = &tmp };
    topo_sort(&dt);
    for (size_t i = dt.nout; i-- > 0;) {
        ag_opdef *op = emit(&d, B_TABLE_DROP, AG_OP_DROP_TABLE, dt.out[i]);
        op->tdef = ag_table_clone(arena_of(&d, B_TABLE_DROP), dt.out[i]);
    }
    /* A table dropped and one added with the same columns look like an undeclared rename. */
    for (size_t i = 0; i < ngone; i++)
        for (size_t j = 0; j < ncreated; j++) {
            const ag_table *g = gone[i], *c = created[j];
            bool same = g->ncolumns == c->ncolumns;
            for (size_t k = 0; same && k < g->ncolumns; k++)
                same = strcmp(g->columns[k]->name, c->columns[k]->name) == 0 &&
                       type_equal(o, &g->columns[k]->type, &c->columns[k]->type);
            if (same)
                hint(&d,
                     "table '%s' is dropped and '%s' created with the same columns; if it is a "
                     "rename, add \"renamed_from: %s\" to table '%s' in the model",
                     g->name, c->name, g->name, c->name);
        }
    flush(&d, B_TABLE_DROP, B_ENUM_DROP);

    free(ct.state);
    free(ct.out);
    free(dt.state);
    free(dt.out);
    free(gone);
    free(kept);
    free(pair);
    free(created);
    for (int b = 0; b < B_COUNT; b++)
        ag_oplist_free(d.bucket[b]);
    ag_arena_release(&tmp);
    *out = d.out;
    return AG_OK;
}
