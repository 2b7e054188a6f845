# pull_realistic_body.sh - the acceptance test of `autogen pull` on the
# realistic schemas of tests/e2e/pull/<backend>/*.sql (written by hand or as
# ORMs emit them, never by autogen), on the backend lib.sh chose; sourced by
# test_pull_realistic.sh (SQLite) and test_pg_pull_realistic.sh (PostgreSQL).
# For each schema: load it (with rows) -> pull -> `revision` says "No changes
# detected" and `check` exits 0 -> pull --force again is byte-identical -> a
# pull without --force refuses and changes nothing -> the models folder
# emptied, pull --baseline writes the same models and a first revision, and
# stamps the database at it -> `check --scratch` exits 0 (the baseline
# rebuilds the schema) and `revision` still finds nothing. Pull never writes
# to the database but for the stamp: schema and rows are compared throughout.
# Each schema also gets spot checks of what the YAML says (schema_checks).

M=$T/p/models
V=$T/p/alembic_like/versions

# The database as its users see it, without autogen's own tables.
if [ "$AG_BACKEND" = pg ]; then
    load_sql() { psql_file "$PG_URL" "$1"; }
    real_schema() {
        pg_dump --schema-only --no-owner --no-privileges -T '*.autogen_*' "$PG_URL" |
            grep -v -e '^-- Dumped' -e '^\\restrict' -e '^\\unrestrict'
    }
    all_tables() {
        db "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
            AND tablename NOT LIKE 'autogen\_%' ORDER BY 1"
    }
    real_rows() {
        local t
        for t in $(all_tables); do
            echo "== $t"
            db "COPY (SELECT * FROM $t ORDER BY 1) TO STDOUT"
        done
    }
else
    load_sql() { sqlite3 -batch -bail "$T/p/app.db" <"$1" || fail "sqlite3 could not run $1"; }
    real_schema() {
        db "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
            AND substr(tbl_name, 1, 8) <> 'autogen_' AND substr(tbl_name, 1, 4) <> '_ag_'
            ORDER BY type, name"
    }
    all_tables() {
        db "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND substr(name, 1, 8) <> 'autogen_' AND substr(name, 1, 4) <> '_ag_' ORDER BY name"
    }
    real_rows() {
        local t
        for t in $(all_tables); do
            echo "== $t"
            db "SELECT * FROM \"$t\" ORDER BY 1"
        done
    }
fi
snapshot() { real_schema >"$T/$1.schema"; real_rows >"$T/$1.rows"; }
unchanged() { # unchanged SNAPSHOT WHAT
    snapshot now
    local k
    for k in schema rows; do
        cmp -s "$T/$1.$k" "$T/now.$k" || { diff "$T/$1.$k" "$T/now.$k" >&2 || true; fail "$2: the $k changed"; }
    done
}
version_tables() {
    if [ "$AG_BACKEND" = pg ]; then
        db "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'autogen\_%'"
    else
        db "SELECT count(*) FROM sqlite_master WHERE substr(name, 1, 8) = 'autogen_'"
    fi
}
tree() { (cd "$M" && find . -type f | sort | xargs sha256sum); }
# yaml TABLE [SCHEMA]: the file pull wrote for a table.
yaml() { if [ -n "${2:-}" ]; then echo "$M/$2/$1.yaml"; else echo "$M/$1.yaml"; fi; }

schemas=("$AG_TEST_SRC/tests/e2e/pull/$AG_BACKEND"/*.sql)
[ "${#schemas[@]}" -ge 3 ] || fail "expected at least three realistic schemas, found ${#schemas[@]}"
for sql in "${schemas[@]}"; do
    name=$(basename "$sql" .sql)
    new_project
    rm -f "$M"/*
    if [ "$AG_BACKEND" = pg ]; then
        # A fresh database per schema, so that the schemas do not meet.
        PG_URL=$(pg_other_db "$name")
        export AUTOGEN_URL=$PG_URL
    fi
    load_sql "$sql"
    ntables=$(all_tables | wc -l)
    [ "$ntables" -ge 10 ] || fail "$name: only $ntables tables; a realistic schema has 10 or more"
    snapshot before

    # pull: one file per table, nothing written to the database.
    expect 0 pull
    assert_contains "$T/err" "pulled $ntables tables"
    nfiles=$(find "$M" -name '*.yaml' ! -name enums.yaml | wc -l)
    assert_eq "$nfiles" "$ntables" "$name: one model file per table"
    unchanged before "$name: pull"
    assert_eq "$(version_tables)" 0 "$name: pull created autogen's tables"
    schema_checks "$name"

    # The round trip.
    expect 0 revision -m "after pull"
    assert_eq "$(cat "$T/out")" "No changes detected" "$name: revision after pull"
    assert_eq "$(find "$V" -name '*.c' | wc -l)" 0 "$name: revision wrote a file"
    expect 0 check
    expect 0 diff
    assert_eq "$(cat "$T/out")" "No changes detected" "$name: diff after pull"

    # Two pulls are byte-identical; without --force nothing is overwritten.
    tree >"$T/first.tree"
    cp -r "$M" "$T/first.models"
    expect 0 pull --force
    tree >"$T/second.tree"
    cmp -s "$T/first.tree" "$T/second.tree" || { diff -r "$T/first.models" "$M" >&2 || true; fail "$name: a second pull differs"; }
    echo "# edited by hand" >>"$(find "$M" -name '*.yaml' | sort | head -n 1)"
    tree >"$T/edited.tree"
    expect 3 pull
    assert_contains "$T/err" "--force"
    tree >"$T/after.tree"
    cmp -s "$T/edited.tree" "$T/after.tree" || fail "$name: pull without --force changed the models"

    # Adoption: models and a baseline revision from the database, stamped there.
    rm -rf "$M" "$T/first.models"
    mkdir "$M"
    expect 0 pull --baseline -m "baseline" --rev-id base0
    tree >"$T/baseline.tree"
    cmp -s "$T/first.tree" "$T/baseline.tree" || fail "$name: pull --baseline wrote other models"
    f=$(ls "$V"/base0_*.c)
    assert_contains "$f" "ag_create_table(op,"
    expect 0 current
    assert_contains "$T/out" "base0 (head)"
    unchanged before "$name: pull --baseline (but the stamp)"
    expect 0 check --scratch
    assert_contains "$T/out" "No differences"
    expect 0 revision -m "after baseline"
    assert_eq "$(cat "$T/out")" "No changes detected" "$name: revision after the baseline"
    expect 0 upgrade --sql base0
    assert_contains "$T/out" "CREATE TABLE"
    unchanged before "$name: the end"
    echo "ok: $name"
done
