/* apply.c - replaying an op onto a schema.
 *
 * The runner keeps the live schema in step with what it executes; the
 * SQLite renderer computes a rebuilt table by applying the op to a copy; and
 * tests replay op lists. One function, so that all three agree. What a
 * database does as a side effect of an op is done here too: renaming a table
 * repoints the foreign keys that reference it, renaming a column rewrites the
 * expressions (checks, index expressions and predicates) that name it, and
 * dropping a column drops the indexes and constraints built on it.
 */
#include "../util/common.h"
#include "op.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <ctype.h>
#include <strings.h>

static ag_table *need_table(ag_schema *s, const ag_opdef *op, ag_error *err)
{
    ag_table *t = ag_schema_find_table_in(s, op->schema, op->table);
    if (!t)
        ag_error_set(err, AG_EINVALID, "%s: no table '%s' in the database",
                     ag_op_kind_name(op->kind), op->table);
    return t;
}

static void rename_in(ag_strs *l, const char *from, const char *to, ag_arena *a)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], from) == 0)
            l->v[i] = ag_arena_strdup(a, to);
}

static void remove_str(ag_strs *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) {
            memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
            l->n--;
            return;
        }
}

/* Add v to l before the value `before` (at the end when NULL or absent). */
static void insert_before(ag_schema *s, ag_strs *l, const char *v, const char *before)
{
    if (ag_strs_contains(l, v))
        return;
    ag_strs_push(s, l, v);
    const char *added = l->v[l->n - 1];
    size_t at = l->n - 1;
    for (size_t i = 0; before && i + 1 < l->n; i++)
        if (strcmp(l->v[i], before) == 0) {
            at = i;
            break;
        }
    memmove(&l->v[at + 1], &l->v[at], (l->n - 1 - at) * sizeof(*l->v));
    l->v[at] = added;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* expr with every reference to `from` replaced by "to", as databases do on
 * RENAME COLUMN and RENAME TABLE (SQLite writes the new name double-quoted; so
 * do we). A reference is a bare word or a quoted identifier equal to `from`
 * ignoring ASCII case and, unless calls, not followed by '(' (a function name;
 * a table's name is, in `INSERT INTO t(a)`); string literals and comments are
 * left alone. Returns expr itself when nothing changes. */
static const char *
rename_in_text(ag_arena *a, const char *expr, const char *from, const char *to, bool calls)
{
    if (!expr)
        return NULL;
    ag_buf b = AG_BUF_INIT;
    bool changed = false;
    size_t n = strlen(expr), i = 0, flushed = 0;
    while (i < n) {
        char c = expr[i];
        size_t start = i;
        if (c == '\'') {
            for (i++; i < n; i++) {
                if (expr[i] != '\'')
                    continue;
                if (i + 1 < n && expr[i + 1] == '\'') {
                    i++; /* '' inside a literal */
                    continue;
                }
                break;
            }
            i = i < n ? i + 1 : n;
            continue;
        }
        if (c == '-' && i + 1 < n && expr[i + 1] == '-') {
            while (i < n && expr[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < n && expr[i + 1] == '*') {
            const char *e = strstr(expr + i + 2, "*/");
            i = e ? (size_t)(e - expr) + 2 : n;
            continue;
        }
        ag_buf name = AG_BUF_INIT;
        if (c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            for (i++; i < n; i++) {
                if (expr[i] == close) {
                    if (close != ']' && i + 1 < n && expr[i + 1] == close) {
                        ag_buf_putc(&name, close);
                        i++;
                        continue;
                    }
                    break;
                }
                ag_buf_putc(&name, expr[i]);
            }
            i = i < n ? i + 1 : n;
        } else if (word_char(c) && !isdigit((unsigned char)c)) {
            while (i < n && word_char(expr[i]))
                i++;
            ag_buf_put(&name, expr + start, i - start);
        } else {
            i++;
            continue;
        }
        size_t after = i;
        while (after < n && isspace((unsigned char)expr[after]))
            after++;
        if (strcasecmp(ag_buf_cstr(&name), from) == 0 &&
            (calls || after >= n || expr[after] != '(')) {
            ag_buf_put(&b, expr + flushed, start - flushed);
            ag_buf_quote_ident(&b, to);
            flushed = i;
            changed = true;
        }
        ag_buf_dispose(&name);
    }
    if (!changed)
        return expr;
    ag_buf_put(&b, expr + flushed, n - flushed);
    const char *r = ag_arena_strdup(a, ag_buf_cstr(&b));
    ag_buf_dispose(&b);
    return r;
}

static const char *rename_in_expr(ag_arena *a, const char *expr, const char *from, const char *to)
{
    return rename_in_text(a, expr, from, to, false);
}

/* Whether text names `name`, as rename_in_text finds names. */
static bool names(const char *text, const char *name)
{
    ag_arena tmp = AG_ARENA_INIT;
    bool found = rename_in_text(&tmp, text, name, name, true) != text;
    ag_arena_release(&tmp);
    return found;
}

/* What the database does to its views and triggers (schema.h: ag_sqlobj) when
 * a table goes or is renamed, or one of its columns is: a dropped table takes
 * its triggers along, and a rename is carried into the text of those that name
 * it (a replay's best guess at SQLite's rewrite; a runner reads them back). */
static void objects_follow(ag_schema *s, const ag_opdef *op, const ag_table *t)
{
    for (size_t i = s->nobjects; i-- > 0;) {
        ag_sqlobj *o = s->objects[i];
        if (op->kind == AG_OP_DROP_TABLE) {
            if (o->kind == AG_OBJ_TRIGGER && strcasecmp(o->table, op->table) == 0)
                ag_schema_remove_object(s, AG_OBJ_TRIGGER, o->name);
        } else if (op->kind == AG_OP_RENAME_TABLE) {
            if (strcasecmp(o->table, op->table) == 0)
                o->table = ag_arena_strdup(&s->arena, op->name);
            o->sql = rename_in_text(&s->arena, o->sql, op->table, op->name, true);
        } else if (op->kind == AG_OP_RENAME_COLUMN && names(o->sql, t->name)) {
            o->sql = rename_in_text(&s->arena, o->sql, op->old_name, op->name, false);
        }
    }
}

/* The table (of any in s) holding an index named `name`, or NULL. Index
 * names are unique per database (per PostgreSQL schema). */
static const ag_table *index_owner(const ag_schema *s, const char *schema, const char *name)
{
    for (size_t k = 0; k < s->ntables; k++) {
        const ag_table *t = s->tables[k];
        if (ag_str_eq(t->schema, schema) && ag_table_find_index(t, name))
            return t;
    }
    return NULL;
}

/* Whether every column of l is in t; sets err when not. */
static bool columns_exist(const ag_table *t, const ag_strs *l, const ag_opdef *op, ag_error *err)
{
    for (size_t i = 0; i < l->n; i++)
        if (!ag_table_find_column(t, l->v[i])) {
            ag_error_set(err, AG_EINVALID, "%s: no column '%s.%s'", ag_op_kind_name(op->kind),
                         t->name, l->v[i]);
            return false;
        }
    return true;
}

/* Enum columns carry their values (dialects without enum types need them)
 * and the schema of their enum (a type of another schema is written with it). */
static void fill_enum_values(ag_schema *s, ag_column *c)
{
    if (c->type.kind != AG_T_ENUM || !c->type.name)
        return;
    const ag_enum *e = ag_schema_find_enum(s, c->type.name);
    if (e && !c->type.schema)
        c->type.schema = ag_arena_strdup(&s->arena, e->schema);
    if (e && !c->enum_values.n)
        ag_strs_clone(&s->arena, &c->enum_values, &e->values);
}

static int add_table(ag_schema *s, const ag_opdef *op, ag_error *err)
{
    if (!op->tdef)
        return ag_error_set(err, AG_EINVALID, "create_table '%s' has no definition", op->table);
    if (ag_schema_find_table_exact(s, op->schema, op->table))
        return ag_error_set(err, AG_EINVALID, "create_table: table '%s' already exists", op->table);
    for (size_t i = 0; i < op->tdef->nindexes; i++) {
        const ag_table *owner = index_owner(s, op->tdef->schema, op->tdef->indexes[i]->name);
        if (owner)
            return ag_error_set(err, AG_EINVALID,
                                "create_table '%s': index '%s' already exists on '%s'", op->table,
                                op->tdef->indexes[i]->name, owner->name);
    }
    ag_table *t = ag_table_clone(&s->arena, op->tdef);
    t->name = ag_arena_strdup(&s->arena, op->table);
    for (size_t i = 0; i < t->ncolumns; i++)
        fill_enum_values(s, t->columns[i]);
    AG_ARENA_PUSH(&s->arena, s->tables, s->ntables, s->tables_cap, t);
    return AG_OK;
}

static int alter_column(ag_schema *s, ag_table *t, const ag_opdef *op, ag_error *err)
{
    size_t i = ag_table_column_index(t, op->column->name);
    if (i == t->ncolumns)
        return ag_error_set(err, AG_EINVALID, "alter_column: no column '%s.%s'", t->name,
                            op->column->name);
    if (op->alter_mask) {
        /* Only some fields change (a migration's call that the runner did not complete). */
        ag_column_alter(&s->arena, t->columns[i], op);
        fill_enum_values(s, t->columns[i]);
        return AG_OK;
    }
    /* What the models do not describe stays as the database has it. */
    const char *generated = t->columns[i]->generated;
    bool stored = t->columns[i]->generated_stored;
    t->columns[i] = ag_column_clone(&s->arena, op->column);
    if (!t->columns[i]->generated) {
        t->columns[i]->generated = generated;
        t->columns[i]->generated_stored = stored;
    }
    fill_enum_values(s, t->columns[i]);
    return AG_OK;
}

void ag_column_alter(ag_arena *a, ag_column *c, const ag_opdef *op)
{
    unsigned m = op->alter_mask;
    const ag_column *n = op->column;
    if (m & AG_ALTER_TYPE) {
        c->type = n->type;
        c->type.name = ag_arena_strdup(a, n->type.name);
        c->type.schema = ag_arena_strdup(a, n->type.schema);
        ag_strs_clone(a, &c->enum_values, &n->enum_values);
    }
    if (m & AG_ALTER_NULLABLE)
        c->nullable = n->nullable;
    if (m & AG_ALTER_DEFAULT)
        c->default_sql = ag_arena_strdup(a, n->default_sql);
    if (m & AG_ALTER_COMMENT)
        c->comment = ag_arena_strdup(a, n->comment);
    if (m & AG_ALTER_COLLATION)
        c->collation = ag_arena_strdup(a, n->collation);
}

bool ag_op_complete_alter(ag_arena *a, const ag_schema *state, ag_opdef *op)
{
    if (op->kind != AG_OP_ALTER_COLUMN || !op->alter_mask || !op->column)
        return true;
    const ag_table *t = ag_schema_find_table_in(state, op->schema, op->table);
    const ag_column *live = t ? ag_table_find_column(t, op->column->name) : NULL;
    if (!live)
        return false;
    ag_column *c = ag_column_clone(a, live);
    ag_column_alter(a, c, op);
    op->old_column = ag_column_clone(a, live);
    op->column = c;
    op->alter_mask = 0;
    return true;
}

static int rename_column(ag_schema *s, ag_table *t, const ag_opdef *op, ag_error *err)
{
    ag_column *c = ag_table_find_column(t, op->old_name);
    if (!c)
        return ag_error_set(err, AG_EINVALID, "rename_column: no column '%s.%s'", t->name,
                            op->old_name);
    if (ag_table_find_column(t, op->name))
        return ag_error_set(err, AG_EINVALID, "rename_column: column '%s.%s' already exists",
                            t->name, op->name);
    ag_arena *a = &s->arena;
    c->name = ag_arena_strdup(a, op->name);
    rename_in(&t->pk.columns, op->old_name, op->name, a);
    for (size_t i = 0; i < t->nuniques; i++)
        rename_in(&t->uniques[i]->columns, op->old_name, op->name, a);
    for (size_t i = 0; i < t->nindexes; i++) {
        rename_in(&t->indexes[i]->columns, op->old_name, op->name, a);
        rename_in(&t->indexes[i]->include, op->old_name, op->name, a);
    }
    for (size_t i = 0; i < t->nfks; i++)
        rename_in(&t->fks[i]->columns, op->old_name, op->name, a);
    for (size_t i = 0; i < t->nindexes; i++) {
        ag_index *x = t->indexes[i];
        x->expression = rename_in_expr(a, x->expression, op->old_name, op->name);
        x->where = rename_in_expr(a, x->where, op->old_name, op->name);
    }
    for (size_t i = 0; i < t->nchecks; i++)
        t->checks[i]->expression =
            rename_in_expr(a, t->checks[i]->expression, op->old_name, op->name);
    for (size_t k = 0; k < s->ntables; k++)
        for (size_t i = 0; i < s->tables[k]->nfks; i++)
            if (strcmp(s->tables[k]->fks[i]->ref_table, t->name) == 0)
                rename_in(&s->tables[k]->fks[i]->ref_columns, op->old_name, op->name, a);
    objects_follow(s, op, t);
    return AG_OK;
}

static int drop_column(ag_table *t, const ag_opdef *op, ag_error *err)
{
    const char *name = op->column->name;
    if (!ag_table_remove_column(t, name))
        return ag_error_set(err, AG_EINVALID, "drop_column: no column '%s.%s'", t->name, name);
    /* Whatever covered only that column goes with it, as in the database. */
    remove_str(&t->pk.columns, name);
    for (size_t i = t->nindexes; i-- > 0;)
        if (ag_strs_contains(&t->indexes[i]->columns, name))
            ag_table_remove_index(t, t->indexes[i]->name);
    for (size_t i = t->nuniques; i-- > 0;)
        if (ag_strs_contains(&t->uniques[i]->columns, name))
            ag_table_remove_unique(t, t->uniques[i]->name);
    for (size_t i = t->nfks; i-- > 0;)
        if (ag_strs_contains(&t->fks[i]->columns, name))
            ag_table_remove_fk(t, t->fks[i]->name);
    return AG_OK;
}

#define DUP_CHECK(found, what, nm)                                                                 \
    if (found)                                                                                     \
    return ag_error_set(err, AG_EINVALID, "%s '%s' already exists on '%s'", what, nm, t->name)

int ag_schema_apply(ag_schema *s, const ag_opdef *op, ag_error *err)
{
    ag_arena *a = &s->arena;
    ag_table *t = NULL;
    switch (op->kind) {
    case AG_OP_EXECUTE:
        return AG_OK;
    case AG_OP_CREATE_ENUM:
        if (ag_schema_find_enum(s, op->enm->name))
            return ag_error_set(err, AG_EINVALID, "create_enum: enum '%s' already exists",
                                op->enm->name);
        AG_ARENA_PUSH(a, s->enums, s->nenums, s->enums_cap, ag_enum_clone(a, op->enm));
        return AG_OK;
    case AG_OP_DROP_ENUM:
        ag_schema_remove_enum(s, op->enm->name);
        return AG_OK;
    case AG_OP_ADD_ENUM_VALUE: {
        ag_enum *e = ag_schema_find_enum(s, op->enm->name);
        if (e)
            insert_before(s, &e->values, op->name, op->old_name);
        for (size_t k = 0; k < s->ntables; k++)
            for (size_t i = 0; i < s->tables[k]->ncolumns; i++) {
                ag_column *c = s->tables[k]->columns[i];
                if (c->type.kind == AG_T_ENUM && c->type.name &&
                    strcmp(c->type.name, op->enm->name) == 0)
                    insert_before(s, &c->enum_values, op->name, op->old_name);
            }
        return AG_OK;
    }
    case AG_OP_ALTER_ENUM: {
        ag_enum *e = ag_schema_find_enum(s, op->enm->name);
        if (e)
            ag_strs_clone(a, &e->values, &op->enm->values);
        for (size_t k = 0; k < s->ntables; k++)
            for (size_t i = 0; i < s->tables[k]->ncolumns; i++) {
                ag_column *c = s->tables[k]->columns[i];
                if (c->type.kind == AG_T_ENUM && c->type.name &&
                    strcmp(c->type.name, op->enm->name) == 0)
                    ag_strs_clone(a, &c->enum_values, &op->enm->values);
            }
        return AG_OK;
    }
    case AG_OP_DROP_ENUM_VALUE: {
        ag_enum *e = ag_schema_find_enum(s, op->enm->name);
        if (e)
            remove_str(&e->values, op->name);
        for (size_t k = 0; k < s->ntables; k++)
            for (size_t i = 0; i < s->tables[k]->ncolumns; i++) {
                ag_column *c = s->tables[k]->columns[i];
                if (c->type.kind == AG_T_ENUM && c->type.name &&
                    strcmp(c->type.name, op->enm->name) == 0)
                    remove_str(&c->enum_values, op->name);
            }
        return AG_OK;
    }
    case AG_OP_CREATE_TABLE:
        return add_table(s, op, err);
    case AG_OP_DROP_TABLE:
        if (!ag_schema_remove_table_in(s, op->schema, op->table))
            return ag_error_set(err, AG_EINVALID, "drop_table: no table '%s' in the database",
                                op->table);
        objects_follow(s, op, NULL);
        return AG_OK;
    case AG_OP_RENAME_TABLE:
        if (!(t = need_table(s, op, err)))
            return AG_EINVALID;
        if (ag_schema_find_table_exact(s, t->schema, op->name))
            return ag_error_set(err, AG_EINVALID, "rename_table: table '%s' already exists",
                                op->name);
        for (size_t k = 0; k < s->ntables; k++)
            for (size_t i = 0; i < s->tables[k]->nfks; i++) {
                ag_fk *f = s->tables[k]->fks[i];
                if (ag_schema_find_table_in(s, f->ref_schema, f->ref_table) == t)
                    f->ref_table = ag_arena_strdup(a, op->name);
            }
        objects_follow(s, op, t);
        t->name = ag_arena_strdup(a, op->name);
        return AG_OK;
    default:
        break;
    }
    if (!(t = need_table(s, op, err)))
        return AG_EINVALID;
    switch (op->kind) {
    case AG_OP_ADD_COLUMN: {
        DUP_CHECK(ag_table_find_column(t, op->column->name), "column", op->column->name);
        ag_column *c = ag_column_clone(a, op->column);
        fill_enum_values(s, c);
        AG_ARENA_PUSH(a, t->columns, t->ncolumns, t->columns_cap, c);
        return AG_OK;
    }
    case AG_OP_DROP_COLUMN:
        return drop_column(t, op, err);
    case AG_OP_ALTER_COLUMN:
        return alter_column(s, t, op, err);
    case AG_OP_RENAME_COLUMN:
        return rename_column(s, t, op, err);
    case AG_OP_CREATE_INDEX: {
        const ag_table *owner = index_owner(s, t->schema, op->index->name);
        if (owner)
            return ag_error_set(err, AG_EINVALID, "create_index: index '%s' already exists on '%s'",
                                op->index->name, owner->name);
        if (!columns_exist(t, &op->index->columns, op, err))
            return AG_EINVALID;
        AG_ARENA_PUSH(a, t->indexes, t->nindexes, t->indexes_cap, ag_index_clone(a, op->index));
        return AG_OK;
    }
    case AG_OP_DROP_INDEX:
        if (!ag_table_remove_index(t, op->index->name))
            return ag_error_set(err, AG_EINVALID, "drop_index: no index '%s' on '%s'",
                                op->index->name, t->name);
        return AG_OK;
    case AG_OP_ADD_UNIQUE:
        DUP_CHECK(ag_table_find_unique(t, op->unique->name), "unique constraint", op->unique->name);
        if (!columns_exist(t, &op->unique->columns, op, err))
            return AG_EINVALID;
        AG_ARENA_PUSH(a, t->uniques, t->nuniques, t->uniques_cap, ag_unique_clone(a, op->unique));
        return AG_OK;
    case AG_OP_DROP_UNIQUE:
        if (!ag_table_remove_unique(t, op->unique->name))
            return ag_error_set(err, AG_EINVALID, "drop_unique: no unique constraint '%s' on '%s'",
                                op->unique->name, t->name);
        return AG_OK;
    case AG_OP_ADD_CHECK:
        DUP_CHECK(ag_table_find_check(t, op->check->name), "check constraint", op->check->name);
        AG_ARENA_PUSH(a, t->checks, t->nchecks, t->checks_cap, ag_check_clone(a, op->check));
        return AG_OK;
    case AG_OP_DROP_CHECK:
        if (!ag_table_remove_check(t, op->check->name))
            return ag_error_set(err, AG_EINVALID, "drop_check: no check constraint '%s' on '%s'",
                                op->check->name, t->name);
        return AG_OK;
    case AG_OP_ADD_FK:
        DUP_CHECK(ag_table_find_fk(t, op->fk->name), "foreign key", op->fk->name);
        if (!columns_exist(t, &op->fk->columns, op, err))
            return AG_EINVALID;
        AG_ARENA_PUSH(a, t->fks, t->nfks, t->fks_cap, ag_fk_clone(a, op->fk));
        return AG_OK;
    case AG_OP_DROP_FK:
        if (!ag_table_remove_fk(t, op->fk->name))
            return ag_error_set(err, AG_EINVALID, "drop_foreign_key: no foreign key '%s' on '%s'",
                                op->fk->name, t->name);
        return AG_OK;
    case AG_OP_ALTER_FK: {
        ag_fk *f = ag_table_find_fk(t, op->fk->name);
        if (!f)
            return ag_error_set(err, AG_EINVALID, "alter_foreign_key: no foreign key '%s' on '%s'",
                                op->fk->name, t->name);
        f->defer = op->fk->defer;
        return AG_OK;
    }
    case AG_OP_ADD_PK:
        if (t->pk.columns.n)
            return ag_error_set(err, AG_EINVALID,
                                "create_primary_key: table '%s' already has a primary key; drop "
                                "it first",
                                t->name);
        if (!columns_exist(t, &op->pk->columns, op, err))
            return AG_EINVALID;
        t->pk.name = ag_arena_strdup(a, op->pk->name);
        ag_strs_clone(a, &t->pk.columns, &op->pk->columns);
        for (size_t i = 0; i < t->pk.columns.n; i++)
            ag_table_find_column(t, t->pk.columns.v[i])->nullable = false;
        return AG_OK;
    case AG_OP_DROP_PK:
        if (!t->pk.columns.n)
            return ag_error_set(err, AG_EINVALID, "drop_primary_key: table '%s' has no primary key",
                                t->name);
        t->pk.name = NULL;
        memset(&t->pk.columns, 0, sizeof(t->pk.columns));
        for (size_t i = 0; i < t->ncolumns; i++)
            t->columns[i]->autoincrement = false;
        return AG_OK;
    case AG_OP_TABLE_COMMENT:
        t->comment = ag_arena_strdup(a, op->name);
        return AG_OK;
    default:
        return ag_error_set(err, AG_EINVALID, "cannot apply operation %d", (int)op->kind);
    }
}
