#!/usr/bin/env bash
# scaling.sh [N...] - how autogenerate grows with the schema: autogen alone
# (bench/autogenerate.sh with ALEMBIC_MAX=0) at N tables (default 1000 3000
# 10000 30000), each row beside the first: the time it takes for that many
# times the tables. Linear growth keeps "time ×" at "tables ×"; the goal is at
# most 1.1 × tables (10× the tables in at most 11× the time).
# BACKEND=pg as for autogenerate.sh; RUNS_AG runs per size (median).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(ALEMBIC_MAX=0 bash "$here/autogenerate.sh" "${@:-1000 3000 10000 30000}" 2>/dev/null) || {
    echo "$out"
    echo "scaling.sh: autogenerate.sh failed (see the false positives / missed columns)" >&2
    exit 1
}
echo "${BACKEND:-sqlite}:"
echo "| tables | autogen (ms) | peak RSS (MB) | µs per table | tables × | time × | time × ÷ tables × | ops | false positives | missed |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "$out" | awk -F'|' '$2 ~ /^ *[0-9]+ *$/ {
    n = $2 + 0; ms = $3 + 0
    if (!n0) { n0 = n; ms0 = ms }
    printf "| %d | %.1f | %s | %.1f | %.1f | %.1f | %.2f | %s | %s | %s |\n",
        n, ms, $4 + 0, ms * 1000 / n, n / n0, ms / ms0, (ms / ms0) / (n / n0), $7 + 0, $9 + 0, $10 + 0
}'
