#!/usr/bin/env bash
# Generated columns on a hand-made PostgreSQL database (README, model files:
# `generated:`): `pull` writes them as the server prints them, the round trip
# holds, the baseline builds them (pg_attribute and the expressions compared,
# the gin index on a generated tsvector included), a model may add one in its
# own words (compared in the server's: no change afterwards), and a change of
# an existing one is a hint, never an operation.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models

db <<'SQL'
CREATE TABLE articles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    body text,
    price numeric(10,2) NOT NULL DEFAULT 0,
    qty integer NOT NULL DEFAULT 1,
    total numeric GENERATED ALWAYS AS (price * qty) STORED,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED
);
CREATE INDEX articles_search ON articles USING gin (search);
INSERT INTO articles (title, body, price, qty) VALUES ('Red pens', 'ink', 2.5, 4);
SQL
generated() {
    db "SELECT a.attname || ' ' || a.attgenerated::text || ' ' || pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'articles'::regclass AND a.attgenerated <> '' ORDER BY a.attnum"
}
generated >"$T/before"

expect 0 pull
y=$M/articles.yaml
grep -q 'total: .*generated: "(price \* (qty)::numeric)", stored: true' "$y" || fail "total: $(cat "$y")"
grep -q 'search: .*generated: .*to_tsvector' "$y" || fail "search: $(cat "$y")"
assert_eq "$(grep -c 'generated' "$T/err" || true)" 0 "warnings about generated columns"
cp "$y" "$T/first.yaml"
expect 0 revision -m nothing --rev-id nothing00001
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 pull --force
cmp -s "$y" "$T/first.yaml" || fail "second pull differs"

# The baseline builds the same generated columns and the index on one.
rm -f "$M"/*.yaml
expect 0 pull --baseline -m baseline --rev-id base00000001
expect 0 check --scratch
scratch=$(pg_other_db scratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch generated >"$T/after"
diff -u "$T/before" "$T/after" || fail "the baseline built other generated columns"
assert_eq "$(PG_URL=$scratch db "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_search'")" \
    "CREATE INDEX articles_search ON public.articles USING gin (search)" "index on the generated column"
PG_URL=$scratch db "INSERT INTO articles (title, price, qty) VALUES ('Blue ink', 3, 2)"
assert_eq "$(PG_URL=$scratch db "SELECT total FROM articles")" "6.00" "computed in the scratch database"

# A model adds one in its own words: applied, then no change.
sed -i 's/^      search: .*/&\n      double: { type: decimal, generated: "price*qty*2" }/' "$y"
expect 0 revision -m double --rev-id double000001
f=$(ls "$T"/p/alembic_like/versions/double000001_*.c)
grep -q '.generated = "price\*qty\*2"' "$f" || fail "no generated column added: $(cat "$f")"
expect 0 upgrade
assert_eq "$(db "SELECT double FROM articles")" "20.00" "computed for the existing row"
expect 0 check
expect 0 revision -m again --rev-id again0000001
assert_contains "$T/out" "No changes detected"
expect 0 downgrade base00000001
generated >"$T/down"
diff -u "$T/before" "$T/down" || fail "generated columns after the downgrade"

# A change of an existing one: a hint, no operation.
expect 0 upgrade head
sed -i 's/generated: "price\*qty\*2"/generated: "price * qty * 3"/' "$y"
expect 0 revision -m changed --rev-id changed00001
assert_contains "$T/out" "No changes detected"
assert_contains "$T/err" "column 'articles.double': the model computes it as (price * qty * 3)"

# A model's expression the server cannot parse is an error at its line.
sed -i 's/generated: "price \* qty \* 3"/generated: "price * * 3"/' "$y"
expect 3 check
assert_contains "$T/err" "models/articles.yaml:"
assert_contains "$T/err" "the generated expression \"price * * 3\" is not valid SQL"
echo "ok: pg generated columns"
