#!/usr/bin/env bash
# Every way the revision graph can be broken: a clear message naming the file(s),
# exit status 3, and nothing run.
. "$(dirname "$0")/lib.sh"
new_project
v="$T/p/alembic_like/versions"
rev() { # rev FILE REV DOWN...: a minimal migration
    local file=$1 id=$2
    shift 2
    local downs=""
    for d in "$@"; do downs+="\"$d\", "; done
    cat >"$v/$file" <<C
#include <autogen/migration.h>
const char *const revision = "$id";
const char *const down_revision[] = { ${downs}NULL };
void upgrade(ag_op *op) { (void)op; }
void downgrade(ag_op *op) { (void)op; }
C
}
check_error() { # check_error COMMAND... -- EXPECTED
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    expect 3 "${args[@]}"
    assert_contains "$T/err" "$2"
}

rev 1_a.c aaa111
rev 2_b.c bbb222 aaa111
rev 3_dup.c bbb222 aaa111
check_error heads -- "duplicate revision id 'bbb222' (also in 'alembic_like/versions/2_b.c')"
rm "$v/3_dup.c"

rev 3_c.c ccc333 nothere
check_error history -- "alembic_like/versions/3_c.c:1:1: error: down_revision 'nothere' of revision 'ccc333' does not exist"
rm "$v/3_c.c"

rev 3_x.c xxx111 yyy222
rev 4_y.c yyy222 xxx111
check_error upgrade -- "is part of a cycle of down_revision links"
rm "$v/3_x.c" "$v/4_y.c"

rev 3_s.c sss333 sss333
check_error heads -- "revision 'sss333' names itself as its down_revision"
rm "$v/3_s.c"

cat >"$v/3_d.c" <<'C'
const char *const revision = "ddd444";
const char *const down_revision[] = { "bbb222", NULL };
const char *const depends_on[] = { "nope", NULL };
C
check_error heads -- "depends_on 'nope' of revision 'ddd444' is neither a revision nor a branch label"
rm "$v/3_d.c"

echo "int helper(void) { return 1; }" >"$v/helpers.c"
check_error heads -- "alembic_like/versions/helpers.c:1:1: error: not a migration"
rm "$v/helpers.c"

rev 3_b2.c bbb999 aaa111
check_error upgrade bbb -- "revision prefix 'bbb' is ambiguous (2 revisions start with it)"
check_error upgrade zzz -- "unknown revision 'zzz'"
check_error upgrade head -- "the migrations have several heads (bbb222, bbb999)"
[ ! -f "$T/p/app.db" ] || [ "$(db "SELECT count(*) FROM autogen_version" 2>/dev/null || echo 0)" = 0 ] ||
    fail "a broken graph ran something"

# A merge naming revisions more often than the graph has revisions (the list
# of parents was sized from the graph): each joins once, and one is no merge.
rm -f "$v"/*.c
rev 1_a.c aaa111
check_error merge aaa aaa aaa aaa111 aaa -m m -- "a merge needs at least two heads to join; there is 1"
check_error merge heads aaa heads -m m -- "a merge needs at least two heads to join; there is 1"
rev 2_b.c bbb222 aaa111
rev 3_c.c ccc333 aaa111
expect 0 merge bbb ccc bbb222 heads ccc -m m --rev-id ddd444
assert_contains "$v/ddd444_m.c" '{ "bbb222", "ccc333", NULL }'
echo "ok: graph errors"
