#!/usr/bin/env bash
# The production guard and dry runs on PostgreSQL (production_body.sh).
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/production_body.sh"
