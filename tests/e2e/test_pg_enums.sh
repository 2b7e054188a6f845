#!/usr/bin/env bash
# Enums on PostgreSQL changed other than by appending: a value inserted in the
# middle (ADD VALUE … BEFORE), a value removed and values reordered (the type
# recreated), each with rows in the table that keep their values, a partial
# index, a check and a default that use the type recreated around the swap,
# and each downgrade.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project

models() { # models VALUES DEFAULT
    cat >"$T/p/models/docs.yaml" <<YAML
enums:
  st: [$1]
tables:
  docs:
    columns:
      id:     { type: integer, primary_key: true }
      status: { type: enum(st), nullable: false, default: $2 }
    indexes:
      - { name: ix_docs_active, columns: [id], where: "status = 'active'" }
    checks:
      - { name: ck_docs_status, expression: "status <> 'active' OR id > 0" }
YAML
}
values() { db "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'st'"; }
rows() { db "SELECT string_agg(id || '=' || status, ',' ORDER BY id) FROM docs"; }
settled() { # settled WHAT
    expect 0 check
    expect 0 revision -m "again"
    assert_contains "$T/out" "No changes detected"
    assert_eq "$(db "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_docs_active'")" 1 "$1: the partial index"
    assert_eq "$(db "SELECT count(*) FROM pg_constraint WHERE conname = 'ck_docs_status'")" 1 "$1: the check"
}

models "draft, active" draft
expect 0 revision -m v1
expect 0 upgrade
db "INSERT INTO docs (id, status) VALUES (1, 'draft'), (2, 'active'), (3, DEFAULT)"
settled v1

# A value in the middle: ALTER TYPE … ADD VALUE … BEFORE.
models "draft, review, active" draft
expect 1 check
assert_contains "$T/out" "review"
expect 0 revision -m "insert review"
f=$(ls "$T"/p/alembic_like/versions/*_insert_review.c)
assert_contains "$f" 'ag_add_enum_value_before(op, "st", "review", "active");'
expect 0 upgrade
assert_eq "$(values)" "draft,review,active" "values after the insertion"
assert_eq "$(rows)" "1=draft,2=active,3=draft" "rows after the insertion"
settled insertion
db "INSERT INTO docs (id, status) VALUES (4, 'review')"
db "DELETE FROM docs WHERE id = 4"
# Its downgrade drops the value again, past the index and the check that use the type.
expect 0 downgrade -1
assert_eq "$(values)" "draft,active" "values after downgrading the insertion"
assert_eq "$(rows)" "1=draft,2=active,3=draft" "rows after downgrading the insertion"
expect 0 upgrade
settled "insertion again"

# A value removed (no row holds it any more): the type is recreated.
db "UPDATE docs SET status = 'review' WHERE status = 'draft'"
models "review, active" review
expect 1 check
expect 0 revision -m "drop draft"
f=$(ls "$T"/p/alembic_like/versions/*_drop_draft.c)
assert_contains "$f" 'ag_drop_enum_value(op, "st", "draft");'
assert_contains "$f" 'ag_alter_enum(op, "st", AG_VALUES("draft", "review", "active"));'
expect 0 upgrade
assert_eq "$(values)" "review,active" "values after the removal"
assert_eq "$(rows)" "1=review,2=active,3=review" "rows after the removal"
assert_eq "$(db "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'docs'::regclass")" "'review'::st" "default after the removal"
settled removal
expect 0 downgrade -1
assert_eq "$(values)" "draft,review,active" "values after downgrading the removal"
assert_eq "$(rows)" "1=review,2=active,3=review" "rows after downgrading the removal"
expect 0 upgrade
settled "removal again"

# The same values in another order: the type is recreated, rows keep their values.
models "active, review" review
expect 1 check
expect 0 revision -m "reorder"
f=$(ls "$T"/p/alembic_like/versions/*_reorder.c)
assert_contains "$f" 'ag_alter_enum(op, "st", AG_VALUES("active", "review"));'
assert_contains "$f" 'ag_alter_enum(op, "st", AG_VALUES("review", "active"));'
expect 0 upgrade
assert_eq "$(values)" "active,review" "values after the reorder"
assert_eq "$(rows)" "1=review,2=active,3=review" "rows after the reorder"
assert_eq "$(db "SELECT string_agg(id::text, ',' ORDER BY status, id) FROM docs")" "2,1,3" "sorting follows the new order"
settled reorder
expect 0 downgrade -1
assert_eq "$(values)" "review,active" "values after downgrading the reorder"
assert_eq "$(rows)" "1=review,2=active,3=review" "rows after downgrading the reorder"
expect 0 upgrade
settled "reorder again"
echo ok
