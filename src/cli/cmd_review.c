/* cmd_review.c - `autogen review --base REF` and `autogen rebase --base REF`
 * (README, "Reviewing a pull request"; docs/review.md). */
#include "../util/common.h"
#include "cli.h"

#include "../review/review.h"
#include "../util/buf.h"
#include "../util/error.h"

#define MARKDOWN_CAP 65000
#define MARKER       "<!-- autogen-review -->"

enum { R_BASE, R_NO_MB, R_DIALECT, R_FORMAT, R_FAIL_ON, R_DOCS, R_SCRATCH, R_SCRATCH_URL, R_N };
static const cli_opt review_opts[] = {
    [R_BASE] = { "base", 0, "REF",
                 "the git revision to compare with (branch, origin/main, tag, sha, HEAD~2)" },
    [R_NO_MB] = { "no-merge-base", 0, NULL,
                  "compare with REF itself, not with where this branch left it" },
    [R_DIALECT] = { "dialect", 0, "sqlite|postgresql",
                    "render the SQL for this database (default: the project's URL)" },
    [R_FORMAT] = { "format", 0, "text|markdown|json", "output format" },
    [R_FAIL_ON] = { "fail-on", 0, "error|warning|info",
                    "exit 1 when a finding is at least this severe (default: error)" },
    [R_DOCS] = { "docs-url", 0, "URL",
                 "where Markdown links rule ids to (default: docs/, relative to the "
                 "repository)" },
    [R_SCRATCH] = { "scratch", 0, NULL,
                    "also replay the migrations into a throwaway database, as check --scratch" },
    [R_SCRATCH_URL] = { "scratch-url", 0, "URL", "the throwaway database for --scratch" },
    [R_N] = { NULL, 0, NULL, NULL },
};

/* Markdown: the folder rule ids link into (lint.md, review.md), ending in '/'. */
static const char *docs_url = "docs/";

/* The dialect: --dialect, else the URL's scheme (without connecting). */
static int pick_dialect(ag_project *p, const cli_cmd *cmd, const char *name)
{
    if (name) {
        const ag_dialect *d = ag_dialect_find(name);
        if (!d)
            return cli_usage_error(cmd, "--dialect takes sqlite or postgresql, not '%s'", name);
        p->dialect = d;
        return EXIT_OK;
    }
    ag_error err = { 0 };
    if (!p->url || !*p->url) {
        ag_error_set(&err, AG_EINVALID,
                     "no database URL to take the dialect from: pass --dialect "
                     "sqlite|postgresql, or set 'url' in %s",
                     p->cfg.path);
        return cli_fail(&err);
    }
    if (ag_project_dialect(p, &err) != AG_OK)
        return cli_fail(&err);
    return EXIT_OK;
}

/* --- text ----------------------------------------------------------------------- */

static const char *sev_word(ag_lint_severity s, bool color)
{
    if (!color)
        return ag_lint_severity_name(s);
    switch (s) {
    case AG_LINT_ERROR:
        return "\033[1;31merror\033[0m";
    case AG_LINT_WARNING:
        return "\033[1;35mwarning\033[0m";
    default:
        return "\033[1;36minfo\033[0m";
    }
}

static void counts(const ag_review *r, size_t c[4])
{
    memset(c, 0, 4 * sizeof(*c));
    for (size_t i = 0; i < r->nfindings; i++)
        c[r->findings[i].severity]++;
}

static void mig_counts(const ag_review *r, size_t m[3])
{
    memset(m, 0, 3 * sizeof(*m));
    for (size_t i = 0; i < r->nmigs; i++)
        m[r->migs[i].change]++;
}

static void text_finding(FILE *f, const ag_review_finding *x, bool color, const char *indent)
{
    fprintf(f, "%s", indent);
    if (x->path && x->line)
        fprintf(f, "%s:%u: ", x->path, x->line);
    fprintf(f, "%s: %s [%s]\n", sev_word(x->severity, color), x->message, x->rule);
    if (x->sql)
        fprintf(f, "%s    SQL: %s\n", indent, x->sql);
    if (x->hint)
        fprintf(f, "%s    %s: %s\n", indent, x->lint ? "safe alternative" : "to fix", x->hint);
}

static const char *graph_line(ag_arena *a, const ag_review *r)
{
    if (r->heads.n == 0)
        return "no revisions";
    if (r->heads.n == 1)
        return ag_arena_printf(a, "one head (%s)", r->heads.v[0]);
    return ag_arena_printf(a, "%zu heads (%s)", r->heads.n, ag_strs_join(a, &r->heads, ", "));
}

