/* error.c - see error.h. */
#include "error.h"
#include "common.h"

#include <stdarg.h>
#include <stdio.h>

/* AG_PRINTF(6, 0): clang checks the callers' formats, and knows fmt is one. */
static void vset(ag_error *err,
                 int code,
                 const char *file,
                 unsigned line,
                 unsigned col,
                 const char *fmt,
                 va_list ap) AG_PRINTF(6, 0);
static void vset(ag_error *err,
                 int code,
                 const char *file,
                 unsigned line,
                 unsigned col,
                 const char *fmt,
                 va_list ap) AG_PRINTF(6, 0);

static void vset(ag_error *err,
                 int code,
                 const char *file,
                 unsigned line,
                 unsigned col,
                 const char *fmt,
                 va_list ap)
{
    err->code = code;
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    err->line = line;
    err->col = col;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int ag_error_set(ag_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    return code;
}

int ag_error_set_at(
    ag_error *err, int code, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, file, line, col, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ag_error_prefix(ag_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char pre[256], old[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    size_t n = strlen(pre);
    if (n > sizeof(err->msg) - 3)
        n = sizeof(err->msg) - 3;
    memcpy(err->msg, pre, n);
    memcpy(err->msg + n, ": ", 2);
    size_t room = sizeof(err->msg) - n - 3, m = strlen(old);
    if (m > room)
        m = room;
    memcpy(err->msg + n + 2, old, m);
    err->msg[n + 2 + m] = '\0';
}

void ag_error_clear(ag_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}
