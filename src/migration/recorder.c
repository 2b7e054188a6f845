/* recorder.c - the ag_* calls of <autogen/migration.h>.
 *
 * A compiled migration's upgrade()/downgrade() calls these; each appends one
 * op to the recorder's op list, in the same representation the diff engine
 * produces, so the runner renders both alike. Arguments are checked here
 * (names, types, actions); the first bad call is kept as the error and the
 * calls after it are ignored, so the migration fails as a whole.
 */
#include "../util/common.h"
#include "migfile.h"

/* The functions themselves, not the macros that note the caller's line. */
#define AG_MIGRATION_NO_LINES
#include <autogen/migration.h>

#include "../util/error.h"

#include <stdarg.h>
#include <stdio.h>

static bool failed(ag_op *op)
{
    return !op || op->failed;
}

static void fail(ag_op *op, const char *fn, const char *fmt, ...) AG_PRINTF(3, 4);
static void fail(ag_op *op, const char *fn, const char *fmt, ...)
{
    if (op->failed)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ag_error_set(&op->err, AG_EINVALID, "%s: %s: %s", op->file ? op->file : "migration", fn, msg);
    op->failed = true;
}

static bool need(ag_op *op, const char *fn, const char *what, const char *value)
{
    if (value && *value)
        return true;
    fail(op, fn, "%s is required", what);
    return false;
}

/* Push an op for "schema.table" or "table". */
static ag_opdef *push(ag_op *op, ag_op_kind kind, const char *table)
{
    const char *dot = table ? strchr(table, '.') : NULL;
    ag_opdef *o;
    if (dot) {
        char *t = ag_arena_strdup(&op->ops->arena, dot + 1);
        o = ag_oplist_push(op->ops, kind, t);
        o->schema = ag_arena_strndup(&op->ops->arena, table, (size_t)(dot - table));
    } else {
        o = ag_oplist_push(op->ops, kind, table);
    }
    o->line = op->line;
    return o;
}

/* More names than any table has columns (PostgreSQL allows 1600). */
#define AG_MAX_LIST 1600

static bool list(
    ag_op *op, const char *fn, const char *what, const char *const *in, ag_strs *out, bool required)
{
    size_t n = 0;
    if (in && ((uintptr_t)in % _Alignof(const char *) != 0)) {
        fail(op, fn, "%s is not a list of names: write AG_COLS(\"a\", \"b\")", what);
        return false;
    }
    for (; in && in[n]; n++) {
        /* A table item (AG_COL(...)) read as names starts with its kind, a
         * small number no string lives at. */
        if ((uintptr_t)in[n] < 4096 || n >= AG_MAX_LIST) {
            fail(op, fn, "%s is not a list of names: write AG_COLS(\"a\", \"b\")", what);
            return false;
        }
        if (!in[n][0]) {
            fail(op, fn, "empty name in %s", what);
            return false;
        }
        ag_strs_push_arena(&op->ops->arena, out, in[n]);
    }
    if (required && n == 0) {
        fail(op, fn, "%s must list at least one column", what);
        return false;
    }
    return true;
}

static bool parse_type(ag_op *op, const char *fn, const char *spec, ag_type *out)
{
    ag_arena *a = &op->ops->arena;
    if (!spec || !*spec) {
        fail(op, fn, "a column needs a type");
        return false;
    }
    if (ag_type_parse(a, spec, out))
        return true;
    const char *s = ag_type_suggest(a, spec);
    if (s)
        fail(op, fn, "unknown type '%s'; did you mean '%s'?", spec, s);
    else
        fail(op, fn, "unknown type '%s'", spec);
    return false;
}

static bool action(ag_op *op, const char *fn, const char *s, ag_fk_action *out)
{
    *out = AG_FK_NONE;
    if (!s)
        return true;
    if (ag_fk_action_parse(s, out))
        return true;
    fail(op, fn, "unknown action '%s'; use cascade, set null, set default, restrict or no action",
         s);
    return false;
}

static bool deferrability(ag_op *op, const char *fn, const char *s, ag_fk_defer *out)
{
    if (ag_fk_defer_parse(s, out))
        return true;
    fail(op, fn,
         "unknown deferrability '%s'; use \"deferred\", \"immediate\" or \"not deferrable\"", s);
    return false;
}

