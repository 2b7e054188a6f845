#!/usr/bin/env bash
# SQLite table options in the models (README, model files: `options:`): pull
# writes STRICT and WITHOUT ROWID, a database built from the baseline has
# them (a STRICT table still refuses text in an INTEGER column), a new table
# of the models is made with them, a different value is a hint (never a
# rebuild), a model without `options:` leaves the database's alone, and a
# value SQLite does not have is an error at its line.
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
sqlite3 "$T/p/app.db" <<'SQL'
CREATE TABLE readings (id INTEGER PRIMARY KEY, value INTEGER NOT NULL) STRICT;
CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID, STRICT;
INSERT INTO readings (value) VALUES (1);
SQL
expect 0 pull
assert_contains "$M/readings.yaml" "options: STRICT"
assert_contains "$M/pairs.yaml" 'options: "WITHOUT ROWID, STRICT"'
expect 0 revision -m nothing --rev-id nothing00001
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"

rm -f "$M"/*.yaml
expect 0 pull --baseline -m baseline --rev-id base00000001
expect 0 check --scratch
expect 0 --url "sqlite:///$T/fresh.db" upgrade head
if sqlite3 "$T/fresh.db" "INSERT INTO readings (value) VALUES ('abc')" 2>/dev/null; then
    fail "the baseline lost STRICT: $(sqlite3 "$T/fresh.db" .schema)"
fi
sqlite3 "$T/fresh.db" ".schema pairs" | grep -q 'WITHOUT ROWID, STRICT' || fail "pairs: $(sqlite3 "$T/fresh.db" .schema)"

# A new table with options; another value on an existing one is a hint.
cat >"$M/logs.yaml" <<'YAML'
tables:
  logs:
    options: strict
    columns:
      id: { type: integer, primary_key: true }
      line: { type: text }
YAML
sed -i 's/options: STRICT/options: "WITHOUT ROWID"/' "$M/readings.yaml"
expect 0 revision -m logs --rev-id logs00000001
assert_contains "$T/err" "table 'readings': the model's options are 'WITHOUT ROWID', the database's 'STRICT'"
f=$(ls "$T"/p/alembic_like/versions/logs00000001_*.c)
grep -q 'AG_TABLE_OPTIONS("strict")' "$f" || fail "no options for the new table: $(cat "$f")"
grep -q readings "$f" && fail "an operation on readings: $(cat "$f")"
expect 0 upgrade
sqlite3 "$T/p/app.db" ".schema logs" | grep -q ') strict' || fail "logs: $(sqlite3 "$T/p/app.db" ".schema logs")"

# No `options:`: the database's are left alone.
sed -i '/options: "WITHOUT ROWID"/d' "$M/readings.yaml"
expect 0 check

# What SQLite does not have.
sed -i 's/options: strict/options: "STRICT, TEMPORARY"/' "$M/logs.yaml"
expect 3 check
assert_contains "$T/err" "models/logs.yaml:3:14: error: SQLite's table options are STRICT and WITHOUT ROWID (or both, a comma between), not 'STRICT, TEMPORARY'"
echo "ok: table options (sqlite)"
