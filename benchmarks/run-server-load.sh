#!/usr/bin/env bash
# Load test of the REST server on loopback with wrk (Debian's package): the runnable jar (development
# keyset) on one or more stores, each in a temporary directory, all started first and then measured
# interleaved, round by round and store by store, on three endpoints of each:
#   whoami  GET /api/v1/whoami                  the trivial authenticated endpoint (baseline)
#   get     GET /api/v1/secrets/load/db/password a 64-byte secret: decrypt + audit entry
#   post    POST /api/v1/secrets                 a new version each time: encrypt + CAS + audit
# and prints, per store, throughput, p50/p99 and the ratios to that store's baseline
# (benchmarks/load-report.py). Raw wrk output: benchmarks/target/load/<store>/<endpoint>.<round>.txt.
#
# Usage: benchmarks/run-server-load.sh [LABEL=STORE ...]
#   STORE is a JDBC URL for --store, "default" for the server's own default (SQLite under ./data),
#   or "postgresql" for a fresh schema on the local PostgreSQL (127.0.0.1:5432, database test; made
#   and dropped by this script; the server connects as the non-owner role lanonasis_app and migrates
#   as lanonasis_owner, as in production).
#   Without arguments: sqlite=default h2=jdbc:h2:file:./data/secrets (the default before SQLite).
#   "postgresql-shared" is INSTANCES (2) server instances on one fresh schema (the audit log's
#   scale-out, benchmarks/README.md "Audit scale-out"): each run drives all of them at once, one wrk
#   each with CONNECTIONS, and reports the summed requests/s (latency: the worst instance's).
#   e.g. benchmarks/run-server-load.sh sqlite=default pg=postgresql
#        benchmarks/run-server-load.sh pg=postgresql pg2=postgresql-shared
# Every measured run also records the CPU time of each part (the server JVMs, the PostgreSQL
# backends of this store, wrk) per request: benchmarks/load/cpu-run.py, table printed last.
#   STORE@JAR runs another build of the server jar on that store (a before/after in one run).
# Settings: ROUNDS (3), DURATION (10s), CONNECTIONS (16), THREADS (1), INSTANCES (2), JAR;
# PROFILE=1 records each store's (first) server with JFR (after PROFILE_DELAY, 20s: past the
# warm-up) and prints where its request threads' CPU went, by layer (benchmarks/jfr-layers.py).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
INSTANCES=${INSTANCES:-2}
stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(sqlite=default h2=jdbc:h2:file:./data/secrets)

if ! command -v wrk >/dev/null; then
  echo "installing wrk from Debian's packages" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo apt-get install -y -q wrk >/dev/null; fi
fi
# JAR: another build of the server (e.g. a copy, while a build rewrites server/target).
jar=${JAR:-$PWD/server/target/lanonasis-server.jar}
[ -f "$jar" ] || ./mvnw -q -B install -DskipTests

out="benchmarks/target/load"
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

schemas=()
drop_schemas() {
  for sc in "${schemas[@]}"; do psql -h 127.0.0.1 -U postgres -d test -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $sc CASCADE" || true; done
}
trap 'cleanup; drop_schemas' EXIT

