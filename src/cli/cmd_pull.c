/* cmd_pull.c - `autogen pull`: YAML models (and a baseline) from a live database.
 *
 * Introspects as autogenerate does, keeps the tables autogenerate manages,
 * renders them (src/pull), then proves the round trip before writing
 * anything: the YAML is loaded back and diffed against the database with the
 * project's own settings, and whatever would still differ is reported. Every
 * target file is checked before any is written.
 */
#include "../util/common.h"
#include "cli.h"

#include "../pull/pull.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_SINGLE, O_OUT, O_FORCE, O_DRY, O_BASELINE, O_MESSAGE, O_HEAD, O_REV_ID, O_N };

static const cli_opt opts[] = {
    [O_SINGLE] = { "single-file", 0, "FILE", "write every table into this one file" },
    [O_OUT] = { "out", 0, "DIR", "write the files under DIR instead of the models folder" },
    [O_FORCE] = { "force", 0, NULL, "overwrite model files that exist" },
    [O_DRY] = { "dry-run", 0, NULL, "print the YAML on stdout and write nothing" },
    [O_BASELINE] = { "baseline", 0, NULL,
                     "also write a first revision creating the schema, and stamp the database "
                     "at it (needs -m)" },
    [O_MESSAGE] = { "message", 'm', "MSG", "the baseline revision's message" },
    [O_HEAD] = { "head", 0, "REV",
                 "with --baseline: the revision the baseline goes on when the history is not "
                 "empty" },
    [O_REV_ID] = { "rev-id", 0, "ID", "with --baseline: its revision id instead of a random one" },
    [O_N] = { NULL, 0, NULL, NULL },
};

/* Keep the tables autogenerate manages: include_tables less exclude_tables
 * (README, autogen.yaml); and the enums they use, or that no table uses. */
static void keep_managed(ag_project *p, ag_schema *s)
{
    const char *dflt = ag_project_default_schema(p);
    const ag_strs *inc = &p->cfg.include_tables, *exc = &p->cfg.exclude_tables;
    size_t kept = 0;
    bool *gone = ag_xcalloc(s->ntables + 1, sizeof(bool));
    for (size_t i = 0; i < s->ntables; i++) {
        ag_table *t = s->tables[i];
        const char *schema = t->schema ? t->schema : dflt;
        bool in = inc->n == 0;
        for (size_t k = 0; k < inc->n && !in; k++)
            in = ag_table_glob_match(inc->v[k], schema, t->name);
        for (size_t k = 0; k < exc->n && in; k++)
            in = !ag_table_glob_match(exc->v[k], schema, t->name);
        gone[i] = !in;
    }
    for (size_t e = 0; e < s->nenums; e++) {
        const char *name = s->enums[e]->name;
        bool used_kept = false, used_gone = false;
        for (size_t i = 0; i < s->ntables; i++)
            for (size_t k = 0; k < s->tables[i]->ncolumns; k++) {
                const ag_column *c = s->tables[i]->columns[k];
                if (c->type.kind == AG_T_ENUM && c->type.name && strcmp(c->type.name, name) == 0)
                    *(gone[i] ? &used_gone : &used_kept) = true;
            }
        if (used_kept || !used_gone)
            s->enums[kept++] = s->enums[e];
    }
    s->nenums = kept;
    kept = 0;
    for (size_t i = 0; i < s->ntables; i++)
        if (!gone[i])
            s->tables[kept++] = s->tables[i];
    s->ntables = kept;
    free(gone);
}

/* The folder per-table files go into: --out, else the configured models
 * folder (the first entry of `models` that is not a file). */
static const char *out_dir(ag_project *p, const char *opt, ag_error *err)
{
    if (opt)
        return opt;
    for (size_t i = 0; i < p->cfg.models.n; i++) {
        const char *m = p->cfg.models.v[i];
        struct stat st;
        size_t n = strlen(m);
        bool yaml =
            (n > 5 && strcmp(m + n - 5, ".yaml") == 0) || (n > 4 && strcmp(m + n - 4, ".yml") == 0);
        if (stat(m, &st) == 0 ? S_ISDIR(st.st_mode) : !yaml)
            return m;
    }
    ag_error_set(err, AG_EINVALID,
                 "'models' in %s names files, not a folder to write into; pass --out DIR or "
                 "--single-file FILE",
                 p->cfg.path);
    return NULL;
}

