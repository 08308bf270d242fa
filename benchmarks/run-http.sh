#!/usr/bin/env bash
# The HTTP benchmarks: get through SecretManagerClient (no cache; cache revalidating with a 304 on
# every read; cache fresh, no request) beside raw OkHttp GETs of the same endpoint, against a real
# server (Javalin, SQLite file, audit log) started in the benchmark's JVM; one thread; then the ratios.
# Extra arguments go to JMH, e.g. a quick look: benchmarks/run-http.sh -wi 1 -i 2
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true
java -jar benchmarks/target/benchmarks.jar HttpBenchmark -t 1 -rf json -rff benchmarks/target/jmh-http.json "$@"
python3 benchmarks/ratios.py benchmarks/target/jmh-http.json
