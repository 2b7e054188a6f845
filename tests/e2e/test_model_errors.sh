#!/usr/bin/env bash
# Models the database could not apply, and model errors that must say what to
# do: each exits 3 with FILE:LINE:COL, writes no migration and leaves the
# database as it was.
. "$(dirname "$0")/lib.sh"

new_project
cat >"$T/p/models/users.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: string(100), nullable: false }
    indexes:
      - { name: ix_email, columns: [email] }
YAML
expect 0 revision -m "users"
expect 0 upgrade head
before=$(dump_schema)
nfiles=$(versions_count)

# bad_model NAME EXPECTED-STDERR YAML: a second model file the database could not take.
bad_model() {
    local name=$1 msg=$2
    cat >"$T/p/models/zz_bad.yaml"
    expect 3 revision -m "$name"
    assert_contains "$T/err" "$msg"
    assert_eq "$(versions_count)" "$nfiles" "$name: a migration file was written"
    assert_eq "$(dump_schema)" "$before" "$name: the database changed"
    expect 3 check
    assert_contains "$T/err" "$msg"
    rm -f "$T/p/models/zz_bad.yaml"
}

# Index names are database-wide on SQLite: the second CREATE INDEX would fail.
bad_model duplicate_index "models/zz_bad.yaml:7:9: error: index name 'ix_email' is already taken by an index of table 'users' (models/users.yaml:7:9)" <<'YAML'
tables:
  invites:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: text }
    indexes:
      - { name: ix_email, columns: [email] }
YAML

bad_model fk_not_unique "models/zz_bad.yaml:5:41: error: foreign key references 'users.email', which is neither a primary key nor unique; add 'unique: true' to column 'email' of table 'users'" <<'YAML'
tables:
  invites:
    columns:
      id:     { type: integer, primary_key: true }
      sender: { type: text, references: users.email }
YAML

bad_model fk_types "models/zz_bad.yaml:5:41: error: foreign key column 'owner' is text but 'users.id' is integer; declare 'owner' as integer" <<'YAML'
tables:
  invites:
    columns:
      id:     { type: integer, primary_key: true }
      owner:  { type: text, references: users.id }
YAML

bad_model unquoted_comma "models/zz_bad.yaml:5:22: error: unquoted comma in 'type: decimal(12,2)': inside { } a comma ends the value; quote it, as in type: \"decimal(12,2)\"" <<'YAML'
tables:
  invites:
    columns:
      id:    { type: integer, primary_key: true }
      price: { type: decimal(12,2), default: 0 }
YAML
if grep -q "unknown key" "$T/err"; then fail "the split comma was reported twice"; fi

printf 'tables:\n  invites:\n    columns:\n\tid: { type: integer }\n' >"$T/p/models/zz_bad.yaml"
expect 3 revision -m tab
assert_contains "$T/err" "models/zz_bad.yaml:4:1: error: tabs are not allowed for indentation in YAML; use spaces"
rm -f "$T/p/models/zz_bad.yaml"

expect 0 check

# A model that cannot be read is an error naming it, not an empty model diffed
# (here a folder named like a model file: open succeeds, read fails).
mkdir "$T/p/models/zz_dir.yaml"
expect 3 diff
assert_contains "$T/err" "models/zz_dir.yaml: error: cannot read"
assert_contains "$T/err" "Is a directory"
rmdir "$T/p/models/zz_dir.yaml"

# The same for the configuration.
mv "$T/p/autogen.yaml" "$T/p/autogen.real"
mkdir "$T/p/autogen.yaml"
expect 3 -c autogen.yaml diff
assert_contains "$T/err" "Is a directory"
rmdir "$T/p/autogen.yaml"
mv "$T/p/autogen.real" "$T/p/autogen.yaml"

expect 0 check

# SQLite keeps names of any length: no error, and names from the convention stay whole.
long=inspector_certification_number_of_the_rental_property_inspection_report
cat >"$T/p/models/zz_long.yaml" <<YAML
tables:
  reports:
    columns:
      id:    { type: integer, primary_key: true }
      $long: { type: text, index: true }
YAML
expect 0 revision -m long
expect 0 upgrade
assert_eq "$(db "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports'")" "ix_reports_$long" "index name on SQLite"
expect 0 check

# With no database URL the dialect is unknown: PostgreSQL's 63 bytes apply, so
# that models stay portable (the model error comes before the missing URL).
sed -i '/^url:/d' "$T/p/autogen.yaml"
expect 3 diff
assert_contains "$T/err" "models/zz_long.yaml:5:7: error: column name '$long' is 71 bytes long; names may have at most 63 bytes: shorten it"
echo "ok: model errors"
