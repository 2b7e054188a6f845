/* cmd_diff.c - `autogen diff` and `autogen check`: what autogenerate would do. */
#include "../util/common.h"
#include "cli.h"

#include "../util/error.h"

#define ALLOW_EMPTY_MODELS                                                                         \
    {                                                                                              \
        "allow-empty-models", 0, NULL,                                                             \
            "models that declare no table: compare anyway (refused without)"                       \
    }

static const cli_opt diff_opts[] = { ALLOW_EMPTY_MODELS, { NULL, 0, NULL, NULL } };

/* Print each op with the SQL it renders to on the live database. */
static int
print_diff(cli_ctx *ctx, ag_project *p, const ag_oplist *ops, ag_schema *state, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    int rc = AG_OK;
    if (ctx->json)
        printf("{\"changes\": [");
    for (size_t i = 0; rc == AG_OK && i < ops->n; i++) {
        ag_opdef *op = ops->ops[i];
        ag_strs sql = { 0 };
        ag_oplist one = { .ops = &op, .n = 1 };
        rc = ag_render_ops(p->dialect, state, &one, &a, &sql, err);
        if (rc != AG_OK)
            break;
        const char *what = ag_op_describe(&a, op);
        if (ctx->json) {
            printf("%s\n  {\"op\": \"%s\", \"table\": ", i ? "," : "", ag_op_kind_name(op->kind));
            cli_json_str(stdout, op->table);
            const char *schema = op->enm && !op->table ? op->enm->schema : op->schema;
            printf(", \"schema\": ");
            if (schema)
                cli_json_str(stdout, schema);
            else
                printf("null");
            printf(", \"description\": ");
            cli_json_str(stdout, what);
            printf(", \"destructive\": %s, \"sql\": [",
                   op->flags & AG_OPF_DESTRUCTIVE ? "true" : "false");
            for (size_t k = 0; k < sql.n; k++) {
                printf("%s", k ? ", " : "");
                cli_json_str(stdout, sql.v[k]);
            }
            printf("]}");
        } else {
            printf("-- %s%s\n", what, op->flags & AG_OPF_DESTRUCTIVE ? " (DESTRUCTIVE)" : "");
            for (size_t k = 0; k < sql.n; k++)
                printf("%s;\n", sql.v[k]);
            printf("\n");
        }
    }
    if (ctx->json && rc == AG_OK) {
        printf("\n], \"hints\": [");
        for (size_t i = 0; i < ops->hints.n; i++) {
            printf("%s", i ? ", " : "");
            cli_json_str(stdout, ops->hints.v[i]);
        }
        printf("]}\n");
    }
    ag_arena_release(&a);
    return rc;
}

static int run_diff(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[2], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_diff, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->allow_empty_models = v[0] != NULL;
    p->read_only = true;
    ag_oplist *ops = NULL;
    ag_schema *state = NULL;
    ag_error err = { 0 };
    int arc = ag_project_autodiff(p, &ops, &state, &err);
    if (arc == AG_OK) {
        if (ops->n == 0 && !ctx->json)
            printf("No changes detected\n");
        else
            arc = print_diff(ctx, p, ops, state, &err);
        for (size_t i = 0; arc == AG_OK && !ctx->json && i < ops->hints.n; i++)
            fprintf(stderr, "autogen: hint: %s\n", ops->hints.v[i]);
    }
    if (arc != AG_OK)
        rc = p->diags.n ? cli_fail_models(ctx, &err) : cli_fail(&err);
    ag_oplist_free(ops);
    ag_schema_free(state);
    return rc;
}

enum { C_SCRATCH, C_SCRATCH_URL, C_ALLOW_EMPTY, C_N };
static const cli_opt check_opts[] = {
    [C_SCRATCH] = { "scratch", 0, NULL,
                    "replay every migration into a throwaway database and compare that" },
    [C_SCRATCH_URL] = { "scratch-url", 0, "URL",
                        "the throwaway database (default: in-memory SQLite)" },
    [C_ALLOW_EMPTY] = ALLOW_EMPTY_MODELS,
    [C_N] = { NULL, 0, NULL, NULL },
};

/* check --scratch without a URL: a throwaway database of the project's own
 * dialect, so that its SQL runs. On a server (PostgreSQL) one is created on
 * the configured server; else an in-memory SQLite database. */
