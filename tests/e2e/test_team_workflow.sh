#!/usr/bin/env bash
# The team workflow in a real git repository: two branches each add a migration on
# the same head; after both merge, there are two heads, autogenerate refuses and
# says how to proceed, `merge heads` joins them, and the database goes up through
# the merge and back down to an empty schema.
. "$(dirname "$0")/lib.sh"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.org
g() { git -C "$T/p" "$@" >/dev/null 2>&1; }

new_project
cat >"$T/p/models/users.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
printf 'app.db\nalembic_like/.cache/\n' >"$T/p/.gitignore"
expect 0 revision -m "users" --rev-id a00000000001
g init -q -b main && g add -A && g commit -qm base

g checkout -q -b feature-a
cat >"$T/p/models/invoices.yaml" <<'YAML'
tables:
  invoices:
    columns:
      id: { type: integer, primary_key: true }
YAML
rm -f "$T/p/app.db"; expect 0 upgrade
expect 0 revision -m "invoices" --rev-id b00000000002
g add -A && g commit -qm invoices

g checkout -q main && g checkout -q -b feature-b
cat >"$T/p/models/tags.yaml" <<'YAML'
tables:
  tags:
    columns:
      id: { type: integer, primary_key: true }
      name: { type: text, nullable: false }
YAML
rm -f "$T/p/app.db"; expect 0 upgrade
expect 0 revision -m "tags" --rev-id c00000000003
g add -A && g commit -qm tags

g checkout -q main && g merge -q --no-edit feature-a && g merge -q --no-edit feature-b
[ -f "$T/p/alembic_like/versions/b00000000002_invoices.c" ] &&
    [ -f "$T/p/alembic_like/versions/c00000000003_tags.c" ] || fail "git merge lost a migration"
rm -f "$T/p/app.db"

expect 0 heads
assert_eq "$(grep -c '(head)' "$T/out")" 2 "heads after the git merge"
expect 0 upgrade heads
expect 3 revision -m "too early"
assert_contains "$T/err" "the migrations have 2 heads (b00000000002, c00000000003)"
assert_contains "$T/err" "autogen merge heads -m"
expect 3 upgrade head
assert_contains "$T/err" "several heads"

expect 0 merge heads -m "merge feature branches" --rev-id d00000000004
assert_contains "$T/p/alembic_like/versions/d00000000004_merge_feature_branches.c" \
    '{ "b00000000002", "c00000000003", NULL }'
expect 0 heads
assert_eq "$(cat "$T/out")" "d00000000004 (head) (mergepoint)" "one head after the merge"
expect 0 upgrade heads
expect 0 current
assert_eq "$(cat "$T/out")" "d00000000004 (head) (mergepoint)" "current after the merge"
expect 0 check
expect 0 revision -m "after merge"
assert_contains "$T/out" "No changes detected"
expect 0 history
assert_contains "$T/out" "b00000000002, c00000000003 -> d00000000004 (head) (mergepoint), merge feature branches"
assert_contains "$T/out" "<base> -> a00000000001 (branchpoint), users"

expect 0 downgrade base
assert_eq "$(db "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT IN ('autogen_version', 'autogen_run_log')")" 0 "empty schema after downgrade base"
expect 0 current
assert_eq "$(cat "$T/out")" "" "current after downgrade base"
g add -A && g commit -qm merge
echo "ok: team workflow"
