/* schema.c - construction, lookup, removal and copying of schema nodes. */
#include "schema.h"
#include "../util/common.h"

#include <strings.h>

ag_schema *ag_schema_new(void)
{
    ag_schema *s = ag_xcalloc(1, sizeof(*s));
    return s;
}

void ag_schema_free(ag_schema *s)
{
    if (!s)
        return;
    ag_arena_release(&s->arena);
    free(s);
}

#define NEW_NODE(type, arena, vec, n, cap, nm)                                                     \
    do {                                                                                           \
        type *node_ = ag_arena_alloc((arena), sizeof(type));                                       \
        node_->name = ag_arena_strdup((arena), (nm));                                              \
        AG_ARENA_PUSH((arena), (vec), (n), (cap), node_);                                          \
        return node_;                                                                              \
    } while (0)

ag_table *ag_schema_add_table(ag_schema *s, const char *name)
{
    NEW_NODE(ag_table, &s->arena, s->tables, s->ntables, s->tables_cap, name);
}

ag_enum *ag_schema_add_enum(ag_schema *s, const char *name)
{
    NEW_NODE(ag_enum, &s->arena, s->enums, s->nenums, s->enums_cap, name);
}

ag_sqlobj *ag_schema_add_object(
    ag_schema *s, ag_sqlobj_kind kind, const char *name, const char *table, const char *sql)
{
    ag_sqlobj *o = ag_arena_alloc(&s->arena, sizeof(*o));
    o->kind = kind;
    o->name = ag_arena_strdup(&s->arena, name);
    o->table = ag_arena_strdup(&s->arena, table);
    o->sql = ag_arena_strdup(&s->arena, sql);
    AG_ARENA_PUSH(&s->arena, s->objects, s->nobjects, s->objects_cap, o);
    return o;
}

ag_column *ag_table_add_column(ag_schema *s, ag_table *t, const char *name)
{
    ag_column *c = ag_arena_alloc(&s->arena, sizeof(*c));
    c->name = ag_arena_strdup(&s->arena, name);
    c->nullable = true;
    AG_ARENA_PUSH(&s->arena, t->columns, t->ncolumns, t->columns_cap, c);
    return c;
}

ag_index *ag_table_add_index(ag_schema *s, ag_table *t, const char *name)
{
    NEW_NODE(ag_index, &s->arena, t->indexes, t->nindexes, t->indexes_cap, name);
}

ag_unique *ag_table_add_unique(ag_schema *s, ag_table *t, const char *name)
{
    NEW_NODE(ag_unique, &s->arena, t->uniques, t->nuniques, t->uniques_cap, name);
}

ag_check *ag_table_add_check(ag_schema *s, ag_table *t, const char *name)
{
    NEW_NODE(ag_check, &s->arena, t->checks, t->nchecks, t->checks_cap, name);
}

ag_fk *ag_table_add_fk(ag_schema *s, ag_table *t, const char *name)
{
    NEW_NODE(ag_fk, &s->arena, t->fks, t->nfks, t->fks_cap, name);
}

void ag_strs_push_arena(ag_arena *a, ag_strs *l, const char *str)
{
    AG_ARENA_PUSH(a, l->v, l->n, l->cap, ag_arena_strdup(a, str));
}

void ag_strs_push(ag_schema *s, ag_strs *l, const char *str)
{
    ag_strs_push_arena(&s->arena, l, str);
}

bool ag_strs_equal(const ag_strs *a, const ag_strs *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

bool ag_strs_contains(const ag_strs *l, const char *str)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], str) == 0)
            return true;
    return false;
}

bool ag_strs_same_set(const ag_strs *a, const ag_strs *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!ag_strs_contains(b, a->v[i]))
            return false;
    return true;
}

const char *ag_strs_join(ag_arena *a, const ag_strs *l, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + seplen;
    char *out = ag_arena_alloc(a, len), *p = out;
    for (size_t i = 0; i < l->n; i++) {
        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        size_t k = strlen(l->v[i]);
        memcpy(p, l->v[i], k);
        p += k;
    }
    *p = '\0';
    return out;
}

#define FIND(vec, n, nm)                                                                           \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            if (strcmp((vec)[i_]->name, (nm)) == 0)                                                \
                return (vec)[i_];                                                                  \
        return NULL;                                                                               \
    } while (0)

ag_table *ag_schema_find_table(const ag_schema *s, const char *name)
{
    FIND(s->tables, s->ntables, name);
}

ag_table *ag_schema_find_table_exact(const ag_schema *s, const char *schema, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i]->name, name) == 0 && ag_str_eq(s->tables[i]->schema, schema))
            return s->tables[i];
    return NULL;
}

