/* cmd_current.c - `autogen current`, `heads` and `history`: where things stand. */
#include "../util/common.h"
#include "cli.h"

#include "../revision/draw.h"

#include <unistd.h>

enum { O_VERBOSE, O_N };
static const cli_opt verbose_opts[] = {
    [O_VERBOSE] = { "verbose", 'v', NULL, "also show each revision's file and date" },
    [O_N] = { NULL, 0, NULL, NULL },
};

static void print_rev(cli_ctx *ctx, const ag_rev *r, bool verbose, bool first)
{
    bool head = r->nchildren == 0;
    if (ctx->json) {
        printf("%s\n  {\"revision\": ", first ? "" : ",");
        cli_json_str(stdout, r->rf.revision);
        printf(", \"down_revision\": [");
        for (size_t i = 0; i < r->nparents; i++) {
            printf("%s", i ? ", " : "");
            cli_json_str(stdout, r->parents[i]->rf.revision);
        }
        printf("], \"head\": %s, \"merge\": %s, \"message\": ", head ? "true" : "false",
               r->nparents > 1 ? "true" : "false");
        cli_json_str(stdout, r->rf.message);
        printf(", \"path\": ");
        cli_json_str(stdout, r->rf.path);
        printf("}");
        return;
    }
    printf("%s%s%s\n", r->rf.revision, head ? " (head)" : "",
           r->nparents > 1 ? " (mergepoint)" : "");
    if (verbose)
        printf("    Path: %s\n    Date: %s\n    %s\n", r->rf.path,
               r->rf.create_date ? r->rf.create_date : "", r->rf.message ? r->rf.message : "");
}

static int run_current(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_current, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->read_only = true;
    ag_runner r;
    ag_error err = { 0 };
    ag_rev **rows = NULL;
    size_t n = 0;
    int arc = ag_project_runner(p, &r, &err);
    if (arc == AG_OK)
        arc = ag_runner_current(&r, &rows, &n, &err);
    if (arc != AG_OK) {
        free(rows);
        return cli_fail(&err);
    }
    /* A read-only command does not create it: nothing is applied there. */
    if (!ctx->quiet && p->purl.path && strcmp(p->purl.path, ":memory:") != 0 &&
        access(p->purl.path, F_OK) != 0)
        fprintf(stderr, "autogen: note: the database '%s' does not exist yet: nothing is applied\n",
                p->purl.path);
    if (ctx->json)
        printf("{\"current\": [");
    for (size_t i = 0; i < n; i++)
        print_rev(ctx, rows[i], v[O_VERBOSE] != NULL, i == 0);
    if (ctx->json)
        printf("%s]}\n", n ? "\n" : "");
    free(rows);
    return EXIT_OK;
}

/* Parse a graph command's options and load the graph: EXIT_OK with *g set, or
 * the exit status (the problem already printed). */
static int
open_graph(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, const char **v, ag_graph **g)
{
    const char *pos[1];
    int npos, rc = cli_parse(ctx, cmd, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    ag_error err = { 0 };
    if (ag_project_graph(p, g, &err) != AG_OK)
        return cli_fail(&err);
    return EXIT_OK;
}

static int run_heads(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N];
    ag_graph *g = NULL;
    int rc = open_graph(ctx, &cmd_heads, argc, argv, v, &g);
    if (rc != EXIT_OK)
        return rc;
    if (ctx->json)
        printf("{\"heads\": [");
    for (size_t i = 0; i < g->nheads; i++)
        print_rev(ctx, g->heads[i], v[O_VERBOSE] != NULL, i == 0);
    if (ctx->json)
        printf("%s]}\n", g->nheads ? "\n" : "");
    return EXIT_OK;
}

enum { H_VERBOSE, H_RANGE, H_GRAPH, H_FORMAT, H_N };
static const cli_opt history_opts[] = {
    [H_VERBOSE] = { "verbose", 'v', NULL, "also show each revision's file and date" },
    [H_RANGE] = { "rev-range", 'r', "A:B", "only revisions from A to B (either may be left out)" },
    [H_GRAPH] = { "graph", 0, NULL,
                  "draw the graph as git log --graph does; (current) marks the database's "
                  "revisions" },
    [H_FORMAT] = { "format", 0, "text|json|dot|mermaid",
                   "output format; dot (Graphviz) and mermaid draw the graph" },
    [H_N] = { NULL, 0, NULL, NULL },
};

/* The end of a -r range: a revision, a label, "base"/"" (NULL) or "head(s)" (NULL). */
static int range_end(const ag_graph *g, const char *s, size_t len, ag_rev **out, ag_error *err)
{
    char spec[128];
    snprintf(spec, sizeof(spec), "%.*s", (int)len, s);
    *out = NULL;
    if (!spec[0] || strcmp(spec, "base") == 0 || strcmp(spec, "heads") == 0)
        return AG_OK;
    if (strcmp(spec, "head") == 0 && g->nheads == 1) {
        *out = g->heads[0];
        return AG_OK;
    }
    return ag_graph_resolve(out, g, spec, err);
}

/* The revisions the database is at, for the (current) marks of a drawing:
 * none, and no error, when there is no database or it cannot be read (a
 * drawing needs only the files). The rows belong to the caller. */
static ag_rev **drawing_current(cli_ctx *ctx, size_t *n)
{
    ag_project *p = ctx->project;
    ag_runner r;
    ag_error err = { 0 };
    ag_rev **rows = NULL;
    *n = 0;
    p->read_only = true; /* a missing SQLite file is not created */
    if (ag_project_runner(p, &r, &err) != AG_OK || ag_runner_current(&r, &rows, n, &err) != AG_OK)
        *n = 0;
    return rows;
}

