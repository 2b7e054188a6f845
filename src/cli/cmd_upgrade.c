/* cmd_upgrade.c - `autogen upgrade`, `downgrade` and `stamp`: move the database,
 * or (--sql) print the SQL that would, without a database. */
#include "../util/common.h"
#include "cli.h"

#include <errno.h>

#define LOCK_TIMEOUT_HELP                                                                          \
    "wait at most SECONDS for another runner's write lock (default 60), then exit 3 with "         \
    "nothing run"
#define ALLOW_HELP "allow destroying data when the environment is production"

#define SQL_OPT                                                                                    \
    {                                                                                              \
        "sql", 0, NULL, "print the SQL instead of running it (offline; FROM:TO ranges)"            \
    }
#define DRY_OPT                                                                                    \
    {                                                                                              \
        "dry-run", 0, NULL, "run the migrations in one transaction, report each, roll it all back" \
    }

/* upgrade and downgrade share the first four; each has its own after them. */
enum { O_SQL, O_DRY, O_ALLOW, O_LOCK, O_EDITED, O_LAST = O_EDITED, O_RUN, O_N };
static const cli_opt upgrade_opts[] = {
    [O_SQL] = SQL_OPT,
    [O_DRY] = DRY_OPT,
    [O_ALLOW] = { "allow-destructive", 0, NULL, ALLOW_HELP },
    [O_LOCK] = { "lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP },
    [O_EDITED] = { "allow-edited", 0, NULL,
                   "run even when applied migrations changed since they were applied" },
    [O_RUN] = { NULL, 0, NULL, NULL },
};
static const cli_opt downgrade_opts[] = {
    [O_SQL] = SQL_OPT,
    [O_DRY] = DRY_OPT,
    [O_ALLOW] = { "allow-destructive", 0, NULL, ALLOW_HELP },
    [O_LOCK] = { "lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP },
    [O_LAST] = { "last-run", 0, NULL,
                 "revert exactly what the most recent upgrade run applied (the run log)" },
    [O_RUN] = { "run", 0, "N", "revert exactly what upgrade run N applied" },
    [O_N] = { NULL, 0, NULL, NULL },
};
enum { O_PURGE, O_PALLOW, O_PLOCK, O_PSUMS, O_PN };
static const cli_opt stamp_opts[] = {
    [O_PURGE] = { "purge", 0, NULL, "empty the version table first, whatever it holds" },
    [O_PALLOW] = { "allow-destructive", 0, NULL, ALLOW_HELP },
    [O_PLOCK] = { "lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP },
    [O_PSUMS] = { "checksums", 0, NULL,
                  "record the checksums of the applied migrations' files as they are now "
                  "(after a reviewed edit)" },
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

/* downgrade --last-run / --run N: *run gets 0 (the last) or N; -1 when neither. */
static int revert_run(const cli_cmd *cmd, const char **v, int npos, long *run)
{
    *run = -1;
    if (cmd != &cmd_downgrade || (!v[O_LAST] && !v[O_RUN]))
        return EXIT_OK;
    if (v[O_LAST] && v[O_RUN])
        return cli_usage_error(cmd, "--last-run and --run N each name a run: use one of them");
    if (npos)
        return cli_usage_error(cmd, "--%s names what to revert: give no TARGET with it",
                               v[O_LAST] ? "last-run" : "run");
    *run = 0;
    if (v[O_RUN]) {
        char *end = NULL;
        errno = 0;
        *run = strtol(v[O_RUN], &end, 10);
        if (end == v[O_RUN] || *end || errno || *run <= 0)
            return cli_usage_error(cmd, "--run takes a run number (1, 2, ...), not '%s'", v[O_RUN]);
    }
    return EXIT_OK;
}

static int
move(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, ag_direction dir, const char *dflt)
{
    const char *v[O_N] = { 0 }, *pos[1];
    int npos, rc = cli_parse(ctx, cmd, argc, argv, v, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    long run;
    if ((rc = revert_run(cmd, v, npos, &run)) != EXIT_OK)
        return rc;
    const char *target = npos ? pos[0] : dflt;
    if (!target && run < 0)
        return cli_usage_error(cmd, "name the target: -1, a revision, base, or --last-run");
    if (v[O_SQL] && v[O_DRY])
        return cli_usage_error(cmd, "--dry-run runs against the database; --sql needs none: "
                                    "use one of them");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_runner r;
    ag_error err = { 0 };
    int arc;
    if (v[O_SQL] && run >= 0) {
        /* The run log is in the database: read it (only read), print the script. */
        p->read_only = true;
        arc = ag_project_runner(p, &r, &err);
        if (arc == AG_OK)
            arc = ag_runner_sql_run(&r, run, stdout, &err);
    } else if (v[O_SQL]) {
        arc = ag_project_offline_runner(p, &r, &err);
        if (arc == AG_OK)
            arc = ag_runner_sql(&r, target, dir, stdout, &err);
    } else {
        arc = ag_project_runner(p, &r, &err);
        if (arc == AG_OK && (rc = lock_timeout(cmd, v[O_LOCK], &r)) != EXIT_OK)
            return rc;
        r.refuse_destructive = guarded(p, v[O_ALLOW]);
        r.dry_run = v[O_DRY] != NULL;
        r.refuse_edited = dir == AG_UPGRADE && !v[O_EDITED];
        if (arc == AG_OK && run >= 0)
            arc = ag_runner_downgrade_run(&r, run, &err);
        else if (arc == AG_OK)
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
    if (v[O_PSUMS] && (npos || v[O_PURGE]))
        return cli_usage_error(&cmd_stamp, "--checksums records the checksums of what is "
                                           "applied: give no revision and no --purge with it");
    if (!npos && !v[O_PSUMS])
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
    if (arc == AG_OK && v[O_PSUMS])
        arc = ag_runner_record_checksums(&r, &err);
    else if (arc == AG_OK)
        arc = ag_runner_stamp(&r, pos, (size_t)npos, v[O_PURGE] != NULL, &err);
    return arc == AG_OK ? EXIT_OK : cli_fail(&err);
}

const cli_cmd cmd_upgrade = { "upgrade", run_upgrade, "[TARGET]",
                              "apply migrations up to TARGET: head (default), heads, a revision "
                              "or unique prefix, LABEL@head, +N",
                              upgrade_opts };
const cli_cmd cmd_downgrade = { "downgrade", run_downgrade, "TARGET",
                                "revert migrations down to TARGET: -N, REV@-N, a revision, "
                                "base; or an upgrade run (--last-run, --run N)",
                                downgrade_opts };
const cli_cmd cmd_stamp = { "stamp", run_stamp, "REV... | --checksums",
                            "set the version table to REV (base, heads; several: one per "
                            "branch) without running migrations",
                            stamp_opts };
