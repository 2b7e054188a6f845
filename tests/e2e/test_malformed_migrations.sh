#!/usr/bin/env bash
# Migration files a person mistypes never crash autogen: each one is an error
# with file:line:col, exit status 3 (README "Migration files").
. "$(dirname "$0")/lib.sh"
new_project
v="$T/p/alembic_like/versions"
check_error() { # check_error COMMAND... -- EXPECTED
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    expect 3 "${args[@]}"
    assert_contains "$T/err" "$2"
}

# A header string that ends in a backslash at the end of the file (11 bytes).
printf 'revision="\\' >"$v/1_bs.c"
[ "$(wc -c <"$v/1_bs.c")" -eq 11 ] || fail "reproducer is not 11 bytes"
check_error heads -- "alembic_like/versions/1_bs.c:1:10: error: unterminated string literal"
rm "$v/1_bs.c"

# 300,000 adjacent empty literals: read without recursion, then rejected as an
# empty (invalid) revision id instead of overflowing the stack.
python3 - "$v/1_many.c" <<'PY'
import sys
open(sys.argv[1], "w").write('const char *const revision = ' + '""' * 300000 + ';\n')
PY
check_error heads -- "alembic_like/versions/1_many.c:1:"
assert_contains "$T/err" "invalid revision id"
check_error upgrade -- "alembic_like/versions/1_many.c:1:"
rm "$v/1_many.c"

# A header string longer than any header needs is an error, not a huge read.
python3 - "$v/1_long.c" <<'PY'
import sys
open(sys.argv[1], "w").write('const char *const revision = ' + '"aaaa" ' * 100000 + ';\n')
PY
check_error heads -- "alembic_like/versions/1_long.c:1:7198: error: string literal longer than 4096 bytes"
rm "$v/1_long.c"


# Nesting deep enough to overflow the compiler's recursive parser: rejected
# before compiling, at the bracket that goes too deep, and nothing applied.
expect 0 revision --empty -m "deep" --rev-id deep01
f="$v/deep01_deep.c"
cp "$f" "$T/deep.orig"
body() { # body CODE: the upgrade body runs CODE
    python3 - "$T/deep.orig" "$f" "$1" <<'PY'
import sys
src, dst, code = sys.argv[1:]
s = open(src).read()
open(dst, "w").write(s.replace("(void)op;", "(void)op;\n    " + code, 1))
PY
}
deep() { python3 -c "import sys; print(sys.argv[2] * int(sys.argv[1]), end='')" "$@"; }
body "int x = $(deep 20000 '(')1$(deep 20000 ')'); (void)x;"
check_error upgrade -- "alembic_like/versions/deep01_deep.c:"
assert_contains "$T/err" "nest more than 256 deep"
if grep -q "crash" "$T/err"; then fail "reported as a crash: $(cat "$T/err")"; fi
expect 0 current
if grep -q deep01 "$T/out"; then fail "deep01 was applied"; fi
body "/* (((( */ const char *s = \"{{{{\"; (void)s; $(deep 20000 '{')$(deep 20000 '}')"
check_error upgrade -- "nest more than 256 deep"
# As deep as real code goes, with brackets in strings and comments: compiles.
body "/* ((((( */ (void)\"((((\"; (void)'('; int x = $(deep 200 '(')1$(deep 200 ')'); (void)x;"
expect 0 upgrade

# A one-letter typo in the ag_* calls is a compile error at its file:line, not a
# crash of the recorder: AG_COL where AG_COLS belongs, a stray string among the
# items of ag_create_table, AG_COLUMN where AG_COL belongs, AG_COLS where AG_COL
# belongs.
expect 0 revision --empty -m "typo" --rev-id typo01
f="$v/typo01_typo.c"
cp "$f" "$T/typo.orig"
typo() { # typo C-CODE: the upgrade body runs C-CODE; then `upgrade` must fail to compile
    python3 - "$T/typo.orig" "$f" "$1" <<'PY'
import sys
src, dst, code = sys.argv[1:]
s = open(src).read()
open(dst, "w").write(s.replace("(void)op;", "(void)op;\n    " + code, 1))
PY
    check_error upgrade -- "does not compile"
    assert_contains "$T/err" "alembic_like/versions/typo01_typo.c:17: error:"
    if grep -q "crash" "$T/err"; then fail "reported as a crash: $(cat "$T/err")"; fi
}
a='ag_create_table(op, "a", AG_COL("id", "integer", .primary_key = 1), NULL);'
typo "$a ag_create_table(op, \"b\", AG_COL(\"id\", \"integer\", .primary_key = 1), AG_COL(\"a_id\", \"integer\"), AG_FOREIGN_KEY(\"fk_b_a\", AG_COL(\"a_id\"), \"a\", AG_COLS(\"id\"), NULL, NULL), NULL);"
assert_contains "$T/err" "assignment from incompatible pointer type"
assert_contains "$T/err" "AG_COLS(...) lists names"
typo 'ag_create_table(op, "a", "extra", AG_COL("id", "integer", .primary_key = 1), NULL);'
typo 'ag_create_table(op, "a", AG_COLUMN("id", "integer", .primary_key = 1), NULL);'
typo 'ag_create_table(op, "a", AG_COLS("id"), NULL);'
typo 'ag_create_index(op, "a", "ix_a", AG_COL("id"), AG_INDEX(0));'
# The documented forms still compile and run, with or without the closing NULL.
python3 - "$T/typo.orig" "$f" <<'PY'
import sys
src, dst = sys.argv[1:]
s = open(src).read()
code = """ag_create_table(op, "a", AG_COL("id", "integer", .primary_key = 1), AG_COL("code", "string(10)"),
        AG_UNIQUE("uq_a_code", AG_COLS("code")), AG_CHECK("ck_a_code", "code <> ''"), NULL);
    ag_create_table(op, "b", AG_COL("id", "integer"), AG_COL("a_id", "integer", .not_null = 1),
        AG_PRIMARY_KEY("pk_b", AG_COLS("id")),
        AG_FOREIGN_KEY("fk_b_a", AG_COLS("a_id"), "a", AG_COLS("id"), "cascade", NULL));
    ag_add_column(op, "b", AG_COLUMN("note", "text"));
    ag_create_index(op, "b", "ix_b_a", AG_COLS("a_id"), AG_INDEX(0));"""
open(dst, "w").write(s.replace("(void)op;", "(void)op;\n    " + code, 1))
PY
expect 0 upgrade
assert_eq "$(db "SELECT group_concat(name, ',') FROM pragma_table_info('b')")" "id,a_id,note" "table b"
assert_eq "$(db "SELECT \"table\" FROM pragma_foreign_key_list('b')")" "a" "foreign key of b"

echo PASS
