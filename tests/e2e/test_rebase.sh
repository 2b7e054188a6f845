#!/usr/bin/env bash
# autogen rebase --base REF [--onto REV]: a branch with two lines of migrations
# chained onto REF's head, --onto, all files or none, and a database that cannot
# be reached (a warning, the rebase still made).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/review_lib.sh"
new_project
table_model users name "string(100)"
migrate base01 "users"
git_project
g checkout -q -b feature
table_model posts title text
migrate a01 "posts"
table_model tags label text
mv "$T/p/alembic_like/versions/a01_posts.c" "$T/a01_posts.c"
mv "$T/p/models/posts.yaml" "$T/posts.yaml"
migrate b01 "tags"
mv "$T/a01_posts.c" "$T/p/alembic_like/versions/"
mv "$T/posts.yaml" "$T/p/models/"
g add -A
g commit -q -m "two lines"
g checkout -q main
table_model comments body text
migrate com01 "comments"
table_model likes n integer
migrate com02 "likes"
g add -A
g commit -q -m "comments and likes"
g checkout -q feature
g merge -q --no-edit main
g tag merged

# Two roots (a01, b01 revise base01): chained onto main's head, one after the other.
rm -f "$T/p/app.db"
expect 1 review --base main
assert_contains "$T/out" "3 heads"
expect 0 rebase --base main
assert_contains "$T/out" "Rebased a01: base01 -> com02"
assert_contains "$T/out" "Rebased b01: base01 -> a01"
assert_contains "$T/out" "Graph merged with main: one head (b01)"
assert_contains "$T/out" "Replay: the migrations bring a database to the models"
expect 0 heads
assert_eq "$(grep -c . "$T/out")" 1 "one head after rebase"
expect 0 upgrade
expect 0 check
# Again: nothing left to rewrite.
expect 0 rebase --base main
assert_contains "$T/out" "Nothing to rewrite"

# --onto: a revision of REF other than its head (the graph keeps two heads: exit 1).
g checkout -q -f merged
rm -f "$T/p/app.db"
expect 1 rebase --base main --onto com01
assert_contains "$T/out" "Rebased a01: base01 -> com01"
assert_contains "$T/out" "2 heads"
g checkout -q -f merged
expect 3 rebase --base main --onto a01
assert_contains "$T/err" "names a revision of this branch"

# All files or none: a header it cannot rewrite leaves every file as it was.
g checkout -q -f merged
sed -i 's|down_revision\[\] = {|down_revision[] = /* parent */ {|' "$T/p/alembic_like/versions/b01_tags.c"
a_before=$(cat "$T/p/alembic_like/versions/a01_posts.c")
expect 3 rebase --base main
assert_contains "$T/err" "b01_tags.c: no 'down_revision[] = { ... }' to rewrite"
assert_eq "$(cat "$T/p/alembic_like/versions/a01_posts.c")" "$a_before" "a01 rewritten by a failed rebase"
[ -z "$(find "$T/p/alembic_like/versions" -name '*.rebase~')" ] || fail "temporary files left"

# A database that cannot be reached: said, and the rebase is made.
g checkout -q -f merged
expect 0 rebase --base main --url "postgresql://nobody@/nodb?host=/nonexistent&connect_timeout=1"
assert_contains "$T/err" "could not check whether the database has applied these revisions"
assert_contains "$T/out" "Rebased a01: base01 -> com02"

# REF's head missing from the working tree: merge REF in git first.
g checkout -q -f main
g checkout -q -b late "$(git -C "$T/p" rev-list --max-parents=0 main)"
table_model posts title text
migrate z01 "posts"
expect 3 rebase --base main
assert_contains "$T/err" "merge main into this branch first"
echo ok
