#!/usr/bin/env bash
# Reads from a PostgreSQL streaming replica, through pgbouncer, on loopback; writes to the primary.
#   bash scripts/replica-demo.sh
# Starts a throwaway primary (scripts/postgis.sh), a hot standby cloned from it with
# `pg_basebackup -R` (streaming replication), pgbouncer in front of the standby, loads the data
# into the primary, serves the app with DATABASE_READ_URLS pointing at pgbouncer, and shows:
#   1. /healthz read from the replica ("replica": true: pg_is_in_recovery() on the read connection),
#   2. a reload on the primary (`zonemap synth --projects 500`: other data) reaching the app through
#      the replica (the fingerprint and the project count change),
# then stops everything it started. Exit 0 when both hold. Needs postgresql, postgis and pgbouncer
# (Debian packages; installed when missing, as scripts/system-deps.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
zonemap=${ZONEMAP:-.venv/bin/zonemap}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends pgbouncer >/dev/null
fi
pgbouncer_bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

as_pg() {  # PostgreSQL and pgbouncer refuse to run as root: use the postgres account then
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/zonemap-replica.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work"
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -f "$work/pgbouncer.pid" ] && kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true
  [ -d "$work/replica" ] && as_pg "$pgbin/pg_ctl" -D "$work/replica" -m fast -w stop >/dev/null 2>&1 || true
  bash scripts/postgis.sh stop "$work/primary" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "primary: a throwaway PostGIS cluster"
primary=$(bash scripts/postgis.sh start "$work/primary")
pport=$(python3 -c "import sys; from urllib.parse import urlsplit; print(urlsplit(sys.argv[1]).port)" "$primary")
echo "DATABASE_URL=$primary"

step "replica: pg_basebackup -R from the primary, started as a hot standby"
rport=$(free_port)
as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$work/replica" -R -X stream -c fast
as_pg "$pgbin/pg_ctl" -D "$work/replica" -l "$work/replica.log" -w -t 60 \
  -o "-p $rport -k $work -c listen_addresses=127.0.0.1 -c hot_standby=on -c jit=off" start >/dev/null
psql -qAt -h 127.0.0.1 -p "$rport" -U postgres -d zonemap_test -c "SELECT 'replica in recovery: ' || pg_is_in_recovery()"

step "pgbouncer in front of the replica (session pooling: the app sets its search path per connection)"
bport=$(free_port)
cat >"$work/pgbouncer.ini" <<EOF
[databases]
zonemap_test = host=127.0.0.1 port=$rport dbname=zonemap_test user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir =
auth_type = any
pool_mode = session
max_client_conn = 200
default_pool_size = 20
# pgbouncer drops the "options" startup parameter (the app asks -c jit=off): the standby sets jit=off itself
ignore_startup_parameters = extra_float_digits,options
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
EOF
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work/pgbouncer.ini"
as_pg "$pgbouncer_bin" -d "$work/pgbouncer.ini"
replica="postgresql+psycopg://postgres@127.0.0.1:$bport/zonemap_test"
echo "DATABASE_READ_URLS=$replica"

step "load the real data into the primary"
DATABASE_URL=$primary $zonemap load

step "serve: reads from the replica through pgbouncer, writes to the primary"
port=$(free_port)
DATABASE_URL=$primary DATABASE_READ_URLS=$replica PORT=$port $zonemap serve >"$work/app.log" 2>&1 &
app_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 150); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

health() { curl -fs "$base/healthz"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
before=$(health); echo "GET /healthz → $before"
[ "$(echo "$before" | field replica)" = "True" ] || { echo "FAIL: /healthz was not read from the replica" >&2; exit 1; }
fp_before=$(echo "$before" | field data)

step "reload on the primary (other data: the real data plus 500 synthetic projects)"
$zonemap synth --projects 500 --database-url "$primary"
t0=$(date +%s.%N)
for _ in $(seq 300); do
  now=$(health || true)
  if [ -n "$now" ] && [ "$(echo "$now" | field data)" != "$fp_before" ]; then break; fi
  sleep 0.1
done
t1=$(date +%s.%N)
echo "GET /healthz → $now"
[ "$(echo "$now" | field replica)" = "True" ] || { echo "FAIL: not read from the replica after the reload" >&2; exit 1; }
[ "$(echo "$now" | field data)" != "$fp_before" ] || { echo "FAIL: the reload did not reach the replica" >&2; exit 1; }
projects=$(echo "$now" | field projects)
matched=$(curl -fs "$base/api/projects?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['numberMatched'])")
echo "the reload reached the app through the replica $(python3 -c "print(f'{$t1 - $t0:.2f}')") s after the load returned: $projects projects, /api/projects numberMatched $matched"
[ "$projects" = "$matched" ] || { echo "FAIL: /api/projects disagrees with /healthz" >&2; exit 1; }
psql -qAt -h 127.0.0.1 -p "$rport" -U postgres -d zonemap_test \
  -c "SELECT 'replica: ' || count(*) || ' client connections from pgbouncer' FROM pg_stat_activity WHERE datname = 'zonemap_test' AND pid <> pg_backend_pid()"
echo
echo "OK: reads served by the replica, the reload reached it"
