/* autogen.h - the libautogen API: what the `autogen` command does, for applications.
 *
 * The rules, once for the whole API (docs/api.md tells the same with examples):
 *
 * Ownership. An object returned through an `out` parameter (the first
 * parameter of the functions that have one) belongs to the caller, who frees
 * it with the matching ag_*_free(); an ag_strarray filled by the library is
 * freed with ag_strarray_free(). A pointer returned as a function's value
 * (an accessor's) is borrowed from its parent object and lives as long as it
 * does. Every ag_*_free() accepts NULL. Strings the caller passes in are
 * copied when the library keeps them.
 *
 * Errors. Functions return AG_OK (0) or a negative ag_code and describe the
 * failure in the ag_error the caller passes last (which may be NULL). On
 * failure, out parameters hold nothing to free (NULL, or an empty array).
 *
 * Out of memory. When an allocation fails, libautogen prints
 * "autogen: error: out of memory" on stderr and calls abort(); it never
 * returns a half-built result. AG_ENOMEM is returned only when a component
 * autogen does not allocate for (the migration compiler) cannot start.
 *
 * Output. The library prints nothing on stdout or stderr (but for the
 * out-of-memory line): what a run does is reported as events, to the
 * callback of ag_project_options, and to no one by default.
 *
 * Versioned options. Every options struct starts with `unsigned version`;
 * initialize it with its AG_*_OPTIONS_INIT macro or its ag_*_options_init()
 * function, then set the fields you need. A struct whose version is 0 or
 * unknown is refused with AG_EUSAGE. A NULL options pointer means the
 * defaults.
 *
 * Environment variables the library reads (none with AG_OPT_NO_ENV):
 *   AUTOGEN_URL            the database URL, over the configured one
 *                          (ag_project_options.url is over both)
 *   AUTOGEN_ENV            the environment name, over `environment:`
 *                          ("production" turns the production guard on)
 *   AUTOGEN_CACHE_DIR      where compiled migrations and the revision index
 *                          are cached (default <script_location>/.cache)
 *   AUTOGEN_RECORD_TIMEOUT seconds a migration may take to record its
 *                          operations (default 300)
 *   USER                   the run log's run_by, when the password database
 *                          has no name for the process's user
 * The migration compiler reads TMPDIR only when it has no cache folder,
 * which never happens through this API.
 *
 * Threads. Call the library from one thread at a time, whatever the
 * project: the migration compiler (libtcc) keeps global state. Threads the
 * library starts for itself are joined before a call returns; migrations
 * record their operations in a child process.
 */
#ifndef AUTOGEN_AUTOGEN_H
#define AUTOGEN_AUTOGEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define AG_EXTERN __attribute__((visibility("default")))
#else
#define AG_EXTERN
#endif

/** The version of this header; ag_version() tells the library's. */
#define AG_VERSION_MAJOR 0
#define AG_VERSION_MINOR 2
#define AG_VERSION_PATCH 0
#define AG_VERSION       "0.2.0"

/**
 * The version of the linked library, as "MAJOR.MINOR.PATCH"; each non-NULL
 * pointer receives its part. Compare it with AG_VERSION_* to detect a
 * program built against other headers than the library it runs with.
 */
AG_EXTERN const char *ag_version(int *major, int *minor, int *patch);

/** Return codes. */
typedef enum ag_code {
    AG_OK = 0,
    AG_ERROR = -1,  /**< generic failure */
    AG_ENOMEM = -2, /**< the migration compiler could not start (see above) */
    AG_EIO = -3,    /**< a file could not be read or written */
    AG_EINVALID =
        -4, /**< bad input: YAML, a migration file, a template, a URL; a buffer too small */
    AG_ENOTFOUND = -5,  /**< no such revision, table, file */
    AG_EDB = -6,        /**< the database driver reported an error */
    AG_EGIT = -7,       /**< libgit2 reported an error */
    AG_EMULTIHEAD = -8, /**< the operation needs one head but there are several */
    AG_ECYCLE = -9,     /**< the revision graph has a cycle */
    AG_ECONFLICT = -10, /**< the database is not where the operation needs it */
    AG_ECOMPILE = -11,  /**< a migration file did not compile */
    AG_EUSAGE = -12     /**< the caller's arguments are wrong (an options version, a NULL) */
} ag_code;

