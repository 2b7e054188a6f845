#!/usr/bin/env bash
# `autogen pull` on SQLite databases written by hand and by ORMs: the YAML is
# what a person would write (model types, literal defaults, column-level keys,
# names only where they differ from the naming convention, quoted identifiers),
# the round trip holds (`revision` says "No changes detected", `check` exits
# 0), two pulls are byte-identical, existing files are never overwritten
# without --force, and --baseline writes a first revision that rebuilds the
# database (`check --scratch`) and stamps it.
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
V=$T/p/alembic_like/versions

roundtrip() {
    expect 0 revision -m "nothing" --rev-id nothing0
    assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
    expect 0 check
}

# --- an empty database, a missing file: nothing written -----------------------------------
expect 3 pull
assert_contains "$T/err" "app.db' does not exist"
assert_contains "$T/err" "nothing to pull"
db "CREATE TABLE autogen_version (version_num VARCHAR(32) NOT NULL)"
expect 3 pull
assert_contains "$T/err" "has no table to pull"
assert_eq "$(ls "$M")" "" "pull of an empty database wrote files"
rm "$T/p/app.db"

# --- types, defaults, keys, autoincrement, checks, enums, quoting ---------------------------
db <<'SQL'
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL UNIQUE,
    name TEXT DEFAULT 'anon',
    bio CLOB,
    active BOOLEAN NOT NULL DEFAULT 1,
    score NUMERIC(12,2) DEFAULT 0,
    ratio DOUBLE,
    born DATE,
    created DATETIME DEFAULT CURRENT_TIMESTAMP,
    code CHAR(3),
    avatar BLOB,
    stamp TEXT DEFAULT (datetime('now')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'sold', 'it''s')),
    kind TEXT CONSTRAINT user_kind CHECK (kind IN ('a', 'b')),
    big UNSIGNED BIG INT,
    CONSTRAINT score_positive CHECK (score >= 0)
);
CREATE TABLE "order" (
    "user" INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE ON UPDATE SET NULL,
    "line no" INT NOT NULL,
    qty INT CHECK (qty > 0),
    "yes" TEXT DEFAULT 'no',
    "null" TEXT DEFAULT '0',
    "é" TEXT DEFAULT 'x: y',
    "1st" INTEGER DEFAULT -1,
    PRIMARY KEY ("user", "line no")
);
CREATE INDEX ix_order_qty ON "order"(qty);
CREATE INDEX order_by_yes ON "order"("yes", qty);
CREATE UNIQUE INDEX users_lower_email ON users(lower(email)) WHERE active;
CREATE INDEX ix_users_born ON users(born) WHERE born IS NOT NULL;
CREATE TABLE line_notes (
    "user" INTEGER NOT NULL,
    line INTEGER NOT NULL,
    note TEXT,
    CONSTRAINT notes_line FOREIGN KEY ("user", line) REFERENCES "order"("user", "line no")
        ON DELETE RESTRICT,
    UNIQUE ("user", line, note)
);
SQL
expect 0 pull
assert_eq "$(cat "$T/out")" \
    "$(printf '%s\n' models/line_notes.yaml models/order.yaml models/users.yaml models/enums.yaml)" \
    "files written"
assert_contains "$T/err" "pulled 3 tables and 2 enums into 4 files"
assert_contains "$T/err" "'users.big' (UNSIGNED BIG INT)"
cat >"$T/want" <<'YAML'
tables:
  users:
    columns:
      id:      { type: integer, primary_key: true, autoincrement: true }
      email:   { type: string(200), nullable: false, unique: true }
      name:    { type: text, default: anon }
      bio:     { type: text }
      active:  { type: boolean, nullable: false, default: true }
      score:   { type: "decimal(12,2)", default: 0 }
      ratio:   { type: double }
      born:    { type: date }
      created: { type: timestamp, default_sql: CURRENT_TIMESTAMP }
      code:    { type: char(3) }
      avatar:  { type: binary }
      stamp:   { type: text, default_sql: "datetime('now')" }
      status:  { type: enum, values: [active, sold, "it's"], nullable: false, default: active }
      kind:    { type: enum(user_kind) }
      big:     { type: sql(UNSIGNED BIG INT) }
    indexes:
      - { columns: [born], where: born IS NOT NULL }
      - { name: users_lower_email, expression: lower(email), unique: true, where: active }
    checks:
      - { name: score_positive, expression: score >= 0 }
