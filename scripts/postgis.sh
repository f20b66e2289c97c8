#!/usr/bin/env bash
# A throwaway PostGIS cluster for the tests, on a loopback port, in a directory of its own.
#   scripts/postgis.sh start DIR   initialise and start; prints the DATABASE_URL
#   scripts/postgis.sh stop DIR    stop it and remove DIR
# ZONEMAP_PG_OPTIONS adds server settings, e.g. "-c shared_buffers=1GB -c work_mem=64MB" (the benchmarks).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }

as_pg() {  # initdb refuses to run as root: use the postgres account then
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off ${ZONEMAP_PG_OPTIONS:-}" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  psql -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE zonemap_test" >/dev/null
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d zonemap_test -c "CREATE EXTENSION postgis" >/dev/null
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/zonemap_test"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
