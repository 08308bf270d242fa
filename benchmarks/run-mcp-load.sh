#!/usr/bin/env bash
# What an MCP tool call costs beside the REST call it stands on, on one server on loopback, with wrk
# (Debian's package): the runnable jar on its default SQLite store in a temporary directory, one
# 64-byte secret, and four endpoints measured interleaved, round by round:
#   get           GET /api/v1/secrets/load/db/password     (REST read: decrypt + audit entry)
#   mcp-describe  POST /mcp tools/call describe_secret      (metadata + read + fingerprint + audit entry)
#   list          GET /api/v1/secrets?prefix=load/           (REST listing + audit entry)
#   mcp-list      POST /mcp tools/call list_secrets          (the same listing as a tool + audit entry)
# Prints throughput, p50/p99 and the ratios mcp-describe ÷ get and mcp-list ÷ list (median over
# rounds, each ratio within one round). Raw wrk output: benchmarks/target/mcp-load/NAME.ROUND.txt.
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
[ -f server/target/lanonasis-server.jar ] || ./mvnw -q -B -pl server -am package -DskipTests
jar="$PWD/server/target/lanonasis-server.jar"

out="benchmarks/target/mcp-load"
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && exec java -jar "$jar" --port 0 >"$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
  grep -q "^Lanonasis Secrets server: http" "$work/server.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
base=$(grep -o "^Lanonasis Secrets server: http://[0-9.:]*" "$work/server.log" | sed 's/.*: //')
export LNS_KEY
LNS_KEY=$(grep -o -m1 "lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}" "$work/server.log")
curl -sf -o /dev/null -H "Authorization: Bearer $LNS_KEY" -H 'Content-Type: application/json' \
  -d "{\"key\":\"load/db/password\",\"value\":\"$(printf 'v%.0s' $(seq 1 64))\"}" "$base/api/v1/secrets"

describe='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"describe_secret","arguments":{"name":"load/db/password"}}}'
list='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_secrets","arguments":{"prefix":"load/"}}}'
# A tool error is a 200 too: check once that each call succeeds before measuring it.
for body in "$describe" "$list"; do
  answer=$(curl -sf -H "Authorization: Bearer $LNS_KEY" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -d "$body" "$base/mcp")
  case "$answer" in *'"isError":false'*) ;; *) echo "tool call failed: $answer" >&2; exit 1 ;; esac
done

run() { # name seconds
  case "$1" in
    get) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s benchmarks/load/auth.lua "$base/api/v1/secrets/load/db/password" ;;
    list) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s benchmarks/load/auth.lua "$base/api/v1/secrets?prefix=load/" ;;
    mcp-describe) LNS_BODY=$describe wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s benchmarks/load/mcp.lua "$base/mcp" ;;
    mcp-list) LNS_BODY=$list wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s benchmarks/load/mcp.lua "$base/mcp" ;;
  esac
}
names=(get mcp-describe list mcp-list)
echo "warm-up (discarded)" >&2
for n in "${names[@]}"; do run "$n" 5s >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for n in "${names[@]}"; do
    echo "round $r: $n" >&2
    run "$n" "$DURATION" >"$out/$n.$r.txt"
  done
done
python3 - "$out" <<'PY'
import importlib.util, pathlib, statistics, sys
spec = importlib.util.spec_from_file_location("lr", "benchmarks/load-report.py")
lr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lr)
runs = lr.runs_in(pathlib.Path(sys.argv[1]))
print(f"{'endpoint':13} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  (median of {len(runs['get'])} rounds)")
for name in ["get", "mcp-describe", "list", "mcp-list"]:
    v = runs[name].values()
    print(f"{name:13} {statistics.median(x[0] for x in v):9.0f} {statistics.median(x[1] for x in v):8.2f} "
          f"{statistics.median(x[2] for x in v):8.2f}")
for tool, rest in [("mcp-describe", "get"), ("mcp-list", "list")]:
    ratios = [runs[tool][r][0] / runs[rest][r][0] for r in runs[rest]]
    print(f"throughput {tool} ÷ {rest}: {statistics.median(ratios):.2f} "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
