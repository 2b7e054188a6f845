#!/usr/bin/env bash
# The run log, status, checksums and runs on PostgreSQL (runlog_body.sh).
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runlog_body.sh"
