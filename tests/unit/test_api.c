/* test_api.c - the public library API (include/autogen/autogen.h, docs/api.md)
 * on real projects in a temp folder with real SQLite databases: every
 * function, what it promises about the caller's buffers, versioned options,
 * events, and that it prints nothing by default. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <autogen/autogen.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int exists(const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return access(path, F_OK) == 0;
}

/* A base revision of its own: two of them are two heads. */
static void write_base_rev(const char *rev)
{
    char rel[128], text[512];
    snprintf(rel, sizeof(rel), "versions/%s_m.c", rev);
    snprintf(text, sizeof(text),
             "#include <autogen/migration.h>\n"
             "const char *const revision = \"%s\";\n"
             "const char *const down_revision[] = { NULL };\n"
             "const char *const branch_labels[] = { NULL };\n"
             "const char *const depends_on[] = { NULL };\n"
             "void upgrade(ag_op *op) { (void)op; }\n"
             "void downgrade(ag_op *op) { (void)op; }\n",
             rev);
    write_file(rel, text);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s/ag-api-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    return 0;
}

/* A bare project: autogen.yaml, models/, versions/ (the environment is "."). */
static int setup_bare(void **state)
{
    if (setup(state) != 0)
        return -1;
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/versions", dir);
    mkdir(sub, 0777);
    snprintf(sub, sizeof(sub), "%s/models", dir);
    mkdir(sub, 0777);
    write_file("autogen.yaml", "models: models\nscript_location: .\nurl: sqlite:///app.db\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static ag_project *open_bare(unsigned flags)
{
    char config[300];
    snprintf(config, sizeof(config), "%s/autogen.yaml", dir);
    ag_project_options opts = AG_PROJECT_OPTIONS_INIT;
    opts.config_path = config;
    opts.flags = flags;
    ag_project *p = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_project_open(&p, &opts, &err), AG_OK);
    return p;
}

/* --- versions ----------------------------------------------------------------------- */

static void test_api__version(void **state)
{
    (void)state;
    int major = -1, minor = -1, patch = -1;
    assert_string_equal(ag_version(&major, &minor, &patch), AG_VERSION);
    assert_int_equal(major, AG_VERSION_MAJOR);
    assert_int_equal(minor, AG_VERSION_MINOR);
    assert_int_equal(patch, AG_VERSION_PATCH);
    char text[32];
    snprintf(text, sizeof(text), "%d.%d.%d", major, minor, patch);
    assert_string_equal(text, AG_VERSION);
    assert_string_equal(ag_version(NULL, NULL, NULL), "0.2.0");
}

/* Each options struct: its _init() fills the _INIT defaults for a known
 * version and refuses 0 and versions from the future. */
static void test_api__options_init(void **state)
{
    (void)state;
    ag_project_options po;
    memset(&po, 0x5a, sizeof(po));
    assert_int_equal(ag_project_options_init(&po, AG_PROJECT_OPTIONS_VERSION), AG_OK);
    assert_int_equal(po.version, AG_PROJECT_OPTIONS_VERSION);
    assert_null(po.config_path);
    assert_null(po.on_event);
    assert_int_equal(po.flags, 0);
    assert_int_equal(ag_project_options_init(&po, 0), AG_EUSAGE);
    assert_int_equal(ag_project_options_init(&po, AG_PROJECT_OPTIONS_VERSION + 1), AG_EUSAGE);
    assert_int_equal(ag_project_options_init(NULL, 1), AG_EUSAGE);

    ag_init_options io;
    assert_int_equal(ag_init_options_init(&io, AG_INIT_OPTIONS_VERSION), AG_OK);
    assert_int_equal(io.open.version, AG_PROJECT_OPTIONS_VERSION);
    assert_int_equal(ag_init_options_init(&io, 0), AG_EUSAGE);
    ag_revision_options ro;
    assert_int_equal(ag_revision_options_init(&ro, AG_REVISION_OPTIONS_VERSION), AG_OK);
    assert_null(ro.message);
    assert_int_equal(ag_revision_options_init(&ro, 7), AG_EUSAGE);
    ag_merge_options mo;
    assert_int_equal(ag_merge_options_init(&mo, AG_MERGE_OPTIONS_VERSION), AG_OK);
    assert_int_equal(ag_merge_options_init(&mo, 0), AG_EUSAGE);
    ag_history_options ho;
    assert_int_equal(ag_history_options_init(&ho, AG_HISTORY_OPTIONS_VERSION), AG_OK);
    assert_int_equal(ho.current, 0);
    assert_int_equal(ag_history_options_init(&ho, 0), AG_EUSAGE);
    ag_stamp_options so;
    assert_int_equal(ag_stamp_options_init(&so, AG_STAMP_OPTIONS_VERSION), AG_OK);
    assert_int_equal(so.purge, 0);
    assert_int_equal(ag_stamp_options_init(&so, 0), AG_EUSAGE);
}

/* A struct that was not initialized (version 0) or comes from a newer header
 * is refused, and the message says how to initialize it. */
static void test_api__unversioned_options_refused(void **state)
{
    (void)state;
    char config[300];
    snprintf(config, sizeof(config), "%s/autogen.yaml", dir);
    ag_project_options zero;
    memset(&zero, 0, sizeof(zero));
    zero.config_path = config;
    ag_project *p = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_project_open(&p, &zero, &err), AG_EUSAGE);
    assert_null(p);
    assert_int_equal(err.code, AG_EUSAGE);
    assert_non_null(strstr(err.msg, "AG_PROJECT_OPTIONS_INIT"));
    zero.version = AG_PROJECT_OPTIONS_VERSION + 1;
    assert_int_equal(ag_project_open(&p, &zero, &err), AG_EUSAGE);

    p = open_bare(0);
    ag_revision_options ro;
    memset(&ro, 0, sizeof(ro));
    ro.message = "x";
    ag_strarray paths = { NULL, 0 };
    assert_int_equal(ag_project_revision(&paths, p, &ro, &err), AG_EUSAGE);
    assert_non_null(strstr(err.msg, "AG_REVISION_OPTIONS_INIT"));
    assert_int_equal(paths.count, 0);
    ag_stamp_options so;
    memset(&so, 0, sizeof(so));
    const char *base[] = { "base" };
    assert_int_equal(ag_project_stamp(p, base, 1, &so, &err), AG_EUSAGE);
    assert_non_null(strstr(err.msg, "AG_STAMP_OPTIONS_INIT"));
    ag_history_options ho;
    memset(&ho, 0, sizeof(ho));
    ag_history *h = NULL;
    assert_int_equal(ag_project_history(&h, p, &ho, &err), AG_EUSAGE);
    assert_null(h);
    /* Required arguments. */
    ag_revision_options no_message = AG_REVISION_OPTIONS_INIT;
    assert_int_equal(ag_project_revision(&paths, p, &no_message, &err), AG_EUSAGE);
    assert_int_equal(ag_project_revision(&paths, p, NULL, &err), AG_EUSAGE);
    assert_int_equal(ag_project_open(NULL, NULL, &err), AG_EUSAGE);
    assert_int_equal(ag_project_upgrade_sql(p, "head", NULL, NULL, &err), AG_EUSAGE);
    ag_project_free(p);
}

