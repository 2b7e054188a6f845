/* schema.h - the one schema representation.
 *
 * The YAML loader (src/model), every introspector (src/dialect/<name>_introspect.c)
 * and the op replayer (apply.c) produce an ag_schema; the diff engine compares
 * two of them. Everything in a schema, nodes and strings, lives in the
 * schema's arena and dies with ag_schema_free(). Fields are plain data: code
 * reads them directly and builds them with the helpers below.
 *
 * Canonical form (what both sides must produce so that equal means equal):
 * - types are ag_type values, never raw SQL strings (type.c parses and prints
 *   the SPEC §3 vocabulary);
 * - defaults are SQL expression text as the dialect normalizes it
 *   (string literals single-quoted, numbers bare, CURRENT_TIMESTAMP upper case);
 * - a primary-key column is never nullable; an autoincrement column is its
 *   table's single-column integer primary key;
 * - names are as declared (no case folding); every constraint and index has a
 *   name (the model loader fills missing ones from naming_convention).
 */
#ifndef AUTOGEN_SCHEMA_SCHEMA_H
#define AUTOGEN_SCHEMA_SCHEMA_H

#include "../util/arena.h"
#include "../util/common.h"
#include <autogen/autogen.h>

typedef struct ag_loc {
    const char *file; /* arena string, or NULL when the node has no source */
    unsigned line;    /* 1-based, 0 when unknown */
    unsigned col;     /* 1-based, 0 when unknown */
} ag_loc;

typedef struct ag_strs {
    const char **v; /* arena array of arena strings */
    size_t n;
    size_t cap;
} ag_strs;

typedef enum ag_type_kind {
    AG_T_UNKNOWN = 0,
    AG_T_SMALLINT,
    AG_T_INTEGER,
    AG_T_BIGINT,
    AG_T_DECIMAL, /* precision/scale; precision 0 = unconstrained numeric */
    AG_T_REAL,
    AG_T_DOUBLE,
    AG_T_BOOLEAN,
    AG_T_CHAR,   /* length */
    AG_T_STRING, /* length; 0 = unbounded varchar */
    AG_T_TEXT,
    AG_T_DATE,
    AG_T_TIME,
    AG_T_TIMESTAMP,
    AG_T_TIMESTAMPTZ,
    AG_T_INTERVAL,
    AG_T_UUID,
    AG_T_JSON,
    AG_T_JSONB,
    AG_T_BINARY,
    AG_T_ENUM, /* name = the enum type's name */
    AG_T_SQL   /* name = verbatim SQL type for one dialect */
} ag_type_kind;

typedef struct ag_type {
    ag_type_kind kind;
    int length;         /* CHAR/STRING length, 0 when none */
    int precision;      /* DECIMAL precision, 0 when none */
    int scale;          /* DECIMAL scale */
    const char *name;   /* ENUM name / SQL text, else NULL */
    const char *schema; /* ENUM: the schema the enum lives in, NULL for the default one */
} ag_type;

typedef enum ag_fk_action {
    AG_FK_NONE = 0, /* not specified: the database default (NO ACTION) */
    AG_FK_NO_ACTION,
    AG_FK_CASCADE,
    AG_FK_SET_NULL,
    AG_FK_SET_DEFAULT,
    AG_FK_RESTRICT
} ag_fk_action;

/* When a foreign key is checked (README, foreign keys): at each statement, or
 * at COMMIT. SQLite honours only DEFERRABLE INITIALLY DEFERRED; the other two
 * check at each statement there, but the clause is kept as written. */
typedef enum ag_fk_defer {
    AG_FK_NOT_DEFERRABLE = 0, /* the default */
    AG_FK_DEFERRABLE,         /* DEFERRABLE INITIALLY IMMEDIATE */
    AG_FK_DEFERRED            /* DEFERRABLE INITIALLY DEFERRED */
} ag_fk_defer;

typedef struct ag_column {
    const char *name;
    ag_type type;
    bool nullable;
    bool autoincrement;
    bool autoincrement_strict; /* model: `autoincrement: strict` (SQLite: the keyword itself) */
    bool rowid_alias; /* introspected: SQLite's INTEGER PRIMARY KEY, which assigns ids itself */
    bool generated_stored;    /* STORED (else VIRTUAL); beside the other flags, not in a hole */
    const char *default_sql;  /* normalized SQL expression, NULL when none */
    const char *comment;      /* NULL when none */
    const char *renamed_from; /* model hint, NULL when none */
    /* Kept as the database has them, never diffed (the models do not describe
     * them): a SQLite table rebuild recreates them. */
    const char *collation; /* COLLATE name, or NULL */
    const char *generated; /* a generated column's expression, or NULL */
    /* Introspected (PostgreSQL): a nextval() default, as the server prints it;
     * sequence_owned when the column owns the sequence (serial). The column
     * counts as autoincrement too, and a model's `default_sql:` of the same
     * text matches it. NULL otherwise. */
    const char *sequence_default;
    bool sequence_owned;
    ag_strs enum_values; /* ENUM columns: the values, for dialects without enum types */
    ag_loc loc;
    ag_loc type_loc; /* where `type:` was written, for type errors */
} ag_column;

