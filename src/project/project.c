/* project.c - a project's lifecycle and the autogenerate flow.
 *
 * Glue, not logic: it opens what a command needs (configuration, models,
 * database, revision graph, compiler) and hands them to the modules that do
 * the work. It is also where the public ag_project_* API lives.
 */
#include "project.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int ag_project_load(
    ag_project **out, const char *config_path, const char *url, bool no_env, ag_error *err)
{
    *out = NULL;
    ag_project *p = ag_xcalloc(1, sizeof(*p));
    p->no_env = no_env;
    char *found = NULL;
    const char *path = config_path;
    int rc = AG_OK;
    if (!path) {
        rc = ag_config_find(&found, NULL, err);
        path = found;
    }
    if (rc == AG_OK)
        rc = ag_config_load(&p->cfg, path, err);
    free(found);
    if (rc != AG_OK) {
        ag_project_free(p);
        return rc;
    }
    ag_arena *a = &p->cfg.arena;
    const char *env = no_env ? NULL : getenv("AUTOGEN_URL");
    p->url = url ? ag_arena_strdup(a, url) : env && *env ? ag_arena_strdup(a, env) : p->cfg.url;
    const char *environment = no_env ? NULL : getenv("AUTOGEN_ENV");
    if (environment && *environment)
        p->cfg.environment = ag_arena_strdup(a, environment);
    p->versions_dir = ag_path_join(a, p->cfg.script_location, "versions");
    const char *cache = no_env ? NULL : getenv("AUTOGEN_CACHE_DIR");
    p->cache_dir = cache && *cache ? ag_arena_strdup(a, cache)
                                   : ag_path_join(a, p->cfg.script_location, ".cache");
    *out = p;
    return AG_OK;
}

void ag_project_free(ag_project *p)
{
    if (!p)
        return;
    if (p->db)
        p->dialect->disconnect(p->db);
    ag_url_release(&p->purl);
    if (!p->failed)
        ag_graph_save_index(p->graph);
    ag_graph_free(p->graph);
    ag_compiler_free(p->compiler);
    ag_diags_release(&p->diags);
    ag_config_release(&p->cfg);
    free(p);
}

int ag_project_dialect(ag_project *p, ag_error *err)
{
    if (p->dialect)
        return AG_OK;
    if (!p->url || !*p->url)
        return ag_error_set(err, AG_EINVALID,
                            "no database URL: set 'url' in %s, AUTOGEN_URL, or --url", p->cfg.path);
    int rc = ag_url_parse(&p->purl, p->url, p->cfg.dir, err);
    if (rc != AG_OK)
        return rc;
    const ag_dialect *d = ag_dialect_find(p->purl.scheme);
    if (!d)
        return ag_error_set(err, AG_EINVALID, "no support for '%s' databases in this build",
                            p->purl.scheme);
    /* The setting would be ignored, as a model's `schema:` would be: refused
     * for the same reasons (README, "Schemas on SQLite"). The dialect stays
     * unset, so that every later call refuses too. */
    if (!(d->caps & AG_CAP_SCHEMAS) && p->cfg.schema && strcmp(p->cfg.schema, "main") != 0) {
        ag_url_release(&p->purl);
        memset(&p->purl, 0, sizeof(p->purl));
        return ag_error_set_at(err, AG_EINVALID, p->cfg.path, p->cfg.schema_line, p->cfg.schema_col,
                               "'schema: %s' names a schema, but %s has no schemas: remove the "
                               "setting or use PostgreSQL",
                               p->cfg.schema, d->title);
    }
    p->dialect = d;
    return AG_OK;
}

int ag_project_connect(ag_project *p, ag_error *err)
{
    if (p->db)
        return AG_OK;
    int rc = ag_project_dialect(p, err);
    p->purl.read_only = p->read_only;
    if (rc == AG_OK)
        rc = p->dialect->connect(&p->db, &p->purl, err);
    /* Unqualified names mean the `schema:` setting; read-only commands do not create it. */
    if (rc == AG_OK && p->cfg.schema && p->dialect->schema_sql) {
        ag_arena a = AG_ARENA_INIT;
        ag_strs stmts = { 0 };
        p->dialect->schema_sql(&a, p->cfg.schema, false, &stmts);
        for (size_t i = 0; rc == AG_OK && i < stmts.n; i++)
            rc = p->dialect->exec(p->db, stmts.v[i], err);
        ag_arena_release(&a);
        if (rc != AG_OK) {
            p->dialect->disconnect(p->db);
            p->db = NULL;
        }
    }
    return rc;
}

/* A file of the cache folder that belongs to this versions folder:
 * <cache>/<kind>-<hash of the folder's real path>.<ext>; NULL when the
 * cache folder cannot be made (nothing is then cached). The folder is
 * resolved and the cache folder made once per project. */
