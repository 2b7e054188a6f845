/* op.c - the operation list: construction and inversion. */
#include "op.h"
#include "../util/common.h"

ag_oplist *ag_oplist_new(void)
{
    ag_oplist *l = ag_xcalloc(1, sizeof(*l));
    return l;
}

void ag_oplist_free(ag_oplist *l)
{
    if (!l)
        return;
    ag_arena_release(&l->arena);
    free(l);
}

ag_opdef *ag_oplist_push(ag_oplist *l, ag_op_kind kind, const char *table)
{
    ag_opdef *op = ag_arena_alloc(&l->arena, sizeof(*op));
    op->kind = kind;
    op->table = ag_arena_strdup(&l->arena, table);
    AG_ARENA_PUSH(&l->arena, l->ops, l->n, l->cap, op);
    return op;
}

/* One kind a line. */
/* clang-format off */
static const char *const kind_names[] = {
    [AG_OP_CREATE_ENUM] = "create_enum",
    [AG_OP_DROP_ENUM] = "drop_enum",
    [AG_OP_ADD_ENUM_VALUE] = "add_enum_value",
    [AG_OP_DROP_ENUM_VALUE] = "drop_enum_value",
    [AG_OP_ALTER_ENUM] = "alter_enum",
    [AG_OP_CREATE_TABLE] = "create_table",
    [AG_OP_DROP_TABLE] = "drop_table",
    [AG_OP_RENAME_TABLE] = "rename_table",
    [AG_OP_ADD_COLUMN] = "add_column",
    [AG_OP_DROP_COLUMN] = "drop_column",
    [AG_OP_ALTER_COLUMN] = "alter_column",
    [AG_OP_RENAME_COLUMN] = "rename_column",
    [AG_OP_CREATE_INDEX] = "create_index",
    [AG_OP_DROP_INDEX] = "drop_index",
    [AG_OP_ADD_UNIQUE] = "create_unique",
    [AG_OP_DROP_UNIQUE] = "drop_unique",
    [AG_OP_ADD_CHECK] = "create_check",
    [AG_OP_DROP_CHECK] = "drop_check",
    [AG_OP_ADD_FK] = "create_foreign_key",
    [AG_OP_DROP_FK] = "drop_foreign_key",
    [AG_OP_ADD_PK] = "create_primary_key",
    [AG_OP_DROP_PK] = "drop_primary_key",
    [AG_OP_TABLE_COMMENT] = "table_comment",
    [AG_OP_EXECUTE] = "execute",
    [AG_OP_ALTER_FK] = "alter_foreign_key",
};
/* clang-format on */

const char *ag_op_kind_name(ag_op_kind k)
{
    return (size_t)k < AG_NELEM(kind_names) && kind_names[k] ? kind_names[k] : "unknown";
}

static ag_pk *pk_clone(ag_arena *a, const ag_pk *p)
{
    ag_pk *d = ag_arena_alloc(a, sizeof(*d));
    d->name = ag_arena_strdup(a, p->name);
    ag_strs_clone(a, &d->columns, &p->columns);
    return d;
}

/* Deep copies of the definitions an op carries (all but columns and names). */
static void copy_definitions(ag_arena *a, ag_opdef *r, const ag_opdef *op)
{
    r->tdef = op->tdef ? ag_table_clone(a, op->tdef) : NULL;
    r->index = op->index ? ag_index_clone(a, op->index) : NULL;
    r->unique = op->unique ? ag_unique_clone(a, op->unique) : NULL;
    r->check = op->check ? ag_check_clone(a, op->check) : NULL;
    r->fk = op->fk ? ag_fk_clone(a, op->fk) : NULL;
    r->old_fk = op->old_fk ? ag_fk_clone(a, op->old_fk) : NULL;
    r->pk = op->pk ? pk_clone(a, op->pk) : NULL;
    r->enm = op->enm ? ag_enum_clone(a, op->enm) : NULL;
    r->old_enm = op->old_enm ? ag_enum_clone(a, op->old_enm) : NULL;
}

