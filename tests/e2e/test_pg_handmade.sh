#!/usr/bin/env bash
# A PostgreSQL database written by hand before autogen, as teams have them:
# empty models never mean "drop everything" (item: refused without
# --allow-empty-models), a migration that drops a hand-made table renders
# offline with a warning and makes `check --scratch` say the history needs a
# baseline, and a migration that crashes while being recorded leaves the
# database, its rows and its version table as they were.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
V=$T/p/alembic_like/versions

db <<'SQL'
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(120) NOT NULL UNIQUE,
    created_at timestamptz DEFAULT now()
);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, note text);
INSERT INTO customers (email) VALUES ('a@x.io'), ('b@x.io');
INSERT INTO audit_log (note) VALUES ('kept');
SQL
snapshot() { dump_schema; dump_rows; }
before=$(snapshot)

# Empty models: refused by every command that would propose the drops.
for cmd in "revision -m all" diff check; do
    # shellcheck disable=SC2086
    expect 3 $cmd
    assert_contains "$T/err" "the models declare no table"
    assert_contains "$T/err" "--allow-empty-models"
done
assert_eq "$(versions_count)" 0 "a migration was written for empty models"
assert_eq "$(snapshot)" "$before" "empty models changed the database"

# Models for customers only: the hand-made audit_log is proposed for dropping.
cat >"$T/p/models/shop.yaml" <<'YAML'
tables:
  customers:
    columns:
      id:         { type: integer, primary_key: true, autoincrement: true }
      email:      { type: string(120), nullable: false, unique: true }
      created_at: { type: timestamptz, default_sql: CURRENT_TIMESTAMP }
YAML
expect 0 revision -m "drop audit" --rev-id first0
f=$(ls "$V"/first0_*.c)
assert_contains "$f" 'ag_drop_table(op, "audit_log")'
grep -q "customers" "$f" && fail "the hand-made customers table matches its model: $(cat "$f")"
expect 0 upgrade --sql
assert_contains "$T/out" 'DROP TABLE "audit_log"'
assert_contains "$T/err" "$(basename "$f")"
assert_contains "$T/err" "baseline"
expect 3 check --scratch
assert_contains "$T/err" "$(basename "$f")"
assert_contains "$T/err" "'audit_log'"
assert_contains "$T/err" "never create"
assert_eq "$(db "SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen_scratch_%'")" 0 \
    "scratch database left behind"
assert_eq "$(snapshot)" "$before" "offline commands changed the database"

# A migration that crashes while it is recorded: nothing runs, not even the
# good one before it in the same run.
python3 - "$f" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
i = s.index("void downgrade")
s = s[:i].replace("void upgrade(ag_op *op)\n{", "void upgrade(ag_op *op)\n{\n    *(volatile char *)0 = 1;", 1) + s[i:]
open(path, "w").write(s)
PY
expect 3 upgrade
assert_contains "$T/err" "$(basename "$f"): upgrade() crashed (SIGSEGV)"
assert_eq "$(snapshot)" "$before" "a crashing migration changed the database"
assert_eq "$(db "SELECT count(*) FROM pg_tables WHERE tablename = 'autogen_version'")" 0 \
    "the version table was created"
echo "ok: hand-made database (pg)"
