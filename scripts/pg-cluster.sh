#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests and benchmarks of the postgres state backend.
#
#   scripts/pg-cluster.sh start DIR   → initdb in DIR, start on a free 127.0.0.1 port; prints the
#                                       connection string (postgresql://tug:…@127.0.0.1:PORT/postgres)
#   scripts/pg-cluster.sh stop DIR    → stop it at once (immediate shutdown, like a crash: committed data
#                                       survives in the WAL); the directory is left for the caller
#   scripts/pg-cluster.sh start DIR   on a DIR that holds a stopped cluster: start it again, same port
#
# The server binaries come from Debian's `postgresql` package (/usr/lib/postgresql/<major>/bin) or PATH.
# initdb refuses to run as root: as root the cluster is made and run by the `postgres` user the package
# creates. Password authentication (scram-sha-256) even on loopback, so the tests use a real password.
set -euo pipefail

bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] || { echo "pg-cluster: no initdb (install Debian's postgresql package)" >&2; exit 2; }
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=$(bin_dir)

case "$cmd" in
  start)
    if [ -f "$dir/url" ]; then
      port=$(sed -E 's#.*:([0-9]+)/.*#\1#' "$dir/url")
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" start >/dev/null
      cat "$dir/url"
      exit 0
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    password=$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')
    pwfile="$dir/.pw"
    printf '%s\n' "$password" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U tug --pwfile="$pwfile" -A scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
    for attempt in 1 2 3; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" start >/dev/null; then
        echo "postgresql://tug:$password@127.0.0.1:$port/postgres" | tee "$dir/url"
        chmod 600 "$dir/url"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
