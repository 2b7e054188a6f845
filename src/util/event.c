/* event.c - delivering events (event.h). */
#include "event.h"

#include <stdarg.h>
#include <stdio.h>

void ag_emit(const ag_events *ev, const ag_event *e)
{
    if (ev && ev->fn)
        ev->fn(e, ev->payload);
}

void ag_emitf(const ag_events *ev, ag_event_kind kind, const char *fmt, ...)
{
    if (!ev || !ev->fn)
        return; /* nobody listens: not even formatted */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = ag_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    text[0] = '\0';
    if (n > 0) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    ag_event e = { .kind = kind, .text = text };
    ev->fn(&e, ev->payload);
    free(text);
}
