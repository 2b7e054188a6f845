#!/usr/bin/env bash
# A migration that drops a table no migration created (it was made by hand
# before autogen): `upgrade --sql` still renders the DROP TABLE (it needs only
# the name) and warns, naming the file; `check --scratch` fails naming the
# file and the table, saying the history needs a baseline revision.
. "$(dirname "$0")/lib.sh"
new_project
db "CREATE TABLE handmade (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO handmade VALUES (1, 'x')"
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
expect 0 revision -m first --rev-id first0
f=$(ls "$T/p/alembic_like/versions/"first0_*.c)
assert_contains "$f" 'ag_drop_table(op, "handmade")'

expect 0 upgrade --sql
assert_contains "$T/out" 'DROP TABLE "handmade";'
assert_contains "$T/out" 'CREATE TABLE "users"'
assert_contains "$T/err" "warning"
assert_contains "$T/err" "$(basename "$f")"
assert_contains "$T/err" "'handmade'"
assert_contains "$T/err" "baseline"
# The script runs on a copy of the database it was made for.
cp "$T/p/app.db" "$T/copy.db"
sqlite3 -bail "$T/copy.db" <"$T/out"
assert_eq "$(sqlite3 "$T/copy.db" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1" | tr '\n' ' ')" \
    "autogen_run_log autogen_version users " "tables after the offline script"

expect 3 check --scratch
assert_contains "$T/err" "$(basename "$f")"
assert_contains "$T/err" "'handmade'"
assert_contains "$T/err" "never create"
assert_contains "$T/err" "baseline"
echo "ok: offline replay of a hand-made table's drop"
