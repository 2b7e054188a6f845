#!/usr/bin/env bash
# Deferrable unique constraints (README, model files: `deferrable:` /
# `initially:` on a `unique:` entry): a hand-made PostgreSQL table whose
# position is unique only at commit (the classic swap of two rows) is pulled
# with its deferrability, the baseline builds it so (the swap still commits
# in a database built from it), and a model that flips it is a change (a
# drop and an add: PostgreSQL alters only a foreign key's deferrability). On
# SQLite the keys are refused when the models load.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
db <<'SQL'
CREATE TABLE slots (
    id int PRIMARY KEY,
    pos int NOT NULL,
    code text,
    CONSTRAINT slots_pos_key UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT slots_code_key UNIQUE (code) DEFERRABLE
);
INSERT INTO slots VALUES (1, 1, 'a'), (2, 2, 'b');
SQL
expect 0 pull
assert_contains "$M/slots.yaml" "- { name: slots_pos_key, columns: [pos], deferrable: true, initially: deferred }"
assert_contains "$M/slots.yaml" "- { name: slots_code_key, columns: [code], deferrable: true }"
expect 0 revision -m nothing --rev-id nothing00001
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"

rm -f "$M"/*.yaml
expect 0 pull --baseline -m baseline --rev-id base00000001
expect 0 check --scratch
scratch=$(pg_other_db scratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch db "INSERT INTO slots VALUES (1, 1, 'a'), (2, 2, 'b')"
PG_URL=$scratch db "UPDATE slots SET pos = 3 - pos" || fail "the swap no longer commits"
assert_eq "$(PG_URL=$scratch db "SELECT string_agg(conname || ':' || condeferrable || condeferred, ',' ORDER BY conname)
    FROM pg_constraint WHERE contype = 'u' AND conrelid = 'slots'::regclass")" \
    "slots_code_key:truefalse,slots_pos_key:truetrue" "deferrability built"

# Not deferrable any more: a drop and an add, both ways.
sed -i 's/, deferrable: true, initially: deferred//' "$M/slots.yaml"
expect 0 revision -m immediate --rev-id immed0000001
f=$(ls "$T"/p/alembic_like/versions/immed0000001_*.c)
grep -q 'ag_create_unique(op, "slots", "slots_pos_key"' "$f" || fail "upgrade: $(cat "$f")"
grep -q 'ag_create_deferrable_unique(op, "slots", "slots_pos_key", AG_COLS("pos"), "deferred")' "$f" ||
    fail "downgrade: $(cat "$f")"
expect 0 upgrade
assert_eq "$(db "SELECT condeferrable FROM pg_constraint WHERE conname = 'slots_pos_key'")" f "after upgrade"
expect 0 check
expect 0 downgrade -1
assert_eq "$(db "SELECT condeferrable::text || condeferred FROM pg_constraint WHERE conname = 'slots_pos_key'")" \
    "truetrue" "after downgrade"
assert_eq "$(db "SELECT count(*) FROM slots")" 2 "rows kept"

# SQLite refuses them at the key.
rm -rf "$T/sq" && mkdir -p "$T/sq/models"
cat >"$T/sq/models/slots.yaml" <<'YAML'
tables:
  slots:
    columns:
      id: { type: integer, primary_key: true }
      pos: { type: integer }
    unique:
      - { columns: [pos], deferrable: true }
YAML
printf 'models: models\nscript_location: versions\nurl: sqlite:///app.db\n' >"$T/sq/autogen.yaml"
(cd "$T/sq" && AUTOGEN_URL= "$AUTOGEN" check) >"$T/out" 2>"$T/err" && fail "SQLite took a deferrable unique"
assert_contains "$T/err" "models/slots.yaml:7:39: error: SQLite's unique constraints are checked at each statement, never deferred"
echo "ok: deferrable unique constraints"
