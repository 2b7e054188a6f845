/* graph.c - loading and walking the revision graph; see graph.h. */
#include "graph.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"
#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- files ------------------------------------------------------------------ */

/* The *.c files below the versions folder. One stat per file is most of what
 * loading a large history costs, so the stats are taken while the folders
 * are still being read: the scan hands out chunks of files as it fills them,
 * worker threads (one per core, at most four) stamp them, and
 * the scanning thread joins in once it is done. Paths live in the graph's
 * arena; folders stay open until every file has its stamp, which is taken
 * relative to its folder (a one-component lookup). */
typedef struct entry {
    const char *path;
    const char *name; /* the last component of path */
    int dirfd;
    bool stamped; /* st already taken while scanning */
    ag_fstamp st;
} entry;

enum { CHUNK = 256, MAX_WORKERS = 4 };

typedef struct chunk {
    entry v[CHUNK];
    size_t n;
    struct chunk *next_all;  /* every chunk, newest first */
    struct chunk *next_todo; /* the queue of chunks to stamp */
} chunk;

typedef struct scan_state {
    ag_arena *a;
    chunk *all, *filling;
    size_t n; /* files in all chunks */
    DIR **dirs;
    size_t ndirs, dirs_cap;
    /* the stamping queue */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk *todo;
    bool scan_done;
    pthread_t workers[MAX_WORKERS];
    size_t nworkers;
} scan_state;

static void stamp_of(ag_fstamp *out, const struct stat *st)
{
    out->size = (uint64_t)st->st_size;
    out->ino = (uint64_t)st->st_ino;
    out->mtime_s = (int64_t)st->st_mtim.tv_sec;
    out->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
}

static void stamp_chunk(chunk *c)
{
    for (size_t i = 0; i < c->n; i++) {
        entry *e = &c->v[i];
        struct stat st;
        if (!e->stamped && fstatat(e->dirfd, e->name, &st, 0) == 0)
            stamp_of(&e->st, &st);
        /* else: a file gone since readdir keeps a zero stamp; reading it
         * reports the error. */
    }
}

/* The next chunk to stamp; NULL once the scan is over and none is left. */
static chunk *take(scan_state *ss, bool wait)
{
    pthread_mutex_lock(&ss->mu);
    while (!ss->todo && !ss->scan_done && wait)
        pthread_cond_wait(&ss->cv, &ss->mu);
    chunk *c = ss->todo;
    if (c)
        ss->todo = c->next_todo;
    pthread_mutex_unlock(&ss->mu);
    return c;
}

static void *stamp_worker(void *arg)
{
    scan_state *ss = arg;
    for (chunk *c; (c = take(ss, true)) != NULL;)
        stamp_chunk(c);
    return NULL;
}

static void publish(scan_state *ss, chunk *c)
{
    pthread_mutex_lock(&ss->mu);
    c->next_todo = ss->todo;
    ss->todo = c;
    pthread_cond_signal(&ss->cv);
    pthread_mutex_unlock(&ss->mu);
    if (ss->nworkers == 0 && ss->all->next_all == NULL) {
        /* The first full chunk: a history worth sharing out. */
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        size_t want = cpus > 1 ? (size_t)cpus : 0;
        for (size_t i = 0; i < want && i < MAX_WORKERS; i++)
            if (pthread_create(&ss->workers[ss->nworkers], NULL, stamp_worker, ss) == 0)
                ss->nworkers++;
    }
}

/* Stamp what is left, with the workers, and stop them. */
static void finish_stamps(scan_state *ss)
{
    pthread_mutex_lock(&ss->mu);
    ss->scan_done = true;
    pthread_cond_broadcast(&ss->cv);
    pthread_mutex_unlock(&ss->mu);
    if (ss->filling && ss->filling->n)
        stamp_chunk(ss->filling);
    for (chunk *c; (c = take(ss, false)) != NULL;)
        stamp_chunk(c);
    for (size_t i = 0; i < ss->nworkers; i++)
        pthread_join(ss->workers[i], NULL);
    ss->nworkers = 0;
}

