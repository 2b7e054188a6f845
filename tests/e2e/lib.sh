# lib.sh - helpers for the end-to-end tests: each test builds a throwaway
# project in a temp dir and drives the real `autogen` binary ($AUTOGEN)
# against a real SQLite file.
set -euo pipefail

: "${AUTOGEN:?AUTOGEN must name the autogen binary}"
: "${AG_TEST_SRC:?AG_TEST_SRC must name the source tree}"
export AUTOGEN_DATE="2026-01-01 00:00:00"
unset AUTOGEN_URL

T=$(mktemp -d "${TMPDIR:-/tmp}/autogen-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export AUTOGEN_CACHE_DIR="$T/.cache"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# ag ARGS...: run autogen in the project, output in $T/out, $T/err; status in $rc.
ag() {
    set +e
    (cd "$T/p" && "$AUTOGEN" "$@") >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    return 0
}

# expect STATUS ARGS...: run autogen and require the exit status.
expect() {
    local want=$1
    shift
    ag "$@"
    if [ "$rc" -ne "$want" ]; then
        echo "--- stdout" >&2; cat "$T/out" >&2
        echo "--- stderr" >&2; cat "$T/err" >&2
        fail "autogen $* exited $rc, expected $want"
    fi
}

# The backend: SQLite files by default; AG_BACKEND=pg uses a fresh database on
# the cluster ctest started (AG_PG_URL_FILE), one per test.
AG_BACKEND=${AG_BACKEND:-sqlite}
if [ "$AG_BACKEND" = pg ]; then
    : "${AG_PG_URL_FILE:?AG_PG_URL_FILE must name the URL file of the test cluster}"
    pg_base=$(cat "$AG_PG_URL_FILE")
    pg_host=${pg_base#*\?host=}
    pg_db="t_$(basename "$T" | tr -c 'a-zA-Z0-9\n' _ | tr 'A-Z' 'a-z')"
    PG_URL="postgresql://postgres@/$pg_db?host=$pg_host"
    psql -X -q -v ON_ERROR_STOP=1 "$pg_base" -c "CREATE DATABASE $pg_db" >/dev/null
    echo "$pg_db" >"$T/databases"
    drop_databases() {
        local name
        while read -r name; do
            psql -X -q "$pg_base" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
        done <"$T/databases"
        rm -rf "$T"
    }
    trap drop_databases EXIT
    export AUTOGEN_URL=$PG_URL
fi

# pg_other_db SUFFIX: another empty database on the test cluster, dropped at
# exit like the test's own; prints its URL.
pg_other_db() {
    local name="${pg_db}_$1"
    psql -X -q -v ON_ERROR_STOP=1 "$pg_base" -c "CREATE DATABASE $name" >/dev/null
    echo "$name" >>"$T/databases"
    echo "postgresql://postgres@/$name?host=$pg_host"
}

# psql_file URL FILE: run an SQL script, stopping at its first error (shown).
psql_file() {
    psql -X -q -v ON_ERROR_STOP=1 "$1" -f "$2" >/dev/null 2>"$T/psql.err" ||
        { cat "$T/psql.err" >&2; fail "psql could not run $2"; }
}

# new_project: an initialized project in $T/p using $T/p/app.db (or the test's
# PostgreSQL database).
new_project() {
    rm -rf "$T/p"
    mkdir -p "$T/p"
    expect 0 init
}

# add_sql FILE upgrade|downgrade SQL...: fill that function of a migration
# written by `revision --empty` with the statements (each an ag_execute).
add_sql() {
    python3 - "$@" <<'PY'
import json, sys
path, fn, stmts = sys.argv[1], sys.argv[2], sys.argv[3:]
s = open(path).read()
i = s.index("void downgrade")
body = "\n    ".join("ag_execute(op, %s);" % json.dumps(x) for x in stmts)
if fn == "upgrade":
    s = s[:i].replace("(void)op;", body, 1) + s[i:]
else:
    s = s[:i] + s[i:].replace("(void)op;", body, 1)
open(path, "w").write(s)
PY
}

# outside FILE: declare that the migration runs outside a transaction.
outside() {
    printf '\nconst int transactional = 0;\n' >>"$1"
}

# use_models FILE...: replace the project's models with these files.
use_models() {
    rm -f "$T/p/models/"*.yaml
    for f in "$@"; do cp "$f" "$T/p/models/"; done
}

db() {
    if [ "$AG_BACKEND" = pg ]; then
        if [ $# -gt 0 ]; then
            psql -X -q -t -A -v ON_ERROR_STOP=1 "$PG_URL" -c "$*"
        else
            psql -X -q -t -A -v ON_ERROR_STOP=1 "$PG_URL"
        fi
    else
        sqlite3 -batch -bail "$T/p/app.db" "$@"
    fi
}

# The user tables, by name (not autogen's version table and run log).
user_tables() {
    if [ "$AG_BACKEND" = pg ]; then
        db "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
            AND table_type = 'BASE TABLE'
            AND table_name NOT IN ('autogen_version', 'autogen_run_log') ORDER BY 1"
    else
        db "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'
            AND name NOT IN ('autogen_version', 'autogen_run_log') ORDER BY name"
    fi
}

# The schema as the database keeps it, in a stable order.
dump_schema() {
    if [ "$AG_BACKEND" = pg ]; then
        pg_dump --schema-only --no-owner --no-privileges "$PG_URL" |
            grep -v -e '^-- Dumped' -e '^\\restrict' -e '^\\unrestrict'
    else
        db "SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    fi
}

# Every row of every user table, in a stable order.
dump_rows() {
    local t
    for t in $(user_tables); do
        echo "== $t"
        if [ "$AG_BACKEND" = pg ]; then
            db "COPY (SELECT * FROM \"$t\" ORDER BY 1) TO STDOUT"
        else
            db "SELECT * FROM \"$t\" ORDER BY rowid"
        fi
    done
}

count_rows() {
    db "SELECT count(*) FROM \"$1\""
}

versions_count() {
    find "$T/p/alembic_like/versions" -name '*.c' | wc -l
}

assert_eq() {
    [ "$1" = "$2" ] || fail "${3:-values differ}: got '$1', expected '$2'"
}

assert_contains() {
    grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected '$2' in $1"; }
}
