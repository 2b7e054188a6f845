/* sqlite_render.c - ops to SQLite SQL, including the table rebuild.
 *
 * SQLite's ALTER TABLE can add, drop and rename a column and rename a
 * table; everything else (a type, nullability, a default, constraints,
 * foreign keys) is a rebuild: create the new table, copy every row, drop the
 * old one, rename the new one, recreate its indexes. The new table is the
 * old one with the op applied (ag_schema_apply), so rendering and replaying
 * can never disagree. Statements are deterministic text: a table created
 * here and rebuilt back later reads byte for byte the same in sqlite_master.
 */
#include "../util/common.h"
#include "sqlite_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <ctype.h>
#include <strings.h>

const char *ag_sqlite__type_sql(ag_arena *a, const ag_type *t)
{
    switch (t->kind) {
    case AG_T_SMALLINT:
        return "SMALLINT";
    case AG_T_INTEGER:
        return "INTEGER";
    case AG_T_BIGINT:
        return "BIGINT";
    case AG_T_DECIMAL:
        return t->precision ? ag_arena_printf(a, "NUMERIC(%d,%d)", t->precision, t->scale)
                            : "NUMERIC";
    case AG_T_REAL:
        return "REAL";
    case AG_T_DOUBLE:
        return "DOUBLE";
    case AG_T_BOOLEAN:
        return "BOOLEAN";
    case AG_T_CHAR:
        return t->length ? ag_arena_printf(a, "CHAR(%d)", t->length) : "CHAR";
    case AG_T_STRING:
        return t->length ? ag_arena_printf(a, "VARCHAR(%d)", t->length) : "VARCHAR";
    case AG_T_DATE:
        return "DATE";
    case AG_T_TIME:
        return "TIME";
    case AG_T_TIMESTAMP:
        return "TIMESTAMP";
    case AG_T_TIMESTAMPTZ:
        return "TIMESTAMPTZ";
    case AG_T_BINARY:
        return "BLOB";
    case AG_T_SQL:
        return t->name ? t->name : "";
    case AG_T_TEXT:
    case AG_T_INTERVAL:
    case AG_T_UUID:
    case AG_T_JSON:
    case AG_T_JSONB:
    case AG_T_ENUM:
    case AG_T_UNKNOWN:
        break;
    }
    return "TEXT";
}

/* SQLite matches collation names in any case, and BINARY is what a column
 * without COLLATE compares by. */
bool ag_sqlite__collation_same(const char *a, const char *b)
{
    if (a && strcasecmp(a, "BINARY") == 0)
        a = NULL;
    if (b && strcasecmp(b, "BINARY") == 0)
        b = NULL;
    return (!a && !b) || (a && b && strcasecmp(a, b) == 0);
}

void ag_sqlite__type_reduce(ag_type *t)
{
    switch (t->kind) {
    case AG_T_SMALLINT:
    case AG_T_BIGINT:
        t->kind = AG_T_INTEGER;
        break;
    case AG_T_UUID:
    case AG_T_JSON:
    case AG_T_JSONB:
    case AG_T_INTERVAL:
        t->kind = AG_T_TEXT;
        break;
    case AG_T_TIMESTAMPTZ: /* SQLite keeps no time zone: one TEXT or number either way */
        t->kind = AG_T_TIMESTAMP;
        break;
    default:
        break;
    }
}

/* A default SQLite takes bare: a number, a string, a blob, or a keyword. */
static bool bare_default(const char *s)
{
    static const char *const kw[] = { "NULL",         "TRUE",         "FALSE",
                                      "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP" };
    for (size_t i = 0; i < AG_NELEM(kw); i++)
        if (strcasecmp(s, kw[i]) == 0)
            return true;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        char *end;
        (void)strtod(p, &end);
        return *end == '\0';
    }
    if (*s == '\'') {
        /* one string literal, '' escapes inside */
        const char *q = s + 1;
        for (;;) {
            if (*q == '\0')
                return false;
            if (*q == '\'') {
                if (q[1] == '\'') {
                    q += 2;
                    continue;
                }
                return q[1] == '\0';
            }
            q++;
        }
    }
    return false;
}

