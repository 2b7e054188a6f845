/* arena.h - a bump allocator for things that die together.
 *
 * A schema, an operation list or a loaded revision graph owns one arena; every
 * node and string in it is allocated here and freed in one ag_arena_release().
 * Allocation never returns NULL: out of memory aborts, since the CLI cannot
 * continue and the library documents that it does not recover from OOM.
 */
#ifndef AUTOGEN_UTIL_ARENA_H
#define AUTOGEN_UTIL_ARENA_H

#include "common.h"

typedef struct ag_arena_block ag_arena_block;

typedef struct ag_arena {
    ag_arena_block *head; /* newest block; older ones chain behind it */
} ag_arena;

#define AG_ARENA_INIT                                                                              \
    {                                                                                              \
        NULL                                                                                       \
    }

void ag_arena_release(ag_arena *a);
void *ag_arena_alloc(ag_arena *a, size_t size);    /* zeroed, 16-byte aligned */
char *ag_arena_strdup(ag_arena *a, const char *s); /* NULL in, NULL out */
char *ag_arena_strndup(ag_arena *a, const char *s, size_t n);
char *ag_arena_printf(ag_arena *a, const char *fmt, ...) AG_PRINTF(2, 3);

/* Grow an arena array of *cap elements of size elem to hold at least need. */
void *ag_arena_grow(ag_arena *a, void *ptr, size_t elem, size_t *cap, size_t need);

/* Append one pointer-sized element to an arena-backed array (v, n, cap). */
#define AG_ARENA_PUSH(arena, v, n, cap, x)                                                         \
    do {                                                                                           \
        (v) = ag_arena_grow((arena), (v), sizeof(*(v)), &(cap), (n) + 1);                          \
        (v)[(n)++] = (x);                                                                          \
    } while (0)

#endif
