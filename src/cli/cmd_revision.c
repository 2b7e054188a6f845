/* cmd_revision.c - `autogen revision -m MSG`: autogenerate (or --empty) a migration. */
#include "../util/common.h"
#include "cli.h"

enum {
    O_MESSAGE,
    O_EMPTY,
    O_HEAD,
    O_SPLICE,
    O_LABEL,
    O_DEPENDS,
    O_REV_ID,
    O_VERSION_PATH,
    O_ALLOW_EMPTY,
    O_N
};

static const cli_opt opts[] = {
    [O_MESSAGE] = { "message", 'm', "MSG", "what the migration does (required)" },
    [O_EMPTY] = { "empty", 0, NULL, "write an empty migration to fill in by hand" },
    [O_HEAD] = { "head", 0, "REV", "the head to build on when there are several" },
    [O_SPLICE] = { "splice", 0, NULL,
                   "with --head: start a branch at a revision that is not a head" },
    [O_LABEL] = { "branch-label", 0, "LABEL", "a label for the branch this revision starts" },
    [O_DEPENDS] = { "depends-on", 0, "REV", "a revision this one depends on" },
    [O_REV_ID] = { "rev-id", 0, "ID", "use this revision id instead of a random one" },
    [O_VERSION_PATH] = { "version-path", 0, "DIR", "write into this folder under versions/" },
    [O_ALLOW_EMPTY] = { "allow-empty-models", 0, NULL,
                        "models that declare no table: drop every table (refused without)" },
    [O_N] = { NULL, 0, NULL, NULL },
};

static void print_warnings(const ag_oplist *ops)
{
    for (size_t i = 0; i < ops->n; i++)
        if (ops->ops[i]->flags & AG_OPF_DESTRUCTIVE)
            cli_warn("DESTRUCTIVE: %s", ops->ops[i]->note ? ops->ops[i]->note : "");
    for (size_t i = 0; i < ops->hints.n; i++)
        fprintf(stderr, "autogen: hint: %s\n", ops->hints.v[i]);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_revision, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    if (!v[O_MESSAGE] || !v[O_MESSAGE][0])
        return cli_usage_error(&cmd_revision, "a message is required: -m \"what it does\"");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->allow_empty_models = v[O_ALLOW_EMPTY] != NULL;
    p->read_only = true; /* it writes a file, never the database */
    ag_revision_opts o = {
        .message = v[O_MESSAGE],
        .rev_id = v[O_REV_ID],
        .head = v[O_HEAD],
        .branch_label = v[O_LABEL],
        .depends_on = v[O_DEPENDS],
        .empty = v[O_EMPTY] != NULL,
        .splice = v[O_SPLICE] != NULL,
        .date = getenv("AUTOGEN_DATE"),
    };
    ag_arena a = AG_ARENA_INIT;
    if (v[O_VERSION_PATH])
        o.version_path = ag_path_join(&a, p->versions_dir, v[O_VERSION_PATH]);
    ag_revision_result res;
    ag_error err = { 0 };
    int arc = ag_project_write_revision(p, &o, &res, &err);
    if (arc != AG_OK) {
        rc = arc == AG_EINVALID && p->diags.n ? cli_fail_models(ctx, &err) : cli_fail(&err);
    } else if (!res.path) {
        if (ctx->json)
            printf("{\"path\": null, \"paths\": [], \"changes\": 0}\n");
        else
            printf("No changes detected\n");
        if (res.ops)
            print_warnings(res.ops);
    } else {
        if (res.outside_ops)
            print_warnings(res.outside_ops);
        if (res.ops)
            print_warnings(res.ops);
        if (res.outside_path)
            fprintf(stderr,
                    "autogen: note: this migration uses enum values it adds, which PostgreSQL "
                    "allows only once they are committed: they are in '%s', a revision of their "
                    "own that runs outside a transaction (transactional = 0)\n",
                    res.outside_path);
        if (ctx->json) {
            printf("{\"path\": ");
            cli_json_str(stdout, res.path);
            printf(", \"paths\": [");
            if (res.outside_path) {
                cli_json_str(stdout, res.outside_path);
                printf(", ");
            }
            cli_json_str(stdout, res.path);
            printf("], \"changes\": %zu}\n",
                   (res.ops ? res.ops->n : 0) + (res.outside_ops ? res.outside_ops->n : 0));
        } else {
            if (res.outside_path)
                printf("%s\n", res.outside_path);
            printf("%s\n", res.path);
        }
    }
    ag_revision_result_release(&res);
    ag_arena_release(&a);
    return rc;
}

const cli_cmd cmd_revision = { "revision", run, NULL,
                               "autogenerate a migration from the models and the database", opts };
