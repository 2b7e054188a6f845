#!/usr/bin/env bash
# show --models: the models as a Mermaid erDiagram, a Graphviz digraph and
# text, compared byte for byte with tests/e2e/golden/models.*; names Mermaid
# cannot take as they are (a schema, mixed case, spaces, a leading digit, the
# key word pk) and every cardinality a foreign key can give.
. "$(dirname "$0")/lib.sh"
new_project
# The models name schemas, which only PostgreSQL has (SQLite refuses them):
# a PostgreSQL URL that is never connected to, since drawing reads only models.
export AUTOGEN_URL="postgresql://postgres@/none?host=$T/no-such-socket"
golden() { # golden NAME: $T/out must equal tests/e2e/golden/NAME
    local g="$AG_TEST_SRC/tests/e2e/golden/$1"
    if [ -n "${AG_UPDATE_GOLDEN:-}" ]; then cp "$T/out" "$g"; fi
    diff -u "$g" "$T/out" || fail "autogen's output differs from tests/e2e/golden/$1"
}
rm -f "$T/p/models/"*
cat >"$T/p/models/shop.yaml" <<'YAML'
tables:
  Customers:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      "E-mail Address": { type: string(200), nullable: false, unique: true }
      pk: { type: integer }
      "2fa": { type: boolean, comment: 'the "second" factor' }
  orders:
    schema: raw
    columns:
      id: { type: bigint, primary_key: true }
      customer_id: { type: bigint, nullable: false, references: Customers.id }   # ||..o{
      referrer_id: { type: bigint, references: Customers.id }                    # |o..o{
      total: { type: "decimal(12,2)" }
      parent_id: { type: bigint, references: raw.orders.id }                     # to itself
  profiles:
    columns:
      customer_id: { type: bigint, primary_key: true, references: Customers.id } # ||--o|
      bio: { type: text }
  order lines:
    schema: raw
    columns:
      order_id: { type: bigint, references: raw.orders.id }                      # ||--o{
      line_no: { type: integer }
      sku: { type: "sql(character varying(20))", nullable: false }
      coupon: { type: string(20), unique: true }
    primary_key: [order_id, line_no]
YAML

expect 0 show --models --format mermaid
python3 "$AG_TEST_SRC/tests/e2e/diagram_check.py" mermaid "$T/out" || fail "bad erDiagram"
golden models.mmd
expect 0 show --models --format dot
python3 "$AG_TEST_SRC/tests/e2e/diagram_check.py" dot "$T/out" || fail "bad dot"
golden models.dot
expect 0 show --models
golden models.txt
[ ! -e "$T/p/app.db" ] || fail "show --models opened the database"

# Bad combinations: usage errors.
expect 2 show --models head
assert_contains "$T/err" "--models shows the models"
expect 2 show --models --format json
assert_contains "$T/err" "--models takes --format text, mermaid or dot"
expect 2 show --format mermaid head
assert_contains "$T/err" "--format mermaid draws the models (--models)"
expect 2 show --models --format png
assert_contains "$T/err" "--format takes text, json, mermaid or dot, not 'png'"
expect 2 show
assert_contains "$T/err" "name the revision to show, or --models"

# A bad model: the loader's file:line error, exit 3, nothing printed.
printf 'tables:\n  t:\n    columns:\n      a: { type: strng(5) }\n' >"$T/p/models/bad.yaml"
expect 3 show --models --format mermaid
assert_contains "$T/err" "bad.yaml:4:"
[ ! -s "$T/out" ] || fail "a diagram of bad models"
echo "ok: show_models"
