#!/usr/bin/env bash
# pull --baseline on SQLite carries what the models do not describe but a
# database built from the history must have (README, "Adopting a database"):
# the views and triggers, in the order the database made them, each dropped
# again by the downgrade. A trigger on a table the baseline does not create is
# left out and said. A database built from the baseline behaves the same.
. "$(dirname "$0")/lib.sh"
new_project
sqlite3 "$T/p/app.db" <<'SQL'
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL, updated TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY, order_id INTEGER, what TEXT);
CREATE TABLE legacy (id INTEGER);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW big_count AS SELECT count(*) AS n FROM big_orders;
CREATE TRIGGER orders_audit AFTER UPDATE ON orders
BEGIN
    INSERT INTO audit (order_id, what) VALUES (new.id, 'total ' || old.total || ' -> ' || new.total);
END;
CREATE TRIGGER big_insert INSTEAD OF INSERT ON big_orders
BEGIN
    INSERT INTO orders (total) VALUES (new.total);
END;
CREATE TRIGGER legacy_guard BEFORE DELETE ON legacy BEGIN SELECT RAISE(ABORT, 'no'); END;
SQL
echo 'exclude_tables: [legacy]' >>"$T/p/autogen.yaml"

expect 0 pull --baseline -m baseline --rev-id base00000001
assert_contains "$T/err" "trigger 'legacy_guard' is on 'legacy', which the baseline does not create: left out of the baseline"
f=$T/p/alembic_like/versions/base00000001_baseline.c
for obj in big_orders big_count orders_audit big_insert; do
    grep -q "CREATE [A-Z]* $obj" "$f" || fail "$obj not in the baseline: $(cat "$f")"
done
grep -q legacy_guard "$f" && fail "a trigger on a table not pulled is in the baseline"
# The views come after the tables, in the database's order; the downgrade
# drops them before the tables.
line() { grep -n "$1" "$f" | head -1 | cut -d: -f1; }
[ "$(line 'ag_create_table(op, "orders"')" -lt "$(line 'CREATE VIEW big_orders')" ] || fail "view before its table"
[ "$(line 'CREATE VIEW big_orders')" -lt "$(line 'CREATE VIEW big_count')" ] || fail "views out of order"
[ "$(line 'DROP VIEW IF EXISTS \\"big_orders\\"')" -lt "$(line 'ag_drop_table(op, "orders")')" ] ||
    fail "the downgrade drops the table before its view"
expect 0 check --scratch

# A database built from the baseline: same views and triggers, same behaviour.
expect 0 --url "sqlite:///$T/fresh.db" upgrade head
q() { sqlite3 "$1" "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name"; }
assert_eq "$(q "$T/fresh.db")" "$(q "$T/p/app.db" | grep -v legacy_guard)" "views and triggers of the fresh database"
sqlite3 "$T/fresh.db" "INSERT INTO big_orders (total) VALUES (150); UPDATE orders SET total = 200"
assert_eq "$(sqlite3 "$T/fresh.db" "SELECT n FROM big_count")|$(sqlite3 "$T/fresh.db" "SELECT what FROM audit")" \
    "1|total 150 -> 200" "the triggers and views work"

# The downgrade takes everything away again.
expect 0 --url "sqlite:///$T/fresh.db" downgrade base
assert_eq "$(sqlite3 "$T/fresh.db" "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'autogen%' AND name NOT LIKE 'sqlite%'")" \
    0 "objects left after the downgrade"

# Offline, the same script.
expect 0 --url "sqlite:///$T/offline.db" upgrade head --sql
assert_contains "$T/out" "CREATE TRIGGER orders_audit AFTER UPDATE ON orders"
echo "ok: baseline extras (sqlite)"
