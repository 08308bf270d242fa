#!/usr/bin/env bash
# Two builds of the CLI side by side: the launcher of an earlier checkout (BEFORE, built with
# ./mvnw -pl cli -am package) and this one's, interleaved in one hyperfine invocation per JDK with
# Hello on that JDK, so both see the same machine (benchmarks/README.md, "CLI start-up"):
#   JDK 17 (java on PATH): Hello, before/after `secret get KEY` (a server on loopback), before/after --version
#   JDK 25 ($JAVA25):      the same, plus after with LANONASIS_CDS=off (no archive or cache)
# Prints wall and CPU time (user + system) of each, and each ÷ Hello's.
#
#   benchmarks/run-cli-ab.sh /path/to/earlier/checkout      (RUNS=20, JAVA25 as in run-cli.sh)
# Expects server/target/lanonasis-server.jar and cli/target/lanonasis.jar built here
# (benchmarks/run-cli.sh builds them).
set -euo pipefail
cd "$(dirname "$0")/.."
A=$PWD
B=$(cd "${1:?usage: run-cli-ab.sh BEFORE-CHECKOUT}" && pwd)
RUNS=${RUNS:-20}
if [ -z "${JAVA25:-}" ]; then
  for home in /usr/lib/jvm/*/; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${home}release" 2>/dev/null || true)
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "${home}bin/java" ]; then JAVA25="${home}bin/java"; fi
  done
fi
: "${JAVA25:?no JDK 25 found: set JAVA25}"
J25=$(dirname "$JAVA25")
W=$(mktemp -d)
mkdir -p "$W/hello" "$W/server"
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
printf 'public class Hello{public static void main(String[] a){System.out.println("hello");}}' >"$W/hello/Hello.java"
javac --release 17 -d "$W/hello" "$W/hello/Hello.java"
export LANONASIS_CLI_CONFIG=$W/no-config
unset LANONASIS_PROFILE LANONASIS_STORE LANONASIS_KEYSET LANONASIS_KEYSET_FILE LANONASIS_CDS 2>/dev/null || true
(cd "$W/server" && exec java -jar "$A/server/target/lanonasis-server.jar" --port 0 >out.log 2>&1) &
spid=$!
for _ in $(seq 1 120); do grep -q "^Lanonasis Secrets server: http" "$W/server/out.log" 2>/dev/null && break; sleep 0.5; done
LANONASIS_URL=$(grep -o "^Lanonasis Secrets server: http://[0-9.:]*" "$W/server/out.log" | sed 's/.*: //')
LANONASIS_API_KEY=$(grep -o -m1 "lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}" "$W/server/out.log")
export LANONASIS_URL LANONASIS_API_KEY
printf %s bench-value | "$A/lanonasis" secret set bench/k >/dev/null
get="secret get bench/k"
echo "uptime: $(uptime)"
# The before launcher keeps one archive for whichever JDK ran last: each group's first warm-up run
# retrains it.
hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-json "$W/ab17.json" \
  -n hello17 "java -cp $W/hello Hello" -n before17 "$B/lanonasis $get" -n after17 "$A/lanonasis $get" \
  -n before17-version "$B/lanonasis --version" -n after17-version "$A/lanonasis --version"
echo "uptime: $(uptime)"
PATH=$J25:$PATH hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-json "$W/ab25.json" \
  -n hello25 "$J25/java -cp $W/hello Hello" -n before25 "$B/lanonasis $get" -n after25 "$A/lanonasis $get" \
  -n after25-nocache "env LANONASIS_CDS=off $A/lanonasis $get" \
  -n before25-version "$B/lanonasis --version" -n after25-version "$A/lanonasis --version"
echo "uptime: $(uptime)"
python3 - "$W" <<'PY'
import json, sys
for f in ("ab17", "ab25"):
    rs = json.load(open(f"{sys.argv[1]}/{f}.json"))["results"]
    h = rs[0]; hc = h["user"] + h["system"]
    for r in rs:
        c = r["user"] + r["system"]
        print("%-18s wall %7.0f ms ± %4.0f  cpu %6.0f ms  wall/hello %5.2f  cpu/hello %5.2f" % (
            r["command"], r["mean"] * 1000, r["stddev"] * 1000, c * 1000, r["mean"] / h["mean"], c / hc))
PY