/* history --graph and --format dot|mermaid: the revisions in range, drawn. */
static int draw_history(cli_ctx *ctx, const ag_graph *g, const char *format, const bool *shown)
{
    ag_draw_opts o = { .shown = shown };
    ag_rev **current = drawing_current(ctx, &o.ncurrent);
    o.current = current;
    char *text = strcmp(format, "dot") == 0       ? ag_draw_dot(g, &o)
                 : strcmp(format, "mermaid") == 0 ? ag_draw_mermaid(g, &o)
                                                  : ag_draw_text(g, &o);
    fputs(text, stdout);
    free(text);
    free(current);
    return EXIT_OK;
}

static int run_history(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[H_N];
    ag_graph *g = NULL;
    int rc = open_graph(ctx, &cmd_history, argc, argv, v, &g);
    if (rc != EXIT_OK)
        return rc;
    const char *format = v[H_FORMAT] ? v[H_FORMAT] : ctx->json ? "json" : "text";
    bool json = strcmp(format, "json") == 0, text = strcmp(format, "text") == 0;
    if (!json && !text && strcmp(format, "dot") != 0 && strcmp(format, "mermaid") != 0)
        return cli_usage_error(&cmd_history, "--format takes text, json, dot or mermaid, not '%s'",
                               format);
    if (v[H_GRAPH] && !text)
        return cli_usage_error(&cmd_history,
                               "--graph draws text: it does not combine with --format %s "
                               "(dot and mermaid are drawings already)",
                               format);
    if (v[H_VERBOSE] && (v[H_GRAPH] || (!json && !text)))
        return cli_usage_error(&cmd_history, "--verbose applies to the list, not to a drawing");
    ag_rev *from = NULL, *to = NULL;
    ag_error err = { 0 };
    if (v[H_RANGE]) {
        const char *colon = strchr(v[H_RANGE], ':');
        if (!colon)
            return cli_usage_error(&cmd_history, "-r takes A:B, as in -r base:head or -r ab12:");
        if (range_end(g, v[H_RANGE], (size_t)(colon - v[H_RANGE]), &from, &err) != AG_OK ||
            range_end(g, colon + 1, strlen(colon + 1), &to, &err) != AG_OK)
            return cli_fail(&err);
    }
    if (v[H_GRAPH] || (!json && !text)) {
        bool *shown = ag_xcalloc(g->n + 1, sizeof(bool));
        for (size_t i = 0; i < g->n; i++)
            shown[i] = (!from || ag_graph_is_ancestor(g, from, g->revs[i])) &&
                       (!to || ag_graph_is_ancestor(g, g->revs[i], to));
        rc = draw_history(ctx, g, v[H_GRAPH] ? "text" : format, shown);
        free(shown);
        return rc;
    }
    ctx->json = json;
    if (ctx->json)
        printf("{\"history\": [");
    bool first = true;
    for (size_t i = g->n; i-- > 0;) {
        const ag_rev *r = g->revs[i];
        if ((from && !ag_graph_is_ancestor(g, from, r)) || (to && !ag_graph_is_ancestor(g, r, to)))
            continue;
        if (ctx->json) {
            print_rev(ctx, r, false, first);
            first = false;
            continue;
        }
        if (r->nparents == 0) {
            printf("<base>");
        } else {
            for (size_t k = 0; k < r->nparents; k++)
                printf("%s%s", k ? ", " : "", r->parents[k]->rf.revision);
        }
        printf(" -> %s%s%s%s, %s\n", r->rf.revision, r->nchildren == 0 ? " (head)" : "",
               r->nparents > 1 ? " (mergepoint)" : "", r->nchildren > 1 ? " (branchpoint)" : "",
               r->rf.message ? r->rf.message : "");
        if (v[H_VERBOSE])
            printf("    Path: %s\n    Date: %s\n", r->rf.path,
                   r->rf.create_date ? r->rf.create_date : "");
    }
    if (ctx->json)
        printf("%s]}\n", first ? "" : "\n");
    return EXIT_OK;
}

static int run_branches(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N];
    ag_graph *g = NULL;
    int rc = open_graph(ctx, &cmd_branches, argc, argv, v, &g);
    if (rc != EXIT_OK)
        return rc;
    if (ctx->json)
        printf("{\"branches\": [");
    bool first = true;
    for (size_t i = 0; i < g->n; i++) {
        const ag_rev *r = g->revs[i];
        if (r->nchildren < 2)
            continue;
        if (ctx->json) {
            printf("%s\n  {\"revision\": ", first ? "" : ",");
            cli_json_str(stdout, r->rf.revision);
            printf(", \"children\": [");
            for (size_t k = 0; k < r->nchildren; k++) {
                printf("%s", k ? ", " : "");
                cli_json_str(stdout, r->children[k]->rf.revision);
            }
            printf("]}");
        } else {
            printf("%s (branchpoint), %s\n", r->rf.revision, r->rf.message);
            for (size_t k = 0; k < r->nchildren; k++)
                printf("    -> %s%s, %s\n", r->children[k]->rf.revision,
                       r->children[k]->nchildren ? "" : " (head)", r->children[k]->rf.message);
        }
        first = false;
    }
    if (ctx->json)
        printf("%s]}\n", first ? "" : "\n");
    return EXIT_OK;
}

const cli_cmd cmd_current = { "current", run_current, NULL, "the revision(s) the database is at",
                              verbose_opts };
const cli_cmd cmd_heads = { "heads", run_heads, NULL, "the head revisions of the migrations",
                            verbose_opts };
const cli_cmd cmd_branches = { "branches", run_branches, NULL,
                               "the branch points of the migrations and their branches",
                               verbose_opts };
const cli_cmd cmd_history = {
    "history", run_history, NULL,
    "the revisions, newest first: down -> rev (head), message; --graph draws them", history_opts
};
