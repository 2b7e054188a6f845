/* draw.c - the revision graph as text, dot and Mermaid; see draw.h. */
#include "draw.h"
#include "../util/common.h"

#include "../util/buf.h"

#define SHOWN(o, r) (!(o) || (o)[(r)->topo])

/* --- order ------------------------------------------------------------------ */

/* git's --topo-order: a revision is ready once every shown child and
 * dependent is out; ready revisions go on a stack, so the parent just freed
 * comes next and a line of history is drawn through before another starts.
 * The tips are pushed oldest first, so the newest comes out first; of a
 * merge's parents the last one pushed (the last down_revision) comes first,
 * which puts it in the column to the right, as git draws a merge. */
ag_rev **ag_draw_order(const ag_graph *g, const bool *shown, size_t *n)
{
    size_t *pending = ag_xcalloc(g->n + 1, sizeof(size_t));
    ag_rev **stack = ag_xmalloc((g->n + 1) * sizeof(*stack));
    ag_rev **order = ag_xmalloc((g->n + 1) * sizeof(*order));
    size_t sp = 0, k = 0;
    for (size_t i = 0; i < g->n; i++) {
        const ag_rev *r = g->revs[i];
        if (!SHOWN(shown, r))
            continue;
        for (size_t c = 0; c < r->nchildren; c++)
            pending[i] += SHOWN(shown, r->children[c]);
        for (size_t c = 0; c < r->ndependents; c++)
            pending[i] += SHOWN(shown, r->dependents[c]);
    }
    for (size_t i = 0; i < g->n; i++)
        if (SHOWN(shown, g->revs[i]) && pending[i] == 0)
            stack[sp++] = g->revs[i];
    while (sp) {
        ag_rev *r = stack[--sp];
        order[k++] = r;
        /* What r depends on first, so that its parents come out before it. */
        for (size_t d = 0; d < r->ndeps; d++)
            if (SHOWN(shown, r->deps[d]) && --pending[r->deps[d]->topo] == 0)
                stack[sp++] = r->deps[d];
        for (size_t p = 0; p < r->nparents; p++)
            if (SHOWN(shown, r->parents[p]) && --pending[r->parents[p]->topo] == 0)
                stack[sp++] = r->parents[p];
    }
    free(pending);
    free(stack);
    *n = k;
    return order;
}

static bool is_current(const ag_draw_opts *o, const ag_rev *r)
{
    for (size_t i = 0; i < o->ncurrent; i++)
        if (o->current[i] == r)
            return true;
    return false;
}

/* --- text ------------------------------------------------------------------- */

/* A line of the drawing between two revisions: from column `at` (where it
 * leaves the row above) to column `to` (where it must be for the next). */
typedef struct edge {
    size_t at, to;
} edge;

typedef struct canvas {
    char *row; /* one row of art, spaces where nothing is drawn */
    size_t width, cap;
} canvas;

static void row_start(canvas *cv, size_t width)
{
    if (width + 1 > cv->cap) {
        cv->cap = (width + 1) * 2;
        cv->row = ag_xrealloc(cv->row, cv->cap);
    }
    memset(cv->row, ' ', width);
    cv->width = width;
}

/* Two lines crossing on one character (one going left, one right) show as X. */
static void put(canvas *cv, size_t x, char c)
{
    char *at = &cv->row[x];
    *at = *at == ' ' || *at == c ? c : 'X';
}

/* The row without its trailing spaces, and a newline. */
static void row_end(ag_buf *b, const canvas *cv)
{
    size_t len = cv->width;
    while (len && cv->row[len - 1] == ' ')
        len--;
    ag_buf_put(b, cv->row, len);
    ag_buf_putc(b, '\n');
}

/* Rows until every edge is at its column, each moving one column a row:
 * `/` to the left, `\` to the right, `|` once there. Lines that reach the
 * same column merge; a line passing another crosses it as git draws it. */
