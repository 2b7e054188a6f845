#!/usr/bin/env bash
# Foreign-key deferrability on PostgreSQL (README, foreign keys): a database
# made by hand with DEFERRABLE INITIALLY DEFERRED (Django's every key),
# DEFERRABLE and plain keys, column-level and table-level, is pulled with
# `deferrable:` / `initially:` keys; the round trip holds; --baseline into an
# empty history rebuilds it (`check --scratch`) and a database built from the
# baseline has the same pg_constraint.condeferrable / condeferred; a model
# flipping deferrability is an ALTER CONSTRAINT both ways.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models
V=$T/p/alembic_like/versions

db <<'SQL'
CREATE TABLE authors (id serial PRIMARY KEY, name text);
CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id int REFERENCES authors(id) DEFERRABLE INITIALLY DEFERRED,
    editor_id int REFERENCES authors(id) ON DELETE SET NULL DEFERRABLE,
    plain_id int NOT NULL REFERENCES authors(id),
    writer_id int CONSTRAINT fk_books_writer_id_authors REFERENCES authors(id)
        DEFERRABLE INITIALLY DEFERRED,
    a int,
    b int,
    c int,
    CONSTRAINT books_a_fk FOREIGN KEY (a) REFERENCES authors(id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT books_b_fk FOREIGN KEY (b) REFERENCES authors(id) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT books_c_fk FOREIGN KEY (c) REFERENCES authors(id) NOT DEFERRABLE
);
SQL
# conname condeferrable condeferred, one line per foreign key of a database.
deferrability() {
    psql -X -q -t -A -F ' ' -v ON_ERROR_STOP=1 "$1" -c "SELECT conname, condeferrable,
        condeferred FROM pg_constraint WHERE contype = 'f' ORDER BY conname"
}
deferrability "$PG_URL" >"$T/orig"

expect 0 pull
cat >"$T/want" <<'YAML'
tables:
  books:
    columns:
      id:        { type: integer, autoincrement: true }
      author_id: { type: integer }
      editor_id: { type: integer }
      plain_id:  { type: integer, nullable: false }
      writer_id: { type: integer, references: authors.id, deferrable: true, initially: deferred }
      a:         { type: integer }
      b:         { type: integer }
      c:         { type: integer }
    primary_key: { name: books_pkey, columns: [id] }
    foreign_keys:
      - { name: books_a_fk, columns: [a], references: authors(id), deferrable: true, initially: deferred }
      - { name: books_author_id_fkey, columns: [author_id], references: authors(id), deferrable: true, initially: deferred }
      - { name: books_b_fk, columns: [b], references: authors(id), deferrable: true }
      - { name: books_c_fk, columns: [c], references: authors(id) }
      - { name: books_editor_id_fkey, columns: [editor_id], references: authors(id), on_delete: set null, deferrable: true }
      - { name: books_plain_id_fkey, columns: [plain_id], references: authors(id) }
YAML
diff -u "$T/want" "$M/books.yaml" || fail "books.yaml does not say the deferrability"
expect 0 revision -m "nothing"
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 check

# --baseline into an empty history; check --scratch; a database built from it
# has the same deferrability, key by key.
expect 0 pull --force --baseline -m "baseline" --rev-id base1
f=$(ls "$V"/base1_*.c)
assert_contains "$f" 'AG_DEFERRABLE_FOREIGN_KEY("books_a_fk", AG_COLS("a"), "authors", AG_COLS("id"), NULL, NULL, "deferred")'
assert_contains "$f" 'AG_DEFERRABLE_FOREIGN_KEY("books_b_fk", AG_COLS("b"), "authors", AG_COLS("id"), NULL, NULL, "immediate")'
assert_contains "$f" 'AG_FOREIGN_KEY("books_c_fk", AG_COLS("c"), "authors", AG_COLS("id"), NULL, NULL)'
expect 0 check --scratch
other=$(pg_other_db built)
expect 0 --url "$other" upgrade
deferrability "$other" >"$T/built"
diff -u "$T/orig" "$T/built" || fail "the baseline built other deferrability than the original"
expect 0 --url "$other" revision -m "nothing"
assert_contains "$T/out" "No changes detected"

# The deferred keys do defer: a child before its parent commits.
db "INSERT INTO authors (id) VALUES (1)"
db "BEGIN; INSERT INTO books (id, plain_id, a, author_id, writer_id) VALUES (1, 1, 7, 7, 7);
    INSERT INTO authors (id) VALUES (7); COMMIT;"
assert_eq "$(count_rows books)" "1" "deferred keys let the child come first"

# A model flipping deferrability: ALTER CONSTRAINT, both ways, rows not touched.
sed -i -e 's/^\(      - { name: books_b_fk, .*\), deferrable: true }$/\1, initially: deferred }/' \
    -e 's/^\(      - { name: books_a_fk, .*\), deferrable: true, initially: deferred }$/\1 }/' \
    -e 's/^\(      - { name: books_c_fk, .*\) }$/\1, deferrable: true }/' \
    "$M/books.yaml"
expect 0 revision -m "flip" --rev-id flip1
g=$(ls "$V"/flip1_*.c)
assert_contains "$g" 'ag_alter_foreign_key(op, "books", "books_a_fk", "not deferrable", "deferred");'
assert_contains "$g" 'ag_alter_foreign_key(op, "books", "books_b_fk", "deferred", "immediate");'
assert_contains "$g" 'ag_alter_foreign_key(op, "books", "books_c_fk", "immediate", "not deferrable");'
grep -q 'ag_drop_foreign_key' "$g" && fail "a flip of deferrability drops a key: $(cat "$g")"
expect 0 upgrade --sql base1:flip1
assert_contains "$T/out" 'ALTER TABLE "books" ALTER CONSTRAINT "books_a_fk" NOT DEFERRABLE'
assert_contains "$T/out" 'ALTER TABLE "books" ALTER CONSTRAINT "books_b_fk" DEFERRABLE INITIALLY DEFERRED'
assert_contains "$T/out" 'ALTER TABLE "books" ALTER CONSTRAINT "books_c_fk" DEFERRABLE INITIALLY IMMEDIATE'
expect 0 upgrade
expect 0 check
deferrability "$PG_URL" | grep -E 'books_[abc]_fk' >"$T/flipped"
assert_eq "$(cat "$T/flipped")" "$(printf '%s\n' 'books_a_fk f f' 'books_b_fk t t' 'books_c_fk t f')" \
    "deferrability after the flip"
expect 0 revision -m "again"
assert_contains "$T/out" "No changes detected"
expect 0 downgrade -1
deferrability "$PG_URL" >"$T/back"
diff -u "$T/orig" "$T/back" || fail "the downgrade did not restore the deferrability"
expect 0 upgrade
expect 0 check
echo "ok"
