/* cmd_upgrade.c - `autogen upgrade`, `downgrade` and `stamp`: move the database. */
#include "../util/common.h"
#include "cli.h"

static const cli_opt no_opts[] = { { NULL, 0, NULL, NULL } };

typedef int (*move_fn)(ag_runner *r, const char *target, ag_error *err);

static int
move(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, move_fn fn, const char *dflt)
{
    const char *v[1], *pos[1];
    int npos, rc = cli_parse(ctx, cmd, argc, argv, v, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    const char *target = npos ? pos[0] : dflt;
    if (!target)
        return cli_usage_error(cmd, "name the target revision");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_runner r;
    ag_error err = { 0 };
    int arc = ag_project_runner(p, &r, &err);
    if (arc == AG_OK)
        arc = fn(&r, target, &err);
    return arc == AG_OK ? EXIT_OK : cli_fail(&err);
}

static int run_upgrade(cli_ctx *ctx, int argc, char **argv)
{
    return move(ctx, &cmd_upgrade, argc, argv, ag_runner_upgrade, "head");
}

static int run_downgrade(cli_ctx *ctx, int argc, char **argv)
{
    return move(ctx, &cmd_downgrade, argc, argv, ag_runner_downgrade, NULL);
}

static int run_stamp(cli_ctx *ctx, int argc, char **argv)
{
    return move(ctx, &cmd_stamp, argc, argv, ag_runner_stamp, NULL);
}

const cli_cmd cmd_upgrade = { "upgrade", run_upgrade, "[TARGET]",
                              "apply migrations up to TARGET: head (default), heads, a revision "
                              "or unique prefix, +N",
                              no_opts };
const cli_cmd cmd_downgrade = { "downgrade", run_downgrade, "TARGET",
                                "revert migrations down to TARGET: -N, a revision, base", no_opts };
const cli_cmd cmd_stamp = { "stamp", run_stamp, "REV",
                            "set the version table to REV (or base) without running migrations",
                            no_opts };
