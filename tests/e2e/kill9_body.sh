# kill9_body.sh - `autogen upgrade head` killed with SIGKILL at random points of a
# 200-migration history, on the backend lib.sh chose; sourced by test_kill9.sh
# (SQLite) and test_pg_kill9.sh (PostgreSQL).
#
# A run applies its migrations in one transaction (README, "How migrations run"),
# so whenever the process dies the database is at one revision: the one it
# started from or the target. Each iteration checks that the version table
# names one revision, that schema and rows are exactly those of a fresh
# database taken to that revision (rows an application wrote before autogen
# included), and no process of the run is left behind. At the end a rerun
# reaches head and `check` finds the models and the database equal.
#
# Where each kill lands (after a delay, while a chosen migration of the run
# runs, or at its commit) and where the database goes down to between kills
# come from a seed, printed first; AG_KILL9_SEED=N replays them (the exact
# instant of each kill stays the machine's). AG_KILL9_ITERATIONS and
# AG_KILL9_SECONDS bound the iterations.
new_project
V=$T/p/alembic_like/versions
N=200
SEED=${AG_KILL9_SEED:-$(($(date +%s) % 32768))}
echo "kill -9: seed $SEED (AG_KILL9_SEED=$SEED replays it)"
RANDOM=$SEED
printf 'exclude_tables: [customers]\n' >>"$T/p/autogen.yaml"

# The history: every migration one or two operations. Tables are created
# (t_20 ... t_200, each with a row), columns added to them and filled, rows
# inserted into `events` while a hand-made table (`customers`, which autogen
# does not manage) is updated, and migration 150 moves rows from `events` to
# `events_archive`. Every downgrade undoes its upgrade, data included. The
# model describes head.
python3 - "$V" "$T/p/models/kill9.yaml" "$N" <<'PY'
import sys
versions, model, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def table(name, extra):
    cols = ['AG_COL("id", "integer", .not_null = 1)'] + extra
    return ('ag_create_table(op, "%s", %s, AG_PRIMARY_KEY("pk_%s", AG_COLS("id")), NULL);'
            % (name, ", ".join(cols), name))

def sql(s):
    return "ag_execute(op, \"%s\");" % s

events_cols = ['AG_COL("kind", "string(20)", .not_null = 1)', 'AG_COL("n", "integer")']
tables = {"events": ["kind: { type: string(20), nullable: false }", "n: { type: integer }"],
          "events_archive": ["kind: { type: string(20), nullable: false }",
                             "n: { type: integer }"]}
for k in range(1, n + 1):
    if k == 1:
        up = [table("events", events_cols), sql("INSERT INTO events (id, kind, n) VALUES (1, 'start', 1)")]
        down = ['ag_drop_table(op, "events");']
    elif k == 101:
        up = [table("events_archive", events_cols)]
        down = ['ag_drop_table(op, "events_archive");']
    elif k == 150:
        up = [sql("INSERT INTO events_archive (id, kind, n) SELECT id, kind, n FROM events WHERE id < 100"),
              sql("DELETE FROM events WHERE id < 100")]
        down = [sql("INSERT INTO events (id, kind, n) SELECT id, kind, n FROM events_archive WHERE id < 100"),
                sql("DELETE FROM events_archive WHERE id < 100")]
    elif k % 20 == 0:
        t = "t_%d" % k
        up = [table(t, ['AG_COL("note", "text")']),
              sql("INSERT INTO %s (id, note) VALUES (%d, 'row of %d')" % (t, k, k))]
        down = ['ag_drop_table(op, "%s");' % t]
        tables[t] = ["note: { type: text }"]
    elif k % 20 == 7 and k > 20:
        t = "t_%d" % (k // 20 * 20)
        up = ['ag_add_column(op, "%s", AG_COLUMN("c_%d", "integer"));' % (t, k),
              sql("UPDATE %s SET c_%d = %d" % (t, k, k))]
        down = ['ag_drop_column(op, "%s", "c_%d");' % (t, k)]
        tables[t].append("c_%d: { type: integer }" % k)
    else:
        up = [sql("INSERT INTO events (id, kind, n) VALUES (%d, 'step', %d)" % (k, k * 7)),
              sql("UPDATE customers SET visits = visits + 1 WHERE id = %d" % (k % 5 + 1))]
        down = [sql("UPDATE customers SET visits = visits - 1 WHERE id = %d" % (k % 5 + 1)),
                sql("DELETE FROM events WHERE id = %d" % k)]
    rev = "r%03d" % k
    parent = '"r%03d", NULL' % (k - 1) if k > 1 else "NULL"
    with open("%s/%s_step.c" % (versions, rev), "w") as f:
        f.write("""/* step %d
 *
 * Revision ID: %s
 * Create Date: 2026-01-01 00:00:00
 */
#include <autogen/migration.h>

const char *const revision = "%s";
const char *const down_revision[] = { %s };
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op)
{
    %s
}

void downgrade(ag_op *op)
{
    %s
}
""" % (k, rev, rev, parent, "\n    ".join(up), "\n    ".join(down)))
with open(model, "w") as f:
    f.write("tables:\n")
    for t, cols in tables.items():
        f.write("  %s:\n    columns:\n      id: { type: integer, primary_key: true }\n" % t)
        for c in cols:
            f.write("      %s\n" % c)
PY

# Rows an application wrote before autogen: they must survive every kill.
seed_customers() {
    db "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE,
            visits INTEGER NOT NULL DEFAULT 0);
        INSERT INTO customers (id, email, visits) VALUES
            (1, 'ann@example.com', 10), (2, 'bob@example.com', 20), (3, 'cy@example.com', 30),
            (4, 'di@example.com', 40), (5, 'ed@example.com', 50);"
}