static ag_column *column(ag_op *op, const char *fn, const ag_column_def *def)
{
    if (!def) {
        fail(op, fn, "missing column definition");
        return NULL;
    }
    if (!need(op, fn, "a column name", def->name))
        return NULL;
    ag_arena *a = &op->ops->arena;
    ag_column *c = ag_arena_alloc(a, sizeof(*c));
    c->name = ag_arena_strdup(a, def->name);
    if (!parse_type(op, fn, def->type, &c->type))
        return NULL;
    c->nullable = !def->not_null && !def->primary_key;
    c->autoincrement = def->autoincrement != 0;
    c->default_sql = ag_arena_strdup(a, def->server_default);
    c->comment = ag_arena_strdup(a, def->comment);
    c->collation = ag_arena_strdup(a, def->collation);
    c->generated = ag_arena_strdup(a, def->generated);
    c->generated_stored = def->generated && def->stored;
    if (def->stored && !def->generated) {
        fail(op, fn, "column '%s': .stored goes with .generated", def->name);
        return NULL;
    }
    if (!list(op, fn, "values", def->values, &c->enum_values, false))
        return NULL;
    if (c->type.kind == AG_T_ENUM && !c->type.name) {
        fail(op, fn, "column '%s': write the enum's name, as in \"enum(status)\"", def->name);
        return NULL;
    }
    return c;
}

static ag_fk *fk_def(ag_op *op,
                     const char *fn,
                     const char *name,
                     const char *const *cols,
                     const char *ref_table,
                     const char *const *ref_cols,
                     const char *on_delete,
                     const char *on_update,
                     const char *initially)
{
    ag_arena *a = &op->ops->arena;
    if (!need(op, fn, "a foreign key name", name) ||
        !need(op, fn, "the referenced table", ref_table))
        return NULL;
    ag_fk *f = ag_arena_alloc(a, sizeof(*f));
    f->name = ag_arena_strdup(a, name);
    const char *dot = strchr(ref_table, '.');
    if (dot) {
        f->ref_schema = ag_arena_strndup(a, ref_table, (size_t)(dot - ref_table));
        f->ref_table = ag_arena_strdup(a, dot + 1);
    } else {
        f->ref_table = ag_arena_strdup(a, ref_table);
    }
    if (!list(op, fn, "the columns", cols, &f->columns, true) ||
        !list(op, fn, "the referenced columns", ref_cols, &f->ref_columns, true) ||
        !action(op, fn, on_delete, &f->on_delete) || !action(op, fn, on_update, &f->on_update) ||
        !deferrability(op, fn, initially, &f->defer))
        return NULL;
    if (f->columns.n != f->ref_columns.n) {
        fail(op, fn, "foreign key '%s' has %zu column(s) but references %zu", name, f->columns.n,
             f->ref_columns.n);
        return NULL;
    }
    return f;
}

ag_op *ag_op_line(ag_op *op, int line)
{
    if (op)
        op->line = line > 0 ? (unsigned)line : 0;
    return op;
}

const char *ag_dialect(ag_op *op)
{
    return op ? op->dialect : "";
}

/* Whether it can be an item at all: a misaligned pointer (a string passed
 * where AG_COL(...) belongs) is not read as one. */
static bool plausible_item(const ag_item *it)
{
    if ((uintptr_t)it % _Alignof(ag_item) != 0)
        return false;
    return it->kind >= AG_ITEM_COLUMN && it->kind <= AG_ITEM_OPTIONS;
}

/* The calls the older varargs form made: the items up to NULL. */
void(ag_create_table)(ag_op *op, const char *table, ...)
{
    const ag_item **items = NULL;
    size_t n = 0, cap = 0;
    va_list ap;
    va_start(ap, table);
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ag_xrealloc(items, cap * sizeof(*items));
        }
        if ((items[n++] = va_arg(ap, const ag_item *)) == NULL)
            break;
    }
    va_end(ap);
    ag_create_table_items(op, table, items);
    free(items);
}

