#!/usr/bin/env bash
# pull.sh [N] - `autogen pull` vs `drizzle-kit pull` on an N-table database (default 1000),
# side by side, on SQLite and on PostgreSQL (BACKENDS="sqlite pg", the default).
#
# The database is the "before" state of bench/gen_schema.py (the autogenerate
# benchmark's workload: N tables with keys, foreign keys, indexes, unique
# constraints and defaults). Timed, each the median of RUNS (5) runs after one
# untimed run (bench/timeit.py: process start included, output discarded):
#   autogen -q pull --force                  one YAML file per table (the default)
#   autogen -q pull --force --single-file F  all tables in one file
#   drizzle-kit pull                         schema.ts, relations.ts and an SQL file
# drizzle-kit (npm, pinned below) is installed into bench/.cache/drizzle on the
# first run, with @libsql/client (SQLite) and pg (PostgreSQL) as its drivers;
# its output folder is removed before each run, as it would not overwrite it.
# PostgreSQL runs on a throwaway cluster (tests/pg/cluster.sh), over its socket.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
N=${1:-1000}
RUNS=${RUNS:-5}
RUNS_DK=${RUNS_DK:-$RUNS} # drizzle-kit on PostgreSQL takes minutes a run at 1,000 tables
BACKENDS=${BACKENDS:-sqlite pg}
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
command -v npm >/dev/null || { echo "needs node and npm (apt-get install npm)" >&2; exit 1; }

cache=$here/.cache/drizzle
dk=$cache/node_modules/drizzle-kit/bin.cjs
if [ ! -f "$dk" ]; then
    mkdir -p "$cache"
    (cd "$cache" && [ -f package.json ] || echo '{"private": true}' >package.json)
    npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
        drizzle-kit@0.31.11 drizzle-orm@0.45.4 @libsql/client@0.18.0 pg@8.23.1 >&2
fi

work=$(mktemp -d)
pgdir=/tmp/autogen-bench-pull-pg
pg_started=
cleanup() {
    rm -rf "$work"
    [ -z "$pg_started" ] || bash "$here/../tests/pg/cluster.sh" stop "$pgdir"
}
trap cleanup EXIT
$PY "$here/gen_schema.py" "$N" "$work/gen" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# cpu_ms DIR CMD...: "WALL CPU", the wall and CPU time (user + system of CMD and
# its children), in ms, of one run of CMD: on a shared machine wall time also
# counts the wait for a core.
cpu_ms() {
    $PY - "$@" <<'CPU'
import os, sys, time
d, argv = sys.argv[1], sys.argv[2:]
null = os.open(os.devnull, os.O_WRONLY)
os.chdir(d)
t0 = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ,
                      file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
_, status, ru = os.wait4(pid, 0)
wall = (time.perf_counter() - t0) * 1000
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit("cpu_ms: %s failed" % " ".join(argv))
print("%.1f %.1f" % (wall, (ru.ru_utime + ru.ru_stime) * 1000))
CPU
}

echo "| database | tables | autogen, a file per table (ms) | autogen, --single-file (ms) | drizzle-kit (ms) | speed-up (files) | speed-up (single file) | CPU: autogen (files) / drizzle-kit (ms) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for backend in $BACKENDS; do
    d=$work/$backend
    mkdir -p "$d/ag/models" "$d/ag/alembic_like/versions" "$d/dk"
    if [ "$backend" = pg ]; then
        if [ -z "$pg_started" ]; then
            bash "$here/../tests/pg/cluster.sh" start "$pgdir"
            pg_started=1
        fi
        base=$(cat "$pgdir/url")
        PGOPTIONS="-c client_min_messages=warning" psql -X -q "$base" -c "DROP DATABASE IF EXISTS bench_pull WITH (FORCE)" -c "CREATE DATABASE bench_pull" >/dev/null
        url="postgresql://postgres@/bench_pull?host=$pgdir"
        psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$work/gen/before.sql" >/dev/null
        dk_args=(--dialect=postgresql "--url=postgresql://postgres@localhost/bench_pull?host=$pgdir")
    else
        sqlite3 "$d/app.db" <"$work/gen/before.sql"
        url="sqlite:///$d/app.db"
        dk_args=(--dialect=sqlite "--url=file:$d/app.db")
    fi
    printf 'models: models\nscript_location: alembic_like\nurl: %s\n' "$url" >"$d/ag/autogen.yaml"
    ag_files=$($PY "$here/timeit.py" "$RUNS" "$d/ag" "$AUTOGEN" -q pull --force)
    ag_single=$($PY "$here/timeit.py" "$RUNS" "$d/ag" "$AUTOGEN" -q pull --force --single-file all.yaml)
    # The generator's "before" state lacks the tables its changes add.
    ntables=$(grep -c '^CREATE TABLE' "$work/gen/before.sql")
    ag_cpu=$(for _ in $(seq "$RUNS"); do cpu_ms "$d/ag" "$AUTOGEN" -q pull --force | cut -d' ' -f2; done | median)
    written=$(find "$d/ag/models" -name '*.yaml' | wc -l)
    [ "$written" -eq "$ntables" ] || { echo "autogen pull wrote $written files for $ntables tables" >&2; exit 1; }
    times=()
    cpus=()
    start=0 # run 0 warms the caches and is not counted
    [ "$RUNS_DK" -gt 1 ] || start=1 # one run only: no warm-up run either
    for i in $(seq "$start" "$RUNS_DK"); do
        rm -rf "$d/dk/out"
        read -r t c < <(cpu_ms "$d/dk" node "$dk" pull "${dk_args[@]}" --out=out)
        [ "$i" != 0 ] || continue
        times+=("$t")
        cpus+=("$c")
    done
    dk_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    dk_tables=$(grep -cE '= (sqliteTable|pgTable)\(' "$d/dk/out/schema.ts" || true)
    [ "$dk_tables" -eq "$ntables" ] ||
        { echo "drizzle-kit pull wrote $dk_tables of $ntables tables" >&2; exit 1; }
    dk_ms=$(printf '%s\n' "${times[@]}" | median)
    sp() { awk -v a="$dk_ms" -v b="$1" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 0.1) }'; }
    echo "| $backend | $ntables | $ag_files | $ag_single | $dk_ms | $(sp "$ag_files") | $(sp "$ag_single") | $ag_cpu / $dk_cpu |"
done
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
