#!/usr/bin/env bash
# Builds the benchmarks, runs them with one and with two threads, and prints the ratio table.
# Extra arguments go to both JMH runs, e.g. a quick look: benchmarks/run.sh -wi 1 -i 2 'get$'
# (a -jvmArgs or -jvmArgsAppend given here replaces the heap settings of @Fork; repeat them).
set -euo pipefail
cd "$(dirname "$0")/.."

# maven.test.skip also skips compiling the tests of api and backend-memory: the benchmark jar
# does not need them, and a test being edited elsewhere in the tree should not stop a run.
./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true

for threads in 1 2; do
  java -jar benchmarks/target/benchmarks.jar StoreBenchmark -t "$threads" \
    -rf json -rff "benchmarks/target/jmh-t$threads.json" "$@"
done

python3 benchmarks/ratios.py benchmarks/target/jmh-t1.json benchmarks/target/jmh-t2.json
