#!/usr/bin/env bash
# run.sh - the walkthrough of README.md against a PostgreSQL database, from
# scratch, in a temporary copy of this folder (the folder itself is never
# modified). Every step checks that it did what the README says; the script
# stops at the first one that did not.
#
#   AUTOGEN_URL=postgresql://user@host/empty_db [AUTOGEN=/path/to/autogen] ./run.sh
#
# The database should be empty: the walkthrough creates the schemas raw, clean
# and bi in it, and leaves them empty at the end (downgrade base).
set -euo pipefail
AUTOGEN=${AUTOGEN:-autogen}
: "${AUTOGEN_URL:?set AUTOGEN_URL to an empty PostgreSQL database the walkthrough may use}"
export AUTOGEN_URL
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autogen-warehouse.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$here" "$work/warehouse"
rm -rf "$work/warehouse/alembic_like/.cache" "$work/warehouse/"*.db
cd "$work/warehouse"
unset AUTOGEN_ENV
export AUTOGEN_CACHE_DIR="$work/cache" NO_COLOR=1

fail() {
    echo "run.sh: FAILED: $*" >&2
    exit 1
}
# expect STATUS ARGS...: run autogen, show what it printed, require the status;
# stdout is in $work/out, stderr in $work/err.
expect() {
    local want=$1
    shift
    echo "\$ autogen $*"
    set +e
    "$AUTOGEN" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    set -e
    sed 's/^/  /' "$work/out" "$work/err"
    [ "$rc" = "$want" ] || fail "autogen $* exited $rc, expected $want"
}
has() { grep -qF -- "$2" "$1" || fail "expected '$2' in $(basename "$1")"; }
same() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$AUTOGEN_URL" -c "$1"; }
layers() {
    sql "SELECT string_agg(table_schema || '.' || table_name, ' ' ORDER BY table_schema, table_name)
         FROM information_schema.tables WHERE table_schema IN ('raw', 'clean', 'bi')"
}
v=alembic_like/versions
[ -z "$(layers)" ] || fail "the database already has tables in raw, clean or bi: use an empty one"

echo "== 1. SQLite has no schemas: the models are refused there"
expect 3 check --url sqlite:///warehouse.db
has "$work/err" "models/raw/orders.yaml:4:13: error: table 'orders' has schema 'raw', but SQLite has no schemas: remove 'schema:' or use PostgreSQL"
has "$work/err" "models/clean/orders.yaml:3:13: error: table 'orders' has schema 'clean', but SQLite has no schemas"
has "$work/err" "autogen: error: 9 errors in the model files; nothing was changed"
[ ! -e warehouse.db ] || fail "check created warehouse.db"

echo "== 2. The first revision: three layers, references between them"
expect 0 diff
for t in raw.customers raw.products raw.orders clean.customers clean.products clean.orders \
    clean.order_lines bi.customer_value bi.product_sales; do
    has "$work/out" "-- create table '$t'"
done
has "$work/out" 'REFERENCES "raw"."orders" ("id")'
has "$work/out" 'REFERENCES "clean"."customers" ("id") ON DELETE CASCADE'
expect 0 revision -m "three layers" --rev-id 9b1e0c4d7a23
same "$(cat "$work/out")" "$v/9b1e0c4d7a23_three_layers.c" "path printed"
has "$v/9b1e0c4d7a23_three_layers.c" 'ag_create_table(op, "raw.orders",'
has "$v/9b1e0c4d7a23_three_layers.c" '"raw.orders", AG_COLS("id")'
# Read-only commands created nothing.
same "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('raw', 'clean', 'bi')")" 0 "schemas before upgrade"

echo "== 3. Upgrade, check"
expect 0 upgrade
has "$work/err" "Running upgrade <base> -> 9b1e0c4d7a23, three layers"
same "$(layers)" "bi.customer_value bi.product_sales clean.customers clean.order_lines clean.orders clean.products raw.customers raw.orders raw.products" "tables"
same "$(sql "SELECT string_agg(fk, ', ' ORDER BY fk) FROM (SELECT conrelid::regclass || ' -> ' ||
             confrelid::regclass AS fk FROM pg_constraint WHERE contype = 'f') f")" \
    "bi.customer_value -> clean.customers, bi.product_sales -> clean.products, clean.customers -> raw.customers, clean.order_lines -> clean.orders, clean.order_lines -> clean.products, clean.orders -> clean.customers, clean.orders -> raw.orders, clean.products -> raw.products" \
    "foreign keys between the layers"
