#!/usr/bin/env bash
# autogenerate.sh [N...] - autogen vs Alembic autogenerate on SQLite, side by side.
#
# For each N (default: 100 1000) it generates an N-table schema (bench/gen_schema.py),
# loads the "before" state into a SQLite file, and times, on copies of that same file:
#   autogen revision -m bench                        (end to end, process start included)
#   alembic revision --autogenerate -m bench         (Debian's python3-alembic)
# It reports the median wall time of each and checks that autogen changes exactly
# the tables the generator changed (no false positives on the other ~90%).
# BACKEND=pg runs the same against PostgreSQL: a throwaway cluster
# (tests/pg/cluster.sh), one database per tool, Alembic through psycopg2
# (Debian's python3-psycopg2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
$PY -c 'import alembic' 2>/dev/null || { echo "needs python3-alembic (apt-get install python3-alembic)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
RUNS_AG=${RUNS_AG:-5}
RUNS_AL=${RUNS_AL:-3}
work=$(mktemp -d)
BACKEND=${BACKEND:-sqlite}
pgdir=/tmp/autogen-bench-pg
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
        psql -X -q "$base" -c "DROP DATABASE IF EXISTS bench_$tool WITH (FORCE)" -c "CREATE DATABASE bench_$tool" >/dev/null
        psql -X -q -v ON_ERROR_STOP=1 "postgresql://postgres@/bench_$tool?host=$pgdir" -f "$d/before.sql" >/dev/null
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
echo "| tables | autogen (ms) | alembic (ms) | speed-up | autogen ops | alembic ops | tables changed | false positives |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${@:-100 1000}"; do
    for n1 in $n; do
        d="$work/$n1"
        $PY "$here/gen_schema.py" "$n1" "$d"
        [ "$BACKEND" = pg ] || sqlite3 "$d/before.db" <"$d/before.sql"
        (cd "$d/autogen" && "$AUTOGEN" -q init >/dev/null && rm -f autogen.yaml &&
            printf 'models: models\nscript_location: alembic_like\nurl: sqlite:///app.db\n' >autogen.yaml)
        times=()
        for _ in $(seq "$RUNS_AG"); do
            url=$(fresh_db ag "$d")
            rm -f "$d/autogen/alembic_like/versions/"*.c
            times+=($(AUTOGEN_URL=$url $PY "$here/timeit.py" --once "$d/autogen" "$AUTOGEN" -q revision -m bench))
        done
        ag_ms=$(printf '%s\n' "${times[@]}" | median)
        ag_ops=$(awk '/^void upgrade/{u=1} /^void downgrade/{u=0} u && /^    ag_/' "$d/autogen/alembic_like/versions/"*.c | wc -l)
        # No false positives: the tables with operations are exactly the changed ones.
        url=$(fresh_db ag "$d")
        (cd "$d/autogen" && AUTOGEN_URL=$url "$AUTOGEN" --format json diff) >"$d/diff.json"
        $PY - "$d/diff.json" "$d/changed.txt" >"$d/fp.txt" <<'PY'
import json, sys
changes = json.load(open(sys.argv[1]))["changes"]
touched = {c["table"] for c in changes if c["table"]}
changed = {l.strip() for l in open(sys.argv[2]) if l.strip()}
extra, missing = touched - changed, changed - touched
print(len(extra), len(touched), " ".join(sorted(extra | missing)))
PY
        read -r fp touched _rest <"$d/fp.txt"
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
        echo "| $n1 | $ag_ms | $al_ms | $speed | $ag_ops | $al_ops | $touched of $(wc -l <"$d/changed.txt") | $fp |"
        if [ -n "$_rest" ]; then echo "  tables that differ from the expected set: $_rest" >&2; fi
    done
done
