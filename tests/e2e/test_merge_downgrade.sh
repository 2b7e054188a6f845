#!/usr/bin/env bash
# Relative downgrades through a merge: `downgrade -1` from a merge revision
# leaves both parents as the database's heads (two rows in the version table),
# `-N` steps down N times, a step that could revert either of several heads is
# refused with one command per candidate (and each command works), and the
# offline `downgrade --sql MERGE:-1` prints the same step. Sourced by
# test_pg_merge_downgrade.sh with AG_BACKEND=pg.
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
# No migrations yet: the command named creates the first.
expect 3 upgrade +1
assert_contains "$T/err" "run 'autogen revision -m \"first\"' (with --empty"
expect 3 stamp head
assert_contains "$T/err" "run 'autogen revision -m \"first\"' (with --empty"
versions() {
    db "SELECT version_num FROM autogen_version ORDER BY 1" | tr '\n' ' '
}
m root01 "root" "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL)" \
    "DROP TABLE accounts"
m brA1 "invoices" "CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id))" \
    "DROP TABLE invoices"
m brB1 "emails" "ALTER TABLE accounts ADD COLUMN email TEXT" "ALTER TABLE accounts DROP COLUMN email" \
    --head root01 --splice
m brB2 "email index" "CREATE INDEX ix_accounts_email ON accounts (email)" \
    "DROP INDEX ix_accounts_email" --head brB1
expect 0 merge heads -m "join" --rev-id mrg01
m top01 "notes" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)" "DROP TABLE notes"

# The schema with both branches applied and the merge not.
expect 0 upgrade brA1
expect 0 upgrade brB2
assert_eq "$(versions)" "brA1 brB2 " "both branches applied"
parents_schema=$(dump_schema)

expect 0 upgrade head
assert_eq "$(versions)" "top01 " "at the head"
# -2 from the head goes through the merge: top01, then mrg01.
expect 0 downgrade -2
assert_contains "$T/err" "Running downgrade top01 -> mrg01"
assert_contains "$T/err" "Running downgrade mrg01 -> brA1, brB2"
assert_eq "$(versions)" "brA1 brB2 " "downgrade -2 through the merge"
expect 0 current
assert_eq "$(tr '\n' ' ' <"$T/out")" "brA1 brB2 " "current after downgrade -2"
assert_eq "$(dump_schema)" "$parents_schema" "schema after downgrade -2"

# -1 from the merge itself.
expect 0 upgrade mrg01
assert_eq "$(versions)" "mrg01 " "at the merge"
expect 0 downgrade -1
assert_eq "$(versions)" "brA1 brB2 " "downgrade -1 from the merge"
assert_eq "$(dump_schema)" "$parents_schema" "schema after downgrade -1 from the merge"

# Two heads: -1 could revert either. Refused, nothing changes, and each
# candidate comes with its command.
expect 3 downgrade -1
assert_contains "$T/err" "ambiguous"
assert_contains "$T/err" "'autogen downgrade brA1@-1'"
assert_contains "$T/err" "'autogen downgrade brB2@-1'"
assert_eq "$(versions)" "brA1 brB2 " "an ambiguous downgrade changes nothing"
expect 0 downgrade brB2@-1
assert_eq "$(versions)" "brA1 brB1 " "the command named for brB2"
expect 0 downgrade brA1@-1
assert_eq "$(versions)" "brB1 " "the command named for brA1 (root01 is below brB1)"

# -3 from the head: two steps are clear, the third is not; the message says
# how to go on, and those commands work.
expect 0 upgrade head
before=$(dump_schema)
expect 3 downgrade -3
assert_contains "$T/err" "'autogen downgrade -2'"
assert_contains "$T/err" "'autogen downgrade brA1@-1'"
assert_contains "$T/err" "'autogen downgrade brB2@-1'"
assert_eq "$(versions)" "top01 " "an ambiguous -3 changes nothing"
assert_eq "$(dump_schema)" "$before" "an ambiguous -3 changes no schema"
expect 0 downgrade -2
expect 0 downgrade brA1@-1
assert_eq "$(versions)" "brB2 " "after the named commands"
# A walk down one branch: brB2@-2 reverts brB2 and brB1.
expect 0 downgrade brB2@-2
assert_eq "$(versions)" "root01 " "brB2@-2"
expect 3 downgrade root01@-2
assert_contains "$T/err" "only 1"
expect 3 downgrade brA1@-1
assert_contains "$T/err" "brA1"

# The other messages that name a command: the command works there.
expect 0 upgrade head
expect 3 upgrade brA1
assert_contains "$T/err" "use 'autogen downgrade brA1' to go back"
expect 0 downgrade brA1
assert_eq "$(versions)" "brA1 brB2 " "the downgrade named"
expect 0 downgrade brB2@-2
expect 3 downgrade brB1
assert_contains "$T/err" "use 'autogen upgrade brB1' to go forward"
expect 0 upgrade brB1
assert_eq "$(versions)" "brA1 brB1 " "the upgrade named"

# Back up to the head.
expect 0 upgrade head
assert_eq "$(versions)" "top01 " "back at the head"
expect 0 downgrade -1
expect 0 downgrade -1
assert_eq "$(versions)" "brA1 brB2 " "-1 twice from the head"
expect 0 upgrade head
assert_eq "$(versions)" "top01 " "upgrade back over the merge"

# Offline: from the merge one step down.
expect 0 downgrade --sql mrg01:-1
assert_contains "$T/out" "-- Running downgrade mrg01 -> brA1, brB2"
assert_contains "$T/out" "DELETE FROM \"autogen_version\" WHERE version_num = 'mrg01'"
assert_contains "$T/out" "INSERT INTO \"autogen_version\" (version_num) VALUES ('brA1')"
assert_contains "$T/out" "INSERT INTO \"autogen_version\" (version_num) VALUES ('brB2')"
expect 0 downgrade --sql top01:-2
assert_contains "$T/out" "-- Running downgrade top01 -> mrg01"
assert_contains "$T/out" "-- Running downgrade mrg01 -> brA1, brB2"
expect 3 downgrade --sql mrg01:-2
assert_contains "$T/err" "ambiguous"
echo "ok: merge downgrade"
