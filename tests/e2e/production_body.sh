# production_body.sh - the production guard and dry runs (README, "Running in
# production"), on the backend lib.sh chose; sourced by test_production.sh
# (SQLite) and test_pg_production.sh (PostgreSQL).
new_project
V=$T/p/alembic_like/versions

# The state that must not move: schema, rows and version table.
snapshot() {
    dump_schema >"$T/$1.schema"
    dump_rows >"$T/$1.rows"
    db "SELECT version_num FROM autogen_version ORDER BY 1" >"$T/$1.version" 2>/dev/null || true
}
unchanged() {
    snapshot after
    for k in schema rows version; do
        cmp -s "$T/$1.$k" "$T/after.$k" || { diff "$T/$1.$k" "$T/after.$k" >&2 || true; fail "$2: $k changed"; }
    done
}
environment() {
    sed -i '/^environment:/d' "$T/p/autogen.yaml"
    [ -z "$1" ] || echo "environment: $1" >>"$T/p/autogen.yaml"
}

cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id:       { type: integer, primary_key: true }
      email:    { type: string(100), nullable: false }
      nickname: { type: string(50) }
YAML
expect 0 revision -m one --rev-id aaa001
expect 0 upgrade
db "INSERT INTO users (id, email, nickname) VALUES (1, 'a@x', 'ann'), (2, 'b@x', 'bob')"
sed -i '/nickname/d' "$T/p/models/m.yaml"
expect 0 revision -m "drop nickname" --rev-id bbb002

# Production: an upgrade that drops a column refuses, naming the file, the
# operation and the flag, and runs nothing.
environment production
snapshot s1
expect 3 upgrade
assert_contains "$T/err" "production"
assert_contains "$T/err" "--allow-destructive"
assert_contains "$T/err" "alembic_like/versions/bbb002_drop_nickname.c: drop column 'users.nickname'"
unchanged s1 "refused upgrade"
# A dry run is guarded too: it runs the same statements.
expect 3 upgrade --dry-run
assert_contains "$T/err" "--allow-destructive"
# AUTOGEN_ENV overrides the file.
AUTOGEN_ENV=staging expect 0 upgrade --dry-run
assert_contains "$T/out" "rehearsed upgrade to alembic_like/versions/bbb002_drop_nickname.c"
assert_contains "$T/out" "rolled back"
unchanged s1 "dry run"
# The flag allows it.
expect 0 upgrade --allow-destructive
assert_eq "$(db "SELECT version_num FROM autogen_version")" bbb002 "version after the allowed upgrade"
assert_eq "$(count_rows users)" 2 "rows after dropping the column"
# Reverting the drop adds the column back: nothing destroyed, so it runs.
expect 0 downgrade -1
assert_eq "$(db "SELECT version_num FROM autogen_version")" aaa001 "version after downgrade -1"

# The file says development; AUTOGEN_ENV=production still guards.
environment development
snapshot s2
AUTOGEN_ENV=production expect 3 upgrade
assert_contains "$T/err" "drop column 'users.nickname'"
unchanged s2 "upgrade refused through AUTOGEN_ENV"
expect 0 upgrade
assert_eq "$(db "SELECT version_num FROM autogen_version")" bbb002 "version in development"

# Production: downgrade base and stamps that drop applied revisions refuse.
environment production
snapshot s3
expect 3 downgrade base
assert_contains "$T/err" "'downgrade base'"
assert_contains "$T/err" "--allow-destructive"
unchanged s3 "refused downgrade base"
expect 3 stamp aaa001
assert_contains "$T/err" "bbb002"
assert_contains "$T/err" "--allow-destructive"
unchanged s3 "refused stamp"
expect 3 stamp base
expect 3 stamp --purge aaa001
unchanged s3 "refused stamps"
expect 0 stamp bbb002 # keeps what the table holds
expect 0 stamp --purge bbb002
unchanged s3 "stamp onto the same revision"
expect 0 stamp --allow-destructive aaa001
assert_eq "$(db "SELECT version_num FROM autogen_version")" aaa001 "stamp with the flag"
AUTOGEN_ENV=development expect 0 stamp bbb002
assert_eq "$(db "SELECT version_num FROM autogen_version")" bbb002 "stamp in development"

