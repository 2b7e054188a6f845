#!/usr/bin/env bash
# AG_INDEX(.concurrently = 1) and ag_drop_index_concurrently (docs/lint.md,
# pg-index-not-concurrent): in a `transactional = 0` migration PostgreSQL builds
# and drops the index with CONCURRENTLY on a table with rows, online and in
# `upgrade --sql`; the offline replay keeps the index, so `check` and the
# models agree; in a transactional migration PostgreSQL refuses it, as the
# pg-concurrently-in-transaction rule says beforehand.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: string(100) }
YAML
expect 0 revision -m one --rev-id one000
expect 0 upgrade
db "INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 500) g"

# The models gain an index; the generated migration is edited to build it concurrently.
sed -i 's/email: { type: string(100) }/email: { type: string(100), index: true }/' "$T/p/models/m.yaml"
expect 0 revision -m "email index" --rev-id two000
m="$V/two000_email_index.c"
grep -q 'ag_create_index(op, "users", "ix_users_email", AG_COLS("email"), NULL);' "$m" ||
    { cat "$m"; fail "unexpected generated index call"; }
sed -i -e 's/AG_COLS("email"), NULL);/AG_COLS("email"), AG_INDEX(.concurrently = 1));/' \
    -e 's/ag_drop_index(op, "users", "ix_users_email");/ag_drop_index_concurrently(op, "users", "ix_users_email");/' "$m"
grep -q 'ag_drop_index_concurrently' "$m" || { cat "$m"; fail "downgrade not edited"; }

# In a transactional migration PostgreSQL refuses it: the migration fails, nothing stays.
expect 3 upgrade
assert_contains "$T/err" "CONCURRENTLY cannot run inside a transaction block"
assert_eq "$(db "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_email'")" 0

outside "$m"
expect 0 upgrade --sql one000:two000
assert_contains "$T/out" 'CREATE INDEX CONCURRENTLY "ix_users_email" ON "users" ("email")'
expect 0 upgrade
assert_eq "$(db "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_users_email'")" \
    "CREATE INDEX ix_users_email ON public.users USING btree (email)"
assert_eq "$(db "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_users_email'::regclass")" t
expect 0 check
expect 0 downgrade --sql two000:one000
assert_contains "$T/out" 'DROP INDEX CONCURRENTLY "ix_users_email"'
expect 0 downgrade -1
assert_eq "$(db "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_email'")" 0
expect 0 upgrade
expect 0 check