void ag_create_table_items(ag_op *op, const char *table, const ag_item *const *items)
{
    static const char fn[] = "ag_create_table";
    if (failed(op) || !need(op, fn, "a table name", table))
        return;
    ag_arena *a = &op->ops->arena;
    ag_opdef *o = push(op, AG_OP_CREATE_TABLE, table);
    ag_table *t = ag_arena_alloc(a, sizeof(*t));
    t->name = o->table;
    t->schema = o->schema;
    o->tdef = t;
    const ag_item *it;
    bool named_pk = false;
    for (size_t k = 0; items && !op->failed && (it = items[k]) != NULL; k++) {
        if (!plausible_item(it)) {
            fail(op, fn,
                 "table '%s': item %zu is not a column or a constraint (AG_COL(...), "
                 "AG_PRIMARY_KEY(...), ...); end the list with NULL",
                 table, k + 1);
            break;
        }
        switch (it->kind) {
        case AG_ITEM_COLUMN: {
            ag_column *c = column(op, fn, it->column);
            if (!c)
                break;
            if (ag_table_find_column(t, c->name)) {
                fail(op, fn, "table '%s': duplicate column '%s'", table, c->name);
                break;
            }
            AG_ARENA_PUSH(a, t->columns, t->ncolumns, t->columns_cap, c);
            if (it->column->primary_key && !named_pk)
                ag_strs_push_arena(a, &t->pk.columns, c->name);
            break;
        }
        case AG_ITEM_PRIMARY_KEY:
            named_pk = true;
            memset(&t->pk.columns, 0, sizeof(t->pk.columns));
            t->pk.name = ag_arena_strdup(a, it->name);
            list(op, fn, "the primary key", it->columns, &t->pk.columns, true);
            break;
        case AG_ITEM_UNIQUE: {
            if (!need(op, fn, "a unique constraint name", it->name))
                break;
            ag_unique *u = ag_arena_alloc(a, sizeof(*u));
            u->name = ag_arena_strdup(a, it->name);
            if (it->initially && !deferrability(op, fn, it->initially, &u->defer))
                break;
            if (list(op, fn, "the unique constraint", it->columns, &u->columns, true))
                AG_ARENA_PUSH(a, t->uniques, t->nuniques, t->uniques_cap, u);
            break;
        }
        case AG_ITEM_CHECK: {
            if (!need(op, fn, "a check constraint name", it->name) ||
                !need(op, fn, "a check expression", it->expression))
                break;
            ag_check *c = ag_arena_alloc(a, sizeof(*c));
            c->name = ag_arena_strdup(a, it->name);
            c->expression = ag_arena_strdup(a, it->expression);
            AG_ARENA_PUSH(a, t->checks, t->nchecks, t->checks_cap, c);
            break;
        }
        case AG_ITEM_FOREIGN_KEY: {
            ag_fk *f = fk_def(op, fn, it->name, it->columns, it->ref_table, it->ref_columns,
                              it->on_delete, it->on_update, it->initially);
            if (f)
                AG_ARENA_PUSH(a, t->fks, t->nfks, t->fks_cap, f);
            break;
        }
        case AG_ITEM_OPTIONS:
            if (need(op, fn, "the table options", it->expression))
                t->options = ag_arena_strdup(a, it->expression);
            break;
        }
    }
    if (!op->failed && t->ncolumns == 0)
        fail(op, fn, "table '%s' has no columns", table);
    /* Primary-key columns are never nullable, whichever way the key was given. */
    for (size_t i = 0; !op->failed && i < t->pk.columns.n; i++) {
        ag_column *c = ag_table_find_column(t, t->pk.columns.v[i]);
        if (!c)
            fail(op, fn, "table '%s': primary key column '%s' is not a column", table,
                 t->pk.columns.v[i]);
        else
            c->nullable = false;
    }
}

void ag_drop_table(ag_op *op, const char *table)
{
    if (!failed(op) && need(op, "ag_drop_table", "a table name", table))
        push(op, AG_OP_DROP_TABLE, table);
}

void ag_rename_table(ag_op *op, const char *table, const char *new_name)
{
    static const char fn[] = "ag_rename_table";
    if (failed(op) || !need(op, fn, "a table name", table) || !need(op, fn, "a new name", new_name))
        return;
    ag_opdef *o = push(op, AG_OP_RENAME_TABLE, table);
    o->name = ag_arena_strdup(&op->ops->arena, new_name);
}