ag_table *ag_schema_find_table_in(const ag_schema *s, const char *schema, const char *name)
{
    ag_table *only = NULL;
    for (size_t i = 0; i < s->ntables; i++) {
        ag_table *t = s->tables[i];
        if (strcmp(t->name, name) != 0)
            continue;
        if (ag_str_eq(t->schema, schema))
            return t;
        if (only)
            return NULL; /* several of that name, none in that schema */
        only = t;
    }
    return only;
}

ag_enum *ag_schema_find_enum(const ag_schema *s, const char *name)
{
    FIND(s->enums, s->nenums, name);
}

ag_column *ag_table_find_column(const ag_table *t, const char *name)
{
    FIND(t->columns, t->ncolumns, name);
}

size_t ag_table_column_index(const ag_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i]->name, name) == 0)
            return i;
    return t->ncolumns;
}

ag_index *ag_table_find_index(const ag_table *t, const char *name)
{
    FIND(t->indexes, t->nindexes, name);
}

ag_unique *ag_table_find_unique(const ag_table *t, const char *name)
{
    FIND(t->uniques, t->nuniques, name);
}

ag_check *ag_table_find_check(const ag_table *t, const char *name)
{
    FIND(t->checks, t->nchecks, name);
}

ag_fk *ag_table_find_fk(const ag_table *t, const char *name)
{
    FIND(t->fks, t->nfks, name);
}

/* Remove the element named nm from a pointer array, keeping order. */
static bool remove_named(void **vec, size_t *n, const char *nm, size_t name_offset)
{
    for (size_t i = 0; i < *n; i++) {
        const char *name = *(const char **)((char *)vec[i] + name_offset);
        if (strcmp(name, nm) == 0) {
            memmove(&vec[i], &vec[i + 1], (*n - i - 1) * sizeof(void *));
            (*n)--;
            return true;
        }
    }
    return false;
}

#define REMOVE(type, vec, n, nm) remove_named((void **)(vec), &(n), (nm), offsetof(type, name))

bool ag_schema_remove_table(ag_schema *s, const char *name)
{
    return REMOVE(ag_table, s->tables, s->ntables, name);
}

bool ag_schema_remove_table_in(ag_schema *s, const char *schema, const char *name)
{
    const ag_table *t = ag_schema_find_table_in(s, schema, name);
    for (size_t i = 0; t && i < s->ntables; i++)
        if (s->tables[i] == t) {
            memmove(&s->tables[i], &s->tables[i + 1], (s->ntables - i - 1) * sizeof(*s->tables));
            s->ntables--;
            return true;
        }
    return false;
}

bool ag_schema_remove_enum(ag_schema *s, const char *name)
{
    return REMOVE(ag_enum, s->enums, s->nenums, name);
}

bool ag_schema_remove_object(ag_schema *s, ag_sqlobj_kind kind, const char *name)
{
    for (size_t i = 0; i < s->nobjects; i++)
        if (s->objects[i]->kind == kind && strcasecmp(s->objects[i]->name, name) == 0) {
            memmove(&s->objects[i], &s->objects[i + 1],
                    (s->nobjects - i - 1) * sizeof(*s->objects));
            s->nobjects--;
            return true;
        }
    return false;
}

bool ag_table_remove_column(ag_table *t, const char *name)
{
    return REMOVE(ag_column, t->columns, t->ncolumns, name);
}

bool ag_table_remove_index(ag_table *t, const char *name)
{
    return REMOVE(ag_index, t->indexes, t->nindexes, name);
}

bool ag_table_remove_unique(ag_table *t, const char *name)
{
    return REMOVE(ag_unique, t->uniques, t->nuniques, name);
}

bool ag_table_remove_check(ag_table *t, const char *name)
{
    return REMOVE(ag_check, t->checks, t->nchecks, name);
}

bool ag_table_remove_fk(ag_table *t, const char *name)
{
    return REMOVE(ag_fk, t->fks, t->nfks, name);
}

/* --- deep copies ----------------------------------------------------------- */

static ag_loc loc_clone(ag_arena *a, ag_loc l)
{
    l.file = ag_arena_strdup(a, l.file);
    return l;
}

void ag_strs_clone(ag_arena *a, ag_strs *dst, const ag_strs *src)
{
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < src->n; i++)
        ag_strs_push_arena(a, dst, src->v[i]);
}

