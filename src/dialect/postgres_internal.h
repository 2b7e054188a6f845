/* postgres_internal.h - what the PostgreSQL files share. */
#ifndef AUTOGEN_DIALECT_POSTGRES_INTERNAL_H
#define AUTOGEN_DIALECT_POSTGRES_INTERNAL_H

#include "dialect.h"

#include "../util/buf.h"

/* Connection, statements, transactions and the advisory lock (postgres_db.c). */
extern const ag_dialect ag_dialect_postgres;

int ag_pg__introspect(ag_db *db, const ag_introspect_opts *opts, ag_schema **out, ag_error *err);
int ag_pg__render(
    ag_arena *a, const ag_schema *state, const ag_opdef *op, ag_strs *out, ag_error *err);
const char *ag_pg__type_sql(ag_arena *a, const ag_type *t);
void ag_pg__type_reduce(ag_type *t);
bool ag_pg__collation_same(const char *a, const char *b);
void ag_pg__schema_sql(ag_arena *a, const char *schema, bool create, ag_strs *out);
/* format_type() text ("character varying(50)") into the vocabulary. */
void ag_pg__type_parse(ag_arena *a, const char *sql, ag_type *out);
/* A default as pg_get_expr() prints it, in the canonical form of models
 * ('x'::character varying -> 'x'). */
const char *ag_pg__default(ag_arena *a, const char *expr);
/* Whether a transaction is open on db (postgres_db.c). */
bool ag_pg__in_transaction(ag_db *db);
/* The dialect's normalize_exprs (postgres_normalize.c). */
/* "(a, b)", each name quoted as needed. */
void ag_pg__ident_list(ag_buf *b, const ag_strs *l);
/* What follows "CREATE INDEX name ON table ": [USING method] (elements)
 * [INCLUDE (…)], without the WHERE; see postgres_index.c. */
void ag_pg__index_body(ag_buf *b, const ag_index *x);
/* Whether an index expression is an element list that stands bare inside
 * CREATE INDEX's parentheses (else it is wrapped in its own). */
bool ag_pg__index_elements_bare(const char *text);
int ag_pg__normalize_exprs(ag_db *db, ag_exprs *x, ag_error *err);
int ag_pg__prerequisites(ag_db *db, const ag_schema *s, ag_arena *a, ag_strs *out, ag_error *err);
int ag_pg__baseline_extras(
    ag_db *db, const ag_schema *s, ag_arena *a, ag_baseline_extras *out, ag_error *err);

#endif
