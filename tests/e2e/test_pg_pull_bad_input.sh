#!/usr/bin/env bash
# `autogen pull` on bad input, PostgreSQL (pull_bad_input_body.sh): a server
# that is not there, a database that does not exist, a refused port, an empty
# database, a type no model type names (money), existing model files.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"
unreachable_urls() {
    echo "postgresql://postgres:s3cret@/${pg_db}_missing?host=$pg_host"
    echo "postgresql://postgres:s3cret@/x?host=$T/no-server-here"
    echo "postgresql://postgres:s3cret@127.0.0.1:1/x?connect_timeout=5"
}
make_table() {
    db "CREATE TABLE wallets (id serial PRIMARY KEY, balance money NOT NULL DEFAULT 0, owner text NOT NULL);
        CREATE TABLE notes (id serial PRIMARY KEY, body text);
        INSERT INTO wallets (balance, owner) VALUES (12.5, 'ada')"
}
odd_type() { echo money; }
. "$(dirname "$0")/pull_bad_input_body.sh"
assert_eq "$(db "SELECT owner || ' ' || balance FROM wallets")" 'ada $12.50' "the rows"
expect 0 pull --force --baseline -m base
expect 0 check --scratch
