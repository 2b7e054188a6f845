/* review.c - `autogen review`: the working tree against a git revision; see review.h. */
#include "review.h"
#include "../util/common.h"

#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"
#include "git.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ag_review_change_name(ag_review_change c)
{
    return c == AG_REVIEW_ADDED ? "added" : c == AG_REVIEW_MODIFIED ? "modified" : "removed";
}

/* --- one side read from git --------------------------------------------------------- */

typedef struct side_rev {
    const char *id, *path, *message;
    char **parents; /* NULL-terminated, in the side's arena */
    git_oid oid;
} side_rev;

typedef struct side {
    ag_arena arena;
    const char *label; /* "origin/main" or a short sha, for messages */
    bool present;      /* the commit has the project's autogen.yaml */
    ag_config cfg;
    ag_schema *models; /* NULL when absent or not loadable */
    side_rev *revs;
    size_t n;
    ag_strmap byid; /* id -> side_rev* */
} side;

/* The working tree's revisions, by repository path and by id. */
typedef struct work {
    ag_graph *graph;
    const char **relpath; /* per topo index */
    git_oid *oid;         /* per topo index */
    ag_strmap bypath;     /* repository path -> ag_rev* */
    ag_arena arena;
} work;

static void side_release(side *s)
{
    ag_schema_free(s->models);
    ag_config_release(&s->cfg);
    ag_strmap_release(&s->byid);
    free(s->revs);
    ag_arena_release(&s->arena);
}

static char **copy_list(ag_arena *a, char *const *l)
{
    size_t n = 0;
    while (l && l[n])
        n++;
    char **out = ag_arena_alloc(a, (n + 1) * sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = ag_arena_strdup(a, l[i]);
    return out;
}

static const char *const yaml_exts[] = { ".yaml", ".yml", NULL };
static const char *const c_exts[] = { ".c", NULL };

static int load_side_models(ag_git *g, git_tree *tree, side *s, size_t max_ident, ag_error *err)
{
    ag_git_files files = { 0 };
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < s->cfg.models.n; i++) {
        const char *entry = ag_path_normalize(&s->arena, s->cfg.models.v[i]);
        git_tree_entry *e = NULL;
        if (git_tree_entry_bypath(&e, tree, entry) == 0 &&
            git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
            if (files.n == files.cap) {
                files.cap = files.cap ? 2 * files.cap : 16;
                files.v = ag_xrealloc(files.v, files.cap * sizeof(*files.v));
            }
            files.v[files.n].path = entry;
            git_oid_cpy(&files.v[files.n++].oid, git_tree_entry_id(e));
        } else {
            rc = ag_git_list(g, tree, entry, yaml_exts, false, &s->arena, &files, err);
        }
        git_tree_entry_free(e);
    }
    const char **names = ag_xcalloc(files.n + 1, sizeof(*names));
    char **texts = ag_xcalloc(files.n + 1, sizeof(*texts));
    for (size_t i = 0; rc == AG_OK && i < files.n; i++) {
        size_t len;
        bool found;
        names[i] = ag_arena_printf(&s->arena, "%s:%s", s->label, files.v[i].path);
        rc = ag_git_read(g, tree, files.v[i].path, &texts[i], &len, &found, err);
    }
    if (rc == AG_OK) {
        ag_model_opts mo = { .naming = s->cfg.naming,
                             .default_schema = s->cfg.schema,
                             .max_identifier = max_ident };
        ag_diags diags = { 0 };
        ag_error merr = { 0 };
        /* Models that do not load at the base are not this change's problem:
         * the model diff is then against nothing. */
        if (ag_model_load_buffers(&s->models, names, (const char *const *)texts, files.n, &mo,
                                  &diags, &merr) != AG_OK)
            s->models = NULL;
        ag_diags_release(&diags);
    }
    for (size_t i = 0; i < files.n; i++)
        free(texts[i]);
    free(texts);
    free(names);
    free(files.v);
    return rc;
}