/** An error, filled at the lowest level that knows the cause. */
typedef struct ag_error {
    int code;       /**< an ag_code */
    char file[512]; /**< the file the error is in, or "" */
    unsigned line;  /**< 1-based line in file, or 0 */
    unsigned col;   /**< 1-based column in file, or 0 */
    char msg[1024]; /**< what went wrong and, where possible, what to do */
} ag_error;

/** A list of strings (paths, revision ids), libgit2's git_strarray. */
typedef struct ag_strarray {
    char **strings;
    size_t count;
} ag_strarray;

/** Free the strings of an array the library filled and zero it; the struct stays the caller's. */
AG_EXTERN void ag_strarray_free(ag_strarray *array);

/* --- events -------------------------------------------------------------------------- */

/** What an event reports. */
typedef enum ag_event_kind {
    AG_EVENT_REVISION_START = 1, /**< a migration starts to run */
    AG_EVENT_REVISION_DONE = 2,  /**< it finished: status and elapsed_ms say how */
    AG_EVENT_INFO = 3,           /**< "Nothing to do: ...", "Reverting run 3: 2 revision(s)" */
    AG_EVENT_WARNING = 4,        /**< applied files edited since; a drop of an unknown table */
    AG_EVENT_WAITING = 5,        /**< the run waits for another runner's write lock */
    AG_EVENT_DRY_RUN = 6         /**< a rehearsal's report (the CLI's --dry-run) */
} ag_event_kind;

/** The direction of a migration. */
typedef enum ag_event_direction { AG_EVENT_UPGRADE = 1, AG_EVENT_DOWNGRADE = 2 } ag_event_direction;

/**
 * One event. Every string is valid only during the callback; copy what you keep.
 * Fields that do not apply to the kind are 0 or NULL.
 */
typedef struct ag_event {
    ag_event_kind kind;
    ag_event_direction direction; /**< REVISION_*: upgrade or downgrade */
    const char *revision;         /**< REVISION_*: the migration's revision id */
    const char *from;             /**< REVISION_*: the revision(s) it goes from ("<base>": none) */
    const char *to;               /**< REVISION_*: the revision(s) it goes to ("<base>": none) */
    const char *message;          /**< REVISION_*: the migration's message ("" when none) */
    const char *path;             /**< REVISION_*: the migration's file */
    double elapsed_ms;            /**< REVISION_DONE: how long it ran */
    int status;                   /**< REVISION_DONE: AG_OK, or the ag_code it failed with */
    /**
     * Every kind: the event as one line of text, without a newline, as the
     * `autogen` command prints it ("Running upgrade a1 -> b2, add users";
     * a warning without its "autogen: warning: " prefix).
     */
    const char *text;
} ag_event;

/** Receives events; payload is ag_project_options.payload. */
typedef void (*ag_event_cb)(const ag_event *event, void *payload);

/* --- projects ------------------------------------------------------------------------ */

/** A migration project: autogen.yaml, its models and its migration environment. */
typedef struct ag_project ag_project;

/** ag_project_options.flags */
#define AG_OPT_NO_ENV 1u /**< read no environment variable (the list above) */

