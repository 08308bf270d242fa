#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples (jdk.ExecutionSample) of a server under load by layer:
each sample goes to the library of the frame closest to the top of its stack that belongs to a
known library (Jetty, Javalin and the Kotlin runtime it runs on, the SQLite driver, pgjdbc,
HikariCP, Jackson, Tink, SLF4J) or to one of our modules; a sample whose frames are all the JDK's
is "JDK". Only request threads (Jetty's pool) and the audit writer count. Native code (the SQLite
engine itself runs in C) is sampled by JFR only as the Java frame that called it, so a layer
includes the native work under it.

Usage: benchmarks/jfr-layers.py RECORDING.jfr [RECORDING.jfr ...]   (prints one table per file)"""
import collections
import json
import subprocess
import sys

LAYERS = [
    ("org.eclipse.jetty.", "Jetty"),
    ("io.javalin.", "Javalin"),
    ("kotlin.", "Javalin"),
    ("org.sqlite.", "SQLite (driver and engine)"),
    ("org.postgresql.", "pgjdbc"),
    ("com.zaxxer.hikari.", "HikariCP"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("com.google.crypto.tink.", "Tink"),
    ("org.slf4j.", "logging"),
    ("com.lanonasis.secrets.audit.", "ours: audit log"),
    ("com.lanonasis.secrets.jdbc.", "ours: JDBC store"),
    ("com.lanonasis.secrets.server.", "ours: server"),
    ("com.lanonasis.secrets.", "ours: api (encryption, names)"),
]
THREADS = ("JettyServerThreadPool", "lanonasis-audit-writer")


def layer(frames):
    for frame in frames:
        name = frame["method"]["type"]["name"].replace("/", ".")
        for prefix, label in LAYERS:
            if name.startswith(prefix):
                return label
    return "JDK"


def summarise(path):
    out = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path],
        capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or ""
        stack = values.get("stackTrace")
        if stack and thread.startswith(THREADS):
            counts[layer(stack["frames"])] += 1
    total = sum(counts.values())
    print(f"{path}: {total} samples")
    for label, n in counts.most_common():
        print(f"  {100 * n / total:5.1f} %  {label}")


for p in sys.argv[1:]:
    summarise(p)