/* A default that ALTER TABLE ADD COLUMN accepts (a constant). */
static bool constant_default(const char *s)
{
    return bare_default(s) && strncasecmp(s, "CURRENT_", 8) != 0;
}

static void
column_def(ag_buf *b, ag_arena *a, const ag_table *t, const ag_column *c, bool inline_pk)
{
    ag_buf_quote_ident(b, c->name);
    if (inline_pk) {
        ag_buf_puts(b, " INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT");
    } else {
        const char *ty = ag_sqlite__type_sql(a, &c->type);
        if (*ty) {
            ag_buf_putc(b, ' ');
            ag_buf_puts(b, ty);
        }
        if (!c->nullable)
            ag_buf_puts(b, " NOT NULL");
    }
    if (c->collation) {
        ag_buf_puts(b, " COLLATE ");
        ag_buf_quote_ident(b, c->collation);
    }
    if (c->generated) {
        ag_buf_printf(b, " GENERATED ALWAYS AS (%s) %s", c->generated,
                      c->generated_stored ? "STORED" : "VIRTUAL");
        return;
    }
    if (c->default_sql) {
        if (bare_default(c->default_sql))
            ag_buf_printf(b, " DEFAULT %s", c->default_sql);
        else
            ag_buf_printf(b, " DEFAULT (%s)", c->default_sql);
    }
    if (c->type.kind == AG_T_ENUM && c->enum_values.n) {
        ag_buf_puts(b, " CONSTRAINT ");
        ag_buf_quote_ident(b, c->type.name ? c->type.name : c->name);
        ag_buf_puts(b, " CHECK (");
        ag_buf_quote_ident(b, c->name);
        ag_buf_puts(b, " IN (");
        for (size_t i = 0; i < c->enum_values.n; i++) {
            if (i)
                ag_buf_puts(b, ", ");
            ag_buf_quote_literal(b, c->enum_values.v[i]);
        }
        ag_buf_puts(b, "))");
    }
    AG_UNUSED(t);
}

static void ident_list(ag_buf *b, const ag_strs *l)
{
    ag_buf_putc(b, '(');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ag_buf_puts(b, ", ");
        ag_buf_quote_ident(b, l->v[i]);
    }
    ag_buf_putc(b, ')');
}

/* The single autoincrement column, when the key is just that column. */
static const ag_column *autoinc_column(const ag_table *t)
{
    if (t->pk.columns.n != 1)
        return NULL;
    const ag_column *c = ag_table_find_column(t, t->pk.columns.v[0]);
    return c && c->autoincrement ? c : NULL;
}

