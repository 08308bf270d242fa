#!/usr/bin/env bash
# How fast the server answers while its PostgreSQL is down, and how soon it serves again once the
# database is back (issue 22, "Readiness and outages"), for one or more server jars in the same run
# (e.g. main's jar beside a new one: the baseline). For each jar: a private PostgreSQL cluster on an
# ephemeral port (Debian's binaries, run as the postgres user), the server on it, one write; then
# the cluster is killed with SIGKILL and a read, a write and /readyz are timed (status, seconds,
# Retry-After); then the cluster is started again and five reads and a write are timed.
#
#   benchmarks/run-pg-outage.sh [JAR ...]     (default: server/target/lanonasis-server.jar)
#
# Needs root (to run PostgreSQL as the postgres user) and curl. Everything lives in temporary
# directories, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run-pg-outage: needs root, to run PostgreSQL as the postgres user" >&2; exit 1; }
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(server/target/lanonasis-server.jar)
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

for jar in "${jars[@]}"; do
  jar=$(readlink -f "$jar")
  pg=$(mktemp -d /tmp/lanonasis-outage-pg.XXXX); chmod 755 "$pg"; chown postgres "$pg"
  work=$(mktemp -d /tmp/lanonasis-outage.XXXX)
  pgport=$(free_port); port=$(free_port)
  runuser -u postgres -- "$BIN/initdb" -D "$pg/data" -A trust -U postgres >/dev/null
  pgstart() { runuser -u postgres -- "$BIN/pg_ctl" -D "$pg/data" -o "-p $pgport -k $pg -c listen_addresses=127.0.0.1" \
    -l "$pg/log" -w start >/dev/null; }
  pgstart
  (cd "$work" && exec java -jar "$jar" --port "$port" \
    --store "jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres" >out.log 2>&1) &
  server=$!
  for _ in $(seq 120); do grep -q 'http://127' "$work/out.log" && break; sleep 0.5; done
  key=$(grep -o 'lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}' "$work/out.log" | head -1)
  url=http://127.0.0.1:$port
  get() { curl -s -o /dev/null -D "$work/h" -w "$1 %{http_code} %{time_total}s" -H "Authorization: Bearer $key" "$url$2";
    echo " $(grep -i '^retry-after' "$work/h" | tr -d '\r' || true)"; }
  post() { curl -s -o /dev/null -D "$work/h" -w "$1 %{http_code} %{time_total}s" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d "{\"key\":\"$2\",\"value\":\"v\"}" "$url/api/v1/secrets";
    echo " $(grep -i '^retry-after' "$work/h" | tr -d '\r' || true)"; }
  echo "== $jar"
  post "write (database up)" a
  kill -9 "$(head -1 "$pg/data/postmaster.pid")"; sleep 3
  get "read while down" /api/v1/secrets/a
  post "write while down" b
  get "/readyz while down" /readyz
  rm -f "$pg/data/postmaster.pid"; pgstart
  for i in 1 2 3 4 5; do get "read $i after restart" /api/v1/secrets/a; done
  post "write after restart" c
  kill "$server"; wait "$server" 2>/dev/null || true
  runuser -u postgres -- "$BIN/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null || true
  rm -rf "$pg" "$work"
done
