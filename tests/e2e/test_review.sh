#!/usr/bin/env bash
# autogen review --base REF in real git repositories: a clean pull request, models
# changed without a migration, a head conflict against a moved REF (and both
# fixes: rebase, merge heads), the same revision id on both sides, an applied
# migration edited or deleted, a missing REF, a shallow clone, a project in a
# subfolder of the repository, uncommitted files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/review_lib.sh"
new_project
table_model users name "string(100)"
migrate base01 "users"
git_project

# A clean pull request: one migration, models and history agree.
g checkout -q -b feature
table_model posts title text
migrate post01 "posts"
g add -A
g commit -q -m "posts"
expect 0 review --base main
assert_contains "$T/out" "Migrations: 1 added, 0 modified, 0 removed"
assert_contains "$T/out" "added post01  posts"
assert_contains "$T/out" 'CREATE TABLE "posts"'
assert_contains "$T/out" "Graph merged with main: one head (post01)"
assert_contains "$T/out" "Replay: the migrations bring a database to the models"
assert_contains "$T/out" "0 errors"

# Uncommitted and untracked files are what is reviewed: models changed, no migration.
table_model tags label text
expect 1 review --base main
assert_contains "$T/out" "[models-without-migration]"
assert_contains "$T/out" "autogen revision -m"
assert_contains "$T/out" "create table 'tags'"
# Once the migration exists (untracked), the review passes again.
migrate tag01 "tags"
expect 0 review --base main
assert_contains "$T/out" "Migrations: 2 added"
# A migration that leaves the models unmet: the difference is listed.
table_model tags label text color text
expect 1 review --base main
assert_contains "$T/out" "[migrations-leave-differences]"
assert_contains "$T/out" "add column 'tags.color'"
# --scratch: the same conclusion from a replay into a real (in-memory) database.
expect 1 review --base main --scratch
assert_contains "$T/out" "[migrations-leave-differences]"
assert_contains "$T/out" "(on a scratch database)"
table_model tags label text
g add -A
g commit -q -m "tags"

# REF moves: another branch from the same head is merged into main first.
g checkout -q main
g checkout -q -b other
table_model comments body text
migrate com01 "comments"
g add -A
g commit -q -m "comments"
g checkout -q main
g merge -q --no-ff other -m "merge other"
g checkout -q feature
expect 1 review --base main
assert_contains "$T/out" "post01 revises base01, but main's head is now com01 [stale-down-revision]"
assert_contains "$T/out" "autogen rebase --base main"
assert_contains "$T/out" "autogen merge heads"
assert_contains "$T/out" "the merge is safe [disjoint-tables]"
# The user merges main in git: the files merge silently, the graph has two heads.
g merge -q --no-edit main
expect 1 review --base main
assert_contains "$T/out" "2 heads"
g branch feature-before-rebase
rm -f "$T/p/app.db"
expect 0 rebase --base main
assert_contains "$T/out" "Rebased post01: base01 -> com01"
assert_contains "$T/out" "Graph merged with main: one head (tag01)"
grep -q 'down_revision\[\] = { "com01", NULL }' "$T/p/alembic_like/versions/post01_posts.c" ||
    fail "post01's down_revision not rewritten"
grep -q 'Revises: com01' "$T/p/alembic_like/versions/post01_posts.c" ||
    fail "post01's Revises line not rewritten"
expect 0 review --base main
assert_contains "$T/out" "one head (tag01)"
expect 0 upgrade heads
expect 0 check
g commit -q -am "rebase onto main"
# The other fix: a merge revision.
g checkout -q -f feature-before-rebase
rm -f "$T/p/app.db"
expect 0 merge heads -m "merge main"
expect 0 review --base main
assert_contains "$T/out" "Graph merged with main: one head"

# A database that applied a revision rebase would move: refused, naming the downgrade.
g checkout -q -f feature-before-rebase
g clean -fdq
rm -f "$T/p/app.db"
expect 0 upgrade heads
before=$(cat "$T/p/alembic_like/versions/post01_posts.c")
expect 3 rebase --base main
assert_contains "$T/err" "has applied post01"
assert_contains "$T/err" "autogen downgrade tag01@-2"
assert_eq "$(cat "$T/p/alembic_like/versions/post01_posts.c")" "$before" "refused rebase rewrote"
expect 0 downgrade tag01@-2
expect 0 rebase --base main
expect 0 upgrade heads

# The same revision id added on both sides.
g checkout -q -f main
g clean -fdq
g checkout -q -b dup-main
table_model audit at timestamp
migrate same01 "audit"
g add -A
g commit -q -m "audit"
g checkout -q main
g checkout -q -b dup-feature
table_model notes body text
migrate same01 "notes"
g add -A
g commit -q -m "notes"
expect 1 review --base dup-main
assert_contains "$T/out" "revision same01 is added on both sides: dup-main adds"
assert_contains "$T/out" "[duplicate-revision]"

