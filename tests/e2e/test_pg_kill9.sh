#!/usr/bin/env bash
# kill -9 at random points of a 200-migration upgrade, on PostgreSQL (kill9_body.sh).
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kill9_body.sh"
