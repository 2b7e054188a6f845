#!/usr/bin/env bash
# PostgreSQL work that cannot run inside a transaction: autogenerate puts enum
# values that the same change uses into a revision of their own declaring
# `transactional = 0`; the runner runs such a revision between two transactions
# (also hand-written ones, e.g. CREATE INDEX CONCURRENTLY) and says what stays
# when one fails; `upgrade --sql` prints it outside BEGIN/COMMIT, and the
# offline script, run by psql on an empty database, gives the same schema as
# `upgrade`.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions

cat >"$T/p/models/m.yaml" <<'YAML'
enums:
  user_status: [active, banned]
tables:
  users:
    columns:
      id:     { type: integer, primary_key: true }
      status: { type: enum(user_status), default: active }
YAML
expect 0 revision -m one --rev-id one000
expect 0 upgrade
db "INSERT INTO users (id) VALUES (1), (2)"

# A value added and used as the default in one change: two revisions.
sed -i -e 's/\[active, banned\]/[active, banned, pending]/' -e 's/default: active/default: pending/' \
    "$T/p/models/m.yaml"
expect 0 revision -m "pending by default" --rev-id two000 --format json
python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["paths"]) == 2, r
assert r["path"] == r["paths"][1] and "two000_" in r["path"], r
assert r["changes"] == 2, r
PY
assert_contains "$T/err" "a revision of their own that runs outside a transaction"
first=$(ls "$V"/*_pending_by_default_new_enum_values.c)
assert_contains "$first" 'const char *const down_revision[] = { "one000", NULL };'
assert_contains "$first" 'ag_add_enum_value(op, "user_status", "pending");'
# ${transactional} in the template places the declaration under the header.
grep -A2 '^const char \*const depends_on' "$first" | grep -q 'const int transactional = 0;' ||
    fail "the declaration is not under depends_on in $first"
second=$V/two000_pending_by_default.c
grep -q transactional "$second" && fail "$second runs in a transaction and says otherwise"
grep -q 'ag_add_enum_value' "$second" && fail "the enum value is in $second too"
first_id=$(basename "$first" | cut -d_ -f1)
assert_contains "$second" "{ \"$first_id\", NULL }"
expect 0 upgrade
assert_eq "$(db "SELECT version_num FROM autogen_version")" two000 "version after upgrade"
assert_eq "$(db "SELECT column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'status'")" \
    "'pending'::user_status" "new default"
expect 0 check
# Dropping the value again fails while a row holds it: the type is rebuilt in
# a transaction of its own, so nothing of it stays.
db "INSERT INTO users (id) VALUES (3)"
expect 3 downgrade one000
assert_contains "$T/err" "downgrade of $first_id failed outside a transaction"
assert_contains "$T/err" "0 statement(s) ran before the failure"
assert_eq "$(db "SELECT version_num FROM autogen_version")" "$first_id" "version after the failed downgrade"
assert_eq "$(db "SELECT string_agg(typname, ',' ORDER BY typname) FROM pg_type WHERE typname LIKE 'user_status%' AND typtype = 'e'")" \
    "user_status" "no half-rebuilt enum type"
assert_eq "$(db "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum")" "active,banned,pending" "values after the failed downgrade"
db "DELETE FROM users WHERE id = 3"
expect 0 downgrade one000
assert_eq "$(db "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum")" "active,banned" "values after downgrade"
expect 0 upgrade

# A value added but not used stays in the one revision.
sed -i 's/pending\]/pending, gone]/' "$T/p/models/m.yaml"
expect 0 revision -m "unused value" --rev-id three0
assert_eq "$(wc -l <"$T/out")" 1 "one file for a value nothing uses"
grep -q transactional "$V/three0_unused_value.c" && fail "an unused value needs no revision of its own"
expect 0 upgrade

# A hand-written migration PostgreSQL refuses inside a transaction block.
expect 0 revision --empty -m concurrently --rev-id conc00
add_sql "$V/conc00_concurrently.c" upgrade "CREATE INDEX CONCURRENTLY ix_users_status ON users (status)"
add_sql "$V/conc00_concurrently.c" downgrade "DROP INDEX CONCURRENTLY ix_users_status"
outside "$V/conc00_concurrently.c"
expect 0 upgrade
assert_eq "$(db "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_status'")" 1 "index built concurrently"
printf '    indexes:\n      - { name: ix_users_status, columns: [status] }\n' >>"$T/p/models/m.yaml"
expect 0 check
expect 0 downgrade -1
assert_eq "$(db "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_status'")" 0 "index dropped concurrently"
expect 0 upgrade

# One that fails at its second statement: the first stays, the version does not move.
expect 0 revision --empty -m "half" --rev-id half00
add_sql "$V/half00_half.c" upgrade "CREATE TABLE step1 (a int)" "INSERT INTO nope VALUES (1)"
outside "$V/half00_half.c"
expect 3 upgrade
assert_contains "$T/err" "failed outside a transaction (it declares transactional = 0): 1 statement(s) ran"
assert_contains "$T/err" "the version table stays at conc00"
assert_contains "$T/err" "run 'autogen stamp half00', or undo those statements"
assert_contains "$T/err" 'relation "nope" does not exist'
assert_eq "$(db "SELECT version_num FROM autogen_version")" conc00 "version after a failed outside migration"
assert_eq "$(db "SELECT count(*) FROM pg_tables WHERE tablename = 'step1'")" 1 "the statement that ran stays"
rm -f "$V/half00_half.c"
db "DROP TABLE step1"

# upgrade --sql: enum values and the concurrent index outside BEGIN/COMMIT.
expect 0 upgrade --sql
sql=$T/out
awk '/^BEGIN;/ { tx = 1 } /^COMMIT;/ { tx = 0 }
     /ADD VALUE IF NOT EXISTS 'pending'|CONCURRENTLY/ && tx { print "inside a transaction: " $0; bad = 1 }
     END { exit bad }' "$sql" || fail "non-transactional statements inside BEGIN/COMMIT"
assert_contains "$sql" "ALTER TYPE \"user_status\" ADD VALUE IF NOT EXISTS 'pending';"
# The offline script builds the same schema on an empty database.
off_url=$(pg_other_db off)
psql_file "$off_url" "$sql"
expect 0 current --url "$off_url"
assert_contains "$T/out" "conc00"
expect 0 check --url "$off_url"
pg_dump --schema-only --no-owner --no-privileges "$off_url" |
    grep -v -e '^-- Dumped' -e '^\\restrict' -e '^\\unrestrict' >"$T/off.schema"
dump_schema >"$T/on.schema"
diff "$T/on.schema" "$T/off.schema" >&2 || fail "the offline script built another schema"
# And back: downgrade --sql to base leaves nothing but the version table.
expect 0 downgrade --sql conc00:base
# The enum type is rebuilt inside a transaction there too, as online.
grep -B1 -F 'ALTER TYPE "user_status" RENAME TO "_ag_old_user_status"' "$T/out" | head -n 1 |
    grep -qx 'BEGIN;' || fail "the offline enum rebuild is not in a transaction"

psql_file "$off_url" "$T/out"
assert_eq "$(psql -X -q -t -A "$off_url" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public' AND relname <> 'autogen_version' AND relkind IN ('r', 'i', 'S') AND relname NOT LIKE 'autogen_version%' AND relname NOT LIKE 'autogen_run_log%'")" 0 "objects after the offline downgrade"
assert_eq "$(psql -X -q -t -A "$off_url" -c "SELECT count(*) FROM pg_type WHERE typname = 'user_status'")" 0 "enum after the offline downgrade"

# A template older than ${transactional}: the declaration goes at the end.
sed -i '/\${transactional}/d' "$T/p/alembic_like/script.c.tmpl"
sed -i -e 's/gone\]/gone, late]/' -e 's/default: pending/default: late/' "$T/p/models/m.yaml"
expect 0 revision -m late --rev-id late00
f=$(ls "$V"/*_late_new_enum_values.c)
assert_eq "$(tail -n 1 "$f")" "const int transactional = 0;" "declaration at the end"
expect 0 upgrade
expect 0 check
echo "ok: pg transactional"
