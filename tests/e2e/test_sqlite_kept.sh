#!/usr/bin/env bash
# What a SQLite database has that the models do not describe is kept as the
# database has it: generated columns (VIRTUAL and STORED, never added, altered
# or dropped), the table options STRICT and WITHOUT ROWID survive a rebuild;
# virtual tables (FTS5, R*Tree) and their shadow tables are never read, so
# never dropped. A column's COLLATE is what the model's `collation:` says: a
# model that leaves it out asks for the default, and autogenerate says so.
. "$(dirname "$0")/lib.sh"

new_project
db <<'SQL'
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    price INTEGER,
    qty INTEGER,
    total INTEGER GENERATED ALWAYS AS (price * qty) VIRTUAL,
    note TEXT COLLATE NOCASE,
    next_qty INT AS (qty + 1) STORED
) STRICT;
CREATE UNIQUE INDEX ix_items_note ON items (note);
INSERT INTO items (price, qty, note) VALUES (2, 3, 'Apple'), (NULL, 5, 'pear');
CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, weight INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;
INSERT INTO pairs VALUES ('x', 'y', 1);
CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO posts (body) VALUES ('hello world');
CREATE VIRTUAL TABLE posts_fts USING fts5(body, content='posts', content_rowid='id');
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE boxes USING rtree(id, minx, maxx);
INSERT INTO boxes VALUES (1, 0, 10);
SQL
cat >"$T/p/models/app.yaml" <<'YAML'
tables:
  items:
    columns:
      id:    { type: integer, primary_key: true, autoincrement: true }
      price: { type: integer }
      qty:   { type: integer }
      note:  { type: text, collation: NOCASE }
    indexes:
      - { name: ix_items_note, columns: [note], unique: true }
  pairs:
    primary_key: [a, b]
    columns:
      a:      { type: text }
      b:      { type: text }
      weight: { type: integer }
  posts:
    columns:
      id:   { type: integer, primary_key: true, autoincrement: true }
      body: { type: text }
YAML

# Without `collation:` the model asks for the default: a change, with a hint.
sed -i 's/, collation: NOCASE//' "$T/p/models/app.yaml"
expect 1 check
assert_contains "$T/out" "alter column 'items.note'"
expect 0 revision -m "no collation" --rev-id nocoll000001
assert_contains "$T/err" "column 'items.note': the database compares it with collation NOCASE"
rm "$T"/p/alembic_like/versions/nocoll000001_*.c
sed -i 's/      note:  { type: text }/      note:  { type: text, collation: NOCASE }/' "$T/p/models/app.yaml"

# Nothing of what the models leave out is a change.
expect 0 check
expect 0 revision -m adopted
assert_contains "$T/out" "No changes detected"

# A change that rebuilds both tables keeps every row and every kept detail.
sed -i -e 's/price: { type: integer }/price: { type: integer, nullable: false, default: 0 }/' \
    -e 's/weight: { type: integer }/weight: { type: integer, nullable: false, default: 1 }/' \
    "$T/p/models/app.yaml"
expect 0 revision -m "not null"
grep -q "drop table\|drop column\|posts_fts\|boxes" "$T/out" "$T/err" &&
    fail "the revision touches what the models do not describe"
expect 0 upgrade
expect 0 check
items=$(db "SELECT sql FROM sqlite_master WHERE name = 'items'")
case "$items" in
*'"total" INTEGER GENERATED ALWAYS AS (price * qty) VIRTUAL'*) ;;
*) fail "virtual generated column lost: $items" ;;
esac
case "$items" in *'GENERATED ALWAYS AS (qty + 1) STORED'*) ;; *) fail "stored column lost: $items" ;; esac
case "$items" in *'COLLATE "NOCASE"'*) ;; *) fail "collation lost: $items" ;; esac
case "$items" in *') STRICT') ;; *) fail "STRICT lost: $items" ;; esac
assert_eq "$(db "SELECT id, price, qty, total, note, next_qty FROM items ORDER BY id")" \
    "1|2|3|6|Apple|4
2|0|5|0|pear|6" "rows and computed values after the rebuild"
assert_eq "$(db "SELECT count(*) FROM items WHERE note = 'APPLE'")" "1" "NOCASE still compares"
db "INSERT INTO items (price, qty, note) VALUES ('abc', 1, 'z')" 2>/dev/null &&
    fail "STRICT no longer refuses a text in an INTEGER column"
assert_eq "$(db "SELECT sql LIKE '%) WITHOUT ROWID' FROM sqlite_master WHERE name = 'pairs'")" "1" \
    "WITHOUT ROWID kept"
assert_eq "$(db "SELECT a, b, weight FROM pairs")" "x|y|1" "rows of the WITHOUT ROWID table"

# The virtual tables and their shadow tables are untouched and still work.
assert_eq "$(db "SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'hello'")" "1" "FTS still answers"
assert_eq "$(db "SELECT id FROM boxes WHERE minx >= 0")" "1" "R*Tree still answers"

# The downgrade rebuilds back, keeping them too.
expect 0 downgrade -1
items=$(db "SELECT sql FROM sqlite_master WHERE name = 'items'")
case "$items" in *VIRTUAL*STORED*') STRICT') ;; *) fail "downgrade lost kept details: $items" ;; esac
assert_eq "$(db "SELECT id, total, next_qty FROM items ORDER BY id")" "1|6|4
2|0|6" "computed values after the downgrade"
expect 0 upgrade
expect 0 check

# Models that leave every table out still never touch the virtual tables.
cat >"$T/p/models/app.yaml" <<'YAML'
tables:
  items:
    columns:
      id:    { type: integer, primary_key: true, autoincrement: true }
      price: { type: integer, nullable: false, default: 0 }
      qty:   { type: integer }
      note:  { type: text }
    indexes:
      - { name: ix_items_note, columns: [note], unique: true }
  pairs:
    primary_key: [a, b]
    columns:
      a:      { type: text }
      b:      { type: text }
      weight: { type: integer, nullable: false, default: 1 }
YAML
expect 0 diff
assert_contains "$T/out" "drop table 'posts'"
grep -q "posts_fts\|boxes" "$T/out" && fail "virtual or shadow tables proposed: $(cat "$T/out")"
echo "ok: kept"
