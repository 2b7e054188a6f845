#!/usr/bin/env bash
# Bad input end to end: every case must exit with the SPEC §5 status, say what is
# wrong on stderr (autogen: error: … or FILE:LINE:COL: error: …), write no
# migration file, and leave the database exactly as it was.
. "$(dirname "$0")/lib.sh"

new_project
cat >"$T/p/models/base.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: string(100), nullable: false }
YAML
expect 0 revision -m "base"
expect 0 upgrade head
db "INSERT INTO users VALUES (1, 'a@x.io')"
snapshot() { dump_schema; dump_rows; db "SELECT * FROM autogen_version"; }
before=$(snapshot)
nfiles=$(versions_count)

unchanged() {
    assert_eq "$(versions_count)" "$nfiles" "$1: a migration file was written"
    assert_eq "$(snapshot)" "$before" "$1: the database changed"
}

# bad_model NAME STATUS EXPECTED-STDERR YAML: a broken second model file.
bad_model() {
    local name=$1 status=$2 msg=$3
    cat >"$T/p/models/zz_bad.yaml"
    expect "$status" revision -m "$name"
    assert_contains "$T/err" "$msg"
    unchanged "$name"
    expect "$status" check
    assert_contains "$T/err" "$msg"
    rm -f "$T/p/models/zz_bad.yaml"
}

bad_model malformed 3 "models/zz_bad.yaml:4:1: error: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping (which started at 3:14)" <<'YAML'
tables:
  posts:
    columns: { id: { type: integer }
YAML
bad_model unknown_key 3 "models/zz_bad.yaml:4:28: error: unknown key 'nulable'" <<'YAML'
tables:
  posts:
    columns:
      id: { type: integer, nulable: false }
YAML
bad_model unknown_type 3 "models/zz_bad.yaml:4:19: error: unknown type 'strng(50)'; did you mean 'string(50)'?" <<'YAML'
tables:
  posts:
    columns:
      id: { type: strng(50) }
YAML
bad_model missing_table 3 "unknown table 'userz'" <<'YAML'
tables:
  posts:
    columns:
      id:      { type: integer, primary_key: true }
      user_id: { type: integer, references: userz.id }
YAML
bad_model missing_column 3 "models/zz_bad.yaml:5:" <<'YAML'
tables:
  posts:
    columns:
      id:      { type: integer, primary_key: true }
      user_id: { type: integer, references: users.uid }
YAML
bad_model duplicate_table 3 "duplicate table 'users'" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer }
YAML

# Unknown revisions and bad targets.
expect 3 upgrade deadbeef
assert_contains "$T/err" "autogen: error: unknown revision 'deadbeef'"
unchanged unknown_revision
expect 3 downgrade nosuchrev
assert_contains "$T/err" "autogen: error: unknown revision 'nosuchrev'"
expect 2 revision
assert_contains "$T/err" "autogen: error: a message is required"
expect 2 frobnicate
assert_contains "$T/err" "autogen: error: unknown command 'frobnicate'"
expect 2 upgrade --bogus
assert_contains "$T/err" "unknown option '--bogus'"
expect 2 revision -m x --rev-id "bad id!"
assert_contains "$T/err" "invalid revision id"
unchanged usage

# Bad URLs.
expect 3 --url "mysql://localhost/db" current
assert_contains "$T/err" "autogen: error: unsupported database URL scheme 'mysql'"
expect 3 --url "postgresql://u:s3cret@127.0.0.1:1/nodb" current
if grep -q s3cret "$T/err"; then fail "the password was printed"; fi

# A migration that does not compile: the compiler's file:line, nothing applied.
expect 0 revision --empty -m "broken" --rev-id broken01
f=$(ls "$T/p/alembic_like/versions/"broken01_*.c)
sed -i 's/(void)op;/ag_add_column(op, "users", AG_COLUMN("x", "text")) oops;/' "$f"
expect 3 upgrade head
assert_contains "$T/err" "broken01_broken.c:"
assert_contains "$T/err" "error"
assert_eq "$(snapshot)" "$before" "compile error: the database changed"
rm -f "$f"

# A migration whose SQL fails halfway: rolled back whole, version table untouched.
expect 0 revision --empty -m "fails" --rev-id fails01
f=$(ls "$T/p/alembic_like/versions/"fails01_*.c)
sed -i '0,/(void)op;/s//ag_add_column(op, "users", AG_COLUMN("nick", "string(20)"));\n    ag_execute(op, "INSERT INTO users (id, email) VALUES (2, '"'"'b@x.io'"'"')");\n    ag_execute(op, "INSERT INTO no_such_table VALUES (1)");/' "$f"
expect 3 upgrade head
assert_contains "$T/err" "no such table: no_such_table"
assert_contains "$T/err" "rolled back"
assert_eq "$(snapshot)" "$before" "failing SQL: the database changed"
rm -f "$f"

# A file in versions/ that is not a migration.
echo "int x;" >"$T/p/alembic_like/versions/notes.c"
expect 3 history
assert_contains "$T/err" "notes.c"
rm -f "$T/p/alembic_like/versions/notes.c"

# The database at a revision whose file is gone: every command that reads the
# version table refuses, and names the command that works (run here).
base_rev=$(db "SELECT version_num FROM autogen_version")
expect 0 revision --empty -m "lost" --rev-id lost01
expect 0 upgrade head
rm -f "$T/p/alembic_like/versions/"lost01_*.c
stamp_named() { # the command the error names, REV filled in with $1
    local cmd
    cmd=$(grep -o "'autogen stamp --purge [^']*'" "$T/err" | tr -d "'")
    [ -n "$cmd" ] || fail "no 'autogen stamp --purge' named in: $(cat "$T/err")"
    echo "${cmd/REV/$1}"
}
for args in current upgrade "downgrade base" "stamp $base_rev" "stamp heads"; do
    # shellcheck disable=SC2086
    expect 3 $args
    assert_contains "$T/err" "revision 'lost01', which no migration file defines"
done
cmd=$(stamp_named "$base_rev")
# shellcheck disable=SC2086
expect 0 ${cmd#autogen }
expect 0 current
assert_contains "$T/out" "$base_rev"
expect 0 upgrade head
assert_eq "$(snapshot)" "$before" "stamp --purge back to a known revision"
# A lost row next to a known one: the command keeps the known one.
db "INSERT INTO autogen_version VALUES ('gone02')"
expect 3 current
cmd=$(stamp_named "$base_rev")
assert_contains "$T/err" "'autogen stamp --purge REV $base_rev'"
# shellcheck disable=SC2086
expect 0 ${cmd#autogen }
assert_eq "$(snapshot)" "$before" "stamp --purge with the known row"

# A missing autogen.yaml.
mkdir -p "$T/empty"
set +e
(cd "$T/empty" && "$AUTOGEN" current) >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq "$rc" 3 "no config: exit status"
assert_contains "$T/err" "autogen: error: no autogen.yaml"
echo "ok: errors"