static const char *replay_line(ag_arena *a, const ag_review *r)
{
    const char *where = r->scratch ? " (on a scratch database)" : "";
    if (!r->replayed)
        return ag_arena_printf(a, "failed%s (see the findings)", where);
    if (!r->leftover.n)
        return ag_arena_printf(a, "the migrations bring a database to the models%s", where);
    return ag_arena_printf(a, "%zu difference%s left between the migrations and the models%s",
                           r->leftover.n, r->leftover.n == 1 ? "" : "s", where);
}

/* --scratch: the history replayed into a real throwaway database, as check
 * --scratch does, replaces the offline replay's conclusion. */
static void scratch_replay(ag_project *p, bool own_url, ag_review *r)
{
    ag_error err = { 0 };
    ag_oplist *ops = NULL;
    bool on_server = false;
    p->read_only = false; /* the scratch database is written: it is the replay's */
    int arc = own_url ? AG_OK : cli_scratch_default(p, &on_server, &err);
    if (arc == AG_OK)
        arc = cli_replay_scratch(p, on_server, &err);
    if (arc == AG_OK)
        arc = ag_project_autodiff(p, &ops, NULL, &err);
    if (p->dialect && p->dialect->scratch_drop && p->purl.dbname) {
        if (p->db) {
            p->dialect->disconnect(p->db);
            p->db = NULL;
        }
        ag_error drop_err = { 0 };
        if (p->dialect->scratch_drop(&p->purl, &drop_err) != AG_OK)
            cli_warn("%s", drop_err.msg);
    }
    ag_review_set_scratch(r, arc == AG_OK ? ops : NULL, arc == AG_OK ? NULL : err.msg);
    ag_oplist_free(ops);
}

static void print_text(const ag_review *r, bool color)
{
    ag_arena a = AG_ARENA_INIT;
    size_t c[4], m[3];
    counts(r, c);
    mig_counts(r, m);
    printf("Review against %s (%s %s; %s)\n", r->ref, r->merge_base ? "merge base" : "commit",
           r->base_sha, r->dialect);
    printf("\nModels: %zu change%s\n", r->model_changes.n, r->model_changes.n == 1 ? "" : "s");
    for (size_t i = 0; i < r->model_changes.n; i++)
        printf("  %s\n", r->model_changes.v[i]);
    printf("\nMigrations: %zu added, %zu modified, %zu removed\n", m[0], m[1], m[2]);
    for (size_t i = 0; i < r->nmigs; i++) {
        const ag_review_mig *x = &r->migs[i];
        printf("\n  %s %s  %s\n    %s", ag_review_change_name(x->change), x->rev,
               x->message ? x->message : "", x->path ? x->path : "");
        if (x->parents.n)
            printf(" (revises %s)", ag_strs_join(&a, &x->parents, ", "));
        printf("\n");
        for (size_t k = 0; k < x->ops.n; k++)
            printf("    %s\n", x->ops.v[k]);
        if (x->sql.n)
            printf("    SQL:\n");
        for (size_t k = 0; k < x->sql.n; k++)
            printf("      %s;\n", x->sql.v[k]);
        for (size_t k = 0; k < r->nfindings; k++)
            if (r->findings[k].rev && strcmp(r->findings[k].rev, x->rev) == 0)
                text_finding(stdout, &r->findings[k], color, "    ");
    }
    printf("\nGraph merged with %s: %s\n", r->ref, graph_line(&a, r));
    printf("Replay: %s\n", replay_line(&a, r));
    for (size_t i = 0; i < r->leftover.n; i++)
        printf("  %s\n", r->leftover.v[i]);
    bool any = false;
    for (size_t k = 0; k < r->nfindings; k++) {
        if (r->findings[k].rev)
            continue;
        if (!any)
            printf("\n");
        any = true;
        text_finding(stdout, &r->findings[k], color, "");
    }
    printf("\n%zu error%s, %zu warning%s, %zu info\n", c[AG_LINT_ERROR],
           c[AG_LINT_ERROR] == 1 ? "" : "s", c[AG_LINT_WARNING], c[AG_LINT_WARNING] == 1 ? "" : "s",
           c[AG_LINT_INFO]);
    ag_arena_release(&a);
}

/* --- markdown ------------------------------------------------------------------- */

