#!/usr/bin/env bash
# A SQLite database that another tool created, the way SQLAlchemy and Django
# write it: the key an `INTEGER ... PRIMARY KEY (id)` rowid alias without
# AUTOINCREMENT (or Django's `integer NOT NULL PRIMARY KEY AUTOINCREMENT`), a
# timezone-aware timestamp declared DATETIME. Models that say `autoincrement:
# true` and `timestamptz` match it: no changes; a real change alongside is that
# one op and nothing else. `autoincrement: strict` asks for the keyword; a
# BIGINT key or a WITHOUT ROWID table is no rowid alias.
. "$(dirname "$0")/lib.sh"

new_project
db <<'SQL'
CREATE TABLE users (
	id INTEGER NOT NULL,
	email VARCHAR(120) NOT NULL,
	created_at DATETIME,
	PRIMARY KEY (id),
	UNIQUE (email)
);
CREATE TABLE posts (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	published_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE, "created" datetime NOT NULL);
CREATE TABLE tags (id integer primary key, label TEXT);
INSERT INTO users (email, created_at) VALUES ('a@example.com', '2026-01-01 10:00:00');
SQL
cat >"$T/p/models/app.yaml" <<'YAML'
tables:
  users:
    columns:
      id:         { type: integer, primary_key: true, autoincrement: true }
      email:      { type: string(120), nullable: false, unique: true }
      created_at: { type: timestamptz }
  posts:
    columns:
      id:           { type: integer, primary_key: true, autoincrement: true }
      user_id:      { type: integer, nullable: false, references: users.id }
      published_at: { type: timestamptz, nullable: false }
  auth_group:
    columns:
      id:      { type: integer, primary_key: true, autoincrement: true }
      name:    { type: string(150), nullable: false, unique: true }
      created: { type: timestamptz, nullable: false }
  tags:
    columns:
      id:    { type: integer, primary_key: true, autoincrement: true }
      label: { type: text }
YAML
expect 0 diff
[ ! -s "$T/out" ] || assert_contains "$T/out" "No changes"
expect 0 check
expect 0 revision -m "nothing"
assert_contains "$T/out" "No changes detected"
assert_eq "$(versions_count)" 0 "no migration for no change"

# One real change alongside: exactly that op.
sed -i 's/      created_at: { type: timestamptz }/      created_at: { type: timestamptz }\n      name:       { type: string(80) }/' \
    "$T/p/models/app.yaml"
expect 1 check
expect 0 --format json diff
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ops = [(c["op"], c["table"]) for c in d["changes"]]
assert ops == [("add_column", "users")], ops
PY
expect 0 revision -m "add name" --rev-id aaaa00000001
f="$T/p/alembic_like/versions/aaaa00000001_add_name.c"
assert_eq "$(grep -o 'ag_[a-z_]*(op' "$f" | tr '\n' ' ')" "ag_add_column(op ag_drop_column(op " \
    "the migration's calls"
expect 0 upgrade
expect 0 check
assert_eq "$(db "SELECT count(*) FROM users")" 1 "rows kept"

# autoincrement: strict compares on the keyword: users has none (a hint, not
# an invisible alter), auth_group has it.
sed -i 's/id:         { type: integer, primary_key: true, autoincrement: true }/id:         { type: integer, primary_key: true, autoincrement: strict }/' \
    "$T/p/models/app.yaml"
sed -i '/auth_group:/,/name:/s/autoincrement: true/autoincrement: strict/' "$T/p/models/app.yaml"
expect 0 diff
assert_contains "$T/err" "users.id"
assert_contains "$T/err" "AUTOINCREMENT"
grep -q "auth_group" "$T/err" && fail "auth_group has the keyword"
expect 0 revision -m "strict"
assert_contains "$T/out" "No changes detected"
sed -i 's/autoincrement: strict/autoincrement: true/' "$T/p/models/app.yaml"
expect 0 check

# Not rowid aliases: a BIGINT key, a WITHOUT ROWID table.
db "CREATE TABLE big (id BIGINT NOT NULL, PRIMARY KEY (id));
    CREATE TABLE wr (id INTEGER NOT NULL PRIMARY KEY, v TEXT) WITHOUT ROWID"
cat >"$T/p/models/more.yaml" <<'YAML'
tables:
  big:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
  wr:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      v:  { type: text }
YAML
expect 0 diff
assert_contains "$T/err" "big.id"
assert_contains "$T/err" "wr.id"

# A bad value is an error at its place.
sed -i 's/autoincrement: true }/autoincrement: maybe }/' "$T/p/models/more.yaml"
expect 3 diff
assert_contains "$T/err" "more.yaml:4:"
assert_contains "$T/err" "strict"
echo ok
