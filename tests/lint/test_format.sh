#!/usr/bin/env bash
# Every C source and header is formatted as .clang-format says (generated
# migrations under examples/ opt out with their own .clang-format).
set -euo pipefail
cd "${AG_TEST_SRC:?}"
bad=0
while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run clang-format -i $f)" >&2
        bad=1
    fi
done < <(find src include tests examples -name '*.[ch]' -not -path '*/versions/*' | sort)
[ "$bad" = 0 ] && echo "ok: format"
