#!/usr/bin/env bash
# run.sh - the walkthrough of README.md in real git repositories under a
# temporary folder (this folder is only copied, never modified): a shared
# repository, Alice's and Bob's clones, two feature branches that each add a
# migration on the same head, the merge. Every step checks that it did what the
# README says; the script stops at the first one that did not.
#
#   AUTOGEN=/path/to/autogen ./run.sh      (default: autogen on PATH)
set -euo pipefail
AUTOGEN=${AUTOGEN:-autogen}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autogen-team.XXXXXX")
trap 'rm -rf "$work"' EXIT
unset AUTOGEN_URL AUTOGEN_ENV
export AUTOGEN_CACHE_DIR="$work/cache" NO_COLOR=1
# git as on a fresh machine: no user configuration, a fixed identity per person.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
as() {
    export GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$1@example.org GIT_COMMITTER_NAME=$1 \
        GIT_COMMITTER_EMAIL=$1@example.org
    cd "$work/$1"
    echo "== ($1)"
}
git() { command git -c init.defaultBranch=main -c advice.detachedHead=false "$@" >/dev/null 2>&1; }

fail() {
    echo "run.sh: FAILED: $*" >&2
    exit 1
}
# expect STATUS ARGS...: run autogen, show what it printed, require the status;
# stdout is in $work/out, stderr in $work/err.
expect() {
    local want=$1
    shift
    echo "\$ autogen $*"
    set +e
    "$AUTOGEN" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    set -e
    sed 's/^/  /' "$work/out" "$work/err"
    [ "$rc" = "$want" ] || fail "autogen $* exited $rc, expected $want"
}
has() { grep -qF -- "$2" "$1" || fail "expected '$2' in $(basename "$1")"; }
same() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }
tables() { sqlite3 -batch app.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'autogen_%' ORDER BY name)"; }
v=alembic_like/versions

echo "== 1. Release 0.1.0: the shared repository"
mkdir "$work/lead"
cp -r "$here/." "$work/lead/"
rm -rf "$work/lead/app.db" "$work/lead/alembic_like/.cache" "$work/lead/run.sh" "$work/lead/README.md"
as lead
git init && git add -A && git commit -m "release 0.1.0" && git tag v0.1.0
git init --bare "$work/origin.git"
git remote add origin "$work/origin.git" && git push origin main --tags
expect 0 heads
same "$(cat "$work/out")" "b7e2f0a41c93 (head)" "heads of 0.1.0"
git clone "$work/origin.git" "$work/alice"
git clone "$work/origin.git" "$work/bob"

echo "== 2. Two feature branches from the same head"
as alice
git checkout -b invoices
expect 0 upgrade
cp steps/invoices.yaml models/
expect 0 revision -m "invoices" --rev-id 1f0c2a7e9b44 --version-path 0.2.0
same "$(cat "$work/out")" "$v/0.2.0/1f0c2a7e9b44_invoices.c" "Alice's revision"
has "$v/0.2.0/1f0c2a7e9b44_invoices.c" 'const char *const down_revision[] = { "b7e2f0a41c93", NULL };'
expect 0 upgrade
git add -A && git commit -m "invoices" && git push origin invoices

as bob
git checkout -b tags
expect 0 upgrade
cp steps/tags.yaml models/
expect 0 revision -m "tags" --rev-id 8d3b5e6f2a10 --version-path 0.2.0
has "$v/0.2.0/8d3b5e6f2a10_tags.c" 'const char *const down_revision[] = { "b7e2f0a41c93", NULL };'
expect 0 upgrade
same "$(tables)" "tags users" "Bob's tables"
git add -A && git commit -m "tags" && git push origin tags

echo "== 3. Alice's branch is merged first: nothing to do"
as alice
git checkout main && git pull origin main && git merge --no-edit invoices && git push origin main
expect 0 heads
same "$(cat "$work/out")" "1f0c2a7e9b44 (head)" "heads of main after invoices"