/* --- a whole workflow --------------------------------------------------------------- */

typedef struct seen {
    ag_event v[32];
    char text[32][256];
    char revision[32][40];
    char message[32][64];
    size_t n;
} seen;

static void collect(const ag_event *e, void *payload)
{
    seen *s = payload;
    if (s->n == 32)
        return;
    s->v[s->n] = *e;
    snprintf(s->text[s->n], sizeof(s->text[0]), "%s", e->text);
    snprintf(s->revision[s->n], sizeof(s->revision[0]), "%s", e->revision ? e->revision : "");
    snprintf(s->message[s->n], sizeof(s->message[0]), "%s", e->message ? e->message : "");
    s->v[s->n].text = s->v[s->n].revision = s->v[s->n].message = NULL; /* only valid then */
    s->v[s->n].from = s->v[s->n].to = s->v[s->n].path = NULL;
    s->n++;
}

typedef struct sink {
    char buf[8192];
    size_t len;
    int calls;
} sink;

static int take_sql(const char *sql, size_t len, void *payload)
{
    sink *s = payload;
    assert_true(s->len + len < sizeof(s->buf));
    memcpy(s->buf + s->len, sql, len);
    s->len += len;
    s->buf[s->len] = '\0';
    s->calls++;
    return 0;
}

static int refuse_sql(const char *sql, size_t len, void *payload)
{
    (void)sql, (void)len, (void)payload;
    return 42;
}