static const char *md_icon(ag_lint_severity s)
{
    return s == AG_LINT_ERROR     ? "🛑 error"
           : s == AG_LINT_WARNING ? "⚠️ warning"
                                  : "ℹ️ info";
}

/* Inline code that survives backticks and table pipes. */
static void md_code(ag_buf *b, const char *s)
{
    ag_buf_puts(b, "`");
    for (; s && *s; s++) {
        if (*s == '`')
            ag_buf_puts(b, "'");
        else if (*s == '|')
            ag_buf_puts(b, "\\|");
        else if (*s == '\n')
            ag_buf_puts(b, " ");
        else
            ag_buf_putc(b, *s);
    }
    ag_buf_puts(b, "`");
}

/* Text with the characters markdown or HTML would take as markup escaped. */
static void md_text(ag_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>|#", *s))
            ag_buf_putc(b, '\\');
        ag_buf_putc(b, *s == '\n' ? ' ' : *s);
    }
}

static void md_finding(ag_buf *b, const ag_review_finding *f)
{
    ag_buf_printf(b, "- **%s** [`%s`](%s%s.md#%s)", md_icon(f->severity), f->rule, docs_url,
                  f->lint ? "lint" : "review", f->rule);
    if (f->path && f->line)
        ag_buf_printf(b, " at `%s:%u`", f->path, f->line);
    ag_buf_puts(b, ": ");
    md_text(b, f->message);
    ag_buf_puts(b, "\n");
    if (f->sql) {
        ag_buf_puts(b, "  - SQL: ");
        md_code(b, f->sql);
        ag_buf_puts(b, "\n");
    }
    if (f->hint) {
        ag_buf_printf(b, "  - %s: ", f->lint ? "safe alternative" : "to fix");
        md_text(b, f->hint);
        ag_buf_puts(b, "\n");
    }
}

static void md_migration(ag_buf *b, const ag_review *r, const ag_review_mig *x, bool with_sql)
{
    ag_arena a = AG_ARENA_INIT;
    ag_buf_printf(b, "\n#### %s `%s`: ", ag_review_change_name(x->change), x->rev);
    md_text(b, x->message && *x->message ? x->message : "(no message)");
    ag_buf_puts(b, "\n\n");
    md_code(b, x->path);
    if (x->parents.n) {
        ag_buf_puts(b, " revises ");
        md_code(b, ag_strs_join(&a, &x->parents, ", "));
    }
    ag_buf_puts(b, "\n\n");
    for (size_t k = 0; k < x->ops.n; k++) {
        ag_buf_puts(b, "- ");
        md_code(b, x->ops.v[k]);
        ag_buf_puts(b, "\n");
    }
    if (x->sql.n && with_sql) {
        ag_buf_printf(b, "\n<details><summary>SQL (%s, %zu statement%s)</summary>\n\n```sql\n",
                      r->dialect, x->sql.n, x->sql.n == 1 ? "" : "s");
        for (size_t k = 0; k < x->sql.n; k++) {
            /* A fence inside the SQL would end the block early. */
            const char *s = x->sql.v[k];
            for (; *s; s++)
                ag_buf_putc(b, (*s == '`' && s[1] == '`' && s[2] == '`') ? '\'' : *s);
            ag_buf_puts(b, ";\n");
        }
        ag_buf_puts(b, "```\n\n</details>\n");
    } else if (x->sql.n) {
        ag_buf_printf(b,
                      "\n_SQL (%zu statements) left out to fit the comment; run `autogen "
                      "show %s`._\n",
                      x->sql.n, x->rev);
    }
    bool any = false;
    for (size_t k = 0; k < r->nfindings; k++) {
        if (!r->findings[k].rev || strcmp(r->findings[k].rev, x->rev) != 0)
            continue;
        if (!any)
            ag_buf_puts(b, "\n");
        any = true;
        md_finding(b, &r->findings[k]);
    }
    ag_arena_release(&a);
}

