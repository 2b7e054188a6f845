/* test_pg_index.c - which index expressions stand bare inside CREATE INDEX's
 * parentheses (PostgreSQL's element lists) and which are wrapped (one
 * expression), and the index body rendered from both. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/dialect/postgres_internal.h"
#include "../../src/util/buf.h"

static void element_lists_stay_bare(void **state)
{
    (void)state;
    const char *bare[] = {
        "created_at DESC, id",
        "title gin_trgm_ops",
        "lower(title) text_pattern_ops DESC",
        "author_id NULLS FIRST",
        "created_at DESC NULLS LAST",
        "title COLLATE \"C\"",
        "\"Mixed Case\" DESC",
        "(a + b) DESC",
        "public.lower(title) public.text_ops",
        "lower(a), b",
    };
    for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
        if (!ag_pg__index_elements_bare(bare[i]))
            fail_msg("should stay bare: %s", bare[i]);
}

static void single_expressions_are_wrapped(void **state)
{
    (void)state;
    const char *wrapped[] = {
        "lower(title)",
        "a + b",
        "a IS NULL",
        "NOT flag",
        "(a + b)",
        "x::text",
        "coalesce(a, b) || c",
        "CASE WHEN a THEN 1 ELSE 0 END",
        "date_trunc('day', created_at)",
        "a",
    };
    for (size_t i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]); i++)
        if (ag_pg__index_elements_bare(wrapped[i]))
            fail_msg("should be wrapped: %s", wrapped[i]);
}

static void body_has_method_and_include(void **state)
{
    (void)state;
    ag_arena a = AG_ARENA_INIT;
    ag_index x = { .name = "ix", .method = "gin", .expression = "title gin_trgm_ops" };
    ag_buf b = AG_BUF_INIT;
    ag_pg__index_body(&b, &x);
    assert_string_equal(ag_buf_cstr(&b), "USING gin (title gin_trgm_ops)");
    ag_buf_dispose(&b);

    ag_index y = { .name = "iy" };
    ag_strs_push_arena(&a, &y.columns, "author_id");
    ag_strs_push_arena(&a, &y.include, "Title");
    ag_strs_push_arena(&a, &y.include, "created_at");
    ag_buf c = AG_BUF_INIT;
    ag_pg__index_body(&c, &y);
    assert_string_equal(ag_buf_cstr(&c), "(\"author_id\") INCLUDE (\"Title\", \"created_at\")");
    ag_buf_dispose(&c);

    ag_index z = { .name = "iz", .expression = "a + b" };
    ag_buf d = AG_BUF_INIT;
    ag_pg__index_body(&d, &z);
    assert_string_equal(ag_buf_cstr(&d), "((a + b))");
    ag_buf_dispose(&d);
    ag_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(element_lists_stay_bare),
        cmocka_unit_test(single_expressions_are_wrapped),
        cmocka_unit_test(body_has_method_and_include),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
