#!/usr/bin/env bash
# Static analysis: cppcheck over the library and the command (from the build's
# compile_commands.json) finds nothing. A false positive is suppressed where it
# is, with `cppcheck-suppress ID` and the reason on the same comment.
set -euo pipefail
: "${AG_TEST_SRC:?}" "${AG_BUILD_DIR:?}"
command -v cppcheck >/dev/null || { echo "cppcheck is not installed (scripts/test.sh installs it)" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/autogen-cppcheck.XXXXXX")
trap 'rm -rf "$out"' EXIT
# Only src/: the tests assign fields twice on purpose (a value, then the one checked).
cppcheck --quiet --project="$AG_BUILD_DIR/compile_commands.json" --file-filter="$AG_TEST_SRC/src/*" \
    --enable=warning,style,performance,portability --inline-suppr --suppress=missingIncludeSystem \
    --std=c11 -j2 --cppcheck-build-dir="$out" --error-exitcode=1 \
    --template='{file}:{line}: {severity}: {message} [{id}]'
echo "ok: cppcheck"
