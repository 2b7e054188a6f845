#!/usr/bin/env bash
# Indexes a hand-made PostgreSQL database has beyond plain b-tree columns: an
# access method (gin, gist, brin, hash), INCLUDE columns, DESC / NULLS FIRST, an
# operator class, a collation, an expression with an operator class. `pull`
# writes each so that the round trip holds, the baseline rebuilds each exactly
# as it was (pg_indexes.indexdef compared), and a model that changes the access
# method is a change autogenerate sees. The primary key keeps PostgreSQL's name.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project
M=$T/p/models

db <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE docs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    body text,
    tags text[] NOT NULL DEFAULT '{}',
    tsv tsvector,
    span int4range,
    created_at timestamptz NOT NULL DEFAULT now(),
    author_id integer,
    slug text COLLATE "C"
);
CREATE INDEX docs_tsv_gin ON docs USING gin (tsv);
CREATE INDEX docs_tags_gin ON docs USING gin (tags);
CREATE INDEX docs_title_trgm ON docs USING gin (title gin_trgm_ops);
CREATE INDEX docs_span_gist ON docs USING gist (span);
CREATE INDEX docs_created_brin ON docs USING brin (created_at);
CREATE INDEX docs_slug_hash ON docs USING hash (slug);
CREATE INDEX docs_recent ON docs (created_at DESC, id);
CREATE INDEX docs_author_nulls ON docs (author_id NULLS FIRST);
CREATE INDEX docs_title_pattern ON docs (title text_pattern_ops);
CREATE INDEX docs_title_c ON docs (title COLLATE "C");
CREATE INDEX docs_lower_title ON docs (lower(title) text_pattern_ops DESC);
CREATE INDEX docs_author_cover ON docs (author_id) INCLUDE (title, created_at);
CREATE UNIQUE INDEX docs_slug_key ON docs (slug) INCLUDE (id) WHERE slug IS NOT NULL;
CREATE INDEX docs_sum ON docs ((id + author_id));
SQL
indexdefs() {
    db "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'docs'
        ORDER BY indexname"
}
indexdefs >"$T/before"

expect 0 pull
y=$M/docs.yaml
grep -q 'primary_key: { name: docs_pkey, columns: \[id\] }' "$y" ||
    fail "PostgreSQL's name of the primary key not kept: $(cat "$y")"
grep -q 'using: gin' "$y" || fail "gin not written: $(cat "$y")"
grep -q 'using: gist' "$y" || fail "gist not written"
grep -q 'using: brin' "$y" || fail "brin not written"
grep -q 'using: hash' "$y" || fail "hash not written"
grep -q 'include: \[title, created_at\]' "$y" || fail "include not written: $(cat "$y")"
grep -q 'expression: title gin_trgm_ops' "$y" || fail "operator class not written: $(cat "$y")"
grep -q 'expression: "created_at DESC, id"' "$y" || fail "DESC not written: $(cat "$y")"
cp "$y" "$T/first.yaml"

expect 0 revision -m "nothing" --rev-id nothing0
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pull"
expect 0 check
expect 0 pull --force
cmp -s "$y" "$T/first.yaml" || fail "second pull differs"

# The baseline, run on an empty database, rebuilds every index as it was.
rm -f "$M"/*.yaml
expect 0 pull --baseline -m "baseline" --rev-id base00000001
expect 0 check --scratch
scratch=$(pg_other_db scratch)
expect 0 --url "$scratch" upgrade head
PG_URL=$scratch indexdefs >"$T/after"
diff -u "$T/before" "$T/after" || fail "the baseline built other indexes"

# A model that asks for another access method is a change (drop + create).
sed -i 's/using: brin/using: btree/' "$y"
expect 0 revision -m "brin to btree" --rev-id btree0000001
f=$(ls "$T"/p/alembic_like/versions/*btree0000001*.c)
grep -q 'ag_drop_index(op, "docs", "docs_created_brin")' "$f" || fail "no drop: $(cat "$f")"
expect 0 upgrade head
assert_eq "$(db "SELECT indexdef FROM pg_indexes WHERE indexname = 'docs_created_brin'")" \
    "CREATE INDEX docs_created_brin ON public.docs USING btree (created_at)" "btree index"
expect 0 check
expect 0 downgrade -1
assert_eq "$(db "SELECT indexdef FROM pg_indexes WHERE indexname = 'docs_created_brin'")" \
    "CREATE INDEX docs_created_brin ON public.docs USING brin (created_at)" "brin back"
echo "ok: pg index kinds"
