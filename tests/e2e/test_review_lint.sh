#!/usr/bin/env bash
# Lint rules through `autogen review --base main` in a real git repository
# (docs/lint.md): findings at the file:line of the operation, on the dialect
# reviewed; tables the migration creates skipped; downgrade() findings as
# info; each suppression form and the unused-suppression finding;
# autogen.yaml `lint:` levels and their errors; the Markdown links and JSON.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Linter GIT_AUTHOR_EMAIL=linter@example.com
export GIT_COMMITTER_NAME=Linter GIT_COMMITTER_EMAIL=linter@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
V="$T/p/alembic_like/versions"

gitp() {
    git -C "$T/p" "$@" >/dev/null
}

# A hand-written schema on main: users, and orders referencing it ON DELETE CASCADE.
new_project
cat >"$T/p/models/shop.yaml" <<'EOF'
tables:
  users:
    columns:
      id: { type: bigint, primary_key: true }
      name: { type: text }
      age: { type: integer }
      email: { type: string(100) }
    indexes:
      - { columns: [name] }
  orders:
    columns:
      id: { type: bigint, primary_key: true }
      user_id: { type: bigint, references: users.id, on_delete: cascade }
      total: { type: "decimal(10,2)" }
EOF
expect 0 revision -m "shop" --rev-id base01
gitp init -q -b main
printf 'app.db\n.cache/\n' >"$T/p/.gitignore"
gitp add -A
gitp commit -q -m "shop"
gitp checkout -q -b feature
expect 0 upgrade heads

# models_without COLUMN: the models less users.COLUMN.
models_without() {
    grep -v "^      $1:" "$T/p/models/shop.yaml" >"$T/p/shop.tmp"
    mv "$T/p/shop.tmp" "$T/p/models/shop.yaml"
}

# line_of FILE TEXT: the line number of TEXT's first occurrence in FILE.
line_of() {
    grep -nF -- "$2" "$1" | head -1 | cut -d: -f1
}

# before FILE TEXT LINE: insert LINE just before the first line holding TEXT.
before() {
    python3 - "$@" <<'PY'
import sys
path, text, line = sys.argv[1:]
lines = open(path).read().split("\n")
i = next(i for i, l in enumerate(lines) if text in l)
lines.insert(i, line)
open(path, "w").write("\n".join(lines))
PY
}

# --- a destructive migration: error, at the line of the call ------------------------
cp "$T/p/models/shop.yaml" "$T/shop.v1"
models_without age
expect 0 revision -m "drop age" --rev-id r_age
m="$V/r_age_drop_age.c"
expect 1 review --base main
line=$(line_of "$m" 'ag_drop_column(op, "users", "age")')
assert_contains "$T/out" "alembic_like/versions/r_age_drop_age.c:$line: error: drops column 'users.age'"
assert_contains "$T/out" "[drop-column]"
assert_contains "$T/out" "safe alternative: stop using the column"
assert_contains "$T/out" "1 error"

# Markdown: the rule id links to its section of docs/lint.md; JSON names the rule and line.
expect 1 review --base main --format markdown
assert_contains "$T/out" "[\`drop-column\`](docs/lint.md#drop-column)"
assert_contains "$T/out" "r_age_drop_age.c:$line\`"
expect 1 review --base main --format json
python3 - "$T/out" "$line" <<'PY' || fail "JSON lint finding"
import json, sys
doc = json.load(open(sys.argv[1]))
f = [f for f in doc["findings"] if f["rule"] == "drop-column"]
assert len(f) == 1 and f[0]["severity"] == "error" and f[0]["lint"], f
assert f[0]["line"] == int(sys.argv[2]) and f[0]["path"].endswith("r_age_drop_age.c"), f
PY

# The section each rule links to exists in docs/lint.md.
for id in drop-table drop-column drop-schema narrow-type add-not-null-column set-not-null \
    add-unique drop-enum-value rename-table rename-column pg-index-not-concurrent \
    pg-constraint-not-valid pg-type-rewrite pg-volatile-default pg-concurrently-in-transaction \
    pg-missing-lock-timeout sqlite-table-rebuild sqlite-rebuild-cascade raw-sql unused-nolint; do
    grep -qx "### $id" "$AG_TEST_SRC/docs/lint.md" || fail "docs/lint.md has no section '$id'"
