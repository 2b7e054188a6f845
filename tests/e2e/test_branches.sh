#!/usr/bin/env bash
# Branch labels, depends_on across branches, upgrading one branch (LABEL@head) while
# the other stays behind, stamping onto a branch, and offline SQL over a range.
. "$(dirname "$0")/lib.sh"
new_project
m() { # m REV MESSAGE UP-SQL DOWN-SQL [revision options]: an empty revision, filled in
    local rev=$1 msg=$2 up=$3 down=$4
    shift 4
    expect 0 revision --empty -m "$msg" --rev-id "$rev" "$@"
    local f
    f=$(ls "$T/p/alembic_like/versions/${rev}_"*.c)
    add_sql "$f" upgrade "$up"
    add_sql "$f" downgrade "$down"
}
m root01 "root" "CREATE TABLE log (rev TEXT)" "DROP TABLE log"
m acct01 "accounts" "INSERT INTO log VALUES ('acct01')" "DELETE FROM log WHERE rev = 'acct01'" \
    --head root01 --branch-label accounts
m bill01 "billing" "INSERT INTO log VALUES ('bill01')" "DELETE FROM log WHERE rev = 'bill01'" \
    --head root01 --splice --branch-label billing
m acct02 "accounts two" "INSERT INTO log VALUES ('acct02')" "DELETE FROM log WHERE rev = 'acct02'" \
    --head accounts@head
m bill02 "billing needs accounts two" "INSERT INTO log VALUES ('bill02')" \
    "DELETE FROM log WHERE rev = 'bill02'" --head billing@head --depends-on acct02

expect 0 branches
assert_contains "$T/out" "root01 (branchpoint), root"
expect 0 upgrade billing@head
# depends_on pulled in the accounts branch up to acct02, before bill02.
assert_eq "$(db "SELECT group_concat(rev, ',') FROM (SELECT rev FROM log ORDER BY rowid)")" \
    "acct01,bill01,acct02,bill02" "order of an upgrade with depends_on"
expect 0 downgrade acct01
# bill02 depends on acct02: it goes too; bill01 stays.
assert_eq "$(db "SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM autogen_version ORDER BY 1)")" \
    "acct01,bill01" "heads after downgrading one branch"

expect 0 downgrade base
expect 0 upgrade accounts@head
expect 0 current
assert_eq "$(cat "$T/out")" "acct02 (head)" "one branch up, the other behind"
expect 0 upgrade heads
expect 0 current
assert_eq "$(tr '\n' ' ' <"$T/out")" "acct02 (head) bill02 (head) " "both branches up"

# Stamping onto a branch moves only that branch's head.
expect 0 stamp bill01
expect 0 current
assert_eq "$(tr '\n' ' ' <"$T/out")" "acct02 (head) bill01 " "stamp onto a branch"
expect 0 stamp base
expect 0 current
assert_eq "$(cat "$T/out")" "" "stamp base"
db "INSERT INTO autogen_version VALUES ('gone00')"
expect 3 current
assert_contains "$T/err" "which no migration file defines"
expect 0 stamp --purge heads
expect 0 current
assert_eq "$(tr '\n' ' ' <"$T/out")" "acct02 (head) bill02 (head) " "stamp --purge heads"

# Offline SQL over a range, no database touched.
rm -f "$T/p/app.db"
expect 0 upgrade --sql root01:accounts@head
assert_contains "$T/out" "-- Running upgrade root01 -> acct01, accounts"
assert_contains "$T/out" "INSERT INTO log VALUES ('acct02');"
expect 0 downgrade --sql acct02:root01
assert_contains "$T/out" "-- Running downgrade acct02 -> acct01, accounts two"
expect 2 downgrade --sql base
[ ! -f "$T/p/app.db" ] || fail "--sql touched the database"

# Errors: unknown labels, and a label used twice.
expect 3 upgrade nolabel@head
assert_contains "$T/err" "unknown branch label 'nolabel'"
echo "ok: branches"
