/* classify.c - which operations may lose data.
 *
 * ag_op_classify sets AG_OPF_DESTRUCTIVE and a note saying why on drops of
 * tables, columns, enums and enum values, on type changes that are not known
 * to keep every value, on enum columns losing values, and on making a
 * nullable column NOT NULL. The diff calls it on what it emits; the emitter
 * calls it on inverted ops (the downgrade of an added column is a drop).
 *
 * A type change keeps every value only when it widens, per this table (a
 * type to itself is no change; anything else is narrowing or a conversion
 * that may fail, and is flagged):
 *
 *   from               to, without loss                         why
 *   smallint           integer, bigint                          wider integer
 *   smallint           decimal(p-s >= 5 or unconstrained)       exact
 *   smallint           real, double                             exact (<= 24 bits)
 *   integer            bigint                                   wider integer
 *   integer            decimal(p-s >= 10 or unconstrained)      exact
 *   integer            double                                   exact (<= 53 bits)
 *   bigint             decimal(p-s >= 19 or unconstrained)      exact
 *   real               double                                   wider float
 *   decimal(p,s)       decimal(p2,s2), s2 >= s, p2-s2 >= p-s,   holds every value
 *                      or unconstrained
 *   char(n)            char(m >= n), string(m >= n), string     longer
 *   string(n)          string(m >= n), unbounded string         longer
 *   text, string       unbounded string, text                   the same values
 *   enum               text, unbounded string                   every label is a string
 *   json               jsonb                                    safe (jsonb re-spaces)
 *   any but binary     text                                     every value has a text form
 *
 * Narrowing, in particular: a shorter string/char, a bounded string from
 * text, a smaller decimal precision or scale, bigint to integer or smallint,
 * integer to smallint, a float to an integer, and any other change of kind.
 */
#include "../util/common.h"

#include "../schema/op.h"

/* Integer digits a decimal holds; unconstrained holds any. */
static bool decimal_holds(const ag_type *d, int digits)
{
    return d->precision == 0 || d->precision - d->scale >= digits;
}

bool ag_type_widens(const ag_type *a, const ag_type *b)
{
    if (ag_type_equal(a, b))
        return true;
    if (b->kind == AG_T_TEXT && a->kind != AG_T_BINARY)
        return true;
    switch (a->kind) {
    case AG_T_SMALLINT:
        return b->kind == AG_T_INTEGER || b->kind == AG_T_BIGINT || b->kind == AG_T_REAL ||
               b->kind == AG_T_DOUBLE || (b->kind == AG_T_DECIMAL && decimal_holds(b, 5));
    case AG_T_INTEGER:
        return b->kind == AG_T_BIGINT || b->kind == AG_T_DOUBLE ||
               (b->kind == AG_T_DECIMAL && decimal_holds(b, 10));
    case AG_T_BIGINT:
        return b->kind == AG_T_DECIMAL && decimal_holds(b, 19);
    case AG_T_REAL:
        return b->kind == AG_T_DOUBLE;
    case AG_T_DECIMAL:
        return b->kind == AG_T_DECIMAL &&
               (b->precision == 0 || (a->precision != 0 && b->scale >= a->scale &&
                                      b->precision - b->scale >= a->precision - a->scale));
    case AG_T_CHAR:
        if (b->kind == AG_T_CHAR)
            return b->length >= a->length;
        return b->kind == AG_T_STRING && (b->length == 0 || b->length >= a->length);
    case AG_T_STRING:
        return b->kind == AG_T_STRING && (b->length == 0 || (a->length && b->length >= a->length));
    case AG_T_TEXT:
    case AG_T_ENUM:
        return b->kind == AG_T_STRING && b->length == 0;
    case AG_T_JSON:
        return b->kind == AG_T_JSONB;
    default:
        return false;
    }
}

/* Numbers, strings, or anything else (its own kind): a change within a family
 * narrows, across families it converts. */
static int family(ag_type_kind k)
{
    switch (k) {
    case AG_T_SMALLINT:
    case AG_T_INTEGER:
    case AG_T_BIGINT:
    case AG_T_DECIMAL:
    case AG_T_REAL:
    case AG_T_DOUBLE:
        return -1;
    case AG_T_CHAR:
    case AG_T_STRING:
    case AG_T_TEXT:
        return -2;
    default:
        return (int)k;
    }
}

