#!/usr/bin/env python3
"""One measured run of run-server-load.sh with CPU accounting: starts one wrk per URL at once (the
instances of one store), waits, and writes

  OUT/NAME.ROUND.txt        the wrk output (one URL), or for several the sum of their requests/s
                            with the worst of their p50/p99, in wrk's format (load-report.py reads it)
  OUT/parts/NAME.ROUND.I.txt each wrk's own output, when there are several
  OUT/cpu/NAME.ROUND.txt    CPU seconds of each part during the run and the requests served:
                            server (the given JVM pids), postgres (the backends whose
                            application_name is APPNAME, plus walwriter), wrk (its own rusage)

Usage: cpu-run.py OUT NAME ROUND APPNAME|- SERVER_PIDS(comma) SCRIPT DURATION THREADS CONNECTIONS URL...
       cpu-run.py report ROOT   (the table of CPU per request, from every store's cpu/ files)
The key comes from the environment (LNS_KEY), as for wrk."""
import os
import pathlib
import re
import resource
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime, stime are fields 14 and 15 (1-based) of the whole line; after "pid (comm)" 12, 13
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def pg_pids(app):
    pids = set()
    if app != "-":
        out = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc",
             f"SELECT pid FROM pg_stat_activity WHERE application_name = '{app}' "
             "OR backend_type = 'walwriter'"],
            capture_output=True, text=True, check=True).stdout
        pids = {int(p) for p in out.split()}
    return pids


def snapshot(pids):
    return {p: ticks(p) for p in pids}


def main():
    out, name, rnd, app, servers, script, duration, threads, conns, *urls = sys.argv[1:]
    out = pathlib.Path(out)
    server_pids = [int(p) for p in servers.split(",") if p]
    pg_before = pg_pids(app)
    s0 = snapshot(server_pids)
    p0 = snapshot(pg_before)
    procs = []
    for url in urls:
        procs.append(subprocess.Popen(
            ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}", "--latency", "-s", script, url],
            stdout=subprocess.PIPE, text=True))
    texts = [p.communicate()[0] for p in procs]
    s1 = snapshot(server_pids)
    pg_after = pg_pids(app)
    p1 = snapshot(pg_before | pg_after)
    wrk_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = sum((s1[p] or 0) - (s0[p] or 0) for p in server_pids) / TICK
    # A backend that started during the run counts from 0; one that ended is lost (stated).
    postgres = sum((p1[p] or 0) - (p0.get(p) or 0) for p in p1 if p1[p] is not None) / TICK
    rps = [float(re.search(r"Requests/sec:\s+([0-9.]+)", t).group(1)) for t in texts]
    requests = sum(int(re.search(r"(\d+) requests in", t).group(1)) for t in texts)
    if len(texts) == 1:
        (out / f"{name}.{rnd}.txt").write_text(texts[0])
    else:
        parts = out / "parts"
        parts.mkdir(exist_ok=True)
        for i, t in enumerate(texts):
            (parts / f"{name}.{rnd}.{i}.txt").write_text(t)
        worst = {}
        for pct in ("50%", "99%"):
            vals = [re.search(rf"^\s+{pct}\s+(\S+)", t, re.M).group(1) for t in texts]
            worst[pct] = max(vals, key=millis)
        bad = "".join(t for t in texts if "Non-2xx or 3xx responses" in t)
        (out / f"{name}.{rnd}.txt").write_text(
            f"{len(texts)} instances, wrk each at once; requests/s summed, latency the worst\n"
            f"  Latency Distribution\n     50%  {worst['50%']}\n     99%  {worst['99%']}\n"
            f"  {requests} requests in {duration}\n"
            f"Requests/sec: {sum(rps):.2f}\n" + bad)
    cpu = out / "cpu"
    cpu.mkdir(exist_ok=True)
    (cpu / f"{name}.{rnd}.txt").write_text(
        f"requests {requests}\nserver {server:.2f}\npostgres {postgres:.2f}\n"
        f"wrk {wrk_cpu.ru_utime + wrk_cpu.ru_stime:.2f}\n")


def millis(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1000.0}[m.group(2)]


def report(root):
    """Per store and endpoint: CPU milliseconds per request of each part, median over rounds."""
    import statistics
    root = pathlib.Path(root)
    order = root / "stores"
    stores = order.read_text().split() if order.exists() else []
    print(f"CPU per request, ms (median over rounds): {'store':10} {'endpoint':8} {'server':>7} "
          f"{'postgres':>9} {'wrk':>6} {'server ÷ whoami':>15}")
    for store in stores:
        by = {}
        for f in sorted((root / store / "cpu").glob("*.txt")):
            name, _, _ = f.name.split(".")
            v = dict(line.split() for line in f.read_text().splitlines())
            n = float(v["requests"])
            by.setdefault(name, []).append(
                tuple(1000 * float(v[k]) / n for k in ("server", "postgres", "wrk")))
        base = statistics.median(r[0] for r in by["whoami"]) if "whoami" in by else None
        for name in ("whoami", "get", "post"):
            if name in by:
                med = [statistics.median(r[i] for r in by[name]) for i in range(3)]
                # whoami's server CPU per request ÷ this endpoint's: the throughput ratio the
                # server's own CPU allows, whatever else takes of a busy machine.
                ratio = f"{base / med[0]:15.2f}" if base else ""
                print(f"{'':42} {store:10} {name:8} {med[0]:7.3f} {med[1]:9.3f} {med[2]:6.3f} {ratio}")


if __name__ == "__main__":
    if sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        main()
