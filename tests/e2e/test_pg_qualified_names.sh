#!/usr/bin/env bash
# The same table name in two schemas: what diff, check and revision print
# names each table with its schema (raw.customers, clean.customers); tables
# of the default schema go by their name alone.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
cat >"$T/p/models/m.yaml" <<'YAML'
enums:
  tier: [free, paid]
tables:
  customers:
    columns:
      id: { type: integer, primary_key: true }
YAML
cat >"$T/p/models/raw.yaml" <<'YAML'
tables:
  customers:
    schema: raw
    columns:
      id: { type: integer, primary_key: true }
YAML
cat >"$T/p/models/clean.yaml" <<'YAML'
tables:
  customers:
    schema: clean
    columns:
      id:   { type: integer, primary_key: true }
      tier: { type: enum(tier) }
YAML
expect 0 diff
assert_contains "$T/out" "-- create table 'raw.customers'"
assert_contains "$T/out" "-- create table 'clean.customers'"
assert_contains "$T/out" "-- create table 'customers'"
expect 0 --format json diff
python3 - "$T/out" <<'PY'
import json, sys
changes = json.load(open(sys.argv[1]))["changes"]
got = sorted(((c["schema"] or ""), c["table"], c["description"]) for c in changes if c["op"] == "create_table")
want = [("clean", "customers", "create table 'clean.customers'"),
        ("raw", "customers", "create table 'raw.customers'")]
assert got == [("", "customers", "create table 'customers'")] + want, got
assert [c["schema"] for c in changes if c["description"] == "create table 'customers'"] == [None]
PY
expect 1 check
assert_contains "$T/out" "  create table 'raw.customers'"
assert_contains "$T/out" "  create table 'clean.customers'"
expect 1 --format json check
assert_contains "$T/out" "\"create table 'raw.customers'\""
expect 0 revision -m layers
expect 0 upgrade
# Column changes and destructive warnings name the schema too.
sed -i '/schema: raw/a\    comment: as loaded' "$T/p/models/raw.yaml"
cat >>"$T/p/models/clean.yaml" <<'YAML'
      name: { type: text }
YAML
db "ALTER TABLE raw.customers ADD COLUMN junk text"
expect 1 check
assert_contains "$T/out" "add column 'clean.customers.name'"
assert_contains "$T/out" "drop column 'raw.customers.junk'"
assert_contains "$T/out" "set the comment of table 'raw.customers'"
expect 0 revision -m more
assert_contains "$T/err" "raw.customers"
echo "ok: pg qualified names"