#define AG_PROJECT_OPTIONS_VERSION 1
typedef struct ag_project_options {
    unsigned version;        /**< AG_PROJECT_OPTIONS_VERSION */
    const char *config_path; /**< autogen.yaml; NULL searches from the current directory up */
    const char *url;         /**< overrides AUTOGEN_URL and the configured url; may be NULL */
    unsigned flags;          /**< AG_OPT_* */
    ag_event_cb on_event;    /**< receives what runs do; NULL: silent */
    void *payload;           /**< passed to on_event */
} ag_project_options;
#define AG_PROJECT_OPTIONS_INIT                                                                    \
    {                                                                                              \
        AG_PROJECT_OPTIONS_VERSION, NULL, NULL, 0u, NULL, NULL                                     \
    }
/** Set opts to AG_PROJECT_OPTIONS_INIT; AG_EUSAGE when version is not one this library knows. */
AG_EXTERN int ag_project_options_init(ag_project_options *opts, unsigned version);

/**
 * Open a project. *out belongs to the caller (ag_project_free). Model files
 * are not read and the database is not connected until an operation needs them.
 */
AG_EXTERN int ag_project_open(ag_project **out, const ag_project_options *opts, ag_error *err);
AG_EXTERN void ag_project_free(ag_project *project);

#define AG_INIT_OPTIONS_VERSION 1
typedef struct ag_init_options {
    unsigned version;            /**< AG_INIT_OPTIONS_VERSION */
    const char *script_location; /**< the migration environment's folder; NULL: "alembic_like" */
    const char *url;             /**< written as `url:`; NULL: "sqlite:///app.db" */
    const char *template_text;   /**< script.c.tmpl's text; NULL: the built-in template */
    /** How to open the new project (config_path is ignored: the new file is opened). */
    ag_project_options open;
} ag_init_options;
#define AG_INIT_OPTIONS_INIT                                                                       \
    {                                                                                              \
        AG_INIT_OPTIONS_VERSION, NULL, NULL, NULL, AG_PROJECT_OPTIONS_INIT                         \
    }
AG_EXTERN int ag_init_options_init(ag_init_options *opts, unsigned version);

/**
 * Scaffold a project in directory (created when missing) as `autogen init`
 * does: autogen.yaml, models/, <script_location>/script.c.tmpl and
 * <script_location>/versions/. An existing autogen.yaml is never
 * overwritten (AG_EINVALID); an existing template is kept. When out is not
 * NULL the new project is opened into it.
 */
AG_EXTERN int ag_project_init(ag_project **out,
                              const char *directory,
                              const ag_init_options *opts,
                              ag_error *err);

/* --- writing migrations -------------------------------------------------------------- */

#define AG_REVISION_OPTIONS_VERSION 1
typedef struct ag_revision_options {
    unsigned version;         /**< AG_REVISION_OPTIONS_VERSION */
    const char *message;      /**< what the migration does (required) */
    int empty;                /**< non-zero: an empty migration to fill in, no autogenerate */
    const char *head;         /**< the head to build on when there are several; NULL: the head */
    int splice;               /**< with head: start a branch at a revision that is not a head */
    const char *branch_label; /**< a label for the branch it starts, or NULL */
    const char *depends_on;   /**< a revision it depends on, or NULL */
    const char *rev_id;       /**< its id; NULL: a random one */
    const char *version_path; /**< a folder under versions/ to write into, or NULL */
    const char *date;         /**< its Create Date text; NULL: now */
} ag_revision_options;
#define AG_REVISION_OPTIONS_INIT                                                                   \
    {                                                                                              \
        AG_REVISION_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL                \
    }
AG_EXTERN int ag_revision_options_init(ag_revision_options *opts, unsigned version);

/**
 * Write a migration, as `autogen revision`: autogenerated from the models and
 * the database (which must be at the head), or empty. out receives the files
 * written, in the order they run: none when autogenerate found nothing to
 * do, two when PostgreSQL needs new enum values committed first.
 */
AG_EXTERN int ag_project_revision(ag_strarray *out,
                                  ag_project *project,
                                  const ag_revision_options *opts,
                                  ag_error *err);

