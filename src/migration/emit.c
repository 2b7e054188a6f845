/* emit.c - an op list as the C body of upgrade() or downgrade().
 *
 * The output is what a reviewer reads in a pull request, so it is plain:
 * one call per operation, types in the model vocabulary, only the fields
 * that are set. recorder.c reads exactly these calls back into ops.
 */
#include "../util/common.h"
#include "migfile.h"

static void str_or_null(ag_buf *b, const char *s)
{
    if (s)
        ag_buf_quote_c(b, s);
    else
        ag_buf_puts(b, "NULL");
}

static void table_name(ag_buf *b, const ag_opdef *op, const char *table)
{
    if (op->schema) {
        ag_buf b2 = AG_BUF_INIT;
        ag_buf_printf(&b2, "%s.%s", op->schema, table);
        ag_buf_quote_c(b, b2.ptr);
        ag_buf_dispose(&b2);
    } else {
        ag_buf_quote_c(b, table);
    }
}

static void cols(ag_buf *b, const ag_strs *l)
{
    ag_buf_puts(b, "AG_COLS(");
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, l->v[i]);
    }
    ag_buf_puts(b, ")");
}

static void type_str(ag_buf *b, const ag_type *t)
{
    ag_arena a = AG_ARENA_INIT;
    ag_buf_quote_c(b, ag_type_format(&a, t));
    ag_arena_release(&a);
}

/* The inside of AG_COLUMN(...) / AG_COL(...). */
static void column_fields(ag_buf *b, const ag_column *c, bool in_pk)
{
    ag_buf_quote_c(b, c->name);
    ag_buf_puts(b, ", ");
    type_str(b, &c->type);
    if (!c->nullable && !in_pk)
        ag_buf_puts(b, ", .not_null = 1");
    if (in_pk)
        ag_buf_puts(b, ", .primary_key = 1");
    if (c->autoincrement)
        ag_buf_puts(b, ", .autoincrement = 1");
    if (c->default_sql) {
        ag_buf_puts(b, ", .server_default = ");
        ag_buf_quote_c(b, c->default_sql);
    }
    if (c->comment) {
        ag_buf_puts(b, ", .comment = ");
        ag_buf_quote_c(b, c->comment);
    }
    if (c->collation) {
        ag_buf_puts(b, ", .collation = ");
        ag_buf_quote_c(b, c->collation);
    }
    if (c->generated) {
        ag_buf_puts(b, ", .generated = ");
        ag_buf_quote_c(b, c->generated);
        if (c->generated_stored)
            ag_buf_puts(b, ", .stored = 1");
    }
    if (c->type.kind == AG_T_ENUM && c->enum_values.n) {
        ag_buf_puts(b, ", .values = AG_VALUES(");
        for (size_t i = 0; i < c->enum_values.n; i++) {
            if (i)
                ag_buf_puts(b, ", ");
            ag_buf_quote_c(b, c->enum_values.v[i]);
        }
        ag_buf_puts(b, ")");
    }
}

static void fk_call_args(ag_buf *b, const ag_fk *f)
{
    cols(b, &f->columns);
    ag_buf_puts(b, ", ");
    if (f->ref_schema) {
        ag_buf r = AG_BUF_INIT;
        ag_buf_printf(&r, "%s.%s", f->ref_schema, f->ref_table);
        ag_buf_quote_c(b, r.ptr);
        ag_buf_dispose(&r);
    } else {
        ag_buf_quote_c(b, f->ref_table);
    }
    ag_buf_puts(b, ", ");
    cols(b, &f->ref_columns);
    ag_buf_puts(b, ", ");
    str_or_null(b, ag_fk_action_name(f->on_delete));
    ag_buf_puts(b, ", ");
    str_or_null(b, ag_fk_action_name(f->on_update));
    if (f->defer != AG_FK_NOT_DEFERRABLE) {
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, ag_fk_defer_name(f->defer));
    }
}

/* The deferrable forms take one more argument; plain keys keep the old calls. */
static const char *fk_form(const ag_fk *f, const char *plain, const char *deferrable)
{
    return f->defer == AG_FK_NOT_DEFERRABLE ? plain : deferrable;
}

