#!/usr/bin/env bash
# The recorded-operations cache: a migration that only calls the ag_* API is
# recorded once and replayed from the cache; editing it records it again; one
# that calls anything else (getenv) or includes a file of the user's is run
# every time, so what it does can change without its text changing.
. "$(dirname "$0")/lib.sh"
new_project
m() { # m REV BODY: an empty revision whose upgrade() is BODY
    expect 0 revision --empty -m "$1" --rev-id "$1"
    python3 - "$(ls "$T/p/alembic_like/versions/${1}_"*.c)" "$2" <<'PY'
import sys
p, body = sys.argv[1:3]
s = open(p).read()
s = s.replace("(void)op;", body, 1)
open(p, "w").write(s)
PY
}
m pure01 'ag_execute(op, "CREATE TABLE t (a TEXT)");'
m envy02 'const char *v = getenv("AG_TEST_VALUE"); ag_execute(op, v ? v : "SELECT 0");'
sed -i 's|#include <autogen/migration.h>|#include <autogen/migration.h>\n#include <stdlib.h>|' \
    "$T/p/alembic_like/versions/envy02_"*.c
cat >"$T/p/alembic_like/versions/local.h" <<'H'
#define LOCAL_SQL "SELECT 1"
H
m incl03 'ag_execute(op, LOCAL_SQL);'
sed -i 's|#include <autogen/migration.h>|#include <autogen/migration.h>\n#include "local.h"|' \
    "$T/p/alembic_like/versions/incl03_"*.c

AG_TEST_VALUE="SELECT 'first'" expect 0 upgrade --sql head
assert_contains "$T/out" "CREATE TABLE t (a TEXT);"
assert_contains "$T/out" "SELECT 'first';"
assert_contains "$T/out" "SELECT 1;"
ops=$(ls "$AUTOGEN_CACHE_DIR"/sqlite-*.ops)
[ -s "$ops" ] || fail "no operations cached"
grep -q "CREATE TABLE t" "$ops" || fail "the pure migration is not in the cache"
grep -q "SELECT 'first'" "$ops" && fail "a migration calling getenv was cached"
grep -q "SELECT 1" "$ops" && fail "a migration including a local file was cached"

# What is not cached follows its inputs; what is cached gives the same SQL.
sed -i 's|SELECT 1|SELECT 2|' "$T/p/alembic_like/versions/local.h"
AG_TEST_VALUE="SELECT 'second'" expect 0 upgrade --sql head
assert_contains "$T/out" "CREATE TABLE t (a TEXT);"
assert_contains "$T/out" "SELECT 'second';"
assert_contains "$T/out" "SELECT 2;"

# An edited migration is recorded again, also by a real upgrade.
sed -i 's|CREATE TABLE t (a TEXT)|CREATE TABLE t (b TEXT)|' "$T/p/alembic_like/versions/pure01_"*.c
expect 0 upgrade --sql head
assert_contains "$T/out" "CREATE TABLE t (b TEXT);"
assert_eq "$(grep -c -a "CREATE TABLE t (" "$ops")" 1 "records of the edited migration in the cache"
expect 0 upgrade head
assert_eq "$(db "SELECT name FROM pragma_table_info('t')")" "b" "column of the edited migration"

# A cache cut short, or with its table scribbled over, only costs misses.
expect 0 upgrade --sql head
cp "$T/out" "$T/want.sql"
cp "$ops" "$T/good.ops"
head -c -5 "$T/good.ops" >"$ops"
expect 0 upgrade --sql head
cmp "$T/out" "$T/want.sql" || fail "a truncated cache changed the SQL"
python3 - "$T/good.ops" "$ops" <<'PY2'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
table = int.from_bytes(data[-24:-16], "little")
for i in range(table, len(data) - 24):
    data[i] = 0xFF
open(sys.argv[2], "wb").write(bytes(data))
PY2
expect 0 upgrade --sql head
cmp "$T/out" "$T/want.sql" || fail "a damaged table changed the SQL"

# A damaged cache is ignored and replaced.
printf 'autogen-ops 3 garbage\n\x01\x02' >"$ops"
expect 0 downgrade base
expect 0 upgrade --sql head
assert_contains "$T/out" "CREATE TABLE t (b TEXT);"
grep -q "garbage" "$ops" && fail "the damaged cache was kept"
echo "ok"
