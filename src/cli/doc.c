/* doc.c - the man page and the shell completions, printed from the command and
 * option tables that also drive parsing and --help, so that none of them can
 * describe a command or an option the binary does not have. The build runs the
 * hidden options `autogen --man` and `autogen --completion=bash|zsh`. */
#include "../util/common.h"
#include "cli.h"

#include <autogen/autogen.h>

/* roff text: backslashes escaped, hyphens literal, no line starting a request,
 * characters beyond ASCII as \[uXXXX] (UTF-8 in the help texts, such as "…"). */
static void roff(FILE *f, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0xc0) {
            int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
            unsigned cp = c & (0x3fu >> more);
            for (; more && (s[1] & 0xc0) == 0x80; more--)
                cp = cp << 6 | ((unsigned char)*++s & 0x3fu);
            fprintf(f, "\\[u%04X]", cp);
        } else if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

static void man_opts(FILE *f, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o && o->name; o++) {
        fputs(".TP\n", f);
        if (o->shorthand)
            fprintf(f, "\\fB\\-%c\\fR, ", o->shorthand);
        fputs("\\fB\\-\\-", f);
        roff(f, o->name);
        fputs("\\fR", f);
        if (o->arg) {
            fputs(" \\fI", f);
            roff(f, o->arg);
            fputs("\\fR", f);
        }
        fputc('\n', f);
        roff(f, o->help);
        fputc('\n', f);
    }
}

void cli_man(FILE *f, const cli_cmd *const *cmds, size_t n, const cli_opt *global)
{
    fprintf(f, ".TH AUTOGEN 1 \"\" \"autogen %s\" \"User Commands\"\n", AG_VERSION);
    fputs(".SH NAME\nautogen \\- schema migrations from YAML models, for SQLite and PostgreSQL\n"
          ".SH SYNOPSIS\n.B autogen\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
          "[\\fIARGS\\fR]\n"
          ".SH DESCRIPTION\n"
          "autogen compares the tables described in YAML model files with a live database "
          "and writes the difference as a migration: a C file that it compiles and runs "
          "in-process to upgrade or downgrade the database. Migrations form a revision "
          "graph that may branch and merge.\n"
          ".PP\n\\fBautogen\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR describes a command.\n"
          ".SH COMMANDS\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const cli_cmd *c = cmds[i];
        fputs(".SS \"autogen ", f);
        roff(f, c->name);
        if (c->args) {
            fputc(' ', f);
            roff(f, c->args);
        }
        fputs("\"\n", f);
        roff(f, c->summary);
        fputc('\n', f);
        if (c->opts && c->opts[0].name) {
            fputs(".RS\n", f);
            man_opts(f, c->opts);
            fputs(".RE\n", f);
        }
    }
    fputs(".SH GLOBAL OPTIONS\nThese are accepted before the command and by every command.\n", f);
    man_opts(f, global);
    fputs(".TP\n\\fB\\-\\-version\\fR\nprint the version\n", f);
    fputs(".SH EXIT STATUS\n"
          ".TP\n0\nsuccess\n"
          ".TP\n1\ndifferences or problems found (\\fBcheck\\fR)\n"
          ".TP\n2\nusage error\n"
          ".TP\n3\nany other error; nothing was changed\n"
          ".SH ENVIRONMENT\n"
          ".TP\n.B AUTOGEN_URL\nthe database URL, over the configured one\n"
          ".TP\n.B AUTOGEN_ENV\nthe environment name, over the configured one; "
          "\\fBproduction\\fR refuses destructive changes without "
          "\\fB\\-\\-allow\\-destructive\\fR\n"
          ".TP\n.B AUTOGEN_CACHE_DIR\nwhere compiled migrations are cached\n"
          ".TP\n.B AUTOGEN_RECORD_TIMEOUT\nseconds to wait for the version table to be "
          "recorded (default 300; 0: no limit)\n"
          ".TP\n.B NO_COLOR\nno colour in diagnostics\n"
          ".SH FILES\n"
          ".TP\n.I autogen.yaml\nthe configuration, searched from the current directory up\n"
          ".SH SEE ALSO\n"
          "The README.md of the autogen sources.\n",
          f);
}

/* The values of an option argument written "a|b|c"; NULL when it is free text. */
static bool choices(const char *arg, char *out, size_t size)
{
    if (!arg || !strchr(arg, '|') || strlen(arg) >= size)
        return false;
    for (size_t i = 0;; i++) {
        out[i] = arg[i] == '|' ? ' ' : arg[i];
        if (!arg[i])
            return true;
    }
}

/* Whether an option's argument names a file or a folder (FILE, DIR). */
static bool names_path(const char *arg)
{
    return strstr(arg, "FILE") || strstr(arg, "DIR");
}

static void words(FILE *f, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o && o->name; o++) {
        fprintf(f, " --%s", o->name);
        if (o->shorthand)
            fprintf(f, " -%c", o->shorthand);
    }
}

