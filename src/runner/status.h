/* status.h - `autogen status`: every revision of the graph, applied or
 * pending, with the run that applied it; what the database has applied that
 * no file defines; applied files edited since (README, "Running in
 * production"). Read only: nothing is created or written. */
#ifndef AUTOGEN_RUNNER_STATUS_H
#define AUTOGEN_RUNNER_STATUS_H

#include "runlog.h"
#include "runner.h"

typedef enum ag_status_state {
    AG_STATUS_APPLIED,
    AG_STATUS_PENDING,
    AG_STATUS_MISSING /* applied in the database, defined by no file */
} ag_status_state;

typedef struct ag_status_item {
    const char *revision;
    const ag_rev *rev; /* NULL when missing */
    ag_status_state state;
    bool edited;            /* applied, and its file changed since the log recorded it */
    const ag_log_rev *log;  /* what the run log says of it, or NULL */
    char file_checksum[65]; /* the file's, where the log has one to compare; else "" */
} ag_status_item;

typedef struct ag_status {
    ag_runlog log;
    ag_status_item *v; /* the graph's revisions in order (parents first), then the missing */
    size_t n;
    size_t applied, pending, missing, edited;
} ag_status;

int ag_runner_status(ag_runner *r, ag_status *out, ag_error *err);
void ag_status_release(ag_status *s);

#endif
