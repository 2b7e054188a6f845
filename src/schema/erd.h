/* erd.h - a schema drawn as an entity-relationship diagram (README: "Drawing
 * the graph"), for `autogen show --models`.
 *
 * Tables are entities, named schema.table outside the default schema; each
 * column shows its type and its keys: PK (in the primary key), FK (in a
 * foreign key), UK (unique on its own). A foreign key is a relationship from
 * the referenced table to the referencing one, with the cardinality its
 * columns give: the referenced side is exactly one when the columns are NOT
 * NULL, else zero or one; the referencing side is zero or one when the
 * columns are unique (primary key, unique constraint or unique index on
 * exactly them), else zero or more. Each function returns the whole text,
 * malloc'd, freed by the caller.
 */
#ifndef AUTOGEN_SCHEMA_ERD_H
#define AUTOGEN_SCHEMA_ERD_H

#include "schema.h"

/* A Mermaid `erDiagram`. Names Mermaid cannot take as they are (spaces,
 * quotes, its key words) are written in a form it parses, the real name
 * then given in the attribute's comment. */
char *ag_erd_mermaid(const ag_schema *s);
/* A Graphviz digraph: one box per table listing its columns, an edge from
 * each referencing table to the referenced one, labelled with the key. */
char *ag_erd_dot(const ag_schema *s);
/* Plain text: each table, then its columns (name, type, keys, NOT NULL)
 * and its foreign keys. */
char *ag_erd_text(const ag_schema *s);

#endif
