#!/usr/bin/env bash
# SQLite views and triggers survive table rebuilds (SQLite's ALTER TABLE
# procedure: the views that depend on the table, a view over such a view too,
# and the triggers that name any of them are dropped before and recreated after,
# in the migration's transaction). They are kept as the database has them:
# autogenerate never proposes them. Online they come from the database; offline
# scripts know those that migrations create with ag_execute, and refuse (roll
# the migration back) to rebuild a table with a trigger they do not know.
. "$(dirname "$0")/lib.sh"

new_project
# A database written by hand, as an application would have it.
db <<'SQL'
CREATE TABLE users (id INTEGER NOT NULL, email VARCHAR(100), PRIMARY KEY (id));
CREATE TABLE orders (id INTEGER NOT NULL, user_id INTEGER NOT NULL, total NUMERIC(10,2),
    PRIMARY KEY (id), FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE);
CREATE TABLE audit (id INTEGER NOT NULL, what TEXT, PRIMARY KEY (id));
CREATE VIEW active_users AS SELECT id, email FROM users WHERE email IS NOT NULL;
CREATE VIEW user_totals AS SELECT u.id, u.email, sum(o.total) AS total
    FROM active_users AS u JOIN orders AS o ON o.user_id = u.id GROUP BY u.id;
CREATE VIEW order_count AS SELECT count(*) AS n FROM orders;
CREATE TRIGGER users_audit AFTER UPDATE OF email ON users
BEGIN INSERT INTO audit (what) VALUES ('email ' || new.id); END;
CREATE TRIGGER orders_touch AFTER INSERT ON orders
BEGIN UPDATE users SET email = lower(email) WHERE id = new.user_id; END;
CREATE TRIGGER active_users_insert INSTEAD OF INSERT ON active_users
BEGIN INSERT INTO users (id, email) VALUES (new.id, new.email); END;
INSERT INTO users (id, email) VALUES (1, 'A@x'), (2, 'b@x');
INSERT INTO orders (user_id, total) VALUES (1, 10), (1, 5), (2, 7);
SQL
objects() {
    db "SELECT type, name, tbl_name, sql FROM sqlite_master
        WHERE type IN ('view', 'trigger') ORDER BY type, name"
}
before=$(objects)
cat >"$T/v1.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true, autoincrement: true }
      email: { type: string(100) }
  orders:
    columns:
      id:      { type: integer, primary_key: true, autoincrement: true }
      user_id: { type: integer, nullable: false, references: users.id, on_delete: cascade }
      total:   { type: "decimal(10,2)" }
  audit:
    columns:
      id:   { type: integer, primary_key: true, autoincrement: true }
      what: { type: text }
YAML
use_models "$T/v1.yaml"
# Views and triggers are not the models' business.
expect 0 check
expect 0 revision -m nothing
assert_contains "$T/out" "No changes detected"
expect 0 stamp base

# users.email NOT NULL with a default, orders.total widened: both rebuilt.
sed -e 's/email: { type: string(100) }/email: { type: string(100), nullable: false, default: none }/' \
    -e 's/total:   { type: "decimal(10,2)" }/total:   { type: "decimal(12,2)" }/' \
    "$T/v1.yaml" >"$T/v2.yaml"
use_models "$T/v2.yaml"
expect 0 revision -m rebuild --rev-id aaaa00000001
expect 0 diff
assert_contains "$T/out" 'DROP VIEW "user_totals"'
expect 0 upgrade
assert_eq "$(objects)" "$before" "views and triggers after the upgrade"
assert_eq "$(count_rows orders)" 3 "orders kept"
assert_eq "$(db "SELECT total FROM user_totals WHERE id = 1")" 15 "the view over a view works"
db "DELETE FROM audit; UPDATE users SET email = 'c@x' WHERE id = 2"
assert_eq "$(db "SELECT what FROM audit")" "email 2" "the trigger on the rebuilt table fires"
db "INSERT INTO orders (user_id, total) VALUES (1, 1)"
assert_eq "$(db "SELECT email FROM users WHERE id = 1")" "a@x" "the trigger that names the table fires"
db "INSERT INTO active_users (id, email) VALUES (3, 'd@x')"
assert_eq "$(count_rows users)" 3 "the trigger on the view fires"
expect 0 check
expect 0 downgrade base
assert_eq "$(objects)" "$before" "views and triggers after the downgrade"
assert_eq "$(count_rows orders)" 4 "orders kept on the way down"

