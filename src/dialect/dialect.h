/* dialect.h - the one interface every database implements.
 *
 * A dialect bundles what is specific to one database: the connection, the
 * introspector that turns a live database into an ag_schema, and the
 * renderer that turns ops into SQL. Code outside src/dialect/ never includes
 * a driver header or writes dialect SQL; it asks for a dialect by URL scheme
 * (ag_dialect_for_url) and calls through this table. A new database is three
 * files (<name>_db.c, <name>_introspect.c, <name>_render.c) and one row in
 * dialect.c.
 */
#ifndef AUTOGEN_DIALECT_DIALECT_H
#define AUTOGEN_DIALECT_DIALECT_H

#include "../schema/op.h"
#include "../schema/schema.h"
#include "../util/event.h"

typedef struct ag_db ag_db; /* a connection; each dialect defines it */

/* A parsed database URL. Strings live as long as the ag_url (ag_url_release). */
typedef struct ag_url {
    char *scheme;   /* "sqlite", "postgresql" */
    char *path;     /* SQLite: file path (absolute, or ":memory:") */
    char *conninfo; /* PostgreSQL: what libpq takes */
    char *display;  /* the URL with any password masked: safe to print */
    char *dbname;   /* PostgreSQL: connect to this database instead (scratch), or NULL */
    /* SQLite: the URL's mode=ro|rw|rwc (default rwc: read, write, create). */
    enum { AG_MODE_RWC, AG_MODE_RW, AG_MODE_RO } mode;
    /* Set by a command that only reads: nothing is created or written; SQLite
     * opens the file read-only, and a missing file reads as an empty database. */
    bool read_only;
} ag_url;

/* Parse url; a relative SQLite path is taken relative to base_dir. */
int ag_url_parse(ag_url *out, const char *url, const char *base_dir, ag_error *err);
void ag_url_release(ag_url *u);

/* Query results: all values as text, NULL for SQL NULL. */
typedef struct ag_rows {
    size_t nrows, ncols;
    char **cells;   /* nrows * ncols, row-major; each in arena, or NULL */
    ag_arena arena; /* the cells' text: one allocation per block, not per cell */
} ag_rows;
void ag_rows_release(ag_rows *r);
static inline const char *ag_rows_get(const ag_rows *r, size_t row, size_t col)
{
    return r->cells[row * r->ncols + col];
}

/* What the generic code must know about a database, instead of its name. */
enum ag_dialect_caps {
    AG_CAP_ALTER_COLUMN = 1 << 0,      /* ALTER COLUMN TYPE/NULL/DEFAULT in place */
    AG_CAP_ENUM_TYPES = 1 << 1,        /* named enum types (CREATE TYPE) */
    AG_CAP_SCHEMAS = 1 << 2,           /* namespaces (PostgreSQL schemas) */
    AG_CAP_COMMENTS = 1 << 3,          /* COMMENT ON */
    AG_CAP_TRANSACTIONAL_DDL = 1 << 4, /* DDL rolls back with the transaction */
    AG_CAP_ENUM_COMMIT = 1 << 5,     /* an enum value is usable only once its transaction commits */
    AG_CAP_INDEX_METHODS = 1 << 6,   /* index access methods (USING) and INCLUDE columns */
    AG_CAP_VIRTUAL_COLUMNS = 1 << 7, /* generated columns computed on read (VIRTUAL) */
    AG_CAP_DEFERRABLE_UNIQUE = 1 << 8, /* UNIQUE … DEFERRABLE */
    AG_CAP_TABLE_OPTIONS = 1 << 9      /* any table options, checked by the server (PARTITION BY,
                                        * WITH …); without it only STRICT and WITHOUT ROWID */
};

typedef struct ag_introspect_opts {
    const char *version_table; /* never reported */
    const char *run_log_table; /* never reported either */
    const char *schema;        /* PostgreSQL default schema, or NULL */
    /* The schemas autogenerate manages besides the default one (those the
     * models name); objects in any other schema are never read. NULL: every
     * schema (a replay's state, where nothing is diffed). */
    const ag_strs *managed;
    /* Tell a serial's sequence from one of its own (ag_column.sequence_owned),
     * which only pull needs: one more catalog query, so off elsewhere. */
    bool sequence_owners;
} ag_introspect_opts;

