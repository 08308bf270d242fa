#!/usr/bin/env python3
"""Reads the wrk outputs of run-server-load.sh (<store>/NAME.ROUND.txt, or NAME.ROUND.txt for one
store) and prints, per store and endpoint, the median over rounds of requests/s, p50 and p99, and
each endpoint's throughput as a ratio of that store's baseline (whoami) in the same round, median
over rounds. With several stores, a last table compares each store's get and post throughput with
the first store's, round by round. Non-2xx answers fail the report."""
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


def runs_in(folder):
    runs = {}
    for f in sorted(folder.glob("*.txt")):
        name, rnd, _ = f.name.split(".")
        runs.setdefault(name, {})[int(rnd)] = parse(f)
    return runs


def table(label, runs):
    base = runs["whoami"]
    print(f"{label}: {'endpoint':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'÷ whoami':>9}  (median of {len(base)} rounds)")
    for name in ["whoami", "get", "post"]:
        rounds = runs[name]
        ratio = statistics.median(rounds[r][0] / base[r][0] for r in rounds)
        print(f"{'':{len(label)}}  {name:8} {statistics.median(v[0] for v in rounds.values()):9.0f} "
              f"{statistics.median(v[1] for v in rounds.values()):8.2f} "
              f"{statistics.median(v[2] for v in rounds.values()):8.2f} {ratio:9.2f}")


def main(folder):
    root = pathlib.Path(folder)
    stores = [d.name for d in sorted(root.iterdir()) if d.is_dir()]
    order = root / "stores"
    if order.exists():  # the order they were given in
        stores = [s for s in order.read_text().split() if s in stores]
    if not stores:
        table("server", runs_in(root))
        return
    all_runs = {name: runs_in(root / name) for name in stores}
    for name, runs in all_runs.items():
        table(name, runs)
    if len(all_runs) > 1:
        first = next(iter(all_runs))
        print(f"throughput ÷ {first}'s, median over rounds:")
        for name, runs in all_runs.items():
            if name == first:
                continue
            cells = []
            for ep in ["whoami", "get", "post"]:
                mine, theirs = runs[ep], all_runs[first][ep]
                cells.append(f"{ep} {statistics.median(mine[r][0] / theirs[r][0] for r in mine if r in theirs):.2f}")
            print(f"  {name}: " + ", ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/load")