static const char *create_table_sql(ag_arena *a, const ag_table *t, const char *name)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "CREATE TABLE ");
    ag_buf_quote_ident(&b, name);
    ag_buf_puts(&b, " (");
    const ag_column *ai = autoinc_column(t);
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            ag_buf_puts(&b, ", ");
        column_def(&b, a, t, t->columns[i], t->columns[i] == ai);
    }
    if (t->pk.columns.n && !ai) {
        ag_buf_puts(&b, ", ");
        if (t->pk.name) {
            ag_buf_puts(&b, "CONSTRAINT ");
            ag_buf_quote_ident(&b, t->pk.name);
            ag_buf_putc(&b, ' ');
        }
        ag_buf_puts(&b, "PRIMARY KEY ");
        ident_list(&b, &t->pk.columns);
    }
    for (size_t i = 0; i < t->nuniques; i++) {
        ag_buf_puts(&b, ", CONSTRAINT ");
        ag_buf_quote_ident(&b, t->uniques[i]->name);
        ag_buf_puts(&b, " UNIQUE ");
        ident_list(&b, &t->uniques[i]->columns);
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        ag_buf_puts(&b, ", CONSTRAINT ");
        ag_buf_quote_ident(&b, t->checks[i]->name);
        ag_buf_printf(&b, " CHECK (%s)", t->checks[i]->expression);
    }
    for (size_t i = 0; i < t->nfks; i++) {
        const ag_fk *f = t->fks[i];
        ag_buf_puts(&b, ", CONSTRAINT ");
        ag_buf_quote_ident(&b, f->name);
        ag_buf_puts(&b, " FOREIGN KEY ");
        ident_list(&b, &f->columns);
        ag_buf_puts(&b, " REFERENCES ");
        ag_buf_quote_ident(&b, f->ref_table);
        ag_buf_putc(&b, ' ');
        ident_list(&b, &f->ref_columns);
        if (f->on_delete != AG_FK_NONE)
            ag_buf_printf(&b, " ON DELETE %s", ag_fk_action_sql(f->on_delete));
        if (f->on_update != AG_FK_NONE)
            ag_buf_printf(&b, " ON UPDATE %s", ag_fk_action_sql(f->on_update));
        if (f->defer != AG_FK_NOT_DEFERRABLE)
            ag_buf_printf(&b, " %s", ag_fk_defer_sql(f->defer));
    }
    ag_buf_putc(&b, ')');
    if (t->options)
        ag_buf_printf(&b, " %s", t->options);
    const char *r = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return r;
}

static const char *create_index_sql(ag_arena *a, const char *table, const ag_index *x)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, x->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    ag_buf_quote_ident(&b, x->name);
    ag_buf_puts(&b, " ON ");
    ag_buf_quote_ident(&b, table);
    ag_buf_putc(&b, ' ');
    if (x->expression)
        ag_buf_printf(&b, "(%s)", x->expression);
    else
        ident_list(&b, &x->columns);
    if (x->where)
        ag_buf_printf(&b, " WHERE %s", x->where);
    const char *r = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return r;
}

/* SQLite has one kind of index and no INCLUDE columns: a model asking for
 * either is refused rather than built as something else. */
/* SQLite's UNIQUE takes no DEFERRABLE: a deferrable one is refused, never
 * built as one checked at each statement. */
static int unique_supported(const char *table, const ag_unique *u, ag_error *err)
{
    if (u->defer == AG_FK_NOT_DEFERRABLE)
        return AG_OK;
    return ag_error_set_at(err, AG_EINVALID, u->loc.file, u->loc.line, u->loc.col,
                           "unique constraint '%s' on '%s': SQLite's unique constraints are "
                           "checked at each statement, never deferred; make it not deferrable or "
                           "use PostgreSQL",
                           u->name, table);
}

static int index_supported(const char *table, const ag_index *x, ag_error *err)
{
    if (!x->method && !x->include.n)
        return AG_OK;
    return ag_error_set_at(err, AG_EINVALID, x->loc.file, x->loc.line, x->loc.col,
                           "index '%s' on '%s': SQLite has %s; remove it from the index or use "
                           "PostgreSQL",
                           x->name, table,
                           x->method ? "no index access methods ('using:')"
                                     : "no INCLUDE columns ('include:')");
}

static const char *quoted(ag_arena *a, const char *prefix, const char *name, const char *suffix)
{
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, prefix);
    ag_buf_quote_ident(&b, name);
    ag_buf_puts(&b, suffix);
    const char *r = ag_arena_strdup(a, b.ptr);
    ag_buf_dispose(&b);
    return r;
}

/* hit[i]: state's object i must be dropped before a rebuild of `table` and
 * recreated after it (SQLite's ALTER TABLE procedure): the views that use the
 * table, the views over those, and so on; the triggers on any of them (DROP
 * TABLE and DROP VIEW take those along) or that name any of them (the final
 * RENAME would refuse a trigger or view that names a missing table). */