/* The value that follows v in l, or NULL: where a dropped value goes back. */
static const char *successor(const ag_strs *l, const char *v)
{
    for (size_t i = 0; i + 1 < l->n; i++)
        if (strcmp(l->v[i], v) == 0)
            return l->v[i + 1];
    return NULL;
}

ag_opdef *ag_op_copy(ag_oplist *dst, const ag_opdef *op)
{
    ag_arena *a = &dst->arena;
    ag_opdef *r = ag_oplist_push(dst, op->kind, op->table);
    r->schema = ag_arena_strdup(a, op->schema);
    r->name = ag_arena_strdup(a, op->name);
    r->old_name = ag_arena_strdup(a, op->old_name);
    r->column = op->column ? ag_column_clone(a, op->column) : NULL;
    r->old_column = op->old_column ? ag_column_clone(a, op->old_column) : NULL;
    copy_definitions(a, r, op);
    r->sql = ag_arena_strdup(a, op->sql);
    r->undo_sql = ag_arena_strdup(a, op->undo_sql);
    r->alter_mask = op->alter_mask;
    r->flags = op->flags;
    r->note = ag_arena_strdup(a, op->note);
    r->line = op->line;
    return r;
}

ag_opdef *ag_op_invert(ag_oplist *dst, const ag_opdef *op)
{
    static const ag_op_kind inverse[] = {
        [AG_OP_CREATE_ENUM] = AG_OP_DROP_ENUM,
        [AG_OP_DROP_ENUM] = AG_OP_CREATE_ENUM,
        [AG_OP_ADD_ENUM_VALUE] = AG_OP_DROP_ENUM_VALUE,
        [AG_OP_DROP_ENUM_VALUE] = AG_OP_ADD_ENUM_VALUE,
        [AG_OP_CREATE_TABLE] = AG_OP_DROP_TABLE,
        [AG_OP_DROP_TABLE] = AG_OP_CREATE_TABLE,
        [AG_OP_ADD_COLUMN] = AG_OP_DROP_COLUMN,
        [AG_OP_DROP_COLUMN] = AG_OP_ADD_COLUMN,
        [AG_OP_CREATE_INDEX] = AG_OP_DROP_INDEX,
        [AG_OP_DROP_INDEX] = AG_OP_CREATE_INDEX,
        [AG_OP_ADD_UNIQUE] = AG_OP_DROP_UNIQUE,
        [AG_OP_DROP_UNIQUE] = AG_OP_ADD_UNIQUE,
        [AG_OP_ADD_CHECK] = AG_OP_DROP_CHECK,
        [AG_OP_DROP_CHECK] = AG_OP_ADD_CHECK,
        [AG_OP_ADD_FK] = AG_OP_DROP_FK,
        [AG_OP_DROP_FK] = AG_OP_ADD_FK,
        [AG_OP_ADD_PK] = AG_OP_DROP_PK,
        [AG_OP_DROP_PK] = AG_OP_ADD_PK,
    };
    ag_arena *a = &dst->arena;
    ag_opdef *r;
    switch (op->kind) {
    case AG_OP_RENAME_TABLE:
        r = ag_oplist_push(dst, op->kind, op->name);
        r->name = ag_arena_strdup(a, op->table);
        break;
    case AG_OP_RENAME_COLUMN:
        r = ag_oplist_push(dst, op->kind, op->table);
        r->name = ag_arena_strdup(a, op->old_name);
        r->old_name = ag_arena_strdup(a, op->name);
        break;
    case AG_OP_ALTER_COLUMN:
        r = ag_oplist_push(dst, op->kind, op->table);
        r->column = ag_column_clone(a, op->old_column);
        r->old_column = ag_column_clone(a, op->column);
        break;
    case AG_OP_TABLE_COMMENT:
        r = ag_oplist_push(dst, op->kind, op->table);
        r->name = ag_arena_strdup(a, op->old_name);
        r->old_name = ag_arena_strdup(a, op->name);
        break;
    case AG_OP_DROP_ENUM_VALUE:
        /* With the values it had (the diff's drops carry them), the inverse
         * recreates the type as it was: the value is back in its place, and
         * usable in the same transaction, which a value added with ADD VALUE
         * is not (on PostgreSQL). */
        if (op->enm && ag_strs_contains(&op->enm->values, op->name)) {
            r = ag_oplist_push(dst, AG_OP_ALTER_ENUM, op->table);
            r->schema = ag_arena_strdup(a, op->schema);
            r->enm = ag_enum_clone(a, op->enm);
            r->old_enm = ag_enum_clone(a, op->enm);
            r->old_enm->values.n = 0;
            for (size_t i = 0; i < op->enm->values.n; i++)
                if (strcmp(op->enm->values.v[i], op->name) != 0)
                    ag_strs_push_arena(a, &r->old_enm->values, op->enm->values.v[i]);
            return r;
        }
        r = ag_oplist_push(dst, inverse[op->kind], op->table);
        r->name = ag_arena_strdup(a, op->name);
        r->old_name = op->enm ? ag_arena_strdup(a, successor(&op->enm->values, op->name)) : NULL;
        break;
    case AG_OP_ADD_ENUM_VALUE:
        r = ag_oplist_push(dst, inverse[op->kind], op->table);
        r->name = ag_arena_strdup(a, op->name);
        break;
    case AG_OP_ALTER_ENUM:
        if (!op->old_enm)
            return NULL; /* the values it had are not known */
        r = ag_oplist_push(dst, op->kind, op->table);
        break;
    case AG_OP_EXECUTE:
        /* Raw SQL is opaque: no inverse unless whoever made it said one. */
        if (!op->undo_sql)
            return NULL;
        r = ag_oplist_push(dst, AG_OP_EXECUTE, op->table);
        r->sql = ag_arena_strdup(a, op->undo_sql);
        r->undo_sql = ag_arena_strdup(a, op->sql);
        return r;
    case AG_OP_ALTER_FK:
        r = ag_oplist_push(dst, op->kind, op->table);
        break;
    default:
        r = ag_oplist_push(dst, inverse[op->kind], op->table);
        break;
    }
    r->schema = ag_arena_strdup(a, op->schema);
    if (op->kind != AG_OP_ALTER_COLUMN) {
        r->column = op->column ? ag_column_clone(a, op->column) : NULL;
        r->old_column = op->old_column ? ag_column_clone(a, op->old_column) : NULL;
    }
    copy_definitions(a, r, op);
    if (op->kind == AG_OP_ALTER_ENUM) {
        ag_enum *e = r->enm;
        r->enm = r->old_enm;
        r->old_enm = e;
    }
    if (op->kind == AG_OP_ALTER_FK) {
        ag_fk *f = r->fk;
        r->fk = r->old_fk;
        r->old_fk = f;
    }
    return r;
}

