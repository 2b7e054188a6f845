#!/usr/bin/env bash
# SQLite has no schemas (README, "Schemas on SQLite"): a model table or enum
# that names one other than `main`, or a `schema:` setting in autogen.yaml, is
# an error at its file:line, for every command that loads models, with exit
# status 3 and nothing written: no migration, no database file, no change to
# an existing database. Silently ignoring it would make `raw.orders` and
# `clean.orders` one table.
. "$(dirname "$0")/lib.sh"
new_project
mkdir -p "$T/p/models/raw" "$T/p/models/clean"
cat >"$T/p/models/raw/orders.yaml" <<'YAML'
tables:
  orders:
    comment: orders as the shop exports them
    schema: raw
    columns:
      id:      { type: bigint, primary_key: true }
      payload: { type: text }
YAML
cat >"$T/p/models/clean/orders.yaml" <<'YAML'
tables:
  orders:
    schema: clean
    columns:
      id:     { type: bigint, primary_key: true }
      raw_id: { type: bigint, references: raw.orders.id }
YAML
msg_raw="models/raw/orders.yaml:4:13: error: table 'orders' has schema 'raw', but SQLite has no schemas: remove 'schema:' or use PostgreSQL"
msg_clean="models/clean/orders.yaml:3:13: error: table 'orders' has schema 'clean', but SQLite has no schemas: remove 'schema:' or use PostgreSQL"

# Every command that loads the models refuses, reporting both files.
for cmd in "revision -m layers" "diff" "check" "check --scratch" "revision -m layers --format json"; do
    # shellcheck disable=SC2086
    expect 3 $cmd
    assert_contains "$T/err" "$msg_raw"
    assert_contains "$T/err" "$msg_clean"
    assert_contains "$T/err" "autogen: error: "
    assert_contains "$T/err" "nothing was changed"
    assert_eq "$(versions_count)" 0 "migrations written by '$cmd'"
    [ ! -e "$T/p/app.db" ] || fail "'$cmd' created the database"
done

# An existing database stays as it was.
rm -rf "$T/p/models/raw" "$T/p/models/clean"
cat >"$T/p/models/users.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
expect 0 revision -m users --rev-id u00000000001
expect 0 upgrade
before=$(dump_schema)
cat >"$T/p/models/users.yaml" <<'YAML'
tables:
  users:
    schema: crm
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text }
YAML
expect 3 revision -m email
assert_contains "$T/err" "models/users.yaml:3:13: error: table 'users' has schema 'crm', but SQLite has no schemas"
assert_eq "$(versions_count)" 1 "migrations after the refused revision"
assert_eq "$(dump_schema)" "$before" "schema after the refused revision"

# `schema: main` names SQLite's own namespace: the same as leaving it out.
sed -i 's/schema: crm/schema: main/' "$T/p/models/users.yaml"
expect 0 diff
assert_contains "$T/out" "add column 'users.email'"

# An enum of another schema, the same.
cat >"$T/p/models/enums.yaml" <<'YAML'
enums:
  billing.invoice_status: [draft, open]
YAML
expect 3 check
assert_contains "$T/err" "models/enums.yaml:2:3: error: enum 'invoice_status' has schema 'billing', but SQLite has no schemas: remove 'billing.' or use PostgreSQL"
rm "$T/p/models/enums.yaml"

# SQLite has one kind of index and no INCLUDE columns (README, "Indexes"):
# `using:` and `include:` are refused when the models load, at their
# file:line, by every command, before any migration is written.
cat >"$T/p/models/docs.yaml" <<'YAML'
tables:
  docs:
    columns:
      id: { type: integer, primary_key: true }
      body: { type: text }
    indexes:
      - { name: ix_docs_body, columns: [body], using: gin }
      - columns: [id]
        include: [body]
YAML
for cmd in "diff" "check" "revision -m docs"; do
    # shellcheck disable=SC2086
    expect 3 $cmd
    assert_contains "$T/err" "models/docs.yaml:7:55: error: index 'ix_docs_body' on 'docs': SQLite has no index access methods; remove 'using:' or use PostgreSQL"
    assert_contains "$T/err" "models/docs.yaml:9:18: error: index on 'docs': SQLite has no INCLUDE columns; remove 'include:' or use PostgreSQL"
done
assert_eq "$(versions_count)" 1 "migrations after the refused indexes"
assert_eq "$(dump_schema)" "$before" "schema after the refused indexes"
rm "$T/p/models/docs.yaml"

# The `schema:` setting: an error at its line in autogen.yaml, for every
# command that opens the database, which is left untouched.
echo "schema: app" >>"$T/p/autogen.yaml"
line=$(grep -n '^schema: app' "$T/p/autogen.yaml" | cut -d: -f1)
for cmd in "diff" "check" "revision -m email" "upgrade" "current" "upgrade --sql"; do
    # shellcheck disable=SC2086
    expect 3 $cmd
    assert_contains "$T/err" "autogen.yaml:$line:9: error: 'schema: app' names a schema, but SQLite has no schemas: remove the setting or use PostgreSQL"
done
assert_eq "$(versions_count)" 1 "migrations after the refused setting"
assert_eq "$(dump_schema)" "$before" "schema after the refused setting"
sed -i 's/^schema: app$/schema: main/' "$T/p/autogen.yaml"
expect 1 check
echo "ok: sqlite schema rejected"
