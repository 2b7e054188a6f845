/* index.c - the migration header cache; see index.h.
 *
 * Format: a first line "autogen-index 2", then one line per file, sorted by
 * path, with tab-separated fields: path, size, mtime seconds, mtime
 * nanoseconds, inode, revision, down revisions, branch labels, depends_on
 * (lists joined by ','), transactional, message, create date. The fields
 * after the inode are %XX-escaped for bytes below 0x20, '%' and ','; a path
 * holding a tab or a newline is never indexed (it is read every time).
 *
 * The index is mapped, not read, and never written to: a hit's strings are
 * copied into the caller's arena. Lookups in path order walk the records
 * one after the other; only a lookup out of order (a file added or removed)
 * makes the index split its lines for a binary search.
 */
#include "index.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/fs.h"

#include <stdlib.h>

#define INDEX_MAGIC "autogen-index 2\n"
#define NFIELDS     12

struct ag_rev_index {
    char *path;       /* where it is saved, or NULL */
    const char *text; /* the mapped index, or NULL */
    size_t len;
    const char *next;   /* the record the next lookup is expected to be */
    const char **lines; /* every record, made on the first lookup out of order */
    size_t nlines;
    size_t hits, misses;
    ag_buf out; /* the index to save */
};

static bool indexable(const char *path)
{
    return !strpbrk(path, "\t\n");
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

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The escaped text s[0..n) unescaped, in a. */
static char *unescape(ag_arena *a, const char *s, size_t n)
{
    char *out = ag_arena_strndup(a, s, n);
    char *o = strchr(out, '%');
    if (!o)
        return out;
    for (const char *i = o; *i;) {
        int hi, lo;
        if (i[0] == '%' && (hi = hexval(i[1])) >= 0 && (lo = hexval(i[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            i += 3;
        } else {
            *o++ = *i++;
        }
    }
    *o = '\0';
    return out;
}

/* The ','-joined list s[0..n) as a NULL-terminated array in a; an empty
 * list is the shared empty one. */
static char **split_list(ag_arena *a, const char *s, size_t n)
{
    static char *const empty[] = { NULL };
    if (n == 0)
        return (char **)empty;
    size_t count = 1;
    for (size_t i = 0; i < n; i++)
        count += s[i] == ',';
    char **l = ag_arena_alloc(a, (count + 1) * sizeof(char *));
    for (size_t i = 0; i < count; i++) {
        const char *comma = memchr(s, ',', n);
        size_t len = comma ? (size_t)(comma - s) : n;
        l[i] = unescape(a, s, len);
        s += len + (comma ? 1 : 0);
        n -= len + (comma ? 1 : 0);
    }
    return l;
}

ag_rev_index *ag_rev_index_open(const char *path)
{
    ag_rev_index *ix = ag_xcalloc(1, sizeof(*ix));
    if (!path)
        return ix;
    ix->path = ag_xstrdup(path);
    ix->text = ag_map_file(path, &ix->len);
    size_t magic = strlen(INDEX_MAGIC);
    if (ix->text && ix->len > magic && memcmp(ix->text, INDEX_MAGIC, magic) == 0)
        ix->next = ix->text + magic;
    return ix;
}

static const char *text_end(const ag_rev_index *ix)
{
    return ix->text + ix->len;
}

/* The line after the one at p, or the end. */
static const char *line_after(const ag_rev_index *ix, const char *p)
{
    const char *nl = memchr(p, '\n', (size_t)(text_end(ix) - p));
    return nl ? nl + 1 : text_end(ix);
}

/* strcmp of path with the first field of the line at p. */
static int cmp_path(const ag_rev_index *ix, const char *path, const char *p)
{
    const char *end = text_end(ix);
    for (;; path++, p++) {
        unsigned char a = (unsigned char)*path;
        unsigned char b = p < end && *p != '\t' && *p != '\n' ? (unsigned char)*p : 0;
        if (a != b || !a)
            return a - b;
    }
}

static void split_lines(ag_rev_index *ix)
{
    size_t cap = 0;
    for (const char *p = ix->text + strlen(INDEX_MAGIC); p < text_end(ix); p = line_after(ix, p)) {
        if (ix->nlines == cap) {
            cap = cap ? cap * 2 : 1024;
            ix->lines = ag_xrealloc(ix->lines, cap * sizeof(*ix->lines));
        }
        ix->lines[ix->nlines++] = p;
    }
}

/* The record of path, or NULL. */
static const char *find_line(ag_rev_index *ix, const char *path)
{
    if (!ix->next)
        return NULL;
    if (ix->next < text_end(ix) && cmp_path(ix, path, ix->next) == 0) {
        const char *p = ix->next;
        ix->next = line_after(ix, p);
        return p;
    }
    if (!ix->lines)
        split_lines(ix);
    size_t lo = 0, hi = ix->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_path(ix, path, ix->lines[mid]);
        if (c == 0) {
            ix->next = line_after(ix, ix->lines[mid]);
            return ix->lines[mid];
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The decimal number s[0..n) equals want. */
static bool number_is(const char *s, size_t n, uint64_t want)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v == want;
}

bool ag_rev_index_lookup(
    ag_rev_index *ix, ag_arena *a, const char *path, const ag_fstamp *st, ag_revfile *rf)
{
    if (!indexable(path))
        return false;
    const char *line = find_line(ix, path);
    if (!line) {
        ix->misses++;
        return false;
    }
    const char *end = line_after(ix, line);
    if (end > line && end[-1] == '\n')
        end--;
    const char *f[NFIELDS];
    size_t n[NFIELDS], k = 0;
    for (const char *p = line; k < NFIELDS;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        f[k] = p;
        n[k++] = (size_t)((tab ? tab : end) - p);
        if (!tab)
            break;
        p = tab + 1;
    }
    if (k != NFIELDS || !number_is(f[1], n[1], st->size) ||
        !number_is(f[2], n[2], (uint64_t)st->mtime_s) ||
        !number_is(f[3], n[3], (uint64_t)st->mtime_ns) || !number_is(f[4], n[4], st->ino)) {
        ix->misses++;
        return false;
    }
    memset(rf, 0, sizeof(*rf));
    rf->path = ag_arena_strndup(a, f[0], n[0]);
    rf->revision = unescape(a, f[5], n[5]);
    rf->down_revisions = split_list(a, f[6], n[6]);
    rf->branch_labels = split_list(a, f[7], n[7]);
    rf->depends_on = split_list(a, f[8], n[8]);
    rf->transactional = n[9] == 1 && f[9][0] == '1';
    rf->message = unescape(a, f[10], n[10]);
    rf->create_date = unescape(a, f[11], n[11]);
    ix->hits++;
    return true;
}

static void put_list(ag_buf *b, char *const *l)
{
    for (size_t i = 0; l && l[i]; i++) {
        if (i)
            ag_buf_putc(b, ',');
        put_escaped(b, l[i]);
    }
}

bool ag_rev_index_stale(ag_rev_index *ix)
{
    if (!ix->path)
        return false;
    if (ix->misses)
        return true;
    if (!ix->text)
        return ix->hits == 0; /* no index yet: write one, even of no files */
    if (!ix->next)
        return true; /* not an index of ours: replace it */
    if (!ix->lines)
        return ix->next != text_end(ix); /* every lookup took the next record */
    return ix->nlines != ix->hits;
}

void ag_rev_index_put(ag_rev_index *ix, const ag_revfile *rf, const ag_fstamp *st)
{
    ag_buf *b = &ix->out;
    if (!b->len)
        ag_buf_puts(b, INDEX_MAGIC);
    if (!indexable(rf->path))
        return;
    ag_buf_printf(b, "%s\t%llu\t%lld\t%lld\t%llu\t", rf->path, (unsigned long long)st->size,
                  (long long)st->mtime_s, (long long)st->mtime_ns, (unsigned long long)st->ino);
    put_escaped(b, rf->revision);
    ag_buf_putc(b, '\t');
    put_list(b, rf->down_revisions);
    ag_buf_putc(b, '\t');
    put_list(b, rf->branch_labels);
    ag_buf_putc(b, '\t');
    put_list(b, rf->depends_on);
    ag_buf_printf(b, "\t%d\t", rf->transactional ? 1 : 0);
    put_escaped(b, rf->message);
    ag_buf_putc(b, '\t');
    put_escaped(b, rf->create_date);
    ag_buf_putc(b, '\n');
}

void ag_rev_index_save(ag_rev_index *ix)
{
    if (!ix->path)
        return;
    if (!ix->out.len)
        ag_buf_puts(&ix->out, INDEX_MAGIC);
    ag_write_file_atomic(ix->path, ag_buf_cstr(&ix->out), ix->out.len, NULL);
}

void ag_rev_index_free(ag_rev_index *ix)
{
    if (!ix)
        return;
    free(ix->path);
    ag_unmap_file(ix->text, ix->len);
    free(ix->lines);
    ag_buf_dispose(&ix->out);
    free(ix);
}