/* The values of old that new lacks, comma-separated, or NULL. */
static const char *lost_values(ag_arena *a, const ag_column *o, const ag_column *n)
{
    if (o->type.kind != AG_T_ENUM || n->type.kind != AG_T_ENUM || !n->enum_values.n)
        return NULL;
    ag_strs lost = { 0 };
    for (size_t i = 0; i < o->enum_values.n; i++)
        if (!ag_strs_contains(&n->enum_values, o->enum_values.v[i]))
            ag_strs_push_arena(a, &lost, o->enum_values.v[i]);
    return lost.n ? ag_strs_join(a, &lost, ", ") : NULL;
}

static void add_note(ag_arena *a, ag_opdef *op, const char *note)
{
    op->flags |= AG_OPF_DESTRUCTIVE;
    op->note = op->note ? ag_arena_printf(a, "%s; %s", op->note, note) : note;
}

static void classify_alter(ag_arena *a, ag_opdef *op, const char *t)
{
    const ag_column *o = op->old_column, *n = op->column;
    if (!n)
        return;
    /* A migration's partial alter (alter_mask) changes only what it names. */
    bool type = !op->alter_mask || (op->alter_mask & AG_ALTER_TYPE);
    bool null = !op->alter_mask || (op->alter_mask & AG_ALTER_NULLABLE);
    if (o && type && !ag_type_widens(&o->type, &n->type)) {
        bool same_kind = family(o->type.kind) == family(n->type.kind);
        add_note(a, op,
                 ag_arena_printf(a, "%s '%s.%s' from %s to %s: %s",
                                 same_kind ? "narrows" : "changes", t, n->name,
                                 ag_type_format(a, &o->type), ag_type_format(a, &n->type),
                                 same_kind ? "values may not fit" : "values may not convert"));
    }
    const char *lost = o && type ? lost_values(a, o, n) : NULL;
    if (lost)
        add_note(a, op,
                 ag_arena_printf(a, "removes value(s) %s of '%s.%s': fails if a row holds one",
                                 lost, t, n->name));
    if (null && !n->nullable && (!o || o->nullable))
        add_note(
            a, op,
            ag_arena_printf(a, "makes '%s.%s' NOT NULL: fails if a row holds NULL", t, n->name));
}

void ag_op_classify(ag_arena *a, ag_opdef *op)
{
    const char *t = ag_op_table_shown(a, op);
    op->flags &= ~(unsigned)AG_OPF_DESTRUCTIVE;
    op->note = NULL;
    switch (op->kind) {
    case AG_OP_DROP_TABLE:
        add_note(a, op, ag_arena_printf(a, "drops table '%s' and all its rows", t));
        break;
    case AG_OP_DROP_COLUMN:
        add_note(a, op,
                 ag_arena_printf(a, "drops column '%s.%s' and its data", t,
                                 op->column && op->column->name ? op->column->name : "?"));
        break;
    case AG_OP_DROP_ENUM:
        add_note(a, op,
                 ag_arena_printf(a, "drops enum '%s'",
                                 op->enm && op->enm->name
                                     ? ag_qualified_name(a, op->enm->schema, op->enm->name)
                                     : "?"));
        break;
    case AG_OP_DROP_ENUM_VALUE:
        add_note(a, op,
                 ag_arena_printf(a, "drops value '%s' of enum '%s': fails if a row holds it",
                                 op->name ? op->name : "?",
                                 op->enm && op->enm->name ? op->enm->name : "?"));
        break;
    case AG_OP_ALTER_ENUM:
        for (size_t i = 0; op->old_enm && i < op->old_enm->values.n; i++)
            if (!ag_strs_contains(&op->enm->values, op->old_enm->values.v[i]))
                add_note(a, op,
                         ag_arena_printf(a,
                                         "drops value '%s' of enum '%s': fails if a row holds it",
                                         op->old_enm->values.v[i], op->enm->name));
        break;
    case AG_OP_ALTER_COLUMN:
        classify_alter(a, op, t);
        break;
    default:
        break;
    }
}