static void index_call(ag_buf *b, const ag_opdef *op, const ag_index *x)
{
    ag_buf_puts(b, "    ag_create_index(op, ");
    table_name(b, op, op->table);
    ag_buf_puts(b, ", ");
    ag_buf_quote_c(b, x->name);
    ag_buf_puts(b, ", ");
    if (x->expression)
        ag_buf_puts(b, "NULL");
    else
        cols(b, &x->columns);
    if (x->unique || x->where || x->expression || x->method || x->include.n) {
        ag_buf_puts(b, ", AG_INDEX(");
        bool first = true;
        if (x->unique) {
            ag_buf_puts(b, ".unique = 1");
            first = false;
        }
        if (x->method) {
            ag_buf_puts(b, first ? ".method = " : ", .method = ");
            ag_buf_quote_c(b, x->method);
            first = false;
        }
        if (x->expression) {
            ag_buf_puts(b, first ? ".expression = " : ", .expression = ");
            ag_buf_quote_c(b, x->expression);
            first = false;
        }
        if (x->include.n) {
            ag_buf_puts(b, first ? ".include = " : ", .include = ");
            cols(b, &x->include);
            first = false;
        }
        if (x->where) {
            ag_buf_puts(b, first ? ".where = " : ", .where = ");
            ag_buf_quote_c(b, x->where);
        }
        ag_buf_puts(b, "));\n");
    } else {
        ag_buf_puts(b, ", NULL);\n");
    }
}

static void create_table(ag_buf *b, const ag_opdef *op)
{
    const ag_table *t = op->tdef;
    ag_buf_puts(b, "    ag_create_table(op, ");
    table_name(b, op, op->table);
    ag_buf_puts(b, ",\n");
    /* A named primary key is written as a constraint; otherwise as column flags. */
    bool pk_item = t->pk.name != NULL && t->pk.columns.n > 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const ag_column *c = t->columns[i];
        ag_buf_puts(b, "                    AG_COL(");
        column_fields(b, c, !pk_item && ag_strs_contains(&t->pk.columns, c->name));
        ag_buf_puts(b, "),\n");
    }
    if (pk_item) {
        ag_buf_puts(b, "                    AG_PRIMARY_KEY(");
        ag_buf_quote_c(b, t->pk.name);
        ag_buf_puts(b, ", ");
        cols(b, &t->pk.columns);
        ag_buf_puts(b, "),\n");
    }
    for (size_t i = 0; i < t->nuniques; i++) {
        const ag_unique *u = t->uniques[i];
        ag_buf_puts(b, u->defer == AG_FK_NOT_DEFERRABLE
                           ? "                    AG_UNIQUE("
                           : "                    AG_DEFERRABLE_UNIQUE(");
        ag_buf_quote_c(b, u->name);
        ag_buf_puts(b, ", ");
        cols(b, &u->columns);
        if (u->defer != AG_FK_NOT_DEFERRABLE) {
            ag_buf_puts(b, ", ");
            ag_buf_quote_c(b, ag_fk_defer_name(u->defer));
        }
        ag_buf_puts(b, "),\n");
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        ag_buf_puts(b, "                    AG_CHECK(");
        ag_buf_quote_c(b, t->checks[i]->name);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, t->checks[i]->expression);
        ag_buf_puts(b, "),\n");
    }
    for (size_t i = 0; i < t->nfks; i++) {
        ag_buf_puts(b, fk_form(t->fks[i], "                    AG_FOREIGN_KEY(",
                               "                    AG_DEFERRABLE_FOREIGN_KEY("));
        ag_buf_quote_c(b, t->fks[i]->name);
        ag_buf_puts(b, ", ");
        fk_call_args(b, t->fks[i]);
        ag_buf_puts(b, "),\n");
    }
    if (t->options) {
        ag_buf_puts(b, "                    AG_TABLE_OPTIONS(");
        ag_buf_quote_c(b, t->options);
        ag_buf_puts(b, "),\n");
    }
    ag_buf_puts(b, "                    NULL);\n");
    if (t->comment) {
        ag_buf_puts(b, "    ag_table_comment(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, t->comment);
        ag_buf_puts(b, ", NULL);\n");
    }
    for (size_t i = 0; i < t->nindexes; i++)
        index_call(b, op, t->indexes[i]);
}