/* An expression of the models or of the database that autogenerate could not
 * match by text, for the server to put in its own words (normalize_exprs). */
typedef enum ag_expr_kind {
    AG_EXPR_CHECK,    /* a check constraint's expression */
    AG_EXPR_INDEX,    /* an expression index's body */
    AG_EXPR_WHERE,    /* a partial index's predicate */
    AG_EXPR_DEFAULT,  /* a column's default */
    AG_EXPR_GENERATED /* a generated column's expression */
} ag_expr_kind;

typedef struct ag_expr {
    ag_expr_kind kind;
    const ag_table *table; /* the models' table: the columns and types it is read against */
    const char *column;    /* AG_EXPR_DEFAULT, AG_EXPR_GENERATED: the column */
    const char *text;      /* as the models write it, or as the database holds it */
    bool model;            /* written in the models (loc says where) */
    ag_loc loc;
    const char *normal; /* set by the dialect: the server's form; NULL when it has none */
    const char *error;  /* set by the dialect: why the server rejected a model's text as
                         * SQL (a syntax error), else NULL */
} ag_expr;

typedef struct ag_exprs {
    ag_arena arena; /* the strings of v, normal and error included */
    ag_expr *v;
    size_t n, cap;
    const ag_schema *target; /* the models: enum types a table's columns use */
} ag_exprs;

/* How begin_locked waits for the run's write lock while another runner holds
 * it: after a second it says so (an AG_EVENT_WAITING event, unless quiet), naming what it
 * waits for; after `timeout` seconds it gives up with timed_out set and
 * `holder` saying who holds the lock, as far as the database can tell. */
typedef struct ag_lock_wait {
    double timeout; /* seconds */
    bool quiet;
    const ag_events *events; /* where the wait is told; NULL: nobody */
    /* PostgreSQL: the session's lock_timeout for the run's statements, in
     * the server's form ("1500ms"); NULL: off. */
    const char *statement_lock_timeout;
    bool timed_out;   /* out */
    char holder[256]; /* out, when timed_out */
} ag_lock_wait;

/* Statements in pairs: v[i] creates an object, undo.v[i] drops it again. */
typedef struct ag_sql_pairs {
    ag_strs v;
    ag_strs undo;
} ag_sql_pairs;

typedef struct ag_baseline_extras {
    ag_sql_pairs before; /* run before the tables are created (functions), undone after */
    ag_sql_pairs after;  /* run after them (views, triggers), undone before they go */
    ag_strs left_out;    /* "view 'x': why", what could not be carried */
} ag_baseline_extras;

static inline void
ag_sql_pairs_push(ag_arena *a, ag_sql_pairs *p, const char *sql, const char *undo)
{
    ag_strs_push_arena(a, &p->v, sql);
    ag_strs_push_arena(a, &p->undo, undo);
}

typedef struct ag_dialect ag_dialect;
struct ag_dialect {
    const char *name;  /* "sqlite", "postgresql": what ag_dialect() returns to migrations */
    const char *title; /* "SQLite", "PostgreSQL": the database's name in messages */
    unsigned caps;     /* ag_dialect_caps */
    /* The longest name, in bytes, the database keeps whole; 0: no limit. */
    size_t max_identifier;

    int (*connect)(ag_db **out, const ag_url *url, ag_error *err);
    void (*disconnect)(ag_db *db);
    /* Run one or more statements that return no rows. */
    int (*exec)(ag_db *db, const char *sql, ag_error *err);
    /* Run one statement with text parameters ($1.. / ?1..), collecting rows. */
    int (*query)(ag_db *db,
                 const char *sql,
                 const char *const *params,
                 size_t nparams,
                 ag_rows *out,
                 ag_error *err);

    /* Transactions: the whole run holds a write lock that keeps other runners out;
     * each migration is a savepoint inside it. begin_locked waits for the lock
     * as `wait` says (README, "How migrations run"). */
    int (*begin_locked)(ag_db *db, ag_lock_wait *wait, ag_error *err);
    int (*commit)(ag_db *db, ag_error *err);
    int (*rollback)(ag_db *db, ag_error *err);
    /* For a `transactional = 0` migration: on, commit the run's transaction and
     * let each statement commit on its own, the run's lock still held; off,
     * begin the run's next transaction. NULL: the database runs all of its DDL
     * inside a transaction (SQLite), so such a migration runs like any other. */
    int (*autocommit)(ag_db *db, bool on, ag_error *err);
    /* Called at the end of each migration, inside its transaction: a dialect
     * may verify integrity (SQLite: PRAGMA foreign_key_check). */
    int (*verify)(ag_db *db, ag_error *err);

