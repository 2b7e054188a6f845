#!/usr/bin/env bash
# A command that fails changes nothing under the project: not the header index
# of the revision cache either (a successful read rewrites it when stale).
. "$(dirname "$0")/lib.sh"
new_project
v="$T/p/alembic_like/versions"
expect 0 revision --empty -m "first" --rev-id first01
expect 0 heads
idx=$(ls "$AUTOGEN_CACHE_DIR"/revisions-*.idx)
# A second migration written by hand makes the index stale; a broken model
# makes diff and revision fail.
sed 's/"first01"/"second02"/; s/down_revision\[\] = { NULL }/down_revision[] = { "first01", NULL }/' \
    "$v/first01_first.c" >"$v/second02_second.c"
echo "tables: [" >"$T/p/models/broken.yaml"
before=$(md5sum <"$idx")
expect 3 diff
assert_eq "$(md5sum <"$idx")" "$before" "a failed diff rewrote the index"
expect 3 revision -m "x"
assert_eq "$(md5sum <"$idx")" "$before" "a failed revision rewrote the index"
[ "$(ls "$v" | wc -l)" -eq 2 ] || fail "a failed revision wrote a file: $(ls "$v")"
# A command that succeeds brings the index up to date.
rm "$T/p/models/broken.yaml"
expect 0 heads
assert_contains "$T/out" "second02"
[ "$(md5sum <"$idx")" != "$before" ] || fail "a successful heads left the index stale"
grep -q "second02" "$idx" || fail "second02 is not in the index"
echo PASS