done

# --- suppressions ---------------------------------------------------------------------
# On the line before the operation, with a reason: nothing left, exit 0.
cp "$m" "$T/r_age.orig"
before "$m" 'ag_drop_column(op, "users", "age")' \
    '    /* autogen:nolint drop-column the app stopped reading age in v3 */'
expect 0 review --base main
if grep -qF "[drop-column]" "$T/out"; then fail "suppressed finding shown"; fi
assert_contains "$T/out" "0 errors"
# At file level (in the header comment).
cp "$T/r_age.orig" "$m"
before "$m" ' * Revision ID' ' * autogen:nolint drop-column age moved to the profiles service'
expect 0 review --base main
if grep -qF "[drop-column]" "$T/out"; then fail "file-level suppression ignored"; fi
# A suppression that silences nothing is itself a finding, at the comment's line.
cp "$T/r_age.orig" "$m"
before "$m" 'ag_drop_column(op, "users", "age")' '    /* autogen:nolint drop-table wrong rule */'
expect 1 review --base main
line=$(line_of "$m" 'autogen:nolint drop-table')
assert_contains "$T/out" "r_age_drop_age.c:$line: warning: autogen:nolint drop-table silences nothing"
assert_contains "$T/out" "[unused-nolint]"
assert_contains "$T/out" "[drop-column]"
cp "$T/r_age.orig" "$m"

# --- autogen.yaml lint: levels ----------------------------------------------------------
cp "$T/p/autogen.yaml" "$T/autogen.orig"
printf 'lint:\n  drop-column: warning\n  raw-sql: off\n' >>"$T/p/autogen.yaml"
expect 0 review --base main
assert_contains "$T/out" ": warning: drops column 'users.age'"
expect 1 review --base main --fail-on warning
# An unknown rule or level is an error naming the line of autogen.yaml.
cp "$T/autogen.orig" "$T/p/autogen.yaml"
printf 'lint:\n  drop-colum: warning\n' >>"$T/p/autogen.yaml"
expect 3 review --base main
lint_line=$(line_of "$T/p/autogen.yaml" 'drop-colum:')
assert_contains "$T/err" "autogen.yaml:$lint_line:3: error: unknown lint rule 'drop-colum'; did you mean 'drop-column'?"
cp "$T/autogen.orig" "$T/p/autogen.yaml"
printf 'lint:\n  drop-column: loud\n' >>"$T/p/autogen.yaml"
expect 3 review --base main
assert_contains "$T/err" "unknown level 'loud'; use off, info, warning or error"
cp "$T/autogen.orig" "$T/p/autogen.yaml"

# --- downgrade(): info at most; what the upgrade created is not judged -----------------
# r_age's downgrade adds age back (nullable): nothing to say. A migration
# adding a table and a column says nothing about dropping them again.
rm -f "$m"
cp "$T/shop.v1" "$T/p/models/shop.yaml"
rm -f "$T/p/app.db"
expect 0 upgrade heads
cat >>"$T/p/models/shop.yaml" <<'EOF'
  coupons:
    columns:
      id: { type: bigint, primary_key: true }
      code: { type: text, nullable: false }
    indexes:
      - { columns: [code], unique: true }
EOF
sed -i 's/^      email: { type: string(100) }/&\n      nickname: { type: text }/' "$T/p/models/shop.yaml"
expect 0 revision -m "coupons" --rev-id r_cp
expect 0 review --base main
if grep -qE "\[(drop-table|drop-column|add-unique|add-not-null-column)\]" "$T/out"; then
    fail "findings on what the migration creates"