static void alter_column(ag_buf *b, const ag_opdef *op)
{
    const ag_column *o = op->old_column, *n = op->column;
    ag_arena a = AG_ARENA_INIT;
    ag_buf_puts(b, "    ag_alter_column(op, ");
    table_name(b, op, op->table);
    ag_buf_puts(b, ", ");
    ag_buf_quote_c(b, n->name);
    ag_buf_puts(b, ", AG_ALTER(");
    bool first = true;
#define SEP() (first ? (first = false, "") : ", ")
    if (!o || !ag_type_equal(&o->type, &n->type) ||
        (n->type.kind == AG_T_ENUM && !ag_strs_equal(&o->enum_values, &n->enum_values))) {
        ag_buf_printf(b, "%s.type = ", SEP());
        type_str(b, &n->type);
        if (n->type.kind == AG_T_ENUM && n->enum_values.n) {
            ag_buf_puts(b, ", .values = AG_VALUES(");
            for (size_t i = 0; i < n->enum_values.n; i++) {
                if (i)
                    ag_buf_puts(b, ", ");
                ag_buf_quote_c(b, n->enum_values.v[i]);
            }
            ag_buf_puts(b, ")");
        }
    }
    if (!o || o->nullable != n->nullable)
        ag_buf_printf(b, "%s.nullable = %d", SEP(), n->nullable ? 1 : 0);
    bool def_changed = !o || (o->default_sql == NULL) != (n->default_sql == NULL) ||
                       (o->default_sql && strcmp(o->default_sql, n->default_sql) != 0);
    if (def_changed) {
        if (n->default_sql) {
            ag_buf_printf(b, "%s.server_default = ", SEP());
            ag_buf_quote_c(b, n->default_sql);
        } else {
            ag_buf_printf(b, "%s.drop_default = 1", SEP());
        }
    }
    bool com_changed = !o || (o->comment == NULL) != (n->comment == NULL) ||
                       (o->comment && strcmp(o->comment, n->comment) != 0);
    if (com_changed && (n->comment || (o && o->comment))) {
        if (n->comment) {
            ag_buf_printf(b, "%s.comment = ", SEP());
            ag_buf_quote_c(b, n->comment);
        } else {
            ag_buf_printf(b, "%s.drop_comment = 1", SEP());
        }
    }
    if (o && !ag_str_eq(o->collation, n->collation)) {
        if (n->collation) {
            ag_buf_printf(b, "%s.collation = ", SEP());
            ag_buf_quote_c(b, n->collation);
        } else {
            ag_buf_printf(b, "%s.drop_collation = 1", SEP());
        }
    }
    if (o) {
        ag_buf_printf(b, "%s.existing_type = ", SEP());
        type_str(b, &o->type);
        ag_buf_printf(b, ", .existing_nullable = %d", o->nullable ? 1 : 0);
        if (o->default_sql) {
            ag_buf_puts(b, ", .existing_server_default = ");
            ag_buf_quote_c(b, o->default_sql);
        }
        if (o->collation) {
            ag_buf_puts(b, ", .existing_collation = ");
            ag_buf_quote_c(b, o->collation);
        }
    }
#undef SEP
    ag_buf_puts(b, "));\n");
    ag_arena_release(&a);
}

static void simple(ag_buf *b, const ag_opdef *op, const char *fn, const char *name)
{
    ag_buf_printf(b, "    %s(op, ", fn);
    table_name(b, op, op->table);
    ag_buf_puts(b, ", ");
    str_or_null(b, name);
    ag_buf_puts(b, ");\n");
}

/* An enum's name as the ag_*_enum calls take it: "schema.name" outside the
 * default schema. */
static void enum_name(ag_buf *b, const ag_enum *e)
{
    if (e->schema) {
        ag_buf q = AG_BUF_INIT;
        ag_buf_printf(&q, "%s.%s", e->schema, e->name);
        ag_buf_quote_c(b, q.ptr);
        ag_buf_dispose(&q);
    } else {
        ag_buf_quote_c(b, e->name);
    }
}

/* fn(op, "name", AG_VALUES("a", "b")); */
static void emit_enum_values(ag_buf *b, const char *fn, const ag_enum *e)
{
    ag_buf_printf(b, "    %s(op, ", fn);
    enum_name(b, e);
    ag_buf_puts(b, ", AG_VALUES(");
    for (size_t i = 0; i < e->values.n; i++) {
        if (i)
            ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, e->values.v[i]);
    }
    ag_buf_puts(b, "));\n");
}

