#!/usr/bin/env bash
# graph.sh [N...] - the revision graph at scale, autogen vs Alembic side by side:
# heads, history, current and `upgrade head --sql` on generated histories of N
# revisions (default 1000 10000), linear and with 50 branch points and merges.
# Median wall time of RUNS (default 3) runs, process start included. autogen's
# --sql is timed with its compiled-object cache warm (after one run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
RUNS=${RUNS:-3}
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
$PY -c 'import alembic' 2>/dev/null || { echo "needs python3-alembic" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # timeit DIR CMD...: median ms
    local dir=$1 t=()
    shift
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(now)
        (cd "$dir" && "$@" >/dev/null 2>&1)
        t1=$(now)
        t+=($(((t1 - t0) / 1000000)))
    done
    printf '%s\n' "${t[@]}" | median
}

echo "| revisions | shape | command | autogen (ms) | alembic (ms) | speed-up |"
echo "| ---: | --- | --- | ---: | ---: | ---: |"
for n in ${@:-1000 10000}; do
    for shape in linear branched; do
        d="$work/$n-$shape"
        mkdir -p "$d/ag" "$d/al/versions"
        (cd "$d/ag" && "$AUTOGEN" -q init >/dev/null)
        $PY - "$d" "$n" "$shape" <<'PY'
import os, sys
d, n, shape = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Linear, or a main line with 50 side branches of a few revisions, each merged back.
revs = []  # (id, [parents], message)
def rid(i): return "%012x" % (0xc0000000000 + i)
branches = 50 if shape == "branched" else 0
every = max(n // (branches + 1), 4) if branches else n + 1
i, head = 0, None
while i < n:
    if branches and i and i % every == 0 and i + 3 <= n and len([r for r in revs if len(r[1]) > 1]) < branches:
        fork = head
        a = rid(i); revs.append((a, [fork], "main %d" % i)); i += 1
        b = rid(i); revs.append((b, [fork], "side %d" % i)); i += 1
        m = rid(i); revs.append((m, [a, b], "merge %d" % i)); i += 1
        head = m
        continue
    r = rid(i); revs.append((r, [head] if head else [], "step %d" % i)); head = r; i += 1
for r, parents, msg in revs:
    downs = "{ %s }" % ", ".join(['"%s"' % p for p in parents] + ["NULL"])
    with open(os.path.join(d, "ag", "alembic_like", "versions", r + ".c"), "w") as f:
        f.write('/* %s\n *\n * Revision ID: %s\n */\n#include <autogen/migration.h>\n\n'
                'const char *const revision = "%s";\nconst char *const down_revision[] = %s;\n'
                'const char *const branch_labels[] = { NULL };\nconst char *const depends_on[] = { NULL };\n\n'
                'void upgrade(ag_op *op)\n{\n    ag_execute(op, "UPDATE counter SET n = n + 1");\n}\n\n'
                'void downgrade(ag_op *op)\n{\n    ag_execute(op, "UPDATE counter SET n = n - 1");\n}\n'
                % (msg, r, r, downs))
    down = repr(tuple(parents)) if len(parents) > 1 else repr(parents[0] if parents else None)
    with open(os.path.join(d, "al", "versions", r + ".py"), "w") as f:
        f.write('"""%s"""\nfrom alembic import op\n\nrevision = %r\ndown_revision = %s\n'
                'branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n'
                '    op.execute("UPDATE counter SET n = n + 1")\n\n\ndef downgrade():\n'
                '    op.execute("UPDATE counter SET n = n - 1")\n' % (msg, r, down))
with open(os.path.join(d, "al", "alembic.ini"), "w") as f:
    f.write("[alembic]\nscript_location = .\nsqlalchemy.url = sqlite:///app.db\n")
with open(os.path.join(d, "al", "env.py"), "w") as f:
    f.write("""from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
""")
with open(os.path.join(d, "al", "script.py.mako"), "w") as f:
    f.write("")
PY
        # Both databases stamped at the head, so `current` reads a real version table.
        (cd "$d/ag" && "$AUTOGEN" -q stamp heads)
        (cd "$d/al" && $PY -m alembic stamp heads >/dev/null 2>&1)
        (cd "$d/ag" && "$AUTOGEN" -q upgrade --sql head >/dev/null) # warm the object cache
        for cmd in heads history current "upgrade head --sql"; do
            # shellcheck disable=SC2086
            a=$(timeit "$d/ag" "$AUTOGEN" $cmd)
            # shellcheck disable=SC2086
            b=$(timeit "$d/al" $PY -m alembic $cmd)
            s=$(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 1) }')
            echo "| $n | $shape | \`$cmd\` | $a | $b | $s |"
        done
    done
done