static void transition(ag_buf *b, canvas *cv, edge *e, size_t ne)
{
    for (;;) {
        size_t width = 0;
        bool moving = false;
        for (size_t i = 0; i < ne; i++) {
            moving |= e[i].at != e[i].to;
            size_t w = 2 * (e[i].at > e[i].to ? e[i].at : e[i].to) + 2;
            width = w > width ? w : width;
        }
        if (!moving)
            return;
        row_start(cv, width);
        for (size_t i = 0; i < ne; i++) {
            if (e[i].at == e[i].to) {
                put(cv, 2 * e[i].at, '|');
            } else if (e[i].to < e[i].at) {
                put(cv, 2 * e[i].at - 1, '/');
                e[i].at--;
            } else {
                put(cv, 2 * e[i].at + 1, '\\');
                e[i].at++;
            }
        }
        row_end(b, cv);
    }
}

/* A message on one line: control characters (a newline) become spaces. */
static void put_oneline(ag_buf *b, const char *s)
{
    for (; s && *s; s++)
        ag_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static void put_label_text(ag_buf *b, const ag_draw_opts *o, const ag_rev *r)
{
    put_oneline(b, r->rf.revision);
    if (r->nchildren == 0)
        ag_buf_puts(b, " (head)");
    if (is_current(o, r))
        ag_buf_puts(b, " (current)");
    if (r->nparents == 0)
        ag_buf_puts(b, " (base)");
    for (size_t i = 0; r->rf.branch_labels && r->rf.branch_labels[i]; i++) {
        ag_buf_puts(b, " [");
        put_oneline(b, r->rf.branch_labels[i]);
        ag_buf_putc(b, ']');
    }
    for (size_t i = 0; i < r->ndeps; i++) {
        ag_buf_puts(b, i ? ", " : " (depends on ");
        put_oneline(b, r->deps[i]->rf.revision);
    }
    if (r->ndeps)
        ag_buf_putc(b, ')');
    if (r->rf.message && r->rf.message[0]) {
        ag_buf_putc(b, ' ');
        put_oneline(b, r->rf.message);
    }
}

static size_t lane_of(ag_rev *const *lanes, size_t n, const ag_rev *r)
{
    for (size_t i = 0; i < n; i++)
        if (lanes[i] == r)
            return i;
    return n;
}

/* The columns ("lanes") each hold the revision the line in them leads to;
 * they are kept distinct, so two lines leading to one revision merge as
 * soon as the second appears. For each revision, in order:
 * 1. its column: the lane leading to it, or a new one at the right (a head);
 * 2. a merge of k > 2 parents first moves the lanes to its right k - 2
 *    columns further, to make room for "*-." (git's octopus);
 * 3. its row: `*` in its column, `|` in the others, then the text;
 * 4. its lane is replaced by its parents' (the first parent keeps the
 *    column), lanes leading to a revision already in a lane to their left
 *    merge into it, and the others close up: transition() draws the moves. */
char *ag_draw_text(const ag_graph *g, const ag_draw_opts *o)
{
    size_t n;
    ag_rev **order = ag_draw_order(g, o->shown, &n);
    /* At most one lane per revision, plus the room of one octopus merge. */
    size_t cap = 2 * n + 4;
    ag_rev **lanes = ag_xcalloc(cap, sizeof(*lanes));
    ag_rev **next = ag_xcalloc(cap, sizeof(*next));
    ag_rev **par = ag_xcalloc(cap, sizeof(*par));
    edge *e = ag_xcalloc(cap + n, sizeof(*e));
    size_t nl = 0;
    canvas cv = { 0 };
    ag_buf b = AG_BUF_INIT;
    for (size_t ri = 0; ri < n; ri++) {
        ag_rev *r = order[ri];
        size_t c = lane_of(lanes, nl, r);
        if (c == nl)
            lanes[nl++] = r;
        size_t k = 0;
        for (size_t p = 0; p < r->nparents; p++)
            if (SHOWN(o->shown, r->parents[p]) && lane_of(par, k, r->parents[p]) == k)
                par[k++] = r->parents[p];
        size_t gaps = k > 2 ? k - 2 : 0;
        if (gaps && c + 1 < nl) {
            size_t ne = 0;
            for (size_t i = 0; i < nl; i++)
                e[ne++] = (edge){ i, i > c ? i + gaps : i };
            transition(&b, &cv, e, ne);
        }
        if (gaps) {
            memmove(&lanes[c + 1 + gaps], &lanes[c + 1], (nl - c - 1) * sizeof(*lanes));
            for (size_t i = 0; i < gaps; i++)
                lanes[c + 1 + i] = NULL;
            nl += gaps;
        }
        /* The lanes after r: its parents in its place, duplicates merged left. */
        size_t nn = 0;
        for (size_t i = 0; i < nl; i++) {
            if (i == c) {
                for (size_t p = 0; p < k; p++)
                    if (lane_of(next, nn, par[p]) == nn)
                        next[nn++] = par[p];
            } else if (lanes[i] && lane_of(next, nn, lanes[i]) == nn) {
                next[nn++] = lanes[i];
            }
        }
        size_t width = 2 * (nl > nn ? nl : nn);
        row_start(&cv, width);
        for (size_t i = 0; i < nl; i++)
            if (lanes[i])
                put(&cv, 2 * i, i == c ? '*' : '|');
        for (size_t x = 2 * c + 1; gaps && x < 2 * (c + gaps); x++)
            cv.row[x] = '-';
        if (gaps)
            cv.row[2 * (c + gaps)] = '.';
        ag_buf_put(&b, cv.row, cv.width);
        put_label_text(&b, o, r);
        ag_buf_putc(&b, '\n');
        size_t ne = 0;
        for (size_t i = 0; i < nl; i++)
            if (i != c && lanes[i])
                e[ne++] = (edge){ i, lane_of(next, nn, lanes[i]) };
        for (size_t p = 0; p < k; p++)
            e[ne++] = (edge){ gaps && p ? c + p - 1 : c, lane_of(next, nn, par[p]) };
        transition(&b, &cv, e, ne);
        memcpy(lanes, next, nn * sizeof(*lanes));
        nl = nn;
    }
    free(cv.row);
    free(order);
    free(lanes);
    free(next);
    free(par);
    free(e);
    return ag_buf_detach(&b);
}

/* --- dot -------------------------------------------------------------------- */

/* A dot string body: quotes and backslashes escaped, a newline as dot's \n,
 * other control characters as spaces. */
static void put_dot(ag_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') {
            ag_buf_putc(b, '\\');
            ag_buf_putc(b, *s);
        } else if (*s == '\n') {
            ag_buf_puts(b, "\\n");
        } else {
            ag_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
        }
    }
}