YAML
diff -u "$T/want" "$M/users.yaml" || fail "users.yaml is not as a person writes it"
cat >"$T/want" <<'YAML'
tables:
  order:
    columns:
      user:      { type: integer, references: users.id, on_delete: cascade, on_update: set null }
      "line no": { type: integer }
      qty:       { type: integer, index: true }
      "yes":     { type: text, default: "no" }
      "null":    { type: text, default: "0" }
      "é":       { type: text, default: "x: y" }
      "1st":     { type: integer, default: -1 }
    primary_key: [user, "line no"]
    indexes:
      - { name: order_by_yes, columns: ["yes", qty] }
    checks:
      - { name: ck_order_1, expression: qty > 0 }
YAML
diff -u "$T/want" "$M/order.yaml" || fail "order.yaml is not as a person writes it"
assert_contains "$M/line_notes.yaml" '- { columns: [user, line, note] }'
assert_contains "$M/line_notes.yaml" \
    '- { name: notes_line, columns: [user, line], references: "order(user, line no)", on_delete: restrict }'
assert_contains "$M/line_notes.yaml" 'note: { type: text }'
test -f "$M/enums.yaml" || fail "the enum of a named CHECK has no enums.yaml"
assert_eq "$(cat "$M/enums.yaml")" "$(printf 'enums:\n  user_kind: [a, b]')" "enums.yaml"
roundtrip

# Two pulls are byte-identical; --dry-run prints the same YAML and writes nothing.
cp -r "$M" "$T/first"
expect 0 pull --force
diff -r "$T/first" "$M" || fail "a second pull differs"
expect 0 pull --dry-run --out "$T/nowhere"
test ! -e "$T/nowhere" || fail "--dry-run wrote files"
assert_contains "$T/out" "# $T/nowhere/users.yaml"
sed -n '/^# .*users.yaml$/,/^$/p' "$T/out" | sed '1d;/^$/d' >"$T/dry"
diff -u "$M/users.yaml" "$T/dry" || fail "--dry-run printed other YAML"

# Existing files: refused, nothing written (not even the files that are new).
rm "$M/order.yaml"
echo "# mine" >"$M/users.yaml"
expect 3 pull
assert_contains "$T/err" "models/users.yaml"
assert_contains "$T/err" "--force"
assert_contains "$T/err" "nothing was written"
test ! -e "$M/order.yaml" || fail "a refused pull wrote order.yaml"
assert_eq "$(cat "$M/users.yaml")" "# mine" "a refused pull overwrote users.yaml"
expect 0 pull --force
diff -r "$T/first" "$M" || fail "pull --force did not restore the files"

# --single-file and --out; --format json lists what was written.
expect 0 --format json pull --single-file "$T/all.yaml"
python3 - "$T/out" "$T/all.yaml" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["dry_run"] is False and doc["baseline"] is None, doc
assert doc["tables"] == 3 and doc["enums"] == 2, doc
[f] = doc["files"]
assert f["path"] == sys.argv[2], f
assert f["tables"] == ["line_notes", "order", "users"] and f["enums"] == ["user_kind"], f
assert any("UNSIGNED BIG INT" in w for w in doc["warnings"]), doc["warnings"]
PY
expect 0 --format json pull --dry-run
python3 - "$T/out" "$M/users.yaml" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["dry_run"] is True and doc["tables"] == 3 and doc["baseline"] is None, doc
f = [f for f in doc["files"] if f["path"] == "models/users.yaml"][0]
assert f["yaml"] == open(sys.argv[2]).read(), f
PY
head -3 "$T/all.yaml" | grep -q '^enums:' || fail "the single file does not start with its enums"
mkdir "$T/p/one"
cp "$T/all.yaml" "$T/p/one/"
sed -i 's/^models: .*/models: one/' "$T/p/autogen.yaml"
roundtrip
sed -i 's/^models: .*/models: models/' "$T/p/autogen.yaml"
expect 0 pull --out elsewhere
assert_contains "$T/out" "elsewhere/users.yaml"
assert_contains "$T/err" "does not read the files written"
# A model file of the user's beside the pulled ones is pointed out.
echo "tables: { users: { columns: { id: { type: integer } } } }" >"$M/mine.yaml"
expect 0 pull --force
assert_contains "$T/err" "the models also read 1 other file ('models/mine.yaml')"
rm "$M/mine.yaml"
diff -r "$T/first" "$T/p/elsewhere" || fail "--out wrote other files"

