#!/usr/bin/env bash
# SQLite columns declared without a type (`CREATE TABLE kv (k PRIMARY KEY, v)`,
# as SQLite's own documentation writes them) are `type: sql()` in a model:
# a database made by hand that way compares equal to such a model, and one
# made from the model has the same typeless columns.
. "$(dirname "$0")/lib.sh"
new_project
cat >"$T/p/models/kv.yaml" <<'YAML'
tables:
  kv:
    columns:
      k: { type: sql(), primary_key: true }
      v: { type: "sql()" }
      n: { type: integer }
YAML
db "CREATE TABLE kv (k PRIMARY KEY NOT NULL, v, n INTEGER); INSERT INTO kv VALUES ('a', x'00', 1)"
expect 0 check
expect 0 revision -m "nothing"
assert_eq "$(cat "$T/out")" "No changes detected" "a typeless column against sql()"

# From the model: the columns get no type, and read back equal.
rm "$T/p/app.db"
expect 0 revision -m "create kv" --rev-id kv0
assert_contains "$(ls "$T"/p/alembic_like/versions/kv0_*.c)" 'AG_COL("v", "sql()")'
expect 0 upgrade
assert_eq "$(db "SELECT type FROM pragma_table_info('kv') ORDER BY cid" | tr '\n' ,)" ",,INTEGER," \
    "declared types"
expect 0 check
expect 0 check --scratch

# An empty enum() is still an error that says what to write.
sed -i 's/n: { type: integer }/n: { type: enum() }/' "$T/p/models/kv.yaml"
expect 3 check
assert_contains "$T/err" "write enum(name)"
echo "ok: typeless SQLite columns"