static int load_side(ag_git *g,
                     git_commit *commit,
                     const char *label,
                     const char *cfg_rel,
                     work *w,
                     size_t max_ident,
                     side *s,
                     ag_error *err)
{
    memset(s, 0, sizeof(*s));
    s->label = ag_arena_strdup(&s->arena, label);
    git_tree *tree = NULL;
    if (git_commit_tree(&tree, commit) != 0)
        return ag_error_set(err, AG_EIO, "cannot read the tree of %s", label);
    char *text = NULL;
    size_t len = 0;
    bool found = false;
    int rc = ag_git_read(g, tree, cfg_rel, &text, &len, &found, err);
    if (rc == AG_OK && found) {
        s->present = true;
        rc = ag_config_load_text(&s->cfg, cfg_rel, text, len, err);
        if (rc != AG_OK)
            ag_error_prefix(err, "reading the configuration at %s", label);
    }
    free(text);
    if (rc == AG_OK && s->present)
        rc = load_side_models(g, tree, s, max_ident, err);
    ag_git_files files = { 0 };
    if (rc == AG_OK && s->present) {
        const char *versions = ag_path_normalize(
            &s->arena, ag_path_join(&s->arena, s->cfg.script_location, "versions"));
        rc = ag_git_list(g, tree, versions, c_exts, true, &s->arena, &files, err);
    }
    s->revs = ag_xcalloc(files.n + 1, sizeof(*s->revs));
    for (size_t i = 0; rc == AG_OK && i < files.n; i++) {
        side_rev *r = &s->revs[s->n];
        r->path = files.v[i].path;
        git_oid_cpy(&r->oid, &files.v[i].oid);
        /* A file the working tree holds unchanged: its header is known. */
        ag_rev *same = ag_strmap_get(&w->bypath, r->path);
        if (same && git_oid_equal(&w->oid[same->topo], &r->oid)) {
            r->id = same->rf.revision;
            r->parents = same->rf.down_revisions;
            r->message = same->rf.message;
        } else {
            rc = ag_git_read(g, tree, r->path, &text, &len, &found, err);
            ag_revfile rf = { 0 };
            ag_error perr = { 0 };
            if (rc == AG_OK && ag_revfile_parse(&rf, r->path, text, &perr) == AG_OK) {
                r->id = ag_arena_strdup(&s->arena, rf.revision);
                r->parents = copy_list(&s->arena, rf.down_revisions);
                r->message = ag_arena_strdup(&s->arena, rf.message);
            }
            ag_revfile_release(&rf);
            free(text);
            if (!r->id)
                continue; /* not a migration there: nothing to compare */
        }
        if (!ag_strmap_get(&s->byid, r->id)) {
            ag_strmap_put(&s->byid, r->id, r);
            s->n++;
        }
    }
    free(files.v);
    git_tree_free(tree);
    return rc;
}

/* --- the review --------------------------------------------------------------------- */

static ag_review_finding *add_finding(
    ag_review *r, const char *rule, ag_lint_severity sev, const char *rev, const char *fmt, ...)
    AG_PRINTF(5, 6);
static ag_review_finding *add_finding(
    ag_review *r, const char *rule, ag_lint_severity sev, const char *rev, const char *fmt, ...)
{
    r->findings = ag_arena_grow(&r->arena, r->findings, sizeof(*r->findings), &r->findings_cap,
                                r->nfindings + 1);
    ag_review_finding *f = &r->findings[r->nfindings++];
    memset(f, 0, sizeof(*f));
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    f->rule = rule;
    f->severity = sev;
    f->rev = rev ? ag_arena_strdup(&r->arena, rev) : NULL;
    f->message = ag_arena_strdup(&r->arena, buf);
    return f;
}

static ag_review_mig *add_mig(ag_review *r, ag_review_change c, const char *rev)
{
    r->migs = ag_arena_grow(&r->arena, r->migs, sizeof(*r->migs), &r->migs_cap, r->nmigs + 1);
    ag_review_mig *m = &r->migs[r->nmigs++];
    memset(m, 0, sizeof(*m));
    m->change = c;
    m->rev = ag_arena_strdup(&r->arena, rev);
    return m;
}

/* A file's blob id from git's index, without reading the file, when the
 * index entry's stat data matches the file and was taken after the file last
 * changed (not "racily clean": modified in the second the index was written). */
static bool
index_oid(git_index *idx, int64_t idx_mtime, const char *path, const ag_fstamp *st, git_oid *out)
{
    const git_index_entry *e = idx ? git_index_get_bypath(idx, path, 0) : NULL;
    if (!e || e->file_size != (uint32_t)st->size || e->ino != (uint32_t)st->ino ||
        e->mtime.seconds != (int32_t)st->mtime_s ||
        e->mtime.nanoseconds != (uint32_t)st->mtime_ns || (int64_t)e->mtime.seconds >= idx_mtime)
        return false;
    git_oid_cpy(out, &e->id);
    return true;
}

static int read_work(ag_git *g, ag_project *p, work *w, ag_error *err)
{
    int rc = ag_project_graph(p, &w->graph, err);
    if (rc != AG_OK)
        return rc;
    git_index *idx = NULL;
    int64_t idx_mtime = 0;
    struct stat ist;
    if (git_repository_index(&idx, g->repo) == 0 && git_index_path(idx) &&
        stat(git_index_path(idx), &ist) == 0)
        idx_mtime = (int64_t)ist.st_mtim.tv_sec;
    const char *vrel = ag_git_relpath(g, &w->arena, p->versions_dir);
    size_t vlen = strlen(p->versions_dir);
    w->relpath = ag_arena_alloc(&w->arena, (w->graph->n + 1) * sizeof(*w->relpath));
    w->oid = ag_arena_alloc(&w->arena, (w->graph->n + 1) * sizeof(*w->oid));
    for (size_t i = 0; i < w->graph->n; i++) {
        ag_rev *rev = w->graph->revs[i];
        const char *path = rev->rf.path;
        if (vrel && strncmp(path, p->versions_dir, vlen) == 0)
            w->relpath[i] = ag_arena_printf(&w->arena, "%s%s", vrel, path + vlen);
        else
            w->relpath[i] = ag_git_relpath(g, &w->arena, path);
        if (w->relpath[i])
            ag_strmap_put(&w->bypath, w->relpath[i], rev);
        if (w->relpath[i] && index_oid(idx, idx_mtime, w->relpath[i], &rev->stamp, &w->oid[i]))
            continue;
        size_t len = 0;
        const char *map = ag_map_file(path, &len);
        if (map) {
            ag_git_hash(map, len, &w->oid[i]);
            ag_unmap_file(map, len);
        } else {
            ag_git_hash("", 0, &w->oid[i]);
        }
    }
    git_index_free(idx);
    return AG_OK;
}

