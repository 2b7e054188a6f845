/* git.c - reading git through libgit2; see git.h. */
#include "git.h"

#include "../util/error.h"
#include "../util/hash.h"

#include <stdio.h>
#include <stdlib.h>

/* libgit2's last error, for messages. */
static const char *git_why(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

int ag_git_open(ag_git *g, const char *project_dir, ag_error *err)
{
    memset(g, 0, sizeof(*g));
    git_libgit2_init();
    git_buf found = { 0 };
    if (git_repository_discover(&found, project_dir, 0, NULL) != 0) {
        git_buf_dispose(&found);
        return ag_error_set(err, AG_ENOTFOUND,
                            "'%s' is not in a git repository; review and rebase compare the "
                            "project with another git revision",
                            project_dir);
    }
    int rc = git_repository_open(&g->repo, found.ptr);
    git_buf_dispose(&found);
    if (rc != 0)
        return ag_error_set(err, AG_EIO, "cannot open the git repository of '%s': %s", project_dir,
                            git_why());
    const char *wd = git_repository_workdir(g->repo);
    if (!wd)
        return ag_error_set(err, AG_EINVALID,
                            "the git repository of '%s' is bare; run from a working tree",
                            project_dir);
    char *real = realpath(wd, NULL);
    g->workdir = ag_arena_printf(&g->arena, "%s/", real ? real : wd);
    free(real);
    if (strcmp(g->workdir, "//") == 0)
        g->workdir = "/";
    const char *rel = ag_git_relpath(g, &g->arena, project_dir);
    if (!rel)
        return ag_error_set(err, AG_EINVALID, "'%s' is outside the working tree %s", project_dir,
                            g->workdir);
    g->prefix = rel[0] ? ag_arena_printf(&g->arena, "%s/", rel) : "";
    return AG_OK;
}

void ag_git_close(ag_git *g)
{
    git_repository_free(g->repo);
    ag_arena_release(&g->arena);
    memset(g, 0, sizeof(*g));
    git_error_clear(); /* its message buffer would outlive the library */
    git_libgit2_shutdown();
}

int ag_git_resolve(ag_git *g, const char *spec, git_commit **out, ag_error *err)
{
    *out = NULL;
    git_object *obj = NULL, *peeled = NULL;
    if (git_revparse_single(&obj, g->repo, spec) != 0)
        return ag_error_set(err, AG_ENOTFOUND,
                            "no git revision '%s' (%s); name a branch, remote branch (fetch it "
                            "first), tag or commit",
                            spec, git_why());
    int rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc != 0)
        return ag_error_set(err, AG_EINVALID, "'%s' does not name a commit: %s", spec, git_why());
    *out = (git_commit *)peeled;
    return AG_OK;
}

/* Breadth-first over the history from start, as far as the clone has it;
 * visit returns true to stop. */
static void walk_history(ag_git *g,
                         const git_oid *start,
                         bool (*visit)(void *arg, const char *hex, const git_oid *id),
                         void *arg)
{
    size_t n = 0, cap = 64, head = 0;
    git_oid *queue = ag_xmalloc(cap * sizeof(*queue));
    ag_strmap queued = AG_STRMAP_INIT;
    ag_arena ar = AG_ARENA_INIT;
    static int mark;
    git_oid_cpy(&queue[n++], start);
    while (head < n) {
        git_oid id = queue[head++];
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof(hex), &id);
        if (visit(arg, hex, &id))
            break;
        git_commit *c = NULL;
        if (git_commit_lookup(&c, g->repo, &id) != 0)
            continue; /* beyond the shallow boundary */
        for (unsigned k = 0; k < git_commit_parentcount(c); k++) {
            const git_oid *pid = git_commit_parent_id(c, k);
            char phex[GIT_OID_HEXSZ + 1];
            git_oid_tostr(phex, sizeof(phex), pid);
            if (ag_strmap_get(&queued, phex))
                continue;
            ag_strmap_put(&queued, ag_arena_strdup(&ar, phex), &mark);
            if (n == cap) {
                cap *= 2;
                queue = ag_xrealloc(queue, cap * sizeof(*queue));
            }
            git_oid_cpy(&queue[n++], pid);
        }
        git_commit_free(c);
    }
    free(queue);
    ag_strmap_release(&queued);
    ag_arena_release(&ar);
}

typedef struct base_walk {
    ag_strmap seen;
    ag_arena ar;
    git_oid found;
    bool ok;
} base_walk;

static bool remember(void *arg, const char *hex, const git_oid *id)
{
    static int mark;
    base_walk *b = arg;
    (void)id;
    ag_strmap_put(&b->seen, ag_arena_strdup(&b->ar, hex), &mark);
    return false;
}

static bool first_seen(void *arg, const char *hex, const git_oid *id)
{
    base_walk *b = arg;
    if (!ag_strmap_get(&b->seen, hex))
        return false;
    git_oid_cpy(&b->found, id);
    b->ok = true;
    return true;
}

/* The merge base in a shallow clone, by walking what the clone has
 * (libgit2's merge-base and revwalk leak on grafted history): the nearest
 * commit of b's history that a's history has. */
static int shallow_merge_base(ag_git *g, git_commit *a, git_commit *b, git_oid *out)
{
    base_walk w = { .seen = AG_STRMAP_INIT, .ar = AG_ARENA_INIT };
    walk_history(g, git_commit_id(a), remember, &w);
    walk_history(g, git_commit_id(b), first_seen, &w);
    if (w.ok)
        git_oid_cpy(out, &w.found);
    ag_strmap_release(&w.seen);
    ag_arena_release(&w.ar);
    return w.ok ? 0 : -1;
}

