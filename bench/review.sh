#!/usr/bin/env bash
# review.sh [N] [TABLES] [ADDED] - `autogen review --base main` of a branch adding ADDED
# migrations (default 10) over an N-revision history (default 1000) with TABLES-table
# models (default 100), on SQLite, against `autogen check --scratch` on the same
# project (the history replayed into an in-memory database and compared with the
# models). Median wall time of RUNS (default 5) runs after one untimed run, process
# start included (bench/timeit.py), and median CPU time (bench/cputime.py); both
# commands with their caches warm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
RUNS=${RUNS:-5}
n=${1:-1000} tables=${2:-100} added=${3:-10}
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
p="$work/p"
mkdir -p "$p"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
(cd "$p" && "$AUTOGEN" -q init >/dev/null)
rm -f "$p"/models/*.yaml
$PY "$here/gen_review.py" "$p" "$n" "$tables" "$added"
git -C "$p" init -q -b main
printf 'app.db\n.cache/\n' >"$p/.gitignore"
git -C "$p" add -A
git -C "$p" commit -q -m history
git -C "$p" checkout -q -b feature
$PY "$here/gen_review.py" "$p" "$n" "$tables" "$added" --branch
git -C "$p" add -A
git -C "$p" commit -q -m feature
# The review must pass: the branch's migrations reach its models.
(cd "$p" && "$AUTOGEN" review --base main >"$work/review.txt") ||
    { cat "$work/review.txt" >&2; echo "the review failed" >&2; exit 1; }
(cd "$p" && "$AUTOGEN" check --scratch >/dev/null) # also warms the compile and op caches
r=$($PY "$here/timeit.py" "$RUNS" "$p" "$AUTOGEN" review --base main)
c=$($PY "$here/timeit.py" "$RUNS" "$p" "$AUTOGEN" check --scratch)
m=$($PY "$here/timeit.py" "$RUNS" "$p" "$AUTOGEN" review --base main --format markdown)
rc=$($PY "$here/cputime.py" "$RUNS" "$p" "$AUTOGEN" review --base main)
cc=$($PY "$here/cputime.py" "$RUNS" "$p" "$AUTOGEN" check --scratch)
ratio=$(awk -v a="$r" -v b="$c" 'BEGIN { printf "%.2f", a / b }')
echo "| revisions | tables | added | review (ms) | review --format markdown (ms) | check --scratch (ms) | review / check | review CPU (ms) | check --scratch CPU (ms) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $n | $tables | $added | $r | $m | $c | $ratio | $rc | $cc |"