void ag_oplist_invert(ag_oplist *dst, const ag_oplist *src)
{
    for (size_t i = src->n; i-- > 0;)
        ag_op_invert(dst, src->ops[i]);
}

bool ag_op_alter_visible(const ag_opdef *op)
{
    const ag_column *o = op->old_column, *n = op->column;
    if (op->kind != AG_OP_ALTER_COLUMN || !o || !n || op->alter_mask)
        return true;
    return !ag_type_equal(&o->type, &n->type) ||
           (n->type.kind == AG_T_ENUM && !ag_strs_equal(&o->enum_values, &n->enum_values)) ||
           o->nullable != n->nullable || !ag_str_eq(o->default_sql, n->default_sql) ||
           !ag_str_eq(o->comment, n->comment) || !ag_str_eq(o->collation, n->collation);
}

const char *ag_qualified_name(ag_arena *a, const char *schema, const char *name)
{
    if (!name)
        return "";
    return schema ? ag_arena_printf(a, "%s.%s", schema, name) : name;
}

const char *ag_op_table_shown(ag_arena *a, const ag_opdef *op)
{
    return ag_qualified_name(a, op->schema, op->table);
}

const char *ag_op_describe(ag_arena *a, const ag_opdef *op)
{
    const char *t = ag_op_table_shown(a, op);
    const char *e = op->enm ? ag_qualified_name(a, op->enm->schema, op->enm->name) : t;
    switch (op->kind) {
    case AG_OP_CREATE_ENUM:
        return ag_arena_printf(a, "create enum '%s'", e);
    case AG_OP_DROP_ENUM:
        return ag_arena_printf(a, "drop enum '%s'", e);
    case AG_OP_ADD_ENUM_VALUE:
        if (op->old_name)
            return ag_arena_printf(a, "add value '%s' to enum '%s' before '%s'",
                                   op->name ? op->name : "", e, op->old_name);
        return ag_arena_printf(a, "add value '%s' to enum '%s'", op->name ? op->name : "", e);
    case AG_OP_ALTER_ENUM:
        return ag_arena_printf(a, "set the values of enum '%s' to (%s)", e,
                               op->enm ? ag_strs_join(a, &op->enm->values, ", ") : "");
    case AG_OP_DROP_ENUM_VALUE:
        return ag_arena_printf(a, "drop value '%s' from enum '%s'", op->name ? op->name : "", e);
    case AG_OP_CREATE_TABLE:
        return ag_arena_printf(a, "create table '%s'", t);
    case AG_OP_DROP_TABLE:
        return ag_arena_printf(a, "drop table '%s'", t);
    case AG_OP_RENAME_TABLE:
        return ag_arena_printf(a, "rename table '%s' to '%s'", t, op->name);
    case AG_OP_ADD_COLUMN:
        return ag_arena_printf(a, "add column '%s.%s'", t, op->column->name);
    case AG_OP_DROP_COLUMN:
        return ag_arena_printf(a, "drop column '%s.%s'", t, op->column ? op->column->name : "");
    case AG_OP_ALTER_COLUMN:
        return ag_arena_printf(a, "alter column '%s.%s'", t, op->column->name);
    case AG_OP_RENAME_COLUMN:
        return ag_arena_printf(a, "rename column '%s.%s' to '%s'", t, op->old_name, op->name);
    case AG_OP_CREATE_INDEX:
        return ag_arena_printf(a, "create index '%s' on '%s'", op->index->name, t);
    case AG_OP_DROP_INDEX:
        return ag_arena_printf(a, "drop index '%s' on '%s'", op->index->name, t);
    case AG_OP_ADD_UNIQUE:
        return ag_arena_printf(a, "add unique constraint '%s' on '%s'", op->unique->name, t);
    case AG_OP_DROP_UNIQUE:
        return ag_arena_printf(a, "drop unique constraint '%s' on '%s'", op->unique->name, t);
    case AG_OP_ADD_CHECK:
        return ag_arena_printf(a, "add check constraint '%s' on '%s'", op->check->name, t);
    case AG_OP_DROP_CHECK:
        return ag_arena_printf(a, "drop check constraint '%s' on '%s'", op->check->name, t);
    case AG_OP_ADD_FK:
        return ag_arena_printf(a, "add foreign key '%s' on '%s'", op->fk->name, t);
    case AG_OP_DROP_FK:
        return ag_arena_printf(a, "drop foreign key '%s' on '%s'", op->fk->name, t);
    case AG_OP_ALTER_FK: {
        const char *d = ag_fk_defer_sql(op->fk->defer);
        return ag_arena_printf(a, "make foreign key '%s' on '%s' %s", op->fk->name, t,
                               d ? d : "NOT DEFERRABLE");
    }
    case AG_OP_ADD_PK:
        return ag_arena_printf(a, "add primary key on '%s'", t);
    case AG_OP_DROP_PK:
        return ag_arena_printf(a, "drop primary key on '%s'", t);
    case AG_OP_TABLE_COMMENT:
        return ag_arena_printf(a, "set the comment of table '%s'", t);
    case AG_OP_EXECUTE:
        return ag_arena_strdup(a, "execute SQL");
    }
    return ag_arena_strdup(a, "unknown operation");
}
