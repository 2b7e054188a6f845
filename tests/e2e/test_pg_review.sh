#!/usr/bin/env bash
# review and rebase in a PostgreSQL project: the SQL shown is PostgreSQL's (enum
# types and all; --dialect sqlite renders SQLite's instead), and rebase asks the
# PostgreSQL database whether it applied the revisions it would move.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/review_lib.sh"
new_project
cat >"$T/p/models/users.yaml" <<'YAML'
enums:
  mood: [ok, sad]
tables:
  users:
    columns:
      id: { type: bigint, primary_key: true }
      name: { type: string(100), nullable: false }
YAML
migrate base01 "users"
git_project
g checkout -q -b feature
cat >"$T/p/models/posts.yaml" <<'YAML'
tables:
  posts:
    columns:
      id: { type: bigint, primary_key: true }
      author_id: { type: bigint, references: users.id, on_delete: cascade }
      mood: { type: enum(mood), default: ok, nullable: false }
YAML
migrate post01 "posts"
g add -A
g commit -q -m "posts"
expect 0 review --base main
assert_contains "$T/out" "(merge base"
assert_contains "$T/out" "; postgresql)"
assert_contains "$T/out" 'CREATE TABLE "posts"'
assert_contains "$T/out" '"mood" "mood" NOT NULL DEFAULT '"'ok'"
assert_contains "$T/out" "Replay: the migrations bring a database to the models"
expect 0 review --base main --format json
assert_contains "$T/out" '"dialect": "postgresql"'
# --scratch replays on the server, in a database it creates and drops (as check --scratch).
expect 0 review --base main --scratch
assert_contains "$T/out" "the migrations bring a database to the models (on a scratch database)"
# The same change rendered for SQLite: the enum is a CHECK there.
expect 0 review --base main --dialect sqlite
assert_contains "$T/out" "; sqlite)"
assert_contains "$T/out" "CHECK"
expect 2 review --base main --dialect oracle

# REF moves; after `git merge`, the PostgreSQL database has applied post01.
expect 0 downgrade base
g checkout -q main
cat >"$T/p/models/comments.yaml" <<'YAML'
tables:
  comments:
    columns:
      id: { type: bigint, primary_key: true }
      body: { type: text }
YAML
migrate com01 "comments"
g add -A
g commit -q -m "comments"
expect 0 downgrade base
g checkout -q feature
expect 1 review --base main
assert_contains "$T/out" "post01 revises base01, but main's head is now com01 [stale-down-revision]"
g merge -q --no-edit main
expect 0 upgrade heads
expect 3 rebase --base main
assert_contains "$T/err" "has applied post01"
assert_contains "$T/err" "autogen downgrade post01@-1"
expect 0 downgrade post01@-1
expect 0 rebase --base main
assert_contains "$T/out" "Rebased post01: base01 -> com01"
assert_contains "$T/out" "one head (post01)"
expect 0 upgrade
expect 0 check
expect 0 review --base main
echo ok
