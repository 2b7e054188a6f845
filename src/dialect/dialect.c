/* dialect.c - the table of databases, URL parsing, query results.
 *
 * The one place that maps a URL scheme to a dialect: adding a database is a
 * row here plus its three files. URLs are parsed here too (SPEC §2), with
 * every password masked in what may be printed.
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
    { "postgres", &ag_dialect_postgres },
};

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
    free(u->dbname);
    memset(u, 0, sizeof(*u));
}

void ag_rows_release(ag_rows *r)
{
    if (!r)
        return;
    free(r->cells);
    ag_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}

/* The URL with every password replaced by ***: the one of user:password@
 * (up to the last '@' before the path or query, since a password may hold an
 * '@'), and any password=... in the query string. Works on text that is not
 * a URL at all, so that an error message can quote it. */
static char *mask_password(const char *url)
{
    ag_buf b = AG_BUF_INIT;
    const char *scheme_end = strstr(url, "://");
    const char *auth = scheme_end ? scheme_end + 3 : url;
    const char *auth_end = auth + strcspn(auth, "?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    ag_buf userinfo = AG_BUF_INIT;
    if (colon) {
        ag_buf_put(&userinfo, url, (size_t)(colon - url) + 1);
        ag_buf_puts(&userinfo, "***");
        ag_buf_puts(&userinfo, at);
    } else {
        ag_buf_puts(&userinfo, url);
    }
    /* Then every password=, before the user's password too. */
    const char *p = ag_buf_cstr(&userinfo);
    for (;;) {
        const char *pw = strstr(p, "password=");
        if (!pw)
            break;
        ag_buf_put(&b, p, (size_t)(pw - p) + 9);
        ag_buf_puts(&b, "***");
        p = pw + 9 + strcspn(pw + 9, "& ");
    }
    ag_buf_puts(&b, p);
    ag_buf_dispose(&userinfo);
    return ag_buf_detach(&b);
}

/* The query string of a SQLite URL (after the '?'): mode=ro|rw|rwc. */
static int sqlite_params(ag_url *out, const char *query, ag_error *err)
{
    for (const char *p = query; *p;) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;
        const char *val = eq ? eq + 1 : "";
        size_t vlen = eq ? len - klen - 1 : 0;
        if (klen != 4 || strncmp(p, "mode", 4) != 0)
            return ag_error_set(err, AG_EINVALID,
                                "unknown parameter '%.*s' in the SQLite URL '%s'; the one "
                                "parameter is mode=ro, mode=rw or mode=rwc",
                                (int)klen, p, out->display);
        if (vlen == 2 && strncmp(val, "ro", 2) == 0)
            out->mode = AG_MODE_RO;
        else if (vlen == 2 && strncmp(val, "rw", 2) == 0)
            out->mode = AG_MODE_RW;
        else if (vlen == 3 && strncmp(val, "rwc", 3) == 0)
            out->mode = AG_MODE_RWC;
        else {
            /* Quoted masked, as the URL is: the value may hold a password=. */
            char *raw = ag_xstrndup(val, vlen);
            char *shown = mask_password(raw);
            free(raw);
            int rc = ag_error_set(err, AG_EINVALID,
                                  "'mode=%s' in the SQLite URL '%s': write mode=ro, mode=rw or "
                                  "mode=rwc",
                                  shown ? shown : "", out->display);
            free(shown);
            return rc;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    return AG_OK;
}

/* The file of a SQLite URL (rest: after "sqlite://", without the query). */
static int sqlite_path(ag_url *out, const char *rest, const char *base_dir, ag_error *err)
{
    const char *display = out->display;
    if (!*rest || strcmp(rest, "/") == 0) {
        int rc = ag_error_set(err, AG_EINVALID,
                              "'%s' names no database file; write sqlite:///app.db "
                              "(relative), sqlite:////var/db/app.db (absolute) or "
                              "sqlite://:memory:",
                              display);
        return rc;
    }
    if (strcmp(rest, ":memory:") == 0) {
        out->path = ag_xstrdup(":memory:");
    } else if (rest[0] != '/') {
        int rc = ag_error_set(err, AG_EINVALID,
                              "'%s': a SQLite URL has three slashes before a relative path "
                              "(sqlite:///%s) and four before an absolute one "
                              "(sqlite:////var/db/app.db)",
                              display, strstr(display, "://") + 3);
        return rc;
    } else {
        const char *path = rest + 1; /* sqlite:///rel -> "rel"; sqlite:////abs -> "/abs" */
        if (!*path) {
            int rc = ag_error_set(err, AG_EINVALID, "'%s' names no database file", display);
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
    out->scheme = ag_xstrndup(url, (size_t)(sep - url));
    for (char *c = out->scheme; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    const char *rest = sep + 3;
    if (strcmp(out->scheme, "sqlite") == 0) {
        /* The path ends at the query string, which holds parameters, not a file name. */
        const char *q = strchr(rest, '?');
        char *path_part = q ? ag_xstrndup(rest, (size_t)(q - rest)) : NULL;
        int rc = q ? sqlite_params(out, q + 1, err) : AG_OK;
        if (rc == AG_OK)
            rc = sqlite_path(out, path_part ? path_part : rest, base_dir, err);
        free(path_part);
        if (rc != AG_OK)
            ag_url_release(out);
        return rc;
    }
    if (strcmp(out->scheme, "postgresql") == 0 || strcmp(out->scheme, "postgres") == 0) {
        if (!*rest) {
            int rc =
                ag_error_set(err, AG_EINVALID,
                             "'%s' names no server; write postgresql://user@host:5432/db", display);
            ag_url_release(out);
            return rc;
        }
        out->conninfo = ag_xstrdup(url);
        free(out->scheme);
        out->scheme = ag_xstrdup("postgresql");
        return AG_OK;
    }
    int rc = ag_error_set(err, AG_EINVALID,
                          "unsupported database URL scheme '%s'; expected sqlite:// or "
                          "postgresql://",
                          out->scheme);
    ag_url_release(out);
    return rc;
}
