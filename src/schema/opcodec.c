/* opcodec.c - op lists to bytes and back; see opcodec.h.
 *
 * Little-endian u32 counts and numbers; a string is its length (u32, with
 * NONE for NULL) and its bytes; a list is its count and its strings; an
 * optional node is a presence byte and the node. The reader checks every
 * length against what is left and every enum against its range.
 */
#include "opcodec.h"
#include "../util/common.h"

#include <stdint.h>

#define NONE 0xFFFFFFFFu

/* --- writing ---------------------------------------------------------------- */

static void w_str(ag_buf *b, const char *s)
{
    if (!s) {
        ag_buf_put_u32le(b, NONE);
        return;
    }
    size_t n = strlen(s);
    ag_buf_put_u32le(b, (uint32_t)n);
    ag_buf_put(b, s, n);
}

static void w_strs(ag_buf *b, const ag_strs *l)
{
    ag_buf_put_u32le(b, (uint32_t)l->n);
    for (size_t i = 0; i < l->n; i++)
        w_str(b, l->v[i]);
}

static void w_loc(ag_buf *b, const ag_loc *l)
{
    w_str(b, l->file);
    ag_buf_put_u32le(b, l->line);
    ag_buf_put_u32le(b, l->col);
}

static void w_type(ag_buf *b, const ag_type *t)
{
    ag_buf_put_u32le(b, (uint32_t)t->kind);
    ag_buf_put_u32le(b, (uint32_t)t->length);
    ag_buf_put_u32le(b, (uint32_t)t->precision);
    ag_buf_put_u32le(b, (uint32_t)t->scale);
    w_str(b, t->name);
}

static void w_column(ag_buf *b, const ag_column *c)
{
    w_str(b, c->name);
    w_type(b, &c->type);
    ag_buf_put_u32le(b, (uint32_t)c->nullable | (uint32_t)c->autoincrement << 1 |
                            (uint32_t)c->generated_stored << 2);
    w_str(b, c->default_sql);
    w_str(b, c->comment);
    w_str(b, c->collation);
    w_str(b, c->generated);
    w_str(b, c->renamed_from);
    w_strs(b, &c->enum_values);
    w_loc(b, &c->loc);
    w_loc(b, &c->type_loc);
}

static void w_index(ag_buf *b, const ag_index *x)
{
    w_str(b, x->name);
    w_strs(b, &x->columns);
    w_str(b, x->expression);
    w_str(b, x->where);
    w_str(b, x->method);
    w_strs(b, &x->include);
    ag_buf_put_u32le(b, x->unique);
    w_loc(b, &x->loc);
}

static void w_unique(ag_buf *b, const ag_unique *u)
{
    w_str(b, u->name);
    w_strs(b, &u->columns);
    ag_buf_put_u32le(b, (uint32_t)u->defer);
    w_loc(b, &u->loc);
}

static void w_check(ag_buf *b, const ag_check *c)
{
    w_str(b, c->name);
    w_str(b, c->expression);
    w_loc(b, &c->loc);
}

static void w_fk(ag_buf *b, const ag_fk *f)
{
    w_str(b, f->name);
    w_strs(b, &f->columns);
    w_str(b, f->ref_schema);
    w_str(b, f->ref_table);
    w_strs(b, &f->ref_columns);
    ag_buf_put_u32le(b, (uint32_t)f->on_delete);
    ag_buf_put_u32le(b, (uint32_t)f->on_update);
    ag_buf_put_u32le(b, (uint32_t)f->defer);
    w_loc(b, &f->loc);
}

static void w_pk(ag_buf *b, const ag_pk *p)
{
    w_str(b, p->name);
    w_strs(b, &p->columns);
    w_loc(b, &p->loc);
}

static void w_enum(ag_buf *b, const ag_enum *e)
{
    w_str(b, e->name);
    w_str(b, e->schema);
    w_strs(b, &e->values);
    w_loc(b, &e->loc);
}

static void w_table(ag_buf *b, const ag_table *t)
{
    w_str(b, t->name);
    w_str(b, t->schema);
    w_str(b, t->comment);
    w_str(b, t->renamed_from);
    w_str(b, t->options);
    ag_buf_put_u32le(b, (uint32_t)t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++)
        w_column(b, t->columns[i]);
    w_pk(b, &t->pk);
    ag_buf_put_u32le(b, (uint32_t)t->nuniques);
    for (size_t i = 0; i < t->nuniques; i++)
        w_unique(b, t->uniques[i]);
    ag_buf_put_u32le(b, (uint32_t)t->nindexes);
    for (size_t i = 0; i < t->nindexes; i++)
        w_index(b, t->indexes[i]);
    ag_buf_put_u32le(b, (uint32_t)t->nchecks);
    for (size_t i = 0; i < t->nchecks; i++)
        w_check(b, t->checks[i]);
    ag_buf_put_u32le(b, (uint32_t)t->nfks);
    for (size_t i = 0; i < t->nfks; i++)
        w_fk(b, t->fks[i]);
    w_loc(b, &t->loc);
}

