/* test_graph.c - the revision graph: loading from files, heads, prefixes,
 * plans, and the errors of a broken graph. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revision/graph.h"
#include "util/buf.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void write_rev(const char *sub, const char *rev, const char *down1, const char *down2)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s%s%s_m.c", dir, sub ? sub : "", sub ? "/" : "", rev);
    if (sub) {
        char d[400];
        snprintf(d, sizeof(d), "%s/%s", dir, sub);
        mkdir(d, 0777);
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "/* message %s\n *\n * Revision ID: %s\n */\n#include <autogen/migration.h>\n\n"
            "const char *const revision = \"%s\";\n",
            rev, rev, rev);
    if (down2)
        fprintf(f, "const char *const down_revision[] = { \"%s\", \"%s\", NULL };\n", down1, down2);
    else if (down1)
        fprintf(f, "const char *const down_revision[] = { \"%s\", NULL };\n", down1);
    else
        fprintf(f, "const char *const down_revision[] = { NULL };\n");
    fprintf(f, "const char *const branch_labels[] = { NULL };\n"
               "const char *const depends_on[] = { NULL };\n"
               "void upgrade(ag_op *op) { (void)op; }\nvoid downgrade(ag_op *op) { (void)op; }\n");
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s/ag-graph-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static void test_graph__linear_and_subfolders(void **state)
{
    (void)state;
    write_rev(NULL, "aaa111", NULL, NULL);
    write_rev("0.2.0", "bbb222", "aaa111", NULL);
    write_rev(NULL, "ccc333", "bbb222", NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_OK);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->nheads, 1);
    assert_string_equal(g->heads[0]->rf.revision, "ccc333");
    assert_string_equal(g->revs[0]->rf.revision, "aaa111");
    ag_rev *r = NULL;
    assert_int_equal(ag_graph_find(&r, g, "bb", &err), AG_OK);
    assert_string_equal(r->rf.revision, "bbb222");
    assert_int_equal(ag_graph_find(&r, g, "zzz", &err), AG_ENOTFOUND);
    assert_string_equal(err.msg, "unknown revision 'zzz'; 'autogen history' lists the revisions");

    ag_plan plan = { 0 };
    ag_rev *cur = g->revs[0];
    assert_int_equal(ag_graph_plan_upgrade(&plan, g, &cur, 1, g->heads, 1, &err), AG_OK);
    assert_int_equal(plan.n, 2);
    assert_string_equal(plan.revs[0]->rf.revision, "bbb222");
    ag_plan_release(&plan);
    cur = g->heads[0];
    assert_int_equal(ag_graph_plan_downgrade(&plan, g, &cur, 1, NULL, &err), AG_OK);
    assert_int_equal(plan.n, 3);
    assert_string_equal(plan.revs[0]->rf.revision, "ccc333");
    ag_plan_release(&plan);
    ag_graph_free(g);
}

static void test_graph__branches_and_merge(void **state)
{
    (void)state;
    write_rev(NULL, "base01", NULL, NULL);
    write_rev(NULL, "left01", "base01", NULL);
    write_rev(NULL, "right1", "base01", NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_OK);
    assert_int_equal(g->nheads, 2);
    ag_graph_free(g);

    write_rev(NULL, "merge1", "left01", "right1");
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_OK);
    assert_int_equal(g->nheads, 1);
    assert_string_equal(g->heads[0]->rf.revision, "merge1");
    /* The version table follows both branches and joins them at the merge. */
    ag_rev *rows[8] = { 0 };
    size_t n = 0;
    ag_rev *b = NULL, *l = NULL, *r = NULL;
    ag_graph_find(&b, g, "base01", &err);
    ag_graph_find(&l, g, "left01", &err);
    ag_graph_find(&r, g, "right1", &err);
    ag_graph_heads_after_apply(g, rows, &n, b);
    ag_graph_heads_after_apply(g, rows, &n, l);
    ag_graph_heads_after_apply(g, rows, &n, r);
    assert_int_equal(n, 2);
    ag_graph_heads_after_apply(g, rows, &n, g->heads[0]);
    assert_int_equal(n, 1);
    ag_graph_heads_after_revert(g, rows, &n, g->heads[0]);
    assert_int_equal(n, 2);
    /* Joined ids: the whole length is returned, so a short buffer is seen. */
    char buf[32];
    assert_int_equal(ag_graph_join_ids(buf, sizeof(buf), rows, n, "<base>"), 14);
    assert_string_equal(buf, n && rows[0] == l ? "left01, right1" : "right1, left01");
    assert_int_equal(ag_graph_join_ids(buf, 8, rows, n, ""), 14);
    assert_int_equal(strlen(buf), 7);
    assert_int_equal(ag_graph_join_ids(buf, sizeof(buf), rows, 0, "<base>"), 6);
    assert_string_equal(buf, "<base>");
    ag_graph_free(g);
}

