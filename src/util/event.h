/* event.h - where library code reports what it does (autogen.h, "Output").
 *
 * Library code never prints: it hands an ag_event to the sink the project
 * was opened with. No sink (or no callback) means nobody listens, and the
 * event is dropped. The CLI's sink prints what the command always printed.
 */
#ifndef AUTOGEN_UTIL_EVENT_H
#define AUTOGEN_UTIL_EVENT_H

#include "common.h"
#include <autogen/autogen.h>

typedef struct ag_events {
    ag_event_cb fn; /* NULL: silent */
    void *payload;
} ag_events;

/* Deliver e (e->text must be set) when someone listens. */
void ag_emit(const ag_events *ev, const ag_event *e);
/* An event with only a kind and a text, formatted. */
void ag_emitf(const ag_events *ev, ag_event_kind kind, const char *fmt, ...) AG_PRINTF(3, 4);

#endif