static void bash_values(FILE *f, const cli_opt *opts)
{
    char vals[128];
    for (const cli_opt *o = opts; o && o->name; o++) {
        if (!o->arg)
            continue;
        fprintf(f, "        --%s", o->name);
        if (o->shorthand)
            fprintf(f, "|-%c", o->shorthand);
        if (choices(o->arg, vals, sizeof(vals)))
            fprintf(f, ") COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n", vals);
        else if (names_path(o->arg))
            fputs(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
        else /* free text (a message, a number): nothing to offer */
            fputs(") return ;;\n", f);
    }
}

static void bash(FILE *f, const cli_cmd *const *cmds, size_t n, const cli_opt *global)
{
    fputs("# bash completion for autogen, generated by 'autogen --completion=bash'\n"
          "_autogen()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" cmd=\"\" i\n"
          "    [ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    COMPREPLY=()\n    case \"$prev\" in\n",
          f);
    bash_values(f, global);
    fputs("    esac\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        case \"${COMP_WORDS[i]}\" in\n",
          f);
    /* Skip the argument of a global option that takes one. */
    for (const cli_opt *o = global; o && o->name; o++)
        if (o->arg) {
            fprintf(f, "        --%s", o->name);
            if (o->shorthand)
                fprintf(f, "|-%c", o->shorthand);
            fputs(") ((i++)) ;;\n", f);
        }
    fputs("        -*) ;;\n"
          "        *) cmd=${COMP_WORDS[i]}; break ;;\n"
          "        esac\n    done\n"
          "    if [ -z \"$cmd\" ]; then\n"
          "        if [[ $cur == -* ]]; then\n"
          "            COMPREPLY=($(compgen -W '",
          f);
    words(f, global);
    fputs(" --version' -- \"$cur\"))\n        else\n            COMPREPLY=($(compgen -W '", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", cmds[i]->name);
    fputs("' -- \"$cur\"))\n        fi\n        return\n    fi\n    case \"$cmd\" in\n", f);
    for (size_t i = 0; i < n; i++) {
        const cli_cmd *c = cmds[i];
        fprintf(f, "    %s)\n        case \"$prev\" in\n", c->name);
        bash_values(f, c->opts);
        fputs("        esac\n        [[ $cur == -* ]] && COMPREPLY=($(compgen -W '", f);
        words(f, c->opts);
        words(f, global);
        fputs("' -- \"$cur\")) ;;\n", f);
    }
    fputs("    esac\n}\ncomplete -o default -F _autogen autogen\n", f);
}

/* A zsh _arguments spec for one option: "--name[help]:arg:(a b c)". */
static void zsh_opt(FILE *f, const cli_opt *o)
{
    fputs("    '", f);
    if (o->shorthand)
        fprintf(f, "(-%c --%s)'{-%c,--%s}'", o->shorthand, o->name, o->shorthand, o->name);
    else
        fprintf(f, "--%s", o->name);
    fputc('[', f);
    for (const char *h = o->help; *h; h++) {
        if (*h == '\'')
            fputs("'\\''", f);
        else if (*h == '[' || *h == ']' || *h == ':' || *h == '\\')
            fprintf(f, "\\%c", *h);
        else
            fputc(*h, f);
    }
    fputc(']', f);
    if (o->arg) {
        fprintf(f, ":%s:", o->arg);
        char vals[128];
        if (choices(o->arg, vals, sizeof(vals)))
            fprintf(f, "(%s)", vals);
        else if (names_path(o->arg))
            fputs(strstr(o->arg, "DIR") ? "_files -/" : "_files", f);
    }
    fputs("' \\\n", f);
}

static void zsh(FILE *f, const cli_cmd *const *cmds, size_t n, const cli_opt *global)
{
    fputs("#compdef autogen\n# zsh completion for autogen, generated by 'autogen "
          "--completion=zsh'\n\n_autogen() {\n  local -a global_opts commands\n"
          "  global_opts=(\n",
          f);
    for (const cli_opt *o = global; o->name; o++)
        zsh_opt(f, o);
    fputs("  )\n  commands=(\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "    '%s:", cmds[i]->name);
        for (const char *h = cmds[i]->summary; *h; h++) {
            if (*h == '\'')
                fputs("'\\''", f);
            else
                fputc(*h, f);
        }
        fputs("'\n", f);
    }
    fputs("  )\n  local curcontext=$curcontext state line\n"
          "  _arguments -C $global_opts '--version[print the version]' \\\n"
          "    '1:command:->command' '*::arg:->args' && return\n"
          "  case $state in\n"
          "  command) _describe -t commands 'autogen command' commands ;;\n"
          "  args)\n    case $line[1] in\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const cli_cmd *c = cmds[i];
        fprintf(f, "    %s) _arguments $global_opts \\\n", c->name);
        for (const cli_opt *o = c->opts; o && o->name; o++)
            zsh_opt(f, o);
        fputs("      '*:argument:_files' ;;\n", f);
    }
    fputs("    esac ;;\n  esac\n}\n\n_autogen \"$@\"\n", f);
}

int cli_completion(
    FILE *f, const char *shell, const cli_cmd *const *cmds, size_t n, const cli_opt *global)
{
    if (strcmp(shell, "bash") == 0)
        bash(f, cmds, n, global);
    else if (strcmp(shell, "zsh") == 0)
        zsh(f, cmds, n, global);
    else
        return cli_usage_error(NULL, "--completion takes bash or zsh, not '%s'", shell);
    return EXIT_OK;
}
