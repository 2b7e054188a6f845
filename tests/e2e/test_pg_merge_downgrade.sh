#!/usr/bin/env bash
# test_merge_downgrade.sh on PostgreSQL.
AG_BACKEND=pg
. "$(dirname "$0")/test_merge_downgrade.sh"
