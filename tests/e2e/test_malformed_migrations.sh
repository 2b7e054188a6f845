#!/usr/bin/env bash
# Migration files a person mistypes never crash autogen: each one is an error
# with file:line:col, exit status 3 (README "Migration files").
. "$(dirname "$0")/lib.sh"
new_project
v="$T/p/alembic_like/versions"
check_error() { # check_error COMMAND... -- EXPECTED
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    expect 3 "${args[@]}"
    assert_contains "$T/err" "$2"
}

# A header string that ends in a backslash at the end of the file (11 bytes).
printf 'revision="\\' >"$v/1_bs.c"
[ "$(wc -c <"$v/1_bs.c")" -eq 11 ] || fail "reproducer is not 11 bytes"
check_error heads -- "alembic_like/versions/1_bs.c:1:10: error: unterminated string literal"
rm "$v/1_bs.c"

# 300,000 adjacent empty literals: read without recursion, then rejected as an
# empty (invalid) revision id instead of overflowing the stack.
python3 - "$v/1_many.c" <<'PY'
import sys
open(sys.argv[1], "w").write('const char *const revision = ' + '""' * 300000 + ';\n')
PY
check_error heads -- "alembic_like/versions/1_many.c:1:"
assert_contains "$T/err" "invalid revision id"
check_error upgrade -- "alembic_like/versions/1_many.c:1:"
rm "$v/1_many.c"

# A header string longer than any header needs is an error, not a huge read.
python3 - "$v/1_long.c" <<'PY'
import sys
open(sys.argv[1], "w").write('const char *const revision = ' + '"aaaa" ' * 100000 + ';\n')
PY
check_error heads -- "alembic_like/versions/1_long.c:1:7198: error: string literal longer than 4096 bytes"
rm "$v/1_long.c"


echo PASS
