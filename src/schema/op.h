/* op.h - the one operation list.
 *
 * The diff engine produces it from two schemas; a compiled migration produces
 * it through the ag_* calls of <autogen/migration.h>; the migration emitter
 * prints it as C; each dialect renders it to SQL; apply.c replays it onto a
 * schema. Every op owns deep copies of the definitions it needs (in the op
 * list's arena), so the op list never points into a schema.
 */
#ifndef AUTOGEN_SCHEMA_OP_H
#define AUTOGEN_SCHEMA_OP_H

#include "schema.h"

typedef enum ag_op_kind {
    AG_OP_CREATE_ENUM,     /* enm */
    AG_OP_DROP_ENUM,       /* enm (full definition, for the inverse) */
    AG_OP_ADD_ENUM_VALUE,  /* enm->name, name = the new value, old_name = the value it goes
                            * before (NULL: at the end) */
    AG_OP_DROP_ENUM_VALUE, /* enm->name, name = the value (rows holding it must be gone) */
    AG_OP_ALTER_ENUM,      /* enm = the enum with its new values, in order; old_enm = as it
                            * was, for the inverse (NULL from a migration file) */
    AG_OP_CREATE_TABLE,    /* tdef (columns, pk, uniques, checks, fks, and its indexes) */
    AG_OP_DROP_TABLE,      /* tdef (full definition incl. indexes, for the inverse) */
    AG_OP_RENAME_TABLE,    /* table = old name, name = new name */
    AG_OP_ADD_COLUMN,      /* column */
    AG_OP_DROP_COLUMN,     /* column (full definition) */
    AG_OP_ALTER_COLUMN,    /* old_column -> column (same name) */
    AG_OP_RENAME_COLUMN,   /* old_name -> name */
    AG_OP_CREATE_INDEX,    /* index */
    AG_OP_DROP_INDEX,      /* index (full definition) */
    AG_OP_ADD_UNIQUE,      /* unique */
    AG_OP_DROP_UNIQUE,     /* unique */
    AG_OP_ADD_CHECK,       /* check */
    AG_OP_DROP_CHECK,      /* check */
    AG_OP_ADD_FK,          /* fk */
    AG_OP_DROP_FK,         /* fk */
    AG_OP_ADD_PK,          /* pk */
    AG_OP_DROP_PK,         /* pk */
    AG_OP_TABLE_COMMENT,   /* name = new comment (NULL drops it), old_name = old comment */
    AG_OP_EXECUTE,         /* sql */
    AG_OP_ALTER_FK         /* fk = the key with its new deferrability, old_fk = as it was;
                            * only the name and `defer` are sure to be set (from a migration
                            * file) */
} ag_op_kind;

enum ag_alter_fields {
    AG_ALTER_TYPE = 1 << 0,
    AG_ALTER_NULLABLE = 1 << 1,
    AG_ALTER_DEFAULT = 1 << 2,
    AG_ALTER_COMMENT = 1 << 3,
    AG_ALTER_COLLATION = 1 << 4
};

enum ag_op_flags {
    AG_OPF_DESTRUCTIVE = 1 << 0, /* may lose data: reason in `note` */
    AG_OPF_NONTRANSACTIONAL = 1 << 1,
    AG_OPF_CONCURRENTLY = 1 << 2 /* CREATE/DROP INDEX: PostgreSQL's CONCURRENTLY */
};

