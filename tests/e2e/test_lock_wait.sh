#!/usr/bin/env bash
# A runner that finds the write lock taken (another process inside a write
# transaction on app.db) says after a second what it waits for, gives up after
# --lock-timeout seconds with exit 3, nothing run and the database's revision
# named, and goes on when the lock is released in time.
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions
expect 0 revision --empty -m one --rev-id one000
add_sql "$(ls "$V"/one000_*.c)" upgrade "CREATE TABLE t (a INTEGER)"
expect 0 upgrade
expect 0 revision --empty -m two --rev-id two000
add_sql "$(ls "$V"/two000_*.c)" upgrade "ALTER TABLE t ADD COLUMN b INTEGER"

holder=""
stop_holder() {
    if [ -n "$holder" ]; then
        kill "$holder" 2>/dev/null || true
        wait "$holder" 2>/dev/null || true
    fi
    holder=""
}
trap 'stop_holder; rm -rf "$T"' EXIT

# hold SECONDS: another process takes the write lock (BEGIN IMMEDIATE, as an
# application writing would) and keeps it SECONDS; returns once it holds it.
hold() {
    rm -f "$T/held"
    python3 - "$T/p/app.db" "$1" "$T/held" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO t VALUES (42)")
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
PY
    holder=$!
    for _ in $(seq 100); do [ -e "$T/held" ] && return 0; sleep 0.1; done
    fail "the holder did not take the lock"
}

now() { date +%s.%N; }
took() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$1" "$(now)"; }
between() { python3 -c "import sys; sys.exit(0 if float(sys.argv[2]) <= float(sys.argv[1]) <= float(sys.argv[3]) else 1)" "$@"; }

# Held longer than the timeout: exit 3 after about 2 s, nothing run.
hold 60
start=$(now)
expect 3 upgrade --lock-timeout 2
t=$(took "$start")
between "$t" 1.9 8 || fail "gave up after $t s, expected about 2"
assert_contains "$T/err" "waiting for the write lock on the database file '"
assert_contains "$T/err" "app.db': another connection holds it (giving up after 2 s; --lock-timeout)"
assert_contains "$T/err" "autogen: error: the database's write lock was not obtained within 2 s"
assert_contains "$T/err" "nothing was run, and the database is at one000"
assert_contains "$T/err" "Find the other runner"
assert_contains "$T/err" "--lock-timeout SECONDS"
# downgrade and stamp wait the same way.
expect 3 downgrade base --lock-timeout 1
assert_contains "$T/err" "nothing was run, and the database is at one000"
expect 3 stamp two000 --lock-timeout 1
assert_contains "$T/err" "nothing was run, and the database is at one000"
# Under a second, no waiting message.
expect 3 upgrade --lock-timeout 0.3
grep -q "waiting for" "$T/err" && fail "announced a wait shorter than a second"
stop_holder
assert_eq "$(db "SELECT version_num FROM autogen_version")" one000 "nothing ran"
assert_eq "$(db "SELECT count(*) FROM pragma_table_info('t') WHERE name = 'b'")" 0 "no column b"

# Released within the timeout: the run goes on once it has the lock.
hold 2
expect 0 upgrade --lock-timeout 20
assert_contains "$T/err" "waiting for the write lock on the database file"
assert_eq "$(db "SELECT version_num FROM autogen_version")" two000 "upgraded"
assert_eq "$(db "SELECT count(*) FROM t WHERE a = 42")" 1 "the holder's write committed"
stop_holder

# A new database at base says so.
rm -f "$T/p/app.db"
db "CREATE TABLE t (a INTEGER)"
hold 60
expect 3 upgrade --lock-timeout 1
assert_contains "$T/err" "nothing was run, and the database is at base (no revision applied)"
stop_holder

# Bad values are usage errors.
expect 2 upgrade --lock-timeout soon
assert_contains "$T/err" "--lock-timeout takes seconds (a number >= 0), not 'soon'"
expect 2 stamp head --lock-timeout -1
echo "ok: lock wait"