echo "== 4. Bob merges main into his branch: git is happy, the graph has two heads"
as bob
git fetch origin
git merge --no-edit origin/main || fail "git could not merge main into tags"
for f in 1f0c2a7e9b44_invoices.c 8d3b5e6f2a10_tags.c; do
    [ -f "$v/0.2.0/$f" ] || fail "$f is missing after the git merge"
done
expect 0 heads
has "$work/out" "1f0c2a7e9b44 (head)"
has "$work/out" "8d3b5e6f2a10 (head)"
same "$(wc -l <"$work/out")" 2 "number of heads"
expect 3 revision -m "tag colours"
has "$work/err" "the migrations have 2 heads (1f0c2a7e9b44, 8d3b5e6f2a10)"
has "$work/err" "autogen merge heads -m"
expect 3 upgrade
has "$work/err" "several heads"

echo "== 5. Bob joins the heads with a merge revision"
expect 0 merge heads -m "merge" --rev-id 4a9e7c1d3b58
same "$(cat "$work/out")" "$v/4a9e7c1d3b58_merge.c" "merge path"
has "$v/4a9e7c1d3b58_merge.c" '{ "1f0c2a7e9b44", "8d3b5e6f2a10", NULL }'
# Where a file sits in versions/ does not matter: it goes with its release.
mv "$v/4a9e7c1d3b58_merge.c" "$v/0.2.0/"
expect 0 heads
same "$(cat "$work/out")" "4a9e7c1d3b58 (head) (mergepoint)" "one head"
expect 0 upgrade
has "$work/err" "Running upgrade b7e2f0a41c93 -> 1f0c2a7e9b44, invoices"
has "$work/err" "Running upgrade 1f0c2a7e9b44, 8d3b5e6f2a10 -> 4a9e7c1d3b58, merge"
same "$(tables)" "invoices tags users" "Bob's tables after the merge"
expect 0 check
expect 0 revision -m "nothing yet"
has "$work/out" "No changes detected"
git add -A && git commit -m "merge main; join the migration heads" && git push origin tags

echo "== 6. Bob's branch is merged; release 0.2.0"
as alice
git checkout main && git pull origin main && git fetch origin && git merge --no-edit origin/tags
git tag v0.2.0 && git push origin main --tags
expect 0 history
same "$(cat "$work/out")" "1f0c2a7e9b44, 8d3b5e6f2a10 -> 4a9e7c1d3b58 (head) (mergepoint), merge
b7e2f0a41c93 -> 8d3b5e6f2a10, tags
b7e2f0a41c93 -> 1f0c2a7e9b44, invoices
<base> -> b7e2f0a41c93 (branchpoint), users" "history of 0.2.0"
expect 0 history --format json
for f in 0.1.0/b7e2f0a41c93_users.c 0.2.0/1f0c2a7e9b44_invoices.c 0.2.0/8d3b5e6f2a10_tags.c \
    0.2.0/4a9e7c1d3b58_merge.c; do
    has "$work/out" "\"$v/$f\""
done
# Alice's database has invoices; upgrading brings tags and the merge.
expect 0 upgrade
has "$work/err" "Running upgrade b7e2f0a41c93 -> 8d3b5e6f2a10, tags"
same "$(tables)" "invoices tags users" "Alice's tables"
expect 0 check

echo "== 7. A fresh checkout of v0.2.0 builds the whole database"
git clone --branch v0.2.0 "$work/origin.git" "$work/deploy"
as deploy
expect 0 upgrade
expect 0 current
same "$(cat "$work/out")" "4a9e7c1d3b58 (head) (mergepoint)" "deployed"
same "$(tables)" "invoices tags users" "deployed tables"
expect 0 downgrade b7e2f0a41c93
same "$(tables)" "users" "back at 0.1.0"
echo "ok: team walkthrough"