static void dependents(ag_arena *a, const ag_schema *state, const char *table, bool *hit)
{
    ag_strs names = { 0 };
    ag_strs_push_arena(a, &names, table);
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < state->nobjects; i++) {
            const ag_sqlobj *o = state->objects[i];
            for (size_t k = 0; !hit[i] && o->kind == AG_OBJ_VIEW && k < names.n; k++)
                if (ag_sqlite__mentions(o->sql, names.v[k])) {
                    hit[i] = grew = true;
                    ag_strs_push_arena(a, &names, o->name);
                }
        }
    }
    for (size_t i = 0; i < state->nobjects; i++) {
        const ag_sqlobj *o = state->objects[i];
        for (size_t k = 0; !hit[i] && o->kind == AG_OBJ_TRIGGER && k < names.n; k++)
            hit[i] =
                strcasecmp(o->table, names.v[k]) == 0 || ag_sqlite__mentions(o->sql, names.v[k]);
    }
}

/* A script replayed from the migrations knows only the views and triggers
 * they created: before it rebuilds `table`, it rolls the migration back if the
 * database has a trigger on the table, or a view or trigger that mentions it,
 * that the script does not know (dropping the table would lose the one, the
 * rename would fail on the other). */
static void
unknown_objects_guard(ag_arena *a, const ag_schema *state, const char *table, ag_strs *out)
{
    ag_strs_push_arena(a, out,
                       "CREATE TEMP TABLE IF NOT EXISTS _ag_object_check "
                       "(unknown_views_or_triggers INTEGER CHECK (unknown_views_or_triggers = 0))");
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "INSERT OR ROLLBACK INTO _ag_object_check SELECT count(*) FROM sqlite_master "
                    "WHERE type IN ('view', 'trigger') AND lower(name) NOT IN (");
    for (size_t i = 0; i < state->nobjects; i++) {
        ag_buf_puts(&b, i ? ", lower(" : "lower(");
        ag_buf_quote_literal(&b, state->objects[i]->name);
        ag_buf_putc(&b, ')');
    }
    ag_buf_puts(&b, ") AND ((type = 'trigger' AND lower(tbl_name) = lower(");
    ag_buf_quote_literal(&b, table);
    ag_buf_puts(&b, ")) OR sql LIKE ");
    ag_buf_quote_literal(&b, ag_arena_printf(a, "%%%s%%", table));
    ag_buf_putc(&b, ')');
    ag_strs_push_arena(a, out, ag_buf_cstr(&b));
    ag_buf_dispose(&b);
}

/* Rebuild `old` (as in the database, whose schema is state) into `neu`,
 * keeping every row and the views and triggers that depend on it. */
