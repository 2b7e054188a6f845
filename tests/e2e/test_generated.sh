#!/usr/bin/env bash
# Generated columns on SQLite (README, model files: `generated:`, `stored:`):
# `pull` writes them, the round trip holds, a database built from the
# baseline computes them (VIRTUAL and STORED), a model may add one (VIRTUAL:
# ALTER TABLE ADD COLUMN; STORED: a rebuild keeping every row), and a change of
# one that exists is a hint, never an operation.
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
sqlite3 "$T/p/app.db" <<'SQL'
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    price INTEGER NOT NULL,
    qty INTEGER NOT NULL DEFAULT 1,
    name TEXT,
    total INTEGER GENERATED ALWAYS AS (price * qty) VIRTUAL,
    label TEXT AS (upper(name)) STORED NOT NULL
);
CREATE INDEX ix_items_total ON items (total);
INSERT INTO items (price, qty, name) VALUES (2, 3, 'pen'), (5, 1, 'ink');
SQL

expect 0 pull
y=$M/items.yaml
grep -qF 'total: { type: integer, generated: price * qty, index: true }' "$y" || fail "virtual: $(cat "$y")"
grep -qF 'label: { type: text, generated: upper(name), stored: true, nullable: false }' "$y" ||
    fail "stored: $(cat "$y")"
assert_eq "$(grep -c 'generated' "$T/err" || true)" 0 "warnings about generated columns"
cp "$y" "$T/first.yaml"
expect 0 revision -m nothing --rev-id nothing00001
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 pull --force
cmp -s "$y" "$T/first.yaml" || fail "second pull differs"

# A database built from the baseline computes both columns.
rm -f "$M"/*.yaml
expect 0 pull --baseline -m baseline --rev-id base00000001
expect 0 check --scratch
expect 0 --url "sqlite:///$T/fresh.db" upgrade head
sqlite3 "$T/fresh.db" "INSERT INTO items (price, qty, name) VALUES (4, 5, 'cap')"
assert_eq "$(sqlite3 "$T/fresh.db" "SELECT total || ' ' || label FROM items")" "20 CAP" \
    "computed values in a database built from the baseline"
sqlite3 "$T/fresh.db" .schema | grep -q 'GENERATED ALWAYS AS (upper(name)) STORED' ||
    fail "STORED lost: $(sqlite3 "$T/fresh.db" .schema)"

# Add a VIRTUAL one (in place) and a STORED one (a rebuild): rows kept, values computed.
sed -i 's/^      label: .*/&\n      double: { type: integer, generated: "total * 2" }\n      tag: { type: text, generated: "lower(name)", stored: true }/' "$y"
expect 0 revision -m "more" --rev-id more00000001
f=$(ls "$T"/p/alembic_like/versions/more00000001_*.c)
grep -q '.generated = "total \* 2")' "$f" || fail "virtual add: $(cat "$f")"
grep -q '.generated = "lower(name)", .stored = 1' "$f" || fail "stored add: $(cat "$f")"
expect 0 upgrade --sql
assert_contains "$T/out" 'ALTER TABLE "items" ADD COLUMN "double" INTEGER GENERATED ALWAYS AS (total * 2) VIRTUAL'
expect 0 upgrade
assert_eq "$(db "SELECT id, price, qty, name, total, label, double, tag FROM items ORDER BY id")" \
    "1|2|3|pen|6|PEN|12|pen
2|5|1|ink|5|INK|10|ink" "rows and computed values after the upgrade"
assert_eq "$(db "SELECT count(*) FROM sqlite_master WHERE name = 'ix_items_total'")" 1 "index kept"
expect 0 check
expect 0 downgrade base00000001
assert_eq "$(db "SELECT id, total, label FROM items ORDER BY id")" "1|6|PEN
2|5|INK" "rows after the downgrade"

# A change of an existing generated column: a hint, no operation.
expect 0 upgrade head
sed -i 's/generated: price \* qty/generated: price * qty + 1/' "$y"
expect 0 revision -m "changed" --rev-id changed00001
assert_contains "$T/out" "No changes detected"
assert_contains "$T/err" "column 'items.total': the model computes it as (price * qty + 1), the database as (price * qty)"
sed -i 's/generated: price \* qty + 1/generated: price * qty/; s/stored: true, nullable/nullable/' "$y"
expect 0 revision -m "virtual" --rev-id virtual00001
assert_contains "$T/err" "column 'items.label': the model computes it on read, the database stores it"

# Bad models, at their line.
sed -i 's/^      name: .*/      name:  { type: text, stored: true }/' "$y"
expect 3 check
assert_contains "$T/err" "models/items.yaml:"
assert_contains "$T/err" "'stored' goes with 'generated'"
sed -i 's/^      name: .*/      name:  { type: text, generated: "", default: x }/' "$y"
expect 3 check
assert_contains "$T/err" "'generated' must be the SQL expression the column is computed from"
sed -i 's/^      name: .*/      name:  { type: text, generated: "upper(label)", default: x }/' "$y"
expect 3 check
assert_contains "$T/err" "column 'name' is generated: it cannot also have 'default'"
echo "ok: sqlite generated columns"
