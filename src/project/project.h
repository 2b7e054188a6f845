/* project.h (internal) - one autogen project: configuration, models, database,
 * migrations. The CLI and the public ag_project_* API both work through it.
 * Everything is opened lazily, the first time a command needs it.
 */
#ifndef AUTOGEN_PROJECT_PROJECT_H
#define AUTOGEN_PROJECT_PROJECT_H

#include "../config/config.h"
#include "../diff/diff.h"
#include "../runner/runner.h"

struct ag_project {
    ag_config cfg;
    const char *url; /* effective URL (--url, then AUTOGEN_URL, then config) */
    ag_url purl;     /* parsed */
    const ag_dialect *dialect;
    ag_db *db;                /* NULL until connected */
    ag_graph *graph;          /* NULL until loaded */
    ag_compiler *compiler;    /* NULL until needed */
    const char *versions_dir; /* <script_location>/versions */
    const char *cache_dir;    /* compiled migrations */
    uint64_t cache_key;       /* hash of versions_dir's real path, for cache file names */
    bool cache_key_done, cache_usable;
    ag_diags diags;          /* model problems of the last load */
    ag_events events;        /* where runs report (event.h); the CLI's prints them */
    bool quiet;              /* runs keep their progress to themselves (ag_runner.quiet) */
    bool no_env;             /* AG_OPT_NO_ENV: no environment variable is read */
    bool allow_empty_models; /* models that declare no table may drop every table */
    bool read_only;          /* the command only reads: connect so (ag_url.read_only) */
    bool failed;             /* the command failed: ag_project_free writes no cache */
};

/* Open the project of config_path (NULL: found from the current folder up);
 * url over AUTOGEN_URL over the configured one. no_env: read no environment
 * variable (autogen.h lists them). */
int ag_project_load(
    ag_project **out, const char *config_path, const char *url, bool no_env, ag_error *err);

/* Scaffold a project as `autogen init`: config_path (refused when it exists),
 * models/ and script_location/{script.c.tmpl,versions/}, each joined with
 * dir. NULL url and tmpl: sqlite:///app.db and the built-in template. */
int ag_project_scaffold(const char *dir,
                        const char *config_path,
                        const char *script_location,
                        const char *url,
                        const char *tmpl,
                        ag_error *err);

int ag_project_connect(ag_project *p, ag_error *err);
/* The dialect of the URL, without connecting. */
int ag_project_dialect(ag_project *p, ag_error *err);
/* A runner without a database, for offline SQL and show. */
int ag_project_offline_runner(ag_project *p, ag_runner *out, ag_error *err);
int ag_project_graph(ag_project *p, ag_graph **out, ag_error *err);
int ag_project_runner(ag_project *p, ag_runner *out, ag_error *err);
int ag_project_models(ag_project *p, ag_schema **out, ag_error *err);
/* The model files the project reads (configured files, and the .yaml/.yml
 * files of configured folders and their subfolders), in load order; strings
 * in the project's arena. */
int ag_project_model_files(ag_project *p, ag_strs *out, ag_error *err);
int ag_project_introspect(ag_project *p, ag_schema **out, ag_error *err);

/* Autogenerate: models vs. database. *ops empty when nothing differs. */
int ag_project_autodiff(ag_project *p, ag_oplist **ops, ag_schema **current, ag_error *err);

/* The diff autogenerate makes of two schemas, with the project's settings
 * (include/exclude, the dialect's type equivalence; expressions normalized
 * on the connection when there is one). */
int ag_project_diff_schemas(ag_project *p,
                            const ag_schema *current,
                            const ag_schema *target,
                            ag_oplist **ops,
                            ag_error *err);
/* How models are loaded for dialect d (NULL: no database known, so the
 * portable identifier limit and no dialect-specific refusals). */
ag_model_opts ag_project_model_opts(const ag_project *p, const ag_dialect *d);
/* The name of the schema unqualified names mean ("public", `schema:`, "main"). */
const char *ag_project_default_schema(ag_project *p);

/* Refuse (AG_ECONFLICT / AG_EMULTIHEAD) unless the database is at the head. */
int ag_project_require_head(ag_project *p, const char *head_opt, ag_rev **head, ag_error *err);

typedef struct ag_revision_opts {
    const char *message;
    const char *rev_id;       /* NULL = random */
    const char *head;         /* --head */
    const char *branch_label; /* --branch-label */
    const char *depends_on;   /* --depends-on */
    const char *version_path; /* --version-path */
    const char *date;         /* NULL = now */
    bool empty;               /* --empty: no autogenerate */
    bool splice;              /* --splice: --head may name a revision that is not a head */
    const char *const *merge; /* merge these revisions ("heads": all heads); NULL-terminated */
    /* Write these operations instead of autogenerating (pull --baseline); the
     * revision goes on the head as with `empty`. They stay the caller's
     * (res->ops is then NULL). */
    ag_oplist *ops;
} ag_revision_opts;

typedef struct ag_revision_result {
    char *path; /* the revision written; NULL (and AG_OK) when nothing changed */
    /* Written first when the database cannot use new enum values in the
     * transaction that adds them (AG_CAP_ENUM_COMMIT): those values, in a
     * revision declaring `transactional = 0` that `path` revises. Or NULL. */
    char *outside_path;
    ag_oplist *ops;         /* the upgrade ops of `path` (of what was found, when nothing
                             * changed: rename hints only), hints included */
    ag_oplist *outside_ops; /* the upgrade ops of outside_path, or NULL */
} ag_revision_result;

/* Write a revision file (or two, see outside_path); all or nothing. */
int ag_project_write_revision(ag_project *p,
                              const ag_revision_opts *opts,
                              ag_revision_result *res,
                              ag_error *err);
void ag_revision_result_release(ag_revision_result *res);

/* A fresh random 12-hex-digit revision id. */
void ag_new_rev_id(char out[13]);

#endif
