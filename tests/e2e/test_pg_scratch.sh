#!/usr/bin/env bash
# check --scratch in a PostgreSQL project replays the migrations into a
# throwaway database on the configured server (not into SQLite, which cannot
# run PostgreSQL's SQL) and drops it afterwards, also when the replay fails;
# without the right to create one, it says to pass --scratch-url.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
cat >"$T/p/models/m.yaml" <<'YAML'
enums:
  mood: [ok, sad]
tables:
  users:
    columns:
      id:   { type: bigint, primary_key: true, autoincrement: true }
      name: { type: text, nullable: false, default: "" }
      mood: { type: enum(mood), default: ok }
YAML
expect 0 revision -m users --rev-id users0
expect 0 revision -m data --rev-id data00 --empty
add_sql "$T/p/alembic_like/versions/data00_data.c" upgrade \
    "INSERT INTO users (name) VALUES ('a'::text)" "UPDATE users SET mood = 'sad'::mood"
add_sql "$T/p/alembic_like/versions/data00_data.c" downgrade "DELETE FROM users"

# scratch_run ARGS...: like expect's ag, keeping autogen's pid (the scratch
# database is named after it) in $pid.
scratch_run() {
    set +e
    (cd "$T/p" && sh -c 'echo $$ >"$0"; exec "$@"' "$T/pid" "$AUTOGEN" "$@") >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    pid=$(cat "$T/pid")
}
leftovers() {
    psql -X -q -t -A "$pg_base" -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen\_scratch\_${pid}\_%'"
}

scratch_run check --scratch
[ "$rc" = 0 ] || { cat "$T/out" "$T/err" >&2; fail "check --scratch exited $rc"; }
assert_contains "$T/out" "No differences"
assert_eq "$(leftovers)" 0 "scratch databases left behind"
# The project's own database was not touched.
assert_eq "$(db "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0 "tables in the project database"

# The models differ from what the migrations make: exit 1, and dropped.
sed -i 's/name: { type: text/name: { type: string(50)/' "$T/p/models/m.yaml"
scratch_run check --scratch
[ "$rc" = 1 ] || { cat "$T/out" "$T/err" >&2; fail "check --scratch exited $rc, expected 1"; }
assert_contains "$T/out" "alter column 'users.name'"
assert_eq "$(leftovers)" 0 "scratch databases left after a difference"

# A migration that fails: the error, and the scratch database dropped all the same.
expect 0 revision -m bad --rev-id bad000 --empty
add_sql "$T/p/alembic_like/versions/bad000_bad.c" upgrade "INSERT INTO nowhere VALUES (1)"
scratch_run check --scratch
[ "$rc" = 3 ] || { cat "$T/out" "$T/err" >&2; fail "check --scratch exited $rc, expected 3"; }
assert_contains "$T/err" "nowhere"
assert_eq "$(leftovers)" 0 "scratch databases left after a failure"
rm "$T/p/alembic_like/versions/bad000_bad.c"

# A role that may not create databases: say so, and what to do.
role="ag_nocreate_$pg_db"
psql -X -q "$pg_base" -c "CREATE ROLE $role LOGIN NOCREATEDB" >/dev/null
scratch_run --url "postgresql://$role@/$pg_db?host=$pg_host" check --scratch
psql -X -q "$pg_base" -c "DROP ROLE $role" >/dev/null
[ "$rc" = 3 ] || { cat "$T/out" "$T/err" >&2; fail "check --scratch without CREATEDB exited $rc"; }
assert_contains "$T/err" "scratch database"
assert_contains "$T/err" "--scratch-url"
echo "ok: pg check --scratch"