expect 0 check
has "$work/out" "No differences"

echo "== 4. Rows through the layers"
sql "INSERT INTO raw.customers (source_id, payload) VALUES ('c-1', '{\"email\": \"ann@example.org\", \"country\": \"NL\"}');
     INSERT INTO raw.products (source_id, payload) VALUES ('p-1', '{\"sku\": \"MUG\", \"price\": 9.5}');
     INSERT INTO raw.orders (source_id, payload) VALUES ('o-1', '{\"customer\": \"c-1\", \"lines\": [[\"p-1\", 2]]}');
     INSERT INTO clean.customers (raw_id, email, country)
         SELECT id, payload->>'email', payload->>'country' FROM raw.customers;
     INSERT INTO clean.products (raw_id, sku, name, price)
         SELECT id, payload->>'sku', 'Mug', (payload->>'price')::numeric FROM raw.products;
     INSERT INTO clean.orders (raw_id, customer_id, ordered_at, total)
         SELECT o.id, c.id, '2026-11-30 10:00+00', 19.00 FROM raw.orders o, clean.customers c;
     INSERT INTO clean.order_lines (order_id, line_no, product_id, quantity, price)
         SELECT o.id, 1, p.id, 2, 9.50 FROM clean.orders o, clean.products p;
     INSERT INTO bi.customer_value (customer_id, orders, revenue)
         SELECT customer_id, count(*), sum(total) FROM clean.orders GROUP BY customer_id;
     INSERT INTO bi.product_sales (product_id, day, units, revenue)
         SELECT product_id, '2026-11-30', sum(quantity), sum(quantity * price) FROM clean.order_lines GROUP BY product_id;"
same "$(sql "SELECT email, orders, revenue FROM bi.customer_value JOIN clean.customers ON id = customer_id")" \
    "ann@example.org|1|19.00" "customer value"

echo "== 5. A change in one layer: bi"
sed -i 's/^      revenue:     { type: "decimal(14,2)", nullable: false, default: 0 }$/&\n      last_order_at: { type: timestamptz }/' \
    models/bi/customer_value.yaml
has models/bi/customer_value.yaml "last_order_at: { type: timestamptz }"
expect 1 check
has "$work/out" "The database differs from the models (1 change):"
has "$work/out" "add column 'bi.customer_value.last_order_at'"
expect 0 revision -m "last order" --rev-id 2c6d8e0f1a35
has "$v/2c6d8e0f1a35_last_order.c" 'ag_add_column(op, "bi.customer_value", AG_COLUMN("last_order_at", "timestamptz"));'
expect 0 upgrade --sql 9b1e0c4d7a23:2c6d8e0f1a35
has "$work/out" 'ALTER TABLE "bi"."customer_value" ADD COLUMN "last_order_at" TIMESTAMPTZ;'
expect 0 upgrade
has "$work/err" "Running upgrade 9b1e0c4d7a23 -> 2c6d8e0f1a35, last order"
sql "UPDATE bi.customer_value v SET last_order_at = (SELECT max(ordered_at) FROM clean.orders o
     WHERE o.customer_id = v.customer_id)"
expect 0 check

echo "== 6. Downgrade"
expect 0 downgrade -1
has "$work/err" "Running downgrade 2c6d8e0f1a35 -> 9b1e0c4d7a23, last order"
same "$(sql "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'bi'
             AND table_name = 'customer_value' AND column_name = 'last_order_at'")" 0 "column after downgrade"
same "$(sql "SELECT email, orders, revenue FROM bi.customer_value JOIN clean.customers ON id = customer_id")" \
    "ann@example.org|1|19.00" "customer value after downgrade"
expect 1 check
has "$work/out" "add column 'bi.customer_value.last_order_at'"
expect 0 current
same "$(cat "$work/out")" "9b1e0c4d7a23" "current after downgrade"
expect 0 downgrade base
same "$(layers)" "" "tables after downgrade base"
same "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('raw', 'clean', 'bi')")" 3 "schemas after downgrade base"
same "$(sql "SELECT count(*) FROM public.autogen_version")" 0 "version table after downgrade base"
echo "ok: warehouse walkthrough"