declare -A base key bases spids app
for s in "${stores[@]}"; do echo "${s%%=*}"; done >"$out/stores"
for s in "${stores[@]}"; do
  label=${s%%=*}
  uri=${s#*=}
  server_jar=$jar
  if [ "${uri#*@}" != "$uri" ]; then # STORE@JAR: another build of the server, e.g. the one before a change
    server_jar=$(cd "$(dirname "${uri#*@}")" && pwd)/$(basename "${uri#*@}")
    uri=${uri%%@*}
  fi
  mkdir -p "$work/$label" "$out/$label"
  args=(--port 0)
  count=1
  app[$label]=-
  if [ "$uri" = postgresql ] || [ "$uri" = postgresql-shared ]; then
    [ "$uri" = postgresql ] || count=$INSTANCES
    app[$label]="lnsload-$label-$$"
    .ci/services.sh >/dev/null
    schema="lns_load_$$_${#schemas[@]}"
    psql -h 127.0.0.1 -U postgres -d test -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_owner') THEN CREATE ROLE lanonasis_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lanonasis_app') THEN CREATE ROLE lanonasis_app LOGIN; END IF;
END \$\$;
CREATE SCHEMA $schema AUTHORIZATION lanonasis_owner;
SQL
    schemas+=("$schema")
    args+=(--store "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema&user=lanonasis_app&ApplicationName=${app[$label]}"
      --migration-db-user lanonasis_owner)
  elif [ "$uri" != default ]; then
    args+=(--store "$uri")
  fi
  bases[$label]=""
  spids[$label]=""
  for i in $(seq 1 "$count"); do
    # One working directory: the instances share ./data (the development keyset, the audit signing
    # key and checkpoint file), as instances of one deployment share their keyring.
    log="$work/$label/server.log"
    [ "$i" = 1 ] || log="$work/$label/server.$i.log"
    jfr=()
    [ -z "${PROFILE:-}" ] || [ "$i" != 1 ] ||
      jfr=("-XX:StartFlightRecording=filename=$PWD/$out/$label/server.jfr,settings=profile,delay=${PROFILE_DELAY:-20s}")
    (cd "$work/$label" && exec java "${jfr[@]}" -jar "$server_jar" "${args[@]}" >"$log" 2>&1) &
    pids+=($!)
    spids[$label]+="${spids[$label]:+,}$!"
    for _ in $(seq 1 120); do
      grep -q "^Lanonasis Secrets server: http" "$log" 2>/dev/null && break
      kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
      sleep 0.5
    done
    url=$(grep -o "^Lanonasis Secrets server: http://[0-9.:]*" "$log" | sed 's/.*: //')
    [ -n "$url" ] || { echo "server $i for $label did not start" >&2; cat "$log" >&2; exit 1; }
    bases[$label]+="${bases[$label]:+ }$url"
    # The first instance bootstraps the admin key; the others share its tables.
    [ "$i" = 1 ] && key[$label]=$(grep -o -m1 "lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}" "$log" || true)
  done
  base[$label]=${bases[$label]%% *}
  [ -n "${base[$label]}" ] && [ -n "${key[$label]}" ] || {
    echo "server for $label did not start (or its store already had keys)" >&2; cat "$work/$label/server.log" >&2; exit 1; }
  grep "^  store " "$work/$label/server.log" >&2 || true
  LNS_KEY=${key[$label]} curl -sf -o /dev/null -H "Authorization: Bearer ${key[$label]}" \
    -H 'Content-Type: application/json' \
    -d "{\"key\":\"load/db/password\",\"value\":\"$(printf 'v%.0s' $(seq 1 64))\"}" "${base[$label]}/api/v1/secrets"
done

endpoints=("whoami auth.lua /api/v1/whoami" "get auth.lua /api/v1/secrets/load/db/password" "post post.lua /api/v1/secrets")
run() { # label script path seconds (warm-up: every instance in turn)
  for b in ${bases[$1]}; do
    LNS_KEY=${key[$1]} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s "benchmarks/load/$2" "$b$3"
  done
}
measure() { # label endpoint script path round: all instances at once, with CPU accounting
  local urls=()
  for b in ${bases[$1]}; do urls+=("$b$4"); done
  LNS_KEY=${key[$1]} python3 benchmarks/load/cpu-run.py "$out/$1" "$2" "$5" "${app[$1]}" "${spids[$1]}" \
    "benchmarks/load/$3" "$DURATION" "$THREADS" "$CONNECTIONS" "${urls[@]}"
}
echo "warm-up (discarded)" >&2
for s in "${stores[@]}"; do
  for ep in "${endpoints[@]}"; do
    set -- $ep; run "${s%%=*}" "$2" "$3" 5s >/dev/null
  done
done
for r in $(seq 1 "$ROUNDS"); do
  for s in "${stores[@]}"; do
    label=${s%%=*}
    for ep in "${endpoints[@]}"; do
      set -- $ep
      echo "round $r: $label $1" >&2
      measure "$label" "$1" "$2" "$3" "$r"
    done
  done
done
python3 benchmarks/load-report.py "$out"
python3 benchmarks/load/cpu-run.py report "$out"
if [ -n "${PROFILE:-}" ]; then # the servers write their recordings as they stop
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  python3 benchmarks/jfr-layers.py "$out"/*/server.jfr
fi
