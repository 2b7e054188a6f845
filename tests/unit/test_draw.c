/* test_draw.c - the revision graph drawn: the order, the columns of the text
 * drawing for each shape a history takes, and the dot and Mermaid texts with
 * their escaping. Graphs are built in memory as loading links them. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revision/draw.h"

#include <stdio.h>

static ag_rev *find(ag_graph *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->revs[i]->rf.revision, id) == 0)
            return g->revs[i];
    fail_msg("no revision '%s' before it in the spec", id);
    return NULL;
}

/* Link the comma-separated ids of `list` into v (n); each gets r in its back list. */
static void link_list(ag_graph *g, ag_rev *r, char *list, ag_rev ***v, size_t *n, bool deps)
{
    *v = ag_arena_alloc(&g->arena, 8 * sizeof(ag_rev *));
    for (char *save = NULL, *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        ag_rev *p = find(g, id);
        (*v)[(*n)++] = p;
        if (deps)
            AG_ARENA_PUSH(&g->arena, p->dependents, p->ndependents, p->dependents_cap, r);
        else
            AG_ARENA_PUSH(&g->arena, p->children, p->nchildren, p->children_cap, r);
    }
}

/* A graph from "ID[@LABEL][:PARENT,...][+DEPENDS_ON,...] ...", in topological
 * order (the order loading fixes); messages are empty. */
static ag_graph *build(const char *spec)
{
    ag_graph *g = ag_xcalloc(1, sizeof(*g));
    g->revs = ag_arena_alloc(&g->arena, 64 * sizeof(ag_rev *));
    char *s = ag_arena_strdup(&g->arena, spec);
    for (char *save = NULL, *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        ag_rev *r = ag_arena_alloc(&g->arena, sizeof(*r));
        char *deps = strchr(tok, '+');
        if (deps)
            *deps++ = '\0';
        char *parents = strchr(tok, ':');
        if (parents)
            *parents++ = '\0';
        char *label = strchr(tok, '@');
        if (label)
            *label++ = '\0';
        r->rf.revision = tok;
        r->rf.message = "";
        r->rf.branch_labels = ag_arena_alloc(&g->arena, 2 * sizeof(char *));
        r->rf.branch_labels[0] = label;
        if (parents)
            link_list(g, r, parents, &r->parents, &r->nparents, false);
        if (deps)
            link_list(g, r, deps, &r->deps, &r->ndeps, true);
        r->topo = g->n;
        g->revs[g->n++] = r;
    }
    return g;
}

/* The text drawing of spec, compared with want. */
static void check_text(const char *spec, const char *want)
{
    ag_graph *g = build(spec);
    ag_draw_opts o = { 0 };
    char *got = ag_draw_text(g, &o);
    assert_string_equal(got, want);
    free(got);
    ag_graph_free(g);
}

static void test_draw__linear(void **state)
{
    (void)state;
    check_text("a b:a c:b", "* c (head)\n"
                            "* b\n"
                            "* a (base)\n");
    check_text("", "");
}

static void test_draw__branch_point_two_heads(void **state)
{
    (void)state;
    /* The newest head first; the other branch in the next column, joining
     * its parent's line once drawn. */
    check_text("a b:a c:a", "* c (head)\n"
                            "| * b (head)\n"
                            "|/\n"
                            "* a (base)\n");
    /* A longer branch keeps its column until it meets the other. */
    check_text("a b:a c:b d:a e:d", "* e (head)\n"
                                    "* d\n"
                                    "| * c (head)\n"
                                    "| * b\n"
                                    "|/\n"
                                    "* a (base)\n");
}

static void test_draw__merge(void **state)
{
    (void)state;
    /* As git draws it: the merge's last parent in the column to the right. */
    check_text("a b:a c:a m:b,c", "*   m (head)\n"
                                  "|\\\n"
                                  "| * c\n"
                                  "* | b\n"
                                  "|/\n"
                                  "* a (base)\n");
    /* A merge of a branch that left a line further down. */
    check_text("a b:a c:b d:a m:c,d", "*   m (head)\n"
                                      "|\\\n"
                                      "| * d\n"
                                      "* | c\n"
                                      "* | b\n"
                                      "|/\n"
                                      "* a (base)\n");
}

static void test_draw__merge_of_three(void **state)
{
    (void)state;
    check_text("a b:a c:a d:a m:b,c,d", "*-.   m (head)\n"
                                        "|\\ \\\n"
                                        "| | * d\n"
                                        "| * | c\n"
                                        "| |/\n"
                                        "* | b\n"
                                        "|/\n"
                                        "* a (base)\n");
}

static void test_draw__lines_cross_and_make_room(void **state)
{
    (void)state;
    /* t2's line crosses the one of x to reach m; then the lane of x moves
     * right to make room for the three parents of m. */
    check_text("a b:a c:a d:a m:b,c,d t2:m x:a t1:m", "* t1 (head)\n"
                                                      "| * x (head)\n"
                                                      "| | * t2 (head)\n"
                                                      "| |/\n"
                                                      "|/|\n"
                                                      "|  \\\n"
                                                      "*-. |   m\n"
                                                      "|\\ \\ \\\n"
                                                      "| | * | d\n"
                                                      "| | |/\n"
                                                      "| * | c\n"
                                                      "| |/\n"
                                                      "* | b\n"
                                                      "|/\n"
                                                      "* a (base)\n");
}

