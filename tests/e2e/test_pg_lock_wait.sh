#!/usr/bin/env bash
# PostgreSQL: a runner that finds the run's advisory lock taken says after a
# second who holds it (pid and application name), gives up after
# --lock-timeout with exit 3 and nothing run; autogen's own sessions are named
# 'autogen'; and `lock_timeout:` in autogen.yaml makes a migration whose ALTER
# waits behind another session's table lock fail fast, saying so.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions
KEY=7016996765293437281 # "autogen": the key of the run's advisory lock

holders=()
stop_holders() {
    psql -X -q "$PG_URL" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name LIKE 'ag_holder%' OR (application_name = 'autogen'
        AND datname = current_database() AND pid <> pg_backend_pid())" >/dev/null 2>&1 || true
    local p
    for p in "${holders[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    holders=()
}
trap 'stop_holders; drop_databases' EXIT

# wait_for SQL: until the query returns 't' (at most 10 s).
wait_for() {
    for _ in $(seq 100); do
        [ "$(db "$1")" = t ] && return 0
        sleep 0.1
    done
    fail "timed out waiting for: $1"
}

now() { date +%s.%N; }
took() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$1" "$(now)"; }
between() { python3 -c "import sys; sys.exit(0 if float(sys.argv[2]) <= float(sys.argv[1]) <= float(sys.argv[3]) else 1)" "$@"; }

expect 0 revision --empty -m one --rev-id one000
add_sql "$(ls "$V"/one000_*.c)" upgrade "CREATE TABLE t (a integer)"
expect 0 upgrade
expect 0 revision --empty -m two --rev-id two000
add_sql "$(ls "$V"/two000_*.c)" upgrade "ALTER TABLE t ADD COLUMN b integer"
add_sql "$(ls "$V"/two000_*.c)" downgrade "ALTER TABLE t DROP COLUMN b"

# A psql session holds the advisory lock (for 30 s at most).
PGAPPNAME=ag_holder_psql psql -X -q "$PG_URL" \
    -c "SELECT pg_advisory_lock($KEY)" -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
holders+=($!)
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
          WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'ag_holder_psql')"
pid=$(db "SELECT pid FROM pg_stat_activity WHERE application_name = 'ag_holder_psql'")
start=$(now)
expect 3 upgrade --lock-timeout 2
t=$(took "$start")
between "$t" 1.9 8 || fail "gave up after $t s, expected about 2"
assert_contains "$T/err" "autogen: waiting for the run's advisory lock (another runner's): the session of pid $pid (application 'ag_holder_psql') holds it (giving up after 2 s; --lock-timeout)"
assert_contains "$T/err" "autogen: error: the database's write lock was not obtained within 2 s: the session of pid $pid (application 'ag_holder_psql') holds it; nothing was run, and the database is at one000"
assert_contains "$T/err" "Find the other runner"
assert_contains "$T/err" "--lock-timeout SECONDS"
expect 3 stamp two000 --lock-timeout 1
assert_contains "$T/err" "nothing was run, and the database is at one000"
expect 3 downgrade base --lock-timeout 1
assert_contains "$T/err" "nothing was run, and the database is at one000"
stop_holders
assert_eq "$(db "SELECT version_num FROM autogen_version")" one000 "nothing ran"

# Another autogen holds it: its session is named 'autogen'.
expect 0 revision --empty -m slow --rev-id three0
add_sql "$(ls "$V"/three0_*.c)" upgrade "SELECT pg_sleep(4)"
(cd "$T/p" && "$AUTOGEN" -q upgrade) >"$T/first.out" 2>&1 &
first=$!
holders+=($first)
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'autogen'
          AND query LIKE '%pg_sleep(4)%')"
apid=$(db "SELECT pid FROM pg_stat_activity WHERE application_name = 'autogen' AND query LIKE '%pg_sleep(4)%'")
expect 3 upgrade --lock-timeout 1.5
assert_contains "$T/err" "the session of pid $apid (application 'autogen') holds it"
wait "$first" || { cat "$T/first.out" >&2; fail "the first runner failed"; }
holders=()
assert_eq "$(db "SELECT version_num FROM autogen_version")" three0 "the first runner finished"
expect 0 downgrade one000

# lock_timeout: an ALTER behind another session's ACCESS SHARE lock fails fast.
echo "lock_timeout: 1" >>"$T/p/autogen.yaml"
PGAPPNAME=ag_holder_share psql -X -q "$PG_URL" \
    -c "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE; SELECT pg_sleep(30); COMMIT;" >/dev/null 2>&1 &
holders+=($!)
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
          WHERE l.locktype = 'relation' AND l.relation = 't'::regclass AND l.granted
          AND a.application_name = 'ag_holder_share')"
start=$(now)
expect 3 upgrade
t=$(took "$start")
between "$t" 0.9 10 || fail "failed after $t s, expected about 1"
assert_contains "$T/err" "canceling statement due to lock timeout: the lock was not obtained in time (lock_timeout in autogen.yaml)"
assert_contains "$T/err" "ALTER TABLE t ADD COLUMN b integer"
assert_eq "$(db "SELECT version_num FROM autogen_version")" one000 "two000 rolled back"
stop_holders
expect 0 upgrade
assert_eq "$(db "SELECT version_num FROM autogen_version")" three0 "upgraded once the lock is free"

# Units are PostgreSQL's; anything else is an error at its place in the file.
sed -i 's/^lock_timeout: 1$/lock_timeout: 250ms/' "$T/p/autogen.yaml"
expect 0 downgrade one000
sed -i 's/^lock_timeout: 250ms$/lock_timeout: soon/' "$T/p/autogen.yaml"
expect 3 current
assert_contains "$T/err" "autogen.yaml:"
assert_contains "$T/err" "lock_timeout must be seconds (2, 0.5) or a number with a unit (500ms, 5s, 1min, us, h, d); got 'soon'"
echo "ok: pg lock wait"
