/* main.c - `autogen`: global options, the command table, exit statuses.
 *
 * Exit statuses (SPEC §5): 0 success; 1 differences or problems found
 * (check, review); 2 usage error; 3 any other error. This is the only file
 * that decides them and the only one that exits.
 */
#include "../util/common.h"
#include "cli.h"

#include "../util/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <unistd.h>

/* One line per command, in the order of the help. */
// clang-format off
static const cli_cmd *const commands[] = {
    &cmd_init,
    &cmd_revision,
    &cmd_diff,
    &cmd_check,
    &cmd_upgrade,
    &cmd_downgrade,
    &cmd_current,
    &cmd_status,
    &cmd_heads,
    &cmd_branches,
    &cmd_history,
    &cmd_show,
    &cmd_merge,
    &cmd_stamp,
    &cmd_pull,
    &cmd_review,
    &cmd_rebase,
};
// clang-format on

static const cli_opt global_opts[] = {
    { "config", 'c', "FILE", "the configuration file (default: autogen.yaml here or above)" },
    { "url", 0, "URL", "the database URL (overrides AUTOGEN_URL and the configuration)" },
    { "format", 0, "text|json", "output format" },
    { "color", 0, "auto|always|never", "colour in diagnostics (honours NO_COLOR)" },
    { "quiet", 'q', NULL, "print only results and errors" },
    { "help", 'h', NULL, "show this help" },
    { NULL, 0, NULL, NULL },
};

static void print_opts(FILE *f, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o->name; o++) {
        char left[64];
        if (o->shorthand)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shorthand, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(f, "  %-30s %s\n", left, o->help);
    }
}

static void print_cmd_help(const cli_cmd *cmd)
{
    printf("usage: autogen %s [options]%s%s\n\n%s\n", cmd->name, cmd->args ? " " : "",
           cmd->args ? cmd->args : "", cmd->summary);
    if (cmd->opts && cmd->opts[0].name) {
        printf("\noptions:\n");
        print_opts(stdout, cmd->opts);
    }
    printf("\nglobal options:\n");
    print_opts(stdout, global_opts);
}

static void print_main_help(FILE *f)
{
    fprintf(f, "usage: autogen [-c FILE] [--url URL] [--format text|json] COMMAND [ARGS]\n\n"
               "Schema migrations from YAML models, for SQLite and PostgreSQL.\n\ncommands:\n");
    for (size_t i = 0; i < AG_NELEM(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nglobal options:\n");
    print_opts(f, global_opts);
    fprintf(f, "      --version                  print the version\n"
               "\n'autogen COMMAND --help' describes a command.\n");
}

/* --color: diagnostics only, and only the severity word (SPEC §5; NO_COLOR honoured). */
static bool use_color;

static const char *sev(const char *word)
{
    if (!use_color)
        return word;
    return strcmp(word, "warning") == 0 ? "\033[1;35mwarning\033[0m" : "\033[1;31merror\033[0m";
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "autogen: %s: ", sev("error"));
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nusage: autogen %s [options]%s%s (see 'autogen %s --help')\n", cmd->name,
                cmd->args ? " " : "", cmd->args ? cmd->args : "", cmd->name);
    else
        fputc('\n', stderr);
    return EXIT_USAGE;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "autogen: %s: ", sev("warning"));
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int exit_for(int code)
{
    return code == AG_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
}

int cli_fail(const ag_error *err)
{
    if (err->file[0] && err->line)
        fprintf(stderr, "%s:%u:%u: %s: %s\n", err->file, err->line, err->col ? err->col : 1,
                sev("error"), err->msg);
    else if (err->file[0])
        fprintf(stderr, "autogen: %s: %s: %s\n", sev("error"), err->file, err->msg);
    else
        fprintf(stderr, "autogen: %s: %s\n", sev("error"), err->msg);
    return exit_for(err->code);
}

