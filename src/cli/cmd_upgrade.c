/* cmd_upgrade.c - `autogen upgrade`, `downgrade` and `stamp`: move the database,
 * or (--sql) print the SQL that would, without a database. */
#include "../util/common.h"
#include "cli.h"

#include <errno.h>

#define LOCK_TIMEOUT_HELP                                                                          \
    "wait at most SECONDS for another runner's write lock (default 60), then exit 3 with "         \
    "nothing run"
#define ALLOW_HELP "allow destroying data when the environment is production"

enum { O_SQL, O_DRY, O_ALLOW, O_LOCK, O_N };
static const cli_opt move_opts[] = {
    [O_SQL] = { "sql", 0, NULL, "print the SQL instead of running it (offline; FROM:TO ranges)" },
    [O_DRY] = { "dry-run", 0, NULL,
                "run the migrations in one transaction, report each, roll it all back" },
    [O_ALLOW] = { "allow-destructive", 0, NULL, ALLOW_HELP },
    [O_LOCK] = { "lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP },
    [O_N] = { NULL, 0, NULL, NULL },
};
enum { O_PURGE, O_PALLOW, O_PLOCK, O_PN };
static const cli_opt stamp_opts[] = {
    [O_PURGE] = { "purge", 0, NULL, "empty the version table first, whatever it holds" },
    [O_PALLOW] = { "allow-destructive", 0, NULL, ALLOW_HELP },
    [O_PLOCK] = { "lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP },
    [O_PN] = { NULL, 0, NULL, NULL },
};

/* --lock-timeout: seconds, >= 0 (0: do not wait); absent: the runner's default. */
static int lock_timeout(const cli_cmd *cmd, const char *arg, ag_runner *r)
{
    if (!arg)
        return EXIT_OK;
    char *end = NULL;
    errno = 0;
    double s = strtod(arg, &end);
    if (end == arg || *end || errno || !(s >= 0 && s <= 1e7))
        return cli_usage_error(cmd, "--lock-timeout takes seconds (a number >= 0), not '%s'", arg);
    r->lock_timeout = s;
    return EXIT_OK;
}

/* The production guard (README, "Running in production"). */
static bool guarded(const ag_project *p, const char *allow)
{
    return ag_config_production(&p->cfg) && !allow;
}

static int
move(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, ag_direction dir, const char *dflt)
{
    const char *v[O_N], *pos[1];
    int npos, rc = cli_parse(ctx, cmd, argc, argv, v, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    const char *target = npos ? pos[0] : dflt;
    if (!target)
        return cli_usage_error(cmd, "name the target: -1, a revision, or base");
    if (v[O_SQL] && v[O_DRY])
        return cli_usage_error(cmd, "--dry-run runs against the database; --sql needs none: "
                                    "use one of them");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_runner r;
    ag_error err = { 0 };
    int arc;
    if (v[O_SQL]) {
        arc = ag_project_offline_runner(p, &r, &err);
        if (arc == AG_OK)
            arc = ag_runner_sql(&r, target, dir, stdout, &err);
    } else {
        arc = ag_project_runner(p, &r, &err);
        if (arc == AG_OK && (rc = lock_timeout(cmd, v[O_LOCK], &r)) != EXIT_OK)
            return rc;
        r.refuse_destructive = guarded(p, v[O_ALLOW]);
        r.dry_run = v[O_DRY] != NULL;
        if (arc == AG_OK)
            arc = dir == AG_UPGRADE ? ag_runner_upgrade(&r, target, &err)
                                    : ag_runner_downgrade(&r, target, &err);
    }
    return arc == AG_OK ? EXIT_OK : cli_fail(&err);
}

static int run_upgrade(cli_ctx *ctx, int argc, char **argv)
{
    return move(ctx, &cmd_upgrade, argc, argv, AG_UPGRADE, "head");
}

static int run_downgrade(cli_ctx *ctx, int argc, char **argv)
{
    return move(ctx, &cmd_downgrade, argc, argv, AG_DOWNGRADE, NULL);
}

static int run_stamp(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_PN], *pos[64];
    int npos, rc = cli_parse(ctx, &cmd_stamp, argc, argv, v, pos, &npos, 64);
    if (rc != EXIT_OK)
        return rc;
    if (!npos)
        return cli_usage_error(&cmd_stamp, "name the revision to stamp (or base, heads)");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_runner r;
    ag_error err = { 0 };
    int arc = ag_project_runner(p, &r, &err);
    if (arc == AG_OK && (rc = lock_timeout(&cmd_stamp, v[O_PLOCK], &r)) != EXIT_OK)
        return rc;
    r.refuse_destructive = guarded(p, v[O_PALLOW]);
    if (arc == AG_OK)
        arc = ag_runner_stamp(&r, pos, (size_t)npos, v[O_PURGE] != NULL, &err);
    return arc == AG_OK ? EXIT_OK : cli_fail(&err);
}

const cli_cmd cmd_upgrade = { "upgrade", run_upgrade, "[TARGET]",
                              "apply migrations up to TARGET: head (default), heads, a revision "
                              "or unique prefix, LABEL@head, +N",
                              move_opts };
const cli_cmd cmd_downgrade = { "downgrade", run_downgrade, "TARGET",
                                "revert migrations down to TARGET: -N, REV@-N, a revision, base",
                                move_opts };
const cli_cmd cmd_stamp = { "stamp", run_stamp, "REV...",
                            "set the version table to REV (base, heads; several: one per "
                            "branch) without running migrations",
                            stamp_opts };