# --- --baseline: a first revision that rebuilds the database, and the stamp ------------------
expect 0 pull --force --baseline -m "baseline" --rev-id base1
f=$(ls "$V"/base1_*.c)
assert_contains "$T/out" "alembic_like/versions/$(basename "$f")"
assert_contains "$f" 'ag_create_table(op, "users"'
assert_contains "$f" 'ag_drop_table(op, "order")'
expect 0 current
assert_contains "$T/out" "base1"
expect 0 check --scratch
roundtrip
# A first autogenerated change on top of the baseline.
sed -i 's/^      bio: .*$/&\n      motto: { type: string(80) }/' "$M/users.yaml"
assert_contains "$M/users.yaml" "motto"
expect 0 revision -m "motto" --rev-id motto1
assert_contains "$(ls "$V"/motto1_*.c)" 'ag_add_column(op, "users", AG_COLUMN("motto", "string(80)"))'
expect 0 upgrade
expect 0 check
# A history that is not empty: refused without --head, nothing written.
before=$(ls "$V")
expect 3 pull --force --baseline -m again
assert_contains "$T/err" "history is not empty"
assert_contains "$T/err" "--head"
assert_eq "$(ls "$V")" "$before" "a refused baseline wrote a revision"
# With --head: the baseline holds what the database has beyond that revision.
db "CREATE TABLE extra (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"
expect 0 pull --force --baseline -m "adopt extra" --head motto1 --rev-id extra1
g=$(ls "$V"/extra1_*.c)
assert_contains "$g" 'ag_create_table(op, "extra"'
grep -q 'ag_create_table(op, "users"' "$g" && fail "the --head baseline recreates users: $(cat "$g")"
expect 0 current
assert_contains "$T/out" "extra1"
expect 0 check --scratch
roundtrip

# --- ORM-made shapes, ownership settings and the naming convention ----------------------------
rm -rf "$T/p"
new_project
M=$T/p/models
db <<'SQL'
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" varchar(150) NOT NULL UNIQUE, "is_staff" bool NOT NULL);
CREATE TABLE "blog_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "author_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED,
    "title" varchar(200) NOT NULL);
CREATE INDEX "blog_post_author_id_2f1e4f3a" ON "blog_post" ("author_id");
CREATE TABLE accounts (
    id INTEGER NOT NULL,
    owner INTEGER,
    tag VARCHAR(20),
    PRIMARY KEY (id),
    CONSTRAINT uq_accounts_tag UNIQUE (tag),
    CONSTRAINT fk_owner FOREIGN KEY(owner) REFERENCES auth_user (id)
);
CREATE INDEX ix_accounts_owner ON accounts (owner);
CREATE TABLE pins (post INTEGER REFERENCES blog_post ON DELETE CASCADE, note TEXT);
CREATE TABLE tmp_import (a TEXT);
CREATE TABLE legacy (b TEXT);
SQL
cat >>"$T/p/autogen.yaml" <<'YAML'
exclude_tables: ["tmp_*"]
naming_convention:
  ix: "idx_{table}_{columns}"
YAML
expect 0 pull
assert_eq "$(ls "$M")" "$(printf '%s\n' accounts.yaml auth_user.yaml blog_post.yaml legacy.yaml pins.yaml)" \
    "exclude_tables is not honoured"
# SQLAlchemy's key without AUTOINCREMENT is a rowid alias: no autoincrement key.
assert_contains "$M/accounts.yaml" 'id:    { type: integer, primary_key: true }'
assert_contains "$M/accounts.yaml" 'tag:   { type: string(20), unique: true }'
assert_contains "$M/accounts.yaml" '- { name: ix_accounts_owner, columns: [owner] }'
assert_contains "$M/accounts.yaml" '- { name: fk_owner, columns: [owner], references: auth_user(id) }'
assert_contains "$M/auth_user.yaml" 'id:       { type: integer, primary_key: true, autoincrement: true }'
assert_contains "$M/blog_post.yaml" 'author_id: { type: integer, nullable: false, references: auth_user.id, deferrable: true, initially: deferred }'
# A reference without columns means the primary key.
assert_contains "$M/pins.yaml" 'post: { type: integer, references: blog_post.id, on_delete: cascade }'
roundtrip
printf 'exclude_tables: ["tmp_*"]\nnaming_convention:\n  ix: "ix_{table}_{columns}"\n' >"$T/tail"
sed -i '/^exclude_tables/,$d' "$T/p/autogen.yaml"
cat "$T/tail" >>"$T/p/autogen.yaml"
expect 0 pull --force
assert_contains "$M/accounts.yaml" 'owner: { type: integer, index: true }'
roundtrip
expect 0 pull --force --baseline -m "baseline"
expect 0 check --scratch
echo "ok"