static void
rebuild(ag_arena *a, const ag_schema *state, const ag_table *old, const ag_table *neu, ag_strs *out)
{
    bool *hit = ag_arena_alloc(a, (state->nobjects + 1) * sizeof(*hit));
    dependents(a, state, old->name, hit);
    if (!state->objects_complete)
        unknown_objects_guard(a, state, old->name, out);
    /* Dependents first: a trigger on a view was created after the view. */
    for (size_t i = state->nobjects; i-- > 0;)
        if (hit[i])
            ag_strs_push_arena(
                a, out,
                quoted(a, state->objects[i]->kind == AG_OBJ_VIEW ? "DROP VIEW " : "DROP TRIGGER ",
                       state->objects[i]->name, ""));
    const char *tmp = ag_arena_printf(a, "_ag_new_%s", neu->name);
    ag_strs_push_arena(a, out, create_table_sql(a, neu, tmp));
    ag_buf cols = AG_BUF_INIT, vals = AG_BUF_INIT;
    size_t copied = 0;
    for (size_t i = 0; i < neu->ncolumns; i++) {
        const ag_column *c = neu->columns[i];
        const ag_column *was = ag_table_find_column(old, c->name);
        if (!was || c->generated || was->generated) /* SQLite computes those */
            continue;
        if (copied++) {
            ag_buf_puts(&cols, ", ");
            ag_buf_puts(&vals, ", ");
        }
        ag_buf_quote_ident(&cols, c->name);
        if (!c->nullable && was->nullable && c->default_sql) {
            ag_buf_puts(&vals, "COALESCE(");
            ag_buf_quote_ident(&vals, c->name);
            ag_buf_printf(&vals, ", %s)", c->default_sql);
        } else {
            ag_buf_quote_ident(&vals, c->name);
        }
    }
    if (copied) {
        ag_buf ins = AG_BUF_INIT;
        ag_buf_puts(&ins, "INSERT INTO ");
        ag_buf_quote_ident(&ins, tmp);
        ag_buf_printf(&ins, " (%s) SELECT %s FROM ", cols.ptr, vals.ptr);
        ag_buf_quote_ident(&ins, old->name);
        ag_strs_push_arena(a, out, ins.ptr);
        ag_buf_dispose(&ins);
    }
    ag_buf_dispose(&cols);
    ag_buf_dispose(&vals);
    ag_strs_push_arena(a, out, quoted(a, "DROP TABLE ", old->name, ""));
    ag_buf ren = AG_BUF_INIT;
    ag_buf_puts(&ren, "ALTER TABLE ");
    ag_buf_quote_ident(&ren, tmp);
    ag_buf_puts(&ren, " RENAME TO ");
    ag_buf_quote_ident(&ren, neu->name);
    ag_strs_push_arena(a, out, ren.ptr);
    ag_buf_dispose(&ren);
    for (size_t i = 0; i < neu->nindexes; i++)
        ag_strs_push_arena(a, out, create_index_sql(a, neu->name, neu->indexes[i]));
    for (size_t i = 0; i < state->nobjects; i++)
        if (hit[i])
            ag_strs_push_arena(a, out, state->objects[i]->sql);
}

static bool uses_enum(const ag_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i]->type.kind == AG_T_ENUM && t->columns[i]->type.name &&
            strcmp(t->columns[i]->type.name, name) == 0)
            return true;
    return false;
}

/* A scratch copy of what op touches in state (its table, or the tables using its
 * enum, and the enums), with op applied. Copying only that keeps a long run of
 * migrations linear in the size of the schema. */
static int applied(const ag_schema *state, const ag_opdef *op, ag_schema **out, ag_error *err)
{
    ag_schema *s = ag_schema_new();
    bool enum_op = op->kind == AG_OP_ADD_ENUM_VALUE || op->kind == AG_OP_DROP_ENUM_VALUE ||
                   op->kind == AG_OP_ALTER_ENUM;
    for (size_t i = 0; i < state->ntables; i++) {
        const ag_table *t = state->tables[i];
        bool wanted =
            enum_op ? uses_enum(t, op->enm->name) : op->table && strcmp(t->name, op->table) == 0;
        if (wanted)
            AG_ARENA_PUSH(&s->arena, s->tables, s->ntables, s->tables_cap,
                          ag_table_clone(&s->arena, t));
    }
    for (size_t i = 0; i < state->nenums; i++)
        AG_ARENA_PUSH(&s->arena, s->enums, s->nenums, s->enums_cap,
                      ag_enum_clone(&s->arena, state->enums[i]));
    int rc = ag_schema_apply(s, op, err);
    if (rc != AG_OK) {
        ag_schema_free(s);
        return rc;
    }
    *out = s;
    return AG_OK;
}

static int
rebuild_table(ag_arena *a, const ag_schema *state, const ag_opdef *op, ag_strs *out, ag_error *err)
{
    const ag_table *old = ag_schema_find_table(state, op->table);
    if (!old)
        return ag_error_set(err, AG_EINVALID, "%s: no table '%s' in the database",
                            ag_op_kind_name(op->kind), op->table);
    ag_schema *s = NULL;
    int rc = applied(state, op, &s, err);
    if (rc != AG_OK)
        return rc;
    rebuild(a, state, old, ag_schema_find_table(s, op->table), out);
    ag_schema_free(s);
    return AG_OK;
}