int ag_git_merge_base(ag_git *g, git_commit *a, git_commit *b, git_commit **out, ag_error *err)
{
    *out = NULL;
    git_oid base;
    bool shallow = git_repository_is_shallow(g->repo) == 1;
    int rc = shallow ? shallow_merge_base(g, a, b, &base)
                     : git_merge_base(&base, g->repo, git_commit_id(a), git_commit_id(b));
    if (rc == 0 && git_commit_lookup(out, g->repo, &base) == 0)
        return AG_OK;
    if (shallow)
        return ag_error_set(err, AG_ENOTFOUND,
                            "this clone is shallow and its history does not reach the commit "
                            "where the two sides diverged; fetch more history ('git fetch "
                            "--deepen=50', or 'git fetch --unshallow'), or pass --no-merge-base "
                            "to compare with the revision itself");
    return ag_error_set(err, AG_ENOTFOUND,
                        "the two sides have no common history (%s); pass --no-merge-base to "
                        "compare with the revision itself",
                        rc == GIT_ENOTFOUND ? "no merge base" : git_why());
}

int ag_git_read(ag_git *g,
                git_tree *tree,
                const char *path,
                char **text,
                size_t *len,
                bool *found,
                ag_error *err)
{
    *text = NULL;
    *len = 0;
    *found = false;
    git_tree_entry *e = NULL;
    if (git_tree_entry_bypath(&e, tree, path) != 0)
        return AG_OK;
    git_blob *blob = NULL;
    int rc = AG_OK;
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
        git_tree_entry_free(e);
        return AG_OK;
    }
    if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(e)) != 0) {
        rc = ag_error_set(err, AG_EIO, "cannot read '%s' from git: %s", path, git_why());
    } else {
        size_t n = (size_t)git_blob_rawsize(blob);
        char *s = ag_xmalloc(n + 1);
        memcpy(s, git_blob_rawcontent(blob), n);
        s[n] = '\0';
        *text = s;
        *len = n;
        *found = true;
    }
    git_blob_free(blob);
    git_tree_entry_free(e);
    return rc;
}

typedef struct walk_state {
    const char *dir; /* with trailing '/', or "" */
    const char *const *exts;
    bool recursive;
    ag_arena *a;
    ag_git_files *out;
} walk_state;

static bool has_ext(const char *name, const char *const *exts)
{
    size_t n = strlen(name);
    for (; *exts; exts++) {
        size_t m = strlen(*exts);
        if (n > m && strcmp(name + n - m, *exts) == 0)
            return true;
    }
    return false;
}

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
    walk_state *w = payload;
    const char *name = git_tree_entry_name(e);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
        return w->recursive && name[0] != '.' ? 0 : 1; /* 1: skip the subtree */
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || name[0] == '.' || !has_ext(name, w->exts))
        return 0;
    if (w->out->n == w->out->cap) {
        w->out->cap = w->out->cap ? 2 * w->out->cap : 64;
        w->out->v = ag_xrealloc(w->out->v, w->out->cap * sizeof(*w->out->v));
    }
    ag_git_file *f = &w->out->v[w->out->n++];
    f->path = ag_arena_printf(w->a, "%s%s%s", w->dir, root, name);
    git_oid_cpy(&f->oid, git_tree_entry_id(e));
    return 0;
}

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const ag_git_file *)x)->path, ((const ag_git_file *)y)->path);
}

int ag_git_list(ag_git *g,
                git_tree *tree,
                const char *dir,
                const char *const *exts,
                bool recursive,
                ag_arena *a,
                ag_git_files *out,
                ag_error *err)
{
    git_tree *sub = NULL;
    git_tree_entry *e = NULL;
    if (dir[0] && strcmp(dir, ".") != 0) {
        if (git_tree_entry_bypath(&e, tree, dir) != 0)
            return AG_OK; /* no such folder: no files */
        if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
            git_tree_entry_free(e);
            return AG_OK;
        }
        int rc = git_tree_lookup(&sub, g->repo, git_tree_entry_id(e));
        git_tree_entry_free(e);
        if (rc != 0)
            return ag_error_set(err, AG_EIO, "cannot read '%s' from git: %s", dir, git_why());
    }
    walk_state w = { .dir = sub ? ag_arena_printf(a, "%s/", dir) : "",
                     .exts = exts,
                     .recursive = recursive,
                     .a = a,
                     .out = out };
    size_t first = out->n;
    int rc = git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, walk_cb, &w);
    git_tree_free(sub);
    if (rc != 0)
        return ag_error_set(err, AG_EIO, "cannot list '%s' in git: %s", dir, git_why());
    /* cppcheck-suppress [knownConditionTrueFalse,duplicateExpression] ; walk_cb appends to out
     * through w */
    if (out->n - first > 1)
        qsort(out->v + first, out->n - first, sizeof(*out->v), cmp_file);
    return AG_OK;
}

void ag_git_hash(const char *data, size_t len, git_oid *out)
{
    git_odb_hash(out, data, len, GIT_OBJECT_BLOB);
}

const char *ag_path_normalize(ag_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = ag_arena_alloc(a, n + 1);
    size_t o = 0;
    const char *s = path;
    while (*s) {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the dropped component */
        } else {
            if (o)
                out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s += len + (slash ? 1 : 0);
    }
    out[o] = '\0';
    return out;
}

const char *ag_git_relpath(ag_git *g, ag_arena *a, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return NULL;
    size_t wn = strlen(g->workdir);
    const char *rel = NULL;
    if (strncmp(real, g->workdir, wn) == 0)
        rel = ag_arena_strdup(a, real + wn);
    else if (strncmp(real, g->workdir, wn - 1) == 0 && real[wn - 1] == '\0')
        rel = "";
    free(real);
    return rel;
}