/* path and its missing parents; each folder made is added to made (in the
 * order made), for a failure to remove again. */
static int mkdirs(const char *path, ag_strs *made, ag_arena *a, ag_error *err)
{
    char *dup = ag_xstrdup(path);
    int rc = AG_OK;
    for (char *q = dup + 1; rc == AG_OK; q++) {
        bool end = *q == '\0';
        if (*q != '/' && !end)
            continue;
        *q = '\0';
        if (mkdir(dup, 0777) == 0)
            ag_strs_push_arena(a, made, dup);
        else if (errno != EEXIST)
            rc = ag_error_set(err, AG_EIO, "cannot create folder '%s': %s", dup, strerror(errno));
        if (end)
            break;
        *q = '/';
    }
    free(dup);
    return rc;
}

static void parent_dir(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash && slash != path)
        *slash = '\0';
    else
        strcpy(path, ".");
}

/* The files written beside their targets, on a second thread while the main
 * one proves the round trip: nothing is renamed over a target until the
 * proof and every check have passed (then ag_files_commit), else the new
 * files and the folders made for them are removed. */
typedef struct stage_job {
    const char *const *paths;
    const char **texts;
    size_t *lens;
    size_t n;
    ag_arena arena; /* made */
    ag_strs made;   /* folders created, in order */
    ag_staged st;
    ag_error err;
    int rc;
    bool staged; /* st holds new files to commit or discard */
} stage_job;

static void *stage_files(void *arg)
{
    stage_job *j = arg;
    /* The folders first (files of one folder come together). */
    char *last = NULL;
    for (size_t i = 0; j->rc == AG_OK && i < j->n; i++) {
        char *parent = ag_xstrdup(j->paths[i]);
        parent_dir(parent);
        if (!last || strcmp(parent, last) != 0)
            j->rc = mkdirs(parent, &j->made, &j->arena, &j->err);
        free(last);
        last = parent;
    }
    free(last);
    if (j->rc == AG_OK)
        j->rc = ag_files_stage(&j->st, j->paths, j->texts, j->lens, j->n, &j->err);
    j->staged = j->rc == AG_OK;
    return NULL;
}

static void stage_start(stage_job *j, const char *const *paths, const ag_pull *pl)
{
    memset(j, 0, sizeof(*j));
    j->paths = paths;
    j->n = pl->nfiles;
    j->texts = ag_xcalloc(pl->nfiles + 1, sizeof(char *));
    j->lens = ag_xcalloc(pl->nfiles + 1, sizeof(size_t));
    for (size_t i = 0; i < pl->nfiles; i++) {
        j->texts[i] = pl->files[i].text;
        j->lens[i] = strlen(j->texts[i]);
    }
}

/* Commit the staged files when ok, else undo them; the first error wins. */
static int stage_finish(stage_job *j, bool ok, ag_error *err)
{
    int rc = AG_OK;
    if (ok && j->rc != AG_OK) {
        *err = j->err;
        rc = j->rc;
    } else if (ok) {
        j->staged = false;
        rc = ag_files_commit(&j->st, err);
    }
    if (j->staged)
        ag_files_discard(&j->st);
    if (rc != AG_OK || !ok)
        for (size_t i = j->made.n; i-- > 0;)
            rmdir(j->made.v[i]); /* only empty: what was made for this run */
    free(j->texts);
    free(j->lens);
    ag_arena_release(&j->arena);
    return rc;
}

/* Load the pulled YAML back (parsed while it was written: load) and diff it
 * against the database: what would still differ (nothing, unless a warning
 * said so) is warned about. *models is the loaded schema, for the baseline. */
