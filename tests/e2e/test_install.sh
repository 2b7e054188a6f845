#!/usr/bin/env bash
# After `cmake --install`, the installed binary compiles and runs migrations on its
# own: the migration header it needs is built into it, not read from the source tree.
. "$(dirname "$0")/lib.sh"
: "${AG_BUILD_DIR:?AG_BUILD_DIR must name the build tree}"
cmake --install "$AG_BUILD_DIR" --prefix "$T/inst" >/dev/null
[ -x "$T/inst/bin/autogen" ] || fail "no installed autogen"
[ -f "$T/inst/include/autogen/migration.h" ] || fail "no installed migration.h"
AUTOGEN="$T/inst/bin/autogen"
new_project
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  notes:
    columns:
      id:   { type: integer, primary_key: true }
      body: { type: text, nullable: false }
YAML
expect 0 revision -m "notes"
expect 0 upgrade head
expect 0 check
expect 0 downgrade base
echo "ok: install"