static ag_project *init_project(seen *events)
{
    ag_init_options io = AG_INIT_OPTIONS_INIT;
    io.script_location = "migrations";
    io.open.flags = AG_OPT_NO_ENV;
    io.open.on_event = collect;
    io.open.payload = events;
    ag_project *p = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_project_init(&p, dir, &io, &err), AG_OK);
    assert_non_null(p);
    return p;
}

static void test_api__init(void **state)
{
    (void)state;
    seen events = { .n = 0 };
    ag_project *p = init_project(&events);
    assert_true(exists("autogen.yaml"));
    assert_true(exists("models"));
    assert_true(exists("migrations/script.c.tmpl"));
    assert_true(exists("migrations/versions"));
    ag_project_free(p);
    /* Never over an existing project. */
    ag_error err = { 0 };
    assert_int_equal(ag_project_init(NULL, dir, NULL, &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "already exists"));
    /* Into a new folder, scaffolded only, with a URL that needs quoting in YAML. */
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/other", dir);
    ag_init_options io = AG_INIT_OPTIONS_INIT;
    io.url = "sqlite:///data: 1.db";
    assert_int_equal(ag_project_init(NULL, sub, &io, &err), AG_OK);
    assert_true(exists("other/alembic_like/versions"));
    ag_project_options po = AG_PROJECT_OPTIONS_INIT;
    char config[400];
    snprintf(config, sizeof(config), "%s/autogen.yaml", sub);
    po.config_path = config;
    po.flags = AG_OPT_NO_ENV;
    assert_int_equal(ag_project_open(&p, &po, &err), AG_OK);
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    ag_project_free(p);
    assert_true(exists("other/data: 1.db"));
}

static const char *const USERS_MODEL = "tables:\n"
                                       "  users:\n"
                                       "    columns:\n"
                                       "      id: { type: integer, primary_key: true }\n"
                                       "      email: { type: string(100), nullable: false }\n";

