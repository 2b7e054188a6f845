#!/usr/bin/env bash
# PostgreSQL specifics on the test cluster: several schemas created when first
# needed, defaults written another way than the model (now() vs
# CURRENT_TIMESTAMP, casts), comments, a migration failing at its third
# statement, and a runner killed mid-migration.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project

# Several schemas.
cat >"$T/p/models/layers.yaml" <<'YAML'
tables:
  events:
    schema: raw
    comment: Events as they arrive
    columns:
      id:      { type: bigint, primary_key: true, autoincrement: true }
      payload: { type: jsonb, comment: the original document }
      seen_at: { type: timestamptz, nullable: false, default_sql: CURRENT_TIMESTAMP }
  sessions:
    schema: clean
    columns:
      id:       { type: bigint, primary_key: true }
      event_id: { type: bigint }
YAML
expect 0 revision -m layers
expect 0 upgrade
assert_eq "$(db "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname IN ('raw', 'clean')")" "clean,raw" "schemas created"
assert_eq "$(db "SELECT obj_description('raw.events'::regclass, 'pg_class')")" "Events as they arrive" "table comment"
expect 0 check
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"

# A default the database spells differently is no change.
db "ALTER TABLE raw.events ALTER COLUMN seen_at SET DEFAULT now()"
expect 0 check

# Objects that belong to an extension (PostGIS's spatial_ref_sys and the like)
# are never diffed, wherever they live.
db "CREATE EXTENSION IF NOT EXISTS citext"
db "CREATE TABLE public.spatial_ref_sys (srid integer PRIMARY KEY, auth_name varchar(256))"
db "CREATE TYPE public.ext_kind AS ENUM ('a', 'b')"
db "ALTER EXTENSION citext ADD TABLE public.spatial_ref_sys"
db "ALTER EXTENSION citext ADD TYPE public.ext_kind"
expect 0 check
expect 0 revision -m "nothing of extensions"
assert_contains "$T/out" "No changes detected"

# Comments change in place and come back on downgrade.
sed -i 's|comment: the original document|comment: the raw document|' "$T/p/models/layers.yaml"
expect 0 revision -m comment
expect 0 upgrade
assert_eq "$(db "SELECT col_description('raw.events'::regclass, 2)")" "the raw document" "column comment"
expect 0 downgrade -1
assert_eq "$(db "SELECT col_description('raw.events'::regclass, 2)")" "the original document" "comment after downgrade"
expect 0 upgrade

# check --scratch on PostgreSQL: a database of its own, created and dropped.
expect 0 check --scratch-url "$PG_URL"
assert_contains "$T/out" "No differences"
assert_eq "$(db "SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen_scratch%'")" 0 "scratch database dropped"
sed -i 's|comment: the raw document|comment: changed again|' "$T/p/models/layers.yaml"
expect 1 check --scratch-url "$PG_URL"
sed -i 's|comment: changed again|comment: the raw document|' "$T/p/models/layers.yaml"
assert_eq "$(db "SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen_scratch%'")" 0 "scratch database dropped"

before=$(dump_schema; db "SELECT * FROM autogen_version")

# A migration whose third statement fails changes nothing.
expect 0 revision --empty -m "three steps" --rev-id three0
f=$(ls "$T/p/alembic_like/versions/three0_"*.c)
add_sql "$f" upgrade "CREATE TABLE raw.step1 (a int)" "INSERT INTO raw.step1 VALUES (1)" \
    "INSERT INTO raw.nope VALUES (1)"
expect 3 upgrade
assert_contains "$T/err" 'relation "raw.nope" does not exist'
assert_contains "$T/err" "rolled back"
assert_eq "$(dump_schema; db "SELECT * FROM autogen_version")" "$before" "after a failed migration"
rm -f "$f"

# A runner killed in the middle of a migration leaves the previous revision.
expect 0 revision --empty -m "slow" --rev-id slow00
f=$(ls "$T/p/alembic_like/versions/slow00_"*.c)
add_sql "$f" upgrade "CREATE TABLE raw.half (a int)" "SELECT pg_sleep(30)"
(cd "$T/p" && exec "$AUTOGEN" -q upgrade) >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
    [ "$(db "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")" = 1 ] && break
    sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
# The server notices a vanished client only when it next talks to it; end the
# orphaned session as the server eventually would. Its transaction never committed.
db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" >/dev/null
assert_eq "$(dump_schema; db "SELECT * FROM autogen_version")" "$before" "after SIGKILL"
echo "ok: pg specifics"