# An applied migration edited here, and one deleted.
g checkout -q -f main
g checkout -q -b edit
sed -i 's/"string(100)"/"string(200)"/; s/VARCHAR(100)/VARCHAR(200)/' \
    "$T/p/alembic_like/versions/base01_users.c"
expect 1 review --base main
assert_contains "$T/out" "modified base01"
assert_contains "$T/out" "[edited-migration]"
g checkout -q -f main
g checkout -q -b delete
rm "$T/p/alembic_like/versions/com01_comments.c" "$T/p/models/comments.yaml"
expect 1 review --base main
assert_contains "$T/out" "removed com01"
assert_contains "$T/out" "[deleted-migration]"
g checkout -q -f main

# Hand-written SQL the offline replay cannot judge fails on a scratch database.
g checkout -q -f main
g checkout -q -b raw
rm -f "$T/p/app.db"
expect 0 upgrade heads
expect 0 revision --empty -m "raw" --rev-id raw01
add_sql "$T/p/alembic_like/versions/raw01_raw.c" upgrade "UPDATE no_such_table SET x = 1"
expect 0 review --base main
expect 1 review --base main --scratch
assert_contains "$T/out" "[replay-failed]"
assert_contains "$T/out" "no_such_table"
expect 2 review --base main --scratch --dialect sqlite
g checkout -q -f main
g clean -fdq

# --no-merge-base compares with REF itself; --fail-on lowers the bar.
g checkout -q feature
expect 0 review --base main --no-merge-base
expect 0 review --base feature --no-merge-base
expect 1 review --base feature-before-rebase --no-merge-base --fail-on info --format json
assert_contains "$T/out" '"fail_on": "info", "failed": true'

# A missing REF, a bad option, no repository: exit 3 and 2.
expect 3 review --base no-such-branch
assert_contains "$T/err" "no git revision 'no-such-branch'"
expect 2 review
expect 2 review --base main --format yaml
expect 2 review --base main --fail-on never
rm -rf "$T/nogit"
cp -r "$T/p" "$T/nogit"
rm -rf "$T/nogit/.git"
set +e
(cd "$T/nogit" && "$AUTOGEN" review --base main) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 3 "review outside a repository"
assert_contains "$T/err" "is not in a git repository"

# HEAD~N and a sha are revisions too.
g checkout -q main
expect 0 review --base HEAD~1 --no-merge-base
expect 0 review --base "$(git -C "$T/p" rev-parse HEAD)"

# A shallow clone whose history lacks the merge base: fetch more, exit 3.
g checkout -q -f main
g checkout -q -b shallow-ref
echo "ref side" >"$T/p/NOTES"
g add -A
g commit -q -m "ref side"
g checkout -q main
g checkout -q -b shallow-feature
echo "feature side" >"$T/p/NOTES"
g add -A
g commit -q -m "feature side"
rm -rf "$T/shallow"
git clone -q --depth 1 --single-branch --branch shallow-feature "file://$T/p" "$T/shallow"
git -C "$T/shallow" fetch -q --depth 1 origin shallow-ref:refs/remotes/origin/shallow-ref
set +e
(cd "$T/shallow" && "$AUTOGEN" review --base origin/shallow-ref) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 3 "review in a shallow clone"
assert_contains "$T/err" "shallow"
assert_contains "$T/err" "git fetch --deepen"
# With the history fetched, the same review runs.
git -C "$T/shallow" fetch -q --unshallow origin
set +e
(cd "$T/shallow" && "$AUTOGEN" review --base origin/shallow-ref) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 0 "review once the history is fetched"
g checkout -q -f main

# A project in a subfolder of a larger repository.
rm -rf "$T/mono"
mkdir -p "$T/mono/services"
git -C "$T/mono" init -q -b main
echo "# monorepo" >"$T/mono/README.md"
cp -r "$T/p" "$T/mono/services/db"
rm -rf "$T/mono/services/db/.git" "$T/mono/services/db/app.db"
git -C "$T/mono" add -A
git -C "$T/mono" commit -q -m "monorepo"
git -C "$T/mono" checkout -q -b mono-feature
cat >"$T/mono/services/db/models/labels.yaml" <<'YAML'
tables:
  labels:
    columns:
      id: { type: bigint, primary_key: true }
YAML
set +e
(cd "$T/mono/services/db" && "$AUTOGEN" review --base main) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 1 "review in a subfolder: models changed"
assert_contains "$T/out" "create table 'labels'"
assert_contains "$T/out" "[models-without-migration]"
(cd "$T/mono/services/db" && "$AUTOGEN" upgrade heads >/dev/null 2>&1 &&
    "$AUTOGEN" revision -m labels --rev-id lab01 >/dev/null)
set +e
(cd "$T/mono/services/db/models" && "$AUTOGEN" review --base main --format json) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 0 "review in a subfolder with its migration"
assert_contains "$T/out" '"project_dir": "services/db/"'
assert_contains "$T/out" '"path": "services/db/alembic_like/versions/lab01_labels.c"'
echo "ok"
