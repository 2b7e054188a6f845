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

# new_project: an initialized project in $T/p using $T/p/app.db.
new_project() {
    rm -rf "$T/p"
    mkdir -p "$T/p"
    expect 0 init
}

# use_models FILE...: replace the project's models with these files.
use_models() {
    rm -f "$T/p/models/"*.yaml
    for f in "$@"; do cp "$f" "$T/p/models/"; done
}

db() {
    sqlite3 -batch -bail "$T/p/app.db" "$@"
}

# The schema as SQLite stores it, in a stable order.
dump_schema() {
    db "SELECT type, name, tbl_name, sql FROM sqlite_master
        WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
}

# Every row of every user table, in a stable order.
dump_rows() {
    local t
    for t in $(db "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'
                   AND name <> 'autogen_version' ORDER BY name"); do
        echo "== $t"
        db "SELECT * FROM \"$t\" ORDER BY rowid"
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
