# runlog_body.sh - the run log, `status`, checksums of applied files and runs
# (README, "Running in production"), on the backend lib.sh chose; sourced by
# test_runlog.sh (SQLite) and test_pg_runlog.sh (PostgreSQL).
new_project
V=$T/p/alembic_like/versions

# The log's rows as "run|revision|direction|checksum", oldest first.
log_rows() {
    db "SELECT run, revision, direction, checksum FROM autogen_run_log WHERE id > 0 ORDER BY id"
}
versions() {
    db "SELECT version_num FROM autogen_version ORDER BY 1" | tr '\n' ' '
}
sum() {
    sha256sum "$1" | cut -d' ' -f1
}
file() {
    ls "$V"/"$1"_*.c
}
# status_json KEY...: the JSON output of `status`, one line per revision: its keys.
status_field() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["revisions"]:
    print("|".join(str(r[k]) for k in sys.argv[2:]))
' "$T/out" "$@"
}

cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: string(100), nullable: false }
YAML
expect 0 revision -m users --rev-id aaa001

# Before anything ran: everything pending, nothing created by reading.
expect 1 status
assert_contains "$T/out" "0 applied, 1 pending, 0 missing, 0 edited"
expect 0 upgrade
A=$(sum "$(file aaa001)")
assert_eq "$(log_rows)" "1|aaa001|upgrade|$A" "log after the first upgrade"
# The row says when (UTC, ISO-8601), how long, which autogen and who.
row=$(db "SELECT started_at, duration_ms >= 0, autogen_version, run_by FROM autogen_run_log WHERE id = 1")
version=$("$AUTOGEN" --version) && version=${version#autogen }
[[ "$row" =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z\|(1|t)\|${version//./\\.}\|$(id -un)@$(hostname)$ ]] ||
    fail "log row: $row"
# The header row says the layout.
assert_eq "$(db "SELECT revision, direction FROM autogen_run_log WHERE id = 0")" "1|layout" "header row"
# The log is autogen's, like the version table: never diffed, never dropped.
expect 0 check
expect 0 revision -m nothing --rev-id zzz999
assert_contains "$T/out" "No changes detected"
[ -z "$(ls "$V"/zzz999_*.c 2>/dev/null)" ] || fail "a revision was written for the run log"

# Two revisions in one run: one run number.
expect 0 revision --empty -m b --rev-id bbb002
add_sql "$(file bbb002)" upgrade "CREATE TABLE b (x INTEGER)"
add_sql "$(file bbb002)" downgrade "DROP TABLE b"
expect 0 revision --empty -m c --rev-id ccc003
add_sql "$(file ccc003)" upgrade "CREATE TABLE c (x INTEGER)"
add_sql "$(file ccc003)" downgrade "DROP TABLE c"
expect 0 upgrade
B=$(sum "$(file bbb002)")
C=$(sum "$(file ccc003)")
assert_eq "$(log_rows)" "1|aaa001|upgrade|$A
2|bbb002|upgrade|$B
2|ccc003|upgrade|$C" "log after the second run"
expect 0 status
assert_contains "$T/out" "3 applied, 0 pending, 0 missing, 0 edited"

# A pending revision: status exits 1 and says so, in text and JSON.
expect 0 revision --empty -m d --rev-id ddd004
add_sql "$(file ddd004)" upgrade "CREATE TABLE d (x INTEGER)"
add_sql "$(file ddd004)" downgrade "DROP TABLE d"
expect 1 status
grep -qE '^ddd004 +pending +d$' "$T/out" || fail "ddd004 not pending: $(cat "$T/out")"
grep -qE '^bbb002 +applied +2 +20[0-9-]+T[0-9:.]+Z +b$' "$T/out" || fail "bbb002 line: $(cat "$T/out")"
expect 1 --format json status
assert_eq "$(status_field revision state run edited)" "aaa001|applied|1|False
bbb002|applied|2|False
ccc003|applied|2|False
ddd004|pending|None|False" "status JSON"

# An applied file edited since: status flags it, upgrade refuses naming the
# file and revision and runs nothing, unless --allow-edited.
echo "/* reviewed later */" >>"$(file aaa001)"
expect 1 status
grep -qE '^aaa001 +applied +1 .*\[edited\]$' "$T/out" || fail "aaa001 not edited: $(cat "$T/out")"
assert_contains "$T/out" "1 edited"
assert_contains "$T/out" "$(file aaa001 | sed "s|$T/p/||") (revision aaa001) changed since it was applied"
expect 3 upgrade
assert_contains "$T/err" "alembic_like/versions/aaa001_users.c (revision aaa001, applied in run 1)"
assert_contains "$T/err" "--allow-edited"
assert_contains "$T/err" "stamp --checksums"
assert_eq "$(versions)" "ccc003 " "version after the refused upgrade"
# A dry run is refused too: it is an upgrade.
expect 3 upgrade --dry-run
expect 0 upgrade --allow-edited
assert_contains "$T/err" "warning: 1 applied migration(s) changed"
assert_eq "$(versions)" "ddd004 " "version after --allow-edited"
D=$(sum "$(file ddd004)")
assert_eq "$(log_rows | tail -1)" "3|ddd004|upgrade|$D" "run 3"
# stamp --checksums records the file as it is now; then all is clean.
expect 0 stamp --checksums
assert_contains "$T/err" "Recorded the checksum of alembic_like/versions/aaa001_users.c (revision aaa001)"
A2=$(sum "$(file aaa001)")
assert_eq "$(log_rows | tail -1)" "4|aaa001|checksum|$A2" "checksum row"
expect 0 status
expect 0 upgrade
expect 0 stamp --checksums
assert_contains "$T/err" "Nothing to do"

# --dry-run leaves the log as it was.
db "SELECT * FROM autogen_run_log ORDER BY id" >"$T/log.before"
expect 0 downgrade --last-run --dry-run
assert_contains "$T/out" "rehearsed downgrade of alembic_like/versions/ddd004_d.c"
db "SELECT * FROM autogen_run_log ORDER BY id" >"$T/log.after"
cmp -s "$T/log.before" "$T/log.after" || fail "a dry run changed the log"

# --sql with --last-run: the script that reverts the run, log row included.
expect 0 downgrade --sql --last-run
assert_contains "$T/out" "DELETE FROM \"autogen_version\" WHERE version_num = 'ddd004'"
assert_contains "$T/out" "'ddd004', 'downgrade'"
cmp -s "$T/log.before" <(db "SELECT * FROM autogen_run_log ORDER BY id") || fail "--sql changed the log"

# downgrade --last-run reverts exactly the last upgrade run (run 3: ddd004).
expect 0 downgrade --last-run
assert_contains "$T/err" "Reverting run 3: 1 revision(s)"
assert_eq "$(versions)" "ccc003 " "version after --last-run"
assert_eq "$(log_rows | tail -1)" "5|ddd004|downgrade|$D" "downgrade row"
# Again: nothing of run 3 is applied; the error points at run 2.
expect 3 downgrade --last-run
assert_contains "$T/err" "nothing that run 3 applied (ddd004) is still applied"
assert_contains "$T/err" "downgrade --run 2"
expect 3 downgrade --run 42
assert_contains "$T/err" "run 42 applied no revision"
expect 2 downgrade --run x
expect 2 downgrade --last-run -1
# --run 2 reverts both revisions of run 2, newest first.
expect 0 downgrade --run 2
assert_contains "$T/err" "Running downgrade ccc003 -> bbb002"
assert_contains "$T/err" "Running downgrade bbb002 -> aaa001"
assert_eq "$(versions)" "aaa001 " "version after --run 2"
assert_eq "$(log_rows | tail -2)" "6|ccc003|downgrade|$C
6|bbb002|downgrade|$B" "run 6 rows"

# A run with a later run on top cannot be reverted alone.
expect 0 upgrade bbb002
expect 0 upgrade
expect 3 downgrade --run 7
assert_contains "$T/err" "run 7 cannot be reverted alone: its revision 'bbb002' has 'ccc003' on top of it (applied in run 8)"
assert_eq "$(versions)" "ddd004 " "version after the refused --run 7"
expect 0 downgrade --run 8
expect 0 downgrade --run 7
assert_eq "$(versions)" "aaa001 " "version after reverting runs 8 and 7"

# A migration that fails after one that succeeded in the same run: the first
# one's row is there, the failed one's is not (both in their transaction).
expect 0 upgrade
n_before=$(db "SELECT count(*) FROM autogen_run_log")
expect 0 revision --empty -m ok --rev-id eee005
add_sql "$(file eee005)" upgrade "CREATE TABLE e (x INTEGER)"
add_sql "$(file eee005)" downgrade "DROP TABLE e"
expect 0 revision --empty -m broken --rev-id fff006
add_sql "$(file fff006)" upgrade "CREATE TABLE f (x INTEGER)" "INSERT INTO no_such_table VALUES (1)"
expect 3 upgrade
assert_eq "$(versions)" "eee005 " "version after the failed run"
assert_eq "$(db "SELECT count(*) FROM autogen_run_log")" "$((n_before + 1))" "rows after the failed run"
assert_eq "$(log_rows | tail -1 | cut -d'|' -f2,3)" "eee005|upgrade" "the successful one's row"
rm -f "$(file fff006)"

# Stamps are logged: unstamp for what goes, stamp for what comes.
expect 0 stamp ccc003
assert_eq "$(log_rows | tail -2 | cut -d'|' -f2,3)" "eee005|unstamp
ddd004|unstamp" "stamp down"
expect 0 stamp eee005
assert_eq "$(log_rows | tail -2 | cut -d'|' -f2,3)" "ddd004|stamp
eee005|stamp" "stamp up"
expect 0 status
grep -qE '^eee005 +stamped ' "$T/out" || fail "eee005 not stamped: $(cat "$T/out")"

# A file deleted after it was applied: missing, exit 1.
mv "$(file eee005)" "$T/eee005.c"
expect 1 status
grep -qE '^eee005 +missing ' "$T/out" || fail "eee005 not missing: $(cat "$T/out")"
assert_contains "$T/out" "4 applied, 0 pending, 1 missing, 0 edited"
expect 1 --format json status
assert_eq "$(status_field revision state | tail -1)" "eee005|missing" "missing in JSON"
mv "$T/eee005.c" "$V/"

# An offline script writes the log as a run does: applied to an empty
# database, it leaves one row per revision, all of one run.
expect 0 upgrade --sql eee005
cp "$T/out" "$T/script.sql"
if [ "$AG_BACKEND" = pg ]; then
    other=$(pg_other_db sql)
    psql_file "$other" "$T/script.sql"
    rows=$(psql -X -q -t -A "$other" -c "SELECT run, revision, direction, checksum IS NOT NULL FROM autogen_run_log WHERE id > 0 ORDER BY id")
else
    sqlite3 -bail "$T/script.db" <"$T/script.sql"
    rows=$(sqlite3 "$T/script.db" "SELECT run, revision, direction, checksum IS NOT NULL FROM autogen_run_log WHERE id > 0 ORDER BY id")
fi
assert_eq "$rows" "1|aaa001|upgrade|$([ "$AG_BACKEND" = pg ] && echo t || echo 1)
1|bbb002|upgrade|$([ "$AG_BACKEND" = pg ] && echo t || echo 1)
1|ccc003|upgrade|$([ "$AG_BACKEND" = pg ] && echo t || echo 1)
1|ddd004|upgrade|$([ "$AG_BACKEND" = pg ] && echo t || echo 1)
1|eee005|upgrade|$([ "$AG_BACKEND" = pg ] && echo t || echo 1)" "log written by the script"

# A database from before the log (a version table, no log) keeps working:
# its revisions show no run and are never refused for their text.
expect 0 downgrade ccc003
db "DROP TABLE autogen_run_log"
expect 1 status
grep -qE '^aaa001 +applied +- +- +users$' "$T/out" || fail "aaa001 without a log: $(cat "$T/out")"
expect 1 --format json status
assert_contains "$T/out" "\"run_log\": false"
echo "/* edited before the log */" >>"$(file bbb002)"
expect 0 upgrade
assert_eq "$(log_rows | cut -d'|' -f1-3)" "1|ddd004|upgrade
1|eee005|upgrade" "log created by the first run after"
expect 0 status
expect 0 downgrade --last-run
assert_eq "$(versions)" "ccc003 " "--last-run in a database from before the log"
# stamp --checksums gives them a checksum: from then on an edit is refused.
expect 0 stamp --checksums
assert_contains "$T/err" "Recorded the checksum of alembic_like/versions/bbb002_b.c (revision bbb002)"
echo "/* and again */" >>"$(file bbb002)"
expect 3 upgrade
assert_contains "$T/err" "alembic_like/versions/bbb002_b.c (revision bbb002)"
expect 0 stamp --checksums

# The table's name is a setting.
echo "run_log_table: deploy_log" >>"$T/p/autogen.yaml"
expect 0 upgrade
assert_eq "$(db "SELECT revision, direction FROM deploy_log WHERE id > 0 ORDER BY id" | tr '\n' ' ')" \
    "ddd004|upgrade eee005|upgrade " "a log of another name"
expect 1 check
assert_contains "$T/out" "drop table 'autogen_run_log'"
if grep -q deploy_log "$T/out"; then fail "check proposes to drop the run log"; fi
