/* arena.c - bump allocator; see arena.h. */
#include "arena.h"
#include "common.h"

#include <stdarg.h>
#include <stdio.h>

struct ag_arena_block {
    ag_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

enum { BLOCK_MIN = 16 * 1024 };

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("autogen: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

void ag_arena_release(ag_arena *a)
{
    if (!a)
        return;
    ag_arena_block *b = a->head;
    while (b) {
        ag_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *ag_arena_alloc(ag_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    ag_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
        b = xmalloc(sizeof(*b) + cap);
        b->used = 0;
        b->size = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *ag_arena_strndup(ag_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = ag_arena_alloc(a, n + 1);
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
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ag_arena_strdup(a, "");
    char *d = ag_arena_alloc(a, (size_t)n + 1);
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
    void *n = ag_arena_alloc(a, ncap * elem);
    if (ptr && *cap)
        memcpy(n, ptr, *cap * elem);
    *cap = ncap;
    return n;
}