static bool column_in_use(const ag_table *t, const char *name)
{
    if (ag_strs_contains(&t->pk.columns, name))
        return true;
    for (size_t i = 0; i < t->nindexes; i++)
        if (ag_strs_contains(&t->indexes[i]->columns, name) ||
            (t->indexes[i]->expression && strstr(t->indexes[i]->expression, name)) ||
            (t->indexes[i]->where && strstr(t->indexes[i]->where, name)))
            return true;
    for (size_t i = 0; i < t->nuniques; i++)
        if (ag_strs_contains(&t->uniques[i]->columns, name))
            return true;
    for (size_t i = 0; i < t->nfks; i++)
        if (ag_strs_contains(&t->fks[i]->columns, name))
            return true;
    for (size_t i = 0; i < t->nchecks; i++)
        if (strstr(t->checks[i]->expression, name))
            return true;
    return false;
}

int ag_sqlite__render(
    ag_arena *a, const ag_schema *state, const ag_opdef *op, ag_strs *out, ag_error *err)
{
    const ag_table *t = op->table ? ag_schema_find_table(state, op->table) : NULL;
    switch (op->kind) {
    case AG_OP_CREATE_ENUM:
    case AG_OP_DROP_ENUM:
    case AG_OP_TABLE_COMMENT:
        return AG_OK; /* SQLite has no enum types and no comments */
    case AG_OP_EXECUTE:
        ag_strs_push_arena(a, out, op->sql);
        return AG_OK;
    case AG_OP_ADD_ENUM_VALUE:
    case AG_OP_DROP_ENUM_VALUE:
    case AG_OP_ALTER_ENUM: {
        /* Every table with a column of that enum gets its CHECK rewritten. */
        ag_schema *s = NULL;
        int rc = applied(state, op, &s, err);
        if (rc != AG_OK)
            return rc;
        for (size_t k = 0; k < state->ntables; k++) {
            const ag_table *old = state->tables[k];
            if (uses_enum(old, op->enm->name))
                rebuild(a, state, old, ag_schema_find_table(s, old->name), out);
        }
        ag_schema_free(s);
        return AG_OK;
    }
    case AG_OP_CREATE_TABLE:
        if (!op->tdef)
            return ag_error_set(err, AG_EINVALID, "create_table '%s' has no definition", op->table);
        for (size_t i = 0; i < op->tdef->nindexes; i++) {
            int rc = index_supported(op->table, op->tdef->indexes[i], err);
            if (rc != AG_OK)
                return rc;
        }
        for (size_t i = 0; i < op->tdef->nuniques; i++) {
            int rc = unique_supported(op->table, op->tdef->uniques[i], err);
            if (rc != AG_OK)
                return rc;
        }
        {
            /* Enum values may come from the schema rather than the column. */
            ag_schema *s = NULL;
            int rc = applied(state, op, &s, err);
            if (rc != AG_OK)
                return rc;
            const ag_table *nt = ag_schema_find_table(s, op->table);
            ag_strs_push_arena(a, out, create_table_sql(a, nt, nt->name));
            for (size_t i = 0; i < nt->nindexes; i++)
                ag_strs_push_arena(a, out, create_index_sql(a, nt->name, nt->indexes[i]));
            ag_schema_free(s);
        }
        return AG_OK;
    case AG_OP_DROP_TABLE:
        ag_strs_push_arena(a, out, quoted(a, "DROP TABLE ", op->table, ""));
        return AG_OK;
    case AG_OP_RENAME_TABLE: {
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "ALTER TABLE ");
        ag_buf_quote_ident(&b, op->table);
        ag_buf_puts(&b, " RENAME TO ");
        ag_buf_quote_ident(&b, op->name);
        ag_strs_push_arena(a, out, b.ptr);
        ag_buf_dispose(&b);
        return AG_OK;
    }
    default:
        break;
    }
    if (!t)
        return ag_error_set(err, AG_EINVALID, "%s: no table '%s' in the database",
                            ag_op_kind_name(op->kind), op->table ? op->table : "");
    switch (op->kind) {
    case AG_OP_ADD_COLUMN: {
        const ag_column *c = op->column;
        /* ALTER TABLE ADD COLUMN takes a VIRTUAL generated column, not a STORED one. */
        bool in_place =
            c->type.kind != AG_T_ENUM && !c->autoincrement &&
            (!c->generated || (!c->generated_stored && c->nullable)) &&
            (!c->default_sql || constant_default(c->default_sql)) &&
            (c->nullable || (c->default_sql && strcasecmp(c->default_sql, "NULL") != 0));
        if (!in_place)
            return rebuild_table(a, state, op, out, err);
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "ALTER TABLE ");
        ag_buf_quote_ident(&b, op->table);
        ag_buf_puts(&b, " ADD COLUMN ");
        column_def(&b, a, t, c, false);
        ag_strs_push_arena(a, out, b.ptr);
        ag_buf_dispose(&b);
        return AG_OK;
    }
    case AG_OP_DROP_COLUMN: {
        const ag_column *c = ag_table_find_column(t, op->column->name);
        if (!c)
            return ag_error_set(err, AG_EINVALID, "drop_column: no column '%s.%s'", op->table,
                                op->column->name);
        if (column_in_use(t, c->name) || t->ncolumns == 1)
            return rebuild_table(a, state, op, out, err);
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "ALTER TABLE ");
        ag_buf_quote_ident(&b, op->table);
        ag_buf_puts(&b, " DROP COLUMN ");
        ag_buf_quote_ident(&b, c->name);
        ag_strs_push_arena(a, out, b.ptr);
        ag_buf_dispose(&b);
        return AG_OK;
    }
    case AG_OP_RENAME_COLUMN: {
        if (!ag_table_find_column(t, op->old_name))
            return ag_error_set(err, AG_EINVALID, "rename_column: no column '%s.%s'", op->table,
                                op->old_name);
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, "ALTER TABLE ");
        ag_buf_quote_ident(&b, op->table);
        ag_buf_puts(&b, " RENAME COLUMN ");
        ag_buf_quote_ident(&b, op->old_name);
        ag_buf_puts(&b, " TO ");
        ag_buf_quote_ident(&b, op->name);
        ag_strs_push_arena(a, out, b.ptr);
        ag_buf_dispose(&b);
        return AG_OK;
    }
    case AG_OP_CREATE_INDEX: {
        int rc = index_supported(op->table, op->index, err);
        if (rc != AG_OK)
            return rc;
    }
        ag_strs_push_arena(a, out, create_index_sql(a, op->table, op->index));
        return AG_OK;
    case AG_OP_DROP_INDEX:
        ag_strs_push_arena(a, out, quoted(a, "DROP INDEX ", op->index->name, ""));
        return AG_OK;
    case AG_OP_ADD_UNIQUE: {
        int rc = unique_supported(op->table, op->unique, err);
        if (rc != AG_OK)
            return rc;
        return rebuild_table(a, state, op, out, err);
    }
    case AG_OP_ALTER_COLUMN:
    case AG_OP_DROP_UNIQUE:
    case AG_OP_ADD_CHECK:
    case AG_OP_DROP_CHECK:
    case AG_OP_ADD_FK:
    case AG_OP_DROP_FK:
    case AG_OP_ALTER_FK:
    case AG_OP_ADD_PK:
    case AG_OP_DROP_PK:
        return rebuild_table(a, state, op, out, err);
    default:
        return ag_error_set(err, AG_EINVALID, "sqlite: cannot render %s",
                            ag_op_kind_name(op->kind));
    }
}
