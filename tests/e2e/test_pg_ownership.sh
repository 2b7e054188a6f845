#!/usr/bin/env bash
# What autogenerate owns on PostgreSQL: the `schema:` setting's schema (else
# the database's default one) and the schemas the models name. Tables, enums,
# sequences and views in any other schema are never read, diffed or dropped;
# an unknown table inside a managed schema is still proposed for dropping,
# unless exclude_tables names it (a bare glob matches the table name, a glob
# with a dot matches schema.table).
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"

# A database that people and other tools have been using: hand-made tables in
# public and in another schema, an enum, a sequence and views.
handmade() {
    db <<'SQL'
CREATE TABLE public.handmade (id integer PRIMARY KEY, note text NOT NULL);
INSERT INTO public.handmade VALUES (1, 'keep me');
CREATE VIEW public.handmade_notes AS SELECT note FROM public.handmade;
CREATE SCHEMA other;
CREATE TYPE other.mood AS ENUM ('ok', 'sad');
CREATE SEQUENCE other.ticket_seq;
CREATE TABLE other.legacy (
    id integer PRIMARY KEY DEFAULT nextval('other.ticket_seq'),
    mood other.mood NOT NULL DEFAULT 'ok'
);
INSERT INTO other.legacy (mood) VALUES ('ok'), ('sad');
CREATE VIEW other.sad AS SELECT id FROM other.legacy WHERE mood = 'sad';
SQL
}

# Nothing of the unmanaged schema shows in what a command printed, but the
# foreign key a model table has to it.
no_other() {
    for f in "$T/out" "$T/err"; do
        if grep -v -e fk_tickets_legacy_id -e 'REFERENCES "other"."legacy"' "$f" |
            grep -q -e legacy -e other -e mood -e ticket_seq; then
            cat "$f" >&2
            fail "$1: the unmanaged schema 'other' shows in $(basename "$f")"
        fi
    done
}

# The hand-made objects are all there, with their rows.
intact() {
    assert_eq "$(db "SELECT count(*) FROM other.legacy")" 2 "$1: rows of other.legacy"
    assert_eq "$(db "SELECT count(*) FROM other.sad")" 1 "$1: the view in other"
    assert_eq "$(db "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'other.mood'::regtype")" \
        "ok,sad" "$1: enum other.mood"
    assert_eq "$(db "SELECT count(*) FROM pg_class WHERE oid = 'other.ticket_seq'::regclass")" 1 "$1: sequence"
}

cat >"$T/models.yaml" <<'YAML'
enums:
  state: [draft, live]
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
  posts:
    schema: blog
    columns:
      id:      { type: integer, primary_key: true }
      user_id: { type: integer, references: users.id }
      state:   { type: enum(state), default: draft, nullable: false }
  tickets:
    columns:
      id:        { type: integer, primary_key: true }
      legacy_id: { type: integer, references: other.legacy.id, on_delete: cascade }
YAML

# --- Without `schema:`: public (the default schema) and blog are managed.
new_project
handmade
cp "$T/models.yaml" "$T/p/models/m.yaml"
expect 0 diff
no_other "diff"
assert_contains "$T/out" "drop table 'handmade' (DESTRUCTIVE)"
expect 0 --format json diff
no_other "diff --format json"
expect 1 check
no_other "check"
# An unknown table in a managed schema is still proposed, as destructive.
expect 0 revision -m first --rev-id first0
no_other "revision"
assert_contains "$T/err" "DESTRUCTIVE"
f=$(ls "$T/p/alembic_like/versions/"first0_*.c)
assert_contains "$f" 'ag_drop_table(op, "handmade")'
if grep -v 'references: other.legacy' "$f" | grep -q -e 'drop.*legacy' -e mood; then cat "$f" >&2; fail "the migration drops from schema 'other'"; fi
rm "$f"

# exclude_tables with a bare name: the table in any managed schema.
echo 'exclude_tables: [handmade]' >>"$T/p/autogen.yaml"
expect 0 revision -m first --rev-id first0
no_other "revision with exclude_tables"
if grep -q handmade "$T/p/alembic_like/versions/"first0_*.c; then fail "excluded table in the migration"; fi
expect 0 upgrade
no_other "upgrade"
intact "after upgrade"
assert_eq "$(db "SELECT note FROM public.handmade")" "keep me" "public.handmade kept"
# The foreign key to the unmanaged schema's table is made, read and compared.
assert_eq "$(db "SELECT confrelid::regclass FROM pg_constraint WHERE conrelid = 'tickets'::regclass AND contype = 'f'")" \
    "other.legacy" "foreign key to other.legacy"
expect 0 check
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"

# A hand-made table in a schema the models name is managed: proposed for
# dropping, unless a schema.table glob excludes it.
db "CREATE TABLE blog.scratch (id integer); INSERT INTO blog.scratch VALUES (1)"
expect 1 check
assert_contains "$T/out" "scratch"
expect 0 diff
assert_contains "$T/out" "(DESTRUCTIVE)"
sed -i 's/^exclude_tables: .*/exclude_tables: [handmade, "blog.scr*"]/' "$T/p/autogen.yaml"
expect 0 check
# A qualified glob names the default schema too.
db "DROP TABLE blog.scratch"
sed -i 's/^exclude_tables: .*/exclude_tables: ["public.hand*"]/' "$T/p/autogen.yaml"
expect 0 check
# ... but only that schema: blog.handmade is not public.handmade.
db "CREATE TABLE blog.handmade (id integer)"
expect 1 check
assert_contains "$T/out" "handmade"
db "DROP TABLE blog.handmade"

# Downgrading to base drops what the migrations made, nothing else.
expect 0 downgrade base
no_other "downgrade"
intact "after downgrade"
assert_eq "$(count_rows handmade)" 1 "public.handmade after downgrade"

# --- With `schema: app`: app and blog are managed, public is not.
export AUTOGEN_URL
AUTOGEN_URL=$(pg_other_db app)
PG_URL=$AUTOGEN_URL
new_project
echo "schema: app" >>"$T/p/autogen.yaml"
handmade
cp "$T/models.yaml" "$T/p/models/m.yaml"
expect 0 diff
no_other "diff (schema: app)"
if grep -q handmade "$T/out" "$T/err"; then cat "$T/out" "$T/err" >&2; fail "public.handmade is not app's"; fi
expect 0 revision -m first
no_other "revision (schema: app)"
if grep -q -e handmade -e DESTRUCTIVE "$T/out" "$T/err"; then cat "$T/err" >&2; fail "public is not managed"; fi
expect 0 upgrade
intact "schema: app"
assert_eq "$(db "SELECT note FROM public.handmade")" "keep me" "public.handmade with schema: app"
expect 0 check
expect 0 downgrade base
intact "schema: app, downgrade"
assert_eq "$(db "SELECT count(*) FROM public.handmade_notes")" 1 "public view"
echo "ok: pg ownership"
