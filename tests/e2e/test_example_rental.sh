#!/usr/bin/env bash
# examples/rental/run.sh: the walkthrough of examples/rental/README.md, every step checked.
. "$(dirname "$0")/lib.sh"
bash "$AG_TEST_SRC/examples/rental/run.sh" >"$T/log" 2>&1 || { cat "$T/log" >&2; fail "examples/rental/run.sh"; }
tail -n 1 "$T/log"
