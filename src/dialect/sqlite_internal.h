/* sqlite_internal.h - what the three SQLite files share. */
#ifndef AUTOGEN_DIALECT_SQLITE_INTERNAL_H
#define AUTOGEN_DIALECT_SQLITE_INTERNAL_H

#include "dialect.h"

int ag_sqlite__introspect(ag_db *db,
                          const ag_introspect_opts *opts,
                          ag_schema **out,
                          ag_error *err);
/* Run sql and hand each row to fn as text cells (NULL for SQL NULL), valid
 * only during the call, without keeping the result: fn returns false to stop
 * early (then AG_OK). At most 16 columns. */
typedef bool (*ag_sqlite_row_fn)(void *arg, const char *const *cells, size_t ncols);
int ag_sqlite__each(ag_db *db, const char *sql, ag_sqlite_row_fn fn, void *arg, ag_error *err);
int ag_sqlite__render(
    ag_arena *a, const ag_schema *state, const ag_opdef *op, ag_strs *out, ag_error *err);
const char *ag_sqlite__type_sql(ag_arena *a, const ag_type *t);
void ag_sqlite__type_reduce(ag_type *t);
bool ag_sqlite__collation_same(const char *a, const char *b);
/* Whether sql names `name` (an identifier, quoted or not, any ASCII case). */
bool ag_sqlite__mentions(const char *sql, const char *name);
/* Record in s the views and triggers raw SQL creates or drops (dialect.h: track_sql). */
void ag_sqlite__track_sql(ag_schema *s, const char *sql);
int ag_sqlite__baseline_extras(
    ag_db *db, const ag_schema *s, ag_arena *a, ag_baseline_extras *out, ag_error *err);
/* Parse a declared SQLite type back into the vocabulary. */
void ag_sqlite__type_parse(ag_arena *a, const char *declared, ag_type *out);

#endif