static entry *new_entry(scan_state *ss)
{
    if (!ss->filling || ss->filling->n == CHUNK) {
        if (ss->filling)
            publish(ss, ss->filling);
        chunk *c = ag_arena_alloc(ss->a, sizeof(*c));
        c->next_all = ss->all;
        ss->all = ss->filling = c;
    }
    ss->n++;
    return &ss->filling->v[ss->filling->n++];
}

/* Path order; files of one folder share its prefix, so their names decide. */
static int cmp_entry(const void *a, const void *b)
{
    const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
    return x->dirfd == y->dirfd ? strcmp(x->name, y->name) : strcmp(x->path, y->path);
}

/* Every *.c below dir, recursively. */
static int scan(scan_state *ss, const char *dir, ag_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ag_error_set(err, AG_EIO, "cannot read '%s': %s", dir, strerror(errno));
    if (ss->ndirs == ss->dirs_cap) {
        ss->dirs_cap = ss->dirs_cap ? ss->dirs_cap * 2 : 8;
        ss->dirs = ag_xrealloc(ss->dirs, ss->dirs_cap * sizeof(*ss->dirs));
    }
    ss->dirs[ss->ndirs++] = d;
    size_t dirlen = strlen(dir);
    struct dirent *e;
    int rc = AG_OK;
    while (rc == AG_OK && (e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (nm[0] == '.')
            continue;
        size_t len = strlen(nm);
        bool is_c = len > 2 && strcmp(nm + len - 2, ".c") == 0;
        bool is_dir = e->d_type == DT_DIR;
        bool stamped = false;
        struct stat st;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            if (fstatat(dirfd(d), nm, &st, 0) != 0)
                continue;
            is_dir = S_ISDIR(st.st_mode);
            stamped = true;
        }
        if (!is_dir && !is_c)
            continue;
        char *path = ag_arena_alloc(ss->a, dirlen + 1 + len + 1);
        memcpy(path, dir, dirlen);
        path[dirlen] = '/';
        memcpy(path + dirlen + 1, nm, len + 1);
        if (is_dir) {
            if (strcmp(nm, "__pycache__") != 0)
                rc = scan(ss, path, err);
            continue;
        }
        entry *en = new_entry(ss);
        en->path = path;
        en->name = path + dirlen + 1;
        en->dirfd = dirfd(d);
        en->stamped = stamped;
        if (stamped)
            stamp_of(&en->st, &st);
    }
    return rc;
}

/* --- hash table ------------------------------------------------------------- */

static ag_rev *lookup(const ag_graph *g, const char *id)
{
    if (!g->nslots)
        return NULL;
    for (size_t i = ag_fnv1a_str(id) & (g->nslots - 1);; i = (i + 1) & (g->nslots - 1)) {
        if (!g->slots[i])
            return NULL;
        if (strcmp(g->slots[i]->rf.revision, id) == 0)
            return g->slots[i];
    }
}

static ag_rev *insert(ag_graph *g, ag_rev *r)
{
    for (size_t i = ag_fnv1a_str(r->rf.revision) & (g->nslots - 1);;
         i = (i + 1) & (g->nslots - 1)) {
        if (!g->slots[i]) {
            g->slots[i] = r;
            return NULL;
        }
        if (strcmp(g->slots[i]->rf.revision, r->rf.revision) == 0)
            return g->slots[i];
    }
}

/* --- loading ----------------------------------------------------------------- */

void ag_graph_free(ag_graph *g)
{
    if (!g)
        return;
    ag_rev_index_free(g->index);
    ag_arena_release(&g->arena);
    free(g->seen);
    free(g->stack);
    free(g);
}

static void add_dependent(ag_arena *a, ag_rev *d, ag_rev *r)
{
    AG_ARENA_PUSH(a, d->dependents, d->ndependents, d->dependents_cap, r);
}

static void add_child(ag_arena *a, ag_rev *p, ag_rev *c)
{
    AG_ARENA_PUSH(a, p->children, p->nchildren, p->children_cap, c);
}

