/* api.c - the public ag_* functions of include/autogen/autogen.h.
 *
 * A thin layer over the project (src/project): it checks what the caller
 * passes (options versions, NULLs), calls the modules the CLI commands call,
 * and copies results into objects the caller owns, so that nothing handed
 * out points into the project's caches (the revision graph is reloaded after
 * a revision is written).
 */
#include "../util/common.h"

#include "../project/project.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <stdio.h>

const char *ag_version(int *major, int *minor, int *patch)
{
    if (major)
        *major = AG_VERSION_MAJOR;
    if (minor)
        *minor = AG_VERSION_MINOR;
    if (patch)
        *patch = AG_VERSION_PATCH;
    return AG_VERSION;
}

/* --- options ------------------------------------------------------------------------ */

/* An options struct the caller filled: its version must be one this library
 * knows; a zero version is a struct that was not initialized. */
static int check_options(unsigned version, unsigned known, const char *type, ag_error *err)
{
    if (version >= 1 && version <= known)
        return AG_OK;
    return ag_error_set(err, AG_EUSAGE,
                        "%s.version is %u, which libautogen %s does not know: initialize the "
                        "struct with the %s_INIT macro (or %s_init()) before setting its fields",
                        type, version, AG_VERSION,
                        strcmp(type, "ag_project_options") == 0    ? "AG_PROJECT_OPTIONS"
                        : strcmp(type, "ag_init_options") == 0     ? "AG_INIT_OPTIONS"
                        : strcmp(type, "ag_revision_options") == 0 ? "AG_REVISION_OPTIONS"
                        : strcmp(type, "ag_merge_options") == 0    ? "AG_MERGE_OPTIONS"
                        : strcmp(type, "ag_history_options") == 0  ? "AG_HISTORY_OPTIONS"
                                                                   : "AG_STAMP_OPTIONS",
                        type);
}

#define OPTIONS_INIT(type, VERSION, INIT)                                                          \
    int type##_init(type *opts, unsigned version)                                                  \
    {                                                                                              \
        if (!opts || version < 1 || version > VERSION)                                             \
            return AG_EUSAGE;                                                                      \
        type defaults = INIT;                                                                      \
        *opts = defaults;                                                                          \
        return AG_OK;                                                                              \
    }

OPTIONS_INIT(ag_project_options, AG_PROJECT_OPTIONS_VERSION, AG_PROJECT_OPTIONS_INIT)
OPTIONS_INIT(ag_init_options, AG_INIT_OPTIONS_VERSION, AG_INIT_OPTIONS_INIT)
OPTIONS_INIT(ag_revision_options, AG_REVISION_OPTIONS_VERSION, AG_REVISION_OPTIONS_INIT)
OPTIONS_INIT(ag_merge_options, AG_MERGE_OPTIONS_VERSION, AG_MERGE_OPTIONS_INIT)
OPTIONS_INIT(ag_history_options, AG_HISTORY_OPTIONS_VERSION, AG_HISTORY_OPTIONS_INIT)
OPTIONS_INIT(ag_stamp_options, AG_STAMP_OPTIONS_VERSION, AG_STAMP_OPTIONS_INIT)

static int need(const void *arg, const char *what, const char *fn, ag_error *err)
{
    return arg ? AG_OK : ag_error_set(err, AG_EUSAGE, "%s: %s must not be NULL", fn, what);
}

/* --- string arrays ------------------------------------------------------------------ */

void ag_strarray_free(ag_strarray *array)
{
    if (!array)
        return;
    for (size_t i = 0; i < array->count; i++)
        free(array->strings[i]);
    free(array->strings);
    array->strings = NULL;
    array->count = 0;
}

static void strarray_push(ag_strarray *a, const char *s)
{
    a->strings = ag_xrealloc(a->strings, (a->count + 1) * sizeof(*a->strings));
    a->strings[a->count++] = ag_xstrdup(s);
}

/* --- projects ----------------------------------------------------------------------- */

int ag_project_open(ag_project **out, const ag_project_options *opts, ag_error *err)
{
    int rc = need(out, "out", "ag_project_open", err);
    if (rc != AG_OK)
        return rc;
    *out = NULL;
    if (opts && (rc = check_options(opts->version, AG_PROJECT_OPTIONS_VERSION, "ag_project_options",
                                    err)) != AG_OK)
        return rc;
    rc = ag_project_load(out, opts ? opts->config_path : NULL, opts ? opts->url : NULL,
                         opts && (opts->flags & AG_OPT_NO_ENV), err);
    if (rc == AG_OK && opts)
        (*out)->events = (ag_events){ .fn = opts->on_event, .payload = opts->payload };
    return rc;
}