/* An optional node: a presence word, then the node. */
#define W_OPT(b, fn, p)                                                                            \
    do {                                                                                           \
        ag_buf_put_u32le((b), (p) != NULL);                                                        \
        if (p)                                                                                     \
            fn((b), (p));                                                                          \
    } while (0)

void ag_oplist_encode(ag_buf *out, const ag_oplist *ops)
{
    ag_buf_put_u32le(out, (uint32_t)ops->n);
    for (size_t i = 0; i < ops->n; i++) {
        const ag_opdef *op = ops->ops[i];
        ag_buf_put_u32le(out, (uint32_t)op->kind);
        w_str(out, op->schema);
        w_str(out, op->table);
        w_str(out, op->name);
        w_str(out, op->old_name);
        W_OPT(out, w_table, op->tdef);
        W_OPT(out, w_column, op->column);
        W_OPT(out, w_column, op->old_column);
        W_OPT(out, w_index, op->index);
        W_OPT(out, w_unique, op->unique);
        W_OPT(out, w_check, op->check);
        W_OPT(out, w_fk, op->fk);
        W_OPT(out, w_fk, op->old_fk);
        W_OPT(out, w_pk, op->pk);
        W_OPT(out, w_enum, op->enm);
        W_OPT(out, w_enum, op->old_enm);
        w_str(out, op->sql);
        ag_buf_put_u32le(out, op->alter_mask);
        ag_buf_put_u32le(out, op->flags);
        w_str(out, op->note);
        ag_buf_put_u32le(out, op->line);
    }
}

/* --- reading ---------------------------------------------------------------- */

typedef struct reader {
    const unsigned char *p, *end;
    ag_arena *a;
    bool bad;
} reader;