int cli_scratch_default(ag_project *p, bool *on_server, ag_error *err)
{
    *on_server = false;
    int rc = ag_project_dialect(p, err);
    if (rc != AG_OK || p->dialect->scratch_create) {
        *on_server = rc == AG_OK;
        return rc;
    }
    ag_url_release(&p->purl);
    p->dialect = NULL;
    p->url = "sqlite://:memory:";
    return ag_project_dialect(p, err);
}

/* check --scratch: the migrations, replayed into an empty database, against the models. */
int cli_replay_scratch(ag_project *p, bool on_server, ag_error *err)
{
    ag_schema *s = NULL;
    int rc = ag_project_dialect(p, err);
    if (rc == AG_OK && p->dialect->scratch_create) {
        rc = p->dialect->scratch_create(&p->purl, err);
        if (rc != AG_OK && on_server)
            ag_error_prefix(err,
                            "cannot create a scratch database on the server of %s (the role "
                            "needs CREATEDB); pass --scratch-url naming a server where it can, or "
                            "an empty database",
                            p->purl.display);
    }
    if (rc == AG_OK)
        rc = ag_project_introspect(p, &s, err);
    if (rc == AG_OK && s->ntables)
        rc = ag_error_set(err, AG_ECONFLICT,
                          "the scratch database is not empty (it has table '%s'); name an empty "
                          "one with --scratch-url",
                          s->tables[0]->name);
    ag_schema_free(s);
    ag_runner r;
    if (rc == AG_OK)
        rc = ag_project_runner(p, &r, err);
    if (rc == AG_OK && r.graph->nheads)
        rc = ag_runner_upgrade(&r, "heads", err);
    if (rc != AG_OK)
        ag_error_prefix(err, "replaying the migrations into the scratch database");
    return rc;
}

static int run_check(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[C_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_check, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    bool scratch = v[C_SCRATCH] || v[C_SCRATCH_URL];
    if (v[C_SCRATCH_URL])
        ctx->url = v[C_SCRATCH_URL];
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->allow_empty_models = v[C_ALLOW_EMPTY] != NULL;
    p->read_only = !scratch; /* the scratch database is written: it is the replay's */
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    int arc = AG_OK;
    if (scratch) {
        p->quiet = true;
        bool on_server = false;
        if (!v[C_SCRATCH_URL])
            arc = cli_scratch_default(p, &on_server, &err);
        if (arc == AG_OK)
            arc = cli_replay_scratch(p, on_server, &err);
    }
    if (arc == AG_OK)
        arc = ag_project_autodiff(p, &ops, NULL, &err);
    if (scratch && p->dialect && p->dialect->scratch_drop && p->purl.dbname) {
        /* Drop the throwaway database whatever happened; keep the first error. */
        if (p->db) {
            p->dialect->disconnect(p->db);
            p->db = NULL;
        }
        ag_error drop_err = { 0 };
        int drc = p->dialect->scratch_drop(&p->purl, &drop_err);
        if (arc == AG_OK && drc != AG_OK) {
            arc = drc;
            err = drop_err;
        }
    }
    if (arc != AG_OK) {
        rc = p->diags.n ? cli_fail_models(ctx, &err) : cli_fail(&err);
        ag_oplist_free(ops);
        return rc;
    }
    ag_arena a = AG_ARENA_INIT;
    if (ctx->json) {
        printf("{\"differs\": %s, \"changes\": [", ops->n ? "true" : "false");
        for (size_t i = 0; i < ops->n; i++) {
            printf("%s", i ? ", " : "");
            cli_json_str(stdout, ag_op_describe(&a, ops->ops[i]));
        }
        printf("]}\n");
    } else if (ops->n == 0) {
        if (!ctx->quiet)
            printf("No differences: the database matches the models\n");
    } else {
        printf("The database differs from the models (%zu change%s):\n", ops->n,
               ops->n == 1 ? "" : "s");
        for (size_t i = 0; i < ops->n; i++)
            printf("  %s\n", ag_op_describe(&a, ops->ops[i]));
    }
    rc = ops->n ? EXIT_DIFFERENT : EXIT_OK;
    ag_arena_release(&a);
    ag_oplist_free(ops);
    return rc;
}

const cli_cmd cmd_diff = { "diff", run_diff, NULL,
                           "print the pending changes and their SQL, writing nothing", diff_opts };
const cli_cmd cmd_check = { "check", run_check, NULL,
                            "exit 1 if the models and the database differ, 0 if not", check_opts };