static ag_diff_opts diff_opts(const ag_project *p)
{
    return (ag_diff_opts){
        .default_schema =
            p->dialect->caps & AG_CAP_SCHEMAS ? (p->cfg.schema ? p->cfg.schema : "public") : "main",
        .caps = p->dialect->caps,
        .type_reduce = p->dialect->type_reduce,
        .collation_same = p->dialect->collation_same,
        .include_tables = p->cfg.include_tables.v,
        .ninclude = p->cfg.include_tables.n,
        .exclude_tables = p->cfg.exclude_tables.v,
        .nexclude = p->cfg.exclude_tables.n,
    };
}

/* The operations from a to b (NULL: an empty schema), described; the tables
 * they touch go to tables. */
static int model_diff(ag_project *p,
                      ag_review *r,
                      const ag_schema *a,
                      const ag_schema *b,
                      ag_strs *descr,
                      ag_strs *tables,
                      ag_error *err)
{
    ag_schema *empty = ag_schema_new();
    ag_oplist *ops = NULL;
    ag_diff_opts o = diff_opts(p);
    int rc = ag_diff(&ops, a ? a : empty, b ? b : empty, &o, err);
    for (size_t i = 0; rc == AG_OK && i < ops->n; i++) {
        const ag_opdef *op = ops->ops[i];
        if (descr)
            ag_strs_push_arena(&r->arena, descr, ag_op_describe(&r->arena, op));
        if (tables && op->table && !ag_strs_contains(tables, op->table))
            ag_strs_push_arena(&r->arena, tables, op->table);
        if (tables && op->kind == AG_OP_RENAME_TABLE && op->name &&
            !ag_strs_contains(tables, op->name))
            ag_strs_push_arena(&r->arena, tables, op->name);
    }
    ag_oplist_free(ops);
    ag_schema_free(empty);
    return rc;
}

typedef struct replay_ctx {
    ag_project *p;
    ag_review *r;
    ag_strmap want; /* id -> ag_review_mig* */
} replay_ctx;

static bool want_rev(void *arg, const ag_rev *rev)
{
    replay_ctx *c = arg;
    return ag_strmap_get(&c->want, rev->rf.revision) != NULL;
}

static void lint_rev(void *arg,
                     const ag_rev *rev,
                     const ag_schema *state,
                     const ag_oplist *up,
                     const ag_oplist *down)
{
    replay_ctx *c = arg;
    ag_review_mig *m = ag_strmap_get(&c->want, rev->rf.revision);
    if (m->change != AG_REVIEW_ADDED)
        return; /* lint rules are for what this change adds */
    size_t len = 0;
    ag_error err = { 0 };
    char *text = ag_read_file(rev->rf.path, &len, &err);
    ag_lint_input in = {
        .dialect = c->p->dialect,
        .before = state,
        .upgrade = up,
        .downgrade = down,
        .transactional = rev->rf.transactional != 0,
        .path = m->path,
        .text = text,
        .lock_timeout = c->p->cfg.lock_timeout,
        .levels = c->p->cfg.lint,
        .nlevels = c->p->cfg.nlint,
    };
    ag_lint_report rep = AG_LINT_REPORT_INIT;
    if (ag_lint_migration(&in, &rep, &err) != AG_OK) {
        add_finding(c->r, AG_REVIEW_REPLAY_FAILED, AG_LINT_ERROR, m->rev, "%s", err.msg);
    }
    for (size_t i = 0; i < rep.n; i++) {
        const ag_lint_finding *lf = &rep.v[i];
        ag_review_finding *f = add_finding(c->r, lf->rule, lf->severity, m->rev, "%s", lf->message);
        f->hint = ag_arena_strdup(&c->r->arena, lf->alternative);
        f->sql = ag_arena_strdup(&c->r->arena, lf->sql);
        f->path = m->path;
        f->line = lf->line;
        f->lint = true;
    }
    ag_lint_report_release(&rep);
    free(text);
}

static void rendered_rev(void *arg, const ag_rev *rev, const ag_oplist *ops, const ag_strs *sql)
{
    replay_ctx *c = arg;
    ag_review_mig *m = ag_strmap_get(&c->want, rev->rf.revision);
    for (size_t i = 0; i < ops->n; i++)
        ag_strs_push_arena(&c->r->arena, &m->ops, ag_op_describe(&c->r->arena, ops->ops[i]));
    for (size_t i = 0; i < sql->n; i++)
        ag_strs_push_arena(&c->r->arena, &m->sql, sql->v[i]);
}

