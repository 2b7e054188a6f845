#!/usr/bin/env bash
# SQLite URLs take a query string (mode=ro|rw|rwc; anything else is an error
# naming the parameter), and commands that only read never create the
# database file: against a missing file diff, check and revision compare with
# an empty schema, and current prints nothing, as at base.
. "$(dirname "$0")/lib.sh"
new_project
rm -f "$T/p/app.db"
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
absent() {
    [ ! -e "$T/p/app.db" ] || fail "$1 created app.db"
    [ -z "$(ls "$T/p" | grep -F '?')" ] || fail "$1 created $(ls "$T/p" | grep -F '?')"
}

expect 0 diff
assert_contains "$T/out" "create table 'users'"
absent diff
expect 1 check
absent check
expect 0 current
assert_eq "$(cat "$T/out")" "" "current on a missing database"
assert_contains "$T/err" "does not exist yet: nothing is applied"
absent current
expect 0 history
absent history
expect 0 heads
absent heads
expect 0 revision -m one --rev-id one000
absent revision
expect 0 show one000
absent show
# A failed revision leaves nothing behind either: the database is not at the head.
expect 3 revision -m two
assert_contains "$T/err" "not at the head"
absent "a failed revision"
expect 0 current
absent current

# A write command creates it.
expect 0 upgrade
[ -s "$T/p/app.db" ] || fail "upgrade did not create app.db"
expect 0 check
expect 0 current
assert_contains "$T/out" "one000"
rm "$T/p/app.db"

# mode=ro: read, never written or created.
expect 3 --url 'sqlite:///app.db?mode=ro' upgrade
assert_contains "$T/err" "app.db"
absent "upgrade with mode=ro"
expect 1 --url 'sqlite:///app.db?mode=ro' check
absent "check with mode=ro"
expect 0 upgrade
cp "$T/p/app.db" "$T/before.db"
expect 0 --url 'sqlite:///app.db?mode=ro' check
expect 0 --url 'sqlite:///app.db?mode=ro' current
assert_contains "$T/out" "one000"
expect 3 --url 'sqlite:///app.db?mode=ro' downgrade base
cmp -s "$T/p/app.db" "$T/before.db" || fail "downgrade with mode=ro changed app.db"
rm "$T/p/app.db"

# mode=rw: write, but never create.
expect 3 --url 'sqlite:///app.db?mode=rw' upgrade
assert_contains "$T/err" "does not exist"
absent "upgrade with mode=rw"
# mode=rwc (the default): create.
expect 0 --url 'sqlite:///app.db?mode=rwc' upgrade
[ -s "$T/p/app.db" ] || fail "mode=rwc did not create app.db"
[ -z "$(ls "$T/p" | grep -F '?')" ] || fail "a file named after the query string"

# Anything else is refused, naming the parameter.
expect 3 --url 'sqlite:///app.db?cache=shared' check
assert_contains "$T/err" "'cache'"
expect 3 --url 'sqlite:///app.db?mode=wo' check
assert_contains "$T/err" "mode=ro, mode=rw or mode=rwc"
echo "ok: sqlite url"
