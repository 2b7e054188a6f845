#!/usr/bin/env bash
# Names over PostgreSQL's 63 bytes (NAMEDATALEN - 1), which the server would cut
# short so that the model never matched again: one written in a model is an
# error at its FILE:LINE:COL and nothing is written; one made by the naming
# convention is shortened to a stable name that fits, so check settles and
# downgrade finds what upgrade made.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
new_project

# A column name of 32 two-byte characters: 64 bytes, though 32 characters.
long_col=$(printf 'é%.0s' $(seq 32))
cat >"$T/p/models/long.yaml" <<YAML
tables:
  inspections:
    columns:
      $long_col: { type: integer }
YAML
expect 3 revision -m long
assert_contains "$T/err" "models/long.yaml:4:7: error: column name '$long_col' is 64 bytes long; names may have at most 63 bytes: shorten it"
assert_eq "$(versions_count)" 0 "a migration was written for a bad model"
expect 3 check
assert_contains "$T/err" "models/long.yaml:4:7: error: column name"
rm -f "$T/p/models/long.yaml"

# Names from the convention, over 63 bytes: ix_ (68), uq_ (68) and fk_ (84).
cat >"$T/p/models/inspections.yaml" <<'YAML'
tables:
  certified_inspectors:
    columns:
      id:   { type: bigint, primary_key: true, autoincrement: true }
      name: { type: string(200), nullable: false }
  rental_property_inspection_reports:
    columns:
      id:                             { type: bigint, primary_key: true, autoincrement: true }
      inspector_certification_number: { type: string(40), index: true }
      inspector_id:                   { type: bigint, references: certified_inspectors.id }
      inspection_reference_code:      { type: string(40) }
    unique:
      - { columns: [inspection_reference_code] }
YAML
expect 0 revision -m inspections
f=$(ls "$T/p/alembic_like/versions/"*_inspections.c)
ix=$(grep -o '"ix_rental_property_inspection_reports_[a-z_]*_[0-9a-f]\{8\}"' "$f" | tr -d '"' | head -1)
[ -n "$ix" ] || { cat "$f" >&2; fail "no shortened index name in the migration"; }
assert_eq "${#ix}" 63 "length of the shortened index name"
expect 0 upgrade
names=$(db "SELECT string_agg(n, ',' ORDER BY n) FROM (
              SELECT indexname AS n FROM pg_indexes WHERE tablename = 'rental_property_inspection_reports'
              UNION SELECT conname FROM pg_constraint
              WHERE conrelid = 'rental_property_inspection_reports'::regclass) x")
case ",$names," in *",$ix,"*) ;; *) fail "index $ix not in the database: $names" ;; esac
for n in ${names//,/ }; do
    [ "${#n}" -le 63 ] || fail "name over 63 bytes in the database: $n"
done
expect 0 check
expect 0 revision -m again
assert_contains "$T/out" "No changes detected"
expect 0 downgrade -1
assert_eq "$(user_tables)" "" "tables after downgrade"
expect 0 upgrade
expect 0 check

echo "ok: identifiers"