/* A header parsed from a file (malloc'd) copied into the graph's arena. */
static char **list_to_arena(ag_arena *a, char *const *l)
{
    size_t n = 0;
    while (l && l[n])
        n++;
    char **r = ag_arena_alloc(a, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        r[i] = ag_arena_strdup(a, l[i]);
    return r;
}

static void revfile_to_arena(ag_arena *a, ag_revfile *dst, const ag_revfile *src)
{
    dst->path = ag_arena_strdup(a, src->path);
    dst->revision = ag_arena_strdup(a, src->revision);
    dst->down_revisions = list_to_arena(a, src->down_revisions);
    dst->branch_labels = list_to_arena(a, src->branch_labels);
    dst->depends_on = list_to_arena(a, src->depends_on);
    dst->message = ag_arena_strdup(a, src->message);
    dst->create_date = ag_arena_strdup(a, src->create_date);
    dst->transactional = src->transactional;
}

/* Kahn's algorithm; the order among ready revisions follows load order
 * (sorted paths), so the result is stable. */
static int toposort(ag_graph *g, ag_error *err)
{
    size_t *indeg = ag_xcalloc(g->n ? g->n : 1, sizeof(size_t));
    ag_rev **order = ag_xmalloc((g->n ? g->n : 1) * sizeof(*order));
    for (size_t i = 0; i < g->n; i++)
        g->revs[i]->topo = i; /* temporarily: load index */
    for (size_t i = 0; i < g->n; i++)
        indeg[i] = g->revs[i]->nparents + g->revs[i]->ndeps;
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < g->n; i++)
        if (indeg[i] == 0)
            order[tail++] = g->revs[i];
    while (head < tail) {
        ag_rev *r = order[head++];
        for (size_t c = 0; c < r->nchildren; c++) {
            size_t ci = r->children[c]->topo;
            if (--indeg[ci] == 0)
                order[tail++] = r->children[c];
        }
        for (size_t c = 0; c < r->ndependents; c++) {
            size_t ci = r->dependents[c]->topo;
            if (--indeg[ci] == 0)
                order[tail++] = r->dependents[c];
        }
    }
    int rc = AG_OK;
    if (tail < g->n) {
        const ag_rev *in_cycle = NULL;
        for (size_t i = 0; i < g->n && !in_cycle; i++)
            if (indeg[i] > 0)
                in_cycle = g->revs[i];
        rc = ag_error_set_at(err, AG_ECYCLE, in_cycle->rf.path, 1, 1,
                             "revision '%s' is part of a cycle of down_revision links",
                             in_cycle->rf.revision);
    } else {
        memcpy(g->revs, order, g->n * sizeof(*order));
        for (size_t i = 0; i < g->n; i++)
            g->revs[i]->topo = i;
    }
    free(indeg);
    free(order);
    return rc;
}

void ag_graph_save_index(ag_graph *g)
{
    if (g && g->index_pending) {
        ag_rev_index_save(g->index);
        g->index_pending = false;
    }
}

