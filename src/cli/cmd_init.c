/* cmd_init.c - `autogen init [DIR]`: scaffold a project in the current folder. */
#include "../util/common.h"
#include "cli.h"

static const cli_opt opts[] = { { NULL, 0, NULL, NULL } };

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *values[1], *pos[1];
    int npos;
    int rc = cli_parse(ctx, &cmd_init, argc, argv, values, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    const char *dir = npos ? pos[0] : "alembic_like";
    if (!dir[0] || strchr(dir, '\n') || strchr(dir, '"'))
        return cli_usage_error(&cmd_init, "'%s' is not a usable folder name", dir);
    const char *config = ctx->config ? ctx->config : "autogen.yaml";
    ag_error err = { 0 };
    if (ag_project_scaffold(".", config, dir, NULL, NULL, &err) != AG_OK)
        return cli_fail(&err);
    if (!ctx->quiet)
        printf("Created %s, models/, %s/script.c.tmpl and %s/versions/\n"
               "Next: describe tables in models/*.yaml, then run 'autogen revision -m \"first\"'\n",
               config, dir, dir);
    return EXIT_OK;
}

const cli_cmd cmd_init = { "init", run, "[DIR]",
                           "scaffold autogen.yaml, models/ and a migration environment", opts };
