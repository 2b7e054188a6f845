#!/usr/bin/env bash
# A migration whose upgrade() or downgrade() crashes (a bad pointer, abort(), a
# failed assert, a stack overflow), ends the process (exit()) or never returns:
# autogen says which file did what, exits 3, and the database and its version
# table stay exactly as they were -- also when the crash comes after other
# migrations of the same run, under `upgrade --sql` and under `check --scratch`.
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions

# A schema as a hand-written app has it, then one real migration on top.
db "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(120) NOT NULL UNIQUE,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
    CREATE INDEX ix_customers_created ON customers (created_at);
    INSERT INTO customers (email) VALUES ('a@x.io'), ('b@x.io');"
expect 0 revision --empty -m "orders" --rev-id good01
add_sql "$V/good01_orders.c" upgrade \
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id))"
add_sql "$V/good01_orders.c" downgrade "DROP TABLE orders"
expect 0 upgrade
snapshot() { dump_schema; dump_rows; db "SELECT * FROM autogen_version"; }
before=$(snapshot)

# body REV FUNCTION C-CODE [C-BEFORE]: a revision on top whose FUNCTION runs C-CODE
# (C-BEFORE goes before the functions).
body() {
    local rev=$1 fn=$2 code=$3 pre=${4:-}
    expect 0 revision --empty -m "$rev" --rev-id "$rev"
    python3 - "$V/${rev}_${rev}.c" "$fn" "$code" "$pre" <<'PY'
import sys
path, fn, code, pre = sys.argv[1:]
s = open(path).read()
s = s.replace("#include <autogen/migration.h>\n",
              "#include <autogen/migration.h>\n#include <assert.h>\n#include <stdlib.h>\n" + pre + "\n", 1)
i = s.index("void downgrade")
if fn == "upgrade":
    s = s[:i].replace("(void)op;", "(void)op;\n    " + code, 1) + s[i:]
else:
    s = s[:i] + s[i:].replace("(void)op;", "(void)op;\n    " + code, 1)
open(path, "w").write(s)
PY
}

# crashes REV WHAT: upgrade, upgrade --sql and check --scratch all report
# "REV's file: upgrade() WHAT", exit 3, change nothing.
crashes() {
    local rev=$1 what=$2 f
    f=alembic_like/versions/${rev}_${rev}.c
    expect 3 upgrade
    assert_contains "$T/err" "$f: upgrade() $what"
    assert_eq "$(snapshot)" "$before" "$rev: the database changed"
    expect 3 upgrade --sql
    assert_contains "$T/err" "$f: upgrade() $what"
    [ ! -s "$T/out" ] || fail "$rev: upgrade --sql printed SQL before the crash"
    expect 3 check --scratch
    assert_contains "$T/err" "$f: upgrade() $what"
    assert_eq "$(snapshot)" "$before" "$rev: check --scratch changed the database"
}

body segv01 upgrade '*(volatile char *)0 = 1;'
crashes segv01 "crashed (SIGSEGV)"
expect 3 show segv01
assert_contains "$T/err" "segv01_segv01.c: upgrade() crashed (SIGSEGV)"
rm -f "$V"/segv01_*.c

body abrt01 upgrade 'abort();'
crashes abrt01 "crashed (SIGABRT)"
rm -f "$V"/abrt01_*.c

body asrt01 upgrade 'assert(op == NULL);'
crashes asrt01 "crashed (SIGABRT)"
assert_contains "$T/err" "Assertion"
rm -f "$V"/asrt01_*.c

body exit01 upgrade 'exit(0);'
crashes exit01 "ended the process (exit status 0)"
rm -f "$V"/exit01_*.c

body deep01 upgrade 'deep(1);' 'static int deep(int n) { volatile char pad[4096]; pad[0] = (char)n; return deep(n + 1) + pad[0]; }'
crashes deep01 "crashed (SIGSEGV)"
rm -f "$V"/deep01_*.c

# After a good migration in the same run: that one does not run either.
expect 0 revision --empty -m "fine" --rev-id fine01
add_sql "$V/fine01_fine.c" upgrade "CREATE TABLE fine (a int)"
add_sql "$V/fine01_fine.c" downgrade "DROP TABLE fine"
body segv02 upgrade '*(volatile char *)0 = 1;'
crashes segv02 "crashed (SIGSEGV)"
rm -f "$V"/segv02_*.c
expect 0 upgrade
assert_eq "$(db "SELECT version_num FROM autogen_version")" fine01 "a good run after the crash"

# downgrade() too.
body segv03 downgrade '*(volatile char *)0 = 1;'
expect 0 upgrade
before=$(snapshot)
expect 3 downgrade -1
assert_contains "$T/err" "alembic_like/versions/segv03_segv03.c: downgrade() crashed (SIGSEGV)"
assert_eq "$(snapshot)" "$before" "downgrade crash: the database changed"
expect 3 downgrade --sql segv03:-1
assert_contains "$T/err" "segv03_segv03.c: downgrade() crashed (SIGSEGV)"
rm -f "$V"/segv03_*.c
expect 0 stamp --purge fine01
before=$(snapshot)

# One that never returns, with a short limit.
body loop01 upgrade 'for (volatile int i = 0; i >= 0; i = 0) {}'
set +e
(cd "$T/p" && AUTOGEN_RECORD_TIMEOUT=2 timeout 60 "$AUTOGEN" upgrade) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 3 "a migration that never returns: exit status"
assert_contains "$T/err" "loop01_loop01.c: upgrade() did not return within 2 seconds"
assert_eq "$(snapshot)" "$before" "timeout: the database changed"
rm -f "$V"/loop01_*.c

# A fresh database: not even the version table is created.
rm -f "$T/p/app.db"
body segv04 upgrade '*(volatile char *)0 = 1;'
expect 3 upgrade
assert_contains "$T/err" "segv04_segv04.c: upgrade() crashed (SIGSEGV)"
assert_eq "$(db "SELECT count(*) FROM sqlite_master")" 0 "crash on a fresh database: something was created"
echo "ok: crash"
