#!/usr/bin/env bash
# history --graph, --format dot and --format mermaid on one history with every
# shape (branch point, two heads, depends_on, a second root, a merge of two, a
# merge of three), compared byte for byte with tests/e2e/golden/history_*;
# (current) from the database, nothing without one; the bad combinations.
. "$(dirname "$0")/lib.sh"
new_project
m() { # m REV MESSAGE [revision options]
    local rev=$1 msg=$2
    shift 2
    expect 0 revision --empty -m "$msg" --rev-id "$rev" "$@"
}
golden() { # golden NAME: $T/out must equal tests/e2e/golden/NAME
    local g="$AG_TEST_SRC/tests/e2e/golden/$1"
    if [ -n "${AG_UPDATE_GOLDEN:-}" ]; then cp "$T/out" "$g"; fi
    diff -u "$g" "$T/out" || fail "autogen's output differs from tests/e2e/golden/$1"
}
check() { # check dot|mermaid: $T/out is a drawing those tools parse
    python3 "$AG_TEST_SRC/tests/e2e/diagram_check.py" "$1" "$T/out" || fail "bad $1 output"
}

m root01 "root"
m acct01 "accounts" --head root01 --branch-label accounts
m bill01 "billing" --head root01 --splice --branch-label billing
m acct02 "accounts two" --head accounts@head
m bill02 "billing needs accounts two" --head billing@head --depends-on acct02
m audit1 "audit log" --head base --branch-label audit
m audit2 'audit "v2" <fast> & #1' --head audit@head

# Three heads, two roots; no database yet: no (current), no note, no file made.
expect 0 history --graph
golden history_graph_heads.txt
[ ! -s "$T/err" ] || fail "history --graph without a database wrote to stderr"
[ ! -e "$T/p/app.db" ] || fail "history --graph created the database"

expect 0 merge acct02 bill02 -m "join two" --rev-id join02
m fix001 "a fix on root" --head root01 --splice
expect 0 merge join02 fix001 audit2 -m "join three" --rev-id join03
expect 0 upgrade join02
expect 0 history --graph
golden history_graph.txt
expect 0 history --format dot
check dot
golden history.dot
expect 0 history --format mermaid
check mermaid
golden history.mmd
# --format before the command is the command's own --format when it has one.
cp "$T/out" "$T/after_command"
expect 0 --format mermaid history
cmp -s "$T/out" "$T/after_command" || fail "'--format mermaid history' differs from 'history --format mermaid'"
expect 2 --format mermaid current
assert_contains "$T/err" "--format takes 'text' or 'json', not 'mermaid'"

# A range: what follows acct01 up to join03.
expect 0 history --graph -r acct01:join03
golden history_graph_range.txt

# An unreadable database: the drawing, without (current).
echo "not a database" >"$T/p/app.db"
expect 0 history --graph
assert_contains "$T/out" "join03 (head) join three"
if grep -q "(current)" "$T/out"; then fail "(current) without a readable database"; fi

# Bad combinations: usage errors (exit 2) that say what is possible.
expect 2 history --graph --format json
assert_contains "$T/err" "--graph draws text"
expect 2 --format json history --graph
expect 2 history --graph --format dot
expect 2 history --format svg
assert_contains "$T/err" "--format takes text, json, dot or mermaid, not 'svg'"
expect 2 history --graph --verbose
assert_contains "$T/err" "--verbose applies to the list"
# The list is as it was.
expect 0 history -r join02:join02
assert_eq "$(cat "$T/out")" "acct02, bill02 -> join02 (mergepoint), join two" "history -r"
expect 0 history --format json -r join03:
assert_contains "$T/out" '"revision": "join03"'
echo "ok: history_graph"
