#!/usr/bin/env bash
# apply.sh [N] - apply N fresh one-operation migrations to an empty SQLite database:
# autogen (compiling every migration, then again with the compiled-object cache warm)
# vs Alembic (Debian's python3-alembic), side by side. Median of RUNS runs each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AUTOGEN=${AUTOGEN:-$here/../build/autogen}
PY=/usr/bin/python3
N=${1:-1000}
RUNS=${RUNS:-3}
[ -x "$AUTOGEN" ] || { echo "no autogen at $AUTOGEN: run scripts/setup.sh first" >&2; exit 1; }
$PY -c 'import alembic' 2>/dev/null || { echo "needs python3-alembic" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
once() { $PY "$here/timeit.py" --once "$@"; } # once DIR CMD...: ms of one run
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The same N migrations for both tools: migration i creates table t<i>.
(cd "$work" && mkdir ag al && cd ag && "$AUTOGEN" -q init >/dev/null)
$PY - "$work" "$N" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(work, "al", "versions"))
prev = None
for i in range(n):
    rev = "%012x" % (0xa0000000000 + i)
    down = '{ "%s", NULL }' % prev if prev else "{ NULL }"
    with open(os.path.join(work, "ag", "alembic_like", "versions", "%s_t%05d.c" % (rev, i)), "w") as f:
        f.write('''/* create t%05d
 *
 * Revision ID: %s
 */
#include <autogen/migration.h>

const char *const revision = "%s";
const char *const down_revision[] = %s;
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op)
{
    ag_create_table(op, "t%05d", AG_COL("id", "integer", .primary_key = 1), NULL);
}

void downgrade(ag_op *op)
{
    ag_drop_table(op, "t%05d");
}
''' % (i, rev, rev, down, i, i))
    with open(os.path.join(work, "al", "versions", "%s_t%05d.py" % (rev, i)), "w") as f:
        f.write('''"""create t%05d"""
from alembic import op
import sqlalchemy as sa

revision = %r
down_revision = %r
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t%05d", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("t%05d")
''' % (i, rev, prev, i, i))
    prev = rev
with open(os.path.join(work, "al", "alembic.ini"), "w") as f:
    f.write("[alembic]\nscript_location = .\nsqlalchemy.url = sqlite:///app.db\n")
with open(os.path.join(work, "al", "env.py"), "w") as f:
    f.write("""from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
""")
PY

fresh=() warm=() al=()
for _ in $(seq "$RUNS"); do
    rm -rf "$work/cache" "$work/ag/app.db"
    export AUTOGEN_CACHE_DIR="$work/cache"
    fresh+=($(once "$work/ag" "$AUTOGEN" -q upgrade head))
    (cd "$work/ag" && "$AUTOGEN" -q downgrade base)
    warm+=($(once "$work/ag" "$AUTOGEN" -q upgrade head))
    unset AUTOGEN_CACHE_DIR
    rm -f "$work/al/app.db"
    al+=($(once "$work/al" $PY -m alembic -c alembic.ini upgrade head))
done
tables=$(sqlite3 "$work/ag/app.db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 't%'")
altables=$(sqlite3 "$work/al/app.db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 't%'")
f=$(printf '%s\n' "${fresh[@]}" | median)
w=$(printf '%s\n' "${warm[@]}" | median)
a=$(printf '%s\n' "${al[@]}" | median)
echo "| migrations | autogen, fresh (ms) | autogen, cached (ms) | alembic (ms) | fresh vs alembic | cached vs alembic |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v n="$N" -v f="$f" -v w="$w" -v a="$a" \
    'BEGIN { printf "| %d | %.1f | %.1f | %.1f | %.1f× | %.1f× |\n", n, f, w, a, a / f, a / w }'
echo "(tables created: autogen $tables, alembic $altables)"
