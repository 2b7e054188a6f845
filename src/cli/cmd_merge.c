/* cmd_merge.c - `autogen merge REVS… -m MSG`: one revision that joins heads. */
#include "../util/common.h"
#include "cli.h"

enum { O_MESSAGE, O_REV_ID, O_LABEL, O_N };
static const cli_opt opts[] = {
    [O_MESSAGE] = { "message", 'm', "MSG", "what the merge is for (required)" },
    [O_REV_ID] = { "rev-id", 0, "ID", "use this revision id instead of a random one" },
    [O_LABEL] = { "branch-label", 0, "LABEL", "a label for the merged branch" },
    [O_N] = { NULL, 0, NULL, NULL },
};

enum { MAX_REVS = 64 };

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N], *pos[MAX_REVS + 1] = { 0 };
    int npos, rc = cli_parse(ctx, &cmd_merge, argc, argv, v, pos, &npos, MAX_REVS);
    if (rc != EXIT_OK)
        return rc;
    if (npos == 0)
        return cli_usage_error(&cmd_merge, "name the revisions to merge, or 'heads'");
    if (!v[O_MESSAGE] || !v[O_MESSAGE][0])
        return cli_usage_error(&cmd_merge, "a message is required: -m \"merge\"");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    pos[npos] = NULL;
    ag_revision_opts o = {
        .message = v[O_MESSAGE],
        .rev_id = v[O_REV_ID],
        .branch_label = v[O_LABEL],
        .date = getenv("AUTOGEN_DATE"),
        .merge = pos,
    };
    ag_revision_result res;
    ag_error err = { 0 };
    if (ag_project_write_revision(p, &o, &res, &err) != AG_OK)
        return cli_fail(&err);
    if (ctx->json) {
        printf("{\"path\": ");
        cli_json_str(stdout, res.path);
        printf("}\n");
    } else {
        printf("%s\n", res.path);
    }
    ag_revision_result_release(&res);
    return EXIT_OK;
}

const cli_cmd cmd_merge = { "merge", run, "REV…",
                            "write a revision joining REVs ('heads': all heads) into one head",
                            opts };
