/* cmd_show.c - `autogen show REV`: a revision's header, operations and SQL. */
#include "../util/common.h"
#include "cli.h"

static const cli_opt opts[] = { { NULL, 0, NULL, NULL } };

static void rev_list(const char *name, ag_rev *const *revs, size_t n, FILE *out)
{
    fprintf(out, "%s: ", name);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", revs[i]->rf.revision);
    fprintf(out, "%s\n", n ? "" : "<none>");
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[1], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_show, argc, argv, v, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    if (!npos)
        return cli_usage_error(&cmd_show, "name the revision to show");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_runner r;
    ag_error err = { 0 };
    ag_rev *rev = NULL;
    int arc = ag_project_offline_runner(p, &r, &err);
    if (arc == AG_OK) {
        if (strcmp(pos[0], "head") == 0 && r.graph->nheads == 1)
            rev = r.graph->heads[0];
        else
            arc = ag_graph_resolve(&rev, r.graph, pos[0], &err);
    }
    ag_oplist *ops = ag_oplist_new();
    if (arc == AG_OK) {
        /* In a child process, as the runner records: a crash is reported. */
        ag_record_job job = { .path = rev->rf.path, .dir = AG_UPGRADE, .ops = ops };
        arc = ag_migration_collect_isolated(r.compiler, &job, 1, r.dialect->name, 0, &err);
    }
    if (arc != AG_OK) {
        ag_oplist_free(ops);
        return cli_fail(&err);
    }
    ag_arena a = AG_ARENA_INIT;
    if (ctx->json) {
        printf("{\"revision\": ");
        cli_json_str(stdout, rev->rf.revision);
        printf(", \"down_revision\": [");
        for (size_t i = 0; i < rev->nparents; i++) {
            printf("%s", i ? ", " : "");
            cli_json_str(stdout, rev->parents[i]->rf.revision);
        }
        printf("], \"message\": ");
        cli_json_str(stdout, rev->rf.message);
        printf(", \"path\": ");
        cli_json_str(stdout, rev->rf.path);
        printf(", \"create_date\": ");
        cli_json_str(stdout, rev->rf.create_date);
        printf(", \"head\": %s, \"operations\": [", rev->nchildren ? "false" : "true");
        for (size_t i = 0; i < ops->n; i++) {
            printf("%s{\"op\": \"%s\", \"description\": ", i ? ", " : "",
                   ag_op_kind_name(ops->ops[i]->kind));
            cli_json_str(stdout, ag_op_describe(&a, ops->ops[i]));
            printf("}");
        }
        printf("]}\n");
    } else {
        printf("Rev: %s%s%s\n", rev->rf.revision, rev->nchildren ? "" : " (head)",
               rev->nparents > 1 ? " (mergepoint)" : "");
        rev_list("Parent", rev->parents, rev->nparents, stdout);
        rev_list("Children", rev->children, rev->nchildren, stdout);
        if (rev->ndeps)
            rev_list("Depends on", rev->deps, rev->ndeps, stdout);
        for (size_t i = 0; rev->rf.branch_labels && rev->rf.branch_labels[i]; i++)
            printf("Branch label: %s\n", rev->rf.branch_labels[i]);
        printf("Path: %s\nCreate Date: %s\n\n    %s\n\nOperations:\n", rev->rf.path,
               rev->rf.create_date, rev->rf.message);
        for (size_t i = 0; i < ops->n; i++)
            printf("    %s\n", ag_op_describe(&a, ops->ops[i]));
        if (!ops->n)
            printf("    (none)\n");
        printf("\nSQL (%s):\n", r.dialect->name);
        arc = ag_runner_revision_sql(&r, rev, stdout, &err);
    }
    ag_arena_release(&a);
    ag_oplist_free(ops);
    return arc == AG_OK ? EXIT_OK : cli_fail(&err);
}

const cli_cmd cmd_show = { "show", run, "REV", "one revision: header, operations and SQL", opts };
