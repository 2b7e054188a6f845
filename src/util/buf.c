/* buf.c - growable strings; see buf.h. */
#include "buf.h"
#include "common.h"

#include <stdarg.h>
#include <stdio.h>

static void reserve(ag_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = ag_xrealloc(b->ptr, cap);
    b->ptr = p;
    b->cap = cap;
}

void ag_buf_dispose(ag_buf *b)
{
    if (!b)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void ag_buf_clear(ag_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void ag_buf_put(ag_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void ag_buf_puts(ag_buf *b, const char *s)
{
    ag_buf_put(b, s, strlen(s));
}

void ag_buf_putc(ag_buf *b, char c)
{
    ag_buf_put(b, &c, 1);
}

void ag_buf_printf(ag_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *ag_buf_cstr(const ag_buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *ag_buf_detach(ag_buf *b)
{
    char *p = b->ptr;
    if (!p)
        p = ag_xcalloc(1, 1);
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

static void quote_with(ag_buf *b, const char *s, char q)
{
    ag_buf_putc(b, q);
    for (; *s; s++) {
        if (*s == q)
            ag_buf_putc(b, q);
        ag_buf_putc(b, *s);
    }
    ag_buf_putc(b, q);
}

void ag_buf_quote_ident(ag_buf *b, const char *s)
{
    quote_with(b, s, '"');
}

void ag_buf_quote_literal(ag_buf *b, const char *s)
{
    quote_with(b, s, '\'');
}

void ag_buf_quote_c(ag_buf *b, const char *s)
{
    ag_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':
            ag_buf_puts(b, "\\\"");
            break;
        case '\\':
            ag_buf_puts(b, "\\\\");
            break;
        case '\n':
            ag_buf_puts(b, "\\n");
            break;
        case '\t':
            ag_buf_puts(b, "\\t");
            break;
        case '\r':
            ag_buf_puts(b, "\\r");
            break;
        default:
            if (c < 0x20)
                ag_buf_printf(b, "\\%03o", c);
            else
                ag_buf_putc(b, (char)c);
        }
    }
    ag_buf_putc(b, '"');
}

void ag_buf_put_u32le(ag_buf *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    ag_buf_put(b, (const char *)x, 4);
}

void ag_buf_put_u64le(ag_buf *b, uint64_t v)
{
    ag_buf_put_u32le(b, (uint32_t)v);
    ag_buf_put_u32le(b, (uint32_t)(v >> 32));
}
