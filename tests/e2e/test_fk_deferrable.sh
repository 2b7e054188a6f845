#!/usr/bin/env bash
# Foreign-key deferrability on SQLite (README, foreign keys): a database made
# by hand with DEFERRABLE INITIALLY DEFERRED, DEFERRABLE (initially
# immediate) and plain keys, column-level and table-level, is pulled with
# `deferrable:` / `initially:` keys; the round trip holds; --baseline rebuilds
# it with the same clauses (`check --scratch`); a model flipping
# deferrability makes a migration that upgrades and downgrades; and the
# deferred key does defer: a child row inserted before its parent in one
# transaction commits.
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
V=$T/p/alembic_like/versions

db <<'SQL'
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER REFERENCES authors(id) DEFERRABLE INITIALLY DEFERRED,
    editor_id INTEGER REFERENCES authors(id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
    plain_id INTEGER REFERENCES authors(id) NOT NULL,
    a INTEGER,
    b INTEGER,
    c INTEGER,
    CONSTRAINT books_a_fk FOREIGN KEY (a) REFERENCES authors(id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT books_b_fk FOREIGN KEY (b) REFERENCES authors(id) DEFERRABLE,
    CONSTRAINT books_c_fk FOREIGN KEY (c) REFERENCES authors(id) NOT DEFERRABLE
);
SQL
# The deferrable clauses the stored CREATE TABLE text holds, counted.
clauses() {
    local sql
    sql=$(db "SELECT upper(sql) FROM sqlite_master WHERE name = 'books'")
    echo "deferred $(grep -o 'DEFERRABLE INITIALLY DEFERRED' <<<"$sql" | wc -l)" \
        "deferrable $(grep -o ' DEFERRABLE' <<<"$sql" | grep -v NOT | wc -l)" \
        "not $(grep -o 'NOT DEFERRABLE' <<<"$sql" | wc -l)"
}
assert_eq "$(clauses)" "deferred 2 deferrable 5 not 1" "the hand-written keys"

expect 0 pull
cat >"$T/want" <<'YAML'
tables:
  books:
    columns:
      id:        { type: integer, primary_key: true }
      author_id: { type: integer, references: authors.id, deferrable: true, initially: deferred }
      editor_id: { type: integer, references: authors.id, on_delete: set null, deferrable: true }
      plain_id:  { type: integer, nullable: false, references: authors.id }
      a:         { type: integer }
      b:         { type: integer }
      c:         { type: integer }
    foreign_keys:
      - { name: books_a_fk, columns: [a], references: authors(id), deferrable: true, initially: deferred }
      - { name: books_b_fk, columns: [b], references: authors(id), deferrable: true }
      - { name: books_c_fk, columns: [c], references: authors(id) }
YAML
diff -u "$T/want" "$M/books.yaml" || fail "books.yaml does not say the deferrability"
expect 0 revision -m "nothing"
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 check

# --baseline into an empty history, rebuilt from scratch with the same clauses.
expect 0 pull --force --baseline -m "baseline" --rev-id base1
f=$(ls "$V"/base1_*.c)
assert_contains "$f" 'AG_DEFERRABLE_FOREIGN_KEY("books_a_fk", AG_COLS("a"), "authors", AG_COLS("id"), NULL, NULL, "deferred")'
assert_contains "$f" 'AG_DEFERRABLE_FOREIGN_KEY("books_b_fk", AG_COLS("b"), "authors", AG_COLS("id"), NULL, NULL, "immediate")'
assert_contains "$f" 'AG_FOREIGN_KEY("books_c_fk", AG_COLS("c"), "authors", AG_COLS("id"), NULL, NULL)'
expect 0 check --scratch
# The baseline run on an empty database builds the same deferrability.
rm "$T/p/app.db"
expect 0 upgrade
assert_eq "$(clauses)" "deferred 2 deferrable 4 not 0" "the keys the baseline built"
expect 0 revision -m "nothing"
assert_eq "$(cat "$T/out")" "No changes detected" "revision after the baseline"

# SQLite defers DEFERRABLE INITIALLY DEFERRED only: a child before its parent
# commits through the deferred keys (column-level and table-level), and fails
# at once through books_b_fk (DEFERRABLE, initially immediate).
db "INSERT INTO authors (id) VALUES (1)"
db "PRAGMA foreign_keys = ON; BEGIN; INSERT INTO books (id, plain_id, a, author_id)
    VALUES (1, 1, 7, 7); INSERT INTO authors (id) VALUES (7); COMMIT;"
assert_eq "$(count_rows books)" "1" "a deferred key let the child come first"
set +e
db "PRAGMA foreign_keys = ON; BEGIN; INSERT INTO books (id, plain_id, b) VALUES (2, 1, 8);
    INSERT INTO authors (id) VALUES (8); COMMIT;" 2>"$T/fkerr"
st=$?
set -e
[ "$st" -ne 0 ] || fail "a DEFERRABLE (initially immediate) key deferred on SQLite"
assert_contains "$T/fkerr" "FOREIGN KEY constraint failed"

# A model flipping deferrability: an alter of the named key, a rebuild on SQLite.
sed -i -e 's/^\(      - { name: books_b_fk, .*\), deferrable: true }$/\1, initially: deferred }/' \
    -e 's/^\(      - { name: books_a_fk, .*\), deferrable: true, initially: deferred }$/\1 }/' \
    "$M/books.yaml"
assert_contains "$M/books.yaml" "books_b_fk, columns: [b], references: authors(id), initially: deferred }"
expect 0 revision -m "flip" --rev-id flip1
g=$(ls "$V"/flip1_*.c)
assert_contains "$g" 'ag_alter_foreign_key(op, "books", "books_a_fk", "not deferrable", "deferred");'
assert_contains "$g" 'ag_alter_foreign_key(op, "books", "books_b_fk", "deferred", "immediate");'
expect 0 upgrade --sql base1:flip1
assert_contains "$T/out" 'CONSTRAINT "books_b_fk" FOREIGN KEY ("b") REFERENCES "authors" ("id") DEFERRABLE INITIALLY DEFERRED'
expect 0 upgrade
expect 0 check
db "SELECT sql FROM sqlite_master WHERE name = 'books'" >"$T/flipped"
assert_contains "$T/flipped" 'CONSTRAINT "books_a_fk" FOREIGN KEY ("a") REFERENCES "authors" ("id"),'
assert_contains "$T/flipped" 'CONSTRAINT "books_b_fk" FOREIGN KEY ("b") REFERENCES "authors" ("id") DEFERRABLE INITIALLY DEFERRED'
assert_eq "$(count_rows books)" "1" "rows after the rebuild"
expect 0 revision -m "again"
assert_contains "$T/out" "No changes detected"
expect 0 downgrade -1
db "SELECT sql FROM sqlite_master WHERE name = 'books'" >"$T/back"
assert_contains "$T/back" 'CONSTRAINT "books_a_fk" FOREIGN KEY ("a") REFERENCES "authors" ("id") DEFERRABLE INITIALLY DEFERRED'
assert_contains "$T/back" 'CONSTRAINT "books_b_fk" FOREIGN KEY ("b") REFERENCES "authors" ("id") DEFERRABLE,'
expect 0 upgrade
expect 0 check

# Model errors at file:line, exit 3 like every other model error.
cat >"$M/bad.yaml" <<'YAML'
tables:
  bad:
    columns:
      id: { type: integer, primary_key: true }
      x:  { type: integer, references: authors.id, initially: later }
      y:  { type: integer, references: authors.id, deferrable: false, initially: deferred }
      z:  { type: integer, initially: immediate }
YAML
expect 3 check
assert_contains "$T/err" "bad.yaml:5:"
assert_contains "$T/err" "'initially' must be deferred or immediate, not 'later'"
assert_contains "$T/err" "bad.yaml:6:"
assert_contains "$T/err" "'deferrable: false'"
assert_contains "$T/err" "bad.yaml:7:"
assert_contains "$T/err" "deferrable/initially go with 'references'"
echo "ok"
