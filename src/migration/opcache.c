/* opcache.c - recorded operations kept between runs; see opcache.h.
 *
 * Format: the line "autogen-ops 5 <build>\n", where <build> names the
 * running binary (its size and mtime: a rebuilt autogen records afresh);
 * then the records: path length (u32), path, size, inode, mtime seconds and
 * nanoseconds (u64 each), direction (u32), encoded op list length (u32) and
 * the op list (opcodec.h); then a hash table of (path, direction) with linear
 * probing: one u32 per slot, 0 or 1 + the offset of a record in the file;
 * then the table's offset and its number of slots (u64 each) and "agopstbl".
 * All integers are little-endian. The file is mapped and the table used as
 * it is, so opening the cache reads nothing: a lookup touches its slots and
 * its record. Writing builds the file anew, the table included.
 */
#include "opcache.h"
#include "../util/common.h"

#include "../schema/opcodec.h"
#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <stdio.h>
#include <sys/stat.h>

#define MAGIC        "autogen-ops 5 "
#define FOOTER_MAGIC "agopstbl"
#define FOOTER_LEN   24

typedef struct record {
    const unsigned char *at; /* the whole record */
    size_t len;
    const char *path;
    size_t path_len;
    ag_fstamp st;
    uint32_t dir;
    const unsigned char *ops;
    size_t ops_len;
} record;

struct ag_opcache {
    char *path;
    char header[128];
    const unsigned char *map;
    size_t map_len;
    const unsigned char *recs_end; /* where the records stop and the table starts */
    const unsigned char *table;    /* in the mapping; NULL when the file is not usable */
    size_t nslots;
    ag_buf added;    /* records put in this run */
    size_t *dropped; /* offsets of old records superseded or damaged */
    size_t ndropped, dropped_cap;
};

static uint64_t key_hash(const char *path, size_t n, uint32_t dir)
{
    return ag_fnv1a(AG_FNV1A_INIT ^ dir, path, n);
}

/* The first line of the file: which autogen wrote it. */
static void build_header(char *out, size_t cap)
{
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0)
        memset(&st, 0, sizeof(st));
    snprintf(out, cap, "%s%lld.%lld.%ld\n", MAGIC, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

/* The record at p, or false when it does not fit before end. */
static bool read_record(const unsigned char *p, const unsigned char *end, record *r)
{
    if (p >= end || end - p < 4)
        return false;
    r->at = p;
    r->path_len = ag_get_u32le(p);
    if ((size_t)(end - p) < 4 + r->path_len + 4 * 8 + 4 + 4)
        return false;
    r->path = (const char *)p + 4;
    const unsigned char *q = p + 4 + r->path_len;
    r->st.size = ag_get_u64le(q);
    r->st.ino = ag_get_u64le(q + 8);
    r->st.mtime_s = (int64_t)ag_get_u64le(q + 16);
    r->st.mtime_ns = (int64_t)ag_get_u64le(q + 24);
    r->dir = ag_get_u32le(q + 32);
    r->ops_len = ag_get_u32le(q + 36);
    r->ops = q + 40;
    if ((size_t)(end - r->ops) < r->ops_len)
        return false;
    r->len = (size_t)(r->ops + r->ops_len - p);
    return true;
}

/* Check the header and the footer; false when the file is not a cache of ours. */
static bool open_table(ag_opcache *c)
{
    size_t hl = strlen(c->header);
    if (c->map_len < hl + FOOTER_LEN || memcmp(c->map, c->header, hl) != 0)
        return false;
    const unsigned char *foot = c->map + c->map_len - FOOTER_LEN;
    if (memcmp(foot + 16, FOOTER_MAGIC, 8) != 0)
        return false;
    uint64_t off = ag_get_u64le(foot), n = ag_get_u64le(foot + 8);
    if (n == 0 || (n & (n - 1)) != 0 || off < hl || off > c->map_len ||
        (c->map_len - FOOTER_LEN - off) / 4 != n || (c->map_len - FOOTER_LEN - off) % 4 != 0)
        return false;
    c->recs_end = c->map + off;
    c->table = c->recs_end;
    c->nslots = (size_t)n;
    return true;
}

ag_opcache *ag_opcache_open(const char *path)
{
    ag_opcache *c = ag_xcalloc(1, sizeof(*c));
    if (!path)
        return c;
    c->path = ag_xstrdup(path);
    build_header(c->header, sizeof(c->header));
    c->map = (const unsigned char *)ag_map_file(path, &c->map_len);
    if (c->map && !open_table(c))
        c->table = NULL;
    return c;
}

static bool same_key(const record *r, const char *path, size_t n, uint32_t dir)
{
    return r->dir == dir && r->path_len == n && memcmp(r->path, path, n) == 0;
}

/* The old record of (path, dir). A slot that points outside the records ends
 * the search: a damaged table only costs misses. */
static bool find(const ag_opcache *c, const char *path, ag_direction dir, record *out)
{
    if (!c->table)
        return false;
    size_t n = strlen(path), hl = strlen(c->header);
    for (size_t h = key_hash(path, n, (uint32_t)dir) & (c->nslots - 1), probes = 0;
         probes < c->nslots; h = (h + 1) & (c->nslots - 1), probes++) {
        uint32_t slot = ag_get_u32le(c->table + 4 * h);
        if (slot == 0 || slot - 1 < hl || slot - 1 >= (size_t)(c->recs_end - c->map))
            return false;
        if (!read_record(c->map + (slot - 1), c->recs_end, out))
            return false;
        if (same_key(out, path, n, (uint32_t)dir))
            return true;
    }
    return false;
}

static void drop(ag_opcache *c, const record *r)
{
    if (c->ndropped == c->dropped_cap) {
        c->dropped_cap = c->dropped_cap ? c->dropped_cap * 2 : 16;
        c->dropped = ag_xrealloc(c->dropped, c->dropped_cap * sizeof(*c->dropped));
    }
    c->dropped[c->ndropped++] = (size_t)(r->at - c->map);
}

static bool same_stamp(const ag_fstamp *a, const ag_fstamp *b)
{
    return a->size == b->size && a->ino == b->ino && a->mtime_s == b->mtime_s &&
           a->mtime_ns == b->mtime_ns;
}

bool ag_opcache_get(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, ag_oplist *ops)
{
    record r;
    if (!find(c, path, dir, &r) || !same_stamp(&r.st, st))
        return false;
    size_t before = ops->n;
    if (!ag_oplist_decode(ops, r.ops, r.ops_len)) {
        ops->n = before; /* the arena keeps the debris; the list does not */
        drop(c, &r);
        return false;
    }
    return true;
}

void ag_opcache_put(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, const ag_oplist *ops)
{
    if (!c->path)
        return;
    record old;
    if (find(c, path, dir, &old))
        drop(c, &old);
    ag_buf *b = &c->added;
    size_t n = strlen(path);
    ag_buf_put_u32le(b, (uint32_t)n);
    ag_buf_put(b, path, n);
    ag_buf_put_u64le(b, st->size);
    ag_buf_put_u64le(b, st->ino);
    ag_buf_put_u64le(b, (uint64_t)st->mtime_s);
    ag_buf_put_u64le(b, (uint64_t)st->mtime_ns);
    ag_buf_put_u32le(b, (uint32_t)dir);
    ag_buf enc = AG_BUF_INIT;
    ag_oplist_encode(&enc, ops);
    ag_buf_put_u32le(b, (uint32_t)enc.len);
    ag_buf_put(b, enc.ptr, enc.len);
    ag_buf_dispose(&enc);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The records of a region, appended to *recs. */
static void collect_records(
    const unsigned char *p, const unsigned char *end, record **recs, size_t *n, size_t *cap)
{
    for (record r; read_record(p, end, &r); p += r.len) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *recs = ag_xrealloc(*recs, *cap * sizeof(**recs));
        }
        (*recs)[(*n)++] = r;
    }
}