static const char *short_sha(ag_arena *a, git_commit *c)
{
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, 13, git_commit_id(c));
    return ag_arena_strdup(a, buf);
}

/* The heads of the graph made of w's revisions and t's (by id). */
static void merged_heads(ag_review *r, const work *w, const side *t, ag_strs *out)
{
    ag_strmap child = AG_STRMAP_INIT;
    static int mark;
    for (size_t i = 0; i < w->graph->n; i++)
        for (char **pp = w->graph->revs[i]->rf.down_revisions; pp && *pp; pp++)
            ag_strmap_put(&child, *pp, &mark);
    for (size_t i = 0; t && i < t->n; i++)
        for (char **pp = t->revs[i].parents; pp && *pp; pp++)
            ag_strmap_put(&child, *pp, &mark);
    ag_strmap seen = AG_STRMAP_INIT;
    for (size_t i = 0; i < w->graph->n; i++) {
        const char *id = w->graph->revs[i]->rf.revision;
        if (!ag_strmap_get(&child, id) && !ag_strmap_get(&seen, id)) {
            ag_strs_push_arena(&r->arena, out, id);
            ag_strmap_put(&seen, id, &mark);
        }
    }
    for (size_t i = 0; t && i < t->n; i++) {
        const char *id = t->revs[i].id;
        if (!ag_strmap_get(&child, id) && !ag_strmap_get(&seen, id)) {
            ag_strs_push_arena(&r->arena, out, id);
            ag_strmap_put(&seen, id, &mark);
        }
    }
    ag_strmap_release(&child);
    ag_strmap_release(&seen);
}

static void side_heads(ag_review *r, const side *t, ag_strs *out)
{
    ag_strmap child = AG_STRMAP_INIT;
    static int mark;
    for (size_t i = 0; i < t->n; i++)
        for (char **pp = t->revs[i].parents; pp && *pp; pp++)
            ag_strmap_put(&child, *pp, &mark);
    for (size_t i = 0; i < t->n; i++)
        if (!ag_strmap_get(&child, t->revs[i].id))
            ag_strs_push_arena(&r->arena, out, t->revs[i].id);
    ag_strmap_release(&child);
}

/* What both review and rebase open: the repository, REF, the base, both sides. */
typedef struct sides {
    ag_git git;
    git_commit *ref, *base, *head;
    side b, t; /* base and REF (t aliases b when they are one commit) */
    bool same;
    work w;
} sides;

static void sides_release(sides *s)
{
    if (!s->same)
        side_release(&s->t);
    side_release(&s->b);
    ag_strmap_release(&s->w.bypath);
    ag_arena_release(&s->w.arena);
    git_commit_free(s->ref);
    git_commit_free(s->base);
    git_commit_free(s->head);
    if (s->git.repo)
        ag_git_close(&s->git);
}

static int open_sides(ag_project *p, const char *ref, bool no_merge_base, sides *s, ag_error *err)
{
    memset(s, 0, sizeof(*s));
    char *dir = realpath(p->cfg.dir, NULL);
    if (!dir)
        return ag_error_set(err, AG_EIO, "cannot resolve '%s'", p->cfg.dir);
    int rc = ag_git_open(&s->git, dir, err);
    free(dir);
    if (rc == AG_OK)
        rc = ag_git_resolve(&s->git, ref, &s->ref, err);
    if (rc != AG_OK)
        return rc;
    ag_error herr = { 0 };
    bool has_head = ag_git_resolve(&s->git, "HEAD", &s->head, &herr) == AG_OK;
    if (no_merge_base || !has_head) {
        git_commit_dup(&s->base, s->ref);
    } else if ((rc = ag_git_merge_base(&s->git, s->ref, s->head, &s->base, err)) != AG_OK) {
        return rc;
    }
    rc = read_work(&s->git, p, &s->w, err);
    if (rc != AG_OK)
        return rc;
    const char *slash = strrchr(p->cfg.path, '/');
    const char *cfg_rel =
        ag_arena_printf(&s->w.arena, "%s%s", s->git.prefix, slash ? slash + 1 : p->cfg.path);
    size_t max_ident = p->dialect ? p->dialect->max_identifier : AG_IDENTIFIER_PORTABLE;
    s->same = git_oid_equal(git_commit_id(s->ref), git_commit_id(s->base));
    const char *blabel = s->same ? ref : short_sha(&s->w.arena, s->base);
    if (s->same || strlen(blabel) > 12)
        blabel = s->same ? ref : ag_arena_strndup(&s->w.arena, blabel, 12);
    rc = load_side(&s->git, s->base, blabel, cfg_rel, &s->w, max_ident, &s->b, err);
    if (rc == AG_OK && !s->same)
        rc = load_side(&s->git, s->ref, ref, cfg_rel, &s->w, max_ident, &s->t, err);
    if (s->same)
        s->t = s->b;
    return rc;
}

static side_rev *side_get(const side *s, const char *id)
{
    return ag_strmap_get(&s->byid, id);
}

static void revs_join(ag_arena *a, ag_buf *b, const ag_strs *ids)
{
    (void)a;
    for (size_t i = 0; i < ids->n; i++)
        ag_buf_printf(b, "%s%s", i ? ", " : "", ids->v[i]);
}

