/* migration.h - what migration files include.
 *
 * A migration file defines `revision`, `down_revision`, `branch_labels`,
 * `depends_on`, and the functions upgrade() and downgrade(), which describe
 * schema changes by calling the ag_* operations below on the `op` they are
 * given. autogen compiles the file itself, runs the function to collect the
 * operations, renders them for the database (SQLite or PostgreSQL) and runs
 * them in one transaction. Any C is allowed; ag_dialect() tells which
 * database the operations are for.
 *
 * Types are written in the model vocabulary ("bigint", "string(50)",
 * "decimal(12,2)", "enum(status)", "sql(tsvector)"). Defaults are SQL
 * expressions ("0", "'active'", "CURRENT_TIMESTAMP"). Lists of names are
 * written with AG_COLS("a", "b").
 */
#ifndef AUTOGEN_MIGRATION_H
#define AUTOGEN_MIGRATION_H

#include <stddef.h> /* NULL ends item lists */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ag_op ag_op; /* the operation recorder autogen passes in */

/** A column definition; name and type first, then designated fields. */
typedef struct ag_column_def {
    const char *name;
    const char *type;
    int not_null;               /**< 1: NOT NULL (primary-key columns always are) */
    int primary_key;            /**< 1: part of the primary key */
    int autoincrement;          /**< 1: generated integer key */
    const char *server_default; /**< SQL expression, or NULL */
    const char *comment;        /**< or NULL */
    const char *const *values;  /**< enum values (AG_VALUES), for databases without enum types */
    const char *collation;      /**< COLLATE name ("C", "NOCASE"…), or NULL for the default */
    const char *generated;      /**< GENERATED ALWAYS AS (this expression), or NULL */
    int stored;                 /**< with .generated, 1: STORED (PostgreSQL: always); 0: VIRTUAL */
} ag_column_def;

/** A table-level element of ag_create_table(): a column or a constraint. */
typedef enum ag_item_kind {
    AG_ITEM_COLUMN = 1,
    AG_ITEM_PRIMARY_KEY,
    AG_ITEM_UNIQUE,
    AG_ITEM_CHECK,
    AG_ITEM_FOREIGN_KEY,
    AG_ITEM_OPTIONS /**< table options, SQL after the closing parenthesis (.expression) */
} ag_item_kind;

typedef struct ag_item {
    ag_item_kind kind;
    const ag_column_def *column;    /**< AG_ITEM_COLUMN */
    const char *name;               /**< constraint name */
    const char *const *columns;     /**< constrained columns, NULL-terminated */
    const char *expression;         /**< AG_ITEM_CHECK */
    const char *ref_table;          /**< AG_ITEM_FOREIGN_KEY */
    const char *const *ref_columns; /**< AG_ITEM_FOREIGN_KEY, NULL-terminated */
    const char *on_delete;          /**< "cascade", "set null", ... or NULL */
    const char *on_update;          /**< likewise */
    const char *initially;          /**< AG_ITEM_FOREIGN_KEY: NULL (not deferrable), or
                                     *   "immediate" / "deferred": DEFERRABLE INITIALLY … */
} ag_item;

/** Options of an index. */
typedef struct ag_index_def {
    int unique;
    const char *where;          /**< partial-index predicate, or NULL */
    const char *expression;     /**< expression index body instead of columns, or NULL */
    int concurrently;           /**< 1: PostgreSQL builds it with CREATE INDEX CONCURRENTLY, without
                                 *   blocking writes; the migration must declare
                                 *   `transactional = 0`. SQLite builds it as usual */
    const char *method;         /**< PostgreSQL access method ("gin", "gist", "hash", "brin"…),
                                 *   or NULL for the default (btree); SQLite has none */
    const char *const *include; /**< PostgreSQL INCLUDE columns (stored, not keys), AG_COLS(…),
                                 *   or NULL; SQLite has none */
} ag_index_def;