    /* Offline scripts (--sql) do what a connection and `verify` do online:
     * script_prelude, NULL-terminated, opens the script, before any
     * transaction (SQLite: PRAGMA foreign_keys = OFF, as on connect);
     * script_verify ends a migration's transaction where `verify` would run,
     * and fails the transaction when integrity is broken. NULL: none. */
    const char *const *script_prelude;
    const char *const *script_verify;
    /* An SQL expression for now, in UTC, as the run log writes times
     * (2026-12-01T06:30:00.123Z): what offline scripts record. */
    const char *now_sql;

    /* The statements that make `schema` (the `schema:` setting) the session's
     * default, where unqualified names (and the version table) live; with
     * create, they first create it if it is missing. NULL: no schemas. */
    void (*schema_sql)(ag_arena *a, const char *schema, bool create, ag_strs *out);

    /* *out = whether a table of that name exists (for the version table, so
     * that read-only commands never create it). */
    int (*has_table)(ag_db *db, const char *name, bool *out, ag_error *err);

    /* The live schema, less the version table and the database's own tables.
     * include/exclude filtering is the caller's (ag_schema_filter). */
    int (*introspect)(ag_db *db, const ag_introspect_opts *opts, ag_schema **out, ag_error *err);

    /* Append to out the statements that carry out op on a database whose
     * schema is `state` (before op). Statements are arena strings without a
     * trailing semicolon. */
    int (*render)(
        ag_arena *a, const ag_schema *state, const ag_opdef *op, ag_strs *out, ag_error *err);

    /* The SQL type for t ("VARCHAR(50)", "TEXT"), in a. */
    const char *(*type_sql)(ag_arena *a, const ag_type *t);

    /* check --scratch: create a throwaway database next to the one url names and
     * point url at it (url->dbname); drop it again. NULL: the URL is used as it
     * is and must name an empty database. */
    int (*scratch_create)(ag_url *url, ag_error *err);
    int (*scratch_drop)(ag_url *url, ag_error *err);

    /* Offline replay: record in s what raw SQL (ag_execute) creates or drops
     * that the schema keeps besides tables (SQLite: views and triggers, which
     * a rebuild recreates). NULL: nothing. */
    void (*track_sql)(ag_schema *s, const char *sql);

    /* Map t to the representative of the types this database cannot tell
     * apart (SQLite: uuid, json, jsonb and interval are all TEXT), so that the
     * diff compares reduce(model) with reduce(introspected). */
    void (*type_reduce)(ag_type *t);

    /* Whether two column collations (NULL: the type's default) are the same
     * to this database (SQLite: names in any case, BINARY is the default). */
    bool (*collation_same)(const char *a, const char *b);

    /* Fill `normal` (and, for a model's text the server cannot parse, `error`)
     * of every expression of x, in a few round trips whatever x->n is, and
     * change nothing in the database. Both sides of a comparison go through
     * it, so they compare in the server's own words. NULL: expressions
     * compare by text alone (SQLite keeps them as written). */
    int (*normalize_exprs)(ag_db *db, ag_exprs *x, ag_error *err);

    /* pull --baseline: the statements that create what the tables of s use
     * and the models do not describe (PostgreSQL: extensions, domains), in an
     * order that applies, each one harmless when its object exists. NULL: none. */
    int (*prerequisites)(ag_db *db, const ag_schema *s, ag_arena *a, ag_strs *out, ag_error *err);

    /* pull --baseline: what else a database built from the history must have
     * that the models do not describe (views, their indexes, triggers,
     * functions), read from db for the tables of s; NULL: nothing. */
    int (*baseline_extras)(
        ag_db *db, const ag_schema *s, ag_arena *a, ag_baseline_extras *out, ag_error *err);
};

/* The dialect for a URL scheme ("sqlite", "postgresql", "postgres"), or NULL. */
const ag_dialect *ag_dialect_find(const char *scheme);

extern const ag_dialect ag_dialect_sqlite;
extern const ag_dialect ag_dialect_postgres;

#endif
