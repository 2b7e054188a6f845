/* pull.h - a live database's schema written back as YAML models (SPEC §3).
 *
 * `autogen pull` introspects the database as autogenerate does, keeps the
 * tables autogenerate manages, and hands them here: each table becomes the
 * YAML a person would write for it (model types, `default:` for literals,
 * column-level `primary_key`/`unique`/`index`/`references` where they say it
 * all, names only where they differ from the naming convention), so that the
 * models load back into a schema the diff finds equal to the database. What
 * the models cannot say is left out and reported as a warning.
 *
 * Output is stable: tables in the order given, columns in database order,
 * constraints in the order introspection reports them, enums by name; two
 * pulls of one database are byte-identical.
 */
#ifndef AUTOGEN_PULL_PULL_H
#define AUTOGEN_PULL_PULL_H

#include "../model/model.h"
#include "../util/buf.h"

typedef struct ag_pull_opts {
    ag_naming naming;           /* every field set (the project's naming_convention) */
    const char *default_schema; /* the schema tables without `schema:` live in ("public") */
    size_t max_identifier;      /* as the loader shortens convention names; 0: no limit */
    /* The database keeps a name for every constraint (PostgreSQL); else
     * introspection invents "uq_<table>_<n>" for unnamed ones (SQLite), and
     * such names are left out like the convention's. */
    bool keeps_names;
    const char *dialect; /* "sqlite", "postgresql": named in warnings */
    /* The dialect's: a column collation it calls the default is left out. */
    bool (*collation_same)(const char *a, const char *b);
    /* NULL: one file per table, named "<table>.yaml" ("<schema>/<table>.yaml"
     * outside the default schema), enums in "enums.yaml". Else the path of the
     * one file that holds everything. */
    const char *single_file;
    /* Non-NULL: each file is added to it (its path as the name) as soon as it
     * is written, for the loader to parse while the others are written. */
    ag_model_stream *load;
} ag_pull_opts;

typedef struct ag_pull_file {
    const char *path; /* relative to the output folder (or single_file as given) */
    const char *text; /* the YAML document */
    ag_strs tables;   /* "table" or "schema.table", in file order */
    ag_strs enums;
} ag_pull_file;

typedef struct ag_pull {
    ag_arena arena; /* everything below */
    ag_pull_file *files;
    size_t nfiles, files_cap;
    ag_strs warnings; /* what the models could not say, one sentence each */
    /* Primary keys written with their name because it is PostgreSQL's own
     * "<table>_pkey", not the convention's: a naming_convention of
     * "{table}_pkey" would leave those names out. */
    size_t pg_pkey_names;
    size_t ntables, nenums;
} ag_pull;

/* Write s (the tables and enums to pull, already filtered) as model files
 * into out (released with ag_pull_release, also on failure). */
int ag_pull_render(ag_pull *out, const ag_schema *s, const ag_pull_opts *o, ag_error *err);
void ag_pull_release(ag_pull *p);

/* One YAML scalar as the writer spells it: plain when YAML reads it back as
 * the same string (and never as a number, boolean or null), else
 * double-quoted with escapes. Identifiers (ident) are plain only when they
 * are a letter or '_' followed by letters, digits and '_'. */
void ag_pull_yaml_scalar(ag_buf *b, const char *s, bool ident);

#endif
