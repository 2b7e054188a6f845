/* postgres_internal.h - what the PostgreSQL files share. */
#ifndef AUTOGEN_DIALECT_POSTGRES_INTERNAL_H
#define AUTOGEN_DIALECT_POSTGRES_INTERNAL_H

#include "dialect.h"

/* Connection, statements, transactions and the advisory lock (postgres_db.c). */
extern const ag_dialect ag_dialect_postgres_connection;

#endif