/* Insert record i into slots (1 + index), a later record of a key replacing an
 * earlier one, which *lost gets. */
static void table_insert(size_t *slots, size_t nslots, const record *recs, size_t i, size_t *lost)
{
    const record *r = &recs[i];
    size_t h = key_hash(r->path, r->path_len, r->dir) & (nslots - 1);
    for (; slots[h]; h = (h + 1) & (nslots - 1)) {
        if (same_key(&recs[slots[h] - 1], r->path, r->path_len, r->dir)) {
            *lost = slots[h] - 1;
            break;
        }
    }
    slots[h] = i + 1;
}

/* The file anew: the old records still valid, the ones put, and the table. */
static void save(ag_opcache *c)
{
    record *recs = NULL;
    size_t n = 0, cap = 0;
    if (c->table) {
        size_t hl = strlen(c->header), kept_from = 0;
        if (c->ndropped)
            qsort(c->dropped, c->ndropped, sizeof(*c->dropped), cmp_size);
        collect_records(c->map + hl, c->recs_end, &recs, &n, &cap);
        for (size_t i = 0; i < n; i++) {
            size_t off = (size_t)(recs[i].at - c->map);
            if (!c->ndropped || !bsearch(&off, c->dropped, c->ndropped, sizeof(off), cmp_size))
                recs[kept_from++] = recs[i];
        }
        n = kept_from;
    }
    const unsigned char *added = (const unsigned char *)c->added.ptr;
    collect_records(added, added + c->added.len, &recs, &n, &cap);
    size_t nslots = 16;
    while (nslots < n * 2)
        nslots *= 2;
    size_t *slots = ag_xcalloc(nslots, sizeof(*slots));
    bool *lost = ag_xcalloc(n ? n : 1, sizeof(*lost));
    for (size_t i = 0; i < n; i++) {
        size_t l = SIZE_MAX;
        table_insert(slots, nslots, recs, i, &l);
        if (l != SIZE_MAX)
            lost[l] = true;
    }
    ag_buf out = AG_BUF_INIT;
    ag_buf_puts(&out, c->header);
    size_t *offset = ag_xcalloc(n ? n : 1, sizeof(*offset));
    for (size_t i = 0; i < n; i++) {
        if (lost[i])
            continue;
        offset[i] = out.len;
        ag_buf_put(&out, (const char *)recs[i].at, recs[i].len);
    }
    size_t table_off = out.len;
    for (size_t h = 0; h < nslots; h++)
        ag_buf_put_u32le(
            &out, slots[h] && !lost[slots[h] - 1] ? (uint32_t)(offset[slots[h] - 1] + 1) : 0);
    ag_buf_put_u64le(&out, table_off);
    ag_buf_put_u64le(&out, nslots);
    ag_buf_put(&out, FOOTER_MAGIC, 8);
    if (out.len <= UINT32_MAX) /* offsets are u32; a larger cache is not kept */
        ag_write_file_atomic(c->path, out.ptr, out.len, NULL);
    ag_buf_dispose(&out);
    free(offset);
    free(lost);
    free(slots);
    free(recs);
}

void ag_opcache_close(ag_opcache *c)
{
    if (!c)
        return;
    if (c->path && c->added.len)
        save(c);
    ag_unmap_file((const char *)c->map, c->map_len);
    free(c->dropped);
    free(c->path);
    ag_buf_dispose(&c->added);
    free(c);
}
