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


def requests(path):
    return int(re.search(r"^\s*(\d+) requests in", path.read_text(), re.M).group(1))


def runs_in(folder):
    """{endpoint: {round: (req/s, p50, p99, server CPU µs per request or None)}}"""
    runs = {}
    for f in sorted(folder.glob("*.txt")):
        name, rnd, _ = f.name.split(".")
        cpu = f.with_suffix(".cpu")
        per_request = None
        if cpu.exists():  # the server process's CPU seconds (user + system) over the wrk run
            per_request = float(cpu.read_text()) * 1e6 / requests(f)
        runs.setdefault(name, {})[int(rnd)] = parse(f) + (per_request,)
    return runs


def table(label, runs):
    base = runs["whoami"]
    with_cpu = all(v[3] is not None for rounds in runs.values() for v in rounds.values())
    cpu_head = f" {'CPU µs/req':>10} {'CPU ratio':>9}" if with_cpu else ""
    print(f"{label}: {'endpoint':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'÷ whoami':>9}{cpu_head}  (median of {len(base)} rounds)")
    for name in ["whoami", "get", "post"]:
        if name not in runs:
            continue
        rounds = runs[name]
        ratio = statistics.median(rounds[r][0] / base[r][0] for r in rounds)
        cpu = ""
        if with_cpu:
            # whoami's server CPU per request ÷ this endpoint's: the throughput ratio the server's
            # own CPU allows, whatever else (wrk, other processes) takes of the machine.
            cpu_ratio = statistics.median(base[r][3] / rounds[r][3] for r in rounds)
            cpu = f" {statistics.median(v[3] for v in rounds.values()):10.0f} {cpu_ratio:9.2f}"
        print(f"{'':{len(label)}}  {name:8} {statistics.median(v[0] for v in rounds.values()):9.0f} "
              f"{statistics.median(v[1] for v in rounds.values()):8.2f} "
              f"{statistics.median(v[2] for v in rounds.values()):8.2f} {ratio:9.2f}{cpu}")


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
