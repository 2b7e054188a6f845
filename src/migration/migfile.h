/* migfile.h - migration files: writing, reading, compiling, recording.
 *
 * - emit.c renders an op list as the C of upgrade()/downgrade() and fills the
 *   script template (SPEC §4); the file is written whole or not at all.
 * - revfile.c reads revision, down_revision, branch_labels, depends_on and the
 *   message from a file's text, without compiling it.
 * - recorder.c implements the public ag_* calls of <autogen/migration.h>: each
 *   call appends an op to an ag_oplist.
 * - compile.c compiles a migration file with libtcc (cached by content) and
 *   runs its upgrade() or downgrade() into a recorder.
 */
#ifndef AUTOGEN_MIGRATION_MIGFILE_H
#define AUTOGEN_MIGRATION_MIGFILE_H

#include "../schema/op.h"
#include "../util/buf.h"

/* --- emit.c ---------------------------------------------------------------- */

/* The C statements of one function body for ops (indented 4 spaces, one op
 * per statement, DESTRUCTIVE comments above destructive ops), into out. An
 * empty list gives "    (void)op;\n". */
void ag_emit_ops_c(ag_buf *out, const ag_oplist *ops);

typedef struct ag_template_vars {
    const char *message;
    const char *revision;
    const char *const *down_revisions; /* NULL-terminated; empty = base */
    const char *const *branch_labels;  /* NULL-terminated */
    const char *const *depends_on;     /* NULL-terminated */
    const char *create_date;           /* "2026-11-22 10:30:00" */
    const char *upgrades;              /* from ag_emit_ops_c */
    const char *downgrades;
    /* Why the migration runs outside a transaction (`transactional = 0`), or
     * NULL. ${transactional} places it; a template without it gets it at the end. */
    const char *outside_transaction;
} ag_template_vars;

/* Fill tmpl's ${...} placeholders. Unknown placeholders are an error naming
 * tmpl_name:line:col. */
int ag_template_render(ag_buf *out,
                       const char *tmpl,
                       const char *tmpl_name,
                       const ag_template_vars *vars,
                       ag_error *err);

/* The template `autogen init` writes. */
extern const char ag_default_template[];

/* --- revfile.c ------------------------------------------------------------- */

typedef struct ag_revfile {
    char *path;
    char *revision;
    char **down_revisions; /* NULL-terminated, malloc'd */
    char **branch_labels;
    char **depends_on;
    char *message;     /* first line of the header comment, "" when none */
    char *create_date; /* "" when none */
    int transactional; /* 1 unless the file declares `transactional = 0` */
} ag_revfile;

/* Parse the header of a migration file's text. Errors name path:line. */
int ag_revfile_parse(ag_revfile *out, const char *path, const char *text, ag_error *err);
void ag_revfile_release(ag_revfile *rf);
/* 1 to 32 letters, digits or '_'. */
bool ag_revision_id_valid(const char *id);

/* --- recorder.c ------------------------------------------------------------ */

struct ag_op {
    ag_oplist *ops;      /* where calls append */
    const char *dialect; /* what ag_dialect() answers */
    const char *file;    /* the migration, for messages */
    unsigned line;       /* of the ag_* call being recorded (ag_op_line), 0 when unknown */
    ag_error err;        /* the first failed call (bad type, missing argument) */
    bool failed;
};

/* The public ag_* symbols, for the compiler to bind: name/address pairs. */
typedef struct ag_symbol {
    const char *name;
    void *addr;
} ag_symbol;
extern const ag_symbol ag_migration_symbols[];
extern const size_t ag_migration_nsymbols;

/* --- compile.c ------------------------------------------------------------- */

typedef struct ag_compiler ag_compiler;

/* cache_dir: where compiled objects are kept by content hash (created on
 * demand); NULL disables the cache. */
int ag_compiler_new(ag_compiler **out, const char *cache_dir, ag_error *err);
void ag_compiler_free(ag_compiler *c);
/* Whether c keeps a cache (recorded operations may then be kept too). */
bool ag_compiler_caches(const ag_compiler *c);

typedef enum ag_direction { AG_UPGRADE, AG_DOWNGRADE } ag_direction;

/* Compile (or load from the cache) the migration at path and run its
 * upgrade() or downgrade() into ops. Compiler diagnostics go into err as
 * "path:line: error: ..." lines. */
int ag_migration_collect(ag_compiler *c,
                         const char *path,
                         ag_direction dir,
                         const char *dialect,
                         ag_oplist *ops,
                         bool *cacheable,
                         ag_error *err);

/* --- direct.c -------------------------------------------------------------- */

/* Record the migration whose text is text[0..len) without compiling it, when
 * it is what `autogen revision` writes: the header declarations and
 * upgrade()/downgrade() made only of ag_* calls on literals and the AG_*
 * macros. Then *done is true and the ops (or the recorder's error, returned)
 * are exactly those the compiled function gives. Otherwise *done is false,
 * nothing is recorded and the file is for ag_migration_collect's compiler. */
int ag_migration_direct(const char *path,
                        const char *text,
                        size_t len,
                        ag_direction dir,
                        const char *dialect,
                        ag_oplist *ops,
                        bool *done,
                        ag_error *err);

/* --- isolate.c ------------------------------------------------------------- */

/* One migration to record in ag_migration_collect_isolated: ops and
 * cacheable are filled as ag_migration_collect fills them. */
typedef struct ag_record_job {
    const char *path;
    ag_direction dir;
    ag_oplist *ops;
    bool cacheable;
} ag_record_job;

/* ag_migration_collect for every job, in order, in one child process: a
 * migration that crashes (a bad pointer, abort(), a failed assert, a stack
 * overflow), ends the process (exit()) or runs past timeout_s seconds (0:
 * none) ends only the child, and is reported as "PATH: upgrade() crashed
 * (SIGSEGV)" (AG_ERROR). The caller's process, its database connection
 * included, is never touched by migration code. Stops at the first job that
 * fails; the jobs before it are filled. The child dies with the caller's
 * process: a runner killed with SIGKILL leaves no migration code running. */
int ag_migration_collect_isolated(ag_compiler *c,
                                  ag_record_job *jobs,
                                  size_t n,
                                  const char *dialect,
                                  unsigned timeout_s,
                                  ag_error *err);

#endif