int cli_fail_models(cli_ctx *ctx, const ag_error *err)
{
    const ag_diags *d = ctx->project ? &ctx->project->diags : NULL;
    if (d && d->n) {
        for (size_t i = 0; i < d->n; i++) {
            if (d->v[i].line)
                fprintf(stderr, "%s:%u:%u: %s: %s\n", d->v[i].file, d->v[i].line,
                        d->v[i].col ? d->v[i].col : 1, sev("error"), d->v[i].msg);
            else
                fprintf(stderr, "%s: error: %s\n", d->v[i].file, d->v[i].msg);
        }
        fprintf(stderr, "autogen: %s: %s; nothing was changed\n", sev("error"), err->msg);
        return EXIT_ERROR;
    }
    return cli_fail(err);
}

/* What a run reports, printed as the command always has: progress and
 * warnings on stderr, a rehearsal's report (--dry-run) on stdout. */
static void cli_on_event(const ag_event *e, void *payload)
{
    (void)payload;
    switch (e->kind) {
    case AG_EVENT_REVISION_START:
    case AG_EVENT_INFO:
        fprintf(stderr, "%s\n", e->text);
        break;
    case AG_EVENT_WARNING:
        fprintf(stderr, "autogen: warning: %s\n", e->text);
        break;
    case AG_EVENT_WAITING:
        fprintf(stderr, "autogen: %s\n", e->text);
        break;
    case AG_EVENT_DRY_RUN:
        printf("%s\n", e->text);
        break;
    case AG_EVENT_REVISION_DONE:
        break;
    }
}

ag_project *cli_project(cli_ctx *ctx, int *exit_code)
{
    if (ctx->project)
        return ctx->project;
    ag_error err = { 0 };
    ag_project_options o = AG_PROJECT_OPTIONS_INIT;
    o.config_path = ctx->config;
    o.url = ctx->url;
    o.on_event = cli_on_event;
    if (ag_project_open(&ctx->project, &o, &err) != AG_OK) {
        *exit_code = cli_fail(&err);
        return NULL;
    }
    ctx->project->quiet = ctx->quiet;
    return ctx->project;
}

void cli_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const cli_opt *
find_opt(const cli_opt *opts, const char *name, size_t len, char shorthand, size_t *index)
{
    for (size_t i = 0; opts && opts[i].name; i++) {
        if (shorthand ? opts[i].shorthand == shorthand
                      : strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
            *index = i;
            return &opts[i];
        }
    }
    return NULL;
}

static int set_global(cli_ctx *ctx, const cli_cmd *cmd, size_t gi, const char *val)
{
    const char *name = global_opts[gi].name;
    if (strcmp(name, "config") == 0) {
        ctx->config = val;
    } else if (strcmp(name, "url") == 0) {
        ctx->url = val;
    } else if (strcmp(name, "format") == 0) {
        if (strcmp(val, "json") != 0 && strcmp(val, "text") != 0)
            return cli_usage_error(cmd, "--format takes 'text' or 'json', not '%s'", val);
        ctx->json = strcmp(val, "json") == 0;
    } else if (strcmp(name, "color") == 0) {
        if (strcmp(val, "always") == 0)
            ctx->color = true;
        else if (strcmp(val, "never") == 0)
            ctx->color = false;
        else if (strcmp(val, "auto") == 0)
            ctx->color = isatty(2) && !getenv("NO_COLOR");
        else
            return cli_usage_error(cmd, "--color takes auto, always or never, not '%s'", val);
        use_color = ctx->color;
    } else if (strcmp(name, "quiet") == 0) {
        ctx->quiet = true;
    } else if (strcmp(name, "help") == 0) {
        if (cmd)
            print_cmd_help(cmd);
        else
            print_main_help(stdout);
        return -1;
    }
    return EXIT_OK;
}