# The reference database: another SQLite file or PostgreSQL database, taken
# to a revision by an upgrade nobody interrupts.
if [ "$AG_BACKEND" = pg ]; then
    APP_URL=$PG_URL
    REF_URL=$(pg_other_db ref)
    use_db() { PG_URL=$1; }
    reset_ref() {
        db "DO \$\$ DECLARE t text; BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE 'DROP TABLE ' || quote_ident(t) || ' CASCADE';
            END LOOP; END \$\$" >/dev/null
    }
else
    APP_URL="sqlite:///app.db"
    REF_URL="sqlite:///ref.db"
    DB_FILE=$T/p/app.db
    db() { sqlite3 -batch -bail "$DB_FILE" "$@"; }
    use_db() { DB_FILE=$T/p/${1#sqlite:///}; }
    reset_ref() { rm -f "$T/p/ref.db"; }
fi
seed_customers

# state OUT: the database's revisions (OUT.rev: one a line, "base" for none),
# then its schema and the rows of every table autogen's migrations or the
# application wrote (autogen's own tables hold times and are left out) (OUT).
state() {
    db "SELECT version_num FROM autogen_version ORDER BY 1" >"$1.rev" 2>/dev/null || true
    [ -s "$1.rev" ] || echo base >"$1.rev"
    { cat "$1.rev"; dump_schema; } >"$1"
    local t present sql=""
    if [ "$AG_BACKEND" = pg ]; then
        present=$(db "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else
        present=$(db "SELECT name FROM sqlite_master WHERE type = 'table'")
    fi
    for t in customers events events_archive $(seq -f 't_%g' 20 20 "$N"); do
        grep -qx "$t" <<<"$present" || continue
        sql="$sql SELECT '== $t'; SELECT * FROM \"$t\" ORDER BY 1;"
    done
    db <<<"$sql" >>"$1"
}

# session_procs SID: the processes of session SID still running (read from
# /proc, since procps may not be installed).
session_procs() {
    local f st sid
    for f in /proc/[0-9]*/stat; do
        read -r st 2>/dev/null <"$f" || continue
        st=${st##*) } # after the command name: state ppid pgrp session ...
        read -r _ _ _ sid _ <<<"$st"
        if [ "$sid" = "$1" ]; then
            f=${f#/proc/}
            echo "${f%/stat}"
        fi
    done
    return 0
}

# reference REV: the state of a fresh database taken to REV (once per REV).
reference() {
    local f=$T/ref.$1
    if [ ! -e "$f" ]; then
        use_db "$REF_URL"
        reset_ref
        seed_customers
        [ "$1" = base ] || expect 0 --url "$REF_URL" upgrade "$1"
        state "$f"
        use_db "$APP_URL"
    fi
    echo "$f"
}

# One uninterrupted run first, to compile every migration once; then another
# on a fresh database, timed, so that the kills land anywhere in a run.
use_db "$REF_URL"
seed_customers
expect 0 --url "$REF_URL" upgrade head
reset_ref
seed_customers
t0=$(date +%s%N)
expect 0 --url "$REF_URL" upgrade head
full_ms=$((($(date +%s%N) - t0) / 1000000))
HEAD=r$(printf %03d "$N")
state "$T/ref.$HEAD" # that run is head's reference too
use_db "$APP_URL"
echo "kill -9: a whole upgrade of $N migrations takes $full_ms ms"

# Where to go down to from head: three revisions in the first third, so that
# the next run is long and references are few.
downs=()
for _ in 1 2 3; do
    downs+=("r$(printf %03d $((RANDOM % (N / 3) + 1)))")
done
# wait_steps K: until the run ($pid) starts its Kth migration, or ends.
wait_steps() {
    while kill -0 "$pid" 2>/dev/null; do
        [ "$(grep -c '^Running upgrade' "$T/err")" -lt "$1" ] || return 0
        sleep 0.01
    done
}

# At least 3 iterations, more while under AG_KILL9_SECONDS (default 30) from
# here, at most AG_KILL9_ITERATIONS (default 10).
iterations=${AG_KILL9_ITERATIONS:-10}
budget=${AG_KILL9_SECONDS:-30}
start=$(date +%s)
killed=0 finished=0 i=0
while [ "$i" -lt "$iterations" ]; do
    i=$((i + 1))
    [ "$i" -le 3 ] || [ $(($(date +%s) - start)) -lt "$budget" ] || break
    [ "$i" -gt 1 ] || state "$T/before"
    before=$(cat "$T/before.rev")
    left=$N
    [ "$before" = base ] || left=$((N - 10#${before#r}))
    # In a session of its own, to find what the run leaves behind.
    (cd "$T/p" && exec setsid "$AUTOGEN" --url "$APP_URL" upgrade head) >"$T/out" 2>"$T/err" &
    pid=$!
    # Where to kill: at a time anywhere in a whole run (startup and recording
    # included), or while a chosen migration of this run runs (by the
    # "Running upgrade" lines on stderr, whatever the machine's speed), or
    # while the last one runs and the run commits.
    case $((i % 3)) in
        1) at="$((RANDOM % (full_ms + 1))) ms"
           sleep "$(printf '%d.%03d' $((${at% ms} / 1000)) $((${at% ms} % 1000)))" ;;
        2) k=$((RANDOM % left + 1))
           wait_steps "$k"
           at="migration $k of $left"
           sleep "0.0$((RANDOM % 10))" ;;
        0) wait_steps "$left"
           ms=$((RANDOM % 20))
           at="migration $left of $left + $ms ms (the commit)"
           sleep "$(printf '0.%03d' "$ms")" ;;
    esac
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        outcome=killed
        killed=$((killed + 1))
    else
        wait "$pid" || { cat "$T/err" >&2; fail "iteration $i: upgrade failed on its own"; }
        outcome=finished
        finished=$((finished + 1))
    fi
    # Nothing of the run is left: its recorder child ends with it.
    for _ in $(seq 50); do
        [ -n "$(session_procs "$pid")" ] || break
        sleep 0.1
    done
    [ -z "$(session_procs "$pid")" ] ||
        fail "iteration $i: processes of the killed run remain: $(session_procs "$pid")"
    state "$T/after"
    rev=$(cat "$T/after.rev")
    case "$rev" in
        "$before" | "$HEAD") ;;
        *) fail "iteration $i (seed $SEED): killed at $at, the version table holds '$(echo $rev)': neither where the run started ($before) nor head" ;;
    esac
    ref=$(reference "$rev")
    if ! cmp -s "$ref" "$T/after"; then
        diff "$ref" "$T/after" | head -n 40 >&2 || true
        fail "iteration $i (seed $SEED): at $rev after a kill at $at, schema or rows differ from a fresh database at $rev"
    fi
    echo "kill -9: iteration $i: at $at: $outcome, $before -> $rev"
    # From head, go down somewhere (a downgrade nobody kills) for the next kill.
    if [ "$rev" = "$HEAD" ]; then
        target=${downs[RANDOM % 3]}
        expect 0 --url "$APP_URL" downgrade "$target"
        state "$T/down"
        ref=$(reference "$target")
        cmp -s "$ref" "$T/down" || fail "downgrade to $target: schema or rows differ from a fresh database there"
        mv "$T/down" "$T/after"
        mv "$T/down.rev" "$T/after.rev"
    fi
    mv "$T/after" "$T/before"
    mv "$T/after.rev" "$T/before.rev"
done
echo "kill -9: $((killed + finished)) iterations: $killed killed, $finished finished before the kill"

# Whatever the last kill left, a rerun reaches head and matches the models.
expect 0 --url "$APP_URL" upgrade head
state "$T/after"
assert_eq "$(cat "$T/after.rev")" "$HEAD" "after the rerun"
ref=$(reference "$HEAD")
cmp -s "$ref" "$T/after" || fail "after the rerun: differs from a fresh database at head"
expect 0 --url "$APP_URL" check

# Killed while its recorder child runs a migration that never returns: the
# child ends with it, instead of running on until AUTOGEN_RECORD_TIMEOUT.
cat >"$V/r999_loop.c" <<EOF
#include <autogen/migration.h>
const char *const revision = "r999";
const char *const down_revision[] = { "$HEAD", NULL };
void upgrade(ag_op *op) { (void)op; for (volatile int i = 0; i >= 0; i = 0) {} }
void downgrade(ag_op *op) { (void)op; }
EOF
(cd "$T/p" && exec setsid "$AUTOGEN" -q --url "$APP_URL" upgrade head) >"$T/out" 2>"$T/err" &
pid=$!
sleep 2
kill -9 "$pid" || fail "the looping migration's run ended on its own: $(cat "$T/err")"
wait "$pid" 2>/dev/null || true
for _ in $(seq 30); do
    [ -n "$(session_procs "$pid")" ] || break
    sleep 0.1
done
left=$(session_procs "$pid")
[ -z "$left" ] || { kill -9 $left; fail "the recorder of a killed run is still running (pid $left)"; }
state "$T/after"
assert_eq "$(cat "$T/after.rev")" "$HEAD" "after killing the looping run"
rm "$V/r999_loop.c"
echo "ok: kill -9"
