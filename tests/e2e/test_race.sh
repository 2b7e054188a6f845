#!/usr/bin/env bash
# Two `autogen upgrade` processes at once against one database, 20 times: every
# migration runs exactly once, both exit 0, and the database ends at the head.
. "$(dirname "$0")/lib.sh"
new_project
prev=""
for i in 1 2 3 4 5; do
    if [ -z "$prev" ]; then
        expect 0 revision --empty -m "step $i" --rev-id "step0$i"
    else
        expect 0 revision --empty -m "step $i" --rev-id "step0$i"
    fi
    f=$(ls "$T/p/alembic_like/versions/step0${i}_"*.c)
    if [ "$i" = 1 ]; then
        sed -i '0,/(void)op;/s//ag_execute(op, "CREATE TABLE runs (rev TEXT)");\n    ag_execute(op, "INSERT INTO runs VALUES ('"'step01'"')");/' "$f"
    else
        sed -i "0,/(void)op;/s//ag_execute(op, \"INSERT INTO runs VALUES ('step0$i')\");/" "$f"
    fi
    sed -i '0,/^void downgrade(ag_op \*op)\n{\n    (void)op;/s///' "$f"
done
# Downgrading everything drops the log table with the first migration.
f=$(ls "$T/p/alembic_like/versions/step01_"*.c)
add_sql "$f" downgrade "DROP TABLE runs"
expect 0 upgrade head  # warm the compiled-object cache
expect 0 downgrade base
for round in $(seq 20); do
    (cd "$T/p" && "$AUTOGEN" -q upgrade head) >"$T/a.out" 2>&1 &
    pa=$!
    (cd "$T/p" && "$AUTOGEN" -q upgrade head) >"$T/b.out" 2>&1 &
    pb=$!
    wait $pa || { cat "$T/a.out" >&2; fail "round $round: first runner failed"; }
    wait $pb || { cat "$T/b.out" >&2; fail "round $round: second runner failed"; }
    assert_eq "$(db "SELECT count(*) FROM runs")" 5 "round $round: each migration once"
    assert_eq "$(db "SELECT count(DISTINCT rev) FROM runs")" 5 "round $round: distinct runs"
    assert_eq "$(db "SELECT group_concat(version_num) FROM autogen_version")" "step05" "round $round: version"
    expect 0 downgrade base
done
echo "ok: race"
