#!/usr/bin/env bash
# graph.sh [N...] - the revision graph at scale, autogen vs Alembic side by side:
# heads, history, current and `upgrade head --sql` on generated histories of N
# revisions (default 1000 10000), linear and with 50 branch points and merges.
# Median wall time of RUNS (default 3) runs after one untimed run, process start
# included, measured by bench/timeit.py (no shell in between). autogen's --sql is
# timed with its caches warm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
RUNS=${RUNS:-3}
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
$PY -c 'import alembic' 2>/dev/null || { echo "needs python3-alembic" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timeit() { # timeit DIR CMD...: median ms (bench/timeit.py)
    local dir=$1
    shift
    $PY "$here/timeit.py" "$RUNS" "$dir" "$@"
}

echo "| revisions | shape | command | autogen (ms) | alembic (ms) | speed-up |"
echo "| ---: | --- | --- | ---: | ---: | ---: |"
for n in ${@:-1000 10000}; do
    for shape in linear branched; do
        d="$work/$n-$shape"
        mkdir -p "$d/ag" "$d/al/versions"
        (cd "$d/ag" && "$AUTOGEN" -q init >/dev/null)
        $PY "$here/gen_history.py" "$d" "$n" "$shape"
        # Both databases stamped at the head, so `current` reads a real version table.
        (cd "$d/ag" && "$AUTOGEN" -q stamp heads)
        (cd "$d/al" && $PY -m alembic stamp heads >/dev/null 2>&1)
        (cd "$d/ag" && "$AUTOGEN" -q upgrade --sql head >/dev/null) # warm the object cache
        for cmd in heads history current "upgrade head --sql"; do
            # shellcheck disable=SC2086
            a=$(timeit "$d/ag" "$AUTOGEN" $cmd)
            # shellcheck disable=SC2086
            b=$(timeit "$d/al" $PY -m alembic $cmd)
            s=$(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 0.1) }')
            echo "| $n | $shape | \`$cmd\` | $a | $b | $s |"
        done
    done
done
