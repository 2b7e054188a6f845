/* cli.h - the command-line layer: option tables, the command table, output.
 *
 * Only this layer prints and only main() exits. Each command lives in its own
 * cmd_<name>.c with a static option table that drives parsing and --help.
 */
#ifndef AUTOGEN_CLI_CLI_H
#define AUTOGEN_CLI_CLI_H

#include "../project/project.h"

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_DIFFERENT = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

typedef struct cli_opt {
    const char *name; /* long name without "--" */
    char shorthand;   /* 0 when none */
    const char *arg;  /* argument name, NULL for a flag */
    const char *help;
} cli_opt;

typedef struct cli_ctx {
    const char *config; /* -c */
    const char *url;    /* --url */
    bool json;          /* --format json */
    /* --format given before the command: the command's own --format when it
     * has one (history --format mermaid), else the global text|json. */
    const char *format_before;
    bool color; /* resolved --color */
    bool quiet; /* -q */
    const char *argv0;
    ag_project *project; /* opened on demand by cli_project() */
} cli_ctx;

typedef struct cli_cmd {
    const char *name;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
    const char *args; /* positional arguments for the usage line */
    const char *summary;
    const cli_opt *opts; /* terminated by an entry with name NULL */
} cli_cmd;

/* Parse argv (argv[0] = command name) against cmd->opts plus the global
 * options. values[i] receives the argument of cmd->opts[i] ("" for a flag
 * that is set, NULL when absent); positionals are collected in pos.
 * Returns EXIT_OK, EXIT_USAGE (message printed), or -1 after printing --help. */
int cli_parse(cli_ctx *ctx,
              const cli_cmd *cmd,
              int argc,
              char **argv,
              const char **values,
              const char **pos,
              int *npos,
              int maxpos);

/* Open the project (config, URL) once. Prints the error and returns NULL. */
ag_project *cli_project(cli_ctx *ctx, int *exit_code);

/* Print err in the form editors understand and return the exit status for it. */
int cli_fail(const ag_error *err);
/* Print the diagnostics of a failed model load, then the error. */
int cli_fail_models(cli_ctx *ctx, const ag_error *err);
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) AG_PRINTF(2, 3);
void cli_warn(const char *fmt, ...) AG_PRINTF(1, 2);

/* check --scratch (cmd_diff.c), also used by review --scratch: point p at a
 * throwaway database of its own dialect (unless a URL was given), then replay
 * every migration into it. The caller drops a server's (dialect->scratch_drop). */
int cli_scratch_default(ag_project *p, bool *on_server, ag_error *err);
int cli_replay_scratch(ag_project *p, bool on_server, ag_error *err);

/* JSON string output (escaped, quoted). */
void cli_json_str(FILE *f, const char *s);

/* The man page and the bash or zsh completion script, from the tables (doc.c). */
void cli_man(FILE *f, const cli_cmd *const *cmds, size_t n, const cli_opt *global);
int cli_completion(
    FILE *f, const char *shell, const cli_cmd *const *cmds, size_t n, const cli_opt *global);

/* One line per command, so that adding one touches one line. */
extern const cli_cmd cmd_init;
extern const cli_cmd cmd_revision;
extern const cli_cmd cmd_diff;
extern const cli_cmd cmd_check;
extern const cli_cmd cmd_upgrade;
extern const cli_cmd cmd_downgrade;
extern const cli_cmd cmd_current;
extern const cli_cmd cmd_heads;
extern const cli_cmd cmd_branches;
extern const cli_cmd cmd_history;
extern const cli_cmd cmd_show;
extern const cli_cmd cmd_merge;
extern const cli_cmd cmd_stamp;
extern const cli_cmd cmd_pull;
extern const cli_cmd cmd_review;
extern const cli_cmd cmd_rebase;
extern const cli_cmd cmd_status;

#endif