static const char *cache_file(ag_project *p, const char *kind, const char *ext)
{
    if (!p->cache_key_done) {
        char *real = realpath(p->versions_dir, NULL);
        p->cache_key = ag_fnv1a_str(real ? real : p->versions_dir);
        free(real);
        p->cache_usable = mkdir(p->cache_dir, 0777) == 0 || errno == EEXIST;
        p->cache_key_done = true;
    }
    if (!p->cache_usable)
        return NULL;
    return ag_arena_printf(&p->cfg.arena, "%s/%s-%016llx.%s", p->cache_dir, kind,
                           (unsigned long long)p->cache_key, ext);
}

/* The header index, one per versions folder. */
static const char *index_path(ag_project *p)
{
    return cache_file(p, "revisions", "idx");
}

/* Recorded operations, one cache per versions folder and dialect. */
static const char *opcache_path(ag_project *p)
{
    return cache_file(p, p->dialect->name, "ops");
}

int ag_project_offline_runner(ag_project *p, ag_runner *r, ag_error *err)
{
    memset(r, 0, sizeof(*r));
    int rc = ag_project_dialect(p, err);
    if (rc == AG_OK)
        rc = ag_project_graph(p, &r->graph, err);
    if (rc == AG_OK && !p->compiler)
        rc = ag_compiler_new(&p->compiler, p->cache_dir, err);
    if (rc != AG_OK)
        return rc;
    r->dialect = p->dialect;
    r->compiler = p->compiler;
    r->opcache_path = opcache_path(p);
    r->version_table = p->cfg.version_table;
    r->run_log_table = p->cfg.run_log_table;
    r->schema = p->cfg.schema;
    r->quiet = p->quiet;
    r->events = &p->events;
    r->no_env = p->no_env;
    r->lock_timeout = AG_LOCK_TIMEOUT_DEFAULT;
    r->statement_lock_timeout = p->cfg.lock_timeout;
    return AG_OK;
}

int ag_project_graph(ag_project *p, ag_graph **out, ag_error *err)
{
    int rc = AG_OK;
    if (!p->graph)
        rc = ag_graph_load(&p->graph, p->versions_dir, index_path(p), err);
    *out = p->graph;
    return rc;
}

int ag_project_runner(ag_project *p, ag_runner *r, ag_error *err)
{
    int rc = ag_project_offline_runner(p, r, err);
    if (rc == AG_OK)
        rc = ag_project_connect(p, err);
    if (rc != AG_OK)
        return rc;
    r->db = p->db;
    r->iopts.version_table = p->cfg.version_table;
    r->iopts.run_log_table = p->cfg.run_log_table;
    r->iopts.schema = p->cfg.schema;
    return AG_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_yaml_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* The .yaml/.yml files of a folder and of its subfolders (models/<schema>/,
 * as `pull` writes them), each folder's files by name, then its subfolders
 * by name; dot-files and dot-folders are skipped. */
static int folder_files(ag_arena *a, const char *dir, int depth, ag_strs *out, ag_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ag_error_set(err, AG_EIO, "cannot read '%s': %s", dir, strerror(errno));
    ag_strs subdirs = { 0 };
    size_t first = out->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const char *path = ag_path_join(a, dir, e->d_name);
        if (has_yaml_ext(e->d_name)) {
            ag_strs_push_arena(a, out, path);
            continue;
        }
        struct stat st;
        if (depth < 8 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            ag_strs_push_arena(a, &subdirs, path);
    }
    closedir(d);
    if (out->n - first > 1)
        qsort(out->v + first, out->n - first, sizeof(char *), cmp_str);
    if (subdirs.n > 1)
        qsort(subdirs.v, subdirs.n, sizeof(char *), cmp_str);
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < subdirs.n; i++)
        rc = folder_files(a, subdirs.v[i], depth + 1, out, err);
    return rc;
}

/* The model files: each configured entry is a file or a folder of .yaml/.yml
 * files (and subfolders of them). */
static int model_files(ag_project *p, ag_strs *out, ag_error *err)
{
    ag_arena *a = &p->cfg.arena;
    for (size_t i = 0; i < p->cfg.models.n; i++) {
        const char *entry = p->cfg.models.v[i];
        struct stat st;
        if (stat(entry, &st) != 0)
            return ag_error_set(err, AG_ENOTFOUND,
                                "model path '%s' does not exist (from 'models' in %s)", entry,
                                p->cfg.path);
        if (!S_ISDIR(st.st_mode)) {
            ag_strs_push_arena(a, out, entry);
            continue;
        }
        int rc = folder_files(a, entry, 0, out, err);
        if (rc != AG_OK)
            return rc;
    }
    return AG_OK;
}

