/* ytree.c - one YAML document as a tree of libyaml nodes, in one pass (ytree.h). */
#include "ytree.h"
#include "../util/common.h"

typedef struct frame {
    int id;      /* the open collection */
    size_t from; /* where its children start in scratch ids */
} frame;

void ag_ytree_scratch_release(ag_ytree_scratch *s)
{
    free(s->nodes);
    free(s->ids);
    memset(s, 0, sizeof(*s));
}

static void grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    *v = ag_xrealloc(*v, n * elem);
    *cap = n;
}

/* The column (1-based) of a tab in the indentation of the line holding byte
 * `at`, or 0. libyaml reports such a tab as "found character that cannot
 * start any token", which says nothing of the cause. */
static unsigned tab_in_indentation(const char *text, size_t len, size_t at)
{
    if (at > len)
        return 0;
    size_t start = at;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    for (size_t i = start; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
        if (text[i] == '\t')
            return (unsigned)(i - start) + 1;
    return 0;
}

static void syntax_error(
    const yaml_parser_t *p, const char *text, size_t len, const char *file, ag_diags *diags)
{
    unsigned line = (unsigned)p->problem_mark.line + 1;
    unsigned tab = tab_in_indentation(text, len, p->problem_mark.index);
    if (tab)
        ag_diags_add(diags, file, line, tab,
                     "tabs are not allowed for indentation in YAML; use spaces");
    else if (p->context)
        ag_diags_add(diags, file, line, (unsigned)p->problem_mark.column + 1,
                     "invalid YAML: %s %s (which started at %u:%u)",
                     p->problem ? p->problem : "syntax error", p->context,
                     (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1);
    else
        ag_diags_add(diags, file, line, (unsigned)p->problem_mark.column + 1, "invalid YAML: %s",
                     p->problem ? p->problem : "syntax error");
}

size_t ag_ytree_parse(ag_ytree *out,
                      ag_arena *a,
                      ag_ytree_scratch *s,
                      const char *text,
                      size_t len,
                      const char *file,
                      int max_depth,
                      ag_diags *diags)
{
    out->nodes = NULL;
    out->n = 0;
    yaml_parser_t p;
    yaml_event_t ev;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    frame open[128];
    size_t errors = 0, n = 0, nids = 0;
    int depth = 0, docs = 0;
    if (max_depth > (int)AG_NELEM(open))
        max_depth = (int)AG_NELEM(open);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(&p, text, len, file, diags);
            errors++;
            break;
        }
        unsigned line = (unsigned)ev.start_mark.line + 1, col = (unsigned)ev.start_mark.column + 1;
        yaml_node_type_t type = YAML_NO_NODE;
        bool end = false;
        switch (ev.type) {
        case YAML_ALIAS_EVENT:
            ag_diags_add(diags, file, line, col, "YAML aliases are not supported");
            errors++;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                ag_diags_add(diags, file, line, col,
                             "a model file holds one YAML document; split the others into files");
                errors++;
            }
            break;
        case YAML_SCALAR_EVENT:
            type = YAML_SCALAR_NODE;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > max_depth) {
                ag_diags_add(diags, file, line, col, "nesting deeper than %d levels", max_depth);
                errors++;
                end = true;
                break;
            }
            type = ev.type == YAML_MAPPING_START_EVENT ? YAML_MAPPING_NODE : YAML_SEQUENCE_NODE;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            if (errors)
                break;
            {
                const frame *f = &open[depth];
                yaml_node_t *x = &s->nodes[f->id - 1];
                size_t k = nids - f->from;
                x->end_mark = ev.end_mark;
                if (x->type == YAML_MAPPING_NODE) {
                    yaml_node_pair_t *pairs =
                        ag_arena_alloc(a, (k / 2 ? k / 2 : 1) * sizeof(*pairs));
                    for (size_t i = 0; i + 1 < k; i += 2) {
                        pairs[i / 2].key = s->ids[f->from + i];
                        pairs[i / 2].value = s->ids[f->from + i + 1];
                    }
                    x->data.mapping.pairs.start = pairs;
                    x->data.mapping.pairs.top = x->data.mapping.pairs.end = pairs + k / 2;
                } else {
                    yaml_node_item_t *items = ag_arena_alloc(a, (k ? k : 1) * sizeof(*items));
                    memcpy(items, s->ids + f->from, k * sizeof(*items));
                    x->data.sequence.items.start = items;
                    x->data.sequence.items.top = x->data.sequence.items.end = items + k;
                }
                nids = f->from;
            }
            break;
        case YAML_STREAM_END_EVENT:
            end = true;
            break;
        default:
            break;
        }
        /* Nodes are made for the first document only, and only while all is well. */
        if (type != YAML_NO_NODE && !errors && docs == 1) {
            grow((void **)&s->nodes, &s->nodes_cap, n + 1, sizeof(*s->nodes));
            yaml_node_t *x = &s->nodes[n++];
            memset(x, 0, sizeof(*x));
            x->type = type;
            x->start_mark = ev.start_mark;
            x->end_mark = ev.end_mark;
            int id = (int)n;
            if (depth > (type == YAML_SCALAR_NODE ? 0 : 1)) {
                grow((void **)&s->ids, &s->ids_cap, nids + 1, sizeof(*s->ids));
                s->ids[nids++] = id;
            }
            if (type == YAML_SCALAR_NODE) {
                size_t vlen = ev.data.scalar.length;
                yaml_char_t *v = ag_arena_alloc(a, vlen + 1); /* zeroed: NUL-terminated */
                memcpy(v, ev.data.scalar.value, vlen);
                x->data.scalar.value = v;
                x->data.scalar.length = vlen;
                x->data.scalar.style = ev.data.scalar.style;
            } else {
                open[depth - 1] = (frame){ id, nids };
                if (type == YAML_MAPPING_NODE)
                    x->data.mapping.style = ev.data.mapping_start.style;
                else
                    x->data.sequence.style = ev.data.sequence_start.style;
            }
        }
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    if (errors)
        return errors;
    out->nodes = n ? ag_arena_alloc(a, n * sizeof(*out->nodes)) : NULL;
    if (n)
        memcpy(out->nodes, s->nodes, n * sizeof(*out->nodes));
    out->n = n;
    return 0;
}