void ag_table_comment(ag_op *op, const char *table, const char *comment, const char *existing)
{
    if (failed(op) || !need(op, "ag_table_comment", "a table name", table))
        return;
    ag_opdef *o = push(op, AG_OP_TABLE_COMMENT, table);
    o->name = ag_arena_strdup(&op->ops->arena, comment);
    o->old_name = ag_arena_strdup(&op->ops->arena, existing);
}

void ag_add_column(ag_op *op, const char *table, const ag_column_def *def)
{
    static const char fn[] = "ag_add_column";
    if (failed(op) || !need(op, fn, "a table name", table))
        return;
    ag_column *c = column(op, fn, def);
    if (c)
        push(op, AG_OP_ADD_COLUMN, table)->column = c;
}

void ag_drop_column(ag_op *op, const char *table, const char *name)
{
    static const char fn[] = "ag_drop_column";
    if (failed(op) || !need(op, fn, "a table name", table) || !need(op, fn, "a column name", name))
        return;
    ag_column *c = ag_arena_alloc(&op->ops->arena, sizeof(*c));
    c->name = ag_arena_strdup(&op->ops->arena, name);
    c->nullable = true;
    push(op, AG_OP_DROP_COLUMN, table)->column = c;
}

void ag_alter_column(ag_op *op, const char *table, const char *name, const ag_alter_def *alter)
{
    static const char fn[] = "ag_alter_column";
    if (failed(op) || !need(op, fn, "a table name", table) || !need(op, fn, "a column name", name))
        return;
    if (!alter) {
        fail(op, fn, "say what changes with AG_ALTER(...)");
        return;
    }
    ag_arena *a = &op->ops->arena;
    ag_column *n = ag_arena_alloc(a, sizeof(*n)), *o = ag_arena_alloc(a, sizeof(*o));
    n->name = o->name = ag_arena_strdup(a, name);
    unsigned mask = 0;
    if (alter->existing_type && !parse_type(op, fn, alter->existing_type, &o->type))
        return;
    o->nullable = alter->existing_nullable != 0;
    o->default_sql = ag_arena_strdup(a, alter->existing_server_default);
    o->comment = ag_arena_strdup(a, alter->existing_comment);
    o->collation = ag_arena_strdup(a, alter->existing_collation);
    *n = *o;
    if (alter->type) {
        if (!parse_type(op, fn, alter->type, &n->type))
            return;
        memset(&n->enum_values, 0, sizeof(n->enum_values));
        if (!list(op, fn, "values", alter->values, &n->enum_values, false))
            return;
        mask |= AG_ALTER_TYPE;
    } else if (alter->values) {
        fail(op, fn, "column '%s.%s': .values needs the .type they belong to", table, name);
        return;
    }
    if (alter->nullable != AG_KEEP) {
        n->nullable = alter->nullable != 0;
        mask |= AG_ALTER_NULLABLE;
    }
    if (alter->server_default || alter->drop_default) {
        n->default_sql = alter->drop_default ? NULL : ag_arena_strdup(a, alter->server_default);
        mask |= AG_ALTER_DEFAULT;
    }
    if (alter->comment || alter->drop_comment) {
        n->comment = alter->drop_comment ? NULL : ag_arena_strdup(a, alter->comment);
        mask |= AG_ALTER_COMMENT;
    }
    if (alter->collation || alter->drop_collation) {
        n->collation = alter->drop_collation ? NULL : ag_arena_strdup(a, alter->collation);
        mask |= AG_ALTER_COLLATION;
    }
    if (!mask) {
        fail(op, fn, "column '%s.%s': AG_ALTER(...) changes nothing", table, name);
        return;
    }
    ag_opdef *d = push(op, AG_OP_ALTER_COLUMN, table);
    d->column = n;
    d->old_column = o;
    d->alter_mask = mask;
}

void ag_rename_column(ag_op *op, const char *table, const char *name, const char *new_name)
{
    static const char fn[] = "ag_rename_column";
    if (failed(op) || !need(op, fn, "a table name", table) ||
        !need(op, fn, "a column name", name) || !need(op, fn, "a new name", new_name))
        return;
    ag_opdef *o = push(op, AG_OP_RENAME_COLUMN, table);
    o->old_name = ag_arena_strdup(&op->ops->arena, name);
    o->name = ag_arena_strdup(&op->ops->arena, new_name);
}