typedef struct ag_opdef {
    ag_op_kind kind;
    const char *schema;   /* PostgreSQL schema of `table`, NULL = default */
    const char *table;    /* the table acted on (old name for RENAME_TABLE) */
    const char *name;     /* see the kind */
    const char *old_name; /* see the kind */
    ag_table *tdef;
    ag_column *column;
    ag_column *old_column;
    ag_index *index;
    ag_unique *unique;
    ag_check *check;
    ag_fk *fk;
    ag_fk *old_fk; /* ALTER_FK */
    ag_pk *pk;
    ag_enum *enm;
    ag_enum *old_enm; /* ALTER_ENUM */
    const char *sql;
    const char *undo_sql; /* EXECUTE: the SQL that undoes `sql` (its inverse), or NULL */
    unsigned alter_mask;  /* ALTER_COLUMN from a migration file: the ag_alter_fields the call
                           * changes, the rest is to be taken from the live column (the runner
                           * completes the op and clears the mask); 0 = `column` is complete */
    unsigned flags;       /* ag_op_flags */
    const char *note;     /* why it is destructive, for the comment and the warning */
    unsigned line;        /* from a migration file: the line of the ag_* call that recorded it
                           * (tcc's __LINE__: the call's last line when it spans several);
                           * 0 when unknown */
} ag_opdef;

typedef struct ag_oplist {
    ag_arena arena;
    ag_opdef **ops;
    size_t n, cap;
    ag_strs hints; /* messages for the user (rename hints), not operations */
} ag_oplist;

ag_oplist *ag_oplist_new(void);
void ag_oplist_free(ag_oplist *l);
/* Append a zeroed op of `kind` for `table` (copied) and return it. */
ag_opdef *ag_oplist_push(ag_oplist *l, ag_op_kind kind, const char *table);
/* A deep copy of op appended to dst. */
ag_opdef *ag_op_copy(ag_oplist *dst, const ag_opdef *op);
/* The inverse of op, appended to dst (which may be op's own list). */
ag_opdef *ag_op_invert(ag_oplist *dst, const ag_opdef *op);
/* dst gets the inverse of every op of src, in reverse order: a downgrade. */
void ag_oplist_invert(ag_oplist *dst, const ag_oplist *src);
const char *ag_op_kind_name(ag_op_kind k); /* "add_column", ... */
/* Whether a complete ALTER_COLUMN (old_column -> column) changes something
 * its AG_ALTER(...) can show: the type (an enum's values included),
 * nullability, the default, the comment. An op that changes nothing else
 * would be a migration that reads as doing nothing: never produce one. */
bool ag_op_alter_visible(const ag_opdef *op);

/* schema.name, or name alone without a schema (the default one): how
 * messages name tables and enums, so that raw.customers and clean.customers
 * read apart. "" for a NULL name. */
const char *ag_qualified_name(ag_arena *a, const char *schema, const char *name);
/* The op's table, qualified so. */
const char *ag_op_table_shown(ag_arena *a, const ag_opdef *op);
/* One line for people: "add column 'properties.zoning'", in a. */
const char *ag_op_describe(ag_arena *a, const ag_opdef *op);
/* Set AG_OPF_DESTRUCTIVE and `note` on op when it may lose data (drops,
 * narrowing type changes, NOT NULL on a nullable column). Lives in src/diff. */
void ag_op_classify(ag_arena *a, ag_opdef *op);
/* Whether every value of type `from` fits `to` unchanged (the table at the top
 * of src/diff/classify.c). */
bool ag_type_widens(const ag_type *from, const ag_type *to);

/* --- apply.c: replay ops onto a schema ------------------------------------- */

/* Apply op to s (copying what it needs into s's arena). AG_OP_EXECUTE is a
 * no-op here (raw SQL is opaque). Returns AG_OK, or AG_EINVALID with a
 * message when the op does not fit s (no such table, duplicate column...). */
int ag_schema_apply(ag_schema *s, const ag_opdef *op, ag_error *err);

/* The fields a migration's partial ALTER_COLUMN names (op->alter_mask), set
 * on c; strings are copied into a. */
void ag_column_alter(ag_arena *a, ag_column *c, const ag_opdef *op);

/* A migration's ALTER_COLUMN names only what changes: complete it from the
 * live column of state, so that whoever looks at it (renderer, lint) sees
 * whole definitions: old_column the live one, column the live one with the
 * change, alter_mask 0. Other ops are left alone. False when state has no
 * such column (applying the op says what is wrong). */
bool ag_op_complete_alter(ag_arena *a, const ag_schema *state, ag_opdef *op);

#endif
