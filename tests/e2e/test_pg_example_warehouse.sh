#!/usr/bin/env bash
# examples/warehouse/run.sh: the walkthrough of examples/warehouse/README.md, every
# step checked, on a fresh database of the test cluster (lib.sh exports it as
# AUTOGEN_URL and drops it afterwards).
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
bash "$AG_TEST_SRC/examples/warehouse/run.sh" >"$T/log" 2>&1 || { cat "$T/log" >&2; fail "examples/warehouse/run.sh"; }
tail -n 1 "$T/log"
