#!/usr/bin/env bash
# PostgreSQL stores defaults, checks and index expressions in its own words
# (`kind IN ('a','b')` reads back as `kind = ANY (ARRAY['a'::text, 'b'::text])`).
# Each expression people write must settle: revision -> upgrade -> check exits 0
# -> revision says "No changes detected"; a real change is still seen, and an
# expression the server cannot parse is the model's error, located.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project

# Table-driven: one column per default, one check or index per line. The
# counts are asserted below so that a line lost in editing is noticed.
cat >"$T/p/models/exprs.yaml" <<'YAML'
tables:
  exprs:
    columns:
      id:         { type: bigint, primary_key: true, autoincrement: true }
      kind:       { type: text }
      kind_v:     { type: string(20) }
      n:          { type: integer }
      n2:         { type: integer }
      price:      { type: "decimal(12,2)" }
      s:          { type: text }
      email:      { type: string(200) }
      code:       { type: char(3) }
      flag:       { type: boolean }
      created_at: { type: timestamptz }
      ts:         { type: timestamp }
      d:          { type: date }
      dur:        { type: interval }
      tags:       { type: "sql(text[])" }
      doc:        { type: jsonb }
    checks:
      - { name: ck_in_text, expression: "kind IN ('a','b')" }
      - { name: ck_in_varchar, expression: "kind_v IN ('a', 'b', 'c')" }
      - { name: ck_between, expression: "n BETWEEN 1 AND 10" }
      - { name: ck_not, expression: "NOT (n2 < -100)" }
      - { name: ck_price, expression: "price >= 0" }
      - { name: ck_length, expression: "char_length(s) <= 100" }
      - { name: ck_regex_ci, expression: "email ~* '^[^@]+@[^@]+$'" }
      - { name: ck_regex, expression: "code ~ '^[A-Z]{3}$'" }
      - { name: ck_like, expression: "s LIKE 'a%' OR s ILIKE 'B%'" }
      - { name: ck_not_like, expression: "s NOT LIKE '%x%'" }
      - { name: ck_case, expression: "CASE WHEN flag THEN n > 0 ELSE true END" }
      - { name: ck_coalesce, expression: "COALESCE(n, 0) >= 0" }
      - { name: ck_mod, expression: "n % 2 = 0 OR n IS NULL" }
      - { name: ck_cardinality, expression: "cardinality(tags) < 10" }
      - { name: ck_array_contained, expression: "tags <@ ARRAY['a','b','c']" }
      - { name: ck_jsonb_key, expression: "doc ? 'a'" }
      - { name: ck_jsonb_contains, expression: "doc @> '{\"a\": 1}'" }
      - { name: ck_ts_literal, expression: "created_at > '2020-01-01'" }
      - { name: ck_interval, expression: "dur < interval '1 day'" }
      - { name: ck_not_null, expression: "n IS NOT NULL AND n2 IS NOT NULL" }
      - { name: ck_cast, expression: "price::integer < 1000" }
      - { name: ck_lower, expression: "lower(email) = email" }
      - { name: ck_date_cast, expression: "ts >= '2020-01-01'::date" }
      - { name: ck_in_int, expression: "n IN (1, 2, 3)" }
      - { name: ck_not_in, expression: "kind NOT IN ('z')" }
      - { name: ck_similar, expression: "s SIMILAR TO 'a%'" }
      - { name: ck_arith, expression: "(n + n2) * 2 < 100" }
      - { name: ck_concat, expression: "kind || s <> 'ab'" }
      - { name: ck_between_neg, expression: "n2 BETWEEN -5 AND 5" }
      - { name: ck_not_empty, expression: "kind_v <> ''" }
    indexes:
      - { name: ix_partial_in, columns: [s], where: "s IN ('a','b')" }
      - { name: ix_lower_email, expression: "lower(email)" }
      - { name: ix_partial_and, columns: [n], where: "n > 0 AND n2 < 5" }
      - { name: ix_price_twice, expression: "price * 2" }
      - { name: ix_partial_ts, columns: [created_at], where: "created_at > '2020-01-01'" }
      - { name: ix_coalesce, expression: "coalesce(kind, '')" }
      - { name: ix_partial_not_null, columns: [kind], where: "kind IS NOT NULL" }
      - { name: ix_json_field, expression: "(doc->>'a')" }
      - { name: ix_partial_json, columns: [id], where: "doc ? 'a'" }
      - { name: ix_date_trunc, expression: "date_trunc('day', ts)" }
      - { name: ix_partial_not, columns: [id], where: "NOT flag" }
      - { name: ix_partial_between, columns: [n2], where: "n2 BETWEEN 1 AND 9" }
      - { name: ix_partial_varchar_in, columns: [kind_v], where: "kind_v IN ('a','b')" }
      - { name: ix_upper_cast, expression: "upper(code::text)" }
  defaults:
    columns:
      id:          { type: bigint, primary_key: true, autoincrement: true }
      d_lower:     { type: text, default_sql: "lower('ABC')" }
      d_tomorrow:  { type: timestamptz, default_sql: "now() + interval '1 day'" }
      d_concat:    { type: text, default_sql: "'x' || 'y'" }
      d_interval:  { type: interval, default: "1 hour" }
      d_interval2: { type: interval, default_sql: "'1 hour'" }
      d_now:       { type: timestamptz, default_sql: "now()" }
      d_ct:        { type: timestamptz, default_sql: CURRENT_TIMESTAMP }
      d_ct_lower:  { type: timestamptz, default_sql: current_timestamp }
      d_cd:        { type: date, default_sql: CURRENT_DATE }
      d_uuid:      { type: uuid, default_sql: "gen_random_uuid()" }
      d_int_cast:  { type: integer, default_sql: "'5'::integer" }
      d_json:      { type: jsonb, default_sql: "'{}'::jsonb" }
      d_json2:     { type: jsonb, default_sql: "'{\"a\": 1}'" }
      d_arr:       { type: "sql(text[])", default_sql: "'{}'::text[]" }
      d_arr2:      { type: "sql(text[])", default_sql: "ARRAY['a','b']" }
      d_num:       { type: "decimal(12,2)", default: 0.00 }
      d_neg:       { type: integer, default: -1 }
      d_bool:      { type: boolean, default: false }
      d_arith:     { type: integer, default_sql: "(1 + 2) * 3" }
      d_coalesce:  { type: text, default_sql: "coalesce(NULL, 'z')" }
      d_week:      { type: date, default_sql: "(now() + interval '7 days')::date" }
      d_varchar:   { type: string(10), default: abc }
      d_md5:       { type: text, default_sql: "upper(md5('x'))" }
      d_localts:   { type: timestamp, default_sql: LOCALTIMESTAMP }
      d_case:      { type: integer, default_sql: "CASE WHEN true THEN 1 ELSE 2 END" }
      d_epoch:     { type: bigint, default_sql: "extract(epoch from now())::bigint" }
      d_ts_utc:    { type: timestamp, default_sql: "timezone('utc', now())" }
      d_ts_at:     { type: timestamp, default_sql: "(now() AT TIME ZONE 'utc')" }
