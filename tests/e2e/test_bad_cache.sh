#!/usr/bin/env bash
# A damaged compiled-object cache entry (a full disk left it empty or cut short)
# is a cache miss: the migration is compiled again and the entry rewritten
# (README "How migrations run").
. "$(dirname "$0")/lib.sh"
new_project
expect 0 revision --empty -m "users" --rev-id users01
f=$(ls "$T/p/alembic_like/versions/users01_"*.c)
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
# getenv keeps it out of the operations cache, so its object is loaded every run.
s = s.replace("#include <autogen/migration.h>", "#include <autogen/migration.h>\n#include <stdlib.h>", 1)
s = s.replace("(void)op;", """(void)getenv("HOME");
    ag_create_table(op, "users", AG_COL("id", "integer", .primary_key = 1), NULL);""", 1)
open(p, "w").write(s)
PY
expect 0 upgrade --sql
assert_contains "$T/out" 'CREATE TABLE "users"'
obj=$(ls "$AUTOGEN_CACHE_DIR"/*.o)
[ "$(echo "$obj" | wc -l)" -eq 1 ] || fail "expected one cached object: $obj"
size=$(wc -c <"$obj")

for damage in empty truncated garbage; do
    case $damage in
    empty) : >"$obj" ;;
    truncated) truncate -s $((size / 2)) "$obj" ;;
    garbage) head -c "$size" /dev/zero >"$obj" ;;
    esac
    expect 0 upgrade --sql
    assert_contains "$T/out" 'CREATE TABLE "users"'
    [ "$(wc -c <"$obj")" -eq "$size" ] || fail "$damage: the cache entry was not rewritten"
done

: >"$obj"
expect 0 upgrade
assert_eq "$(db "SELECT name FROM sqlite_master WHERE name = 'users'")" "users" "users table"
[ "$(wc -c <"$obj")" -eq "$size" ] || fail "the cache entry was not rewritten by upgrade"
echo PASS