int ag_project_model_files(ag_project *p, ag_strs *out, ag_error *err)
{
    return model_files(p, out, err);
}

/* Loading the models: the files and options taken from the project on the
 * calling thread, so that the load itself may run on another. */
typedef struct model_job {
    ag_strs files;
    ag_model_opts mo;
    ag_diags *diags;
    ag_schema *out;
    ag_error err;
    int rc;
} model_job;

/* The project's database, when known (chosen, or from a usable URL); else
 * NULL: the models are then judged for portability. */
static const ag_dialect *known_dialect(ag_project *p)
{
    ag_error ignored = { 0 };
    if (p->dialect || (p->url && *p->url && ag_project_dialect(p, &ignored) == AG_OK))
        return p->dialect;
    return NULL;
}

ag_model_opts ag_project_model_opts(const ag_project *p, const ag_dialect *d)
{
    return (ag_model_opts){
        .naming = p->cfg.naming,
        .default_schema = p->cfg.schema,
        .max_identifier = d ? d->max_identifier : AG_IDENTIFIER_PORTABLE,
        .dialect = d ? d->title : NULL,
        .caps = d ? d->caps : 0,
    };
}

static int prepare_models(ag_project *p, model_job *j, ag_error *err)
{
    memset(j, 0, sizeof(*j));
    int rc = model_files(p, &j->files, err);
    if (rc != AG_OK)
        return rc;
    /* The longest name the database keeps (README: model files); with no
     * known database, PostgreSQL's, so that the models stay portable. */
    j->mo = ag_project_model_opts(p, known_dialect(p));
    ag_diags_release(&p->diags);
    memset(&p->diags, 0, sizeof(p->diags));
    j->diags = &p->diags;
    return AG_OK;
}

static void *load_models(void *arg)
{
    model_job *j = arg;
    j->rc = ag_model_load(&j->out, j->files.v, j->files.n, &j->mo, j->diags, &j->err);
    return NULL;
}

int ag_project_models(ag_project *p, ag_schema **out, ag_error *err)
{
    model_job job;
    int rc = prepare_models(p, &job, err);
    if (rc != AG_OK)
        return rc;
    load_models(&job);
    *out = job.out;
    if (err && job.rc != AG_OK)
        *err = job.err;
    return job.rc;
}

/* The database as introspected: every schema when managed is NULL, else the
 * default schema and those in managed. */
static int introspect(
    ag_project *p, const ag_strs *managed, bool sequence_owners, ag_schema **out, ag_error *err)
{
    int rc = ag_project_connect(p, err);
    if (rc != AG_OK)
        return rc;
    ag_introspect_opts io = {
        .version_table = p->cfg.version_table,
        .run_log_table = p->cfg.run_log_table,
        .schema = p->cfg.schema,
        .managed = managed,
        .sequence_owners = sequence_owners,
    };
    return p->dialect->introspect(p->db, &io, out, err);
}

int ag_project_introspect(ag_project *p, ag_schema **out, ag_error *err)
{
    return introspect(p, NULL, true, out, err);
}

/* Whether any of the files holds word (a file that cannot be read: yes). */
static bool files_mention(const ag_strs *files, const char *word)
{
    for (size_t i = 0; i < files->n; i++) {
        size_t len = 0;
        char *text = ag_read_file(files->v[i], &len, NULL);
        bool hit = !text || memmem(text, len, word, strlen(word));
        free(text);
        if (hit)
            return true;
    }
    return false;
}

/* The schemas the models name (tables and enums with `schema:`): with the
 * default schema, those autogenerate manages (README, "What autogenerate
 * sees"); it never reads another. */
static void model_schemas(ag_arena *a, const ag_schema *models, ag_strs *out)
{
    for (size_t i = 0; i < models->ntables; i++)
        if (models->tables[i]->schema && !ag_strs_contains(out, models->tables[i]->schema))
            ag_strs_push_arena(a, out, models->tables[i]->schema);
    for (size_t i = 0; i < models->nenums; i++)
        if (models->enums[i]->schema && !ag_strs_contains(out, models->enums[i]->schema))
            ag_strs_push_arena(a, out, models->enums[i]->schema);
}

/* Models that declare no table would drop every table there is: most likely
 * the wrong folder, or files not written yet. Refused unless asked for. */
static int refuse_empty_models(const ag_project *p, const ag_oplist *ops, ag_error *err)
{
    size_t drops = 0;
    const char *first = NULL;
    for (size_t i = 0; i < ops->n; i++)
        if (ops->ops[i]->kind == AG_OP_DROP_TABLE) {
            first = first ? first : ops->ops[i]->table;
            drops++;
        }
    if (!drops)
        return AG_OK;
    ag_arena a = AG_ARENA_INIT;
    const char *where = ag_strs_join(&a, &p->cfg.models, "', '");
    int rc = ag_error_set(err, AG_EINVALID,
                          "the models declare no table (in '%s', from 'models' in %s), so "
                          "autogenerate would drop every table of the database ('%s'%s); write "
                          "the models or fix 'models', or pass --allow-empty-models if dropping "
                          "them is what you want",
                          where, p->cfg.path, first, drops > 1 ? " and the others" : "");
    ag_arena_release(&a);
    return rc;
}

