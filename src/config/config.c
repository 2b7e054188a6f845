/* config.c - reading autogen.yaml with libyaml's document API.
 *
 * The file is small and flat, so the document API is enough: load the tree,
 * walk the root mapping, and report the first problem with its location.
 * Unknown keys are errors with a did-you-mean, as in model files.
 */
#include "config.h"
#include "../util/common.h"

#include "../util/error.h"
#include "../util/fs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static const char *const known_keys[] = {
    "models",         "script_location", "url",
    "version_table",  "schema",          "include_tables",
    "exclude_tables", "file_template",   "naming_convention",
    "lock_timeout",   "environment",     "lint",
    "run_log_table",
};

const char *ag_path_join(ag_arena *a, const char *dir, const char *rel)
{
    if (!rel)
        return NULL;
    if (rel[0] == '/' || !dir || strcmp(dir, ".") == 0 || dir[0] == '\0')
        return ag_arena_strdup(a, rel);
    size_t n = strlen(dir);
    return ag_arena_printf(a, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", rel);
}

int ag_config_find(char **out, const char *start_dir, ag_error *err)
{
    *out = NULL;
    char *dir = realpath(start_dir ? start_dir : ".", NULL);
    if (!dir)
        return ag_error_set(err, AG_EIO, "cannot resolve '%s': %s", start_dir ? start_dir : ".",
                            strerror(errno));
    bool first = true;
    for (;;) {
        size_t n = strlen(dir);
        char *cand = ag_xmalloc(n + sizeof("/autogen.yaml"));
        memcpy(cand, dir, n);
        memcpy(cand + n, n == 1 ? "autogen.yaml" : "/autogen.yaml",
               n == 1 ? sizeof("autogen.yaml") : sizeof("/autogen.yaml"));
        if (access(cand, F_OK) == 0) {
            /* Found in the starting folder: print it relative, as users wrote it. */
            if (first && !start_dir) {
                free(cand);
                cand = ag_xstrdup("autogen.yaml");
            }
            free(dir);
            *out = cand;
            return AG_OK;
        }
        free(cand);
        first = false;
        char *slash = strrchr(dir, '/');
        if (!slash || n == 1)
            break;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    free(dir);
    return ag_error_set(err, AG_ENOTFOUND,
                        "no autogen.yaml in this folder or any parent; run 'autogen init' to "
                        "create one, or name it with -c FILE");
}

typedef struct loader {
    ag_config *c;
    yaml_document_t *doc;
    ag_error *err;
} loader;

static int fail_at(loader *l, const yaml_node_t *n, const char *fmt, const char *a1, const char *a2)
    AG_PRINTF(3, 0);
static int fail_at(loader *l, const yaml_node_t *n, const char *fmt, const char *a1, const char *a2)
{
    char msg[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(msg, sizeof(msg), fmt, a1, a2 ? a2 : "");
#pragma GCC diagnostic pop
    return ag_error_set_at(l->err, AG_EINVALID, l->c->path, (unsigned)n->start_mark.line + 1,
                           (unsigned)n->start_mark.column + 1, "%s", msg);
}

static const char *scalar(loader *l, const yaml_node_t *n, const char *key, int *rc)
{
    if (n->type != YAML_SCALAR_NODE) {
        *rc = fail_at(l, n, "'%s' must be a string", key, NULL);
        return NULL;
    }
    return ag_arena_strndup(&l->c->arena, (const char *)n->data.scalar.value,
                            n->data.scalar.length);
}

/* A string or a list of strings. */
static int str_list(loader *l, const yaml_node_t *n, const char *key, ag_strs *out, bool join)
{
    int rc = AG_OK;
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = scalar(l, n, key, &rc);
        if (s && s[0])
            ag_strs_push_arena(&l->c->arena, out,
                               join ? ag_path_join(&l->c->arena, l->c->dir, s) : s);
        return rc;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(l, n, "'%s' must be a string or a list of strings", key, NULL);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        const yaml_node_t *item = yaml_document_get_node(l->doc, *it);
        if (!item || item->type != YAML_SCALAR_NODE)
            return fail_at(l, item ? item : n, "'%s' must be a list of strings", key, NULL);
        const char *s = scalar(l, item, key, &rc);
        ag_strs_push_arena(&l->c->arena, out, join ? ag_path_join(&l->c->arena, l->c->dir, s) : s);
    }
    return AG_OK;
}

static int naming(loader *l, const yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(l, n, "'naming_convention' must be a mapping of ix, uq, fk, pk, ck", NULL,
                       NULL);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
        int rc = AG_OK;
        const char *key = scalar(l, k, "naming_convention", &rc);
        if (!key)
            return rc;
        const char *val = scalar(l, v, key, &rc);
        if (!val)
            return rc;
        if (strcmp(key, "ix") == 0)
            l->c->naming.ix = val;
        else if (strcmp(key, "uq") == 0)
            l->c->naming.uq = val;
        else if (strcmp(key, "fk") == 0)
            l->c->naming.fk = val;
        else if (strcmp(key, "pk") == 0)
            l->c->naming.pk = val;
        else if (strcmp(key, "ck") == 0)
            l->c->naming.ck = val;
        else
            return fail_at(l, k,
                           "unknown naming_convention key '%s'; expected ix, uq, fk, pk or ck", key,
                           NULL);
    }
    return AG_OK;
}

/* lock_timeout: seconds (2, 0.5), or a number with one of PostgreSQL's units
 * (500ms, 5s, 1min); 0 is off. Kept in the server's form, seconds as ms. */
static int lock_timeout(loader *l, const yaml_node_t *v)
{
    int rc = AG_OK;
    const char *s = scalar(l, v, "lock_timeout", &rc);
    if (!s)
        return rc;
    static const char *const units[] = { "us", "ms", "s", "min", "h", "d" };
    char *end = NULL;
    errno = 0;
    double n = strtod(s, &end);
    bool ok = end != s && errno == 0 && n >= 0 && n < 1e9 && isdigit((unsigned char)s[0]);
    while (ok && *end == ' ')
        end++;
    bool unit = false;
    for (size_t i = 0; ok && *end && i < AG_NELEM(units); i++)
        unit = unit || strcmp(end, units[i]) == 0;
    if (!ok || (*end && !unit))
        return fail_at(l, v,
                       "lock_timeout must be seconds (2, 0.5) or a number with a unit (500ms, 5s, "
                       "1min, us, h, d); got '%s'",
                       s, NULL);
    if (n == 0)
        l->c->lock_timeout = NULL;
    else if (!*end)
        l->c->lock_timeout = ag_arena_printf(&l->c->arena, "%.0fms", n * 1000 < 1 ? 1 : n * 1000);
    else
        l->c->lock_timeout = ag_arena_printf(&l->c->arena, "%g%s", n, end);
    return AG_OK;
}

/* lint: a mapping of rule id to off, info, warning or error (docs/lint.md). */
static int lint_levels(loader *l, const yaml_node_t *n)
{
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
        return AG_OK; /* `lint:` with nothing under it */
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(l, n, "'lint' must be a mapping of rule ids to off, info, warning or error",
                       NULL, NULL);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
        int rc = AG_OK;
        const char *rule = scalar(l, k, "lint", &rc);
        if (!rule)
            return rc;
        if (!ag_lint_rule_find(rule)) {
            const char *best = ag_lint_rule_suggest(rule);
            if (best)
                return fail_at(l, k, "unknown lint rule '%s'; did you mean '%s'? (docs/lint.md)",
                               rule, best);
            return fail_at(l, k, "unknown lint rule '%s'; the rules are listed in docs/lint.md",
                           rule, NULL);
        }
        const char *level = scalar(l, v, rule, &rc);
        if (!level)
            return rc;
        ag_lint_severity sev;
        if (!ag_lint_severity_parse(level, &sev))
            return fail_at(l, v,
                           "lint rule '%s': unknown level '%s'; use off, info, warning or error",
                           rule, level);
        l->c->lint = ag_arena_grow(&l->c->arena, l->c->lint, sizeof(*l->c->lint), &l->c->lint_cap,
                                   l->c->nlint + 1);
        l->c->lint[l->c->nlint++] = (ag_lint_level){ .rule = ag_lint_rule_find(rule)->id,
                                                     .severity = sev,
                                                     .line = (unsigned)k->start_mark.line + 1 };
    }
    return AG_OK;
}

