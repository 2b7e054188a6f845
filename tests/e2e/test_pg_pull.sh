#!/usr/bin/env bash
# `autogen pull` on a PostgreSQL database written by hand: serial, bigserial and
# identity keys, enums, arrays and tsvector (sql(...)), comments, checks,
# partial and expression indexes, foreign keys with actions across schemas,
# PostgreSQL's own constraint names (kept: they are not the convention's),
# mixed-case and reserved names. The round trip holds, two pulls are
# byte-identical, --baseline rebuilds the database (`check --scratch`) and
# stamps it, and what a model cannot say is warned about.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
V=$T/p/alembic_like/versions

roundtrip() {
    expect 0 revision -m "nothing" --rev-id nothing0
    assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
    expect 0 check
}

expect 3 --url "postgresql://postgres@/nowhere?host=$T/no-such-socket" pull
assert_contains "$T/err" "cannot connect to postgresql://postgres@/nowhere"
expect 3 pull
assert_contains "$T/err" "has no table to pull"
assert_contains "$T/err" "nothing was written"

db <<'SQL'
CREATE SCHEMA raw;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE DOMAIN raw.email_address AS text NOT NULL CHECK (VALUE LIKE '%@%');
CREATE TYPE status AS ENUM ('active', 'sold', 'it''s');
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(200) NOT NULL UNIQUE,
    name text DEFAULT 'anon',
    active boolean NOT NULL DEFAULT true,
    score numeric(12,2) DEFAULT 0,
    st status NOT NULL DEFAULT 'active',
    tags text[] DEFAULT '{}',
    doc tsvector,
    created timestamptz NOT NULL DEFAULT now(),
    meta jsonb DEFAULT '{}'::jsonb,
    "Mixed Case" int CHECK ("Mixed Case" > 0),
    uid uuid DEFAULT gen_random_uuid(),
    delta smallint DEFAULT -1
);
COMMENT ON TABLE users IS 'People who log in';
COMMENT ON COLUMN users.email IS 'login: address';
CREATE TABLE "order" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    total numeric CHECK (total >= 0),
    placed date DEFAULT CURRENT_DATE
);
CREATE INDEX order_user_idx ON "order"(user_id) WHERE total > 0;
CREATE INDEX ON users (lower(email));
CREATE TABLE raw.events (id bigserial PRIMARY KEY, user_id int REFERENCES public.users(id)
    ON UPDATE SET NULL, payload jsonb, sender raw.email_address, nick citext);
CREATE TABLE line (order_id bigint REFERENCES "order"(id) ON UPDATE CASCADE, n int,
    PRIMARY KEY (order_id, n));
CREATE TABLE note (order_id bigint, n int, body text,
    FOREIGN KEY (order_id, n) REFERENCES line ON DELETE SET NULL);
CREATE TABLE tagged (id int PRIMARY KEY, label varchar(20),
    CONSTRAINT uq_tagged_label UNIQUE (label));
CREATE INDEX ix_tagged_label ON tagged (label);
INSERT INTO users (email) VALUES ('a@x.io');
SQL
rows_before=$(dump_rows)
expect 0 pull
assert_eq "$(cat "$T/out")" "$(printf '%s\n' models/line.yaml models/note.yaml models/order.yaml \
    models/tagged.yaml models/users.yaml models/raw/events.yaml models/enums.yaml)" "files written"
assert_contains "$T/err" "'users.tags' (text[]), 'users.doc' (tsvector)"
assert_contains "$M/raw/events.yaml" 'sender:  { type: sql(raw.email_address) }'
assert_contains "$M/raw/events.yaml" 'nick:    { type: sql(citext) }'
cat >"$T/want" <<'YAML'
tables:
  users:
    comment: People who log in
    columns:
      id:           { type: integer, autoincrement: true }
      email:        { type: string(200), nullable: false, comment: "login: address" }
      name:         { type: text, default: anon }
      active:       { type: boolean, nullable: false, default: true }
      score:        { type: "decimal(12,2)", default: 0 }
      st:           { type: enum(status), nullable: false, default: active }
      tags:         { type: "sql(text[])", default: "{}" }
      doc:          { type: sql(tsvector) }
      created:      { type: timestamptz, nullable: false, default_sql: now() }
      meta:         { type: jsonb, default: "{}" }
      "Mixed Case": { type: integer }
      uid:          { type: uuid, default_sql: gen_random_uuid() }
      delta:        { type: smallint, default: -1 }
    primary_key: { name: users_pkey, columns: [id] }
    indexes:
      - { name: users_lower_idx, expression: "lower((email)::text)" }
    unique:
      - { name: users_email_key, columns: [email] }
    checks:
      - { name: "users_Mixed Case_check", expression: "\"Mixed Case\" > 0" }
YAML
diff -u "$T/want" "$M/users.yaml" || fail "users.yaml is not as expected"
assert_contains "$M/order.yaml" 'id:      { type: bigint, autoincrement: true }'
assert_contains "$M/order.yaml" 'primary_key: { name: order_pkey, columns: [id] }'
assert_contains "$M/order.yaml" \
    '- { name: order_user_id_fkey, columns: [user_id], references: users(id), on_delete: cascade }'
assert_contains "$M/order.yaml" '- { name: order_user_idx, columns: [user_id], where: "total > (0)::numeric" }'
assert_contains "$M/raw/events.yaml" 'schema: raw'
assert_contains "$M/raw/events.yaml" \
    'references: public.users(id), on_update: set null }'