static void print_markdown(const ag_review *r, ag_lint_severity fail_on)
{
    ag_arena a = AG_ARENA_INIT;
    ag_buf b = { 0 };
    size_t c[4], m[3];
    counts(r, c);
    mig_counts(r, m);
    bool failed = ag_review_worst(r) >= fail_on;
    ag_buf_printf(&b, "%s\n### autogen review: %s\n\n", MARKER,
                  failed ? "❌ changes needed" : "✅ ready to merge");
    ag_buf_puts(&b, "| | |\n| --- | --- |\n");
    ag_buf_printf(&b, "| Compared with | `%s` at `%.12s`%s |\n", r->ref, r->base_sha,
                  r->merge_base ? " (merge base)" : "");
    ag_buf_printf(&b, "| Dialect | %s |\n", r->dialect);
    ag_buf_printf(&b, "| Model changes | %zu |\n", r->model_changes.n);
    ag_buf_printf(&b, "| Migrations | %zu added, %zu modified, %zu removed |\n", m[0], m[1], m[2]);
    ag_buf_printf(&b, "| Graph merged with `%s` | %s |\n", r->ref, graph_line(&a, r));
    ag_buf_printf(&b, "| Replay | %s |\n", replay_line(&a, r));
    ag_buf_printf(&b, "| Findings | %zu error%s, %zu warning%s, %zu info |\n", c[AG_LINT_ERROR],
                  c[AG_LINT_ERROR] == 1 ? "" : "s", c[AG_LINT_WARNING],
                  c[AG_LINT_WARNING] == 1 ? "" : "s", c[AG_LINT_INFO]);
    bool any = false;
    for (size_t k = 0; k < r->nfindings; k++) {
        if (r->findings[k].rev)
            continue;
        if (!any)
            ag_buf_puts(&b, "\n#### Findings\n\n");
        any = true;
        md_finding(&b, &r->findings[k]);
    }
    if (r->leftover.n) {
        ag_buf_puts(&b, "\n<details><summary>Differences the migrations leave</summary>\n\n");
        for (size_t i = 0; i < r->leftover.n; i++) {
            ag_buf_puts(&b, "- ");
            md_code(&b, r->leftover.v[i]);
            ag_buf_puts(&b, "\n");
        }
        ag_buf_puts(&b, "\n</details>\n");
    }
    if (r->model_changes.n) {
        ag_buf_printf(&b, "\n<details><summary>Model changes since %s</summary>\n\n", r->ref);
        for (size_t i = 0; i < r->model_changes.n; i++) {
            ag_buf_puts(&b, "- ");
            md_code(&b, r->model_changes.v[i]);
            ag_buf_puts(&b, "\n");
        }
        ag_buf_puts(&b, "\n</details>\n");
    }
    if (r->nmigs)
        ag_buf_puts(&b, "\n### Migrations\n");
    /* Within the cap: every migration with its SQL if that fits; else the SQL
     * of the last ones left out, then (when even that is too long) the last
     * migrations themselves, with a note on what was cut. */
    size_t n = r->nmigs, reserve = 400;
    ag_buf *full = ag_xcalloc(n + 1, sizeof(*full)), *bare = ag_xcalloc(n + 1, sizeof(*bare));
    size_t total = b.len + reserve;
    for (size_t i = 0; i < n; i++) {
        md_migration(&full[i], r, &r->migs[i], true);
        md_migration(&bare[i], r, &r->migs[i], false);
        total += full[i].len;
    }
    size_t with_sql = n; /* the first with_sql migrations keep their SQL */
    while (with_sql > 0 && total > MARKDOWN_CAP) {
        with_sql--;
        total -= full[with_sql].len - bare[with_sql].len;
    }
    size_t shown = n;
    while (shown > 0 && total > MARKDOWN_CAP) {
        shown--;
        total -= bare[shown].len;
    }
    for (size_t i = 0; i < shown; i++) {
        const ag_buf *one = i < with_sql ? &full[i] : &bare[i];
        ag_buf_put(&b, ag_buf_cstr(one), one->len);
    }
    if (shown < n || with_sql < n)
        ag_buf_printf(&b,
                      "\n_This comment is cut to %d characters: %zu migration%s shown without "
                      "SQL, %zu left out. Run `autogen review --base %s` for the whole "
                      "review._\n",
                      MARKDOWN_CAP, shown - with_sql, shown - with_sql == 1 ? "" : "s", n - shown,
                      r->ref);
    for (size_t i = 0; i < n; i++) {
        ag_buf_dispose(&full[i]);
        ag_buf_dispose(&bare[i]);
    }
    free(full);
    free(bare);
    fwrite(ag_buf_cstr(&b), 1, b.len, stdout);
    ag_buf_dispose(&b);
    ag_arena_release(&a);
}

/* --- json ----------------------------------------------------------------------- */

static void json_strs(const ag_strs *l)
{
    printf("[");
    for (size_t i = 0; i < l->n; i++) {
        printf("%s", i ? ", " : "");
        cli_json_str(stdout, l->v[i]);
    }
    printf("]");
}