static uint32_t r_u32(reader *r)
{
    if (r->bad || r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = ag_get_u32le(r->p);
    r->p += 4;
    return v;
}

/* A count of things each at least `least` bytes long: no larger than what is left. */
static size_t r_count(reader *r, size_t least)
{
    uint32_t n = r_u32(r);
    if ((size_t)(r->end - r->p) / least < n)
        r->bad = true;
    return r->bad ? 0 : n;
}

static const char *r_str(reader *r)
{
    uint32_t n = r_u32(r);
    if (r->bad || n == NONE)
        return NULL;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const char *s = ag_arena_strndup(r->a, (const char *)r->p, n);
    r->p += n;
    return s;
}

static void r_strs(reader *r, ag_strs *l)
{
    size_t n = r_count(r, 4);
    for (size_t i = 0; i < n && !r->bad; i++) {
        const char *s = r_str(r);
        AG_ARENA_PUSH(r->a, l->v, l->n, l->cap, s ? s : "");
    }
}

static void r_loc(reader *r, ag_loc *l)
{
    l->file = r_str(r);
    l->line = r_u32(r);
    l->col = r_u32(r);
}

static uint32_t r_enum(reader *r, uint32_t last)
{
    uint32_t v = r_u32(r);
    if (v > last)
        r->bad = true;
    return v;
}

static void r_type(reader *r, ag_type *t)
{
    t->kind = (ag_type_kind)r_enum(r, AG_T_SQL);
    t->length = (int)r_u32(r);
    t->precision = (int)r_u32(r);
    t->scale = (int)r_u32(r);
    t->name = r_str(r);
}

static ag_column *r_column(reader *r)
{
    ag_column *c = ag_arena_alloc(r->a, sizeof(*c));
    c->name = r_str(r);
    r_type(r, &c->type);
    uint32_t bits = r_u32(r);
    c->nullable = bits & 1;
    c->autoincrement = (bits >> 1) & 1;
    c->generated_stored = (bits >> 2) & 1;
    c->default_sql = r_str(r);
    c->comment = r_str(r);
    c->collation = r_str(r);
    c->generated = r_str(r);
    c->renamed_from = r_str(r);
    r_strs(r, &c->enum_values);
    r_loc(r, &c->loc);
    r_loc(r, &c->type_loc);
    return c;
}

static ag_index *r_index(reader *r)
{
    ag_index *x = ag_arena_alloc(r->a, sizeof(*x));
    x->name = r_str(r);
    r_strs(r, &x->columns);
    x->expression = r_str(r);
    x->where = r_str(r);
    x->method = r_str(r);
    r_strs(r, &x->include);
    x->unique = r_u32(r) != 0;
    r_loc(r, &x->loc);
    return x;
}

static ag_unique *r_unique(reader *r)
{
    ag_unique *u = ag_arena_alloc(r->a, sizeof(*u));
    u->name = r_str(r);
    r_strs(r, &u->columns);
    u->defer = (ag_fk_defer)r_enum(r, AG_FK_DEFERRED);
    r_loc(r, &u->loc);
    return u;
}

static ag_check *r_check(reader *r)
{
    ag_check *c = ag_arena_alloc(r->a, sizeof(*c));
    c->name = r_str(r);
    c->expression = r_str(r);
    r_loc(r, &c->loc);
    return c;
}

static ag_fk *r_fk(reader *r)
{
    ag_fk *f = ag_arena_alloc(r->a, sizeof(*f));
    f->name = r_str(r);
    r_strs(r, &f->columns);
    f->ref_schema = r_str(r);
    f->ref_table = r_str(r);
    r_strs(r, &f->ref_columns);
    f->on_delete = (ag_fk_action)r_enum(r, AG_FK_RESTRICT);
    f->on_update = (ag_fk_action)r_enum(r, AG_FK_RESTRICT);
    f->defer = (ag_fk_defer)r_enum(r, AG_FK_DEFERRED);
    r_loc(r, &f->loc);
    return f;
}

static void r_pk_into(reader *r, ag_pk *p)
{
    p->name = r_str(r);
    r_strs(r, &p->columns);
    r_loc(r, &p->loc);
}

static ag_pk *r_pk(reader *r)
{
    ag_pk *p = ag_arena_alloc(r->a, sizeof(*p));
    r_pk_into(r, p);
    return p;
}

static ag_enum *r_enum_def(reader *r)
{
    ag_enum *e = ag_arena_alloc(r->a, sizeof(*e));
    e->name = r_str(r);
    e->schema = r_str(r);
    r_strs(r, &e->values);
    r_loc(r, &e->loc);
    return e;
}

/* Each element of a table's lists takes at least its name's length word. */
#define R_LIST(r, t, field, n, cap, fn)                                                            \
    do {                                                                                           \
        size_t count_ = r_count((r), 4);                                                           \
        for (size_t i_ = 0; i_ < count_ && !(r)->bad; i_++)                                        \
            AG_ARENA_PUSH((r)->a, (t)->field, (t)->n, (t)->cap, fn(r));                            \
    } while (0)

static ag_table *r_table(reader *r)
{
    ag_table *t = ag_arena_alloc(r->a, sizeof(*t));
    t->name = r_str(r);
    t->schema = r_str(r);
    t->comment = r_str(r);
    t->renamed_from = r_str(r);
    t->options = r_str(r);
    R_LIST(r, t, columns, ncolumns, columns_cap, r_column);
    r_pk_into(r, &t->pk);
    R_LIST(r, t, uniques, nuniques, uniques_cap, r_unique);
    R_LIST(r, t, indexes, nindexes, indexes_cap, r_index);
    R_LIST(r, t, checks, nchecks, checks_cap, r_check);
    R_LIST(r, t, fks, nfks, fks_cap, r_fk);
    r_loc(r, &t->loc);
    return t;
}

#define R_OPT(r, fn) (r_u32(r) && !(r)->bad ? fn(r) : NULL)

bool ag_oplist_decode(ag_oplist *ops, const void *data, size_t len)
{
    reader r = { data, (const unsigned char *)data + len, &ops->arena, false };
    size_t n = r_count(&r, 4);
    for (size_t i = 0; i < n && !r.bad; i++) {
        ag_op_kind kind = (ag_op_kind)r_enum(&r, AG_OP_ALTER_FK);
        const char *schema = r_str(&r);
        const char *table = r_str(&r);
        if (r.bad)
            break;
        ag_opdef *op = ag_oplist_push(ops, kind, table ? table : "");
        if (!table)
            op->table = NULL;
        op->schema = schema;
        op->name = r_str(&r);
        op->old_name = r_str(&r);
        op->tdef = R_OPT(&r, r_table);
        op->column = R_OPT(&r, r_column);
        op->old_column = R_OPT(&r, r_column);
        op->index = R_OPT(&r, r_index);
        op->unique = R_OPT(&r, r_unique);
        op->check = R_OPT(&r, r_check);
        op->fk = R_OPT(&r, r_fk);
        op->old_fk = R_OPT(&r, r_fk);
        if (kind == AG_OP_ALTER_FK && (!op->fk || !op->old_fk))
            r.bad = true;
        op->pk = R_OPT(&r, r_pk);
        op->enm = R_OPT(&r, r_enum_def);
        op->old_enm = R_OPT(&r, r_enum_def);
        op->sql = r_str(&r);
        op->alter_mask = r_u32(&r);
        op->flags = r_u32(&r);
        op->note = r_str(&r);
        op->line = r_u32(&r);
    }
    return !r.bad && r.p == r.end;
}
