#!/usr/bin/env bash
# --format json: every command that has it prints one JSON document with the
# documented keys (README, "--format json output").
. "$(dirname "$0")/lib.sh"
new_project
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      "na\"me": { type: text }
YAML
j() { # j PYTHON-ASSERTION ARGS...: run autogen --format json ARGS, check the document
    local check=$1
    shift
    ag --format json "$@"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert '"$check"', d' "$T/out" ||
        fail "json of '$*': $(cat "$T/out")"
}
j 'd["changes"][0]["op"] == "create_table" and d["changes"][0]["sql"] and d["hints"] == []' diff
j 'd["differs"] is True and len(d["changes"]) == 1' check
[ "$rc" = 1 ] || fail "check --format json must still exit 1"
j 'd["path"].endswith("r1_first.c") and d["changes"] == 1' revision -m first --rev-id r1
j 'd["current"] == []' current
expect 0 upgrade
j 'd["current"][0]["revision"] == "r1" and d["current"][0]["head"] is True' current
j 'd["path"] is None and d["changes"] == 0' revision -m none
expect 0 revision --empty -m second --rev-id r2
expect 0 revision --empty -m third --rev-id r3 --head r1 --splice
j '[h["revision"] for h in d["heads"]] == ["r2", "r3"]' heads
j 'd["branches"][0]["revision"] == "r1" and d["branches"][0]["children"] == ["r2", "r3"]' branches
j '[h["revision"] for h in d["history"]] == ["r3", "r2", "r1"] and d["history"][2]["down_revision"] == []' history
j 'd["revision"] == "r1" and d["operations"][0]["op"] == "create_table"' show r1
echo "ok: json"
