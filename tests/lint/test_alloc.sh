#!/usr/bin/env bash
# One out-of-memory policy (include/autogen/autogen.h): the library allocates only
# through the checked ag_x*() allocators of src/util/alloc.c, which abort with a
# message when memory runs out, so no allocation result goes unchecked and no
# caller carries its own `if (!p) abort();`.
set -euo pipefail
cd "${AG_TEST_SRC:?}"
if grep -rnE '(^|[^_[:alnum:].>])(malloc|calloc|realloc|strdup|strndup|asprintf|vasprintf)\(' \
    src --include='*.c' --include='*.h' | grep -v '^src/util/alloc\.c:'; then
    echo "raw allocation above: use ag_xmalloc/ag_xcalloc/ag_xrealloc/ag_xstrdup/ag_xstrndup" >&2
    exit 1
fi
if grep -rn 'abort()' src --include='*.c' | grep -v '^src/util/alloc\.c:'; then
    echo "bare abort() above: out of memory is ag_oom()'s job (src/util/alloc.c)" >&2
    exit 1
fi
echo "ok: alloc"