#define AG_MERGE_OPTIONS_VERSION 1
typedef struct ag_merge_options {
    unsigned version;         /**< AG_MERGE_OPTIONS_VERSION */
    const char *message;      /**< what the merge is for (required) */
    const char *rev_id;       /**< its id; NULL: a random one */
    const char *branch_label; /**< a label for the merged branch, or NULL */
    const char *date;         /**< its Create Date text; NULL: now */
} ag_merge_options;
#define AG_MERGE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        AG_MERGE_OPTIONS_VERSION, NULL, NULL, NULL, NULL                                           \
    }
AG_EXTERN int ag_merge_options_init(ag_merge_options *opts, unsigned version);

/**
 * Write a revision joining revisions (ids, prefixes, labels, or "heads" for
 * every head; at least two distinct heads in all) into one head, as
 * `autogen merge`. out receives the file written.
 */
AG_EXTERN int ag_project_merge(ag_strarray *out,
                               ag_project *project,
                               const char *const *revisions,
                               size_t count,
                               const ag_merge_options *opts,
                               ag_error *err);

/* --- what autogenerate would do ------------------------------------------------------ */

/** The operations autogenerate finds between the models and the database. */
typedef struct ag_changeset ag_changeset;

/** One operation of a changeset; strings are borrowed from it. */
typedef struct ag_change {
    const char *kind;        /**< "create_table", "add_column", "drop_index", ... */
    const char *schema;      /**< its schema, or NULL for the default one */
    const char *table;       /**< the table it changes, or NULL (enum operations) */
    const char *column;      /**< the column, for column operations; else NULL */
    const char *description; /**< "add column 'users.email'" */
    int destructive;         /**< non-zero when it can lose data */
    const char *note;        /**< why it is destructive, or NULL */
    const char *sql;         /**< its statements for the database, each ending ";\n" */
} ag_change;

/**
 * Compare the models with the database, as `autogen diff`. *out belongs to
 * the caller (ag_changeset_free); it is empty when nothing differs.
 */
AG_EXTERN int ag_project_diff(ag_changeset **out, ag_project *project, ag_error *err);
AG_EXTERN size_t ag_changeset_count(const ag_changeset *changes);
/** The i-th change (in the order they would run), or NULL when i >= count. */
AG_EXTERN const ag_change *ag_changeset_get(const ag_changeset *changes, size_t i);
/** Rename hints: messages that are not operations ("drop + add looks like a rename: ..."). */
AG_EXTERN const ag_strarray *ag_changeset_hints(const ag_changeset *changes);
AG_EXTERN void ag_changeset_free(ag_changeset *changes);

/**
 * Compare models and database: *differs is set to 1 when autogenerate would
 * write a migration, 0 when not.
 */
AG_EXTERN int ag_project_check(ag_project *project, int *differs, ag_error *err);

/* --- the revision graph -------------------------------------------------------------- */

/** The revisions of a project, from the heads down to the base. */
typedef struct ag_history ag_history;

/** One revision; strings are borrowed from the history. */
typedef struct ag_revision_info {
    const char *id;
    const char *const *parents; /**< its down_revisions; nparents of them */
    size_t nparents;
    const char *message;              /**< "" when none */
    const char *const *branch_labels; /**< nbranch_labels of them */
    size_t nbranch_labels;
    const char *path; /**< its file */
    int is_head;      /**< no revision revises it */
    int is_current;   /**< in the version table (only with ag_history_options.current) */
} ag_revision_info;

#define AG_HISTORY_OPTIONS_VERSION 1
typedef struct ag_history_options {
    unsigned version; /**< AG_HISTORY_OPTIONS_VERSION */
    int current;      /**< non-zero: connect and set is_current; 0: no database needed */
} ag_history_options;
#define AG_HISTORY_OPTIONS_INIT                                                                    \
    {                                                                                              \
        AG_HISTORY_OPTIONS_VERSION, 0                                                              \
    }
