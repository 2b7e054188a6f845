/* fuzz_url.c - the database URL parser (ag_url_parse).
 *
 * Besides memory errors, checks what README promises of URLs: a password is
 * never printed. Whatever the input, neither the display form nor an error
 * message holds the password of a postgresql:// URL's `user:password@`, nor
 * a `password=` value of a sqlite:// or postgresql:// URL.
 */
#include "dialect/dialect.h"
#include "util/error.h"

#include <stdint.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many times text holds needle (of n bytes). */
static size_t count(const char *text, const char *needle, size_t n)
{
    size_t k = 0;
    for (const char *p = text; n && (p = strchr(p, needle[0])) != NULL; p++)
        if (strncmp(p, needle, n) == 0)
            k++;
    return k;
}

/* Whether shown reveals the secret of n bytes at url's secret: only a secret
 * that occurs once in url can be told from the rest of it, and one that holds
 * the mask ("***") from the mask. */
static bool reveals(const char *shown, const char *url, const char *secret, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(secret + i, "***", 3) == 0)
            return false;
    return count(url, secret, n) == 1 && count(shown, secret, n) > 0;
}

/* abort() when shown (display or an error message) reveals a password of url. */
static void check_masked(const char *url, const char *shown)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return;
    size_t slen = (size_t)(sep - url);
    bool sqlite = slen == 6 && strncasecmp(url, "sqlite", 6) == 0;
    if (!sqlite && !(slen == 10 && strncasecmp(url, "postgresql", 10) == 0) &&
        !(slen == 8 && strncasecmp(url, "postgres", 8) == 0))
        return;
    /* user:password@host (PostgreSQL; a SQLite URL has no user): the password
     * runs from the first ':' of the authority to its last '@' (a password
     * may hold '@'). */
    const char *auth = sep + 3;
    size_t alen = strcspn(auth, "?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *colon = at && !sqlite ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        /* ":password@" as one piece: the bare password may be any common word. */
        size_t n = (size_t)(at - colon) + 1;
        if (n > 2 && reveals(shown, url, colon, n))
            abort();
    }
    /* password=VALUE up to '&' or ' ' (libpq's key=value and query forms). */
    for (const char *p = url; (p = strstr(p, "password=")) != NULL; p++) {
        size_t n = 9 + strcspn(p + 9, "& ");
        /* "password=**" is a prefix of the mask itself. */
        if (n > 9 && strspn(p + 9, "*") < n - 9 && reveals(shown, url, p, n))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    ag_url u;
    ag_error err = { 0 };
    if (ag_url_parse(&u, url, "/srv/app", &err) == AG_OK) {
        if (!u.scheme || !u.display || (!u.path && !u.conninfo))
            abort();
        if (!ag_dialect_find(u.scheme))
            abort(); /* parsed means some dialect takes it */
        check_masked(url, u.display);
        ag_url_release(&u);
    } else {
        if (!err.msg[0])
            abort();
        check_masked(url, err.msg);
    }
    free(url);
    return 0;
}