typedef struct ag_index {
    const char *name;
    ag_strs columns;        /* empty for an expression index */
    const char *expression; /* expression index body, e.g. "lower(name)", else NULL */
    const char *where;      /* partial-index predicate, else NULL */
    /* PostgreSQL: the access method ("gin", "gist", "hash", "brin"…), NULL for
     * the default (btree); and the INCLUDE columns, stored but not keys. */
    const char *method;
    ag_strs include;
    bool unique;
    ag_loc loc;
} ag_index;

typedef struct ag_unique {
    const char *name;
    ag_strs columns;
    ag_fk_defer defer; /* when it is checked, as for a foreign key (PostgreSQL only) */
    ag_loc loc;
} ag_unique;

typedef struct ag_check {
    const char *name;
    const char *expression;
    ag_loc loc;
} ag_check;

typedef struct ag_fk {
    const char *name;
    ag_strs columns;
    const char *ref_schema; /* NULL = the default schema, as for ag_table.schema */
    const char *ref_table;
    ag_strs ref_columns;
    ag_fk_action on_delete;
    ag_fk_action on_update;
    ag_fk_defer defer;
    ag_loc loc;
} ag_fk;

typedef struct ag_pk {
    const char *name; /* NULL when the database does not keep one (SQLite) */
    ag_strs columns;  /* empty: no primary key */
    ag_loc loc;
} ag_pk;

typedef struct ag_table {
    const char *name;
    const char *schema; /* PostgreSQL schema, NULL = the default */
    const char *comment;
    const char *renamed_from;
    /* What CREATE TABLE says after its closing parenthesis: SQLite's "STRICT",
     * "WITHOUT ROWID"; PostgreSQL's "PARTITION BY …", "WITH (…)"; NULL: none.
     * Introspected, and in the models as `options:`; a SQLite rebuild keeps it. */
    const char *options;
    ag_column **columns;
    size_t ncolumns, columns_cap;
    ag_pk pk;
    ag_unique **uniques;
    size_t nuniques, uniques_cap;
    ag_index **indexes;
    size_t nindexes, indexes_cap;
    ag_check **checks;
    size_t nchecks, checks_cap;
    ag_fk **fks;
    size_t nfks, fks_cap;
    ag_loc loc;
} ag_table;

typedef struct ag_enum {
    const char *name;
    const char *schema;
    ag_strs values;
    ag_loc loc;
} ag_enum;

/* A view or a trigger (SQLite), kept as the database has it: the models do not
 * manage them and the diff never compares them, but a table rebuild must drop
 * and recreate those that depend on the table (README, SQLite rebuilds). */
typedef enum ag_sqlobj_kind { AG_OBJ_VIEW, AG_OBJ_TRIGGER } ag_sqlobj_kind;

typedef struct ag_sqlobj {
    ag_sqlobj_kind kind;
    const char *name;
    const char *table; /* a trigger's table or view; a view's own name */
    const char *sql;   /* the CREATE statement, without a trailing semicolon */
} ag_sqlobj;

typedef struct ag_schema {
    ag_arena arena;
    ag_table **tables; /* in declaration (model) or name (introspection) order */
    size_t ntables, tables_cap;
    ag_enum **enums;
    size_t nenums, enums_cap;
    ag_sqlobj **objects; /* in creation order, so that each comes after what it uses */
    size_t nobjects, objects_cap;
    bool objects_complete; /* read from the database (all of them), not replayed */
} ag_schema;

ag_schema *ag_schema_new(void);
void ag_schema_free(ag_schema *s);

/* Constructors: allocate in s's arena, zero-filled, appended in order. */
ag_table *ag_schema_add_table(ag_schema *s, const char *name);
ag_enum *ag_schema_add_enum(ag_schema *s, const char *name);
ag_column *ag_table_add_column(ag_schema *s, ag_table *t, const char *name);
ag_index *ag_table_add_index(ag_schema *s, ag_table *t, const char *name);
ag_unique *ag_table_add_unique(ag_schema *s, ag_table *t, const char *name);
ag_check *ag_table_add_check(ag_schema *s, ag_table *t, const char *name);
ag_fk *ag_table_add_fk(ag_schema *s, ag_table *t, const char *name);
ag_sqlobj *ag_schema_add_object(
    ag_schema *s, ag_sqlobj_kind kind, const char *name, const char *table, const char *sql);
void ag_strs_push(ag_schema *s, ag_strs *l, const char *str); /* copies str */
void ag_strs_push_arena(ag_arena *a, ag_strs *l, const char *str);
bool ag_strs_equal(const ag_strs *a, const ag_strs *b);
bool ag_strs_contains(const ag_strs *l, const char *str);
/* Whether a and b hold the same names, in any order (no repeats assumed). */
bool ag_strs_same_set(const ag_strs *a, const ag_strs *b);
const char *ag_strs_join(ag_arena *a, const ag_strs *l, const char *sep);

