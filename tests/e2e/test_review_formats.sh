#!/usr/bin/env bash
# review's output formats: Markdown for a pull-request comment against a golden file
# (marker, summary table, SQL in <details>, findings linked to their docs), the
# 65,000-character cap, and JSON validated against docs/review.schema.json.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/review_lib.sh"
new_project
table_model users name "string(100)"
migrate base01 "users"
git_project
g checkout -q -b feature
table_model posts title text
migrate post01 "posts"
g add -A
g commit -q -m "posts"
g checkout -q main
table_model comments body text
migrate com01 "comments"
g add -A
g commit -q -m "comments"
g checkout -q feature

# Markdown: the golden file, commit ids replaced by a placeholder.
expect 1 review --base main --format markdown
base=$(git -C "$T/p" merge-base main feature | cut -c1-12)
sed "s/$base/BASE_COMMIT/g" "$T/out" >"$T/review.md"
golden="$AG_TEST_SRC/tests/e2e/golden/review.md"
if [ -n "${AG_UPDATE_GOLDEN:-}" ]; then cp "$T/review.md" "$golden"; fi
diff -u "$golden" "$T/review.md" || fail "markdown differs from tests/e2e/golden/review.md"
assert_eq "$(head -1 "$T/out")" "<!-- autogen-review -->" "the marker line comes first"
# Links to the rules' documentation where a PR comment can follow them.
expect 1 review --base main --format markdown --docs-url https://example.com/autogen/docs
assert_contains "$T/out" '[`stale-down-revision`](https://example.com/autogen/docs/review.md#stale-down-revision)'

# JSON: valid against the documented schema, in a failing and a passing review.
expect 1 review --base main --format json
python3 "$AG_TEST_SRC/tests/e2e/json_schema_check.py" "$AG_TEST_SRC/docs/review.schema.json" \
    "$T/out" || fail "review JSON does not match docs/review.schema.json"
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["failed"] and d["summary"]["errors"] == 1, d["summary"]
assert [m["revision"] for m in d["migrations"]] == ["post01"], d["migrations"]
assert d["migrations"][0]["sql"][0].startswith('CREATE TABLE "posts"'), d["migrations"]
rules = sorted(f["rule"] for f in d["findings"])
assert rules == ["disjoint-tables", "stale-down-revision"], rules
assert d["graph"]["heads"] == ["post01", "com01"] or sorted(d["graph"]["heads"]) == ["com01", "post01"]
assert d["graph"]["ref_heads"] == ["com01"], d["graph"]
assert d["tables"] == {"ref_moved": True, "ours": ["posts"], "theirs": ["comments"], "shared": []}, d["tables"]
PY
g merge -q --no-edit main
expect 0 rebase --base main
expect 0 review --base main --format json
python3 "$AG_TEST_SRC/tests/e2e/json_schema_check.py" "$AG_TEST_SRC/docs/review.schema.json" \
    "$T/out" || fail "review JSON does not match docs/review.schema.json"
# The validator itself rejects what the schema forbids.
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['extra']=1; d['summary']['errors']='x'; json.dump(d, open(sys.argv[1]+'.bad','w'))" "$T/out"
if python3 "$AG_TEST_SRC/tests/e2e/json_schema_check.py" "$AG_TEST_SRC/docs/review.schema.json" \
    "$T/out.bad" >/dev/null; then
    fail "the schema check accepts a document it should reject"
fi

# The cap: a review longer than 65,000 characters is cut, with a note.
g commit -q -am "rebased"
g checkout -q -b big
python3 - "$T/p" <<'PY'
import os, sys
p = sys.argv[1]
prev = "post01"
for i in range(120):
    rev = "big%03d" % i
    cols = "".join('ag_add_column(op, "wide%03d", AG_COLUMN("c%02d", "string(200)"));\n    ' % (i, k) for k in range(12))
    with open(os.path.join(p, "alembic_like/versions/%s_wide.c" % rev), "w") as f:
        f.write('/* wide %d\n *\n * Revision ID: %s\n * Revises: %s\n */\n#include <autogen/migration.h>\n\n'
                'const char *const revision = "%s";\nconst char *const down_revision[] = { "%s", NULL };\n'
                'const char *const branch_labels[] = { NULL };\nconst char *const depends_on[] = { NULL };\n\n'
                'void upgrade(ag_op *op)\n{\n    ag_create_table(op, "wide%03d", AG_COL("id", "bigint", .primary_key = 1));\n    %s\n}\n\n'
                'void downgrade(ag_op *op)\n{\n    ag_drop_table(op, "wide%03d");\n}\n'
                % (i, rev, prev, rev, prev, i, cols, i))
    prev = rev
PY
expect 1 review --base main --format markdown
size=$(wc -c <"$T/out")
[ "$size" -le 65000 ] || fail "markdown is $size characters, over the cap"
assert_contains "$T/out" "This comment is cut to 65000 characters"
assert_contains "$T/out" '#### added `big119`: wide 119'
assert_contains "$T/out" 'left out to fit the comment; run `autogen show big119`'
assert_contains "$T/out" "<!-- autogen-review -->"
assert_contains "$T/out" "| Migrations | 121 added, 0 modified, 0 removed |"
echo ok
