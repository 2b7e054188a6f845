#!/usr/bin/env bash
# pull --baseline on PostgreSQL carries what the models do not describe but a
# database built from the history must have (README, "Adopting a database"):
# functions (before the tables, or after them when they take a table's row
# type), views, materialized views and their indexes, triggers, exclusion
# constraints, row-level security and its policies, each dropped again by the
# downgrade. A view reading a table the
# baseline does not create is left out and said. The definitions are compared between the original
# database and one built from the baseline.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
db <<'SQL'
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE bookings (
    id serial PRIMARY KEY,
    room int NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
);
CREATE FUNCTION touch_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE TABLE orders (
    id serial PRIMARY KEY,
    code text NOT NULL DEFAULT new_code(),
    price numeric NOT NULL,
    qty int NOT NULL,
    updated_at timestamptz
);
CREATE FUNCTION order_total(o orders) RETURNS numeric LANGUAGE sql AS $$ SELECT o.price * o.qty $$;
CREATE PROCEDURE bump(p numeric) LANGUAGE sql AS $$ UPDATE orders SET price = price + p $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated();
CREATE VIEW big_orders WITH (security_barrier = true) AS
    SELECT id, price, order_total(orders) AS total FROM orders WHERE price > 100;
CREATE VIEW big_count AS SELECT count(*) AS n FROM big_orders;
CREATE MATERIALIZED VIEW order_stats AS SELECT count(*) AS n, sum(price) AS s FROM orders;
CREATE UNIQUE INDEX order_stats_n ON order_stats (n);
CREATE TABLE docs (id int PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON docs USING (owner = current_user);
CREATE POLICY add_own ON docs FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY keep_body ON docs AS RESTRICTIVE FOR UPDATE TO postgres USING (true) WITH CHECK (body IS NOT NULL);
CREATE TABLE legacy (id int);
CREATE VIEW legacy_v AS SELECT id FROM legacy;
SQL
echo 'exclude_tables: [legacy]' >>"$T/p/autogen.yaml"
objects() {
    db "SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid))
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS
               (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL SELECT 'view ' || c.relname || ' ' || c.relkind::text || ' ' ||
               coalesce(array_to_string(c.reloptions, ','), '') || ' ' || md5(pg_get_viewdef(c.oid))
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
               AND c.relname <> 'legacy_v'
        UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE tablename = 'order_stats'
        UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
        UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
               WHERE contype = 'x'
        UNION ALL SELECT 'rls ' || relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity
               FROM pg_class WHERE relname = 'docs'
        UNION ALL SELECT 'policy ' || policyname || ' ' || permissive || ' ' || array_to_string(roles, ',')
               || ' ' || cmd || ' ' || coalesce(qual, '-') || ' ' || coalesce(with_check, '-') FROM pg_policies
        ORDER BY 1"
}
objects >"$T/before"

expect 0 pull --baseline -m baseline --rev-id base00000001
assert_contains "$T/err" "view 'public.legacy_v' reads 'public.legacy', which the baseline does not create: left out of the baseline"
f=$T/p/alembic_like/versions/base00000001_baseline.c
line() { grep -n "$1" "$f" | head -1 | cut -d: -f1; }
[ "$(line 'FUNCTION public.new_code')" -lt "$(line 'ag_create_table(op, "orders"')" ] ||
    fail "a function a default calls comes after the table"
[ "$(line 'FUNCTION public.order_total')" -gt "$(line 'ag_create_table(op, "orders"')" ] ||
    fail "a function of the table's row type comes before the table"
grep -q 'DROP PROCEDURE IF EXISTS \\"public\\".\\"bump\\"(IN p numeric)' "$f" || fail "no drop of the procedure: $(cat "$f")"
expect 0 check --scratch

scratch=$(pg_other_db scratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch objects >"$T/after"
diff -u "$T/before" "$T/after" || fail "the baseline built other functions, views or triggers"
PG_URL=$scratch db "INSERT INTO orders (price, qty) VALUES (150, 2); UPDATE orders SET qty = 3"
assert_eq "$(PG_URL=$scratch db "SELECT n FROM big_count")|$(PG_URL=$scratch db "SELECT total FROM big_orders")|$(PG_URL=$scratch db "SELECT updated_at IS NOT NULL AND length(code) = 32 FROM orders")" \
    "1|450|t" "views, functions and the trigger work in the built database"
PG_URL=$scratch db "INSERT INTO bookings (room, during) VALUES (1, '[2026-01-01,2026-01-03)')"
if PG_URL=$scratch db "INSERT INTO bookings (room, during) VALUES (1, '[2026-01-02,2026-01-04)')" 2>/dev/null; then
    fail "the built database takes an overlapping booking"
fi
expect 0 --url "$scratch" downgrade base
assert_eq "$(PG_URL=$scratch db "SELECT count(*) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")|$(PG_URL=$scratch db "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm', 'r') AND relname NOT LIKE 'autogen%'")" \
    "0|0" "functions and relations left after the downgrade"
echo "ok: baseline extras (pg)"