static bool is_negative_number(const char *s)
{
    if (s[0] != '-' || !isdigit((unsigned char)s[1]))
        return false;
    for (s++; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

int cli_parse(cli_ctx *ctx,
              const cli_cmd *cmd,
              int argc,
              char **argv,
              const char **values,
              const char **pos,
              int *npos,
              int maxpos)
{
    *npos = 0;
    for (size_t i = 0; cmd->opts && cmd->opts[i].name; i++)
        values[i] = NULL;
    bool only_pos = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0' || is_negative_number(a)) {
            if (*npos >= maxpos)
                return cli_usage_error(cmd, "unexpected argument '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        bool is_long = a[1] == '-';
        const char *eq = is_long ? strchr(name, '=') : NULL;
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        char shorthand = is_long ? 0 : name[0];
        if (!is_long && name[1] != '\0')
            return cli_usage_error(cmd, "unknown option '%s'", a);
        size_t idx;
        const cli_opt *o = find_opt(cmd->opts, name, len, shorthand, &idx);
        bool global = false;
        if (!o) {
            o = find_opt(global_opts, name, len, shorthand, &idx);
            global = true;
        }
        if (!o)
            return cli_usage_error(cmd, "unknown option '%s'", a);
        const char *val = "";
        if (o->arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return cli_usage_error(cmd, "option '%s' needs %s", a, o->arg);
        } else if (eq) {
            return cli_usage_error(cmd, "option '--%.*s' takes no value", (int)len, name);
        }
        if (global) {
            int rc = set_global(ctx, cmd, idx, val);
            if (rc != EXIT_OK)
                return rc;
        } else {
            values[idx] = val;
        }
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = { .argv0 = argv[0], .color = isatty(2) && !getenv("NO_COLOR") };
    /* A large buffer when stdout is not a terminal: glibc would size it from
     * st_blksize (4 KiB), one write(2) per 4 KiB of a long --sql script. */
    /* cppcheck-suppress variableScope ; static: stdout uses it until exit, after main returns */
    static char outbuf[1 << 16];
    if (!isatty(1))
        setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
    /* Global options before the command. */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("autogen %s\n", AG_VERSION);
            return EXIT_OK;
        }
        /* Hidden: the build prints the man page and completions from the tables. */
        if (strcmp(a, "--man") == 0) {
            cli_man(stdout, commands, AG_NELEM(commands), global_opts);
            return EXIT_OK;
        }
        if (strncmp(a, "--completion=", 13) == 0)
            return cli_completion(stdout, a + 13, commands, AG_NELEM(commands), global_opts);
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_main_help(stdout);
            return EXIT_OK;
        }
        bool is_long = a[1] == '-';
        const char *name = a + (is_long ? 2 : 1);
        const char *eq = is_long ? strchr(name, '=') : NULL;
        size_t len = eq ? (size_t)(eq - name) : strlen(name), idx;
        const cli_opt *o = find_opt(global_opts, name, len, is_long ? 0 : name[0], &idx);
        if (!o || (!is_long && name[1]))
            return cli_usage_error(NULL, "unknown option '%s'; see 'autogen --help'", a);
        const char *val = "";
        if (o->arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return cli_usage_error(NULL, "option '%s' needs %s", a, o->arg);
        }
        int rc = set_global(&ctx, NULL, idx, val);
        if (rc != EXIT_OK)
            return rc < 0 ? EXIT_OK : rc;
    }
    if (i >= argc) {
        print_main_help(stderr);
        return EXIT_USAGE;
    }
    const cli_cmd *cmd = NULL;
    for (size_t k = 0; k < AG_NELEM(commands); k++)
        if (strcmp(commands[k]->name, argv[i]) == 0)
            cmd = commands[k];
    if (!cmd) {
        const char *best = NULL;
        size_t bd = 3;
        for (size_t k = 0; k < AG_NELEM(commands); k++) {
            size_t d = ag_levenshtein(argv[i], commands[k]->name);
            if (d < bd) {
                bd = d;
                best = commands[k]->name;
            }
        }
        if (best)
            return cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", argv[i], best);
        return cli_usage_error(NULL, "unknown command '%s'; see 'autogen --help'", argv[i]);
    }
    use_color = ctx.color;
    int rc = cmd->run(&ctx, argc - i, argv + i);
    /* A failed command changes nothing, not even the header index. */
    if (ctx.project && (rc == EXIT_ERROR || rc == EXIT_USAGE))
        ctx.project->failed = true;
    ag_project_free(ctx.project);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        fprintf(stderr, "autogen: error: cannot write the output\n");
        rc = EXIT_ERROR;
    }
    return rc < 0 ? EXIT_OK : rc;
}