AG_EXTERN int ag_history_options_init(ag_history_options *opts, unsigned version);

/**
 * Every revision, children before parents (as `autogen history` lists them).
 * *out belongs to the caller (ag_history_free).
 */
AG_EXTERN int ag_project_history(ag_history **out,
                                 ag_project *project,
                                 const ag_history_options *opts,
                                 ag_error *err);
AG_EXTERN size_t ag_history_count(const ag_history *history);
/** The i-th revision, or NULL when i >= count. */
AG_EXTERN const ag_revision_info *ag_history_get(const ag_history *history, size_t i);
AG_EXTERN void ag_history_free(ag_history *history);

/** The ids of the heads (revisions no other revises), as `autogen heads`. */
AG_EXTERN int ag_project_heads(ag_strarray *out, ag_project *project, ag_error *err);

/* --- moving the database ------------------------------------------------------------- */

/**
 * Apply migrations up to target ("head", "heads", a revision id or prefix,
 * "+N"; NULL: "head"), each one reported as REVISION_START and REVISION_DONE
 * events. A migration that fails is rolled back; those before it stay
 * applied, and the error says where the database stands.
 */
AG_EXTERN int ag_project_upgrade(ag_project *project, const char *target, ag_error *err);
/** Revert migrations down to target ("base", a revision id or prefix, "-N"), as events too. */
AG_EXTERN int ag_project_downgrade(ag_project *project, const char *target, ag_error *err);
/**
 * The revisions the database is at, copied into out as "id1, id2"
 * (NUL-terminated; "" at base). Fails with AG_EINVALID, out set to "", when
 * out_size is too small for the whole list: never a list cut short.
 */
AG_EXTERN int ag_project_current(ag_project *project, char *out, size_t out_size, ag_error *err);

#define AG_STAMP_OPTIONS_VERSION 1
typedef struct ag_stamp_options {
    unsigned version;      /**< AG_STAMP_OPTIONS_VERSION */
    int purge;             /**< empty the version table first, whatever it holds */
    int allow_destructive; /**< in production, allow a stamp that removes applied revisions */
} ag_stamp_options;
#define AG_STAMP_OPTIONS_INIT                                                                      \
    {                                                                                              \
        AG_STAMP_OPTIONS_VERSION, 0, 0                                                             \
    }
AG_EXTERN int ag_stamp_options_init(ag_stamp_options *opts, unsigned version);

/**
 * Set the version table to targets without running any migration, as
 * `autogen stamp`: each target (a revision, "head", "heads", "base") in turn
 * replaces the heads of its branch.
 */
AG_EXTERN int ag_project_stamp(ag_project *project,
                               const char *const *targets,
                               size_t count,
                               const ag_stamp_options *opts,
                               ag_error *err);

/**
 * Receives SQL; return 0 to go on, anything else to stop (the function
 * that called it then returns that value).
 */
typedef int (*ag_sql_cb)(const char *sql, size_t len, void *payload);

/**
 * The SQL a DBA would run to upgrade through range ("TO" from base, or
 * "FROM:TO"), without a database, as `autogen upgrade --sql`. The whole
 * script is rendered first; cb then receives it (in one or more pieces,
 * concatenated in order, not NUL-terminated). On failure cb is not called.
 */
AG_EXTERN int ag_project_upgrade_sql(
    ag_project *project, const char *range, ag_sql_cb cb, void *payload, ag_error *err);
/**
 * The same script into out (NUL-terminated). Fails with AG_EINVALID, out set
 * to "", when it does not fit: never a script cut short. *needed (when not
 * NULL) receives the size it takes, NUL included, in both cases.
 */
AG_EXTERN int ag_project_upgrade_sql_buf(ag_project *project,
                                         const char *range,
                                         char *out,
                                         size_t out_size,
                                         size_t *needed,
                                         ag_error *err);

#ifdef __cplusplus
}
#endif

#endif