/* ag_diff_opts.normalize: the dialect's, on the project's connection. */
static int normalize_exprs(void *arg, ag_exprs *x, ag_error *err)
{
    ag_project *p = arg;
    return p->dialect->normalize_exprs(p->db, x, err);
}

const char *ag_project_default_schema(ag_project *p)
{
    return p->dialect->caps & AG_CAP_SCHEMAS ? (p->cfg.schema ? p->cfg.schema : "public") : "main";
}

int ag_project_diff_schemas(ag_project *p,
                            const ag_schema *current,
                            const ag_schema *target,
                            ag_oplist **ops,
                            ag_error *err)
{
    ag_diff_opts o = {
        .default_schema = ag_project_default_schema(p),
        .caps = p->dialect->caps,
        .type_reduce = p->dialect->type_reduce,
        .collation_same = p->dialect->collation_same,
        .include_tables = p->cfg.include_tables.v,
        .ninclude = p->cfg.include_tables.n,
        .exclude_tables = p->cfg.exclude_tables.v,
        .nexclude = p->cfg.exclude_tables.n,
        .normalize = p->dialect->normalize_exprs && p->db ? normalize_exprs : NULL,
        .normalize_arg = p,
    };
    return ag_diff(ops, current, target, &o, err);
}

/* Models loading on a thread of their own while the caller does something
 * else: the database's answers, or first the version table. */
typedef struct model_load {
    model_job job;
    pthread_t th;
    bool threaded;
    bool early; /* no model file says "schema": the default schema is all that is read */
} model_load;

static int models_begin(ag_project *p, model_load *ml, ag_error *err)
{
    int rc = prepare_models(p, &ml->job, err);
    if (rc != AG_OK)
        return rc;
    /* What is read depends on the schemas the models name, known once they
     * are loaded. Model files that never say "schema" name none: then the
     * default schema is introspected while they load; else the connection is
     * made meanwhile and the introspection follows the load. */
    ml->early = !files_mention(&ml->job.files, "schema");
    ml->threaded = pthread_create(&ml->th, NULL, load_models, &ml->job) == 0;
    if (!ml->threaded)
        load_models(&ml->job);
    return AG_OK;
}

/* A load whose result is not wanted after all: nothing of it is kept, and
 * its problems are not reported. */
static void models_discard(ag_project *p, model_load *ml)
{
    if (ml->threaded)
        pthread_join(ml->th, NULL);
    ag_schema_free(ml->job.out);
    ag_diags_release(&p->diags);
    memset(&p->diags, 0, sizeof(p->diags));
}

/* The diff of the database against the models that ml loads. */
static int autodiff_loading(
    ag_project *p, model_load *ml, ag_oplist **ops, ag_schema **current_out, ag_error *err)
{
    *ops = NULL;
    ag_schema *target = NULL, *current = NULL;
    model_job *job = &ml->job;
    ag_arena a = AG_ARENA_INIT;
    ag_strs managed = { 0 };
    ag_error db_err = { 0 };
    int db_rc = AG_OK;
    if (ml->threaded || job->rc == AG_OK)
        db_rc = ml->early ? introspect(p, &managed, false, &current, &db_err)
                          : ag_project_connect(p, &db_err);
    if (ml->threaded)
        pthread_join(ml->th, NULL);
    target = job->out;
    if (job->rc == AG_OK && db_rc == AG_OK) {
        model_schemas(&a, target, &managed);
        if (!ml->early || managed.n) {
            ag_schema_free(current);
            current = NULL;
            db_rc = introspect(p, &managed, false, &current, &db_err);
        }
    }
    /* A model error is reported first, as if the models had been read first. */
    int rc = job->rc != AG_OK ? job->rc : db_rc;
    if (err && rc != AG_OK)
        *err = job->rc != AG_OK ? job->err : db_err;
    if (rc == AG_OK)
        rc = ag_project_diff_schemas(p, current, target, ops, err);
    if (rc == AG_OK && !p->allow_empty_models && target->ntables == 0)
        rc = refuse_empty_models(p, *ops, err);
    if (rc != AG_OK && *ops) {
        ag_oplist_free(*ops);
        *ops = NULL;
    }
    ag_arena_release(&a);
    ag_schema_free(target);
    if (current_out && rc == AG_OK)
        *current_out = current;
    else
        ag_schema_free(current);
    return rc;
}