int ag_project_init(ag_project **out,
                    const char *directory,
                    const ag_init_options *opts,
                    ag_error *err)
{
    if (out)
        *out = NULL;
    int rc = need(directory, "directory", "ag_project_init", err);
    if (rc == AG_OK && opts)
        rc = check_options(opts->version, AG_INIT_OPTIONS_VERSION, "ag_init_options", err);
    if (rc == AG_OK && opts)
        rc = check_options(opts->open.version, AG_PROJECT_OPTIONS_VERSION, "ag_project_options",
                           err);
    if (rc != AG_OK)
        return rc;
    rc = ag_project_scaffold(directory, "autogen.yaml",
                             opts && opts->script_location ? opts->script_location : "alembic_like",
                             opts ? opts->url : NULL, opts ? opts->template_text : NULL, err);
    if (rc != AG_OK || !out)
        return rc;
    ag_arena a = AG_ARENA_INIT;
    ag_project_options o = AG_PROJECT_OPTIONS_INIT;
    if (opts)
        o = opts->open;
    o.config_path = ag_path_join(&a, directory, "autogen.yaml");
    rc = ag_project_open(out, &o, err);
    ag_arena_release(&a);
    return rc;
}

/* After a revision file was written: the graph is read again when next
 * needed, so that it has the new revision. */
static void graph_changed(ag_project *p)
{
    ag_graph_save_index(p->graph);
    ag_graph_free(p->graph);
    p->graph = NULL;
}

static void result_paths(ag_strarray *out, const ag_revision_result *res)
{
    if (res->outside_path)
        strarray_push(out, res->outside_path);
    if (res->path)
        strarray_push(out, res->path);
}

