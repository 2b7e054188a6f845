#!/usr/bin/env bash
# The example projects work as shipped: examples/rental migrates up and down with
# the CLI, and examples/embed migrates it through libautogen.
. "$(dirname "$0")/lib.sh"
: "${AG_EMBED:?AG_EMBED must name the embedding example}"
cp -r "$AG_TEST_SRC/examples/rental" "$T/p"
rm -f "$T/p/rental.db"
expect 0 history
assert_contains "$T/out" "a1b2c3d4e5f6 -> 3f2a9c1e7b4d (head), add zoning"
"$AG_EMBED" "$T/p/autogen.yaml" >"$T/out" 2>"$T/err"
# One line per migration, from the library's progress events, then where it stands;
# the library itself printed nothing.
grep -Eq '^embed: applied a1b2c3d4e5f6 \(users and properties\) in [0-9]+ ms$' "$T/out" ||
    fail "no line for the first migration: $(cat "$T/out")"
grep -Eq '^embed: applied 3f2a9c1e7b4d \(add zoning\) in [0-9]+ ms$' "$T/out" ||
    fail "no line for the second migration: $(cat "$T/out")"
assert_eq "$(sed -n 3p "$T/out")" "database at 3f2a9c1e7b4d; models match" "embed's summary"
assert_eq "$(wc -l <"$T/out")" "3" "embed's output lines"
[ ! -s "$T/err" ] || fail "output on stderr: $(cat "$T/err")"
# A second start finds nothing to do, and says only where it stands.
"$AG_EMBED" "$T/p/autogen.yaml" >"$T/out" 2>"$T/err"
assert_eq "$(cat "$T/out")" "database at 3f2a9c1e7b4d; models match" "embed, second start"
[ ! -s "$T/err" ] || fail "output on stderr: $(cat "$T/err")"
sqlite3 "$T/p/rental.db" "INSERT INTO users (email, name) VALUES ('a@x.io', 'A');
    INSERT INTO properties (owner_id, name) VALUES (1, 'Flat');"
expect 0 downgrade -1
expect 0 upgrade
# The hand-written data step ran again on the re-added column.
assert_eq "$(sqlite3 "$T/p/rental.db" "SELECT zoning FROM properties")" "residential" "data step"
expect 0 check
echo "ok: examples"
