/* arena.c - bump allocator; see arena.h.
 *
 * Blocks double in size, from 16 KiB up to 1 MiB, so that an arena holding
 * a large graph or schema takes few of them. Blocks of 256 KiB and more are
 * mapped with their pages populated up front: touching fresh memory a page
 * at a time costs one fault per 4 KiB, which on a large history is a good
 * part of a command's time. A mapped block is zero and never reused, so its
 * allocations need no clearing.
 */
#include "arena.h"
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>

struct ag_arena_block {
    ag_arena_block *next;
    size_t used, size;
    bool mapped;
    _Alignas(16) unsigned char data[];
};

enum { BLOCK_MIN = 16 * 1024, BLOCK_MAX = 1024 * 1024, MAP_MIN = 256 * 1024 };

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

static void *xmalloc(size_t n)
{
    return ag_xmalloc(n);
}

void ag_arena_release(ag_arena *a)
{
    if (!a)
        return;
    ag_arena_block *b = a->head;
    while (b) {
        ag_arena_block *next = b->next;
        if (b->mapped)
            munmap(b, sizeof(*b) + b->size);
        else
            free(b);
        b = next;
    }
    a->head = NULL;
}

/* size bytes at the given alignment (a power of two, at most 16), not cleared. */
static void *bump(ag_arena *a, size_t size, size_t align)
{
    ag_arena_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->size || b->size - at < size) {
        size_t cap = b ? b->size * 2 : BLOCK_MIN;
        if (cap > BLOCK_MAX)
            cap = BLOCK_MAX;
        if (cap < size)
            cap = size;
        ag_arena_block *nb = NULL;
        bool mapped = false;
        if (cap >= MAP_MIN) {
            void *m = mmap(NULL, sizeof(*nb) + cap, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (m != MAP_FAILED) {
                nb = m;
                mapped = true;
            }
        }
        if (!nb)
            nb = xmalloc(sizeof(*nb) + cap);
        nb->used = 0;
        nb->size = cap;
        nb->mapped = mapped;
        nb->next = a->head;
        a->head = b = nb;
        at = 0;
    }
    b->used = at + size;
    return b->data + at;
}

void *ag_arena_alloc(ag_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    void *p = bump(a, size, 16);
    if (!a->head->mapped)
        memset(p, 0, size);
    return p;
}

/* Strings need no alignment: packed end to end, a name of a few letters takes
 * a few bytes, not 16 (at 10,000 tables, 3 MB of the two schemas). */
char *ag_arena_strndup(ag_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = bump(a, n + 1, 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ag_arena_strdup(ag_arena *a, const char *s)
{
    return s ? ag_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ag_arena_printf(ag_arena *a, const char *fmt, ...)
{
    /* Most results are names: formatted once, on the stack, then copied;
     * a longer one is measured first. */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return ag_arena_strdup(a, "");
    if ((size_t)n < sizeof(small))
        return ag_arena_strndup(a, small, (size_t)n);
    char *d = bump(a, (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void *ag_arena_grow(ag_arena *a, void *ptr, size_t elem, size_t *cap, size_t need)
{
    if (need <= *cap)
        return ptr;
    size_t ncap = *cap ? *cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    /* The array that was the last allocation grows where it is, when its
     * block has the room: a list filled in a loop leaves no abandoned copies
     * behind (arrays of 10,000 tables would leave as much again). */
    ag_arena_block *b = a->head;
    size_t old = (*cap * elem + 15) & ~(size_t)15, want = (ncap * elem + 15) & ~(size_t)15;
    if (ptr && *cap && b && (unsigned char *)ptr + old == b->data + b->used &&
        want - old <= b->size - b->used) {
        if (!b->mapped)
            memset(b->data + b->used, 0, want - old);
        b->used += want - old;
        *cap = ncap;
        return ptr;
    }
    void *n = ag_arena_alloc(a, ncap * elem);
    if (ptr && *cap)
        memcpy(n, ptr, *cap * elem);
    *cap = ncap;
    return n;
}
