/* classify.c - which operations may lose data.
 *
 * A drop loses what it drops. A type change loses data unless it widens:
 *
 *   from                 to (safe)
 *   smallint             integer, bigint, decimal, real, double
 *   integer              bigint, decimal, double
 *   bigint               decimal (precision >= 19)
 *   real                 double
 *   char(n)/string(n)    string(m >= n), text; char(m >= n)
 *   decimal(p,s)         decimal(p2 >= p, s2 >= s with p2 - s2 >= p - s)
 *   enum                 text, string
 *   json                 jsonb, text; anything -> text (except binary)
 *
 * Making a nullable column NOT NULL fails on rows holding NULL.
 */
#include "../schema/op.h"
#include "../util/common.h"

static bool widens(const ag_type *a, const ag_type *b)
{
    if (ag_type_equal(a, b))
        return true;
    switch (a->kind) {
    case AG_T_SMALLINT:
        return b->kind == AG_T_INTEGER || b->kind == AG_T_BIGINT || b->kind == AG_T_DECIMAL ||
               b->kind == AG_T_REAL || b->kind == AG_T_DOUBLE || b->kind == AG_T_TEXT;
    case AG_T_INTEGER:
        return b->kind == AG_T_BIGINT || b->kind == AG_T_DOUBLE || b->kind == AG_T_TEXT ||
               (b->kind == AG_T_DECIMAL && (b->precision == 0 || b->precision - b->scale >= 10));
    case AG_T_BIGINT:
        return b->kind == AG_T_TEXT ||
               (b->kind == AG_T_DECIMAL && (b->precision == 0 || b->precision - b->scale >= 19));
    case AG_T_REAL:
        return b->kind == AG_T_DOUBLE || b->kind == AG_T_TEXT;
    case AG_T_CHAR:
    case AG_T_STRING:
        if (b->kind == AG_T_TEXT)
            return true;
        if (b->kind == AG_T_STRING || (b->kind == AG_T_CHAR && a->kind == AG_T_CHAR))
            return b->length == 0 || (a->length != 0 && b->length >= a->length);
        return false;
    case AG_T_DECIMAL:
        if (b->kind == AG_T_TEXT)
            return true;
        return b->kind == AG_T_DECIMAL &&
               (b->precision == 0 || (a->precision != 0 && b->scale >= a->scale &&
                                      b->precision - b->scale >= a->precision - a->scale));
    case AG_T_ENUM:
        return b->kind == AG_T_TEXT || (b->kind == AG_T_STRING && b->length == 0);
    case AG_T_JSON:
        return b->kind == AG_T_JSONB || b->kind == AG_T_TEXT;
    case AG_T_BINARY:
        return false;
    default:
        return b->kind == AG_T_TEXT;
    }
}

void ag_op_classify(ag_arena *a, ag_opdef *op)
{
    const char *t = op->table ? op->table : "";
    switch (op->kind) {
    case AG_OP_DROP_TABLE:
        op->flags |= AG_OPF_DESTRUCTIVE;
        op->note = ag_arena_printf(a, "drops table '%s' and all its rows", t);
        break;
    case AG_OP_DROP_COLUMN:
        op->flags |= AG_OPF_DESTRUCTIVE;
        op->note = ag_arena_printf(a, "drops column '%s.%s' and its data", t,
                                   op->column ? op->column->name : "?");
        break;
    case AG_OP_DROP_ENUM_VALUE:
        op->flags |= AG_OPF_DESTRUCTIVE;
        op->note = ag_arena_printf(a, "drops value '%s' of enum '%s': fails if a row holds it",
                                   op->name ? op->name : "?", op->enm ? op->enm->name : "?");
        break;
    case AG_OP_DROP_ENUM:
        op->flags |= AG_OPF_DESTRUCTIVE;
        op->note = ag_arena_printf(a, "drops enum '%s'", op->enm ? op->enm->name : "?");
        break;
    case AG_OP_ALTER_COLUMN: {
        const ag_column *o = op->old_column, *n = op->column;
        if (!o || !n)
            break;
        if (!widens(&o->type, &n->type)) {
            op->flags |= AG_OPF_DESTRUCTIVE;
            op->note =
                ag_arena_printf(a, "narrows '%s.%s' from %s to %s: values may not fit", t, n->name,
                                ag_type_format(a, &o->type), ag_type_format(a, &n->type));
        } else if (o->nullable && !n->nullable) {
            op->flags |= AG_OPF_DESTRUCTIVE;
            op->note = ag_arena_printf(a, "makes '%s.%s' NOT NULL: fails if a row holds NULL%s", t,
                                       n->name, n->default_sql ? "" : " (and it has no default)");
        }
        break;
    }
    default:
        break;
    }
}
