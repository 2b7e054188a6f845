/* buf.h - a growable, always NUL-terminated string owned by its holder. */
#ifndef AUTOGEN_UTIL_BUF_H
#define AUTOGEN_UTIL_BUF_H

#include "common.h"

typedef struct ag_buf {
    char *ptr;  /* NUL-terminated contents, or NULL while empty */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} ag_buf;

#define AG_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void ag_buf_dispose(ag_buf *b);
void ag_buf_clear(ag_buf *b);
void ag_buf_put(ag_buf *b, const char *s, size_t n);
void ag_buf_puts(ag_buf *b, const char *s);
void ag_buf_putc(ag_buf *b, char c);
void ag_buf_printf(ag_buf *b, const char *fmt, ...) AG_PRINTF(2, 3);
const char *ag_buf_cstr(const ag_buf *b); /* "" while empty, never NULL */
char *ag_buf_detach(ag_buf *b);           /* caller frees with free() */

/* SQL helpers: append s as a "double-quoted" identifier / 'single-quoted' literal. */
void ag_buf_quote_ident(ag_buf *b, const char *s);
void ag_buf_quote_literal(ag_buf *b, const char *s);
/* Append s as a C string literal body with quotes: "a\"b\n". */
void ag_buf_quote_c(ag_buf *b, const char *s);

/* Little-endian integers, as the binary caches (op cache, op lists) store them. */
void ag_buf_put_u32le(ag_buf *b, uint32_t v);
void ag_buf_put_u64le(ag_buf *b, uint64_t v);
static inline uint32_t ag_get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ag_get_u64le(const unsigned char *p)
{
    return (uint64_t)ag_get_u32le(p) | (uint64_t)ag_get_u32le(p + 4) << 32;
}

#endif