static void emit_op(ag_buf *b, const ag_opdef *op)
{
    if (op->flags & AG_OPF_DESTRUCTIVE)
        ag_buf_printf(b, "    /* DESTRUCTIVE: %s */\n", op->note ? op->note : "may lose data");
    switch (op->kind) {
    case AG_OP_CREATE_ENUM:
        emit_enum_values(b, "ag_create_enum", op->enm);
        break;
    case AG_OP_DROP_ENUM:
        ag_buf_puts(b, "    ag_drop_enum(op, ");
        enum_name(b, op->enm);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_ADD_ENUM_VALUE:
        ag_buf_puts(b, op->old_name ? "    ag_add_enum_value_before(op, "
                                    : "    ag_add_enum_value(op, ");
        enum_name(b, op->enm);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->name);
        if (op->old_name) {
            ag_buf_puts(b, ", ");
            ag_buf_quote_c(b, op->old_name);
        }
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_ALTER_ENUM:
        emit_enum_values(b, "ag_alter_enum", op->enm);
        break;
    case AG_OP_DROP_ENUM_VALUE:
        ag_buf_puts(b, "    ag_drop_enum_value(op, ");
        enum_name(b, op->enm);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->name);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_CREATE_TABLE:
        create_table(b, op);
        break;
    case AG_OP_DROP_TABLE:
        ag_buf_puts(b, "    ag_drop_table(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_RENAME_TABLE:
        simple(b, op, "ag_rename_table", op->name);
        break;
    case AG_OP_ADD_COLUMN:
        ag_buf_puts(b, "    ag_add_column(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", AG_COLUMN(");
        column_fields(b, op->column, false);
        ag_buf_puts(b, "));\n");
        break;
    case AG_OP_DROP_COLUMN:
        simple(b, op, "ag_drop_column", op->column->name);
        break;
    case AG_OP_ALTER_COLUMN:
        alter_column(b, op);
        break;
    case AG_OP_RENAME_COLUMN:
        ag_buf_puts(b, "    ag_rename_column(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->old_name);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->name);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_CREATE_INDEX:
        index_call(b, op, op->index);
        break;
    case AG_OP_DROP_INDEX:
        simple(b, op, "ag_drop_index", op->index->name);
        break;
    case AG_OP_ADD_UNIQUE:
        ag_buf_puts(b, op->unique->defer == AG_FK_NOT_DEFERRABLE
                           ? "    ag_create_unique(op, "
                           : "    ag_create_deferrable_unique(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->unique->name);
        ag_buf_puts(b, ", ");
        cols(b, &op->unique->columns);
        if (op->unique->defer != AG_FK_NOT_DEFERRABLE) {
            ag_buf_puts(b, ", ");
            ag_buf_quote_c(b, ag_fk_defer_name(op->unique->defer));
        }
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_DROP_UNIQUE:
        simple(b, op, "ag_drop_unique", op->unique->name);
        break;
    case AG_OP_ADD_CHECK:
        ag_buf_puts(b, "    ag_create_check(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->check->name);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->check->expression);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_DROP_CHECK:
        simple(b, op, "ag_drop_check", op->check->name);
        break;
    case AG_OP_ADD_FK:
        ag_buf_puts(b, fk_form(op->fk, "    ag_create_foreign_key(op, ",
                               "    ag_create_deferrable_foreign_key(op, "));
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->fk->name);
        ag_buf_puts(b, ", ");
        fk_call_args(b, op->fk);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_DROP_FK:
        simple(b, op, "ag_drop_foreign_key", op->fk->name);
        break;
    case AG_OP_ALTER_FK: {
        const char *now = ag_fk_defer_name(op->fk->defer);
        const char *was = op->old_fk ? ag_fk_defer_name(op->old_fk->defer) : NULL;
        ag_buf_puts(b, "    ag_alter_foreign_key(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, op->fk->name);
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, now ? now : "not deferrable");
        ag_buf_puts(b, ", ");
        ag_buf_quote_c(b, was ? was : "not deferrable");
        ag_buf_puts(b, ");\n");
        break;
    }
    case AG_OP_ADD_PK:
        ag_buf_puts(b, "    ag_create_primary_key(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        str_or_null(b, op->pk->name);
        ag_buf_puts(b, ", ");
        cols(b, &op->pk->columns);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_DROP_PK:
        simple(b, op, "ag_drop_primary_key", op->pk ? op->pk->name : NULL);
        break;
    case AG_OP_TABLE_COMMENT:
        ag_buf_puts(b, "    ag_table_comment(op, ");
        table_name(b, op, op->table);
        ag_buf_puts(b, ", ");
        str_or_null(b, op->name);
        ag_buf_puts(b, ", ");
        str_or_null(b, op->old_name);
        ag_buf_puts(b, ");\n");
        break;
    case AG_OP_EXECUTE:
        ag_buf_puts(b, "    ag_execute(op, ");
        ag_buf_quote_c(b, op->sql);
        ag_buf_puts(b, ");\n");
        break;
    }
}

void ag_emit_ops_c(ag_buf *out, const ag_oplist *ops)
{
    if (!ops || ops->n == 0) {
        ag_buf_puts(out, "    (void)op;\n");
        return;
    }
    for (size_t i = 0; i < ops->n; i++)
        emit_op(out, ops->ops[i]);
}
