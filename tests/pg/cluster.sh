#!/usr/bin/env bash
# cluster.sh start|stop DIR - a throwaway PostgreSQL cluster for the tests.
#
# start: initdb into DIR/data as the `postgres` user (PostgreSQL refuses to run
# as root), listen only on a unix socket in DIR, create the database
# autogen_test, and write its URL to DIR/url. stop: stop it and remove DIR.
# Nothing outside DIR is touched; no TCP port is opened.
set -euo pipefail
cmd=$1 dir=$2
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "cluster.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bin/createdb" -h "$dir" -U postgres autogen_test
    # Readable by the tests whatever user runs them.
    chmod 755 "$dir"
    echo "postgresql://postgres@/autogen_test?host=$dir" >"$dir/url"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
