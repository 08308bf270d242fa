#!/usr/bin/env bash
# Start-up time of the lanonasis CLI, run as users run it (through the launcher ./lanonasis), beside
# a trivial Java program on the same JDK in the same run (issues 16 and 25). Pairs, each one
# hyperfine invocation, so each command and its baseline share the machine's state:
#   remote   ./lanonasis secret get KEY  (a server on loopback)   vs  java -cp DIR Hello   goal 3x
#   embedded ./lanonasis --store jdbc:sqlite:FILE secret get KEY  vs  java -cp DIR Hello   goal 6x
#   version  ./lanonasis --version                                 vs  java -cp DIR Hello   goal 2x
#   run20    ./lanonasis run --prefix bench20/ -- true (20 secrets, remote)
#                                   vs ./lanonasis run --prefix bench1/ -- true (1 secret)  goal 1.2x
# the first three on JDK 17 ($JAVA) and again on a JDK 25 or later ($JAVA25: the launcher then uses
# that JDK's ahead-of-time cache), each beside Hello on its own JDK; and prints each ratio (mean of the CLI / mean of Hello, ± both standard deviations carried
# through) from hyperfine's --export-json files, kept in benchmarks/target/cli/, and the ratio of
# CPU time (user + system) beside it, which a busy machine disturbs less.
#
# It builds the CLI and server jars (./mvnw package; pass Maven flags in MAVEN_ARGS, e.g.
# MAVEN_ARGS="-o"), installs Debian's hyperfine if missing, and starts the server and a SQLite store
# in a temporary directory, removed at the end.
#
# Settings: RUNS (10), WARMUP (3), JAVA (java on PATH; the launcher uses the same one), JAVA25 (a
# java of 25 or later: default the newest under /usr/lib/jvm with a release file saying so; "none"
# skips the JDK 25 pairs).
# The launcher's own settings apply as usual, e.g. LANONASIS_CDS=off to measure without the
# class-data-sharing archive, LANONASIS_JAVA_OPTS="..." to add JVM flags (cli/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-3}
JAVA=${JAVA:-java}
if [ -z "${JAVA25:-}" ]; then
  JAVA25=none
  for home in /usr/lib/jvm/*/; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${home}release" 2>/dev/null || true)
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "${home}bin/java" ]; then JAVA25="${home}bin/java"; fi
  done
fi

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine from Debian's packages" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q hyperfine >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q hyperfine >/dev/null; }
  elif command -v sudo >/dev/null; then
    sudo apt-get install -y -q hyperfine >/dev/null
  fi
  command -v hyperfine >/dev/null || {
    echo "hyperfine is missing: install it (Debian/Ubuntu: apt-get install hyperfine; or cargo install hyperfine)" >&2
    exit 1
  }
fi

echo "building the CLI and server jars" >&2
./mvnw -q -B -ntp -pl cli,server -am package -DskipTests >&2
server_jar="$PWD/server/target/lanonasis-server.jar"
cli="$PWD/lanonasis"

out="benchmarks/target/cli"
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The baseline: the least a Java program costs to start, print and exit on this JDK.
mkdir -p "$work/hello"
cat >"$work/hello/Hello.java" <<'EOF'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
EOF
# Compiled for 17, so both JDKs run the same class file.
"${JAVA%java}javac" --release 17 -d "$work/hello" "$work/hello/Hello.java"
hello="$JAVA -cp $work/hello Hello"

# No profile of the user's may change what is measured.
export LANONASIS_CLI_CONFIG="$work/no-such-config"
unset LANONASIS_PROFILE LANONASIS_STORE LANONASIS_URL LANONASIS_API_KEY LANONASIS_KEYSET LANONASIS_KEYSET_FILE \
  LANONASIS_KEYSET_PASSPHRASE 2>/dev/null || true

mkdir -p "$work/server"
(cd "$work/server" && exec "$JAVA" -jar "$server_jar" --port 0 >"$work/server/out.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 120); do
  grep -q "^Lanonasis Secrets server: http" "$work/server/out.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server/out.log" >&2; exit 1; }
  sleep 0.5
done
url=$(grep -o "^Lanonasis Secrets server: http://[0-9.:]*" "$work/server/out.log" | sed 's/.*: //')
key=$(grep -o -m1 "lns_[0-9a-f]\{16\}_[A-Za-z0-9_-]\{43\}" "$work/server/out.log" || true)
[ -n "$url" ] && [ -n "$key" ] || { echo "the server did not start" >&2; cat "$work/server/out.log" >&2; exit 1; }

store="jdbc:sqlite:$work/embedded/secrets.db"
keyset="$work/embedded/keyset.json"
mkdir -p "$work/embedded"
# The first call of the launcher may build its class-data-sharing archive: done here, not measured.
printf %s 'bench-value-0123456789' | LANONASIS_URL="$url" LANONASIS_API_KEY="$key" "$cli" secret set bench/db/password >/dev/null
printf %s 'bench-value-0123456789' | "$cli" --store "$store" --keyset "$keyset" secret set bench/db/password \
  >/dev/null 2>&1
[ "$(LANONASIS_URL="$url" LANONASIS_API_KEY="$key" "$cli" secret get bench/db/password)" = bench-value-0123456789 ]
[ "$("$cli" --store "$store" --keyset "$keyset" secret get bench/db/password)" = bench-value-0123456789 ]
# For run: one secret under bench1/, twenty under bench20/.
export LANONASIS_URL="$url" LANONASIS_API_KEY="$key"
printf %s 'bench-value-0123456789' | "$cli" secret set bench1/k01 >/dev/null
for i in $(seq -w 1 20); do
  printf %s "bench-value-$i-0123456789" | "$cli" secret set "bench20/k$i" >/dev/null
done
[ "$("$cli" run --prefix bench20/ -- sh -c 'echo "$K07"')" = bench-value-07-0123456789 ]
unset LANONASIS_URL LANONASIS_API_KEY
if [ "$JAVA25" != none ]; then
  # The launcher's first start on this JDK makes its ahead-of-time cache: done here, not measured.
  PATH="$(dirname "$JAVA25"):$PATH" "$cli" --version >/dev/null 2>&1
  [ "$(PATH="$(dirname "$JAVA25"):$PATH" LANONASIS_URL="$url" LANONASIS_API_KEY="$key" "$cli" secret get bench/db/password)" \
    = bench-value-0123456789 ]
fi

bench() { # name command [baseline-name baseline-command]
  hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic --export-json "$out/$1.json" \
    -n "$1" "$2" -n "${3:-hello}" "${4:-$hello}" >&2
}
{
  echo "java: $("$JAVA" -version 2>&1 | head -1); java25: $([ "$JAVA25" = none ] && echo none || "$JAVA25" -version 2>&1 | head -1)"
  echo "$(nproc) cores; runs $RUNS, warm-up $WARMUP; uptime before: $(uptime)"
} | tee "$out/setup.txt" >&2
LANONASIS_URL="$url" LANONASIS_API_KEY="$key" bench remote "$cli secret get bench/db/password"
bench embedded "$cli --store $store --keyset $keyset secret get bench/db/password"
bench version "$cli --version"
LANONASIS_URL="$url" LANONASIS_API_KEY="$key" bench run20 "$cli run --prefix bench20/ -- true" \
  run1 "$cli run --prefix bench1/ -- true"
if [ "$JAVA25" != none ]; then
  hello25="$JAVA25 -cp $work/hello Hello"
  PATH="$(dirname "$JAVA25"):$PATH" LANONASIS_URL="$url" LANONASIS_API_KEY="$key" \
    bench remote25 "$cli secret get bench/db/password" hello "$hello25"
  PATH="$(dirname "$JAVA25"):$PATH" bench embedded25 "$cli --store $store --keyset $keyset secret get bench/db/password" \
    hello "$hello25"
  PATH="$(dirname "$JAVA25"):$PATH" bench version25 "$cli --version" hello "$hello25"
  PATH="$(dirname "$JAVA25"):$PATH" LANONASIS_URL="$url" LANONASIS_API_KEY="$key" \
    bench run20-25 "$cli run --prefix bench20/ -- true" run1 "$cli run --prefix bench1/ -- true"
fi
echo "uptime after: $(uptime)" | tee -a "$out/setup.txt" >&2

python3 - "$out" <<'EOF'
import json, math, os, sys
out = sys.argv[1]
# name: (goal, label, baseline)
pairs = {
    "remote": (3.0, "secret get (server)", "hello"),
    "embedded": (6.0, "secret get --store sqlite", "hello"),
    "version": (2.0, "--version", "hello"),
    "run20": (1.2, "run: 20 secrets / 1", "run1"),
    "remote25": (3.0, "JDK 25: secret get (server)", "hello"),
    "embedded25": (6.0, "JDK 25: secret get --store", "hello"),
    "version25": (2.0, "JDK 25: --version", "hello"),
    "run20-25": (1.2, "JDK 25: run: 20 / 1", "run1"),
}
print("%-10s %-28s %8s %8s %15s %5s %-7s %9s" % (
    "pair", "command", "cli ms", "base ms", "ratio", "goal", "", "cpu ratio"))
for name, (goal, label, base) in pairs.items():
    if not os.path.exists(f"{out}/{name}.json"):
        continue
    results = {r["command"]: r for r in json.load(open(f"{out}/{name}.json"))["results"]}
    a, b = results[name], results[base]
    ratio = a["mean"] / b["mean"]
    err = ratio * math.hypot(a["stddev"] / a["mean"], b["stddev"] / b["mean"])
    # CPU time (user + system) is steadier than wall time on a busy machine: shown beside it.
    cpu = (a["user"] + a["system"]) / (b["user"] + b["system"])
    print("%-10s %-28s %8.0f %8.0f %8.2f ± %4.2f %4.1fx %-7s %9.2f" % (
        name, label, a["mean"] * 1000, b["mean"] * 1000, ratio, err, goal,
        "met" if ratio <= goal else "MISSED", cpu))
EOF