static void json_opt(const char *s)
{
    if (s)
        cli_json_str(stdout, s);
    else
        printf("null");
}

static void print_json(const ag_review *r, ag_lint_severity fail_on)
{
    size_t c[4];
    counts(r, c);
    printf("{\"version\": 1, \"ref\": ");
    cli_json_str(stdout, r->ref);
    printf(", \"ref_commit\": \"%s\", \"base_commit\": \"%s\", \"head_commit\": ", r->ref_sha,
           r->base_sha);
    json_opt(r->head_sha[0] ? r->head_sha : NULL);
    printf(", \"merge_base\": %s, \"project_dir\": ", r->merge_base ? "true" : "false");
    cli_json_str(stdout, r->project_dir);
    printf(", \"dialect\": \"%s\",\n \"model_changes\": ", r->dialect);
    json_strs(&r->model_changes);
    printf(",\n \"migrations\": [");
    for (size_t i = 0; i < r->nmigs; i++) {
        const ag_review_mig *x = &r->migs[i];
        printf("%s\n  {\"revision\": ", i ? "," : "");
        cli_json_str(stdout, x->rev);
        printf(", \"change\": \"%s\", \"path\": ", ag_review_change_name(x->change));
        json_opt(x->path);
        printf(", \"message\": ");
        json_opt(x->message);
        printf(", \"down_revisions\": ");
        json_strs(&x->parents);
        printf(", \"operations\": ");
        json_strs(&x->ops);
        printf(", \"sql\": ");
        json_strs(&x->sql);
        printf("}");
    }
    printf("],\n \"graph\": {\"revisions\": %zu, \"heads\": ", r->nrevs);
    json_strs(&r->heads);
    printf(", \"ref_heads\": ");
    json_strs(&r->ref_heads);
    printf("},\n \"replay\": {\"completed\": %s, \"scratch\": %s, \"differences\": ",
           r->replayed ? "true" : "false", r->scratch ? "true" : "false");
    json_strs(&r->leftover);
    printf("},\n \"tables\": {\"ref_moved\": %s, \"ours\": ", r->ref_moved ? "true" : "false");
    json_strs(&r->ours_tables);
    printf(", \"theirs\": ");
    json_strs(&r->theirs_tables);
    printf(", \"shared\": ");
    json_strs(&r->shared_tables);
    printf("},\n \"findings\": [");
    for (size_t i = 0; i < r->nfindings; i++) {
        const ag_review_finding *f = &r->findings[i];
        printf("%s\n  {\"rule\": ", i ? "," : "");
        cli_json_str(stdout, f->rule);
        printf(", \"severity\": \"%s\", \"lint\": %s, \"message\": ",
               ag_lint_severity_name(f->severity), f->lint ? "true" : "false");
        cli_json_str(stdout, f->message);
        printf(", \"hint\": ");
        json_opt(f->hint);
        printf(", \"revision\": ");
        json_opt(f->rev);
        printf(", \"path\": ");
        json_opt(f->path);
        printf(", \"line\": ");
        if (f->line)
            printf("%u", f->line);
        else
            printf("null");
        printf(", \"sql\": ");
        json_opt(f->sql);
        printf("}");
    }
    printf("],\n \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"info\": %zu, \"fail_on\": "
           "\"%s\", \"failed\": %s}}\n",
           c[AG_LINT_ERROR], c[AG_LINT_WARNING], c[AG_LINT_INFO], ag_lint_severity_name(fail_on),
           ag_review_worst(r) >= fail_on ? "true" : "false");
}