int ag_project_autodiff(ag_project *p, ag_oplist **ops, ag_schema **current_out, ag_error *err)
{
    /* The models and the database are independent: parse the one while the
     * server answers for the other. */
    *ops = NULL;
    model_load ml;
    int rc = models_begin(p, &ml, err);
    return rc == AG_OK ? autodiff_loading(p, &ml, ops, current_out, err) : rc;
}

/* The error for a command that needs one head when there are several. */
static int several_heads(const ag_graph *g, ag_error *err)
{
    char heads[1024];
    ag_graph_join_ids(heads, sizeof(heads), g->heads, g->nheads, "");
    return ag_error_set(err, AG_EMULTIHEAD,
                        "the migrations have %zu heads (%s); merge them first with 'autogen "
                        "merge heads -m \"merge\"', or pick one with --head",
                        g->nheads, heads);
}

int ag_project_require_head(ag_project *p, const char *head_opt, ag_rev **head, ag_error *err)
{
    ag_runner r;
    *head = NULL;
    int rc = ag_project_runner(p, &r, err);
    if (rc != AG_OK)
        return rc;
    ag_graph *g = r.graph;
    if (head_opt && strcmp(head_opt, "base") != 0 && strcmp(head_opt, "head") != 0) {
        rc = ag_graph_resolve(head, g, head_opt, err);
        if (rc != AG_OK)
            return rc;
        if ((*head)->nchildren)
            return ag_error_set(err, AG_EINVALID,
                                "--head %s is not a head; 'autogen heads' lists the heads",
                                head_opt);
    } else if (g->nheads > 1) {
        return several_heads(g, err);
    } else if (g->nheads == 1) {
        *head = g->heads[0];
    }
    ag_rev **rows = NULL;
    size_t nrows = 0;
    rc = ag_runner_current(&r, &rows, &nrows, err);
    if (rc == AG_OK) {
        bool at_head = *head ? false : nrows == 0;
        for (size_t i = 0; i < nrows && *head; i++)
            at_head = at_head || rows[i] == *head;
        if (!at_head) {
            char cur[1024];
            ag_graph_join_ids(cur, sizeof(cur), rows, nrows, "<base>");
            rc = ag_error_set(err, AG_ECONFLICT,
                              "the database is not at the head: it is at %s, the head is %s; run "
                              "'autogen upgrade head' first, so the new migration starts where "
                              "the last one ends",
                              cur, *head ? (*head)->rf.revision : "<base>");
        }
    }
    free(rows);
    return rc;
}

