#!/usr/bin/env bash
# Load test of the REST server on loopback with wrk (Debian's package): the runnable jar on its
# embedded defaults (H2 file, development keyset) in a temporary directory, then, in the same run
# and interleaved round by round,
#   whoami  GET /api/v1/whoami                  the trivial authenticated endpoint (baseline)
#   get     GET /api/v1/secrets/load/db/password a 64-byte secret: decrypt + audit entry
#   post    POST /api/v1/secrets                 a new version each time: encrypt + CAS + audit
# and prints throughput, p50/p99 and the ratios to the baseline (benchmarks/load-report.py).
# Settings: ROUNDS (3), DURATION (10s), CONNECTIONS (16), THREADS (1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}

if ! command -v wrk >/dev/null; then
  echo "installing wrk from Debian's packages" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo apt-get install -y -q wrk >/dev/null; fi
fi
[ -f server/target/lanonasis-server.jar ] || ./mvnw -q -B install -DskipTests

work=$(mktemp -d)
out="benchmarks/target/load"
rm -rf "$out" && mkdir -p "$out"
(cd "$work" && exec java -jar "$OLDPWD/server/target/lanonasis-server.jar" --port 0 >"$work/server.log" 2>&1) &
pid=$!
cleanup() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  grep -q "^Lanonasis Secrets server: http" "$work/server.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
base=$(grep -o "^Lanonasis Secrets server: http://[0-9.:]*" "$work/server.log" | sed 's/.*: //')
LNS_KEY=$(grep -o -m1 "lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}" "$work/server.log")
export LNS_KEY
[ -n "$base" ] && [ -n "$LNS_KEY" ] || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

curl -sf -o /dev/null -H "Authorization: Bearer $LNS_KEY" -H 'Content-Type: application/json' \
  -d "{\"key\":\"load/db/password\",\"value\":\"$(printf 'v%.0s' $(seq 1 64))\"}" "$base/api/v1/secrets"

run() { # name script path seconds
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s "benchmarks/load/$2" "$base$3"
}
echo "warm-up (discarded)" >&2
for ep in "whoami auth.lua /api/v1/whoami" "get auth.lua /api/v1/secrets/load/db/password" "post post.lua /api/v1/secrets"; do
  set -- $ep; run "$1" "$2" "$3" 5s >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
  for ep in "whoami auth.lua /api/v1/whoami" "get auth.lua /api/v1/secrets/load/db/password" "post post.lua /api/v1/secrets"; do
    set -- $ep
    echo "round $r: $1" >&2
    run "$1" "$2" "$3" "$DURATION" >"$out/$1.$r.txt"
  done
done
python3 benchmarks/load-report.py "$out"
