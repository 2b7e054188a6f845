/* test_pg_introspect.c - what PostgreSQL's catalog text becomes in a schema,
 * without a server: defaults stripped of the casts the server adds. */
#include "../../src/util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialect/postgres_internal.h"
#include "util/arena.h"

static void test_pg_introspect__default_casts(void **state)
{
    (void)state;
    ag_arena a = AG_ARENA_INIT;
    static const char *const cases[][2] = {
        /* numbers the server quoted lose the quotes and the cast */
        { "'0'::numeric", "0" },
        { "'-1'::integer", "-1" },
        { "'-0.5'::double precision", "-0.5" },
        { "'1e-3'::real", "1e-3" },
        /* strings keep their quotes; only the cast goes */
        { "'member'::text", "'member'" },
        { "'it''s'::character varying", "'it''s'" },
        { "'{}'::jsonb", "'{}'" },
        /* an array of numbers is a string literal, never a bare {…} */
        { "'{0,0,0}'::numeric(5,2)[]", "'{0,0,0}'" },
        { "'{1,2}'::integer[]", "'{1,2}'" },
        /* a quoted value that is no number stays quoted */
        { "'NaN'::numeric", "'NaN'" },
        { "'Infinity'::double precision", "'Infinity'" },
        /* expressions are left alone but for a cast of a parenthesised value */
        { "(-1)::integer", "-1" },
        { "now()", "now()" },
        { "(now() + '14 days'::interval)", "(now() + '14 days'::interval)" },
    };
    for (size_t i = 0; i < AG_NELEM(cases); i++) {
        const char *got = ag_pg__default(&a, cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("%s: got %s, expected %s", cases[i][0], got, cases[i][1]);
    }
    ag_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_introspect__default_casts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
