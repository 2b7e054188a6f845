/* config.h - autogen.yaml (SPEC §2).
 *
 * Finds and reads the project configuration. Paths in the file are relative
 * to the file's directory; the loaded config holds them joined with that
 * directory (as given: relative when the config was found relative to the
 * current directory), ready to open and to print.
 */
#ifndef AUTOGEN_CONFIG_CONFIG_H
#define AUTOGEN_CONFIG_CONFIG_H

#include "../lint/lint.h"
#include "../model/model.h"
#include "../util/arena.h"

typedef struct ag_config {
    ag_arena arena;
    const char *path;            /* the autogen.yaml read */
    const char *dir;             /* its directory ("." for the current one) */
    ag_strs models;              /* model files and folders, joined with dir */
    const char *script_location; /* migration environment, joined with dir */
    const char *url;             /* as configured, may be NULL */
    const char *version_table;   /* default "autogen_version" */
    const char *run_log_table;   /* default "autogen_run_log" (README, "Running in production") */
    const char *schema;          /* may be NULL */
    ag_strs include_tables;      /* globs; empty = all */
    ag_strs exclude_tables;      /* globs */
    const char *file_template;   /* default "{rev}_{slug}" */
    ag_naming naming;            /* every field set (defaults filled in) */
    /* PostgreSQL's lock_timeout for migration statements, in the server's
     * form ("1500ms", "2min"); NULL when off (0, the default). */
    const char *lock_timeout;
    /* Where `schema:` is set (its value), for errors about it. */
    unsigned schema_line, schema_col;
    /* `lint:`: severities chosen per rule for `autogen review` (docs/lint.md),
     * in file order; every rule id is known and every level valid. */
    ag_lint_level *lint;
    size_t nlint, lint_cap;

    /* `environment:`, else "development"; a project puts AUTOGEN_ENV over it */
    const char *environment;
} ag_config;

/* Find autogen.yaml in start_dir or its nearest parent; *out is arena-free
 * malloc'd path (caller frees). AG_ENOTFOUND when there is none. */
int ag_config_find(char **out, const char *start_dir, ag_error *err);

/* Read path into out (released with ag_config_release, even on failure).
 * Errors carry path:line:col. */
int ag_config_load(ag_config *out, const char *path, ag_error *err);
/* The same for a configuration held in memory (read from a git tree):
 * path names it in messages and gives the directory paths are joined with. */
int ag_config_load_text(
    ag_config *c, const char *path, const char *text, size_t len, ag_error *err);
void ag_config_release(ag_config *c);

/* Whether the environment is "production": commands that destroy data refuse
 * without --allow-destructive (README, "Running in production"). */
bool ag_config_production(const ag_config *c);

/* Join dir and rel ("." and "models" give "models"; absolute rel is kept). */
const char *ag_path_join(ag_arena *a, const char *dir, const char *rel);

#endif