/* The findings about what the replay leaves different from the models. */
static void leftover_findings(ag_review *r)
{
    /* Differences that are all changes of the models since REF: the
     * migration for them was not written. */
    bool uncovered = r->leftover.n > 0;
    for (size_t i = 0; i < r->leftover.n; i++)
        uncovered = uncovered && ag_strs_contains(&r->model_changes, r->leftover.v[i]);
    if (uncovered) {
        ag_review_finding *f = add_finding(
            r, AG_REVIEW_MODELS_WITHOUT_MIGRATION, AG_LINT_ERROR, NULL,
            "the models changed since %s but no migration was added for %zu of the changes", r->ref,
            r->leftover.n);
        f->hint = "autogen revision -m \"describe the change\"";
    } else if (r->leftover.n) {
        ag_review_finding *f =
            add_finding(r, AG_REVIEW_LEFTOVER, AG_LINT_ERROR, NULL,
                        "the migrations do not bring a database to the models: %zu difference%s "
                        "left",
                        r->leftover.n, r->leftover.n == 1 ? "" : "s");
        f->hint = "autogen revision -m \"describe the change\" writes a migration for what is "
                  "left";
    }
}

void ag_review_set_scratch(ag_review *r, const ag_oplist *ops, const char *failure)
{
    /* Drop what the offline replay concluded; keep every other finding. */
    size_t k = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        const char *rule = r->findings[i].rule;
        if (!r->findings[i].rev &&
            (strcmp(rule, AG_REVIEW_MODELS_WITHOUT_MIGRATION) == 0 ||
             strcmp(rule, AG_REVIEW_LEFTOVER) == 0 || strcmp(rule, AG_REVIEW_REPLAY_FAILED) == 0))
            continue;
        r->findings[k++] = r->findings[i];
    }
    r->nfindings = k;
    r->leftover.n = 0;
    r->scratch = true;
    r->replayed = failure == NULL;
    if (failure) {
        add_finding(r, AG_REVIEW_REPLAY_FAILED, AG_LINT_ERROR, NULL, "%s", failure)->hint =
            "'autogen check --scratch' shows the same failure; fix the migration it names";
        return;
    }
    for (size_t i = 0; ops && i < ops->n; i++)
        ag_strs_push_arena(&r->arena, &r->leftover, ag_op_describe(&r->arena, ops->ops[i]));
    leftover_findings(r);
}