assert_contains "$M/note.yaml" 'references: "line(order_id, n)", on_delete: set null }'
# Names that follow the naming convention are left out.
assert_contains "$M/tagged.yaml" 'label: { type: string(20), unique: true, index: true }'
assert_eq "$(cat "$M/enums.yaml")" "$(printf 'enums:\n  status: [active, sold, "it'"'"'s"]')" "enums.yaml"
roundtrip
cp -r "$M" "$T/first"
expect 0 pull --force
diff -r "$T/first" "$M" || fail "a second pull differs"
assert_eq "$(dump_rows)" "$rows_before" "pull changed rows"

# --baseline: rebuilds the database from nothing, and stamps it.
expect 0 pull --force --baseline -m "baseline" --rev-id base1
assert_contains "$(ls "$V"/base1_*.c)" 'ag_create_enum(op, "status"'
# What the tables use and the models do not describe comes first, as raw SQL.
assert_contains "$(ls "$V"/base1_*.c)" 'CREATE EXTENSION IF NOT EXISTS \"citext\"'
assert_contains "$(ls "$V"/base1_*.c)" 'CREATE DOMAIN \"raw\".\"email_address\" AS text NOT NULL'
expect 0 current
assert_contains "$T/out" "base1"
expect 0 check --scratch
roundtrip
assert_eq "$(dump_rows)" "$rows_before" "the baseline changed rows"
# Then the first autogenerated change.
sed -i 's/^      delta: .*$/&\n      nick: { type: string(40) }/' "$M/users.yaml"
expect 0 revision -m "nick" --rev-id nick1
assert_contains "$(ls "$V"/nick1_*.c)" 'AG_COLUMN("nick", "string(40)")'
expect 0 upgrade
expect 0 check

# A sequence of its own (no column owns it), or a serial that is not the key,
# is the nextval() default it is, carried by a baseline; an identity column
# off the key is warned about.
db <<'SQL'
CREATE SEQUENCE counter_seq INCREMENT BY 10 START WITH 100;
CREATE TABLE tickets (id int PRIMARY KEY, no serial NOT NULL,
    seq int GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT nextval('counter_seq'),
    body text, search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
CREATE INDEX counters_search ON counters (search);
SQL
expect 0 pull --force
assert_contains "$M/counters.yaml" "{ type: integer, nullable: false, default_sql: \"nextval('counter_seq'::regclass)\" }"
assert_contains "$M/tickets.yaml" "default_sql: \"nextval('tickets_no_seq'::regclass)\""
assert_contains "$T/err" "column 'tickets.seq' is an identity column but not an integer column of the primary key"
assert_contains "$M/counters.yaml" "search: { type: sql(tsvector), generated: \"to_tsvector('simple'::regconfig, body)\", stored: true }"
assert_contains "$M/counters.yaml" '- { name: counters_search, columns: [search] }'
rm -f "$V"/nothing0_*.c
roundtrip
# The baseline makes the sequence before the table that calls it.
rm -f "$V"/*.c
db "DELETE FROM autogen_version"
expect 0 pull --baseline -m baseline --rev-id seqbase00001 --force
base=$(ls "$V"/seqbase00001_*.c)
grep -q 'CREATE SEQUENCE IF NOT EXISTS \\"public\\".\\"counter_seq\\" AS bigint INCREMENT BY 10' "$base" ||
    fail "no sequence in the baseline: $(grep -n SEQUENCE "$base")"
grep -q 'DROP SEQUENCE IF EXISTS \\"public\\".\\"counter_seq\\"' "$base" || fail "no drop of the sequence"
grep -q 'ALTER SEQUENCE \\"public\\".\\"tickets_no_seq\\" OWNED BY \\"public\\".\\"tickets\\".\\"no\\"' "$base" ||
    fail "the serial off the key is not carried: $(grep -n SEQUENCE "$base")"
expect 0 check --scratch
scratch=$(pg_other_db seqscratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch db "INSERT INTO counters (id) VALUES (1), (2); INSERT INTO tickets (id, seq) VALUES (1, 7)"
assert_eq "$(PG_URL=$scratch db "SELECT no FROM tickets")" 1 "the serial off the key in the scratch database"
assert_eq "$(PG_URL=$scratch db "SELECT string_agg(n::text, ',' ORDER BY id) FROM counters")" "100,110" \
    "values from the carried sequence"

# `schema: app` in autogen.yaml: app's tables need no `schema:`, public's do, and a
# reference between them is qualified.
url=$(pg_other_db app)
rm -rf "$T/p"
new_project
M=$T/p/models
printf 'schema: app\n' >>"$T/p/autogen.yaml"
psql -X -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<'SQL'
CREATE SCHEMA app;
CREATE TABLE public.countries (code char(2) PRIMARY KEY);
CREATE TABLE app.cities (id int PRIMARY KEY, country char(2) NOT NULL REFERENCES public.countries);
SQL
export AUTOGEN_URL=$url
expect 0 pull
assert_eq "$(cat "$T/out")" "$(printf '%s\n' models/cities.yaml models/public/countries.yaml)" \
    "files with schema: app"
assert_contains "$M/public/countries.yaml" 'schema: public'
assert_contains "$M/cities.yaml" 'references: public.countries(code)'
roundtrip
expect 0 pull --force --baseline -m baseline
expect 0 check --scratch
echo "ok"