void ag_new_rev_id(char out[13])
{
    unsigned char bytes[6] = { 0 };
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, bytes, sizeof(bytes)) == (ssize_t)sizeof(bytes);
    if (fd >= 0)
        close(fd);
    if (!ok) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
        memcpy(bytes, &v, sizeof(bytes));
    }
    for (size_t i = 0; i < sizeof(bytes); i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static const char *slugify(ag_arena *a, const char *msg)
{
    char *s = ag_arena_alloc(a, 41);
    size_t n = 0;
    bool sep = false;
    for (const char *c = msg; *c && n < 40; c++) {
        if (isalnum((unsigned char)*c)) {
            if (sep && n)
                s[n++] = '_';
            if (n < 40)
                s[n++] = (char)tolower((unsigned char)*c);
            sep = false;
        } else {
            sep = true;
        }
    }
    s[n] = '\0';
    return n ? s : "revision";
}

/* file_template with {rev} and {slug}. */
static const char *file_name(ag_arena *a, const char *tmpl, const char *rev, const char *slug)
{
    ag_buf b = AG_BUF_INIT;
    for (const char *c = tmpl; *c;) {
        if (strncmp(c, "{rev}", 5) == 0) {
            ag_buf_puts(&b, rev);
            c += 5;
        } else if (strncmp(c, "{slug}", 6) == 0) {
            ag_buf_puts(&b, slug);
            c += 6;
        } else {
            ag_buf_putc(&b, *c++);
        }
    }
    ag_buf_puts(&b, ".c");
    const char *r = ag_arena_strdup(a, ag_buf_cstr(&b));
    ag_buf_dispose(&b);
    return r;
}

/* One revision file to render and write. */
typedef struct revision_file {
    const char *tmpl, *tmpl_path; /* the template's text and where it was read */
    const char *dir;              /* the folder written into */
    const char *file_template;    /* {rev}_{slug} */
    const char *create_date;
    const char *message;
    const char *revision;
    const char *const *down_revisions, *const *branch_labels, *const *depends_on;
    const char *outside_transaction; /* why it declares transactional = 0, or NULL */
    const ag_oplist *up;             /* the upgrade; the downgrade is its inverse */
} revision_file;

/* Render f and write it whole; *path_out (malloc'd) names it. */
static int write_revision_file(const revision_file *f, char **path_out, ag_error *err)
{
    ag_arena a = AG_ARENA_INIT;
    ag_buf ups = AG_BUF_INIT, downs = AG_BUF_INIT, file = AG_BUF_INIT;
    ag_oplist *down = ag_oplist_new();
    ag_oplist_invert(down, f->up);
    for (size_t i = 0; i < down->n; i++)
        ag_op_classify(&down->arena, down->ops[i]);
    ag_emit_ops_c(&ups, f->up);
    ag_emit_ops_c(&downs, down);
    ag_template_vars vars = {
        .message = f->message,
        .revision = f->revision,
        .down_revisions = f->down_revisions,
        .branch_labels = f->branch_labels,
        .depends_on = f->depends_on,
        .create_date = f->create_date,
        .upgrades = ag_buf_cstr(&ups),
        .downgrades = ag_buf_cstr(&downs),
        .outside_transaction = f->outside_transaction,
    };
    int rc = ag_template_render(&file, f->tmpl, f->tmpl_path, &vars, err);
    const char *path = NULL;
    if (rc == AG_OK) {
        path = ag_path_join(&a, f->dir,
                            file_name(&a, f->file_template, f->revision, slugify(&a, f->message)));
        if (access(path, F_OK) == 0)
            rc = ag_error_set(err, AG_EINVALID, "'%s' already exists; nothing was written", path);
    }
    if (rc == AG_OK)
        rc = ag_write_file_atomic(path, file.ptr, file.len, err);
    if (rc == AG_OK)
        *path_out = ag_xstrdup(path);
    ag_oplist_free(down);
    ag_buf_dispose(&ups);
    ag_buf_dispose(&downs);
    ag_buf_dispose(&file);
    ag_arena_release(&a);
    return rc;
}

static void add_parent(ag_rev **parents, size_t *n, ag_rev *r)
{
    for (size_t i = 0; i < *n; i++)
        if (parents[i] == r)
            return;
    parents[(*n)++] = r;
}

int ag_project_write_revision(ag_project *p,
                              const ag_revision_opts *o,
                              ag_revision_result *res,
                              ag_error *err)
{
    memset(res, 0, sizeof(*res));
    if (o->rev_id && !ag_revision_id_valid(o->rev_id))
        return ag_error_set(err, AG_EUSAGE,
                            "invalid revision id '%s': use 1 to 32 letters, digits or '_'",
                            o->rev_id);
    ag_graph *g = NULL;
    int rc = ag_project_graph(p, &g, err);
    if (rc != AG_OK)
        return rc;
    ag_rev *dup = NULL;
    if (o->rev_id && ag_graph_find(&dup, g, o->rev_id, NULL) == AG_OK &&
        strcmp(dup->rf.revision, o->rev_id) == 0)
        return ag_error_set(err, AG_EINVALID, "revision id '%s' already exists in '%s'", o->rev_id,
                            dup->rf.path);

    ag_rev *head = NULL;
    ag_rev **parents = ag_xcalloc(g->n + 1, sizeof(*parents));
    const char **downrev = ag_xcalloc(g->n + 1, sizeof(*downrev));
    size_t nparents = 0;
    ag_oplist *up = NULL, *first = NULL;
    ag_arena a = AG_ARENA_INIT;
    char *tmpl = NULL;
    if (o->merge) {
        /* A merge joins heads; it changes nothing itself. */
        /* Each revision joins once, however often it is named ("heads" and
         * one of them, a prefix and the full id): parents holds at most every
         * revision of the graph. */
        for (size_t i = 0; rc == AG_OK && o->merge[i]; i++) {
            if (strcmp(o->merge[i], "heads") == 0) {
                for (size_t k = 0; k < g->nheads; k++)
                    add_parent(parents, &nparents, g->heads[k]);
                continue;
            }
            ag_rev *r = NULL;
            rc = ag_graph_resolve(&r, g, o->merge[i], err);
            if (rc == AG_OK)
                add_parent(parents, &nparents, r);
        }
        for (size_t i = 0; rc == AG_OK && i < nparents; i++)
            for (size_t k = 0; rc == AG_OK && k < nparents; k++)
                if (i != k && ag_graph_is_ancestor(g, parents[i], parents[k]))
                    rc = ag_error_set(err, AG_EINVALID,
                                      "'%s' is already part of '%s': there is nothing to merge",
                                      parents[i]->rf.revision, parents[k]->rf.revision);
        if (rc == AG_OK && nparents < 2)
            rc = ag_error_set(err, AG_EINVALID,
                              "a merge needs at least two heads to join; there %s %zu",
                              nparents == 1 ? "is" : "are", nparents);
        up = ag_oplist_new();
    } else if (o->empty || o->ops) {
        /* A hand-written migration needs no database: it goes on the head.
         * So does one whose operations the caller made (a baseline). */
        if (o->head) {
            rc = strcmp(o->head, "base") == 0 ? AG_OK : ag_graph_resolve(&head, g, o->head, err);
            if (rc == AG_OK && head && head->nchildren && !o->splice)
                rc = ag_error_set(err, AG_EINVALID,
                                  "--head %s is not a head; add --splice to start a branch "
                                  "there, or see 'autogen heads'",
                                  o->head);
        } else if (g->nheads > 1) {
            rc = several_heads(g, err);
        } else if (g->nheads == 1) {
            head = g->heads[0];
        }
        up = o->ops ? o->ops : ag_oplist_new();
    } else {
        /* The models load while the version table is read (on SQLite, the
         * first statement parses the whole schema: at 10,000 tables, a third
         * of a second). Errors come in the order they did one after the other. */
        model_load ml;
        ag_error model_err = { 0 };
        int mrc = models_begin(p, &ml, &model_err);
        rc = ag_project_require_head(p, o->head, &head, err);
        if (rc == AG_OK && mrc != AG_OK && err)
            *err = model_err;
        if (rc == AG_OK && mrc != AG_OK)
            rc = mrc;
        else if (rc == AG_OK)
            rc = autodiff_loading(p, &ml, &up, NULL, err);
        else if (mrc == AG_OK)
            models_discard(p, &ml);
        if (rc == AG_OK && up->n == 0) {
            /* No changes detected: nothing is written. */
            res->ops = up;
            up = NULL;
            goto done;
        }
    }
    if (rc != AG_OK)
        goto done;
    if (!o->merge && !o->empty && !o->ops && (p->dialect->caps & AG_CAP_ENUM_COMMIT))
        first = ag_diff_split_enum_values(up);

    char date[32];
    if (o->date) {
        snprintf(date, sizeof(date), "%s", o->date);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    }
    if (!o->merge && head)
        parents[nparents++] = head;
    for (size_t i = 0; i < nparents; i++)
        downrev[i] = parents[i]->rf.revision;
    const char *tmpl_path = ag_path_join(&a, p->cfg.script_location, "script.c.tmpl");
    tmpl = ag_read_file(tmpl_path, NULL, err);
    if (!tmpl) {
        ag_error_prefix(err, "the migration template ('autogen init' writes one)");
        rc = AG_EIO;
        goto done;
    }
    const char *dir = o->version_path ? o->version_path : p->versions_dir;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (o->version_path && mkdir(dir, 0777) != 0 && errno != EEXIST) {
            rc = ag_error_set(err, AG_EIO, "cannot create '%s': %s", dir, strerror(errno));
            goto done;
        }
    }
    char rev[33], first_rev[13];
    if (o->rev_id)
        snprintf(rev, sizeof(rev), "%s", o->rev_id);
    else
        ag_new_rev_id(rev);
    const char *labels[2] = { o->branch_label, NULL };
    const char *deps[2] = { o->depends_on, NULL };
    const char *none[1] = { NULL };
    revision_file f = {
        .tmpl = tmpl,
        .tmpl_path = tmpl_path,
        .dir = dir,
        .file_template = p->cfg.file_template,
        .create_date = date,
        .message = o->message ? o->message : "",
        .revision = rev,
        .down_revisions = downrev,
        .branch_labels = labels,
        .depends_on = deps,
        .up = up,
    };
    if (first) {
        /* The enum values go first, in a revision of their own that carries
         * the branch label and dependencies; the rest follows it. */
        do
            ag_new_rev_id(first_rev);
        while (strcmp(first_rev, rev) == 0);
        revision_file f1 = f;
        f1.revision = first_rev;
        f1.message = ag_arena_printf(&a, "%s (new enum values)", f.message);
        f1.up = first;
        f1.outside_transaction = "PostgreSQL cannot use an enum value in the transaction "
                                 "that adds it: this revision commits the values before the "
                                 "next one uses them.";
        rc = write_revision_file(&f1, &res->outside_path, err);
        const char **after_first = ag_arena_alloc(&a, 2 * sizeof(*after_first));
        after_first[0] = first_rev;
        f.down_revisions = after_first;
        f.branch_labels = none;
        f.depends_on = none;
    }
    if (rc == AG_OK)
        rc = write_revision_file(&f, &res->path, err);
    if (rc != AG_OK && res->outside_path) {
        unlink(res->outside_path); /* both files or neither */
        free(res->outside_path);
        res->outside_path = NULL;
    }
done:
    free(parents);
    free(downrev);
    free(tmpl);
    ag_arena_release(&a);
    if (o->ops && up == o->ops)
        up = NULL; /* the caller's */
    /* The caller gets the op lists the files were written from. */
    if (rc == AG_OK && res->path) {
        res->ops = up;
        res->outside_ops = first;
        up = first = NULL;
    }
    ag_oplist_free(up);
    ag_oplist_free(first);
    if (rc != AG_OK)
        ag_revision_result_release(res);
    return rc;
}