/** What ag_alter_column() changes; NULL / AG_KEEP fields stay as they are. */
typedef struct ag_alter_def {
    const char *type;                    /**< new type, or NULL */
    int nullable;                        /**< AG_KEEP, 0 or 1 */
    const char *server_default;          /**< new default, or NULL to keep */
    int drop_default;                    /**< 1: remove the default */
    const char *comment;                 /**< new comment, or NULL to keep */
    int drop_comment;                    /**< 1: remove the comment */
    const char *existing_type;           /**< the type before, when known */
    int existing_nullable;               /**< AG_KEEP, 0 or 1 */
    const char *existing_server_default; /**< the default before, or NULL */
    const char *existing_comment;        /**< the comment before, or NULL */
    const char *const *values;           /**< with .type: enum values (AG_VALUES), for
                                          *   databases without enum types */
    const char *collation;               /**< new collation, or NULL to keep */
    int drop_collation;                  /**< 1: back to the type's default collation */
    const char *existing_collation;      /**< the collation before, or NULL */
} ag_alter_def;

#define AG_KEEP (-1)

#define AG_COLS(...)   ((const char *const[]){ __VA_ARGS__, (const char *)0 })
#define AG_COLUMN(...) (&(const ag_column_def){ __VA_ARGS__ })
#define AG_COL(...)    (&(const ag_item){ AG_ITEM_COLUMN, AG_COLUMN(__VA_ARGS__) })
#define AG_PRIMARY_KEY(name_, cols_)                                                               \
    (&(const ag_item){ .kind = AG_ITEM_PRIMARY_KEY, .name = (name_), .columns = (cols_) })
#define AG_UNIQUE(name_, cols_)                                                                    \
    (&(const ag_item){ .kind = AG_ITEM_UNIQUE, .name = (name_), .columns = (cols_) })
#define AG_CHECK(name_, expr_)                                                                     \
    (&(const ag_item){ .kind = AG_ITEM_CHECK, .name = (name_), .expression = (expr_) })
#define AG_FOREIGN_KEY(name_, cols_, ref_table_, ref_cols_, on_delete_, on_update_)                \
    (&(const ag_item){ .kind = AG_ITEM_FOREIGN_KEY,                                                \
                       .name = (name_),                                                            \
                       .columns = (cols_),                                                         \
                       .ref_table = (ref_table_),                                                  \
                       .ref_columns = (ref_cols_),                                                 \
                       .on_delete = (on_delete_),                                                  \
                       .on_update = (on_update_) })
/* A foreign key checked at COMMIT ("deferred") or DEFERRABLE but checked at
 * each statement until SET CONSTRAINTS says otherwise ("immediate"). */
#define AG_DEFERRABLE_FOREIGN_KEY(name_, cols_, ref_table_, ref_cols_, on_delete_, on_update_,     \
                                  initially_)                                                      \
    (&(const ag_item){ .kind = AG_ITEM_FOREIGN_KEY,                                                \
                       .name = (name_),                                                            \
                       .columns = (cols_),                                                         \
                       .ref_table = (ref_table_),                                                  \
                       .ref_columns = (ref_cols_),                                                 \
                       .on_delete = (on_delete_),                                                  \
                       .on_update = (on_update_),                                                  \
                       .initially = (initially_) })
/** A unique constraint checked at commit ("deferred") or at each statement
 *  until SET CONSTRAINTS defers it ("immediate"): PostgreSQL only. */
#define AG_DEFERRABLE_UNIQUE(name_, cols_, initially_)                                             \
    (&(const ag_item){                                                                             \
        .kind = AG_ITEM_UNIQUE, .name = (name_), .columns = (cols_), .initially = (initially_) })
/** Table options: what CREATE TABLE says after its closing parenthesis,
 *  as SQL ("STRICT", "WITHOUT ROWID" on SQLite; "PARTITION BY RANGE (day)",
 *  "WITH (fillfactor=70)" on PostgreSQL). */
#define AG_TABLE_OPTIONS(sql_) (&(const ag_item){ .kind = AG_ITEM_OPTIONS, .expression = (sql_) })
#define AG_INDEX(...)          (&(const ag_index_def){ __VA_ARGS__ })
#define AG_ALTER(...)                                                                              \
    (&(const ag_alter_def){ .nullable = AG_KEEP, .existing_nullable = AG_KEEP, __VA_ARGS__ })
#define AG_VALUES(...) AG_COLS(__VA_ARGS__)