/* Lookups by exact name; NULL when absent. */
ag_table *ag_schema_find_table(const ag_schema *s, const char *name);
/* schema.name (NULL: the default schema). */
ag_table *ag_schema_find_table_exact(const ag_schema *s, const char *schema, const char *name);
/* schema.name; failing that, the one table of that name in any schema: a
 * database without schemas (SQLite) keeps its tables in none, while the
 * operations for it may name the models' schemas. */
ag_table *ag_schema_find_table_in(const ag_schema *s, const char *schema, const char *name);
ag_enum *ag_schema_find_enum(const ag_schema *s, const char *name);
ag_column *ag_table_find_column(const ag_table *t, const char *name);
size_t ag_table_column_index(const ag_table *t, const char *name); /* ncolumns when absent */
ag_index *ag_table_find_index(const ag_table *t, const char *name);
ag_unique *ag_table_find_unique(const ag_table *t, const char *name);
ag_check *ag_table_find_check(const ag_table *t, const char *name);
ag_fk *ag_table_find_fk(const ag_table *t, const char *name);

/* Removal keeps the order of what remains. Return false when absent. */
bool ag_schema_remove_table(ag_schema *s, const char *name);
bool ag_schema_remove_table_in(ag_schema *s, const char *schema, const char *name);
bool ag_schema_remove_enum(ag_schema *s, const char *name);
/* The view or trigger of that name (ASCII case ignored, as SQLite does). */
bool ag_schema_remove_object(ag_schema *s, ag_sqlobj_kind kind, const char *name);
bool ag_table_remove_column(ag_table *t, const char *name);
bool ag_table_remove_index(ag_table *t, const char *name);
bool ag_table_remove_unique(ag_table *t, const char *name);
bool ag_table_remove_check(ag_table *t, const char *name);
bool ag_table_remove_fk(ag_table *t, const char *name);

/* Deep copies into the arena `a` (the op list's, or another schema's). */
ag_table *ag_table_clone(ag_arena *a, const ag_table *t);
ag_column *ag_column_clone(ag_arena *a, const ag_column *c);
ag_index *ag_index_clone(ag_arena *a, const ag_index *x);
ag_unique *ag_unique_clone(ag_arena *a, const ag_unique *u);
ag_check *ag_check_clone(ag_arena *a, const ag_check *c);
ag_fk *ag_fk_clone(ag_arena *a, const ag_fk *f);
ag_enum *ag_enum_clone(ag_arena *a, const ag_enum *e);
void ag_strs_clone(ag_arena *a, ag_strs *dst, const ag_strs *src);

/* --- types (type.c) -------------------------------------------------------- */

/* Parse the SPEC §3 vocabulary ("string(50)", "decimal(12,2)", "enum(status)",
 * "sql(tsvector)", case-insensitive, aliases accepted). Strings are copied
 * into a. Returns false when spec is not a type. */
bool ag_type_parse(ag_arena *a, const char *spec, ag_type *out);
/* Same; when spec starts with a known type word but its parameters are wrong
 * ("decimal(2,5)", "string(0)"), *why says what is wrong and how to write it
 * (in a); it is NULL when spec parsed or names no type at all. */
bool ag_type_parse_why(ag_arena *a, const char *spec, ag_type *out, const char **why);
/* The canonical spelling ("string(50)", "bigint", "enum(status)"), in a. */
const char *ag_type_format(ag_arena *a, const ag_type *t);
bool ag_type_equal(const ag_type *a, const ag_type *b);
/* The closest known type spelling to a bad one, for "did you mean", or NULL. */
const char *ag_type_suggest(ag_arena *a, const char *bad);
bool ag_type_is_integer(const ag_type *t);

/* FK actions: "cascade", "set null", ... (case-insensitive). */
bool ag_fk_action_parse(const char *s, ag_fk_action *out);
const char *ag_fk_action_sql(ag_fk_action a);  /* "CASCADE", "SET NULL", ...; NULL for NONE */
const char *ag_fk_action_name(ag_fk_action a); /* "cascade", "set null", ...; NULL for NONE */

/* Deferrability in migration files: NULL (not deferrable), "immediate" or
 * "deferred" (case-insensitive; "not deferrable" is NULL's spelling). */
bool ag_fk_defer_parse(const char *s, ag_fk_defer *out);
const char *ag_fk_defer_name(ag_fk_defer d); /* NULL, "immediate", "deferred" */
/* The SQL clause: NULL, "DEFERRABLE", "DEFERRABLE INITIALLY DEFERRED". */
const char *ag_fk_defer_sql(ag_fk_defer d);

/* Edit distance, for "did you mean" everywhere. */
size_t ag_levenshtein(const char *a, const char *b);

#endif
