#!/usr/bin/env bash
# Column collations (README, model files: `collation:`) on a hand-made
# PostgreSQL database: `pull` writes them, the round trip holds, the baseline
# builds every column with its collation (pg_attribute compared), and a model
# that sets, changes or drops a collation is a change autogenerate writes,
# which upgrade and downgrade apply. A type change keeps the collation.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models

db <<'SQL'
CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku text COLLATE "C" NOT NULL UNIQUE,
    name varchar(100) COLLATE "POSIX",
    note text
);
INSERT INTO products (sku, name, note) VALUES ('b', 'Beta', 'x'), ('B', 'beta', 'y'), ('a', 'alpha', 'z');
SQL
collations() {
    db "SELECT a.attname || '=' || coalesce(nullif(co.collname, 'default'), '-') || ':' ||
               format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE c.relname = 'products' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
}
collations >"$T/before"

expect 0 pull
y=$M/products.yaml
grep -q 'sku: .*collation: C' "$y" || fail "collation C not written: $(cat "$y")"
grep -q 'name: .*collation: POSIX' "$y" || fail "collation POSIX not written: $(cat "$y")"
grep -q 'note: .*collation' "$y" && fail "a default collation written: $(cat "$y")"
assert_eq "$(grep -c 'collation' "$T/err" || true)" 0 "warnings about collations"
cp "$y" "$T/first.yaml"
expect 0 revision -m "nothing" --rev-id nothing0
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 pull --force
cmp -s "$y" "$T/first.yaml" || fail "second pull differs"

# The baseline builds each column with its collation.
rm -f "$M"/*.yaml
expect 0 pull --baseline -m "baseline" --rev-id base00000001
expect 0 check --scratch
scratch=$(pg_other_db scratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch collations >"$T/after"
diff -u "$T/before" "$T/after" || fail "the baseline built other collations"

# Set one, change one, drop one, and widen a collated column's type.
sed -i -e 's/^\(      note: *{ type: text\)/\1, collation: C/' \
    -e 's/collation: POSIX/collation: C/' -e 's/string(100)/string(200)/' \
    -e 's/, collation: C, nullable: false/, nullable: false/' "$y"
grep -q 'note: .*collation: C' "$y" || fail "test edit failed: $(cat "$y")"
expect 0 revision -m "collations" --rev-id coll00000001
f=$(ls "$T"/p/alembic_like/versions/coll00000001_*.c)
grep -q '"sku", AG_ALTER(.drop_collation = 1' "$f" || fail "no drop_collation: $(cat "$f")"
grep -q '"note", AG_ALTER(.collation = "C"' "$f" || fail "no collation for note: $(cat "$f")"
expect 0 upgrade --sql
assert_contains "$T/out" 'ALTER COLUMN "sku" TYPE TEXT COLLATE "default"'
assert_contains "$T/out" 'ALTER COLUMN "name" TYPE VARCHAR(200) COLLATE "C" USING'
expect 0 upgrade
collations >"$T/up"
cat >"$T/want_up" <<'TXT'
id=-:bigint
sku=-:text
name=C:character varying(200)
note=C:text
TXT
diff -u "$T/want_up" "$T/up" || fail "collations after upgrade"
expect 0 check
# The rows sort by the new collation: "C" puts upper case first.
assert_eq "$(db "SELECT string_agg(note, ',' ORDER BY note) FROM products")" "x,y,z" "rows kept"
expect 0 downgrade base00000001
collations >"$T/down"
diff -u "$T/before" "$T/down" || fail "collations after downgrade"
assert_eq "$(db "SELECT count(*) FROM products")" 3 "rows after downgrade"

# A name the model gets wrong is the server's error, nothing half-done.
expect 0 upgrade head
sed -i 's/collation: C }/collation: no_such_collation }/' "$y"
grep -q 'note: .*no_such_collation' "$y" || fail "test edit failed: $(cat "$y")"
expect 0 revision -m "bad" --rev-id bad000000001
expect 3 upgrade
assert_contains "$T/err" 'no_such_collation'
collations >"$T/bad"
diff -u "$T/want_up" "$T/bad" || fail "a failed migration changed collations"
echo "ok: pg collations"