int ag_graph_load(ag_graph **out, const char *versions_dir, const char *index_path, ag_error *err)
{
    *out = NULL;
    struct stat st;
    if (stat(versions_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ag_error_set(err, AG_ENOTFOUND,
                            "no migration folder '%s'; run 'autogen init' or set script_location "
                            "in autogen.yaml",
                            versions_dir);
    ag_graph *g = ag_xcalloc(1, sizeof(*g));
    g->index = ag_rev_index_open(index_path);
    scan_state files = { .a = &g->arena };
    pthread_mutex_init(&files.mu, NULL);
    pthread_cond_init(&files.cv, NULL);
    entry **order = NULL;
    int rc = scan(&files, versions_dir, err);
    finish_stamps(&files);
    if (rc != AG_OK)
        goto done;
    order = ag_arena_alloc(&g->arena, (files.n ? files.n : 1) * sizeof(*order));
    size_t at = files.n;
    for (chunk *c = files.all; c; c = c->next_all)
        for (size_t j = c->n; j-- > 0;)
            order[--at] = &c->v[j];
    if (files.n > 1)
        qsort(order, files.n, sizeof(*order), cmp_entry);
    g->revs = ag_arena_alloc(&g->arena, (files.n ? files.n : 1) * sizeof(*g->revs));
    g->nslots = 16;
    while (g->nslots < files.n * 2)
        g->nslots *= 2;
    g->slots = ag_arena_alloc(&g->arena, g->nslots * sizeof(*g->slots));
    for (size_t i = 0; i < files.n; i++) {
        const entry *e = order[i];
        ag_rev *r = ag_arena_alloc(&g->arena, sizeof(*r));
        if (!ag_rev_index_lookup(g->index, &g->arena, e->path, &e->st, &r->rf)) {
            char *text = ag_read_file(e->path, NULL, err);
            if (!text) {
                rc = err ? err->code : AG_EIO;
                goto done;
            }
            ag_revfile parsed;
            rc = ag_revfile_parse(&parsed, e->path, text, err);
            free(text);
            if (rc != AG_OK)
                goto done;
            revfile_to_arena(&g->arena, &r->rf, &parsed);
            ag_revfile_release(&parsed);
        }
        r->stamp = e->st;
        g->revs[g->n++] = r;
        ag_rev *dup = insert(g, r);
        if (dup) {
            rc = ag_error_set_at(err, AG_EINVALID, r->rf.path, 1, 1,
                                 "duplicate revision id '%s' (also in '%s'); give one of them a "
                                 "new id",
                                 r->rf.revision, dup->rf.path);
            goto done;
        }
    }
    /* The index to write once the command succeeds (ag_graph_save_index). */
    if (ag_rev_index_stale(g->index)) {
        for (size_t i = 0; i < g->n; i++)
            ag_rev_index_put(g->index, &g->revs[i]->rf, &order[i]->st);
        g->index_pending = true;
    }
    for (size_t i = 0; i < g->n; i++) {
        ag_rev *r = g->revs[i];
        size_t np = 0;
        while (r->rf.down_revisions && r->rf.down_revisions[np])
            np++;
        r->parents = ag_arena_alloc(&g->arena, (np ? np : 1) * sizeof(*r->parents));
        for (size_t k = 0; k < np; k++) {
            ag_rev *p = lookup(g, r->rf.down_revisions[k]);
            if (!p) {
                rc = ag_error_set_at(err, AG_ENOTFOUND, r->rf.path, 1, 1,
                                     "down_revision '%s' of revision '%s' does not exist",
                                     r->rf.down_revisions[k], r->rf.revision);
                goto done;
            }
            r->parents[r->nparents++] = p;
            add_child(&g->arena, p, r);
        }
        size_t nd = 0;
        while (r->rf.depends_on && r->rf.depends_on[nd])
            nd++;
        r->deps = ag_arena_alloc(&g->arena, (nd ? nd : 1) * sizeof(*r->deps));
        for (size_t k = 0; k < nd; k++) {
            ag_rev *d = NULL;
            if (ag_graph_find(&d, g, r->rf.depends_on[k], NULL) != AG_OK) {
                d = ag_graph_find_label(g, r->rf.depends_on[k]);
            }
            if (!d) {
                rc = ag_error_set_at(err, AG_ENOTFOUND, r->rf.path, 1, 1,
                                     "depends_on '%s' of revision '%s' is neither a revision "
                                     "nor a branch label",
                                     r->rf.depends_on[k], r->rf.revision);
                goto done;
            }
            r->deps[r->ndeps++] = d;
            add_dependent(&g->arena, d, r);
        }
        for (size_t k = 0; r->rf.branch_labels && r->rf.branch_labels[k]; k++) {
            const char *label = r->rf.branch_labels[k];
            for (size_t j = 0; j < i; j++)
                for (size_t m = 0; g->revs[j]->rf.branch_labels && g->revs[j]->rf.branch_labels[m];
                     m++)
                    if (strcmp(g->revs[j]->rf.branch_labels[m], label) == 0) {
                        rc = ag_error_set_at(err, AG_EINVALID, r->rf.path, 1, 1,
                                             "branch label '%s' is on both '%s' and '%s'; a "
                                             "label names one branch",
                                             label, g->revs[j]->rf.revision, r->rf.revision);
                        goto done;
                    }
            if (lookup(g, label)) {
                rc = ag_error_set_at(err, AG_EINVALID, r->rf.path, 1, 1,
                                     "branch label '%s' is also a revision id", label);
                goto done;
            }
        }
    }
    rc = toposort(g, err);
    if (rc != AG_OK)
        goto done;
    g->heads = ag_arena_alloc(&g->arena, (g->n ? g->n : 1) * sizeof(*g->heads));
    for (size_t i = 0; i < g->n; i++)
        if (g->revs[i]->nchildren == 0)
            g->heads[g->nheads++] = g->revs[i];
done:
    for (size_t i = 0; i < files.ndirs; i++)
        closedir(files.dirs[i]);
    free(files.dirs);
    pthread_mutex_destroy(&files.mu);
    pthread_cond_destroy(&files.cv);

    if (rc != AG_OK) {
        ag_graph_free(g);
        return rc;
    }
    *out = g;
    return AG_OK;
}

int ag_graph_find(ag_rev **out, const ag_graph *g, const char *id, ag_error *err)
{
    *out = NULL;
    ag_rev *exact = lookup(g, id);
    if (exact) {
        *out = exact;
        return AG_OK;
    }
    size_t len = strlen(id), hits = 0;
    for (size_t i = 0; len > 0 && i < g->n; i++) {
        if (strncmp(g->revs[i]->rf.revision, id, len) == 0) {
            if (hits++ == 0)
                *out = g->revs[i];
        }
    }
    if (hits == 1)
        return AG_OK;
    *out = NULL;
    if (hits > 1)
        return ag_error_set(err, AG_EINVALID,
                            "revision prefix '%s' is ambiguous (%zu revisions start with it); "
                            "give more characters",
                            id, hits);
    return ag_error_set(err, AG_ENOTFOUND,
                        "unknown revision '%s'; 'autogen history' lists the revisions", id);
}

ag_rev *ag_graph_find_label(const ag_graph *g, const char *label)
{
    for (size_t i = 0; i < g->n; i++)
        for (size_t k = 0; g->revs[i]->rf.branch_labels && g->revs[i]->rf.branch_labels[k]; k++)
            if (strcmp(g->revs[i]->rf.branch_labels[k], label) == 0)
                return g->revs[i];
    return NULL;
}

int ag_graph_head_of(ag_rev **out, const ag_graph *g, ag_rev *r, ag_error *err)
{
    *out = NULL;
    size_t found = 0;
    for (size_t i = 0; i < g->nheads; i++)
        if (ag_graph_is_ancestor(g, r, g->heads[i])) {
            if (found++ == 0)
                *out = g->heads[i];
        }
    if (found == 1)
        return AG_OK;
    *out = NULL;
    return ag_error_set(err, AG_EMULTIHEAD,
                        "revision '%s' leads to %zu heads; name one of them ('autogen heads')",
                        r->rf.revision, found);
}

int ag_graph_resolve(ag_rev **out, const ag_graph *g, const char *spec, ag_error *err)
{
    const char *at = strchr(spec, '@');
    if (at && strcmp(at, "@head") == 0) {
        char label[128];
        snprintf(label, sizeof(label), "%.*s", (int)(at - spec), spec);
        ag_rev *r = ag_graph_find_label(g, label);
        if (!r && ag_graph_find(&r, g, label, NULL) != AG_OK)
            return ag_error_set(err, AG_ENOTFOUND,
                                "unknown branch label '%s'; 'autogen branches' lists them", label);
        return ag_graph_head_of(out, g, r, err);
    }
    ag_rev *r = ag_graph_find_label(g, spec);
    if (r) {
        *out = r;
        return AG_OK;
    }
    return ag_graph_find(out, g, spec, err);
}

/* --- walking ------------------------------------------------------------------ */

void ag_plan_release(ag_plan *p)
{
    free(p->revs);
    p->revs = NULL;
    p->n = 0;
}

/* Mark r and all it needs in mark[] (indexed by topo): its ancestors, and with
 * deps, what they depend on too. */
static void mark_closure(const ag_graph *g, ag_rev *r, unsigned char *mark, bool deps);

static void mark_needed(const ag_graph *g, ag_rev *r, unsigned char *mark)
{
    mark_closure(g, r, mark, true);
}

static void mark_closure(const ag_graph *g, ag_rev *r, unsigned char *mark, bool deps)
{
    ag_rev **stack = ag_xmalloc((g->n + 1) * sizeof(*stack));
    size_t sp = 0;
    if (!mark[r->topo]) {
        mark[r->topo] = 1;
        stack[sp++] = r;
    }
    while (sp) {
        ag_rev *x = stack[--sp];
        for (size_t i = 0; i < x->nparents + (deps ? x->ndeps : 0); i++) {
            ag_rev *p = i < x->nparents ? x->parents[i] : x->deps[i - x->nparents];
            if (!mark[p->topo]) {
                mark[p->topo] = 1;
                stack[sp++] = p;
            }
        }
    }
    free(stack);
}

size_t ag_graph_join_ids(char *buf, size_t size, ag_rev *const *revs, size_t n, const char *none)
{
    size_t need = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i <= n; i++) {
        const char *sep = i && i < n ? ", " : "";
        const char *id = i < n ? revs[i]->rf.revision : n ? "" : none;
        int w = snprintf(need < size ? buf + need : NULL, need < size ? size - need : 0, "%s%s",
                         sep, id);
        need += w > 0 ? (size_t)w : 0;
    }
    return need;
}

/* A walk up from b that never goes below a in topological order (a path from a
 * to b only passes revisions between them), so asking about two neighbouring
 * heads costs a few steps, not the whole history. */
bool ag_graph_is_ancestor(const ag_graph *cg, const ag_rev *a, const ag_rev *b)
{
    if (a == b)
        return true;
    if (a->topo > b->topo)
        return false;
    ag_graph *g = (ag_graph *)cg; /* only the scratch fields change */
    if (!g->seen) {
        g->seen = ag_xcalloc(g->n + 1, sizeof(*g->seen));
        g->stack = ag_xmalloc((g->n + 1) * sizeof(*g->stack));
    }
    if (++g->walk == 0) { /* wrapped: forget every earlier walk */
        memset(g->seen, 0, (g->n + 1) * sizeof(*g->seen));
        g->walk = 1;
    }
    size_t sp = 0;
    g->stack[sp++] = (ag_rev *)b;
    g->seen[b->topo] = g->walk;
    while (sp) {
        const ag_rev *x = g->stack[--sp];
        for (size_t i = 0; i < x->nparents; i++) {
            ag_rev *p = x->parents[i];
            if (p == a)
                return true;
            if (p->topo > a->topo && g->seen[p->topo] != g->walk) {
                g->seen[p->topo] = g->walk;
                g->stack[sp++] = p;
            }
        }
    }
    return false;
}

int ag_graph_plan_upgrade(ag_plan *out,
                          const ag_graph *g,
                          ag_rev *const *current,
                          size_t ncurrent,
                          ag_rev *const *targets,
                          size_t ntargets,
                          ag_error *err)
{
    AG_UNUSED(err);
    out->revs = NULL;
    out->n = 0;
    unsigned char *applied = ag_xcalloc(g->n ? g->n : 1, 1);
    unsigned char *wanted = ag_xcalloc(g->n ? g->n : 1, 1);
    for (size_t i = 0; i < ncurrent; i++)
        mark_needed(g, current[i], applied);
    for (size_t i = 0; i < ntargets; i++)
        mark_needed(g, targets[i], wanted);
    out->revs = ag_xmalloc((g->n ? g->n : 1) * sizeof(*out->revs));
    for (size_t i = 0; i < g->n; i++)
        if (wanted[i] && !applied[i])
            out->revs[out->n++] = g->revs[i];
    free(applied);
    free(wanted);
    return AG_OK;
}

int ag_graph_plan_downgrade(ag_plan *out,
                            const ag_graph *g,
                            ag_rev *const *current,
                            size_t ncurrent,
                            const ag_rev *target,
                            ag_error *err)
{
    AG_UNUSED(err);
    out->revs = NULL;
    out->n = 0;
    unsigned char *applied = ag_xcalloc(g->n ? g->n : 1, 1);
    unsigned char *gone = ag_xcalloc(g->n ? g->n : 1, 1);
    for (size_t i = 0; i < ncurrent; i++)
        mark_needed(g, current[i], applied);
    /* What goes: every applied revision after target (base: all of them), and
     * what depends on something that goes. Topological order visits a revision
     * after its parents and dependencies, so one pass sees every chain. */
    for (size_t i = 0; i < g->n; i++) {
        const ag_rev *r = g->revs[i];
        if (!applied[i] || r == target)
            continue;
        bool go = !target;
        for (size_t k = 0; !go && k < r->nparents; k++)
            go = r->parents[k] == target || gone[r->parents[k]->topo];
        for (size_t k = 0; !go && k < r->ndeps; k++)
            go = r->deps[k] == target || gone[r->deps[k]->topo];
        gone[i] = go;
    }
    out->revs = ag_xmalloc((g->n ? g->n : 1) * sizeof(*out->revs));
    for (size_t i = g->n; i-- > 0;)
        if (gone[i])
            out->revs[out->n++] = g->revs[i];
    free(applied);
    free(gone);
    return AG_OK;
}

int ag_graph_plan_revert(ag_plan *out,
                         const ag_graph *g,
                         ag_rev *const *current,
                         size_t ncurrent,
                         ag_rev *const *after,
                         size_t nafter)
{
    unsigned char *applied = ag_xcalloc(g->n ? g->n : 1, 1);
    unsigned char *kept = ag_xcalloc(g->n ? g->n : 1, 1);
    out->revs = ag_xmalloc((g->n ? g->n : 1) * sizeof(*out->revs));
    out->n = 0;
    for (size_t i = 0; i < ncurrent; i++)
        mark_needed(g, current[i], applied);
    for (size_t i = 0; i < nafter; i++)
        mark_needed(g, after[i], kept);
    for (size_t i = g->n; i-- > 0;)
        if (applied[i] && !kept[i])
            out->revs[out->n++] = g->revs[i];
    free(applied);
    free(kept);
    return AG_OK;
}

static void rows_remove(ag_rev **rows, size_t *n, const ag_rev *r)
{
    for (size_t i = 0; i < *n; i++)
        if (rows[i] == r) {
            memmove(&rows[i], &rows[i + 1], (*n - i - 1) * sizeof(*rows));
            (*n)--;
            return;
        }
}

void ag_graph_heads_after_apply(const ag_graph *g, ag_rev **rows, size_t *nrows, ag_rev *r)
{
    /* r supersedes every row it descends from (its parents, for a merge both);
     * a parent is the common case and needs no walk. */
    for (size_t i = 0; i < *nrows;) {
        bool parent = false;
        for (size_t p = 0; p < r->nparents && !parent; p++)
            parent = r->parents[p] == rows[i];
        if (parent || ag_graph_is_ancestor(g, rows[i], r))
            rows_remove(rows, nrows, rows[i]);
        else
            i++;
    }
    rows[(*nrows)++] = r;
}

void ag_graph_heads_after_revert(const ag_graph *g, ag_rev **rows, size_t *nrows, ag_rev *r)
{
    rows_remove(rows, nrows, r);
    /* A parent becomes a head again unless another row still descends from it. */
    for (size_t p = 0; p < r->nparents; p++) {
        bool covered = false;
        for (size_t i = 0; i < *nrows && !covered; i++)
            covered = ag_graph_is_ancestor(g, r->parents[p], rows[i]);
        if (!covered)
            rows[(*nrows)++] = r->parents[p];
    }
}
