# pull_bad_input_body.sh - `autogen pull` on bad input, on the backend lib.sh
# chose; sourced by test_pull_bad_input.sh and test_pg_pull_bad_input.sh,
# which first define: unreachable_urls (URLs no database answers at, one a
# line), make_table (a table with a column of a type no model type
# names, and rows), odd_type (that type, as the warning names it).
new_project
M=$T/p/models
rm -f "$M"/*
V=$T/p/alembic_like/versions
tree() { (cd "$M" && find . -type f | sort | xargs -r sha256sum); }

# Unreachable: exit 3, the reason in the message, the password hidden, nothing written.
while read -r url; do
    expect 3 --url "$url" pull
    assert_contains "$T/err" "autogen: error:"
    grep -q "s3cret" "$T/err" && fail "the password was printed: $(cat "$T/err")"
    assert_eq "$(tree)" "" "pull from $url wrote files"
done < <(unreachable_urls)

# Empty: nothing to pull, said so, nothing written (--baseline neither: no revision).
[ "$AG_BACKEND" = pg ] || db "CREATE TABLE gone (a); DROP TABLE gone" # a file, no table
expect 3 pull
assert_contains "$T/err" "no table to pull"
assert_contains "$T/err" "nothing was written"
expect 3 pull --baseline -m base
assert_eq "$(tree)" "" "pull of an empty database wrote files"
assert_eq "$(find "$V" -name '*.c' | wc -l)" 0 "pull of an empty database wrote a revision"

# A type no model type names: written as sql(...), and said on stderr.
make_table
expect 0 pull
assert_contains "$T/err" "warning:"
assert_contains "$T/err" "$(odd_type)"
grep -rqF "sql($(odd_type))" "$M" || fail "no sql($(odd_type)) in the models: $(cat "$M"/*)"
expect 0 revision -m "after pull"
assert_eq "$(cat "$T/out")" "No changes detected" "revision after pulling an odd type"

# Existing model files without --force: exit 3, every one named, nothing written,
# even the files that did not exist yet; then --force writes them all.
rm "$M/notes.yaml"
echo "# mine" >>"$M/wallets.yaml"
before=$(tree)
expect 3 pull
assert_contains "$T/err" "wallets.yaml"
assert_contains "$T/err" "--force"
assert_eq "$(tree)" "$before" "pull without --force changed the models"
[ ! -e "$M/notes.yaml" ] || fail "pull without --force wrote notes.yaml"
expect 3 pull --baseline -m base
assert_eq "$(tree)" "$before" "pull --baseline without --force changed the models"
assert_eq "$(find "$V" -name '*.c' | wc -l)" 0 "pull --baseline without --force wrote a revision"
expect 0 pull --force
grep -q "# mine" "$M/wallets.yaml" && fail "pull --force kept the old wallets.yaml"
[ -f "$M/notes.yaml" ] || fail "pull --force did not write notes.yaml"

# --dry-run writes nothing, whatever exists.
rm -rf "$M"/*
expect 0 pull --dry-run
assert_contains "$T/out" "wallets:"
assert_eq "$(tree)" "" "pull --dry-run wrote files"
echo "ok: pull on bad input ($AG_BACKEND)"
