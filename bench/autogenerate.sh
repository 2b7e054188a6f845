#!/usr/bin/env bash
# autogenerate.sh [N...] - autogen vs Alembic autogenerate on SQLite, side by side.
#
# For each N (default: 100 1000) it generates an N-table schema (bench/gen_schema.py),
# loads the "before" state into a SQLite file, and times, on copies of that same file:
#   autogen revision -m bench                        (end to end, process start included)
#   alembic revision --autogenerate -m bench         (Debian's python3-alembic)
# It reports the median wall time of each, autogen's peak resident memory (one
# more run under /usr/bin/time), and checks every migration autogen wrote: its
# operations must be exactly the ones the generator's changes call for, by kind
# and table (bench/check_ops.py): any other is a false positive, any absent one
# a miss, and either fails the script.
# BACKEND=pg runs the same against PostgreSQL: a throwaway cluster
# (tests/pg/cluster.sh), one database per tool, Alembic through psycopg2
# (Debian's python3-psycopg2).
# Alembic runs only up to ALEMBIC_MAX tables (default 3000: beyond, one run
# takes minutes); larger rows show "-" for it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
$PY -c 'import alembic' 2>/dev/null || { echo "needs python3-alembic (apt-get install python3-alembic)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
ALEMBIC_MAX=${ALEMBIC_MAX:-3000}
RUNS_AG=${RUNS_AG:-5}
RUNS_AL=${RUNS_AL:-3}
work=$(mktemp -d)
BACKEND=${BACKEND:-sqlite}
pgdir=${PGDIR:-/tmp/autogen-bench-pg}
trap 'rm -rf "$work"; [ "$BACKEND" != pg ] || bash "$here/../tests/pg/cluster.sh" stop "$pgdir"' EXIT
if [ "$BACKEND" = pg ]; then
    $PY -c 'import psycopg2' 2>/dev/null || { echo "needs python3-psycopg2" >&2; exit 1; }
    bash "$here/../tests/pg/cluster.sh" start "$pgdir"
fi
# fresh_db TOOL DIR: the "before" database for one run of TOOL; prints its URL
fresh_db() {
    local tool=$1 d=$2
    if [ "$BACKEND" = pg ]; then
        local base
        base=$(cat "$pgdir/url")
        # The "before" state is loaded once per size into a template; each run
        # gets a copy of it (loading 30,000 tables takes longer than copying).
        # Not in one transaction: from about 5,000 tables on, one runs out of
        # lock slots (max_locks_per_transaction).
        if [ ! -e "$d/template.loaded" ]; then
            psql -X -q "$base" -c "DROP DATABASE IF EXISTS bench_tpl WITH (FORCE)" -c "CREATE DATABASE bench_tpl" >/dev/null
            psql -X -q -v ON_ERROR_STOP=1 "postgresql://postgres@/bench_tpl?host=$pgdir" -f "$d/before.sql" >/dev/null
            touch "$d/template.loaded"
        fi
        psql -X -q "$base" -c "DROP DATABASE IF EXISTS bench_$tool WITH (FORCE)" -c "CREATE DATABASE bench_$tool TEMPLATE bench_tpl" >/dev/null
        if [ "$tool" = al ]; then
            echo "postgresql+psycopg2://postgres@/bench_$tool?host=$pgdir"
        else
            echo "postgresql://postgres@/bench_$tool?host=$pgdir"
        fi
    else
        cp "$d/before.db" "$d/$tool.db"
        echo "sqlite:///$d/$tool.db"
    fi
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "$BACKEND:"
echo "| tables | autogen (ms) | autogen peak RSS (MB) | alembic (ms) | speed-up | autogen ops | alembic ops | false positives | missed |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${@:-100 1000}"; do
    for n1 in $n; do
        d="$work/$n1"
        $PY "$here/gen_schema.py" "$n1" "$d"
        [ "$BACKEND" = pg ] || { echo "BEGIN;"; cat "$d/before.sql"; echo "COMMIT;"; } | sqlite3 "$d/before.db" # one transaction, not a sync per statement
        (cd "$d/autogen" && "$AUTOGEN" -q init >/dev/null && rm -f autogen.yaml &&
            printf 'models: models\nscript_location: alembic_like\nurl: sqlite:///app.db\n' >autogen.yaml)
        times=()
        fp=0 missed=0
        for run in $(seq 0 "$RUNS_AG"); do
            url=$(fresh_db ag "$d")
            rm -f "$d/autogen/alembic_like/versions/"*.c
            if [ "$run" = 0 ]; then # untimed: the peak memory
                (cd "$d/autogen" && AUTOGEN_URL=$url /usr/bin/time -f %M -o "$d/rss.txt" \
                    "$AUTOGEN" -q revision -m bench >/dev/null 2>&1)
            else
                times+=($(AUTOGEN_URL=$url $PY "$here/timeit.py" --once "$d/autogen" "$AUTOGEN" -q revision -m bench))
            fi
            # Every written migration: exactly the generator's changes.
            read -r ag_ops kinds f m < <($PY "$here/check_ops.py" "$d/autogen/alembic_like/versions/"*.c "$d/expected_ops.txt" || true)
            fp=$((fp > f ? fp : f)) missed=$((missed > m ? missed : m))
        done
        ag_ms=$(printf '%s\n' "${times[@]}" | median)
        rss=$(awk '{printf "%.1f", $1 / 1024}' "$d/rss.txt")
        al_ms=- al_ops=- speed=-
        if [ "$n1" -le "$ALEMBIC_MAX" ]; then
            times=()
            for _ in $(seq "$RUNS_AL"); do
                url=$(fresh_db al "$d")
                sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = $url|" "$d/alembic/alembic.ini"
                rm -f "$d/alembic/versions/"*.py
                times+=($($PY "$here/timeit.py" --once "$d/alembic" $PY -m alembic revision --autogenerate -m bench))
            done
            al_ms=$(printf '%s\n' "${times[@]}" | median)
            al_ops=$(awk '/^def upgrade/{u=1} /^def downgrade/{u=0} u' "$d/alembic/versions/"*.py |
                grep -cE '^\s+(op|batch_op)\.[a-z_]+\(' || true)
            speed=$(awk -v a="$al_ms" -v b="$ag_ms" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 0.1) }')
        fi
        echo "| $n1 | $ag_ms | $rss | $al_ms | $speed | $ag_ops | $al_ops | $fp | $missed |"
        echo "  autogen ops by kind: $kinds" >&2
        [ "$fp" = 0 ] && [ "$missed" = 0 ] || status=1
    done
done
exit "${status:-0}"