static void test_api__workflow(void **state)
{
    (void)state;
    seen events = { .n = 0 };
    ag_project *p = init_project(&events);
    write_file("models/users.yaml", USERS_MODEL);
    ag_error err = { 0 };

    /* diff: the pending operations as data. */
    ag_changeset *cs = NULL;
    assert_int_equal(ag_project_diff(&cs, p, &err), AG_OK);
    assert_int_equal(ag_changeset_count(cs), 1);
    const ag_change *c = ag_changeset_get(cs, 0);
    assert_string_equal(c->kind, "create_table");
    assert_string_equal(c->table, "users");
    assert_null(c->column);
    assert_int_equal(c->destructive, 0);
    assert_non_null(strstr(c->sql, "CREATE TABLE"));
    assert_non_null(strstr(c->sql, ";\n"));
    assert_null(ag_changeset_get(cs, 1));
    assert_int_equal(ag_changeset_hints(cs)->count, 0);
    ag_changeset_free(cs);

    /* revision: autogenerated, the written path returned. */
    ag_revision_options ro = AG_REVISION_OPTIONS_INIT;
    ro.message = "add users";
    ro.rev_id = "aaa000000001";
    ag_strarray paths = { NULL, 0 };
    assert_int_equal(ag_project_revision(&paths, p, &ro, &err), AG_OK);
    assert_int_equal(paths.count, 1);
    assert_non_null(strstr(paths.strings[0], "migrations/versions/aaa000000001_add_users.c"));
    assert_int_equal(access(paths.strings[0], F_OK), 0);
    ag_strarray_free(&paths);
    assert_null(paths.strings);
    assert_int_equal(paths.count, 0);

    /* upgrade, reported as events. */
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    assert_int_equal(events.n, 2);
    assert_int_equal(events.v[0].kind, AG_EVENT_REVISION_START);
    assert_int_equal(events.v[0].direction, AG_EVENT_UPGRADE);
    assert_string_equal(events.revision[0], "aaa000000001");
    assert_string_equal(events.message[0], "add users");
    assert_string_equal(events.text[0], "Running upgrade <base> -> aaa000000001, add users");
    assert_int_equal(events.v[1].kind, AG_EVENT_REVISION_DONE);
    assert_int_equal(events.v[1].status, AG_OK);
    assert_true(events.v[1].elapsed_ms >= 0);
    assert_string_equal(events.revision[1], "aaa000000001");
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    assert_int_equal(events.n, 3);
    assert_int_equal(events.v[2].kind, AG_EVENT_INFO);
    assert_string_equal(events.text[2], "Nothing to do: the database is already at the target");

    /* check and diff agree: nothing left. */
    int differs = -1;
    assert_int_equal(ag_project_check(p, &differs, &err), AG_OK);
    assert_int_equal(differs, 0);
    assert_int_equal(ag_project_diff(&cs, p, &err), AG_OK);
    assert_int_equal(ag_changeset_count(cs), 0);
    ag_changeset_free(cs);

    /* A destructive change: a column gone. */
    write_file("models/users.yaml", "tables:\n"
                                    "  users:\n"
                                    "    columns:\n"
                                    "      id: { type: integer, primary_key: true }\n");
    assert_int_equal(ag_project_diff(&cs, p, &err), AG_OK);
    assert_int_equal(ag_changeset_count(cs), 1);
    c = ag_changeset_get(cs, 0);
    assert_string_equal(c->kind, "drop_column");
    assert_string_equal(c->column, "email");
    assert_int_equal(c->destructive, 1);
    assert_non_null(c->note);
    ag_changeset_free(cs);
    assert_int_equal(ag_project_check(p, &differs, &err), AG_OK);
    assert_int_equal(differs, 1);
    write_file("models/users.yaml", USERS_MODEL);

    /* Two branches from aaa: empty revisions, the second spliced in. */
    ro = (ag_revision_options)AG_REVISION_OPTIONS_INIT;
    ro.message = "left";
    ro.rev_id = "bbb000000002";
    ro.empty = 1;
    assert_int_equal(ag_project_revision(&paths, p, &ro, &err), AG_OK);
    ag_strarray_free(&paths);
    ro.message = "right";
    ro.rev_id = "ccc000000003";
    ro.head = "aaa000000001";
    assert_int_equal(ag_project_revision(&paths, p, &ro, &err), AG_EINVALID); /* not a head */
    ro.splice = 1;
    ro.branch_label = "right";
    assert_int_equal(ag_project_revision(&paths, p, &ro, &err), AG_OK);
    ag_strarray_free(&paths);
    ag_strarray heads = { NULL, 0 };
    assert_int_equal(ag_project_heads(&heads, p, &err), AG_OK);
    assert_int_equal(heads.count, 2);
    assert_true((strcmp(heads.strings[0], "bbb000000002") == 0 &&
                 strcmp(heads.strings[1], "ccc000000003") == 0) ||
                (strcmp(heads.strings[1], "bbb000000002") == 0 &&
                 strcmp(heads.strings[0], "ccc000000003") == 0));
    ag_strarray_free(&heads);

    /* current with several heads; a buffer too small is refused, not cut. */
    assert_int_equal(ag_project_upgrade(p, "heads", &err), AG_OK);
    char cur[64];
    assert_int_equal(ag_project_current(p, cur, sizeof(cur), &err), AG_OK);
    assert_int_equal(strlen(cur), 12 + 2 + 12);
    assert_non_null(strstr(cur, "bbb000000002"));
    assert_non_null(strstr(cur, "ccc000000003"));
    memset(cur, 'x', sizeof(cur));
    assert_int_equal(ag_project_current(p, cur, 26, &err), AG_EINVALID); /* no room for NUL */
    assert_string_equal(cur, "");
    assert_non_null(strstr(err.msg, "27 bytes"));
    assert_int_equal(ag_project_current(p, cur, 27, &err), AG_OK);

    /* history, with what the database has applied. */
    ag_history_options ho = AG_HISTORY_OPTIONS_INIT;
    ho.current = 1;
    ag_history *h = NULL;
    assert_int_equal(ag_project_history(&h, p, &ho, &err), AG_OK);
    assert_int_equal(ag_history_count(h), 3);
    const ag_revision_info *base = ag_history_get(h, 2);
    assert_string_equal(base->id, "aaa000000001"); /* children before parents */
    assert_int_equal(base->nparents, 0);
    assert_int_equal(base->is_head, 0);
    assert_int_equal(base->is_current, 0);
    assert_string_equal(base->message, "add users");
    assert_non_null(strstr(base->path, "aaa000000001_add_users.c"));
    for (size_t i = 0; i < 2; i++) {
        const ag_revision_info *r = ag_history_get(h, i);
        assert_int_equal(r->is_head, 1);
        assert_int_equal(r->is_current, 1);
        assert_int_equal(r->nparents, 1);
        assert_string_equal(r->parents[0], "aaa000000001");
        if (strcmp(r->id, "ccc000000003") == 0) {
            assert_int_equal(r->nbranch_labels, 1);
            assert_string_equal(r->branch_labels[0], "right");
        }
    }
    assert_null(ag_history_get(h, 3));
    ag_history_free(h);

    /* merge the two heads into one. */
    ag_merge_options mo = AG_MERGE_OPTIONS_INIT;
    mo.message = "join";
    mo.rev_id = "ddd000000004";
    const char *both[] = { "heads" };
    assert_int_equal(ag_project_merge(&paths, p, both, 1, &mo, &err), AG_OK);
    assert_int_equal(paths.count, 1);
    assert_non_null(strstr(paths.strings[0], "ddd000000004_join.c"));
    ag_strarray_free(&paths);
    assert_int_equal(ag_project_heads(&heads, p, &err), AG_OK);
    assert_int_equal(heads.count, 1);
    assert_string_equal(heads.strings[0], "ddd000000004");
    ag_strarray_free(&heads);
    assert_int_equal(ag_project_merge(&paths, p, both, 1, &mo, &err), AG_EINVALID); /* one head */
    assert_int_equal(paths.count, 0);
    /* History without a database: is_current stays 0. */
    assert_int_equal(ag_project_history(&h, p, NULL, &err), AG_OK);
    assert_int_equal(ag_history_count(h), 4);
    assert_string_equal(ag_history_get(h, 0)->id, "ddd000000004");
    assert_int_equal(ag_history_get(h, 0)->nparents, 2);
    assert_int_equal(ag_history_get(h, 1)->is_current, 0);
    ag_history_free(h);

    /* stamp: base, then both branch heads, without running anything. */
    const char *base_target[] = { "base" };
    assert_int_equal(ag_project_stamp(p, base_target, 1, NULL, &err), AG_OK);
    assert_int_equal(ag_project_current(p, cur, sizeof(cur), &err), AG_OK);
    assert_string_equal(cur, "");
    const char *branch_heads[] = { "bbb000000002", "ccc000000003" };
    ag_stamp_options so = AG_STAMP_OPTIONS_INIT;
    assert_int_equal(ag_project_stamp(p, branch_heads, 2, &so, &err), AG_OK);
    assert_int_equal(ag_project_current(p, cur, sizeof(cur), &err), AG_OK);
    assert_int_equal(strlen(cur), 26);
    assert_int_equal(ag_project_current(p, cur, 10, &err), AG_EINVALID);
    assert_string_equal(cur, "");
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    assert_int_equal(ag_project_current(p, cur, sizeof(cur), &err), AG_OK);
    assert_string_equal(cur, "ddd000000004");

    /* Offline SQL, into a callback and into a buffer: the same script. */
    sink s = { .len = 0 };
    assert_int_equal(ag_project_upgrade_sql(p, "head", take_sql, &s, &err), AG_OK);
    assert_true(s.calls >= 1);
    assert_non_null(strstr(s.buf, "CREATE TABLE"));
    assert_non_null(strstr(s.buf, "aaa000000001"));
    assert_non_null(strstr(s.buf, "ddd000000004"));
    char big[8192];
    size_t needed = 0;
    assert_int_equal(ag_project_upgrade_sql_buf(p, "head", big, sizeof(big), &needed, &err), AG_OK);
    assert_string_equal(big, s.buf);
    assert_int_equal(needed, s.len + 1);
    char small[64];
    memset(small, 'x', sizeof(small));
    needed = 0;
    assert_int_equal(ag_project_upgrade_sql_buf(p, "head", small, sizeof(small), &needed, &err),
                     AG_EINVALID);
    assert_string_equal(small, ""); /* never a script cut short */
    assert_int_equal(needed, s.len + 1);
    char *exact = malloc(needed);
    assert_int_equal(ag_project_upgrade_sql_buf(p, "head", exact, needed, NULL, &err), AG_OK);
    assert_string_equal(exact, s.buf);
    assert_int_equal(ag_project_upgrade_sql_buf(p, "head", exact, needed - 1, NULL, &err),
                     AG_EINVALID);
    free(exact);
    /* A range, FROM:TO. */
    s.len = 0;
    s.calls = 0;
    assert_int_equal(ag_project_upgrade_sql(p, "aaa000000001:bbb000000002", take_sql, &s, &err),
                     AG_OK);
    assert_null(strstr(s.buf, "CREATE TABLE users"));
    assert_non_null(strstr(s.buf, "bbb000000002"));
    assert_null(strstr(s.buf, "ccc000000003"));
    /* A callback that stops: its value comes back. */
    assert_int_equal(ag_project_upgrade_sql(p, "head", refuse_sql, NULL, &err), 42);
    /* An unknown target: the callback is not called. */
    s.calls = 0;
    assert_int_equal(ag_project_upgrade_sql(p, "nosuchrev", take_sql, &s, &err), AG_ENOTFOUND);
    assert_int_equal(s.calls, 0);

    /* downgrade all the way, reported as downgrade events. */
    size_t before = events.n;
    assert_int_equal(ag_project_downgrade(p, "base", &err), AG_OK);
    assert_true(events.n > before);
    assert_int_equal(events.v[before].direction, AG_EVENT_DOWNGRADE);
    assert_int_equal(ag_project_current(p, cur, sizeof(cur), &err), AG_OK);
    assert_string_equal(cur, "");
    ag_project_free(p);
}