int ag_review_run(ag_project *p, const ag_review_opts *o, ag_review *r, ag_error *err)
{
    memset(r, 0, sizeof(*r));
    r->ref = ag_arena_strdup(&r->arena, o->ref);
    r->merge_base = !o->no_merge_base;
    r->dialect = p->dialect->name;
    sides s;
    ag_schema *models = NULL, *final = NULL;
    int rc = open_sides(p, o->ref, o->no_merge_base, &s, err);
    if (rc == AG_OK)
        rc = ag_project_models(p, &models, err);
    if (rc != AG_OK) {
        sides_release(&s);
        return rc;
    }
    r->ref_sha = short_sha(&r->arena, s.ref);
    r->base_sha = short_sha(&r->arena, s.base);
    r->head_sha = s.head ? short_sha(&r->arena, s.head) : "";
    r->project_dir = ag_arena_strdup(&r->arena, s.git.prefix);
    ag_graph *g = s.w.graph;
    r->nrevs = g->n;

    /* What changed, migration by migration. */
    replay_ctx rc_ctx = { .p = p, .r = r };
    for (size_t i = 0; i < g->n; i++) {
        ag_rev *rev = g->revs[i];
        const char *id = rev->rf.revision;
        side_rev *inb = side_get(&s.b, id), *int_ = side_get(&s.t, id);
        bool same_t = int_ && git_oid_equal(&int_->oid, &s.w.oid[i]);
        ag_review_mig *m = NULL;
        if (!inb && !same_t) {
            m = add_mig(r, AG_REVIEW_ADDED, id);
            if (int_)
                add_finding(r, AG_REVIEW_DUPLICATE, AG_LINT_ERROR, id,
                            "revision %s is added on both sides: %s adds %s too, with other "
                            "content",
                            id, r->ref, int_->path)
                    ->hint = "give one of them a new id ('autogen revision --rev-id ID' makes "
                             "one), or keep one file";
        } else if (inb && !git_oid_equal(&inb->oid, &s.w.oid[i]) && !same_t) {
            m = add_mig(r, AG_REVIEW_MODIFIED, id);
            ag_review_finding *f =
                add_finding(r, AG_REVIEW_EDITED, AG_LINT_ERROR, id,
                            "%s exists at %s and is edited here; databases that applied it "
                            "will not run the new version",
                            s.w.relpath[i] ? s.w.relpath[i] : rev->rf.path, r->ref);
            f->hint = "revert the edit and write the change as a new migration ('autogen "
                      "revision -m ...')";
            f->path = ag_arena_strdup(&r->arena, s.w.relpath[i]);
        }
        if (m) {
            m->path = ag_arena_strdup(&r->arena, s.w.relpath[i] ? s.w.relpath[i] : rev->rf.path);
            m->message = ag_arena_strdup(&r->arena, rev->rf.message);
            for (char **pp = rev->rf.down_revisions; pp && *pp; pp++)
                ag_strs_push_arena(&r->arena, &m->parents, *pp);
            ag_strmap_put(&rc_ctx.want, id, m);
        }
    }
    for (size_t i = 0; i < s.b.n; i++) {
        side_rev *br = &s.b.revs[i];
        ag_rev *wr = NULL;
        if (ag_graph_find(&wr, g, br->id, &(ag_error){ 0 }) == AG_OK &&
            strcmp(wr->rf.revision, br->id) == 0)
            continue;
        if (!side_get(&s.t, br->id))
            continue; /* REF removed it too */
        ag_review_mig *m = add_mig(r, AG_REVIEW_REMOVED, br->id);
        m->path = ag_arena_strdup(&r->arena, br->path);
        m->message = ag_arena_strdup(&r->arena, br->message);
        ag_review_finding *f = add_finding(
            r, AG_REVIEW_DELETED, AG_LINT_ERROR, br->id,
            "%s exists at %s and is deleted here; databases that applied it cannot be moved "
            "past it",
            br->path, r->ref);
        f->hint = "restore the file; to undo its change, write a new migration";
        f->path = m->path;
    }

    /* The models: REF (the base) against the working tree. */
    if (rc == AG_OK)
        rc = model_diff(p, r, s.b.models, models, &r->model_changes, &r->ours_tables, err);
    if (rc == AG_OK && !s.same) {
        ag_strs theirs = { 0 };
        rc = model_diff(p, r, s.b.models, s.t.models, &theirs, &r->theirs_tables, err);
        for (size_t i = 0; i < s.t.n; i++)
            if (!side_get(&s.b, s.t.revs[i].id))
                r->ref_moved = true;
        r->ref_moved = r->ref_moved || theirs.n;
    }
    if (rc != AG_OK)
        goto done;

    /* The whole history, replayed offline: SQL, lint, and what it leads to. */
    ag_runner run;
    ag_error rerr = { 0 };
    int rrc = ag_project_offline_runner(p, &run, &rerr);
    ag_replay_visit v = { want_rev, lint_rev, rendered_rev, &rc_ctx };
    if (rrc == AG_OK)
        rrc = ag_runner_replay_all(&run, &v, &final, &rerr);
    if (rrc != AG_OK) {
        add_finding(r, AG_REVIEW_REPLAY_FAILED, AG_LINT_ERROR, NULL, "%s", rerr.msg)->hint =
            "'autogen upgrade --sql' shows the same failure; fix the migration it names";
    } else {
        r->replayed = true;
        rc = model_diff(p, r, final, models, &r->leftover, NULL, err);
        if (rc != AG_OK)
            goto done;
        leftover_findings(r);
    }

    /* The graph merged with REF's. */
    merged_heads(r, &s.w, &s.t, &r->heads);
    side_heads(r, &s.t, &r->ref_heads);
    if (r->heads.n > 1) {
        size_t stale = 0;
        for (size_t i = 0; i < r->nmigs; i++) {
            ag_review_mig *m = &r->migs[i];
            if (m->change != AG_REVIEW_ADDED)
                continue;
            for (size_t k = 0; k < m->parents.n; k++) {
                const char *y = m->parents.v[k];
                if (!side_get(&s.t, y) || ag_strs_contains(&r->ref_heads, y) || r->ref_heads.n == 0)
                    continue;
                ag_buf b = { 0 };
                revs_join(&r->arena, &b, &r->ref_heads);
                ag_review_finding *f = add_finding(r, AG_REVIEW_STALE_PARENT, AG_LINT_ERROR, m->rev,
                                                   "%s revises %s, but %s's head is now %s", m->rev,
                                                   y, r->ref, ag_buf_cstr(&b));
                ag_buf_dispose(&b);
                f->hint = ag_arena_printf(&r->arena,
                                          "after merging %s, run 'autogen rebase --base %s' to "
                                          "re-parent this branch's migrations, or 'autogen merge "
                                          "heads -m \"merge\"' to join the heads",
                                          r->ref, r->ref);
                stale++;
            }
        }
        if (!stale) {
            ag_buf b = { 0 };
            revs_join(&r->arena, &b, &r->heads);
            add_finding(r, AG_REVIEW_MULTIPLE_HEADS, AG_LINT_ERROR, NULL,
                        "merged with %s, the revision graph has %zu heads: %s", r->ref, r->heads.n,
                        ag_buf_cstr(&b))
                ->hint = "autogen merge heads -m \"merge\"";
            ag_buf_dispose(&b);
        }
    }

    /* Both sides' tables. */
    for (size_t i = 0; i < r->ours_tables.n; i++)
        if (ag_strs_contains(&r->theirs_tables, r->ours_tables.v[i]))
            ag_strs_push_arena(&r->arena, &r->shared_tables, r->ours_tables.v[i]);
    if (r->ref_moved && r->shared_tables.n) {
        add_finding(r, AG_REVIEW_SAME_TABLES, AG_LINT_WARNING, NULL,
                    "%s changed since this branch left it, and both change %s", r->ref,
                    ag_strs_join(&r->arena, &r->shared_tables, ", "))
            ->hint = "check that the two changes to these tables agree once merged";
    } else if (r->ref_moved && r->ours_tables.n) {
        add_finding(r, AG_REVIEW_DISJOINT, AG_LINT_INFO, NULL,
                    "%s changed since this branch left it, on other tables than this branch "
                    "(%s): the merge is safe",
                    r->ref, ag_strs_join(&r->arena, &r->ours_tables, ", "));
    }

done:
    ag_strmap_release(&rc_ctx.want);
    ag_schema_free(final);
    ag_schema_free(models);
    sides_release(&s);
    return rc;
}