# The setting is validated: a non-empty string.
environment '""'
expect 3 current
assert_contains "$T/err" "autogen.yaml:"
assert_contains "$T/err" "'environment' must be a non-empty string"
environment development

# Dry run: a migration that fails is named, and nothing of the ones before it
# (rows, a table, the version table) is kept.
expect 0 revision --empty -m "more rows" --rev-id ccc003
add_sql "$V/ccc003_more_rows.c" upgrade \
    "INSERT INTO users (id, email) VALUES (100, 'c@x')" "CREATE TABLE audit (id INTEGER PRIMARY KEY)"
expect 0 revision --empty -m "broken" --rev-id ddd004
add_sql "$V/ddd004_broken.c" upgrade "INSERT INTO no_such_table VALUES (1)"
snapshot s4
expect 3 upgrade --dry-run
assert_contains "$T/out" "rehearsed upgrade to alembic_like/versions/ccc003_more_rows.c ("
assert_contains "$T/out" "FAILED upgrade to alembic_like/versions/ddd004_broken.c ("
assert_contains "$T/err" "alembic_like/versions/ddd004_broken.c"
assert_contains "$T/err" "nothing was kept"
unchanged s4 "failed dry run"
# Downgrades rehearse too.
expect 0 downgrade --dry-run aaa001
assert_contains "$T/out" "rehearsed downgrade of alembic_like/versions/bbb002_drop_nickname.c"
unchanged s4 "downgrade dry run"
expect 2 upgrade --dry-run --sql

# A transactional = 0 migration: PostgreSQL would run it outside the
# transaction, so the rehearsal stops before it; SQLite runs it inside.
sed -i 's/INSERT INTO no_such_table VALUES (1)/UPDATE users SET email = upper(email)/' "$V/ddd004_broken.c"
expect 0 revision --empty -m "outside" --rev-id eee005
add_sql "$V/eee005_outside.c" upgrade "CREATE INDEX ix_users_email ON users (email)"
outside "$V/eee005_outside.c"
expect 0 upgrade --dry-run
assert_contains "$T/out" "rehearsed upgrade to alembic_like/versions/ddd004_broken.c"
if [ "$AG_BACKEND" = pg ]; then
    assert_contains "$T/out" "stopped before alembic_like/versions/eee005_outside.c"
    assert_contains "$T/out" "2 migration(s) before it were rehearsed"
else
    assert_contains "$T/out" "rehearsed upgrade to alembic_like/versions/eee005_outside.c"
fi
unchanged s4 "dry run up to a transactional = 0 migration"
# For real, everything runs.
expect 0 upgrade
assert_eq "$(db "SELECT version_num FROM autogen_version")" eee005 "version after the real upgrade"
assert_eq "$(db "SELECT email FROM users WHERE id = 100")" "C@X" "rows after the real upgrade"

# A table made by hand before autogen, as an ORM writes it, dropped by a
# hand-written migration: the guard sees the drop and the rows stay.
if [ "$AG_BACKEND" = pg ]; then
    db "CREATE TABLE legacy_orders (id SERIAL PRIMARY KEY, total NUMERIC(10,2) NOT NULL)"
else
    db "CREATE TABLE \"legacy_orders\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"total\" decimal NOT NULL)"
fi
db "INSERT INTO legacy_orders (total) VALUES (9.50), (12.00)"
expect 0 revision --empty -m "drop legacy" --rev-id fff006
sed -i '0,/(void)op;/s//ag_drop_table(op, "legacy_orders");/' "$V/fff006_drop_legacy.c"
environment production
snapshot s5
expect 3 upgrade
assert_contains "$T/err" "alembic_like/versions/fff006_drop_legacy.c: drop table 'legacy_orders'"
unchanged s5 "refused drop of a hand-made table"
assert_eq "$(count_rows legacy_orders)" 2 "rows of the hand-made table"