/* The text of a node, lines separated by `nl`: the id and marks, the branch
 * labels, the message. `esc` escapes each part for the output language. */
static void put_node_label(ag_buf *b,
                           const ag_draw_opts *o,
                           const ag_rev *r,
                           const char *nl,
                           void (*esc)(ag_buf *, const char *))
{
    esc(b, r->rf.revision);
    ag_buf_puts(b, r->nchildren == 0 ? " (head)" : "");
    ag_buf_puts(b, is_current(o, r) ? " (current)" : "");
    for (size_t i = 0; r->rf.branch_labels && r->rf.branch_labels[i]; i++) {
        ag_buf_puts(b, i ? ", " : nl);
        ag_buf_putc(b, '[');
        esc(b, r->rf.branch_labels[i]);
        ag_buf_putc(b, ']');
    }
    if (r->rf.message && r->rf.message[0]) {
        ag_buf_puts(b, nl);
        esc(b, r->rf.message);
    }
}

char *ag_draw_dot(const ag_graph *g, const ag_draw_opts *o)
{
    size_t n;
    ag_rev **order = ag_draw_order(g, o->shown, &n);
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "digraph revisions {\n"
                    "  node [shape=box, fontname=\"monospace\"];\n");
    for (size_t i = 0; i < n; i++) {
        const ag_rev *r = order[i];
        bool head = r->nchildren == 0, cur = is_current(o, r);
        ag_buf_puts(&b, "  \"");
        put_dot(&b, r->rf.revision);
        ag_buf_puts(&b, "\" [label=\"");
        put_node_label(&b, o, r, "\\n", put_dot);
        ag_buf_putc(&b, '"');
        if (head || cur)
            ag_buf_printf(&b, ", style=\"%s%s%s\"", head ? "bold" : "", head && cur ? "," : "",
                          cur ? "filled" : "");
        if (cur)
            ag_buf_puts(&b, ", fillcolor=\"lightblue\"");
        ag_buf_puts(&b, "];\n");
    }
    for (size_t i = 0; i < n; i++) {
        const ag_rev *r = order[i];
        for (size_t k = 0; k < r->nparents + r->ndeps; k++) {
            bool dep = k >= r->nparents;
            const ag_rev *to = dep ? r->deps[k - r->nparents] : r->parents[k];
            if (!SHOWN(o->shown, to))
                continue;
            ag_buf_puts(&b, "  \"");
            put_dot(&b, r->rf.revision);
            ag_buf_puts(&b, "\" -> \"");
            put_dot(&b, to->rf.revision);
            ag_buf_puts(&b, dep ? "\" [style=dashed, label=\"depends on\"];\n" : "\";\n");
        }
    }
    ag_buf_puts(&b, "}\n");
    free(order);
    return ag_buf_detach(&b);
}

