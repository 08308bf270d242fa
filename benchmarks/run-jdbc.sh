#!/usr/bin/env bash
# The JDBC benchmarks: the library's get and put beside raw JDBC (same SQL, same pool, no crypto)
# on H2 in memory, on a SQLite file (WAL, synchronous=FULL) and on PostgreSQL (non-owner role,
# row-level security), one thread, then the
# ratio table. Needs PostgreSQL on 127.0.0.1:5432 (.ci/services.sh starts it).
# Extra arguments go to JMH, e.g. benchmarks/run-jdbc.sh -p database=POSTGRESQL
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/services.sh >/dev/null
./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true
java -jar benchmarks/target/benchmarks.jar JdbcBenchmark -t 1 -rf json -rff benchmarks/target/jmh-jdbc.json "$@"
python3 benchmarks/ratios.py benchmarks/target/jmh-jdbc.json