static int load_root(loader *l, const yaml_node_t *root)
{
    ag_config *c = l->c;
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(l, root, "autogen.yaml must be a mapping of settings", NULL, NULL);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
        int rc = AG_OK;
        const char *key = scalar(l, k, "key", &rc);
        if (!key)
            return rc;
        if (strcmp(key, "models") == 0) {
            rc = str_list(l, v, key, &c->models, true);
        } else if (strcmp(key, "include_tables") == 0) {
            rc = str_list(l, v, key, &c->include_tables, false);
        } else if (strcmp(key, "exclude_tables") == 0) {
            rc = str_list(l, v, key, &c->exclude_tables, false);
        } else if (strcmp(key, "naming_convention") == 0) {
            rc = naming(l, v);
        } else if (strcmp(key, "lock_timeout") == 0) {
            rc = lock_timeout(l, v);
        } else if (strcmp(key, "lint") == 0) {
            rc = lint_levels(l, v);
        } else {
            const char **slot = NULL;
            if (strcmp(key, "script_location") == 0)
                slot = &c->script_location;
            else if (strcmp(key, "url") == 0)
                slot = &c->url;
            else if (strcmp(key, "version_table") == 0)
                slot = &c->version_table;
            else if (strcmp(key, "run_log_table") == 0)
                slot = &c->run_log_table;
            else if (strcmp(key, "schema") == 0)
                slot = &c->schema;
            else if (strcmp(key, "file_template") == 0)
                slot = &c->file_template;
            else if (strcmp(key, "environment") == 0)
                slot = &c->environment;
            if (!slot) {
                const char *best = NULL;
                size_t bd = 3;
                for (size_t i = 0; i < AG_NELEM(known_keys); i++) {
                    size_t d = ag_levenshtein(key, known_keys[i]);
                    if (d < bd) {
                        bd = d;
                        best = known_keys[i];
                    }
                }
                if (best)
                    return fail_at(l, k, "unknown setting '%s'; did you mean '%s'?", key, best);
                return fail_at(l, k, "unknown setting '%s'", key, NULL);
            }
            const char *s = scalar(l, v, key, &rc);
            if (!s)
                return rc;
            if (slot == &c->environment && !s[0])
                return fail_at(l, v,
                               "'environment' must be a non-empty string (development, "
                               "production, ...)",
                               NULL, NULL);
            *slot = s;
            if (slot == &c->schema) {
                c->schema_line = (unsigned)v->start_mark.line + 1;
                c->schema_col = (unsigned)v->start_mark.column + 1;
            }
        }
        if (rc != AG_OK)
            return rc;
    }
    return AG_OK;
}