void ag_review_release(ag_review *r)
{
    ag_arena_release(&r->arena);
}

ag_lint_severity ag_review_worst(const ag_review *r)
{
    ag_lint_severity w = AG_LINT_OFF;
    for (size_t i = 0; i < r->nfindings; i++)
        if (r->findings[i].severity > w)
            w = r->findings[i].severity;
    return w;
}

/* --- rebase ------------------------------------------------------------------------- */

char *ag_rebase_rewrite(const char *text, const char *parent)
{
    /* down_revision[] = { ... } : the list, outside comments (the template's form). */
    const char *at = text;
    const char *open = NULL, *close = NULL;
    while ((at = strstr(at, "down_revision")) != NULL) {
        const char *q = at + strlen("down_revision");
        at = q;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != '[')
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != ']')
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != '=')
            continue;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q != '{')
            continue;
        open = q;
        close = strchr(q, '}');
        break;
    }
    if (!open || !close)
        return NULL;
    ag_buf b = { 0 };
    const char *rev = strstr(text, "Revises:");
    if (rev && rev < open) {
        const char *eol = strchr(rev, '\n');
        ag_buf_put(&b, text, (size_t)(rev - text));
        ag_buf_printf(&b, "Revises: %s", parent);
        ag_buf_put(&b, eol, (size_t)(open - eol));
    } else {
        ag_buf_put(&b, text, (size_t)(open - text));
    }
    ag_buf_printf(&b, "{ \"%s\", NULL }", parent);
    ag_buf_puts(&b, close + 1);
    return ag_buf_detach(&b);
}

void ag_rebase_release(ag_rebase_result *r)
{
    ag_arena_release(&r->arena);
}

