#!/usr/bin/env python3
"""Reads the wrk outputs of run-server-load.sh (NAME.ROUND.txt) and prints, per endpoint, the
median over rounds of requests/s, p50 and p99, and each endpoint's throughput as a ratio of the
baseline (whoami) in the same round, median over rounds. Non-2xx answers fail the report."""
import pathlib
import re
import statistics
import sys

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def millis(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse(path):
    text = path.read_text()
    if "Non-2xx or 3xx responses" in text:
        sys.exit(f"{path}: non-2xx answers under load:\n{text}")
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    p50 = millis(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = millis(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    return rps, p50, p99


def main(folder):
    runs = {}
    for f in sorted(pathlib.Path(folder).glob("*.txt")):
        name, rnd, _ = f.name.split(".")
        runs.setdefault(name, {})[int(rnd)] = parse(f)
    base = runs["whoami"]
    print(f"{'endpoint':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'÷ whoami':>9}  (median of {len(base)} rounds)")
    for name in ["whoami", "get", "post"]:
        rounds = runs[name]
        ratio = statistics.median(rounds[r][0] / base[r][0] for r in rounds)
        print(f"{name:8} {statistics.median(v[0] for v in rounds.values()):9.0f} "
              f"{statistics.median(v[1] for v in rounds.values()):8.2f} "
              f"{statistics.median(v[2] for v in rounds.values()):8.2f} {ratio:9.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/load")