int ag_project_revision(ag_strarray *out,
                        ag_project *p,
                        const ag_revision_options *opts,
                        ag_error *err)
{
    int rc = need(out, "out", "ag_project_revision", err);
    if (rc == AG_OK)
        rc = need(p, "project", "ag_project_revision", err);
    if (rc != AG_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    if (opts)
        rc = check_options(opts->version, AG_REVISION_OPTIONS_VERSION, "ag_revision_options", err);
    if (rc == AG_OK && (!opts || !opts->message || !opts->message[0]))
        rc = ag_error_set(err, AG_EUSAGE,
                          "ag_project_revision: a message is required (options.message)");
    if (rc != AG_OK)
        return rc;
    ag_arena a = AG_ARENA_INIT;
    ag_revision_opts o = {
        .message = opts->message,
        .rev_id = opts->rev_id,
        .head = opts->head,
        .branch_label = opts->branch_label,
        .depends_on = opts->depends_on,
        .date = opts->date,
        .empty = opts->empty != 0,
        .splice = opts->splice != 0,
        .version_path =
            opts->version_path ? ag_path_join(&a, p->versions_dir, opts->version_path) : NULL,
    };
    ag_revision_result res;
    rc = ag_project_write_revision(p, &o, &res, err);
    if (rc == AG_OK && res.path) {
        result_paths(out, &res);
        graph_changed(p);
    }
    ag_revision_result_release(&res);
    ag_arena_release(&a);
    return rc;
}

int ag_project_merge(ag_strarray *out,
                     ag_project *p,
                     const char *const *revisions,
                     size_t count,
                     const ag_merge_options *opts,
                     ag_error *err)
{
    int rc = need(out, "out", "ag_project_merge", err);
    if (rc == AG_OK)
        rc = need(p, "project", "ag_project_merge", err);
    if (rc == AG_OK && count)
        rc = need(revisions, "revisions", "ag_project_merge", err);
    if (rc != AG_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    if (opts)
        rc = check_options(opts->version, AG_MERGE_OPTIONS_VERSION, "ag_merge_options", err);
    if (rc == AG_OK && (!opts || !opts->message || !opts->message[0]))
        rc = ag_error_set(err, AG_EUSAGE,
                          "ag_project_merge: a message is required (options.message)");
    if (rc == AG_OK && count == 0)
        rc = ag_error_set(err, AG_EUSAGE,
                          "ag_project_merge: name the revisions to merge, or \"heads\"");
    if (rc != AG_OK)
        return rc;
    const char **merge = ag_xcalloc(count + 1, sizeof(*merge));
    for (size_t i = 0; i < count; i++)
        merge[i] = revisions[i];
    ag_revision_opts o = {
        .message = opts->message,
        .rev_id = opts->rev_id,
        .branch_label = opts->branch_label,
        .date = opts->date,
        .merge = merge,
    };
    ag_revision_result res;
    rc = ag_project_write_revision(p, &o, &res, err);
    if (rc == AG_OK) {
        result_paths(out, &res);
        graph_changed(p);
    }
    ag_revision_result_release(&res);
    free(merge);
    return rc;
}

/* --- diff --------------------------------------------------------------------------- */

struct ag_changeset {
    ag_arena arena; /* every string of v */
    ag_change *v;
    size_t n;
    ag_strarray hints;
};

/* The column an operation is about, for the column kinds. */
static const char *op_column(const ag_opdef *op)
{
    switch (op->kind) {
    case AG_OP_ADD_COLUMN:
    case AG_OP_DROP_COLUMN:
    case AG_OP_ALTER_COLUMN:
        return op->column ? op->column->name : NULL;
    case AG_OP_RENAME_COLUMN:
        return op->name;
    default:
        return NULL;
    }
}

int ag_project_diff(ag_changeset **out, ag_project *p, ag_error *err)
{
    int rc = need(out, "out", "ag_project_diff", err);
    if (rc == AG_OK)
        rc = need(p, "project", "ag_project_diff", err);
    if (rc != AG_OK)
        return rc;
    *out = NULL;
    ag_oplist *ops = NULL;
    ag_schema *state = NULL;
    rc = ag_project_autodiff(p, &ops, &state, err);
    ag_changeset *c = ag_xcalloc(1, sizeof(*c));
    ag_arena *a = &c->arena;
    if (rc == AG_OK) {
        c->v = ag_xcalloc(ops->n ? ops->n : 1, sizeof(*c->v));
        for (size_t i = 0; i < ops->hints.n; i++)
            strarray_push(&c->hints, ops->hints.v[i]);
    }
    /* Each op renders against the schema the ones before it leave (state). */
    for (size_t i = 0; rc == AG_OK && i < ops->n; i++) {
        ag_opdef *op = ops->ops[i];
        ag_oplist one = { .ops = &op, .n = 1 };
        ag_strs sql = { 0 };
        rc = ag_render_ops(p->dialect, state, &one, a, &sql, err);
        if (rc != AG_OK)
            break;
        ag_buf text = AG_BUF_INIT;
        for (size_t k = 0; k < sql.n; k++)
            ag_buf_printf(&text, "%s;\n", sql.v[k]);
        const char *column = op_column(op);
        const char *schema = op->enm && !op->table ? op->enm->schema : op->schema;
        c->v[c->n++] = (ag_change){
            .kind = ag_op_kind_name(op->kind),
            .schema = schema ? ag_arena_strdup(a, schema) : NULL,
            .table = op->table ? ag_arena_strdup(a, op->table) : NULL,
            .column = column ? ag_arena_strdup(a, column) : NULL,
            .description = ag_op_describe(a, op),
            .destructive = (op->flags & AG_OPF_DESTRUCTIVE) != 0,
            .note = op->note ? ag_arena_strdup(a, op->note) : NULL,
            .sql = ag_arena_strdup(a, ag_buf_cstr(&text)),
        };
        ag_buf_dispose(&text);
    }
    ag_oplist_free(ops);
    ag_schema_free(state);
    if (rc != AG_OK) {
        ag_changeset_free(c);
        return rc;
    }
    *out = c;
    return AG_OK;
}

size_t ag_changeset_count(const ag_changeset *c)
{
    return c ? c->n : 0;
}

const ag_change *ag_changeset_get(const ag_changeset *c, size_t i)
{
    return c && i < c->n ? &c->v[i] : NULL;
}

const ag_strarray *ag_changeset_hints(const ag_changeset *c)
{
    return c ? &c->hints : NULL;
}

void ag_changeset_free(ag_changeset *c)
{
    if (!c)
        return;
    ag_strarray_free(&c->hints);
    free(c->v);
    ag_arena_release(&c->arena);
    free(c);
}

int ag_project_check(ag_project *p, int *differs, ag_error *err)
{
    int rc = need(p, "project", "ag_project_check", err);
    if (rc == AG_OK)
        rc = need(differs, "differs", "ag_project_check", err);
    if (rc != AG_OK)
        return rc;
    ag_oplist *ops = NULL;
    rc = ag_project_autodiff(p, &ops, NULL, err);
    *differs = rc == AG_OK && ops->n > 0;
    ag_oplist_free(ops);
    return rc;
}

/* --- history ------------------------------------------------------------------------ */

struct ag_history {
    ag_arena arena; /* every string and list of v */
    ag_revision_info *v;
    size_t n;
};

/* A NULL-terminated list copied into a, *n its length. */
static const char *const *copy_list(ag_arena *a, char *const *list, size_t *n)
{
    *n = 0;
    while (list && list[*n])
        (*n)++;
    const char **copy = ag_arena_alloc(a, (*n + 1) * sizeof(*copy));
    for (size_t i = 0; i < *n; i++)
        copy[i] = ag_arena_strdup(a, list[i]);
    copy[*n] = NULL;
    return copy;
}

int ag_project_history(ag_history **out,
                       ag_project *p,
                       const ag_history_options *opts,
                       ag_error *err)
{
    int rc = need(out, "out", "ag_project_history", err);
    if (rc == AG_OK)
        rc = need(p, "project", "ag_project_history", err);
    if (rc != AG_OK)
        return rc;
    *out = NULL;
    if (opts && (rc = check_options(opts->version, AG_HISTORY_OPTIONS_VERSION, "ag_history_options",
                                    err)) != AG_OK)
        return rc;
    ag_graph *g = NULL;
    ag_rev **rows = NULL;
    size_t nrows = 0;
    if (opts && opts->current) {
        ag_runner r;
        rc = ag_project_runner(p, &r, err);
        if (rc == AG_OK)
            rc = ag_runner_current(&r, &rows, &nrows, err);
    }
    if (rc == AG_OK)
        rc = ag_project_graph(p, &g, err);
    if (rc != AG_OK) {
        free(rows);
        return rc;
    }
    ag_history *h = ag_xcalloc(1, sizeof(*h));
    ag_arena *a = &h->arena;
    h->v = ag_xcalloc(g->n ? g->n : 1, sizeof(*h->v));
    /* Children before parents: the topological order, backwards. */
    for (size_t i = g->n; i-- > 0;) {
        const ag_rev *rev = g->revs[i];
        ag_revision_info *info = &h->v[h->n++];
        info->id = ag_arena_strdup(a, rev->rf.revision);
        const char **parents = ag_arena_alloc(a, (rev->nparents + 1) * sizeof(*parents));
        for (size_t k = 0; k < rev->nparents; k++)
            parents[k] = ag_arena_strdup(a, rev->parents[k]->rf.revision);
        parents[rev->nparents] = NULL;
        info->parents = parents;
        info->nparents = rev->nparents;
        info->message = ag_arena_strdup(a, rev->rf.message ? rev->rf.message : "");
        info->branch_labels = copy_list(a, rev->rf.branch_labels, &info->nbranch_labels);
        info->path = ag_arena_strdup(a, rev->rf.path);
        info->is_head = rev->nchildren == 0;
        for (size_t k = 0; k < nrows; k++)
            info->is_current = info->is_current || rows[k] == rev;
    }
    free(rows);
    *out = h;
    return AG_OK;
}

size_t ag_history_count(const ag_history *h)
{
    return h ? h->n : 0;
}

const ag_revision_info *ag_history_get(const ag_history *h, size_t i)
{
    return h && i < h->n ? &h->v[i] : NULL;
}

void ag_history_free(ag_history *h)
{
    if (!h)
        return;
    free(h->v);
    ag_arena_release(&h->arena);
    free(h);
}

int ag_project_heads(ag_strarray *out, ag_project *p, ag_error *err)
{
    int rc = need(out, "out", "ag_project_heads", err);
    if (rc == AG_OK)
        rc = need(p, "project", "ag_project_heads", err);
    if (rc != AG_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    ag_graph *g = NULL;
    rc = ag_project_graph(p, &g, err);
    for (size_t i = 0; rc == AG_OK && i < g->nheads; i++)
        strarray_push(out, g->heads[i]->rf.revision);
    return rc;
}

/* --- moving the database ------------------------------------------------------------ */

int ag_project_upgrade(ag_project *p, const char *target, ag_error *err)
{
    int rc = need(p, "project", "ag_project_upgrade", err);
    ag_runner r;
    if (rc == AG_OK)
        rc = ag_project_runner(p, &r, err);
    return rc == AG_OK ? ag_runner_upgrade(&r, target ? target : "head", err) : rc;
}

int ag_project_downgrade(ag_project *p, const char *target, ag_error *err)
{
    int rc = need(p, "project", "ag_project_downgrade", err);
    if (rc == AG_OK)
        rc = need(target, "target", "ag_project_downgrade", err);
    ag_runner r;
    if (rc == AG_OK)
        rc = ag_project_runner(p, &r, err);
    return rc == AG_OK ? ag_runner_downgrade(&r, target, err) : rc;
}

int ag_project_current(ag_project *p, char *out, size_t out_size, ag_error *err)
{
    int rc = need(p, "project", "ag_project_current", err);
    if (rc == AG_OK && out_size)
        rc = need(out, "out", "ag_project_current", err);
    if (rc != AG_OK)
        return rc;
    ag_runner r;
    ag_rev **rows = NULL;
    size_t n = 0;
    rc = ag_project_runner(p, &r, err);
    if (rc == AG_OK)
        rc = ag_runner_current(&r, &rows, &n, err);
    if (rc == AG_OK) {
        size_t len = ag_graph_join_ids(out, out_size, rows, n, "");
        if (len >= out_size) {
            if (out_size)
                out[0] = '\0'; /* never a list cut mid-id */
            rc = ag_error_set(err, AG_EINVALID,
                              "the current revisions take %zu bytes, more than the %zu given",
                              len + 1, out_size);
        }
    }
    free(rows);
    return rc;
}

int ag_project_stamp(ag_project *p,
                     const char *const *targets,
                     size_t count,
                     const ag_stamp_options *opts,
                     ag_error *err)
{
    int rc = need(p, "project", "ag_project_stamp", err);
    if (rc == AG_OK && count)
        rc = need(targets, "targets", "ag_project_stamp", err);
    if (rc == AG_OK && opts)
        rc = check_options(opts->version, AG_STAMP_OPTIONS_VERSION, "ag_stamp_options", err);
    if (rc == AG_OK && count == 0 && !(opts && opts->purge))
        rc = ag_error_set(err, AG_EUSAGE,
                          "ag_project_stamp: name the revisions to stamp (or \"base\")");
    ag_runner r;
    if (rc == AG_OK)
        rc = ag_project_runner(p, &r, err);
    if (rc != AG_OK)
        return rc;
    r.refuse_destructive = ag_config_production(&p->cfg) && !(opts && opts->allow_destructive);
    return ag_runner_stamp(&r, targets, count, opts && opts->purge, err);
}

/* The offline script of range into a malloc'd buffer (*sql, *len). */
static int upgrade_script(ag_project *p, const char *range, char **sql, size_t *len, ag_error *err)
{
    *sql = NULL;
    *len = 0;
    ag_runner r;
    int rc = ag_project_offline_runner(p, &r, err);
    if (rc != AG_OK)
        return rc;
    FILE *f = open_memstream(sql, len);
    if (!f)
        ag_oom();
    rc = ag_runner_sql(&r, range ? range : "head", AG_UPGRADE, f, err);
    if (fclose(f) != 0 && rc == AG_OK)
        ag_oom(); /* a memory stream fails only when its buffer cannot grow */
    if (rc != AG_OK) {
        free(*sql);
        *sql = NULL;
        *len = 0;
    }
    return rc;
}

int ag_project_upgrade_sql(
    ag_project *p, const char *range, ag_sql_cb cb, void *payload, ag_error *err)
{
    int rc = need(p, "project", "ag_project_upgrade_sql", err);
    if (rc == AG_OK && !cb)
        rc = ag_error_set(err, AG_EUSAGE, "ag_project_upgrade_sql: cb must not be NULL");
    char *sql = NULL;
    size_t len = 0;
    if (rc == AG_OK)
        rc = upgrade_script(p, range, &sql, &len, err);
    if (rc == AG_OK) {
        int stop = cb(sql, len, payload);
        if (stop != 0) {
            ag_error_set(err, stop, "ag_project_upgrade_sql: the callback stopped with %d", stop);
            rc = stop;
        }
    }
    free(sql);
    return rc;
}

int ag_project_upgrade_sql_buf(
    ag_project *p, const char *range, char *out, size_t out_size, size_t *needed, ag_error *err)
{
    int rc = need(p, "project", "ag_project_upgrade_sql_buf", err);
    if (rc == AG_OK && out_size)
        rc = need(out, "out", "ag_project_upgrade_sql_buf", err);
    char *sql = NULL;
    size_t len = 0;
    if (rc == AG_OK)
        rc = upgrade_script(p, range, &sql, &len, err);
    if (rc == AG_OK) {
        if (needed)
            *needed = len + 1;
        if (len + 1 > out_size) {
            rc = ag_error_set(err, AG_EINVALID,
                              "the SQL takes %zu bytes, more than the %zu given; nothing was "
                              "copied",
                              len + 1, out_size);
        } else {
            memcpy(out, sql, len);
            out[len] = '\0';
        }
    }
    if (rc != AG_OK && out_size && out)
        out[0] = '\0'; /* never a script cut short */
    free(sql);
    return rc;
}