fi
# A downgrade that drops an older column is said, as info.
before "$V/r_cp_coupons.c" 'ag_drop_table(op, "coupons")' '    ag_drop_column(op, "users", "age");'
expect 0 review --base main
assert_contains "$T/out" ": info: downgrade(): drops column 'users.age'"
rm -f "$V/r_cp_coupons.c"
cp "$T/shop.v1" "$T/p/models/shop.yaml"

# --- dialect-aware: an index on an existing table ----------------------------------------
sed -i 's/^      - { columns: \[name\] }/&\n      - { columns: [email] }/' "$T/p/models/shop.yaml"
expect 0 revision -m "email index" --rev-id r_ix
expect 1 review --base main --dialect postgresql --fail-on warning
line=$(line_of "$V/r_ix_email_index.c" "ag_create_index")
assert_contains "$T/out" "r_ix_email_index.c:$line: warning: CREATE INDEX 'ix_users_email' on existing table 'users' without CONCURRENTLY"
assert_contains "$T/out" "[pg-index-not-concurrent]"
expect 0 review --base main --fail-on warning # SQLite: nothing to say
if grep -qF "[pg-" "$T/out"; then fail "PostgreSQL rule on SQLite"; fi
rm -f "$V/r_ix_email_index.c"
cp "$T/shop.v1" "$T/p/models/shop.yaml"

# --- SQLite rebuilds, and the cascade they risk ------------------------------------------
sed -i 's/^      name: { type: text }/      name: { type: text, nullable: false, default: anon }/' \
    "$T/p/models/shop.yaml"
expect 0 revision -m "name required" --rev-id r_nn
expect 0 review --base main
assert_contains "$T/out" "rebuilds table 'users': SQLite copies every row (columns id, name, age, email)"
assert_contains "$T/out" "recreates its 1 index(es)"
assert_contains "$T/out" "[sqlite-table-rebuild]"
assert_contains "$T/out" "'orders' references it with foreign key 'fk_orders_user_id_users' ON DELETE CASCADE"
assert_contains "$T/out" "[sqlite-rebuild-cascade]"
assert_contains "$T/out" "makes 'users.name' NOT NULL"
assert_contains "$T/out" "[set-not-null]"
expect 1 review --base main --dialect postgresql --fail-on warning
if grep -qF "[sqlite-" "$T/out"; then fail "SQLite rule on PostgreSQL"; fi
assert_contains "$T/out" "[pg-missing-lock-timeout]"
# lock_timeout in autogen.yaml answers the lock rule.
printf 'lock_timeout: 2s\n' >>"$T/p/autogen.yaml"
expect 0 review --base main --dialect postgresql
if grep -qF "[pg-missing-lock-timeout]" "$T/out"; then fail "lock_timeout ignored"; fi
cp "$T/autogen.orig" "$T/p/autogen.yaml"
rm -f "$V/r_nn_name_required.c"
cp "$T/shop.v1" "$T/p/models/shop.yaml"

# --- hand-written SQL: shown, flagged as not checked ----------------------------------------
expect 0 revision -m "backfill" --rev-id r_sql --empty
add_sql "$V/r_sql_backfill.c" upgrade "UPDATE users SET name = 'n/a' WHERE name IS NULL"
expect 0 review --base main
assert_contains "$T/out" ": info: hand-written SQL is run as written"
assert_contains "$T/out" "SQL: UPDATE users SET name = 'n/a' WHERE name IS NULL"
assert_contains "$T/out" "[raw-sql]"
# CONCURRENTLY in a transactional migration fails on PostgreSQL: error; not outside one.
rm -f "$V/r_sql_backfill.c"
expect 0 revision -m "concurrent" --rev-id r_cc --empty
add_sql "$V/r_cc_concurrent.c" upgrade "CREATE INDEX CONCURRENTLY ix_e ON users (email)"
expect 1 review --base main --dialect postgresql
assert_contains "$T/out" "[pg-concurrently-in-transaction]"
outside "$V/r_cc_concurrent.c"
expect 0 review --base main --dialect postgresql
if grep -qF "[pg-concurrently-in-transaction]" "$T/out"; then fail "transactional = 0 ignored"; fi
