/* error.h - setting and formatting ag_error (the type is public, in autogen.h).
 *
 * Rule: an error is set once, at the lowest level that knows the cause, with a
 * location when there is one. Callers may add context with ag_error_prefix()
 * but never overwrite the location.
 */
#ifndef AUTOGEN_UTIL_ERROR_H
#define AUTOGEN_UTIL_ERROR_H

#include "common.h"
#include <autogen/autogen.h>

/* Set err (if not NULL) and return code, so callers can `return ag_error_set(...)`. */
int ag_error_set(ag_error *err, int code, const char *fmt, ...) AG_PRINTF(3, 4);
int ag_error_set_at(
    ag_error *err, int code, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    AG_PRINTF(6, 7);
/* Prepend "context: " to the message. */
void ag_error_prefix(ag_error *err, const char *fmt, ...) AG_PRINTF(2, 3);
void ag_error_clear(ag_error *err);

#endif
