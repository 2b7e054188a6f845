#!/usr/bin/env bash
# test_merge_downgrade.sh on PostgreSQL.
AG_BACKEND=pg
. "$(dirname "$0")/test_merge_downgrade.sh"

# A `transactional = 0` downgrade that fails on one of two branches: the stamp
# the error names must keep the other branch (stamping the parent alone would
# drop it: the parent is below both heads).
expect 0 revision --empty -m "outside" --rev-id brX1 --head top01
add_sql "$T/p/alembic_like/versions/brX1_outside.c" upgrade "CREATE TABLE half (a int)"
add_sql "$T/p/alembic_like/versions/brX1_outside.c" downgrade "DROP TABLE half" \
    "INSERT INTO nope VALUES (1)"
outside "$T/p/alembic_like/versions/brX1_outside.c"
m brY1 "other" "CREATE TABLE other (a int)" "DROP TABLE other" --head top01 --splice
expect 0 upgrade heads
assert_eq "$(versions)" "brX1 brY1 " "both branches up"
expect 3 downgrade brX1@-1
assert_contains "$T/err" "failed outside a transaction"
assert_contains "$T/err" "run 'autogen stamp --purge brY1'"
assert_eq "$(versions)" "brX1 brY1 " "the version table stays"
cmd=$(grep -o "run 'autogen stamp [^']*'" "$T/err" | sed "s/^run '//; s/'\$//")
# shellcheck disable=SC2086
expect 0 ${cmd#autogen }
assert_eq "$(versions)" "brY1 " "the named stamp keeps the other branch"
echo "ok: pg merge downgrade"