static int run_review(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[R_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_review, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    if (!v[R_BASE] || !*v[R_BASE])
        return cli_usage_error(&cmd_review, "name the revision to compare with: --base REF");
    const char *format = v[R_FORMAT] ? v[R_FORMAT] : ctx->json ? "json" : "text";
    if (strcmp(format, "text") != 0 && strcmp(format, "markdown") != 0 &&
        strcmp(format, "json") != 0)
        return cli_usage_error(&cmd_review, "--format takes text, markdown or json, not '%s'",
                               format);
    ag_lint_severity fail_on = AG_LINT_ERROR;
    if (v[R_FAIL_ON] && (!ag_lint_severity_parse(v[R_FAIL_ON], &fail_on) || fail_on == AG_LINT_OFF))
        return cli_usage_error(&cmd_review, "--fail-on takes error, warning or info, not '%s'",
                               v[R_FAIL_ON]);
    if (v[R_DOCS] && *v[R_DOCS]) {
        size_t n = strlen(v[R_DOCS]);
        static char url[1024];
        snprintf(url, sizeof(url), "%s%s", v[R_DOCS], v[R_DOCS][n - 1] == '/' ? "" : "/");
        docs_url = url;
    }
    bool scratch = v[R_SCRATCH] || v[R_SCRATCH_URL];
    if (scratch && v[R_DIALECT])
        return cli_usage_error(&cmd_review, "--scratch replays in the project's own dialect; "
                                            "leave out --dialect");
    if (v[R_SCRATCH_URL])
        ctx->url = v[R_SCRATCH_URL];
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->read_only = true;
    p->quiet = true;
    if ((rc = pick_dialect(p, &cmd_review, v[R_DIALECT])) != EXIT_OK)
        return rc;
    ag_review r;
    ag_error err = { 0 };
    ag_review_opts o = { .ref = v[R_BASE], .no_merge_base = v[R_NO_MB] != NULL };
    if (ag_review_run(p, &o, &r, &err) != AG_OK) {
        ag_review_release(&r);
        return p->diags.n ? cli_fail_models(ctx, &err) : cli_fail(&err);
    }
    if (scratch)
        scratch_replay(p, v[R_SCRATCH_URL] != NULL, &r);
    if (strcmp(format, "json") == 0)
        print_json(&r, fail_on);
    else if (strcmp(format, "markdown") == 0)
        print_markdown(&r, fail_on);
    else
        print_text(&r, ctx->color);
    rc = ag_review_worst(&r) >= fail_on ? EXIT_DIFFERENT : EXIT_OK;
    ag_review_release(&r);
    return rc;
}

/* --- rebase --------------------------------------------------------------------- */

enum { B_BASE, B_ONTO, B_N };
static const cli_opt rebase_opts[] = {
    [B_BASE] = { "base", 0, "REF", "the git revision whose head to rebase onto (origin/main)" },
    [B_ONTO] = { "onto", 0, "REV", "rebase onto this revision of REF instead of its head" },
    [B_N] = { NULL, 0, NULL, NULL },
};

static int run_rebase(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[B_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_rebase, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    if (!v[B_BASE] || !*v[B_BASE])
        return cli_usage_error(&cmd_rebase, "name the revision to rebase onto: --base REF");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->read_only = true;
    ag_rebase_result res;
    ag_error err = { 0 };
    ag_rebase_opts o = { .ref = v[B_BASE], .onto = v[B_ONTO] };
    if (ag_rebase_run(p, &o, &res, &err) != AG_OK) {
        ag_rebase_release(&res);
        return cli_fail(&err);
    }
    if (res.db_note)
        cli_warn("%s", res.db_note);
    if (!res.moved.n && !ctx->quiet)
        printf("Nothing to rewrite: this branch's migrations already revise %s\n", res.onto);
    for (size_t i = 0; i < res.moved.n; i++)
        printf("Rebased %s\n", res.moved.v[i]);
    ag_rebase_release(&res);

    /* Check again, on the files as they are now. */
    ag_project_free(ctx->project);
    ctx->project = NULL;
    if (!(p = cli_project(ctx, &rc)))
        return rc;
    p->read_only = true;
    p->quiet = true;
    ag_error derr = { 0 };
    if (ag_project_dialect(p, &derr) != AG_OK) {
        cli_warn("not checked after the rebase: %s", derr.msg);
        return EXIT_OK;
    }
    ag_review r;
    ag_review_opts ro = { .ref = v[B_BASE], .no_merge_base = true };
    if (ag_review_run(p, &ro, &r, &err) != AG_OK) {
        ag_review_release(&r);
        return cli_fail(&err);
    }
    ag_arena a = AG_ARENA_INIT;
    printf("Graph merged with %s: %s\nReplay: %s\n", r.ref, graph_line(&a, &r),
           replay_line(&a, &r));
    rc = r.heads.n > 1 || !r.replayed || r.leftover.n ? EXIT_DIFFERENT : EXIT_OK;
    ag_arena_release(&a);
    ag_review_release(&r);
    return rc;
}

const cli_cmd cmd_review = { "review", run_review, NULL,
                             "review the change since a git revision: models, migrations and "
                             "their SQL, lint findings, the merged graph (for pull requests)",
                             review_opts };
const cli_cmd cmd_rebase = { "rebase", run_rebase, NULL,
                             "re-parent the revisions a git revision lacks onto its head",
                             rebase_opts };