/* --- silence and the environment ---------------------------------------------------- */

/* Without a callback the library writes nothing on stdout or stderr, even
 * where the CLI prints (a run's steps, "Nothing to do", a dry-run-free
 * warning of an edited file). */
static void test_api__silent_by_default(void **state)
{
    (void)state;
    ag_error err = { 0 };
    assert_int_equal(ag_project_init(NULL, dir, NULL, &err), AG_OK);
    write_file("models/users.yaml", USERS_MODEL);
    char out_path[400];
    snprintf(out_path, sizeof(out_path), "%s/output.txt", dir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0 && saved_out >= 0 && saved_err >= 0);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);

    ag_project *p = open_bare(0);
    ag_revision_options ro = AG_REVISION_OPTIONS_INIT;
    ro.message = "users";
    ro.rev_id = "eee000000001";
    ag_strarray paths = { NULL, 0 };
    int rc1 = ag_project_revision(&paths, p, &ro, &err);
    int rc2 = ag_project_upgrade(p, "head", &err);
    int rc3 = ag_project_upgrade(p, "head", &err); /* "Nothing to do" */
    ag_strarray_free(&paths);
    ag_project_free(p);
    /* An applied file edited since: the CLI warns. */
    char src[400];
    snprintf(src, sizeof(src), "%s/alembic_like/versions/eee000000001_users.c", dir);
    FILE *f = fopen(src, "a");
    assert_non_null(f);
    fputs("/* edited */\n", f);
    fclose(f);
    p = open_bare(0);
    ag_history *h = NULL;
    int rc4 = ag_project_upgrade(p, "head", &err); /* the CLI warns, then "Nothing to do" */
    int rc5 = ag_project_upgrade_sql(p, "head", take_sql, &(sink){ .len = 0 }, &err);
    int rc6 = ag_project_history(&h, p, NULL, &err);
    ag_history_free(h);
    ag_project_free(p);

    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    assert_int_equal(rc1, AG_OK);
    assert_int_equal(rc2, AG_OK);
    assert_int_equal(rc3, AG_OK);
    assert_int_equal(rc4, AG_OK);
    assert_int_equal(rc5, AG_OK);
    assert_int_equal(rc6, AG_OK);
    struct stat st;
    assert_int_equal(stat(out_path, &st), 0);
    assert_int_equal(st.st_size, 0);

    /* The same run with a listener: there was something to say. */
    seen events = { .n = 0 };
    char config[300];
    snprintf(config, sizeof(config), "%s/autogen.yaml", dir);
    ag_project_options opts = AG_PROJECT_OPTIONS_INIT;
    opts.config_path = config;
    opts.on_event = collect;
    opts.payload = &events;
    assert_int_equal(ag_project_open(&p, &opts, &err), AG_OK);
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    ag_project_free(p);
    assert_int_equal(events.n, 2);
    assert_int_equal(events.v[0].kind, AG_EVENT_WARNING);
    assert_non_null(
        strstr(events.text[0], "1 applied migration(s) changed since they were applied"));
    assert_int_equal(events.v[1].kind, AG_EVENT_INFO);
}