# Offline, views and triggers that migrations create (ag_execute) are known.
new_project
cat >"$T/m1.yaml" <<'YAML'
tables:
  items:
    columns:
      id:    { type: integer, primary_key: true, autoincrement: true }
      name:  { type: string(50) }
  log:
    columns:
      id:   { type: integer, primary_key: true, autoincrement: true }
      msg:  { type: text }
YAML
use_models "$T/m1.yaml"
expect 0 revision -m tables --rev-id bbbb00000001
expect 0 upgrade
expect 0 revision --empty -m objects --rev-id bbbb00000002
add_sql "$T/p/alembic_like/versions/bbbb00000002_objects.c" upgrade \
    "CREATE VIEW named_items AS SELECT id, name FROM items WHERE name IS NOT NULL; CREATE VIEW IF NOT EXISTS item_names AS SELECT name FROM named_items" \
    "CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (msg) VALUES ('added; ' || new.name); END" \
    "CREATE TEMP VIEW scratch AS SELECT 1"
add_sql "$T/p/alembic_like/versions/bbbb00000002_objects.c" downgrade \
    "DROP TRIGGER items_log" "DROP VIEW item_names" "DROP VIEW named_items"
expect 0 upgrade
sed 's/name:  { type: string(50) }/name:  { type: string(80) }/' "$T/m1.yaml" >"$T/m2.yaml"
use_models "$T/m2.yaml"
expect 0 revision -m widen --rev-id bbbb00000003
mv "$T/p/app.db" "$T/online.db"
expect 0 upgrade --sql bbbb00000003
cp "$T/out" "$T/up.sql"
assert_contains "$T/up.sql" 'DROP VIEW "item_names"'
assert_contains "$T/up.sql" "CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (msg) VALUES ('added; ' || new.name); END;"
fk() { sqlite3 -batch -bail -cmd "PRAGMA foreign_keys=ON" "$T/off.db" 2>"$T/sqlite.err" ||
    { cat "$T/sqlite.err" >&2; fail "script failed"; }; }
fk <"$T/up.sql"
sqlite3 "$T/off.db" "INSERT INTO items (name) VALUES ('a')"
assert_eq "$(sqlite3 "$T/off.db" "SELECT msg FROM log")" "added; a" "the trigger after the offline rebuild"
assert_eq "$(sqlite3 "$T/off.db" "SELECT name FROM item_names")" "a" "the views after the offline rebuild"
expect 0 downgrade --sql bbbb00000003:bbbb00000002
fk <"$T/out"
assert_eq "$(sqlite3 "$T/off.db" "SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')")" 3 \
    "views and trigger after the offline downgrade"
expect 0 downgrade --sql bbbb00000002:base
fk <"$T/out"
assert_eq "$(sqlite3 "$T/off.db" "SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')")" 0 \
    "none at base"

# A trigger made by hand is unknown to the script: it rolls the migration back
# instead of losing the trigger.
cp "$T/online.db" "$T/hand.db"
sqlite3 "$T/hand.db" "CREATE TRIGGER items_by_hand AFTER DELETE ON items BEGIN SELECT 1; END"
expect 0 upgrade --sql bbbb00000002:bbbb00000003
cp "$T/out" "$T/hand.sql"
sqlite3 -batch -bail "$T/hand.db" <"$T/hand.sql" 2>"$T/sqlite.err" && fail "the script ran"
assert_contains "$T/sqlite.err" "unknown_views_or_triggers"
assert_eq "$(sqlite3 "$T/hand.db" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")" 2 \
    "the triggers are still there"
assert_eq "$(sqlite3 "$T/hand.db" "SELECT version_num FROM autogen_version")" bbbb00000002 \
    "the migration was rolled back"
echo ok
