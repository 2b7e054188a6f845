/* autogen.h - the libautogen API: what the `autogen` command does, for applications.
 *
 * Ownership, once for the whole API: an object returned through a `**out`
 * parameter belongs to the caller, who frees it with the matching ag_*_free();
 * a pointer returned as a function's value is borrowed from its parent object
 * and lives as long as it does. Every ag_*_free() accepts NULL. Functions
 * return AG_OK (0) or a negative ag_code and describe the failure in the
 * ag_error the caller passes last (which may be NULL).
 *
 * Out of memory, once for the whole library: when an allocation fails,
 * libautogen prints "autogen: error: out of memory" on stderr and calls
 * abort(); it never returns a half-built result. AG_ENOMEM is returned only
 * when a component autogen does not allocate for (the migration compiler)
 * cannot start.
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

#define AG_VERSION "0.1.0"

/** Return codes. */
typedef enum ag_code {
    AG_OK = 0,
    AG_ERROR = -1,      /**< generic failure */
    AG_ENOMEM = -2,     /**< the migration compiler could not start (see above) */
    AG_EIO = -3,        /**< a file could not be read or written */
    AG_EINVALID = -4,   /**< bad input: YAML, a migration file, a template, a URL */
    AG_ENOTFOUND = -5,  /**< no such revision, table, file */
    AG_EDB = -6,        /**< the database driver reported an error */
    AG_EGIT = -7,       /**< libgit2 reported an error */
    AG_EMULTIHEAD = -8, /**< the operation needs one head but there are several */
    AG_ECYCLE = -9,     /**< the revision graph has a cycle */
    AG_ECONFLICT = -10, /**< the database is not where the operation needs it */
    AG_ECOMPILE = -11,  /**< a migration file did not compile */
    AG_EUSAGE = -12     /**< the caller's arguments are wrong */
} ag_code;

/** An error, filled at the lowest level that knows the cause. */
typedef struct ag_error {
    int code;       /**< an ag_code */
    char file[512]; /**< the file the error is in, or "" */
    unsigned line;  /**< 1-based line in file, or 0 */
    unsigned col;   /**< 1-based column in file, or 0 */
    char msg[1024]; /**< what went wrong and, where possible, what to do */
} ag_error;

/** A migration project: autogen.yaml, its models and its migration environment. */
typedef struct ag_project ag_project;

typedef struct ag_project_options {
    const char *config_path; /**< autogen.yaml; NULL searches from the current directory up */
    const char *url;         /**< overrides AUTOGEN_URL and the configured url; may be NULL */
} ag_project_options;

/**
 * Open a project. *out belongs to the caller (ag_project_free). Model files
 * are not read until an operation needs them.
 */
AG_EXTERN int ag_project_open(ag_project **out, const ag_project_options *opts, ag_error *err);
AG_EXTERN void ag_project_free(ag_project *project);

/** Apply migrations up to target ("head", a revision id or prefix, "+N"). */
AG_EXTERN int ag_project_upgrade(ag_project *project, const char *target, ag_error *err);
/** Revert migrations down to target ("base", a revision id or prefix, "-N"). */
AG_EXTERN int ag_project_downgrade(ag_project *project, const char *target, ag_error *err);
/**
 * The revision the database is at, copied into out (NUL-terminated; "" at
 * base). Fails with AG_EINVALID if out_size is too small.
 */
AG_EXTERN int ag_project_current(ag_project *project, char *out, size_t out_size, ag_error *err);
/**
 * Compare models and database: *differs is set to 1 when autogenerate would
 * write a migration, 0 when not.
 */
AG_EXTERN int ag_project_check(ag_project *project, int *differs, ag_error *err);

#ifdef __cplusplus
}
#endif

#endif