/* AG_OPT_NO_ENV: AUTOGEN_URL and AUTOGEN_ENV are not read; without it they are. */
static void test_api__no_env(void **state)
{
    (void)state;
    write_base_rev("fff000000001");
    setenv("AUTOGEN_URL", "sqlite:///from_env.db", 1);
    setenv("AUTOGEN_ENV", "production", 1);
    ag_error err = { 0 };
    ag_project *p = open_bare(AG_OPT_NO_ENV);
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    /* Not production: a stamp that removes an applied revision is allowed. */
    const char *base[] = { "base" };
    assert_int_equal(ag_project_stamp(p, base, 1, NULL, &err), AG_OK);
    ag_project_free(p);
    assert_true(exists("app.db"));
    assert_false(exists("from_env.db"));

    p = open_bare(0);
    assert_int_equal(ag_project_upgrade(p, "head", &err), AG_OK);
    assert_int_equal(ag_project_stamp(p, base, 1, NULL, &err), AG_ECONFLICT);
    assert_non_null(strstr(err.msg, "production"));
    ag_stamp_options so = AG_STAMP_OPTIONS_INIT;
    so.allow_destructive = 1;
    assert_int_equal(ag_project_stamp(p, base, 1, &so, &err), AG_OK);
    ag_project_free(p);
    assert_true(exists("from_env.db"));
    unsetenv("AUTOGEN_URL");
    unsetenv("AUTOGEN_ENV");
}

