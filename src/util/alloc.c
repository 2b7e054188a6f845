/* alloc.c - the checked allocators: the one out-of-memory policy (autogen.h). */
#include "common.h"

#include <stdio.h>

void ag_oom(void)
{
    fputs("autogen: error: out of memory\n", stderr);
    abort();
}

void *ag_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ag_oom();
    return p;
}

void *ag_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ag_oom();
    return p;
}

void *ag_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ag_oom();
    return q;
}

char *ag_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        ag_oom();
    return p;
}

char *ag_xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p)
        ag_oom();
    return p;
}