static int
verify(ag_project *p, ag_model_stream *load, const ag_schema *db, ag_schema **models, ag_error *err)
{
    ag_model_opts mo = ag_project_model_opts(p, p->dialect);
    ag_diags_release(&p->diags);
    memset(&p->diags, 0, sizeof(p->diags));
    int rc = ag_model_stream_finish(load, models, &mo, &p->diags, err);
    if (rc != AG_OK) {
        /* A model the loader refuses is this command's fault: say what it was. */
        for (size_t i = 0; i < p->diags.n; i++)
            cli_warn("pulled %s:%u:%u: %s", p->diags.v[i].file, p->diags.v[i].line,
                     p->diags.v[i].col, p->diags.v[i].msg);
        ag_diags_release(&p->diags);
        memset(&p->diags, 0, sizeof(p->diags));
        return ag_error_set(err, AG_EINVALID,
                            "the models pulled do not load back (above); nothing was written");
    }
    ag_oplist *ops = NULL;
    rc = ag_project_diff_schemas(p, db, *models, &ops, err);
    if (rc == AG_OK && ops->n) {
        ag_arena a = AG_ARENA_INIT;
        cli_warn("the models differ from the database in %zu way%s; 'autogen revision' "
                 "would write:",
                 ops->n, ops->n == 1 ? "" : "s");
        for (size_t i = 0; i < ops->n; i++)
            fprintf(stderr, "  %s\n", ag_op_describe(&a, ops->ops[i]));
        ag_arena_release(&a);
    }
    ag_oplist_free(ops);
    return rc;
}

static void push_sql(ag_oplist *ops, const char *sql, const char *undo)
{
    ag_opdef *op = ag_oplist_push(ops, AG_OP_EXECUTE, NULL);
    op->sql = ag_arena_strdup(&ops->arena, sql);
    op->undo_sql = ag_arena_strdup(&ops->arena, undo);
}

/* What the tables use that the models do not describe goes first in the
 * baseline, as raw SQL: extensions and domains (prerequisites), functions
 * (with a drop each for the downgrade). Views and triggers go after the
 * tables. What cannot be carried is said. */
static int extras(ag_project *p, const ag_schema *db, ag_oplist *ops, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_strs sql = { 0 };
    ag_baseline_extras x = { 0 };
    int rc =
        p->dialect->prerequisites ? p->dialect->prerequisites(p->db, db, &a, &sql, err) : AG_OK;
    if (rc == AG_OK && p->dialect->baseline_extras)
        rc = p->dialect->baseline_extras(p->db, db, &a, &x, err);
    size_t before = ops->n;
    for (size_t i = 0; rc == AG_OK && i < sql.n; i++)
        push_sql(ops, sql.v[i], NULL);
    for (size_t i = 0; rc == AG_OK && i < x.before.v.n; i++)
        push_sql(ops, x.before.v.v[i], x.before.undo.v[i]);
    size_t added = ops->n - before;
    if (added && before) {
        ag_opdef **moved = ag_xmalloc(added * sizeof(*moved));
        memcpy(moved, ops->ops + before, added * sizeof(*moved));
        memmove(ops->ops + added, ops->ops, before * sizeof(*moved));
        memcpy(ops->ops, moved, added * sizeof(*moved));
        free(moved);
    }
    for (size_t i = 0; rc == AG_OK && i < x.after.v.n; i++)
        push_sql(ops, x.after.v.v[i], x.after.undo.v[i]);
    for (size_t i = 0; rc == AG_OK && i < x.left_out.n; i++)
        cli_warn("%s: left out of the baseline (create it in a migration of its own)",
                 x.left_out.v[i]);
    ag_arena_release(&a);
    return rc;
}

/* Model files the project reads besides those just written: if one declares a
 * pulled table, the next load reports a duplicate. Said, not guessed at. */
static void others_warning(ag_project *p, const char *const *paths, size_t n)
{
    ag_strs files = { 0 };
    ag_error ignored = { 0 };
    if (ag_project_model_files(p, &files, &ignored) != AG_OK)
        return;
    ag_strs others = { 0 };
    size_t read = 0;
    ag_strmap written = AG_STRMAP_INIT; /* a scan per file is quadratic at 1,000 tables */
    for (size_t k = 0; k < n; k++)
        ag_strmap_put(&written, paths[k], (void *)paths[k]);
    for (size_t i = 0; i < files.n; i++) {
        bool ours = ag_strmap_get(&written, files.v[i]) != NULL;
        if (!ours)
            ag_strs_push_arena(&p->cfg.arena, &others, files.v[i]);
        read += ours;
    }
    ag_strmap_release(&written);
    if (!read)
        fprintf(stderr,
                "autogen: note: 'models' in %s does not read the files written; point it at "
                "them to use them\n",
                p->cfg.path);
    else if (others.n)
        cli_warn("the models also read %zu other file%s ('%s'%s): remove what %s declare%s of "
                 "the pulled tables, or the next command reports duplicate tables",
                 others.n, others.n == 1 ? "" : "s", others.v[0], others.n > 1 ? ", ..." : "",
                 others.n == 1 ? "it" : "they", others.n == 1 ? "s" : "");
}