void ag_revision_result_release(ag_revision_result *res)
{
    free(res->path);
    free(res->outside_path);
    ag_oplist_free(res->ops);
    ag_oplist_free(res->outside_ops);
    memset(res, 0, sizeof(*res));
}

/* --- scaffolding ------------------------------------------------------------------ */

static int make_dir(const char *path, ag_error *err)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return AG_OK;
    return ag_error_set(err, AG_EIO, "cannot create '%s': %s", path, strerror(errno));
}

/* A YAML scalar: as it is when plain YAML reads it back as the same string,
 * else double-quoted (punctuation YAML gives a meaning, a number, a boolean). */
static void yaml_scalar(ag_buf *b, const char *s)
{
    static const char *const words[] = { "null", "true", "false", "yes", "no", "on", "off", "~" };
    bool plain = *s && !strpbrk(s, "\"'#{}[],&*!|>%@`\\\n\t") && !strstr(s, ": ") && s[0] != ' ' &&
                 s[0] != '-' && s[0] != '?' && s[0] != ':' && s[strlen(s) - 1] != ' ' &&
                 s[strlen(s) - 1] != ':' && !isdigit((unsigned char)s[0]) && s[0] != '.';
    for (size_t i = 0; plain && i < AG_NELEM(words); i++)
        plain = strcasecmp(s, words[i]) != 0;
    if (plain) {
        ag_buf_puts(b, s);
        return;
    }
    ag_buf_putc(b, '"');
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\')
            ag_buf_putc(b, '\\');
        if (*c == '\n')
            ag_buf_puts(b, "\\n");
        else if (*c == '\t')
            ag_buf_puts(b, "\\t");
        else
            ag_buf_putc(b, *c);
    }
    ag_buf_putc(b, '"');
}

