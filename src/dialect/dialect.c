/* dialect.c - the table of databases, URL parsing, query results.
 *
 * The one place that maps a URL scheme to a dialect: adding a database is a
 * row here plus its three files.
 */
#include "dialect.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/error.h"

#include <strings.h>

static const struct {
    const char *scheme;
    const ag_dialect *dialect;
} dialects[] = {
    { "sqlite", &ag_dialect_sqlite },
    { "postgresql", &ag_dialect_postgres },
};

static const char *const pg_schemes[] = { "postgresql", "postgres" };

const ag_dialect *ag_dialect_find(const char *scheme)
{
    for (size_t i = 0; i < AG_NELEM(dialects); i++)
        if (strcmp(dialects[i].scheme, scheme) == 0)
            return dialects[i].dialect;
    return NULL;
}

void ag_url_release(ag_url *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->path);
    free(u->conninfo);
    free(u->display);
    memset(u, 0, sizeof(*u));
}

void ag_rows_release(ag_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->cells);
    memset(r, 0, sizeof(*r));
}

/* The URL with the password of user:password@ replaced by ***. */
static char *mask_password(const char *url)
{
    ag_buf b = AG_BUF_INIT;
    const char *auth = strstr(url, "://");
    const char *at = auth ? strchr(auth + 3, '@') : NULL;
    const char *slash = auth ? strchr(auth + 3, '/') : NULL;
    if (at && (!slash || at < slash)) {
        const char *colon = memchr(auth + 3, ':', (size_t)(at - auth - 3));
        if (colon) {
            ag_buf_put(&b, url, (size_t)(colon - url) + 1);
            ag_buf_puts(&b, "***");
            ag_buf_puts(&b, at);
            return ag_buf_detach(&b);
        }
    }
    /* password=... in the query string */
    const char *pw = strstr(url, "password=");
    if (pw) {
        ag_buf_put(&b, url, (size_t)(pw - url) + 9);
        ag_buf_puts(&b, "***");
        const char *end = strchr(pw, '&');
        if (end)
            ag_buf_puts(&b, end);
        return ag_buf_detach(&b);
    }
    ag_buf_puts(&b, url);
    return ag_buf_detach(&b);
}

int ag_url_parse(ag_url *out, const char *url, const char *base_dir, ag_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!url || !*url)
        return ag_error_set(err, AG_EINVALID,
                            "empty database URL; write sqlite:///app.db or postgresql://…");
    const char *sep = strstr(url, "://");
    char *display = mask_password(url);
    if (!sep) {
        int rc = ag_error_set(err, AG_EINVALID,
                              "'%s' is not a database URL; write sqlite:///app.db or "
                              "postgresql://user@host/db",
                              display);
        free(display);
        return rc;
    }
    out->display = display;
    out->scheme = strndup(url, (size_t)(sep - url));
    for (char *c = out->scheme; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    const char *rest = sep + 3;
    if (strcmp(out->scheme, "sqlite") == 0) {
        if (strcmp(rest, ":memory:") == 0) {
            out->path = strdup(":memory:");
        } else if (rest[0] != '/') {
            int rc = ag_error_set(err, AG_EINVALID,
                                  "'%s': a SQLite URL has three slashes before a relative path "
                                  "(sqlite:///app.db) and four before an absolute one "
                                  "(sqlite:////var/db/app.db)",
                                  display);
            ag_url_release(out);
            return rc;
        } else {
            const char *path = rest + 1; /* sqlite:///rel -> "rel"; sqlite:////abs -> "/abs" */
            if (!*path) {
                int rc = ag_error_set(err, AG_EINVALID, "'%s' names no database file", display);
                ag_url_release(out);
                return rc;
            }
            ag_buf b = AG_BUF_INIT;
            if (path[0] != '/' && base_dir && strcmp(base_dir, ".") != 0)
                ag_buf_printf(&b, "%s/%s", base_dir, path);
            else
                ag_buf_puts(&b, path);
            out->path = ag_buf_detach(&b);
        }
        return AG_OK;
    }
    for (size_t i = 0; i < AG_NELEM(pg_schemes); i++)
        if (strcmp(out->scheme, pg_schemes[i]) == 0) {
            out->conninfo = strdup(url);
            free(out->scheme);
            out->scheme = strdup("postgresql");
            return AG_OK;
        }
    int rc = ag_error_set(err, AG_EINVALID,
                          "unsupported database URL scheme '%s'; expected sqlite:// or "
                          "postgresql://",
                          out->scheme);
    ag_url_release(out);
    return rc;
}
