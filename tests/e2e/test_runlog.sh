#!/usr/bin/env bash
# The run log, status, checksums and runs on SQLite (runlog_body.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runlog_body.sh"
