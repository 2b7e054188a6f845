#!/usr/bin/env bash
# `autogen pull` on bad input, SQLite (pull_bad_input_body.sh): a file that is
# no database, a folder that does not exist, an empty database, a type no
# model type names, existing model files.
. "$(dirname "$0")/lib.sh"
unreachable_urls() {
    echo "not a database" >"$T/junk.db"
    echo "sqlite:///$T/junk.db"
    echo "sqlite:///$T/no/such/folder/app.db"
}
make_table() {
    db "CREATE TABLE wallets (id INTEGER PRIMARY KEY, area GEOMETRY, owner TEXT NOT NULL);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
        INSERT INTO wallets VALUES (1, 'POINT(0 0)', 'ada')"
}
odd_type() { echo GEOMETRY; }
. "$(dirname "$0")/pull_bad_input_body.sh"
assert_eq "$(db "SELECT owner FROM wallets")" "ada" "the rows"