/* ag_project_current fails with AG_EINVALID when the ids do not fit, and
 * never hands back a list cut mid-id. */
static void test_api__current_never_truncates(void **state)
{
    (void)state;
    /* 80 heads: their list (1,118 bytes) is longer than any fixed buffer of 1 KiB. */
    for (int i = 0; i < 80; i++) {
        char rev[16];
        snprintf(rev, sizeof(rev), "rev%09d", i);
        write_base_rev(rev);
    }
    setenv("AUTOGEN_CACHE_DIR", dir, 1);
    ag_project *p = open_bare(0);
    ag_error err = { 0 };
    assert_int_equal(ag_project_upgrade(p, "heads", &err), AG_OK);
    char out[2048];
    assert_int_equal(ag_project_current(p, out, sizeof(out), &err), AG_OK);
    assert_int_equal(strlen(out), 80 * 12 + 79 * 2); /* every id, ", " between */
    assert_non_null(strstr(out, "rev000000079"));
    memset(out, 'x', sizeof(out));
    assert_int_equal(ag_project_current(p, out, 20, &err), AG_EINVALID);
    assert_string_equal(out, "");
    assert_non_null(strstr(err.msg, "1119 bytes"));
    assert_int_equal(ag_project_current(p, out, 1118, &err), AG_EINVALID); /* no room for NUL */
    assert_int_equal(ag_project_current(p, out, 1119, &err), AG_OK);
    ag_project_free(p);
    unsetenv("AUTOGEN_CACHE_DIR");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api__version),
        cmocka_unit_test(test_api__options_init),
        cmocka_unit_test_setup_teardown(test_api__unversioned_options_refused, setup_bare,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_api__init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api__workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api__silent_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api__no_env, setup_bare, teardown),
        cmocka_unit_test_setup_teardown(test_api__current_never_truncates, setup_bare, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