/** "sqlite" or "postgresql". */
const char *ag_dialect(ag_op *op);

/* Tables. The items of ag_create_table() are AG_COL(...), AG_PRIMARY_KEY(...),
 * AG_UNIQUE(...), AG_CHECK(...), AG_FOREIGN_KEY(...) and
 * AG_DEFERRABLE_FOREIGN_KEY(...), ending with NULL (which
 * may be left out). The macro puts them in an array of items, so that anything
 * else there (a string, AG_COLS(...), AG_COLUMN(...)) does not compile. */
void ag_create_table(ag_op *op, const char *table, ...);
void ag_create_table_items(ag_op *op, const char *table, const ag_item *const *items);
#define ag_create_table(op_, table_, ...)                                                          \
    ag_create_table_items(ag_op_line((op_), __LINE__), (table_),                                   \
                          (const ag_item *const[]){ __VA_ARGS__, (const ag_item *)0 })
void ag_drop_table(ag_op *op, const char *table);
void ag_rename_table(ag_op *op, const char *table, const char *new_name);
void ag_table_comment(ag_op *op, const char *table, const char *comment, const char *existing);

/* Columns. */
void ag_add_column(ag_op *op, const char *table, const ag_column_def *column);
void ag_drop_column(ag_op *op, const char *table, const char *column);
void ag_alter_column(ag_op *op, const char *table, const char *column, const ag_alter_def *alter);
void ag_rename_column(ag_op *op, const char *table, const char *column, const char *new_name);

/* Indexes and constraints. */
void ag_create_index(ag_op *op,
                     const char *table,
                     const char *name,
                     const char *const *columns,
                     const ag_index_def *options);
void ag_drop_index(ag_op *op, const char *table, const char *name);
/* PostgreSQL: DROP INDEX CONCURRENTLY, without an ACCESS EXCLUSIVE lock on the
 * table (`transactional = 0` migrations only). SQLite: as ag_drop_index. */
void ag_drop_index_concurrently(ag_op *op, const char *table, const char *name);
void ag_create_unique(ag_op *op, const char *table, const char *name, const char *const *columns);
/* A deferrable unique constraint; initially "deferred" or "immediate". */
void ag_create_deferrable_unique(ag_op *op,
                                 const char *table,
                                 const char *name,
                                 const char *const *columns,
                                 const char *initially);
void ag_drop_unique(ag_op *op, const char *table, const char *name);
void ag_create_check(ag_op *op, const char *table, const char *name, const char *expression);
void ag_drop_check(ag_op *op, const char *table, const char *name);
void ag_create_foreign_key(ag_op *op,
                           const char *table,
                           const char *name,
                           const char *const *columns,
                           const char *ref_table,
                           const char *const *ref_columns,
                           const char *on_delete,
                           const char *on_update);
/* The same, DEFERRABLE: `initially` is "deferred" (checked at COMMIT) or
 * "immediate" (checked at each statement unless SET CONSTRAINTS defers it);
 * NULL makes the plain key of ag_create_foreign_key(). SQLite defers only
 * "deferred" keys. */
void ag_create_deferrable_foreign_key(ag_op *op,
                                      const char *table,
                                      const char *name,
                                      const char *const *columns,
                                      const char *ref_table,
                                      const char *const *ref_columns,
                                      const char *on_delete,
                                      const char *on_update,
                                      const char *initially);
/* Change only when a foreign key is checked: `initially` is "deferred",
 * "immediate" or "not deferrable" (also NULL); `existing` is what it was, in
 * the same words. PostgreSQL: ALTER CONSTRAINT, which does not check the rows
 * again; SQLite: a table rebuild. */
void ag_alter_foreign_key(
    ag_op *op, const char *table, const char *name, const char *initially, const char *existing);
void ag_drop_foreign_key(ag_op *op, const char *table, const char *name);
void ag_create_primary_key(ag_op *op,
                           const char *table,
                           const char *name,
                           const char *const *columns);
void ag_drop_primary_key(ag_op *op, const char *table, const char *name);