static void test_draw__several_roots(void **state)
{
    (void)state;
    /* Independent histories one after the other, each line ending at its
     * (base); labels name them. */
    check_text("a@app b:a x@audit y:x", "* y (head)\n"
                                        "* x (base) [audit]\n"
                                        "* b (head)\n"
                                        "* a (base) [app]\n");
    /* A merge of two roots. */
    check_text("a x m:a,x", "*   m (head)\n"
                            "|\\\n"
                            "| * x (base)\n"
                            "* a (base)\n");
}

static void test_draw__depends_on(void **state)
{
    (void)state;
    /* A depends_on link takes no column; a revision comes before what it
     * depends on, as before its parents. */
    check_text("r a@accounts:r b@billing:r a2:a b2:b+a2", "* b2 (head) (depends on a2)\n"
                                                          "* b [billing]\n"
                                                          "| * a2 (head)\n"
                                                          "| * a [accounts]\n"
                                                          "|/\n"
                                                          "* r (base)\n");
}

static void test_draw__range_and_current(void **state)
{
    (void)state;
    ag_graph *g = build("a b:a c:b d:b e:c,d");
    /* Only b and what follows: b's parent is cut, so b is not a base. */
    bool shown[5] = { false, true, true, true, true };
    ag_rev *cur[2] = { g->revs[2], g->revs[3] };
    ag_draw_opts o = { .shown = shown, .current = cur, .ncurrent = 2 };
    char *got = ag_draw_text(g, &o);
    assert_string_equal(got, "*   e (head)\n"
                             "|\\\n"
                             "| * d (current)\n"
                             "* | c (current)\n"
                             "|/\n"
                             "* b\n");
    free(got);
    size_t n;
    ag_rev **order = ag_draw_order(g, shown, &n);
    assert_int_equal(n, 4);
    assert_string_equal(order[0]->rf.revision, "e");
    assert_string_equal(order[3]->rf.revision, "b");
    free(order);
    ag_graph_free(g);
}

static void test_draw__messages_on_one_line(void **state)
{
    (void)state;
    ag_graph *g = build("a b:a");
    g->revs[0]->rf.message = "first\nsecond\tthird";
    ag_draw_opts o = { 0 };
    char *got = ag_draw_text(g, &o);
    assert_string_equal(got, "* b (head)\n* a (base) first second third\n");
    free(got);
    ag_graph_free(g);
}

static void test_draw__dot(void **state)
{
    (void)state;
    ag_graph *g = build("a@app b:a c:a m:b,c+a");
    g->revs[0]->rf.message = "say \"hi\"\\n\nnext";
    ag_rev *cur = g->revs[3];
    ag_draw_opts o = { .current = &cur, .ncurrent = 1 };
    char *got = ag_draw_dot(g, &o);
    assert_string_equal(
        got,
        "digraph revisions {\n"
        "  node [shape=box, fontname=\"monospace\"];\n"
        "  \"m\" [label=\"m (head) (current)\", style=\"bold,filled\", fillcolor=\"lightblue\"];\n"
        "  \"c\" [label=\"c\"];\n"
        "  \"b\" [label=\"b\"];\n"
        "  \"a\" [label=\"a\\n[app]\\nsay \\\"hi\\\"\\\\n\\nnext\"];\n"
        "  \"m\" -> \"b\";\n"
        "  \"m\" -> \"c\";\n"
        "  \"m\" -> \"a\" [style=dashed, label=\"depends on\"];\n"
        "  \"c\" -> \"a\";\n"
        "  \"b\" -> \"a\";\n"
        "}\n");
    free(got);
    ag_graph_free(g);
}

static void test_draw__mermaid(void **state)
{
    (void)state;
    ag_graph *g = build("a@app b:a c:a m:b,c+a");
    g->revs[0]->rf.message = "say \"hi\" #1 <b>&`x`\nnext";
    ag_rev *cur[2] = { g->revs[1], g->revs[3] };
    ag_draw_opts o = { .current = cur, .ncurrent = 2 };
    char *got = ag_draw_mermaid(g, &o);
    assert_string_equal(got,
                        "flowchart TB\n"
                        "  n0[\"m (head) (current)\"]\n"
                        "  n1[\"c\"]\n"
                        "  n2[\"b (current)\"]\n"
                        "  n3[\"a<br/>[app]<br/>say #quot;hi#quot; #35;1 #lt;b#gt;#amp;#96;x#96; "
                        "next\"]\n"
                        "  n0 --> n2\n"
                        "  n0 --> n1\n"
                        "  n0 -.->|depends on| n3\n"
                        "  n1 --> n3\n"
                        "  n2 --> n3\n"
                        "  classDef head stroke-width:3px\n"
                        "  classDef current fill:#add8e6\n"
                        "  class n0 head\n"
                        "  class n0,n2 current\n");
    free(got);
    ag_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw__linear),
        cmocka_unit_test(test_draw__branch_point_two_heads),
        cmocka_unit_test(test_draw__merge),
        cmocka_unit_test(test_draw__merge_of_three),
        cmocka_unit_test(test_draw__lines_cross_and_make_room),
        cmocka_unit_test(test_draw__several_roots),
        cmocka_unit_test(test_draw__depends_on),
        cmocka_unit_test(test_draw__range_and_current),
        cmocka_unit_test(test_draw__messages_on_one_line),
        cmocka_unit_test(test_draw__dot),
        cmocka_unit_test(test_draw__mermaid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
