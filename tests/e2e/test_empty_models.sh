#!/usr/bin/env bash
# Models that declare no table would have autogenerate drop every table of the
# database: revision, diff and check refuse (exit 3, saying what to do) unless
# --allow-empty-models says that is meant. A missing models folder or file is
# an error too.
. "$(dirname "$0")/lib.sh"

new_project
cat >"$T/p/models/base.yaml" <<'YAML'
tables:
  users:
    columns:
      id:    { type: integer, primary_key: true }
      email: { type: string(100), nullable: false }
YAML
expect 0 revision -m base
expect 0 upgrade
db "INSERT INTO users VALUES (1, 'a@x.io')"
nfiles=$(versions_count)

refused() {
    assert_contains "$T/err" "autogen: error: the models declare no table"
    assert_contains "$T/err" "--allow-empty-models"
    assert_eq "$(versions_count)" "$nfiles" "$1: a migration file was written"
    assert_eq "$(count_rows users)" 1 "$1: rows"
}

# An empty folder; then files that exist but declare nothing.
mv "$T/p/models/base.yaml" "$T/base.yaml"
for setup in empty blank; do
    if [ $setup = blank ]; then
        : >"$T/p/models/empty.yaml"
        printf 'enums:\n  mood: [ok, sad]\n' >"$T/p/models/enums.yaml"
    fi
    expect 3 revision -m drop_all
    refused "revision ($setup)"
    expect 3 diff
    refused "diff ($setup)"
    expect 3 check
    refused "check ($setup)"
    expect 3 --format json check
    refused "check --format json ($setup)"
done

# Asked for, it does what it did before: drop everything.
expect 0 diff --allow-empty-models
assert_contains "$T/out" "drop table 'users'"
expect 1 check --allow-empty-models
expect 0 revision -m drop_all --allow-empty-models
assert_eq "$(versions_count)" $((nfiles + 1)) "revision --allow-empty-models"
assert_contains "$T/err" "DESTRUCTIVE"
expect 0 upgrade
assert_eq "$(user_tables)" "" "tables after dropping everything"
# Nothing to drop: empty models on an empty database are no error.
rm "$T/p/models/enums.yaml"
expect 0 check
expect 0 revision -m nothing
assert_contains "$T/out" "No changes detected"
expect 0 downgrade -1
rm -f "$T/p/models/"*.yaml

# A models folder that does not exist.
rmdir "$T/p/models"
expect 3 check
assert_contains "$T/err" "'models' does not exist"
expect 3 revision -m x
assert_eq "$(versions_count)" $((nfiles + 1)) "revision without models folder"

# A model file named in `models:` that does not exist.
mkdir "$T/p/models"
cp "$T/base.yaml" "$T/p/models/"
sed -i 's|^models: .*|models: [models/base.yaml, models/orders.yaml]|' "$T/p/autogen.yaml"
expect 3 check
assert_contains "$T/err" "models/orders.yaml' does not exist"
expect 3 check --allow-empty-models
sed -i 's|^models: .*|models: [models/base.yaml]|' "$T/p/autogen.yaml"
expect 0 check
echo "ok: empty models"
