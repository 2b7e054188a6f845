#!/usr/bin/env bash
# run_case.sh CASE_DIR - one change kind, end to end on SQLite:
# models v1 -> revision -> upgrade -> seed rows -> models v2 -> revision -> upgrade
# -> check exits 0 -> the seeded rows are all there -> downgrade -1 -> the schema
# (and, unless the case is lossy, the rows) are byte-identical to before -> upgrade
# again -> check exits 0.
. "$(dirname "$0")/lib.sh"
case_dir=$1
name=$(basename "$case_dir")

new_project
# A case may give PostgreSQL its own models (v1.pg.yaml, v2.pg.yaml).
v1=$case_dir/v1.yaml v2=$case_dir/v2.yaml
if [ "$AG_BACKEND" = pg ]; then
    [ -f "$case_dir/v1.pg.yaml" ] && v1=$case_dir/v1.pg.yaml
    [ -f "$case_dir/v2.pg.yaml" ] && v2=$case_dir/v2.pg.yaml
fi
use_models "$v1"
expect 0 revision -m "v1"
expect 0 upgrade head
expect 0 check
if [ -f "$case_dir/seed.sql" ]; then db <"$case_dir/seed.sql"; fi
schema_before=$(dump_schema)
rows_before=$(dump_rows)
tables_before=$(user_tables)
declare -A counts
for t in $tables_before; do counts[$t]=$(count_rows "$t"); done

use_models "$v2"
expect 0 revision -m "$name"
[ "$(versions_count)" -eq 2 ] || fail "$name: revision wrote no second migration"
expect 0 upgrade head
expect 0 check
for t in $tables_before; do
    user_tables | grep -qx "$t" || continue
    assert_eq "$(count_rows "$t")" "${counts[$t]}" "$name: rows of $t after upgrade"
done
if [ -f "$case_dir/after.sql" ]; then
    got=$(db <"$case_dir/after.sql")
    assert_eq "$got" "$(cat "$case_dir/after.expected")" "$name: data after upgrade"
fi
expect 0 revision -m "again"
assert_contains "$T/out" "No changes detected"

expect 0 downgrade -1
assert_eq "$(dump_schema)" "$schema_before" "$name: schema after downgrade"
if [ ! -f "$case_dir/lossy" ]; then
    assert_eq "$(dump_rows)" "$rows_before" "$name: rows after downgrade"
fi
expect 0 upgrade head
expect 0 check
echo "ok: $name ($AG_BACKEND)"
