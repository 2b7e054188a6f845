#!/usr/bin/env bash
# Offline SQLite scripts follow SQLite's ALTER TABLE procedure: foreign keys off
# before the transaction (PRAGMA foreign_keys is a no-op inside one), the table
# rebuilt inside it, and the references checked before COMMIT. Run through the
# sqlite3 shell with foreign keys on, a rebuild of a table whose rows other rows
# reference with ON DELETE CASCADE keeps every child row, upgrading and
# downgrading; a script whose migration leaves a row pointing at nothing rolls
# that migration back.
. "$(dirname "$0")/lib.sh"

new_project
cat >"$T/v1.yaml" <<'YAML'
tables:
  parents:
    columns:
      id:   { type: integer, primary_key: true, autoincrement: true }
      name: { type: string(50) }
  children:
    columns:
      id:        { type: integer, primary_key: true, autoincrement: true }
      parent_id: { type: integer, nullable: false, references: parents.id, on_delete: cascade }
      note:      { type: text }
YAML
# v2: parents.name becomes NOT NULL with a default: a rebuild of parents.
sed 's/name: { type: string(50) }/name: { type: string(50), nullable: false, default: x }/' \
    "$T/v1.yaml" >"$T/v2.yaml"

use_models "$T/v1.yaml"
expect 0 revision -m v1 --rev-id aaaa00000001
cp "$T/p/app.db" "$T/online.db" 2>/dev/null || true
expect 0 upgrade head
use_models "$T/v2.yaml"
expect 0 revision -m v2 --rev-id bbbb00000002
rm -f "$T/p/app.db"

fk_sqlite() { sqlite3 -batch -cmd "PRAGMA foreign_keys=ON" "$T/off.db" 2>"$T/sqlite.err"; }

expect 0 upgrade --sql aaaa00000001
cp "$T/out" "$T/v1.sql"
fk_sqlite <"$T/v1.sql" || { cat "$T/sqlite.err" >&2; fail "v1 script"; }
sqlite3 -batch "$T/off.db" "INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b');
    INSERT INTO children (parent_id, note) VALUES (1, 'x'), (1, 'y'), (2, 'z');"

expect 0 upgrade --sql aaaa00000001:bbbb00000002
cp "$T/out" "$T/up.sql"
assert_contains "$T/up.sql" 'DROP TABLE "parents"'
# The pragma comes before the first BEGIN.
first_pragma=$(grep -n "PRAGMA foreign_keys = OFF;" "$T/up.sql" | head -1 | cut -d: -f1 || true)
first_begin=$(grep -n "^BEGIN;" "$T/up.sql" | head -1 | cut -d: -f1 || true)
[ -n "$first_pragma" ] && [ "$first_pragma" -lt "$first_begin" ] ||
    { cat "$T/up.sql" >&2; fail "no PRAGMA foreign_keys = OFF before BEGIN"; }
assert_contains "$T/up.sql" 'pragma_foreign_key_check'
fk_sqlite <"$T/up.sql" || { cat "$T/sqlite.err" >&2; fail "upgrade script"; }
[ ! -s "$T/sqlite.err" ] || { cat "$T/sqlite.err" >&2; fail "upgrade script reported errors"; }
assert_eq "$(sqlite3 "$T/off.db" "SELECT count(*) FROM children")" 3 "children after the offline upgrade"
assert_eq "$(sqlite3 "$T/off.db" "SELECT version_num FROM autogen_version")" bbbb00000002 "version"
assert_eq "$(sqlite3 "$T/off.db" "SELECT sql FROM sqlite_master WHERE name = 'parents'")" \
    'CREATE TABLE "parents" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" VARCHAR(50) NOT NULL DEFAULT '"'x'"')' \
    "parents rebuilt"

expect 0 downgrade --sql bbbb00000002:aaaa00000001
cp "$T/out" "$T/down.sql"
assert_contains "$T/down.sql" 'DROP TABLE "parents"'
assert_contains "$T/down.sql" 'PRAGMA foreign_keys = OFF;'
fk_sqlite <"$T/down.sql" || { cat "$T/sqlite.err" >&2; fail "downgrade script"; }
[ ! -s "$T/sqlite.err" ] || { cat "$T/sqlite.err" >&2; fail "downgrade script reported errors"; }
assert_eq "$(sqlite3 "$T/off.db" "SELECT count(*) FROM children")" 3 "children after the offline downgrade"
assert_eq "$(sqlite3 "$T/off.db" "SELECT version_num FROM autogen_version")" aaaa00000001 "version"

# A migration that leaves a child without its parent: the check before COMMIT
# fails and the migration's transaction rolls back, version table included.
expect 0 revision --empty -m orphan --rev-id cccc00000003
add_sql "$T/p/alembic_like/versions/cccc00000003_orphan.c" upgrade \
    "DELETE FROM parents WHERE id = 2"
add_sql "$T/p/alembic_like/versions/cccc00000003_orphan.c" downgrade "SELECT 1"
expect 0 upgrade --sql bbbb00000002:cccc00000003
cp "$T/out" "$T/orphan.sql"
fk_sqlite <"$T/up.sql"
sqlite3 -batch -bail -cmd "PRAGMA foreign_keys=ON" "$T/off.db" <"$T/orphan.sql" 2>"$T/sqlite.err" &&
    fail "the orphan script succeeded"
assert_contains "$T/sqlite.err" "foreign_key_violations"
assert_eq "$(sqlite3 "$T/off.db" "SELECT count(*) FROM parents")" 2 "parents after the failed migration"
assert_eq "$(sqlite3 "$T/off.db" "SELECT version_num FROM autogen_version")" bbbb00000002 "version"
echo "ok"
