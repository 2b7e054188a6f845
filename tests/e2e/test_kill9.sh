#!/usr/bin/env bash
# kill -9 at random points of a 200-migration upgrade, on SQLite (kill9_body.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kill9_body.sh"