int ag_project_scaffold(const char *dir,
                        const char *config_path,
                        const char *script_location,
                        const char *url,
                        const char *tmpl,
                        ag_error *err)
{
    if (!script_location[0] || strchr(script_location, '\n') || strchr(script_location, '"'))
        return ag_error_set(err, AG_EUSAGE, "'%s' is not a usable folder name", script_location);
    ag_arena a = AG_ARENA_INIT;
    const char *config = ag_path_join(&a, dir, config_path);
    const char *env = ag_path_join(&a, dir, script_location);
    int rc = AG_OK;
    if (access(config, F_OK) == 0)
        rc = ag_error_set(err, AG_EINVALID,
                          "'%s' already exists; nothing was changed (edit it, or run init in "
                          "another folder)",
                          config);
    if (rc == AG_OK && strcmp(dir, ".") != 0)
        rc = make_dir(dir, err);
    if (rc == AG_OK)
        rc = make_dir(ag_path_join(&a, dir, "models"), err);
    if (rc == AG_OK)
        rc = make_dir(env, err);
    if (rc == AG_OK)
        rc = make_dir(ag_path_join(&a, env, "versions"), err);
    const char *tmpl_path = ag_path_join(&a, env, "script.c.tmpl");
    if (rc == AG_OK && (tmpl || access(tmpl_path, F_OK) != 0)) {
        const char *text = tmpl ? tmpl : ag_default_template;
        rc = ag_write_file_atomic(tmpl_path, text, strlen(text), err);
    }
    ag_buf yaml = AG_BUF_INIT;
    ag_buf_puts(&yaml, "# autogen configuration: see the README for every setting.\n"
                       "models: models                # a folder of *.yaml model files\n"
                       "script_location: ");
    yaml_scalar(&yaml, script_location);
    ag_buf_puts(&yaml, "   # the migration environment\n"
                       "url: ");
    size_t col = yaml.len;
    yaml_scalar(&yaml, url ? url : "sqlite:///app.db");
    /* The comments in one column, as init always wrote them. */
    size_t width = yaml.len - col + strlen("url: ");
    for (size_t n = width < 30 ? 30 - width : 1; n > 0; n--)
        ag_buf_putc(&yaml, ' ');
    ag_buf_puts(&yaml, "# AUTOGEN_URL, then --url, override it\n"
                       "version_table: autogen_version\n");
    if (rc == AG_OK)
        rc = ag_write_file_atomic(config, yaml.ptr, yaml.len, err);
    ag_buf_dispose(&yaml);
    ag_arena_release(&a);
    return rc;
}
