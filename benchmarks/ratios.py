#!/usr/bin/env python3
"""Prints the library/baseline ratios from JMH JSON results (one file per thread count).

A ratio is library time / baseline time, i.e. baseline throughput / library throughput, so
"<= 1.5x" reads as "at most 50% slower than the baseline". Scores in time per operation
(SingleShotTime, AverageTime: units like "ms/op") are divided the other way round. The +- column carries JMH's 99.9%
error intervals of both scores through to the ratio (relative errors added in quadrature; n/a
after a single iteration).

Usage: ratios.py jmh-t1.json [jmh-t2.json ...]
"""
import json
import math
import sys

PAIRS = [
    ("get", "baselineGet"),
    ("put", "baselinePut"),
    ("cacheHitGet", "baselineMapGet"),
    ("cacheHitGet", "baselineMapGetCopy"),
    # JdbcBenchmark: the library over JDBC beside raw JDBC (same SQL, same pool), per database.
    ("jdbcGet[H2]", "rawJdbcGet[H2]"),
    ("jdbcGet[SQLITE]", "rawJdbcGet[SQLITE]"),
    ("jdbcGet[POSTGRESQL]", "rawJdbcGet[POSTGRESQL]"),
    ("jdbcPut[H2]", "rawJdbcPut[H2]"),
    ("jdbcPut[SQLITE]", "rawJdbcPut[SQLITE]"),
    ("jdbcPut[POSTGRESQL]", "rawJdbcPut[POSTGRESQL]"),
    # HttpBenchmark: SecretManagerClient against a real server in the same JVM, beside raw OkHttp
    # GETs of the same endpoint (a 200 with the value; a 304 to a matching If-None-Match).
    ("httpGet", "rawOkHttpGet"),
    ("httpGetRevalidated", "rawOkHttpGet"),
    ("httpGetRevalidated", "rawOkHttpGetNotModified"),
    ("httpGetCacheHit", "rawOkHttpGet"),
    # Batch reads: 20 secrets through getSecrets (one :batchGet) and 20 getSecret calls, each
    # beside one getSecret.
    ("httpGetSecrets20", "httpGetSecret"),
    ("httpGetSecret20Singles", "httpGetSecret"),
    # ResealBenchmark: one pass of TenantKeyManager.reseal over every record beside raw JDBC
    # UPDATEs of the same rows in the same batches (time per pass, not throughput).
    ("reseal[SQLITE]", "rawUpdate[SQLITE]"),
    ("reseal[POSTGRESQL]", "rawUpdate[POSTGRESQL]"),
]


def target(library, baseline, payload):
    if library == "get":
        return ("<=", 1.5) if payload <= 1024 else ("<=", 1.15)
    if baseline == "baselineMapGet":
        return ("<=", 2.0)
    if library == "httpGetSecrets20":
        return ("<=", 1.5)
    if library == "jdbcGet[POSTGRESQL]":
        return ("<=", 1.3)
    return None


def load(paths):
    scores = {}
    for path in paths:
        with open(path) as f:
            for run in json.load(f):
                method = run["benchmark"].rsplit(".", 1)[1]
                if "database" in run["params"]:
                    method = f"{method}[{run['params']['database']}]"
                payload = int(run["params"]["payloadBytes"])
                metric = run["primaryMetric"]
                error = metric["scoreError"]
                error = float("nan") if error is None else float(error)
                scores[(method, payload, run["threads"])] = (float(metric["score"]), error, metric["scoreUnit"])
    return scores


def quotient(numerator, denominator):
    (n, n_err, _), (d, d_err, _) = numerator, denominator
    value = n / d
    return value, value * math.hypot(n_err / n, d_err / d)


def verdict(tgt, value):
    if tgt is None:
        return "", ""
    op, limit = tgt
    ok = value <= limit if op == "<=" else value >= limit
    if ok:
        return f"{op} {limit:.2f}x", "ok"
    gap = abs(value - limit)
    return f"{op} {limit:.2f}x", f"MISSED by {gap:.2f}x ({gap / limit * 100:.0f}% {'over' if op == '<=' else 'short'})"


def plus_minus(err):
    return "n/a" if math.isnan(err) else f"{err:.2f}"


def main(paths):
    scores = load(paths)
    threads = sorted({t for (_, _, t) in scores})
    payloads = sorted({p for (_, p, _) in scores})
    row = "{:<46} {:>8} {:>8} {:>9} {:>7} {:>9} {}"

    print("JMH scores (" + ", ".join(sorted({u for (_, _, u) in scores.values()})) + ")")
    print("{:<24} {:>8} {:>8} {:>12} {:>10}".format("benchmark", "payload", "threads", "score", "+-"))
    for method in dict.fromkeys(m for pair in PAIRS for m in pair):
        for p in payloads:
            for t in threads:
                if (method, p, t) in scores:
                    s, e, _ = scores[(method, p, t)]
                    print("{:<24} {:>8} {:>8} {:>12.3f} {:>10.3f}".format(method, p, t, s, e))
    print()

    print("Ratios: library time / baseline time (lower is better)")
    print(row.format("pair", "payload", "threads", "ratio", "+-", "target", "verdict"))
    for library, baseline in PAIRS:
        for p in payloads:
            for t in threads:
                if (library, p, t) in scores and (baseline, p, t) in scores:
                    if scores[(library, p, t)][2].endswith("/op"):
                        value, err = quotient(scores[(library, p, t)], scores[(baseline, p, t)])
                    else:
                        value, err = quotient(scores[(baseline, p, t)], scores[(library, p, t)])
                    tgt, result = verdict(target(library, baseline, p), value)
                    print(row.format(f"{library} / {baseline}", p, t, f"{value:.2f}x", plus_minus(err), tgt, result))
    print()

    if 1 in threads and 2 in threads:
        print("Scaling: throughput with 2 threads / with 1 thread (higher is better)")
        print(row.format("benchmark", "payload", "", "scaling", "+-", "target", "verdict"))
        for method in ("get", "baselineGet"):
            for p in payloads:
                if (method, p, 1) in scores and (method, p, 2) in scores:
                    value, err = quotient(scores[(method, p, 2)], scores[(method, p, 1)])
                    tgt, result = verdict((">=", 1.7) if method == "get" else None, value)
                    print(row.format(method, p, "2/1", f"{value:.2f}x", plus_minus(err), tgt, result))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