/* Enums (PostgreSQL types; on SQLite an enum column is TEXT with a CHECK). */
void ag_create_enum(ag_op *op, const char *name, const char *const *values);
void ag_drop_enum(ag_op *op, const char *name);
void ag_add_enum_value(ag_op *op, const char *name, const char *value);
/* The value goes before the value `before` (PostgreSQL: ADD VALUE … BEFORE). */
void ag_add_enum_value_before(ag_op *op, const char *name, const char *value, const char *before);
/* Give an enum these values in this order (PostgreSQL: the type is recreated
 * and every column moved over; no row may hold a value it drops). */
void ag_alter_enum(ag_op *op, const char *name, const char *const *values);
/* Remove a value no row holds any more (PostgreSQL: the type is recreated). */
void ag_drop_enum_value(ag_op *op, const char *name, const char *value);

/* Raw SQL, for data migrations. */
void ag_execute(ag_op *op, const char *sql);

/* Each call notes its line in the file, so that `autogen review` can point
 * its findings at it: the macros below pass __LINE__ through ag_op_line(),
 * which returns op. Calling a function through its address records line 0. */
ag_op *ag_op_line(ag_op *op, int line);
#ifndef AG_MIGRATION_NO_LINES
#define AG_AT_(op_)                           ag_op_line((op_), __LINE__)
#define ag_drop_table(op_, ...)               ag_drop_table(AG_AT_(op_), __VA_ARGS__)
#define ag_rename_table(op_, ...)             ag_rename_table(AG_AT_(op_), __VA_ARGS__)
#define ag_table_comment(op_, ...)            ag_table_comment(AG_AT_(op_), __VA_ARGS__)
#define ag_add_column(op_, ...)               ag_add_column(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_column(op_, ...)              ag_drop_column(AG_AT_(op_), __VA_ARGS__)
#define ag_alter_column(op_, ...)             ag_alter_column(AG_AT_(op_), __VA_ARGS__)
#define ag_rename_column(op_, ...)            ag_rename_column(AG_AT_(op_), __VA_ARGS__)
#define ag_create_index(op_, ...)             ag_create_index(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_index(op_, ...)               ag_drop_index(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_index_concurrently(op_, ...)  ag_drop_index_concurrently(AG_AT_(op_), __VA_ARGS__)
#define ag_create_unique(op_, ...)            ag_create_unique(AG_AT_(op_), __VA_ARGS__)
#define ag_create_deferrable_unique(op_, ...) ag_create_deferrable_unique(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_unique(op_, ...)              ag_drop_unique(AG_AT_(op_), __VA_ARGS__)
#define ag_create_check(op_, ...)             ag_create_check(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_check(op_, ...)               ag_drop_check(AG_AT_(op_), __VA_ARGS__)
#define ag_create_foreign_key(op_, ...)       ag_create_foreign_key(AG_AT_(op_), __VA_ARGS__)
#define ag_alter_foreign_key(op_, ...)        ag_alter_foreign_key(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_foreign_key(op_, ...)         ag_drop_foreign_key(AG_AT_(op_), __VA_ARGS__)
#define ag_create_primary_key(op_, ...)       ag_create_primary_key(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_primary_key(op_, ...)         ag_drop_primary_key(AG_AT_(op_), __VA_ARGS__)
#define ag_create_enum(op_, ...)              ag_create_enum(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_enum(op_, ...)                ag_drop_enum(AG_AT_(op_), __VA_ARGS__)
#define ag_add_enum_value(op_, ...)           ag_add_enum_value(AG_AT_(op_), __VA_ARGS__)
#define ag_add_enum_value_before(op_, ...)    ag_add_enum_value_before(AG_AT_(op_), __VA_ARGS__)
#define ag_alter_enum(op_, ...)               ag_alter_enum(AG_AT_(op_), __VA_ARGS__)
#define ag_drop_enum_value(op_, ...)          ag_drop_enum_value(AG_AT_(op_), __VA_ARGS__)
#define ag_execute(op_, ...)                  ag_execute(AG_AT_(op_), __VA_ARGS__)
#define ag_create_deferrable_foreign_key(op_, ...)                                                 \
    ag_create_deferrable_foreign_key(AG_AT_(op_), __VA_ARGS__)
#endif

#ifdef __cplusplus
}
#endif

#endif
