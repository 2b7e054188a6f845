/* index.c - the migration header cache; see index.h.
 *
 * Format: a first line "autogen-index 1", then one line per file with tab-
 * separated fields: path, size, mtime seconds, mtime nanoseconds, inode,
 * revision, down revisions, branch labels, depends_on (lists joined by ','),
 * transactional, message, create date. Strings are %XX-escaped for bytes below
 * 0x20, '%', ',' and tab.
 */
#include "index.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/fs.h"

#include <stdio.h>

#define INDEX_MAGIC "autogen-index 1\n"

typedef struct record {
    char *line; /* the whole line, fields split in place */
    char *field[12];
} record;

struct ag_rev_index {
    char *path;
    char *text;   /* the index as read */
    record *recs; /* records read */
    size_t nrecs;
    size_t *slots; /* hash of path -> recs index + 1 */
    size_t nslots;
    struct put {
        char *path;
        struct stat st;
        const ag_revfile *rf; /* borrowed: lives until ag_rev_index_save */
    } * puts;
    size_t nput, put_cap, hits;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '%' || c == ',';
}

static void put_escaped(ag_buf *b, const char *s)
{
    while (s && *s) {
        size_t run = 0;
        while (s[run] && !needs_escape((unsigned char)s[run]))
            run++;
        ag_buf_put(b, s, run);
        s += run;
        if (*s) {
            ag_buf_printf(b, "%%%02X", (unsigned char)*s);
            s++;
        }
    }
}

static char *unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 1) {
            unsigned v = 0;
            if (sscanf(s + i + 1, "%2X", &v) == 1) {
                *o++ = (char)v;
                i += 2;
                continue;
            }
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

static char **unescape_list(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    char **l = calloc(n + 1, sizeof(char *));
    if (!l)
        abort();
    for (size_t i = 0; i < n; i++) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        l[i] = unescape(s, len);
        s += len + (e ? 1 : 0);
    }
    return l;
}

ag_rev_index *ag_rev_index_open(const char *path)
{
    ag_rev_index *ix = calloc(1, sizeof(*ix));
    if (!ix)
        abort();
    if (!path)
        return ix;
    ix->path = strdup(path);
    ix->text = ag_read_file(path, NULL, NULL);
    if (!ix->text || strncmp(ix->text, INDEX_MAGIC, strlen(INDEX_MAGIC)) != 0)
        return ix;
    size_t cap = 0;
    for (char *line = ix->text + strlen(INDEX_MAGIC); *line;) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = '\0';
        record r = { line, { 0 } };
        size_t k = 0;
        for (char *f = line; k < AG_NELEM(r.field);) {
            r.field[k++] = f;
            char *tab = strchr(f, '\t');
            if (!tab)
                break;
            *tab = '\0';
            f = tab + 1;
        }
        if (k == AG_NELEM(r.field)) {
            if (ix->nrecs == cap) {
                cap = cap ? cap * 2 : 256;
                ix->recs = realloc(ix->recs, cap * sizeof(*ix->recs));
                if (!ix->recs)
                    abort();
            }
            ix->recs[ix->nrecs++] = r;
        }
        line = nl + 1;
    }
    ix->nslots = 16;
    while (ix->nslots < ix->nrecs * 2)
        ix->nslots *= 2;
    ix->slots = calloc(ix->nslots, sizeof(*ix->slots));
    if (!ix->slots)
        abort();
    for (size_t i = 0; i < ix->nrecs; i++) {
        size_t h = hash(ix->recs[i].field[0]) & (ix->nslots - 1);
        while (ix->slots[h])
            h = (h + 1) & (ix->nslots - 1);
        ix->slots[h] = i + 1;
    }
    return ix;
}

