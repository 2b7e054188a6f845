/* cmd_show.c - `autogen show REV`: a revision's header, operations and SQL;
 * `autogen show --models`: the models as a diagram. */
#include "../util/common.h"
#include "cli.h"

#include "../schema/erd.h"

enum { O_MODELS, O_FORMAT, O_N };
static const cli_opt opts[] = {
    [O_MODELS] = { "models", 0, NULL,
                   "the models instead of a revision: tables, columns, keys, references" },
    [O_FORMAT] = { "format", 0, "text|json|mermaid|dot",
                   "output format; --models takes text, mermaid (erDiagram) or dot" },
    [O_N] = { NULL, 0, NULL, NULL },
};

/* show --models: the tables and their foreign keys, drawn. */
static int show_models(cli_ctx *ctx, const char *format)
{
    int rc;
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_schema *models = NULL;
    ag_error err = { 0 };
    if (ag_project_models(p, &models, &err) != AG_OK) {
        ag_schema_free(models);
        return cli_fail_models(ctx, &err);
    }
    char *text = strcmp(format, "mermaid") == 0 ? ag_erd_mermaid(models)
                 : strcmp(format, "dot") == 0   ? ag_erd_dot(models)
                                                : ag_erd_text(models);
    fputs(text, stdout);
    free(text);
    ag_schema_free(models);
    return EXIT_OK;
}

static void rev_list(const char *name, ag_rev *const *revs, size_t n, FILE *out)
{
    fprintf(out, "%s: ", name);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", revs[i]->rf.revision);
    fprintf(out, "%s\n", n ? "" : "<none>");
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_show, argc, argv, v, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    const char *format = v[O_FORMAT] ? v[O_FORMAT] : ctx->json ? "json" : "text";
    bool drawing = strcmp(format, "mermaid") == 0 || strcmp(format, "dot") == 0;
    if (!drawing && strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error(&cmd_show, "--format takes text, json, mermaid or dot, not '%s'",
                               format);
    if (v[O_MODELS]) {
        if (npos)
            return cli_usage_error(&cmd_show, "--models shows the models, not revision '%s'",
                                   pos[0]);
        if (strcmp(format, "json") == 0)
            return cli_usage_error(&cmd_show, "--models takes --format text, mermaid or dot");
        return show_models(ctx, format);
    }
    if (drawing)
        return cli_usage_error(&cmd_show,
                               "--format %s draws the models (--models); a revision shows as "
                               "text or json ('autogen history --format %s' draws the graph)",
                               format, format);
    ctx->json = strcmp(format, "json") == 0;
    if (!npos)
        return cli_usage_error(&cmd_show, "name the revision to show, or --models");
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

const cli_cmd cmd_show = { "show", run, "REV | --models",
                           "one revision: header, operations and SQL; or the models as a diagram",
                           opts };