YAML
checks=$(grep -cE 'expression: |where: ' "$T/p/models/exprs.yaml" | tr -d ' ')
defaults=$(grep -cE '^      d_' "$T/p/models/exprs.yaml" | tr -d ' ')
[ $((checks + defaults)) -ge 70 ] || fail "the table lost lines: $checks checks/indexes, $defaults defaults"

expect 0 revision -m exprs
expect 0 upgrade
ag check
if [ "$rc" -ne 0 ]; then
    status=$rc
    ag diff
    cat "$T/out" "$T/err" >&2
    fail "check exited $status right after upgrade"
fi
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"

# The same table written by hand, the way people and ORMs spell it.
db <<'SQL'
CREATE TABLE hand (
    id bigserial PRIMARY KEY,
    status varchar(20) NOT NULL DEFAULT 'new'::character varying
        CHECK (status::text = ANY (ARRAY['new'::character varying, 'done'::character varying]::text[])),
    qty integer CHECK (qty >= 0 AND qty <= 1000),
    due timestamptz DEFAULT (now() + '1 day'::interval)
);
CREATE INDEX hand_open ON hand (id) WHERE status::text = ANY (ARRAY['new'::character varying, 'late'::character varying]::text[]);
SQL
cat >"$T/p/models/hand.yaml" <<'YAML'
tables:
  hand:
    columns:
      id:     { type: bigint, primary_key: true, autoincrement: true }
      status: { type: string(20), nullable: false, default: new }
      qty:    { type: integer }
      due:    { type: timestamptz, default_sql: "now() + interval '1 day'" }
    checks:
      - { name: hand_status_check, expression: "status IN ('new', 'done')" }
      - { name: hand_qty_check, expression: "qty BETWEEN 0 AND 1000" }
    indexes:
      - { name: hand_open, columns: [id], where: "status IN ('new', 'late')" }
YAML
expect 0 check

# A real change is still a change: a check, a partial index, a default.
sed -i "s|n BETWEEN 1 AND 10|n BETWEEN 1 AND 11|" "$T/p/models/exprs.yaml"
expect 1 check
expect 0 diff
assert_contains "$T/out" "ck_between"
sed -i "s|n BETWEEN 1 AND 11|n BETWEEN 1 AND 10|" "$T/p/models/exprs.yaml"
expect 0 check
sed -i "s|where: \"s IN ('a','b')\"|where: \"s IN ('a','c')\"|" "$T/p/models/exprs.yaml"
expect 1 check
sed -i "s|where: \"s IN ('a','c')\"|where: \"s IN ('a','b')\"|" "$T/p/models/exprs.yaml"
sed -i "s|interval '1 day'\" }|interval '2 days'\" }|" "$T/p/models/exprs.yaml"
expect 1 check
expect 0 diff
assert_contains "$T/out" "d_tomorrow"
sed -i "s|interval '2 days'\" }|interval '1 day'\" }|" "$T/p/models/exprs.yaml"
expect 0 check
sed -i "s|qty BETWEEN 0 AND 1000|qty > 0|" "$T/p/models/hand.yaml"
expect 1 check
expect 0 revision -m "qty positive"
expect 0 upgrade
expect 0 check
assert_eq "$(db "SELECT count(*) FROM pg_constraint WHERE conrelid = 'hand'::regclass AND contype = 'c'")" "2" "the changed check replaced the old one"

# An expression the server cannot parse is the model's error, with its place.
sed -i "s|kind_v <> ''|kind_v <> '' AND|" "$T/p/models/exprs.yaml"
expect 3 check
line=$(grep -n "kind_v <> '' AND" "$T/p/models/exprs.yaml" | cut -d: -f1)
assert_contains "$T/err" "exprs.yaml:$line:"
assert_contains "$T/err" "syntax error"
sed -i "s|kind_v <> '' AND|kind_v <> ''|" "$T/p/models/exprs.yaml"
expect 0 check

# A server that cannot make temporary tables (a read-only standby) leaves the
# expressions to the comparison by text: differences, not an error.
PGOPTIONS="-c default_transaction_read_only=on" expect 1 check
assert_contains "$T/out" "ck_in_text"
expect 0 check
echo ok