static void json_strs(const ag_strs *l)
{
    printf("[");
    for (size_t i = 0; i < l->n; i++) {
        printf("%s", i ? ", " : "");
        cli_json_str(stdout, l->v[i]);
    }
    printf("]");
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *v[O_N], *pos[1];
    int npos, rc = cli_parse(ctx, &cmd_pull, argc, argv, v, pos, &npos, 0);
    if (rc != EXIT_OK)
        return rc;
    bool baseline = v[O_BASELINE] != NULL, dry = v[O_DRY] != NULL;
    if (v[O_SINGLE] && v[O_OUT])
        return cli_usage_error(&cmd_pull, "--single-file and --out exclude each other");
    if (baseline && (!v[O_MESSAGE] || !v[O_MESSAGE][0]))
        return cli_usage_error(&cmd_pull, "--baseline needs a message: -m \"baseline\"");
    if (!baseline && (v[O_MESSAGE] || v[O_HEAD] || v[O_REV_ID]))
        return cli_usage_error(&cmd_pull, "-m, --head and --rev-id go with --baseline");
    if (baseline && dry)
        return cli_usage_error(&cmd_pull, "--dry-run writes nothing: leave out --baseline");
    ag_project *p = cli_project(ctx, &rc);
    if (!p)
        return rc;
    p->read_only = !baseline; /* only the baseline's stamp writes */
    ag_error err = { 0 };
    ag_arena a = AG_ARENA_INIT;
    ag_schema *db = NULL, *models = NULL;
    ag_pull pl = { 0 };
    ag_revision_result res = { 0 };
    ag_oplist *base_ops = NULL;

    int arc = ag_project_dialect(p, &err);
    if (arc == AG_OK && strcmp(p->purl.scheme, "sqlite") == 0 && p->purl.path &&
        strcmp(p->purl.path, ":memory:") != 0 && access(p->purl.path, F_OK) != 0)
        arc = ag_error_set(&err, AG_ENOTFOUND,
                           "the database file '%s' does not exist (from %s); nothing to pull",
                           p->purl.path, p->purl.display);
    if (arc == AG_OK)
        arc = ag_project_introspect(p, &db, &err);
    if (arc == AG_OK) {
        keep_managed(p, db);
        if (db->ntables == 0 && db->nenums == 0)
            arc = ag_error_set(&err, AG_ENOTFOUND,
                               "the database %s has no table to pull (the version table and "
                               "tables outside include_tables/exclude_tables do not count); "
                               "nothing was written",
                               p->purl.display);
    }
    ag_pull_opts po = {
        .naming = p->cfg.naming,
        .default_schema = p->cfg.schema ? p->cfg.schema : "public",
        .max_identifier = p->dialect ? p->dialect->max_identifier : 0,
        .keeps_names = p->dialect && (p->dialect->caps & AG_CAP_SCHEMAS),
        .dialect = p->dialect ? p->dialect->name : NULL,
        .collation_same = p->dialect ? p->dialect->collation_same : NULL,
        .single_file = v[O_SINGLE],
    };
    /* The proof parses each file as soon as it is written. */
    ag_model_stream *load = arc == AG_OK ? ag_model_stream_start(db->ntables + 1) : NULL;
    po.load = load;
    if (arc == AG_OK)
        arc = ag_pull_render(&pl, db, &po, &err);
    for (size_t i = 0; arc == AG_OK && i < pl.warnings.n; i++)
        cli_warn("%s", pl.warnings.v[i]);
    if (arc == AG_OK && pl.pg_pkey_names)
        fprintf(stderr,
                "autogen: hint: %zu primary key%s PostgreSQL's own name (<table>_pkey), kept "
                "in the models as 'primary_key: { name: …, columns: […] }'; with "
                "'naming_convention: { pk: \"{table}_pkey\" }' in autogen.yaml a pull leaves "
                "such names out\n",
                pl.pg_pkey_names, pl.pg_pkey_names == 1 ? " has" : "s have");

    /* Where each file goes. */
    const char *dir = NULL;
    const char **paths = ag_xcalloc(pl.nfiles + 1, sizeof(char *));
    if (arc == AG_OK && !v[O_SINGLE]) {
        dir = out_dir(p, v[O_OUT], &err);
        arc = dir ? AG_OK : AG_EINVALID;
    }
    for (size_t i = 0; arc == AG_OK && i < pl.nfiles; i++)
        paths[i] = v[O_SINGLE] ? pl.files[i].path : ag_path_join(&a, dir, pl.files[i].path);

    /* The files are written to new names while the round trip is proved. */
    stage_job job;
    pthread_t stager;
    bool staging = false, threaded = false;
    if (arc == AG_OK && !dry) {
        stage_start(&job, paths, &pl);
        staging = true;
        threaded = pthread_create(&stager, NULL, stage_files, &job) == 0;
    }
    if (arc == AG_OK) {
        arc = verify(p, load, db, &models, &err);
        load = NULL; /* finished */
    }

    if (arc == AG_OK && dry) {
        if (ctx->json) {
            printf("{\"dry_run\": true, \"files\": [");
            for (size_t i = 0; i < pl.nfiles; i++) {
                printf("%s\n  {\"path\": ", i ? "," : "");
                cli_json_str(stdout, paths[i]);
                printf(", \"tables\": ");
                json_strs(&pl.files[i].tables);
                printf(", \"enums\": ");
                json_strs(&pl.files[i].enums);
                printf(", \"yaml\": ");
                cli_json_str(stdout, pl.files[i].text);
                printf("}");
            }
            printf("\n], \"tables\": %zu, \"enums\": %zu, \"baseline\": null, \"warnings\": ",
                   pl.ntables, pl.nenums);
            json_strs(&pl.warnings);
            printf("}\n");
        } else {
            for (size_t i = 0; i < pl.nfiles; i++)
                printf("%s# %s\n%s", i ? "\n" : "", paths[i], pl.files[i].text);
        }
        goto done;
    }

    /* Baseline: where it goes, and what it does, before anything is written. */
    if (arc == AG_OK && baseline) {
        ag_graph *g = NULL;
        arc = ag_project_graph(p, &g, &err);
        if (arc == AG_OK && g->n && !v[O_HEAD])
            arc = ag_error_set(&err, AG_ECONFLICT,
                               "the migration history is not empty (%zu revision%s in %s): a "
                               "baseline is the first revision; pass --head REV to put it on "
                               "top of REV, or pull without --baseline; nothing was written",
                               g->n, g->n == 1 ? "" : "s", p->versions_dir);
        if (arc == AG_OK && v[O_HEAD] && !g->n)
            arc = ag_error_set(&err, AG_EUSAGE,
                               "--head %s: the migration history is empty, so the baseline is "
                               "its first revision; leave out --head",
                               v[O_HEAD]);
        ag_schema *from = NULL;
        if (arc == AG_OK && v[O_HEAD]) {
            ag_runner r;
            ag_rev *rev = NULL;
            arc = ag_project_offline_runner(p, &r, &err);
            if (arc == AG_OK)
                arc = ag_graph_resolve(&rev, g, v[O_HEAD], &err);
            if (arc == AG_OK)
                arc = ag_runner_replay(&r, rev, &from, &err);
        } else if (arc == AG_OK) {
            from = ag_schema_new();
        }
        if (arc == AG_OK)
            arc = ag_project_diff_schemas(p, from, models, &base_ops, &err);
        ag_schema_free(from);
        if (arc == AG_OK)
            arc = extras(p, db, base_ops, &err);
    }

    /* Every target is checked before any is written. */
    if (arc == AG_OK && !v[O_FORCE]) {
        ag_strs there = { 0 };
        for (size_t i = 0; i < pl.nfiles; i++)
            if (access(paths[i], F_OK) == 0)
                ag_strs_push_arena(&a, &there, paths[i]);
        size_t shown = there.n > 4 ? 4 : there.n, more = there.n - shown;
        there.n = shown;
        /* cppcheck-suppress knownConditionTrueFalse ; the pushes above grew there */
        if (shown)
            arc = ag_error_set(&err, AG_ECONFLICT,
                               "%s exist%s ('%s'%s); pass --force to overwrite, or --out DIR to "
                               "write elsewhere; nothing was written",
                               /* cppcheck-suppress knownConditionTrueFalse ; pushes grew there */
                               shown == 1 ? "a model file" : "model files", shown == 1 ? "s" : "",
                               ag_strs_join(&a, &there, "', '"),
                               more ? ag_arena_printf(&a, " and %zu more", more) : "");
    }
    /* Every file renamed over its target, now that all is proved and checked. */
    if (staging) {
        if (threaded)
            pthread_join(stager, NULL);
        else
            stage_files(&job);
        staging = false;
        int src = stage_finish(&job, arc == AG_OK, &err);
        if (arc == AG_OK)
            arc = src;
    }

    if (arc == AG_OK && baseline) {
        ag_revision_opts o = {
            .message = v[O_MESSAGE],
            .rev_id = v[O_REV_ID],
            .head = v[O_HEAD],
            .date = getenv("AUTOGEN_DATE"),
            .ops = base_ops,
        };
        arc = ag_project_write_revision(p, &o, &res, &err);
        if (arc == AG_OK && res.path) {
            /* The graph read before the file was written does not know it. */
            ag_graph_free(p->graph);
            p->graph = NULL;
            ag_runner r;
            arc = ag_project_runner(p, &r, &err);
            const char *rev = NULL;
            if (arc == AG_OK) {
                ag_rev *nr = NULL;
                arc = ag_graph_find(&nr, r.graph, o.rev_id ? o.rev_id : "", NULL);
                for (size_t i = 0; arc != AG_OK && i < r.graph->n; i++)
                    if (strcmp(r.graph->revs[i]->rf.path, res.path) == 0) {
                        nr = r.graph->revs[i];
                        arc = AG_OK;
                    }
                if (arc != AG_OK || !nr)
                    arc = ag_error_set(&err, AG_EINVALID, "the baseline '%s' is not in the graph",
                                       res.path);
                else
                    rev = nr->rf.revision;
            }
            r.quiet = true;
            if (arc == AG_OK)
                arc = ag_runner_stamp(&r, &rev, 1, false, &err);
            if (arc != AG_OK) {
                unlink(res.path);
                ag_error_prefix(&err, "stamping the database at the baseline (its file was "
                                      "removed; the model files are kept)");
            }
        }
    }
    if (arc != AG_OK)
        goto done;
    others_warning(p, paths, pl.nfiles);

    if (ctx->json) {
        printf("{\"dry_run\": false, \"files\": [");
        for (size_t i = 0; i < pl.nfiles; i++) {
            printf("%s\n  {\"path\": ", i ? "," : "");
            cli_json_str(stdout, paths[i]);
            printf(", \"tables\": ");
            json_strs(&pl.files[i].tables);
            printf(", \"enums\": ");
            json_strs(&pl.files[i].enums);
            printf("}");
        }
        printf("\n], \"tables\": %zu, \"enums\": %zu, \"baseline\": ", pl.ntables, pl.nenums);
        if (res.path)
            cli_json_str(stdout, res.path);
        else
            printf("null");
        printf(", \"warnings\": ");
        json_strs(&pl.warnings);
        printf("}\n");
    } else {
        for (size_t i = 0; i < pl.nfiles; i++)
            printf("%s\n", paths[i]);
        if (res.path)
            printf("%s\n", res.path);
        if (!ctx->quiet)
            fprintf(stderr, "autogen: pulled %zu table%s and %zu enum%s into %zu file%s%s\n",
                    pl.ntables, pl.ntables == 1 ? "" : "s", pl.nenums, pl.nenums == 1 ? "" : "s",
                    pl.nfiles, pl.nfiles == 1 ? "" : "s",
                    res.path ? "; the database is stamped at the baseline" : "");
    }

done:
    ag_model_stream_abort(load);
    if (staging) {
        if (threaded)
            pthread_join(stager, NULL);
        stage_finish(&job, false, &err);
    }
    if (arc != AG_OK) {
        p->failed = true;
        rc = cli_fail(&err);
    }
    ag_revision_result_release(&res);
    ag_oplist_free(base_ops);
    free(paths);
    ag_pull_release(&pl);
    ag_schema_free(models);
    ag_schema_free(db);
    ag_arena_release(&a);
    return rc;
}

const cli_cmd cmd_pull = { "pull", run, NULL,
                           "write YAML models from the database (adopt an existing one)", opts };
