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

/* Equal strings, where NULL (no schema, no comment, no default) equals only NULL. */
static inline bool ag_str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

#endif
