/* status.c - what is applied, pending, missing or edited; see status.h. */
#include "status.h"
#include "../util/common.h"

#include "../util/buf.h"
#include "../util/error.h"

static ag_status_item *add(ag_status *s, size_t *cap)
{
    if (s->n >= *cap) {
        *cap *= 2;
        s->v = ag_xrealloc(s->v, *cap * sizeof(*s->v));
    }
    ag_status_item *it = &s->v[s->n++];
    memset(it, 0, sizeof(*it));
    return it;
}

int ag_runner_status(ag_runner *r, ag_status *out, ag_error *err)
{
    memset(out, 0, sizeof(*out));
    ag_graph *g = r->graph;
    ag_arena a = AG_ARENA_INIT;
    /* The `schema:` setting, where the version table and the log live. */
    ag_strs setup = { 0 }, held = { 0 }, unknown = { 0 };
    if (r->schema && r->dialect->schema_sql)
        r->dialect->schema_sql(&a, r->schema, false, &setup);
    int rc = AG_OK;
    for (size_t i = 0; rc == AG_OK && i < setup.n; i++)
        rc = r->dialect->exec(r->db, setup.v[i], err);
    if (rc == AG_OK)
        rc = ag_runner_version_ids(r, &a, &held, err);
    if (rc == AG_OK && r->run_log_table)
        rc = ag_runlog_read(r->dialect, r->db, r->run_log_table, &out->log, err);
    ag_rev **heads = ag_xcalloc(g->n + 1, sizeof(*heads));
    size_t nheads = 0;
    for (size_t i = 0; rc == AG_OK && i < held.n; i++) {
        ag_rev *rev = NULL;
        if (ag_graph_find(&rev, g, held.v[i], NULL) == AG_OK &&
            strcmp(rev->rf.revision, held.v[i]) == 0 && nheads < g->n)
            heads[nheads++] = rev;
        else
            ag_strs_push_arena(&a, &unknown, held.v[i]);
    }
    ag_plan applied = { 0 };
    if (rc == AG_OK)
        rc = ag_graph_plan_upgrade(&applied, g, NULL, 0, heads, nheads, err);
    unsigned char *in = ag_xcalloc(g->n + 1, 1);
    for (size_t i = 0; i < applied.n; i++)
        in[applied.revs[i]->topo] = 1;
    size_t cap = g->n + out->log.n + unknown.n + 1;
    out->v = ag_xcalloc(cap, sizeof(*out->v));
    for (size_t i = 0; rc == AG_OK && i < g->n; i++) {
        ag_rev *rev = g->revs[i];
        ag_status_item *it = add(out, &cap);
        it->revision = rev->rf.revision;
        it->rev = rev;
        it->log = ag_runlog_get(&out->log, rev->rf.revision);
        /* A head no file defines hides the revisions below it from the
         * version table: the log says which of them are applied. */
        bool on = in[i] || (unknown.n && it->log && it->log->applied);
        it->state = on ? AG_STATUS_APPLIED : AG_STATUS_PENDING;
        if (on)
            it->edited = ag_runlog_edited(it->log, rev->rf.path, it->file_checksum);
        if (!it->log || !it->log->checksum)
            it->file_checksum[0] = '\0';
    }
    /* Missing: applied as the log or the version table says, and no file. */
    for (size_t i = 0; rc == AG_OK && i < out->log.n; i++) {
        ag_log_rev *e = out->log.v[i];
        ag_rev *rev = NULL;
        bool known = ag_graph_find(&rev, g, e->revision, NULL) == AG_OK &&
                     strcmp(rev->rf.revision, e->revision) == 0;
        bool held_here = false;
        for (size_t k = 0; k < unknown.n && !held_here; k++)
            held_here = strcmp(unknown.v[k], e->revision) == 0;
        if (known || (!e->applied && !held_here))
            continue;
        ag_status_item *it = add(out, &cap);
        it->revision = e->revision;
        it->state = AG_STATUS_MISSING;
        it->log = e;
    }
    for (size_t k = 0; rc == AG_OK && k < unknown.n; k++) {
        if (ag_runlog_get(&out->log, unknown.v[k]))
            continue; /* listed above */
        ag_status_item *it = add(out, &cap);
        it->revision = ag_arena_strdup(&out->log.arena, unknown.v[k]);
        it->state = AG_STATUS_MISSING;
    }
    for (size_t i = 0; i < out->n; i++) {
        out->applied += out->v[i].state == AG_STATUS_APPLIED;
        out->pending += out->v[i].state == AG_STATUS_PENDING;
        out->missing += out->v[i].state == AG_STATUS_MISSING;
        out->edited += out->v[i].edited;
    }
    free(in);
    free(heads);
    ag_plan_release(&applied);
    ag_arena_release(&a);
    if (rc != AG_OK)
        ag_status_release(out);
    return rc;
}

void ag_status_release(ag_status *s)
{
    ag_runlog_release(&s->log);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}
