#!/usr/bin/env bash
# The `schema:` setting and foreign keys across schemas on PostgreSQL: tables
# without a `schema:` key and the version table live in the setting's schema,
# created by the first write run; references to another schema's table are
# written plainly or schema-qualified; `upgrade --sql` starts in that schema.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
echo "schema: app" >>"$T/p/autogen.yaml"

cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
  posts:
    schema: blog
    columns:
      id:      { type: integer, primary_key: true }
      user_id: { type: integer, nullable: false, references: users.id, on_delete: cascade }
  comments:
    schema: blog
    columns:
      id:      { type: integer, primary_key: true }
      post_id: { type: integer, references: blog.posts.id }
      user_id: { type: integer }
    foreign_keys:
      - { columns: [user_id], references: app.users(id) }
YAML
expect 0 revision -m one --rev-id one000
# Read-only commands do not create the schema.
assert_eq "$(db "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")" 0 "app before upgrade"
expect 0 upgrade
tables() {
    db "SELECT table_schema || '.' || table_name FROM information_schema.tables
        WHERE table_schema IN ('public', 'app', 'blog') ORDER BY 1" | tr '\n' ' '
}
assert_eq "$(tables)" "app.autogen_run_log app.autogen_version app.users blog.comments blog.posts " "tables by schema"
assert_eq "$(db "SELECT string_agg(conrelid::regclass || '->' || confrelid::regclass, ' ' ORDER BY conname) FROM pg_constraint WHERE contype = 'f'")" \
    "blog.comments->blog.posts blog.comments->app.users blog.posts->app.users" "foreign keys"
expect 0 check
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"
expect 0 current
assert_contains "$T/out" "one000"

# Offline: the script makes the schema and the search path first.
expect 0 upgrade --sql
assert_eq "$(head -n 2 "$T/out")" 'CREATE SCHEMA IF NOT EXISTS "app";
SET search_path TO "app", public;' "prelude"
off_url=$(pg_other_db off)

psql_file "$off_url" "$T/out"
expect 0 check --url "$off_url"
expect 0 current --url "$off_url"
assert_contains "$T/out" "one000"

# check --scratch-url replays into a database of its own, schema included.
expect 0 check --scratch-url "$PG_URL"

# Back to base: the version table and the run log stay, nothing else.
expect 0 downgrade base
assert_eq "$(tables)" "app.autogen_run_log app.autogen_version " "after downgrade base"

# The same table name in several schemas: a warehouse's raw and clean layers.
expect 0 upgrade
cat >"$T/p/models/raw.yaml" <<'YAML'
tables:
  events:
    schema: raw
    columns:
      id:      { type: bigint, primary_key: true }
      payload: { type: text }
YAML
cat >"$T/p/models/clean.yaml" <<'YAML'
tables:
  events:
    schema: clean
    columns:
      id:     { type: bigint, primary_key: true }
      raw_id: { type: bigint, references: raw.events.id }
  sessions:
    schema: clean
    columns:
      id:       { type: bigint, primary_key: true }
      event_id: { type: bigint, references: events.id }
YAML
expect 0 revision -m layers --rev-id layers
expect 0 upgrade
layers() {
    db "SELECT table_schema || '.' || table_name FROM information_schema.tables
        WHERE table_schema IN ('raw', 'clean') ORDER BY 1" | tr '\n' ' '
}
assert_eq "$(layers)" "clean.events clean.sessions raw.events " "tables of the layers"
assert_eq "$(db "SELECT string_agg(conrelid::regclass || '->' || confrelid::regclass, ' ' ORDER BY conname) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'clean'::regnamespace")" \
    "clean.events->raw.events clean.sessions->clean.events" "references between the layers"
expect 0 check
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"
expect 0 downgrade -1
assert_eq "$(layers)" "" "layers after downgrade"
expect 0 upgrade
# From a third schema, "events" could be either: the models must say which.
cat >"$T/p/models/bi.yaml" <<'YAML'
tables:
  report:
    schema: bi
    columns:
      id:       { type: bigint, primary_key: true }
      event_id: { type: bigint, references: events.id }
YAML
expect 3 check
assert_contains "$T/err" "bi.yaml:"
assert_contains "$T/err" "foreign key references 'events', which is in schemas 'clean' and 'raw'; write 'clean.events' or 'raw.events'"
rm "$T/p/models/bi.yaml" "$T/p/models/raw.yaml" "$T/p/models/clean.yaml"

# A reference that names the wrong schema is a model error.
sed -i 's/references: blog.posts.id/references: app.posts.id/' "$T/p/models/m.yaml"
expect 3 check
assert_contains "$T/err" "m.yaml:"
assert_contains "$T/err" "foreign key references 'app.posts', but table 'posts' is in schema 'blog'"
echo "ok: pg schemas"
