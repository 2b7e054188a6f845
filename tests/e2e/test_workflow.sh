#!/usr/bin/env bash
# The everyday workflow on SQLite: init, revision, no-change detection, refusing to
# autogenerate on a database behind the head, --empty/--rev-id, current, upgrade +N,
# downgrade base, stamp, and the compiled-migration cache.
. "$(dirname "$0")/lib.sh"

new_project
[ -f "$T/p/autogen.yaml" ] && [ -f "$T/p/alembic_like/script.c.tmpl" ] ||
    fail "init did not scaffold"
expect 3 init
assert_contains "$T/err" "already exists"

# Nothing in the models, nothing in the database.
expect 0 revision -m "nothing"
assert_contains "$T/out" "No changes detected"
assert_eq "$(versions_count)" 0 "no file for no changes"

cp "$AG_TEST_SRC/models/"*.yaml "$T/p/models/"
expect 0 diff
assert_contains "$T/out" 'CREATE TABLE "users"'
expect 1 check
expect 0 revision -m "initial schema" --rev-id aaaa00000001
assert_contains "$T/out" "alembic_like/versions/aaaa00000001_initial_schema.c"
f="$T/p/alembic_like/versions/aaaa00000001_initial_schema.c"
assert_contains "$f" 'const char *const revision = "aaaa00000001";'
assert_contains "$f" 'const char *const down_revision[] = { NULL };'
assert_contains "$f" 'ag_create_table(op, "users",'

# The database is behind the head: autogenerate refuses.
expect 3 revision -m "too early"
assert_contains "$T/err" "upgrade head"
expect 0 current
assert_eq "$(cat "$T/out")" "" "current at base"
expect 0 upgrade
expect 0 current
assert_contains "$T/out" "aaaa00000001 (head)"
expect 0 check

# Hand-written migrations chain onto the head.
expect 0 revision --empty -m "data fix" --rev-id bbbb00000002
assert_contains "$T/p/alembic_like/versions/bbbb00000002_data_fix.c" '{ "aaaa00000001", NULL }'
# More than plain ag_* calls: this one goes through the compiler.
sed -i 's|^    (void)op;|    if (ag_dialect(op)[0] == '"'s'"')\n        ag_execute(op, "SELECT 1");|' \
    "$T/p/alembic_like/versions/bbbb00000002_data_fix.c"
assert_contains "$T/p/alembic_like/versions/bbbb00000002_data_fix.c" 'ag_dialect(op)'
expect 0 revision --empty -m "more" --rev-id cccc00000003
expect 0 upgrade +1
expect 0 current
assert_contains "$T/out" "bbbb00000002"
expect 0 upgrade head
expect 0 history
assert_contains "$T/out" "bbbb00000002 -> cccc00000003 (head), more"
expect 0 downgrade -2
expect 0 current
assert_contains "$T/out" "aaaa00000001"
expect 0 upgrade cccc
expect 0 downgrade base
expect 0 current
assert_eq "$(cat "$T/out")" "" "current after downgrade base"
assert_eq "$(db "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT IN ('autogen_version', 'autogen_run_log')")" 0 "empty after base"

# Stamp moves the version table only.
expect 0 stamp cccc00000003
expect 0 current
assert_contains "$T/out" "cccc00000003 (head)"
expect 0 stamp base

# The compiled-migration cache: a second run compiles nothing new. Only the
# hand-written migration has an object: files of plain ag_* calls (the other
# two) are read without compiling (README, How migrations run).
expect 0 upgrade head
n1=$(find "$AUTOGEN_CACHE_DIR" -name '*.o' | wc -l)
[ "$n1" -eq 1 ] || fail "expected one cached object (the hand-written migration), found $n1"
stamp1=$(find "$AUTOGEN_CACHE_DIR" -name '*.o' -printf '%T@ %p\n' | sort)
expect 0 downgrade base
stamp2=$(find "$AUTOGEN_CACHE_DIR" -name '*.o' -printf '%T@ %p\n' | sort)
assert_eq "$stamp2" "$stamp1" "cached objects were rebuilt"

# JSON output parses.
expect 0 upgrade head
expect 0 --format json current
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["current"][0]["revision"]=="cccc00000003"' "$T/out"
expect 0 --format json check
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["differs"] is False' "$T/out"
# SQLite runs all of its DDL in a transaction: a migration declaring
# `transactional = 0` runs in its savepoint like any other, and a failure in it
# is rolled back whole.
expect 0 revision --empty -m "outside" --rev-id out000
f=$T/p/alembic_like/versions/out000_outside.c
add_sql "$f" upgrade "CREATE TABLE step1 (a int)" "INSERT INTO nope VALUES (1)"
outside "$f"
expect 3 upgrade
assert_contains "$T/err" "failed and was rolled back"
assert_eq "$(db "SELECT count(*) FROM sqlite_master WHERE name = 'step1'")" 0 "rolled back whole"
sed -i '/INSERT INTO nope/d' "$f"
expect 0 upgrade
assert_eq "$(db "SELECT count(*) FROM sqlite_master WHERE name = 'step1'")" 1 "ran"
echo "ok: workflow"
