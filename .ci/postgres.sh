#!/usr/bin/env bash
# A throwaway PostgreSQL server for the hub's PostgreSQL tests and benchmarks.
#
#   .ci/postgres.sh start [DIR]   install PostgreSQL if missing (apt-get), create a cluster in DIR
#                                 (default: a new temp folder), start it on a free 127.0.0.1 port,
#                                 create database hongtu_test; print the URL and write it to DIR/url
#   .ci/postgres.sh stop DIR      stop that cluster (the folder is left for the caller to delete)
#
# Typical CI use:  export HONGTU_TEST_PG_URL="$(.ci/postgres.sh start /tmp/hongtu-pg)"
# As root the server runs as the `postgres` user (via runuser); otherwise as the current user.
set -euo pipefail

cmd="${1:-start}"
dir="${2:-}"

pg_bin() {
    local d
    if command -v initdb >/dev/null 2>&1; then
        d="$(dirname "$(readlink -f "$(command -v initdb)")")"
        if [ -x "$d/pg_ctl" ] && [ -x "$d/createdb" ]; then echo "$d"; return 0; fi
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/createdb" ]; then echo "$d"; return 0; fi
    done
    return 1
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    if ! bin="$(pg_bin)"; then
        echo "postgres.sh: installing postgresql with apt-get" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
            || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
        bin="$(pg_bin)" || { echo "postgres.sh: initdb/pg_ctl not found after installing" >&2; exit 1; }
    fi
    if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/hongtu-pg.XXXXXX)"; fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres "$dir"
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hongtu_test
    url="postgresql://postgres@127.0.0.1:$port/hongtu_test"
    echo "$url" >"$dir/url"
    echo "$bin" >"$dir/bin"
    echo "$url"
    ;;
stop)
    [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    bin="$(cat "$dir/bin" 2>/dev/null || pg_bin)"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    ;;
*)
    echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2
    ;;
esac
