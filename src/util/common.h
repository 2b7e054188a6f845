/* common.h - the first include of every .c file in src/.
 *
 * Fixes the feature-test macros, brings in the handful of standard headers
 * every module uses, and defines the small attribute macros. Nothing here
 * allocates or knows about schemas.
 */
#ifndef AUTOGEN_UTIL_COMMON_H
#define AUTOGEN_UTIL_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define AG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AG_UNUSED(x)    ((void)(x))
#define AG_NELEM(a)     (sizeof(a) / sizeof((a)[0]))

/* Allocation: the policy stated in autogen.h. These never return NULL: when
 * memory runs out they call ag_oom(), which prints one line and aborts. The
 * raw allocators are used only in alloc.c (tests/lint/test_alloc.sh). */
#define AG_MALLOC __attribute__((malloc, returns_nonnull, warn_unused_result))
_Noreturn void ag_oom(void);
void *ag_xmalloc(size_t n) AG_MALLOC;
void *ag_xcalloc(size_t n, size_t size) AG_MALLOC;
void *ag_xrealloc(void *p, size_t n) __attribute__((returns_nonnull, warn_unused_result));
char *ag_xstrdup(const char *s) AG_MALLOC;
char *ag_xstrndup(const char *s, size_t n) AG_MALLOC;

/* Equal strings, where NULL (no schema, no comment, no default) equals only NULL. */
static inline bool ag_str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

#endif