ag_column *ag_column_clone(ag_arena *a, const ag_column *c)
{
    ag_column *d = ag_arena_alloc(a, sizeof(*d));
    *d = *c;
    d->name = ag_arena_strdup(a, c->name);
    d->type.name = ag_arena_strdup(a, c->type.name);
    d->type.schema = ag_arena_strdup(a, c->type.schema);
    d->default_sql = ag_arena_strdup(a, c->default_sql);
    d->comment = ag_arena_strdup(a, c->comment);
    d->renamed_from = ag_arena_strdup(a, c->renamed_from);
    d->collation = ag_arena_strdup(a, c->collation);
    d->generated = ag_arena_strdup(a, c->generated);
    d->sequence_default = ag_arena_strdup(a, c->sequence_default);
    ag_strs_clone(a, &d->enum_values, &c->enum_values);
    d->loc = loc_clone(a, c->loc);
    d->type_loc = loc_clone(a, c->type_loc);
    return d;
}

ag_index *ag_index_clone(ag_arena *a, const ag_index *x)
{
    ag_index *d = ag_arena_alloc(a, sizeof(*d));
    *d = *x;
    d->name = ag_arena_strdup(a, x->name);
    ag_strs_clone(a, &d->columns, &x->columns);
    d->expression = ag_arena_strdup(a, x->expression);
    d->where = ag_arena_strdup(a, x->where);
    d->method = ag_arena_strdup(a, x->method);
    ag_strs_clone(a, &d->include, &x->include);
    d->loc = loc_clone(a, x->loc);
    return d;
}

ag_unique *ag_unique_clone(ag_arena *a, const ag_unique *u)
{
    ag_unique *d = ag_arena_alloc(a, sizeof(*d));
    d->name = ag_arena_strdup(a, u->name);
    ag_strs_clone(a, &d->columns, &u->columns);
    d->defer = u->defer;
    d->loc = loc_clone(a, u->loc);
    return d;
}

ag_check *ag_check_clone(ag_arena *a, const ag_check *c)
{
    ag_check *d = ag_arena_alloc(a, sizeof(*d));
    d->name = ag_arena_strdup(a, c->name);
    d->expression = ag_arena_strdup(a, c->expression);
    d->loc = loc_clone(a, c->loc);
    return d;
}

ag_fk *ag_fk_clone(ag_arena *a, const ag_fk *f)
{
    ag_fk *d = ag_arena_alloc(a, sizeof(*d));
    *d = *f;
    d->name = ag_arena_strdup(a, f->name);
    ag_strs_clone(a, &d->columns, &f->columns);
    d->ref_schema = ag_arena_strdup(a, f->ref_schema);
    d->ref_table = ag_arena_strdup(a, f->ref_table);
    ag_strs_clone(a, &d->ref_columns, &f->ref_columns);
    d->loc = loc_clone(a, f->loc);
    return d;
}

ag_enum *ag_enum_clone(ag_arena *a, const ag_enum *e)
{
    ag_enum *d = ag_arena_alloc(a, sizeof(*d));
    d->name = ag_arena_strdup(a, e->name);
    d->schema = ag_arena_strdup(a, e->schema);
    ag_strs_clone(a, &d->values, &e->values);
    d->loc = loc_clone(a, e->loc);
    return d;
}

ag_table *ag_table_clone(ag_arena *a, const ag_table *t)
{
    ag_table *d = ag_arena_alloc(a, sizeof(*d));
    d->name = ag_arena_strdup(a, t->name);
    d->schema = ag_arena_strdup(a, t->schema);
    d->comment = ag_arena_strdup(a, t->comment);
    d->renamed_from = ag_arena_strdup(a, t->renamed_from);
    d->options = ag_arena_strdup(a, t->options);
    d->loc = loc_clone(a, t->loc);
    d->pk.name = ag_arena_strdup(a, t->pk.name);
    ag_strs_clone(a, &d->pk.columns, &t->pk.columns);
    d->pk.loc = loc_clone(a, t->pk.loc);
    for (size_t i = 0; i < t->ncolumns; i++)
        AG_ARENA_PUSH(a, d->columns, d->ncolumns, d->columns_cap,
                      ag_column_clone(a, t->columns[i]));
    for (size_t i = 0; i < t->nuniques; i++)
        AG_ARENA_PUSH(a, d->uniques, d->nuniques, d->uniques_cap,
                      ag_unique_clone(a, t->uniques[i]));
    for (size_t i = 0; i < t->nindexes; i++)
        AG_ARENA_PUSH(a, d->indexes, d->nindexes, d->indexes_cap, ag_index_clone(a, t->indexes[i]));
    for (size_t i = 0; i < t->nchecks; i++)
        AG_ARENA_PUSH(a, d->checks, d->nchecks, d->checks_cap, ag_check_clone(a, t->checks[i]));
    for (size_t i = 0; i < t->nfks; i++)
        AG_ARENA_PUSH(a, d->fks, d->nfks, d->fks_cap, ag_fk_clone(a, t->fks[i]));
    return d;
}