bool ag_rev_index_lookup(ag_rev_index *ix, const char *path, const struct stat *st, ag_revfile *rf)
{
    if (!ix->nslots)
        return false;
    ag_buf key = AG_BUF_INIT;
    put_escaped(&key, path);
    bool found = false;
    for (size_t h = hash(ag_buf_cstr(&key)) & (ix->nslots - 1); ix->slots[h] && !found;
         h = (h + 1) & (ix->nslots - 1)) {
        record *r = &ix->recs[ix->slots[h] - 1];
        if (strcmp(r->field[0], ag_buf_cstr(&key)) != 0)
            continue;
        found = true;
        char want[128];
        snprintf(want, sizeof(want), "%lld %lld %ld %llu", (long long)st->st_size,
                 (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
                 (unsigned long long)st->st_ino);
        char have[128];
        snprintf(have, sizeof(have), "%s %s %s %s", r->field[1], r->field[2], r->field[3],
                 r->field[4]);
        if (strcmp(want, have) != 0)
            break;
        memset(rf, 0, sizeof(*rf));
        rf->path = strdup(path);
        rf->revision = unescape(r->field[5], strlen(r->field[5]));
        rf->down_revisions = unescape_list(r->field[6]);
        rf->branch_labels = unescape_list(r->field[7]);
        rf->depends_on = unescape_list(r->field[8]);
        rf->transactional = r->field[9][0] == '1';
        rf->message = unescape(r->field[10], strlen(r->field[10]));
        rf->create_date = unescape(r->field[11], strlen(r->field[11]));
        ix->hits++;
        ag_buf_dispose(&key);
        return true;
    }
    ag_buf_dispose(&key);
    return false;
}

static void put_list(ag_buf *b, char *const *l)
{
    for (size_t i = 0; l && l[i]; i++) {
        if (i)
            ag_buf_putc(b, ',');
        put_escaped(b, l[i]);
    }
}

void ag_rev_index_put(ag_rev_index *ix,
                      const char *path,
                      const struct stat *st,
                      const ag_revfile *rf)
{
    if (!ix->path)
        return;
    if (ix->nput == ix->put_cap) {
        ix->put_cap = ix->put_cap ? ix->put_cap * 2 : 256;
        ix->puts = realloc(ix->puts, ix->put_cap * sizeof(*ix->puts));
        if (!ix->puts)
            abort();
    }
    ix->puts[ix->nput].path = strdup(path);
    ix->puts[ix->nput].st = *st;
    ix->puts[ix->nput++].rf = rf;
}

void ag_rev_index_save(ag_rev_index *ix)
{
    /* Unchanged when every file was found and nothing was removed. */
    if (!ix->path || (ix->hits == ix->nput && ix->nrecs == ix->nput))
        return;
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, INDEX_MAGIC);
    for (size_t i = 0; i < ix->nput; i++) {
        const struct put *p = &ix->puts[i];
        const ag_revfile *rf = p->rf;
        put_escaped(&b, p->path);
        ag_buf_printf(&b, "\t%lld\t%lld\t%ld\t%llu\t", (long long)p->st.st_size,
                      (long long)p->st.st_mtim.tv_sec, (long)p->st.st_mtim.tv_nsec,
                      (unsigned long long)p->st.st_ino);
        put_escaped(&b, rf->revision);
        ag_buf_putc(&b, '\t');
        put_list(&b, rf->down_revisions);
        ag_buf_putc(&b, '\t');
        put_list(&b, rf->branch_labels);
        ag_buf_putc(&b, '\t');
        put_list(&b, rf->depends_on);
        ag_buf_printf(&b, "\t%d\t", rf->transactional ? 1 : 0);
        put_escaped(&b, rf->message);
        ag_buf_putc(&b, '\t');
        put_escaped(&b, rf->create_date);
        ag_buf_putc(&b, '\n');
    }
    ag_write_file_atomic(ix->path, ag_buf_cstr(&b), b.len, NULL);
    ag_buf_dispose(&b);
}

void ag_rev_index_free(ag_rev_index *ix)
{
    if (!ix)
        return;
    free(ix->path);
    free(ix->text);
    free(ix->recs);
    free(ix->slots);
    for (size_t i = 0; i < ix->nput; i++)
        free(ix->puts[i].path);
    free(ix->puts);
    free(ix);
}
