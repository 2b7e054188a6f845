#!/usr/bin/env bash
# The production guard and dry runs on SQLite (production_body.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/production_body.sh"
