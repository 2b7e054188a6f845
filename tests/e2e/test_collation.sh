#!/usr/bin/env bash
# Column collations on a hand-made SQLite database (README, model files:
# `collation:`): `COLLATE NOCASE` is how SQLite schemas make an email unique
# in any case. `pull` writes it, the round trip holds, a database built from
# the baseline keeps it (and so refuses the same duplicates), and a model that
# changes a collation rebuilds the table with every row kept.
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
sqlite3 "$T/p/app.db" <<'SQL'
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT COLLATE NOCASE NOT NULL UNIQUE,
    handle TEXT COLLATE binary,
    code TEXT COLLATE rtrim
);
INSERT INTO users (email, handle, code) VALUES ('Ann@x.org', 'ann', 'a '), ('bob@x.org', 'Bob', 'b');
SQL

expect 0 pull
y=$M/users.yaml
grep -q 'email: .*collation: NOCASE' "$y" || fail "NOCASE not written: $(cat "$y")"
grep -q 'code: .*collation: rtrim' "$y" || fail "rtrim not written: $(cat "$y")"
grep -q 'handle: .*collation' "$y" && fail "BINARY (the default) written: $(cat "$y")"
cp "$y" "$T/first.yaml"
expect 0 revision -m nothing --rev-id nothing00001
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 pull --force
cmp -s "$y" "$T/first.yaml" || fail "second pull differs"

# The baseline: a database built from it refuses 'ANN@x.org' as the original does.
rm -f "$M"/*.yaml
expect 0 pull --baseline -m baseline --rev-id base00000001
expect 0 check --scratch
expect 0 --url "sqlite:///$T/fresh.db" upgrade head
sqlite3 "$T/fresh.db" "INSERT INTO users (email) VALUES ('ann@x.org')"
if sqlite3 "$T/fresh.db" "INSERT INTO users (email) VALUES ('ANN@X.ORG')" 2>/dev/null; then
    fail "the baseline lost COLLATE NOCASE: $(sqlite3 "$T/fresh.db" .schema)"
fi

# Change collations: a rebuild, every row kept; the spelling of a name
# (nocase, NOCASE) is no change.
sed -i -e 's/collation: NOCASE/collation: nocase/' -e 's/, collation: rtrim//' \
    -e 's/^\(      handle: *{ type: text\)/\1, collation: NOCASE/' "$y"
expect 0 revision -m collations --rev-id coll00000001
f=$(ls "$T"/p/alembic_like/versions/coll00000001_*.c)
grep -q '"email"' "$f" && fail "a change of spelling became an operation: $(cat "$f")"
grep -q '"handle", AG_ALTER(.collation = "NOCASE"' "$f" || fail "handle: $(cat "$f")"
grep -q '"code", AG_ALTER(.drop_collation = 1' "$f" || fail "code: $(cat "$f")"
before=$(dump_rows users)
expect 0 upgrade
assert_eq "$(dump_rows users)" "$before" "rows after the rebuild"
sqlite3 "$T/p/app.db" .schema | grep -q '"handle" TEXT COLLATE "NOCASE"' ||
    fail "handle not NOCASE: $(sqlite3 "$T/p/app.db" .schema)"
assert_eq "$(sqlite3 "$T/p/app.db" "SELECT id FROM users WHERE handle = 'bob'")" 2 "NOCASE compares"
expect 0 check
expect 0 downgrade base00000001
assert_eq "$(dump_rows users)" "$before" "rows after the downgrade"
sqlite3 "$T/p/app.db" .schema | grep -q '"code" TEXT COLLATE "rtrim"' ||
    fail "code lost rtrim: $(sqlite3 "$T/p/app.db" .schema)"

# A collation that is not a name is an error at its line.
sed -i 's/collation: nocase/collation: ""/' "$y"
expect 3 check
assert_contains "$T/err" "models/users.yaml:"
assert_contains "$T/err" "'collation' names a collation"
echo "ok: sqlite collations"
