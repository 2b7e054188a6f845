/* opcache.c - recorded operations kept between runs; see opcache.h.
 *
 * Format: the line "autogen-ops 1 <build>\n", where <build> names the
 * running binary (its size and mtime: a rebuilt autogen records afresh),
 * then records: path length (u32), path, size, inode, mtime seconds and
 * nanoseconds (u64 each), direction (u32), encoded op list length (u32) and
 * the op list (opcodec.h). The file is mapped; a hash table over the records
 * is built on open.
 */
#include "opcache.h"
#include "../util/common.h"

#include "../schema/opcodec.h"
#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <stdio.h>
#include <sys/stat.h>

#define MAGIC "autogen-ops 1 "

typedef struct record {
    const unsigned char *at; /* the whole record, in the mapping */
    size_t len;
    const char *path;
    size_t path_len;
    ag_fstamp st;
    uint32_t dir;
    const unsigned char *ops;
    size_t ops_len;
    bool replaced;
} record;

struct ag_opcache {
    char *path;
    char header[128];
    const unsigned char *map;
    size_t map_len;
    record *recs;
    size_t nrecs;
    size_t *slots; /* hash of (path, dir) -> recs index + 1 */
    size_t nslots;
    ag_buf added; /* records put in this run */
};

static uint64_t key_hash(const char *path, size_t n, uint32_t dir)
{
    return ag_fnv1a(AG_FNV1A_INIT ^ dir, path, n);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void put32(ag_buf *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    ag_buf_put(b, (const char *)x, 4);
}

static void put64(ag_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
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
    if (end - p < 4)
        return false;
    r->at = p;
    r->path_len = rd32(p);
    if ((size_t)(end - p) < 4 + r->path_len + 4 * 8 + 4 + 4)
        return false;
    r->path = (const char *)p + 4;
    const unsigned char *q = p + 4 + r->path_len;
    r->st.size = rd64(q);
    r->st.ino = rd64(q + 8);
    r->st.mtime_s = (int64_t)rd64(q + 16);
    r->st.mtime_ns = (int64_t)rd64(q + 24);
    r->dir = rd32(q + 32);
    r->ops_len = rd32(q + 36);
    r->ops = q + 40;
    if ((size_t)(end - r->ops) < r->ops_len)
        return false;
    r->len = (size_t)(r->ops + r->ops_len - p);
    r->replaced = false;
    return true;
}

/* Parse the records of the mapping; false when it is not a cache of ours.
 * A first pass counts them, so that the table is allocated once. */
static bool index_records(ag_opcache *c)
{
    size_t hl = strlen(c->header);
    if (c->map_len < hl || memcmp(c->map, c->header, hl) != 0)
        return false;
    const unsigned char *begin = c->map + hl, *end = c->map + c->map_len;
    /* Count the records from their lengths alone, then read them. */
    size_t n = 0;
    for (const unsigned char *p = begin; p < end; n++) {
        if (end - p < 4)
            return false;
        size_t path_len = rd32(p);
        if ((size_t)(end - p) < 4 + path_len + 4 * 8 + 4 + 4)
            return false;
        const unsigned char *ops = p + 4 + path_len + 40;
        size_t ops_len = rd32(ops - 4);
        if ((size_t)(end - ops) < ops_len)
            return false;
        p = ops + ops_len;
    }
    c->recs = malloc((n ? n : 1) * sizeof(*c->recs));
    if (!c->recs)
        abort();
    for (const unsigned char *p = begin; p < end; p += c->recs[c->nrecs++].len)
        read_record(p, end, &c->recs[c->nrecs]);
    c->nslots = 16;
    while (c->nslots < c->nrecs * 2)
        c->nslots *= 2;
    c->slots = calloc(c->nslots, sizeof(*c->slots));
    if (!c->slots)
        abort();
    for (size_t i = 0; i < c->nrecs; i++) {
        const record *ri = &c->recs[i];
        size_t h = key_hash(ri->path, ri->path_len, ri->dir) & (c->nslots - 1);
        for (; c->slots[h]; h = (h + 1) & (c->nslots - 1)) {
            record *o = &c->recs[c->slots[h] - 1];
            if (o->dir == ri->dir && o->path_len == ri->path_len &&
                memcmp(o->path, ri->path, ri->path_len) == 0) {
                o->replaced = true; /* the later record of a key wins */
                break;
            }
        }
        c->slots[h] = i + 1;
    }
    return true;
}

ag_opcache *ag_opcache_open(const char *path)
{
    ag_opcache *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    if (!path)
        return c;
    c->path = strdup(path);
    build_header(c->header, sizeof(c->header));
    c->map = (const unsigned char *)ag_map_file(path, &c->map_len);
    if (c->map && !index_records(c)) {
        free(c->recs);
        c->recs = NULL;
        c->nrecs = 0;
    }
    return c;
}

static record *find(ag_opcache *c, const char *path, ag_direction dir)
{
    if (!c->nslots)
        return NULL;
    size_t n = strlen(path);
    for (size_t h = key_hash(path, n, (uint32_t)dir) & (c->nslots - 1); c->slots[h];
         h = (h + 1) & (c->nslots - 1)) {
        record *r = &c->recs[c->slots[h] - 1];
        if (r->dir == (uint32_t)dir && r->path_len == n && memcmp(r->path, path, n) == 0)
            return r;
    }
    return NULL;
}

static bool same_stamp(const ag_fstamp *a, const ag_fstamp *b)
{
    return a->size == b->size && a->ino == b->ino && a->mtime_s == b->mtime_s &&
           a->mtime_ns == b->mtime_ns;
}

bool ag_opcache_get(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, ag_oplist *ops)
{
    record *r = find(c, path, dir);
    if (!r || !same_stamp(&r->st, st))
        return false;
    size_t before = ops->n;
    if (!ag_oplist_decode(ops, r->ops, r->ops_len)) {
        ops->n = before; /* the arena keeps the debris; the list does not */
        r->replaced = true;
        return false;
    }
    return true;
}

void ag_opcache_put(
    ag_opcache *c, const char *path, const ag_fstamp *st, ag_direction dir, const ag_oplist *ops)
{
    if (!c->path)
        return;
    record *old = find(c, path, dir);
    if (old)
        old->replaced = true;
    ag_buf *b = &c->added;
    size_t n = strlen(path);
    put32(b, (uint32_t)n);
    ag_buf_put(b, path, n);
    put64(b, st->size);
    put64(b, st->ino);
    put64(b, (uint64_t)st->mtime_s);
    put64(b, (uint64_t)st->mtime_ns);
    put32(b, (uint32_t)dir);
    ag_buf enc = AG_BUF_INIT;
    ag_oplist_encode(&enc, ops);
    put32(b, (uint32_t)enc.len);
    ag_buf_put(b, enc.ptr, enc.len);
    ag_buf_dispose(&enc);
}

void ag_opcache_close(ag_opcache *c)
{
    if (!c)
        return;
    if (c->path && c->added.len) {
        ag_buf out = AG_BUF_INIT;
        ag_buf_puts(&out, c->header);
        for (size_t i = 0; i < c->nrecs; i++)
            if (!c->recs[i].replaced)
                ag_buf_put(&out, (const char *)c->recs[i].at, c->recs[i].len);
        ag_buf_put(&out, c->added.ptr, c->added.len);
        ag_write_file_atomic(c->path, out.ptr, out.len, NULL);
        ag_buf_dispose(&out);
    }
    ag_unmap_file((const char *)c->map, c->map_len);
    free(c->recs);
    free(c->slots);
    free(c->path);
    ag_buf_dispose(&c->added);
    free(c);
}