void ag_create_index(ag_op *op,
                     const char *table,
                     const char *name,
                     const char *const *columns,
                     const ag_index_def *options)
{
    static const char fn[] = "ag_create_index";
    if (failed(op) || !need(op, fn, "a table name", table) || !need(op, fn, "an index name", name))
        return;
    ag_arena *a = &op->ops->arena;
    ag_index *x = ag_arena_alloc(a, sizeof(*x));
    x->name = ag_arena_strdup(a, name);
    if (options) {
        x->unique = options->unique != 0;
        x->where = ag_arena_strdup(a, options->where);
        x->expression = ag_arena_strdup(a, options->expression);
        x->method =
            options->method && options->method[0] ? ag_arena_strdup(a, options->method) : NULL;
        if (!list(op, fn, "the index's include", options->include, &x->include, false))
            return;
    }
    if (!list(op, fn, "the index", columns, &x->columns, !x->expression))
        return;
    if (x->expression && x->columns.n) {
        fail(op, fn, "index '%s': give columns or an expression, not both", name);
        return;
    }
    ag_opdef *o = push(op, AG_OP_CREATE_INDEX, table);
    o->index = x;
    if (options && options->concurrently)
        o->flags |= AG_OPF_CONCURRENTLY;
}

/* The drop calls carry names only: the runner reads definitions from the database. */
#define DROP_NAMED(fn_name, kind, type, field, what)                                               \
    void fn_name(ag_op *op, const char *table, const char *name)                                   \
    {                                                                                              \
        if (failed(op) || !need(op, #fn_name, "a table name", table) ||                            \
            !need(op, #fn_name, what, name))                                                       \
            return;                                                                                \
        type *x = ag_arena_alloc(&op->ops->arena, sizeof(*x));                                     \
        x->name = ag_arena_strdup(&op->ops->arena, name);                                          \
        push(op, kind, table)->field = x;                                                          \
    }

DROP_NAMED(ag_drop_index, AG_OP_DROP_INDEX, ag_index, index, "an index name")
DROP_NAMED(ag_drop_unique, AG_OP_DROP_UNIQUE, ag_unique, unique, "a constraint name")
DROP_NAMED(ag_drop_check, AG_OP_DROP_CHECK, ag_check, check, "a constraint name")
DROP_NAMED(ag_drop_foreign_key, AG_OP_DROP_FK, ag_fk, fk, "a constraint name")

void ag_drop_index_concurrently(ag_op *op, const char *table, const char *name)
{
    size_t n = op && op->ops ? op->ops->n : 0;
    ag_drop_index(op, table, name);
    if (op && op->ops && op->ops->n > n)
        op->ops->ops[n]->flags |= AG_OPF_CONCURRENTLY;
}

/* ag_create_unique and its deferrable form (initially NULL: not deferrable). */
static void add_unique(ag_op *op,
                       const char *fn,
                       const char *table,
                       const char *name,
                       const char *const *columns,
                       const char *initially)
{
    if (failed(op) || !need(op, fn, "a table name", table) ||
        !need(op, fn, "a constraint name", name))
        return;
    ag_unique *u = ag_arena_alloc(&op->ops->arena, sizeof(*u));
    u->name = ag_arena_strdup(&op->ops->arena, name);
    if ((!initially || deferrability(op, fn, initially, &u->defer)) &&
        list(op, fn, "the constraint", columns, &u->columns, true))
        push(op, AG_OP_ADD_UNIQUE, table)->unique = u;
}

void ag_create_unique(ag_op *op, const char *table, const char *name, const char *const *columns)
{
    add_unique(op, "ag_create_unique", table, name, columns, NULL);
}

void ag_create_deferrable_unique(ag_op *op,
                                 const char *table,
                                 const char *name,
                                 const char *const *columns,
                                 const char *initially)
{
    add_unique(op, "ag_create_deferrable_unique", table, name, columns, initially);
}

void ag_create_check(ag_op *op, const char *table, const char *name, const char *expression)
{
    static const char fn[] = "ag_create_check";
    if (failed(op) || !need(op, fn, "a table name", table) ||
        !need(op, fn, "a constraint name", name) || !need(op, fn, "an expression", expression))
        return;
    ag_check *c = ag_arena_alloc(&op->ops->arena, sizeof(*c));
    c->name = ag_arena_strdup(&op->ops->arena, name);
    c->expression = ag_arena_strdup(&op->ops->arena, expression);
    push(op, AG_OP_ADD_CHECK, table)->check = c;
}

void ag_create_foreign_key(ag_op *op,
                           const char *table,
                           const char *name,
                           const char *const *columns,
                           const char *ref_table,
                           const char *const *ref_columns,
                           const char *on_delete,
                           const char *on_update)
{
    static const char fn[] = "ag_create_foreign_key";
    if (failed(op) || !need(op, fn, "a table name", table))
        return;
    ag_fk *f = fk_def(op, fn, name, columns, ref_table, ref_columns, on_delete, on_update, NULL);
    if (f)
        push(op, AG_OP_ADD_FK, table)->fk = f;
}

void ag_create_deferrable_foreign_key(ag_op *op,
                                      const char *table,
                                      const char *name,
                                      const char *const *columns,
                                      const char *ref_table,
                                      const char *const *ref_columns,
                                      const char *on_delete,
                                      const char *on_update,
                                      const char *initially)
{
    static const char fn[] = "ag_create_deferrable_foreign_key";
    if (failed(op) || !need(op, fn, "a table name", table))
        return;
    ag_fk *f =
        fk_def(op, fn, name, columns, ref_table, ref_columns, on_delete, on_update, initially);
    if (f)
        push(op, AG_OP_ADD_FK, table)->fk = f;
}

/* Names and deferrability only: the key's definition stays as the database has it. */
void ag_alter_foreign_key(
    ag_op *op, const char *table, const char *name, const char *initially, const char *existing)
{
    static const char fn[] = "ag_alter_foreign_key";
    if (failed(op) || !need(op, fn, "a table name", table) ||
        !need(op, fn, "a foreign key name", name))
        return;
    ag_arena *a = &op->ops->arena;
    ag_fk *f = ag_arena_alloc(a, sizeof(*f)), *was = ag_arena_alloc(a, sizeof(*was));
    f->name = was->name = ag_arena_strdup(a, name);
    if (!deferrability(op, fn, initially, &f->defer) ||
        !deferrability(op, fn, existing, &was->defer))
        return;
    ag_opdef *o = push(op, AG_OP_ALTER_FK, table);
    o->fk = f;
    o->old_fk = was;
}

void ag_create_primary_key(ag_op *op,
                           const char *table,
                           const char *name,
                           const char *const *columns)
{
    static const char fn[] = "ag_create_primary_key";
    if (failed(op) || !need(op, fn, "a table name", table))
        return;
    ag_pk *p = ag_arena_alloc(&op->ops->arena, sizeof(*p));
    p->name = ag_arena_strdup(&op->ops->arena, name);
    if (list(op, fn, "the primary key", columns, &p->columns, true))
        push(op, AG_OP_ADD_PK, table)->pk = p;
}

void ag_drop_primary_key(ag_op *op, const char *table, const char *name)
{
    if (failed(op) || !need(op, "ag_drop_primary_key", "a table name", table))
        return;
    ag_pk *p = ag_arena_alloc(&op->ops->arena, sizeof(*p));
    p->name = ag_arena_strdup(&op->ops->arena, name);
    push(op, AG_OP_DROP_PK, table)->pk = p;
}

static ag_enum *enum_named(ag_op *op, const char *name)
{
    ag_enum *e = ag_arena_alloc(&op->ops->arena, sizeof(*e));
    const char *dot = strchr(name, '.');
    if (dot) {
        e->schema = ag_arena_strndup(&op->ops->arena, name, (size_t)(dot - name));
        e->name = ag_arena_strdup(&op->ops->arena, dot + 1);
    } else {
        e->name = ag_arena_strdup(&op->ops->arena, name);
    }
    return e;
}

/* An op of kind on enum `name` that carries its whole list of values. */
static void enum_with_values(
    ag_op *op, const char *fn, ag_op_kind kind, const char *name, const char *const *values)
{
    if (failed(op) || !need(op, fn, "an enum name", name))
        return;
    ag_enum *e = enum_named(op, name);
    if (!list(op, fn, "the values", values, &e->values, false))
        return;
    if (e->values.n == 0) {
        fail(op, fn, "enum '%s' needs at least one value", name);
        return;
    }
    ag_opdef *o = push(op, kind, NULL);
    o->enm = e;
    o->schema = e->schema;
}

void ag_create_enum(ag_op *op, const char *name, const char *const *values)
{
    enum_with_values(op, "ag_create_enum", AG_OP_CREATE_ENUM, name, values);
}

void ag_drop_enum(ag_op *op, const char *name)
{
    if (failed(op) || !need(op, "ag_drop_enum", "an enum name", name))
        return;
    ag_opdef *o = push(op, AG_OP_DROP_ENUM, NULL);
    o->enm = enum_named(op, name);
    o->schema = o->enm->schema;
}

void ag_add_enum_value(ag_op *op, const char *name, const char *value)
{
    static const char fn[] = "ag_add_enum_value";
    if (failed(op) || !need(op, fn, "an enum name", name) || !need(op, fn, "a value", value))
        return;
    ag_opdef *o = push(op, AG_OP_ADD_ENUM_VALUE, NULL);
    o->enm = enum_named(op, name);
    o->schema = o->enm->schema;
    o->name = ag_arena_strdup(&op->ops->arena, value);
}

void ag_add_enum_value_before(ag_op *op, const char *name, const char *value, const char *before)
{
    static const char fn[] = "ag_add_enum_value_before";
    if (failed(op) || !need(op, fn, "a value to go before", before))
        return;
    ag_add_enum_value(op, name, value);
    if (!failed(op))
        op->ops->ops[op->ops->n - 1]->old_name = ag_arena_strdup(&op->ops->arena, before);
}

void ag_alter_enum(ag_op *op, const char *name, const char *const *values)
{
    enum_with_values(op, "ag_alter_enum", AG_OP_ALTER_ENUM, name, values);
}

void ag_drop_enum_value(ag_op *op, const char *name, const char *value)
{
    static const char fn[] = "ag_drop_enum_value";
    if (failed(op) || !need(op, fn, "an enum name", name) || !need(op, fn, "a value", value))
        return;
    ag_opdef *o = push(op, AG_OP_DROP_ENUM_VALUE, NULL);
    o->enm = enum_named(op, name);
    o->schema = o->enm->schema;
    o->name = ag_arena_strdup(&op->ops->arena, value);
}

void ag_execute(ag_op *op, const char *sql)
{
    if (failed(op) || !need(op, "ag_execute", "SQL", sql))
        return;
    push(op, AG_OP_EXECUTE, NULL)->sql = ag_arena_strdup(&op->ops->arena, sql);
}

#define SYM(f)                                                                                     \
    {                                                                                              \
#f, (void *)f                                                                              \
    }
const ag_symbol ag_migration_symbols[] = {
    SYM(ag_dialect),
    SYM(ag_op_line),
    SYM(ag_create_table),
    SYM(ag_create_table_items),
    SYM(ag_drop_table),
    SYM(ag_rename_table),
    SYM(ag_table_comment),
    SYM(ag_add_column),
    SYM(ag_drop_column),
    SYM(ag_alter_column),
    SYM(ag_rename_column),
    SYM(ag_create_index),
    SYM(ag_drop_index),
    SYM(ag_drop_index_concurrently),
    SYM(ag_create_unique),
    SYM(ag_create_deferrable_unique),
    SYM(ag_drop_unique),
    SYM(ag_create_check),
    SYM(ag_drop_check),
    SYM(ag_create_foreign_key),
    SYM(ag_create_deferrable_foreign_key),
    SYM(ag_alter_foreign_key),
    SYM(ag_drop_foreign_key),
    SYM(ag_create_primary_key),
    SYM(ag_drop_primary_key),
    SYM(ag_create_enum),
    SYM(ag_drop_enum),
    SYM(ag_add_enum_value),
    SYM(ag_drop_enum_value),
    SYM(ag_add_enum_value_before),
    SYM(ag_alter_enum),
    SYM(ag_execute),
};
const size_t ag_migration_nsymbols = AG_NELEM(ag_migration_symbols);