/* Read the configuration from text, which came from path. */
static int load(ag_config *c, const char *path, const char *text, size_t len, ag_error *err)
{
    memset(c, 0, sizeof(*c));
    c->path = ag_arena_strdup(&c->arena, path);
    const char *slash = strrchr(path, '/');
    c->dir =
        slash ? ag_arena_strndup(&c->arena, path, slash == path ? 1 : (size_t)(slash - path)) : ".";

    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = AG_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = ag_error_set_at(err, AG_EINVALID, path, (unsigned)parser.problem_mark.line + 1,
                             (unsigned)parser.problem_mark.column + 1, "invalid YAML: %s",
                             parser.problem ? parser.problem : "cannot parse");
        yaml_parser_delete(&parser);
        return rc;
    }
    loader l = { c, &doc, err };
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root)
        rc = load_root(&l, root);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc != AG_OK)
        return rc;

    if (c->models.n == 0)
        ag_strs_push_arena(&c->arena, &c->models, ag_path_join(&c->arena, c->dir, "models"));
    c->script_location =
        ag_path_join(&c->arena, c->dir, c->script_location ? c->script_location : "alembic_like");
    if (!c->version_table)
        c->version_table = "autogen_version";
    if (!c->run_log_table)
        c->run_log_table = "autogen_run_log";
    if (strcmp(c->run_log_table, c->version_table) == 0)
        return ag_error_set(err, AG_EINVALID,
                            "%s: run_log_table and version_table both name '%s': the run log "
                            "needs a table of its own",
                            path, c->version_table);
    if (!c->file_template)
        c->file_template = "{rev}_{slug}";
    /* AUTOGEN_ENV, over it, is the project's to read (ag_project_load). */
    if (!c->environment)
        c->environment = "development";
    const ag_naming *d = &ag_naming_default;
    c->naming.ix = c->naming.ix ? c->naming.ix : d->ix;
    c->naming.uq = c->naming.uq ? c->naming.uq : d->uq;
    c->naming.fk = c->naming.fk ? c->naming.fk : d->fk;
    c->naming.pk = c->naming.pk ? c->naming.pk : d->pk;
    c->naming.ck = c->naming.ck ? c->naming.ck : d->ck;
    return AG_OK;
}

int ag_config_load(ag_config *c, const char *path, ag_error *err)
{
    /* Read whole, like every other file: a failed read is an error, never a
     * shorter configuration. */
    size_t len = 0;
    char *text = ag_read_file(path, &len, err);
    if (!text) {
        memset(c, 0, sizeof(*c));
        return AG_EIO;
    }
    int rc = load(c, path, text, len, err);
    free(text);
    return rc;
}

int ag_config_load_text(ag_config *c, const char *path, const char *text, size_t len, ag_error *err)
{
    return load(c, path, text, len, err);
}

bool ag_config_production(const ag_config *c)
{
    return c->environment && strcmp(c->environment, "production") == 0;
}

void ag_config_release(ag_config *c)
{
    if (c)
        ag_arena_release(&c->arena);
}
