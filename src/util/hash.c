/* hash.c - the string map of hash.h. */
#include "hash.h"

#include <stdio.h>

static size_t slot_of(const ag_strmap *m, const char *key)
{
    size_t i = (size_t)ag_fnv1a_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void *ag_strmap_get(const ag_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? m->vals[i] : NULL;
}

static void grow(ag_strmap *m)
{
    ag_strmap bigger = { .cap = m->cap ? m->cap * 2 : 64 };
    bigger.keys = ag_xcalloc(bigger.cap, sizeof(*bigger.keys));
    bigger.vals = ag_xcalloc(bigger.cap, sizeof(*bigger.vals));
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            ag_strmap_put(&bigger, m->keys[i], m->vals[i]);
    ag_strmap_release(m);
    *m = bigger;
}

void ag_strmap_put(ag_strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot_of(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

void ag_strmap_release(ag_strmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->n = m->cap = 0;
}