/* --- Mermaid ---------------------------------------------------------------- */

/* Text inside a Mermaid "quoted" label: what Mermaid would read as markup or
 * as the end of the string becomes an entity code (#quot; and the like);
 * control characters become spaces. */
static void put_mermaid(ag_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '"':
            ag_buf_puts(b, "#quot;");
            break;
        case '#':
            ag_buf_puts(b, "#35;");
            break;
        case '<':
            ag_buf_puts(b, "#lt;");
            break;
        case '>':
            ag_buf_puts(b, "#gt;");
            break;
        case '&':
            ag_buf_puts(b, "#amp;");
            break;
        case '`':
            ag_buf_puts(b, "#96;");
            break;
        default:
            ag_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
        }
    }
}

/* `class n0,n3 NAME` for the heads (or the current revisions), or nothing. */
static void mermaid_class(ag_buf *b,
                          ag_rev *const *order,
                          size_t n,
                          const ag_draw_opts *o,
                          bool current,
                          const char *name)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (current ? !is_current(o, order[i]) : order[i]->nchildren != 0)
            continue;
        ag_buf_printf(b, "%sn%zu", any ? "," : "  class ", i);
        any = true;
    }
    if (any)
        ag_buf_printf(b, " %s\n", name);
}

char *ag_draw_mermaid(const ag_graph *g, const ag_draw_opts *o)
{
    size_t n;
    ag_rev **order = ag_draw_order(g, o->shown, &n);
    /* Nodes are named by their place in the order: ids need no escaping. */
    size_t *place = ag_xcalloc(g->n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        place[order[i]->topo] = i;
    ag_buf b = AG_BUF_INIT;
    ag_buf_puts(&b, "flowchart TB\n");
    for (size_t i = 0; i < n; i++) {
        ag_buf_printf(&b, "  n%zu[\"", i);
        put_node_label(&b, o, order[i], "<br/>", put_mermaid);
        ag_buf_puts(&b, "\"]\n");
    }
    for (size_t i = 0; i < n; i++) {
        const ag_rev *r = order[i];
        for (size_t k = 0; k < r->nparents + r->ndeps; k++) {
            bool dep = k >= r->nparents;
            const ag_rev *to = dep ? r->deps[k - r->nparents] : r->parents[k];
            if (SHOWN(o->shown, to))
                ag_buf_printf(&b, "  n%zu %s n%zu\n", i, dep ? "-.->|depends on|" : "-->",
                              place[to->topo]);
        }
    }
    ag_buf_puts(&b, "  classDef head stroke-width:3px\n"
                    "  classDef current fill:#add8e6\n");
    mermaid_class(&b, order, n, o, false, "head");
    mermaid_class(&b, order, n, o, true, "current");
    free(place);
    free(order);
    return ag_buf_detach(&b);
}
