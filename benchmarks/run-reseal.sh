#!/usr/bin/env bash
# Re-sealing a tenant's records (TenantKeyManager.reseal) beside raw JDBC UPDATEs of the same rows
# in the same batches, on a SQLite file and on PostgreSQL (non-owner role, row-level security);
# one invocation = one pass over every record. Prints the time per pass and the ratio.
# Needs PostgreSQL on 127.0.0.1:5432 (.ci/services.sh starts it).
# Extra arguments go to JMH, e.g. benchmarks/run-reseal.sh -p records=20000
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/services.sh >/dev/null
./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true
java -jar benchmarks/target/benchmarks.jar ResealBenchmark -rf json -rff benchmarks/target/jmh-reseal.json "$@"
python3 benchmarks/ratios.py benchmarks/target/jmh-reseal.json
