/* hash.h - FNV-1a, and a map from strings to pointers.
 *
 * FNV-1a names cache files (object cache, header index, op cache), so its
 * values must never change between builds. The map is for lookups by name in
 * loops over a whole schema, where a linear search would make the loop
 * quadratic; it does not copy its keys, which must outlive it.
 */
#ifndef AUTOGEN_UTIL_HASH_H
#define AUTOGEN_UTIL_HASH_H

#include "common.h"

#include <stdint.h>

#define AG_FNV1A_INIT 1469598103934665603ULL

/* h continued over n bytes of p: start from AG_FNV1A_INIT. */
static inline uint64_t ag_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

static inline uint64_t ag_fnv1a_str(const char *s)
{
    return ag_fnv1a(AG_FNV1A_INIT, s, strlen(s));
}

typedef struct ag_strmap {
    const char **keys; /* open addressing; NULL = empty slot */
    void **vals;
    size_t n, cap; /* cap: 0 or a power of two */
} ag_strmap;

#define AG_STRMAP_INIT                                                                             \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* The value of key, or NULL. */
void *ag_strmap_get(const ag_strmap *m, const char *key);
/* Set key (not copied) to val, replacing any value it had. */
void ag_strmap_put(ag_strmap *m, const char *key, void *val);
void ag_strmap_release(ag_strmap *m);

#endif