static void test_graph__duplicate_id(void **state)
{
    (void)state;
    write_rev(NULL, "dup001", NULL, NULL);
    write_rev("sub", "dup001", NULL, NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_EINVALID);
    assert_null(g);
    assert_non_null(strstr(err.msg, "duplicate revision id 'dup001'"));
}

static void test_graph__missing_parent(void **state)
{
    (void)state;
    write_rev(NULL, "orphan", "nothere", NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_ENOTFOUND);
    assert_string_equal(err.msg, "down_revision 'nothere' of revision 'orphan' does not exist");
    assert_non_null(strstr(err.file, "orphan_m.c"));
}

static void test_graph__cycle(void **state)
{
    (void)state;
    write_rev(NULL, "cyc001", "cyc002", NULL);
    write_rev(NULL, "cyc002", "cyc001", NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_ECYCLE);
    assert_non_null(strstr(err.msg, "is part of a cycle"));
}

static void test_graph__ambiguous_prefix(void **state)
{
    (void)state;
    write_rev(NULL, "abc001", NULL, NULL);
    write_rev(NULL, "abc002", "abc001", NULL);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, NULL, &err), AG_OK);
    ag_rev *r = NULL;
    assert_int_equal(ag_graph_find(&r, g, "abc", &err), AG_EINVALID);
    assert_non_null(strstr(err.msg, "ambiguous"));
    ag_graph_free(g);
}

static void test_graph__header_index(void **state)
{
    (void)state;
    write_rev(NULL, "idx001", NULL, NULL);
    write_rev(NULL, "idx002", "idx001", NULL);
    char index[400];
    snprintf(index, sizeof(index), "%s/../%s.idx", dir, strrchr(dir, '/') + 1);
    ag_graph *g = NULL;
    ag_error err = { 0 };
    assert_int_equal(ag_graph_load(&g, dir, index, &err), AG_OK);
    /* Loading writes nothing: the index is saved only when asked (a failed
     * command leaves it as it was). */
    assert_int_not_equal(access(index, R_OK), 0);
    ag_graph_save_index(g);
    ag_graph_free(g);
    assert_int_equal(access(index, R_OK), 0);
    /* From the index: the same graph. */
    assert_int_equal(ag_graph_load(&g, dir, index, &err), AG_OK);
    assert_int_equal(g->n, 2);
    assert_string_equal(g->heads[0]->rf.revision, "idx002");
    assert_string_equal(g->heads[0]->rf.message, "message idx002");
    ag_graph_free(g);
    /* A header edited in place is read again, not taken from the index. */
    sleep(1);
    write_rev(NULL, "idx002", NULL, NULL);
    assert_int_equal(ag_graph_load(&g, dir, index, &err), AG_OK);
    assert_int_equal(g->nheads, 2);
    ag_graph_free(g);
    /* A damaged index is ignored. */
    FILE *f = fopen(index, "w");
    fputs("autogen-index 2\nnot\ta\trecord\n", f);
    fprintf(f, "%s/idx001_m.c\tx\t1\t2\t3\tidx001\t\t\t\t1\tm\t\n", dir);
    fputs("a torn last line without its newline", f);
    fclose(f);
    assert_int_equal(ag_graph_load(&g, dir, index, &err), AG_OK);
    assert_int_equal(g->n, 2);
    ag_graph_free(g);
    unlink(index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_graph__linear_and_subfolders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__branches_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__duplicate_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__missing_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__ambiguous_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_graph__header_index, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