int ag_rebase_run(ag_project *p, const ag_rebase_opts *o, ag_rebase_result *out, ag_error *err)
{
    memset(out, 0, sizeof(*out));
    sides s;
    int rc = open_sides(p, o->ref, true, &s, err);
    if (rc != AG_OK) {
        sides_release(&s);
        return rc;
    }
    ag_graph *g = s.w.graph;
    ag_arena *a = &out->arena;
    /* Where to: REF's single head, or --onto (a revision REF has). */
    const char *onto = NULL;
    ag_review tmp = { 0 };
    ag_strs heads = { 0 };
    side_heads(&tmp, &s.t, &heads);
    if (o->onto) {
        ag_rev *r = NULL;
        rc = ag_graph_resolve(&r, g, o->onto, err);
        if (rc == AG_OK)
            onto = ag_arena_strdup(a, r->rf.revision);
    } else if (heads.n != 1) {
        rc = ag_error_set(err, AG_EMULTIHEAD,
                          "%s has %zu heads; name the one to rebase onto with --onto REV", o->ref,
                          heads.n);
    } else {
        onto = ag_arena_strdup(a, heads.v[0]);
        ag_rev *r = NULL;
        if (ag_graph_find(&r, g, onto, &(ag_error){ 0 }) != AG_OK)
            rc = ag_error_set(err, AG_ENOTFOUND,
                              "%s's head %s is not in the working tree: merge %s into this "
                              "branch first ('git merge %s'), then rebase",
                              o->ref, onto, o->ref, o->ref);
    }
    /* The revisions REF lacks, and among them the roots: those whose parents are all REF's. */
    ag_rev **roots = ag_xcalloc(g->n + 1, sizeof(*roots));
    bool *ours = ag_xcalloc(g->n + 1, sizeof(*ours));
    size_t nroots = 0, nours = 0;
    for (size_t i = 0; rc == AG_OK && i < g->n; i++) {
        ag_rev *r = g->revs[i];
        if (side_get(&s.t, r->rf.revision))
            continue;
        ours[i] = true;
        nours++;
        bool root = true;
        for (size_t k = 0; k < r->nparents; k++)
            if (ours[r->parents[k]->topo])
                root = false;
        if (root)
            roots[nroots++] = r;
        if (onto && strcmp(onto, r->rf.revision) == 0)
            rc = ag_error_set(err, AG_EINVALID,
                              "--onto %s names a revision of this branch; name one of %s's", onto,
                              o->ref);
    }
    if (rc == AG_OK && nours == 0)
        rc = ag_error_set(err, AG_ENOTFOUND,
                          "every revision here is in %s already: nothing to rebase", o->ref);
    /* Chain the roots: the first onto `onto`, each next one onto the head the
     * previous one leads to. */
    const char **newparent = ag_xcalloc(nroots + 1, sizeof(*newparent));
    const char *cur = onto;
    for (size_t i = 0; rc == AG_OK && i < nroots; i++) {
        newparent[i] = cur;
        ag_rev *h = NULL;
        rc = ag_graph_head_of(&h, g, roots[i], err);
        if (rc == AG_OK && !ours[h->topo])
            rc = ag_error_set(err, AG_ECONFLICT,
                              "%s leads to %s, which %s has: run 'autogen merge heads' instead",
                              roots[i]->rf.revision, h->rf.revision, o->ref);
        if (rc == AG_OK)
            cur = h->rf.revision;
    }
    /* Which roots move; a database that applied one of them must go back first. */
    bool *moves = ag_xcalloc(nroots + 1, sizeof(*moves));
    size_t nmoves = 0;
    for (size_t i = 0; rc == AG_OK && i < nroots; i++) {
        moves[i] = !(roots[i]->nparents == 1 &&
                     strcmp(roots[i]->parents[0]->rf.revision, newparent[i]) == 0);
        nmoves += moves[i];
    }
    if (rc == AG_OK && nmoves) {
        ag_runner run;
        ag_error derr = { 0 };
        int drc = ag_project_runner(p, &run, &derr);
        ag_rev **cur_heads = NULL;
        size_t ncur = 0;
        if (drc == AG_OK)
            drc = ag_runner_current(&run, &cur_heads, &ncur, &derr);
        if (drc != AG_OK) {
            out->db_note = ag_arena_printf(a,
                                           "could not check whether the database has applied "
                                           "these revisions (%s); if it has, downgrade it "
                                           "before upgrading again",
                                           derr.msg);
        } else {
            for (size_t i = 0; rc == AG_OK && i < nroots; i++)
                for (size_t k = 0; rc == AG_OK && moves[i] && k < ncur; k++)
                    if (ag_graph_is_ancestor(g, roots[i], cur_heads[k])) {
                        /* Revert this branch's revisions on that head, and no other branch. */
                        size_t count = 0;
                        for (size_t j = 0; j < g->n; j++)
                            count += ours[j] && ag_graph_is_ancestor(g, roots[i], g->revs[j]) &&
                                     ag_graph_is_ancestor(g, g->revs[j], cur_heads[k]);
                        rc = ag_error_set(err, AG_ECONFLICT,
                                          "the database (%s) has applied %s, which this would "
                                          "move; run 'autogen downgrade %s@-%zu' first, then "
                                          "rebase and upgrade",
                                          p->purl.display, roots[i]->rf.revision,
                                          cur_heads[k]->rf.revision, count);
                    }
        }
        free(cur_heads);
    }
    /* Rewrite every root's header: all temporary files first, then the renames. */
    char **tmp_paths = ag_xcalloc(nroots + 1, sizeof(*tmp_paths));
    for (size_t i = 0; rc == AG_OK && i < nroots; i++) {
        ag_rev *r = roots[i];
        if (!moves[i])
            continue; /* already there */
        size_t len;
        char *text = ag_read_file(r->rf.path, &len, err);
        char *next = text ? ag_rebase_rewrite(text, newparent[i]) : NULL;
        if (!text)
            rc = err->code ? err->code : AG_EIO;
        else if (!next)
            rc = ag_error_set(err, AG_EINVALID,
                              "%s: no 'down_revision[] = { ... }' to rewrite; edit it by hand",
                              r->rf.path);
        if (rc == AG_OK && next) {
            tmp_paths[i] = ag_xmalloc(strlen(r->rf.path) + 16);
            sprintf(tmp_paths[i], "%s.rebase~", r->rf.path);
            rc = ag_write_file_atomic(tmp_paths[i], next, strlen(next), err);
        }
        if (rc == AG_OK) {
            ag_buf b = { 0 };
            for (size_t k = 0; k < r->nparents; k++)
                ag_buf_printf(&b, "%s%s", k ? ", " : "", r->parents[k]->rf.revision);
            ag_strs_push_arena(a, &out->moved,
                               ag_arena_printf(a, "%s: %s -> %s", r->rf.revision,
                                               r->nparents ? ag_buf_cstr(&b) : "base",
                                               newparent[i]));
            ag_buf_dispose(&b);
        }
        free(text);
        free(next);
    }
    for (size_t i = 0; i < nroots; i++) {
        if (!tmp_paths[i])
            continue;
        if (rc == AG_OK && rename(tmp_paths[i], roots[i]->rf.path) != 0)
            rc = ag_error_set(err, AG_EIO, "cannot replace %s: %s", roots[i]->rf.path,
                              strerror(errno));
        if (rc != AG_OK)
            unlink(tmp_paths[i]);
        free(tmp_paths[i]);
    }
    out->onto = onto;
    free(tmp_paths);
    free(newparent);
    free(moves);
    free(roots);
    free(ours);
    ag_arena_release(&tmp.arena);
    sides_release(&s);
    return rc;
}
