/* model.h - loading YAML model files (SPEC §3) into an ag_schema.
 *
 * The loader reads every file with libyaml, builds the target schema with a
 * source location on every node, fills unnamed constraints and indexes from
 * the naming convention, and validates the whole (types, references,
 * duplicates, unknown keys). It reports every problem of the load, not only
 * the first, as diagnostics with file:line:col.
 */
#ifndef AUTOGEN_MODEL_MODEL_H
#define AUTOGEN_MODEL_MODEL_H

#include "../schema/schema.h"

typedef struct ag_naming {
    const char *ix; /* "ix_{table}_{columns}" */
    const char *uq; /* "uq_{table}_{columns}" */
    const char *fk; /* "fk_{table}_{columns}_{referred_table}" */
    const char *pk; /* "pk_{table}" */
    const char *ck; /* "ck_{table}_{name}" (checks always carry a name; kept for symmetry) */
} ag_naming;

/* The defaults of SPEC §2. */
extern const ag_naming ag_naming_default;

typedef struct ag_diag {
    const char *file; /* as given to the loader */
    unsigned line, col;
    const char *msg; /* "unknown type 'strng(50)'; did you mean 'string(50)'?" */
} ag_diag;

typedef struct ag_diags {
    ag_arena arena;
    ag_diag *v;
    size_t n, cap;
} ag_diags;

void ag_diags_release(ag_diags *d);
void ag_diags_add(ag_diags *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    AG_PRINTF(5, 6);

/* PostgreSQL's limit (NAMEDATALEN - 1): the one to use when the database is not
 * known, so that models stay portable. */
#define AG_IDENTIFIER_PORTABLE 63

typedef struct ag_model_opts {
    ag_naming naming;           /* fields left NULL take ag_naming_default's */
    const char *default_schema; /* `schema:` of autogen.yaml, or NULL */
    size_t max_identifier;      /* longest name in bytes the database keeps; 0: no limit */
    /* The database the models are for, when known: its name ("SQLite") and
     * its ag_dialect_caps. What it cannot hold is an error at the key that asks
     * for it, never ignored or built as something else: a schema (without
     * AG_CAP_SCHEMAS the one namespace is `main`, and `raw.orders` and
     * `clean.orders` would be one table), an index's `using:`/`include:`, a
     * deferrable unique constraint, table options other than SQLite's. NULL:
     * not known, nothing refused. */
    const char *dialect;
    unsigned caps;
} ag_model_opts;

/*
 * Load and validate model files. On success *out is the target schema (the
 * caller frees it). When any file is bad, returns AG_EINVALID, *out is NULL and
 * diags holds every problem found, in file order; err then says how many.
 * A file that cannot be read is a diagnostic too (at line 0).
 */
int ag_model_load(ag_schema **out,
                  const char *const *files,
                  size_t nfiles,
                  const ag_model_opts *opts,
                  ag_diags *diags,
                  ag_error *err);

/* Same, for in-memory YAML documents (names[i] is used in diagnostics). */
int ag_model_load_buffers(ag_schema **out,
                          const char *const *names,
                          const char *const *texts,
                          size_t n,
                          const ag_model_opts *opts,
                          ag_diags *diags,
                          ag_error *err);

/*
 * The same load, started before every document is known: files are parsed
 * on other threads as they are added (ag_model_load_buffers is start, add,
 * finish), so that a producer (pull's writer) overlaps with the parse. start
 * takes the most files that will be added; add keeps name and text (NULL:
 * read the file `name`) until finish, which loads them in the order added
 * and frees the stream, as abort does without loading.
 */
typedef struct ag_model_stream ag_model_stream;
ag_model_stream *ag_model_stream_start(size_t max_files);
void ag_model_stream_add(ag_model_stream *st, const char *name, const char *text);
int ag_model_stream_finish(ag_model_stream *st,
                           ag_schema **out,
                           const ag_model_opts *opts,
                           ag_diags *diags,
                           ag_error *err);
void ag_model_stream_abort(ag_model_stream *st);

/* name itself when it has at most max bytes (or max is 0); else the longest
 * prefix that leaves room, cut on a UTF-8 character boundary, then '_' and 8
 * hex digits of a hash (FNV-1a) of the whole name: the same name always gives
 * the same result, and two names differ after shortening too. */
const char *ag_identifier_shorten(ag_arena *a, const char *name, size_t max);

/* Expand a naming-convention pattern for one table. */
const char *ag_naming_expand(ag_arena *a,
                             const char *pattern,
                             const char *table,
                             const ag_strs *columns,
                             const char *referred_table,
                             const char *name);

#endif
