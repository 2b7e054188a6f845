/* cmd_status.c - `autogen status`: applied, pending, missing and edited
 * revisions, as a deploy gate (exit 1 when anything is not applied as the
 * files say). */
#include "../util/common.h"
#include "cli.h"

#include "../runner/status.h"

static const char *state_word(const ag_status_item *it)
{
    switch (it->state) {
    case AG_STATUS_APPLIED:
        return it->log && it->log->applied && it->log->direction[0] == 's' ? "stamped" : "applied";
    case AG_STATUS_PENDING:
        return "pending";
    default:
        return "missing";
    }
}

static void json_str_or_null(const char *s)
{
    if (s)
        cli_json_str(stdout, s);
    else
        fputs("null", stdout);
}

static void print_json(const ag_status *s, bool log_exists)
{
    printf("{\"revisions\": [");
    for (size_t i = 0; i < s->n; i++) {
        const ag_status_item *it = &s->v[i];
        const ag_log_rev *e = it->log && it->log->applied ? it->log : NULL;
        printf("%s\n  {\"revision\": ", i ? "," : "");
        cli_json_str(stdout, it->revision);
        printf(", \"state\": \"%s\", \"stamped\": %s, \"edited\": %s, \"run\": ",
               it->state == AG_STATUS_APPLIED   ? "applied"
               : it->state == AG_STATUS_PENDING ? "pending"
                                                : "missing",
               e && e->direction[0] == 's' ? "true" : "false", it->edited ? "true" : "false");
        if (e)
            printf("%ld", e->run);
        else
            fputs("null", stdout);
        printf(", \"applied_at\": ");
        json_str_or_null(e ? e->at : NULL);
        printf(", \"applied_by\": ");
        json_str_or_null(e ? e->by : NULL);
        printf(", \"checksum\": ");
        json_str_or_null(it->log ? it->log->checksum : NULL);
        printf(", \"file_checksum\": ");
        json_str_or_null(it->file_checksum[0] ? it->file_checksum : NULL);
        printf(", \"message\": ");
        json_str_or_null(it->rev ? it->rev->rf.message : NULL);
        printf(", \"path\": ");
        json_str_or_null(it->rev ? it->rev->rf.path : NULL);
        printf("}");
    }
    printf("%s], \"applied\": %zu, \"pending\": %zu, \"missing\": %zu, \"edited\": %zu, "
           "\"run_log\": %s}\n",
           s->n ? "\n" : "", s->applied, s->pending, s->missing, s->edited,
           log_exists ? "true" : "false");
}

static void print_text(const ag_status *s, bool quiet)
{
    int w = 8;
    for (size_t i = 0; i < s->n; i++) {
        int len = (int)strlen(s->v[i].revision);
        w = len > w ? len : w;
    }
    printf("%-*s  %-7s  %5s  %-24s  %s\n", w, "REVISION", "STATE", "RUN", "APPLIED AT (UTC)",
           "MESSAGE");
    for (size_t i = 0; i < s->n; i++) {
        const ag_status_item *it = &s->v[i];
        const ag_log_rev *e = it->log && it->log->applied ? it->log : NULL;
        char run[24] = "-";
        if (e)
            snprintf(run, sizeof(run), "%ld", e->run);
        const char *msg = it->rev ? (it->rev->rf.message ? it->rev->rf.message : "")
                                  : "(no migration file defines it)";
        printf("%-*s  %-7s  %5s  %-24s  %s%s\n", w, it->revision, state_word(it),
               it->state == AG_STATUS_PENDING ? "" : run,
               it->state == AG_STATUS_PENDING ? "" : (e && e->at ? e->at : "-"), msg,
               it->edited ? "  [edited]" : "");
    }
    printf("\n%zu applied, %zu pending, %zu missing, %zu edited\n", s->applied, s->pending,
           s->missing, s->edited);
    if (quiet)
        return;
    for (size_t i = 0; i < s->n; i++) {
        const ag_status_item *it = &s->v[i];
        if (it->edited)
            printf("edited: %s (revision %s) changed since it was applied (checksum %.12s..., now "
                   "%.12s...): restore it, or review the change and run 'autogen stamp "
                   "--checksums'\n",
                   it->rev->rf.path, it->revision, it->log->checksum,
                   it->file_checksum[0] ? it->file_checksum : "unreadable");
        else if (it->state == AG_STATUS_MISSING)
            printf("missing: %s is applied to the database, but no migration file defines it: "
                   "restore the file\n",
                   it->revision);
    }
}

static int run_status(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[1], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_status, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->read_only = true;
    ag_runner r;
    ag_error err = { 0 };
    ag_status s = { 0 };
    int arc = ag_project_runner(p, &r, &err);
    if (arc == AG_OK)
        arc = ag_runner_status(&r, &s, &err);
    if (arc != AG_OK)
        return cli_fail(&err);
    if (ctx->json)
        print_json(&s, s.log.exists);
    else
        print_text(&s, ctx->quiet);
    rc = s.pending || s.missing || s.edited ? EXIT_DIFFERENT : EXIT_OK;
    ag_status_release(&s);
    return rc;
}

static const cli_opt status_opts[] = {
    { NULL, 0, NULL, NULL },
};

const cli_cmd cmd_status = { "status", run_status, NULL,
                             "every revision, applied or pending, with its run; missing and "
                             "edited ones (exit 1 when any is pending, missing or edited)",
                             status_opts };
