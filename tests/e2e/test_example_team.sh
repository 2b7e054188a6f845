#!/usr/bin/env bash
# examples/team/run.sh: the walkthrough of examples/team/README.md, every step checked.
. "$(dirname "$0")/lib.sh"
bash "$AG_TEST_SRC/examples/team/run.sh" >"$T/log" 2>&1 || { cat "$T/log" >&2; fail "examples/team/run.sh"; }
tail -n 1 "$T/log"
