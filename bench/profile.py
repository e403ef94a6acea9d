"""Summarizes a Java Flight Recording read as JSON (`jfr print --json`), for bench/profile.sh.

  python3 bench/profile.py samples < execution-samples.json   # where the CPU samples fall
  python3 bench/profile.py totals < compilations-and-gcs.json  # the JIT's and the GC's totals
"""
import json
import re
import sys
from collections import Counter

# Kinds of code, by the class of a frame: the first prefix that matches names it.
KINDS = [
    ("ours (dev.customer360)", ("dev.customer360.",)),
    ("JSON and XML parsers (Jackson, Woodstox)",
     ("com.fasterxml.", "com.ctc.wstx.", "org.codehaus.stax2.")),
    ("Beam SQL (Calcite, its generated code)",
     ("org.apache.beam.sdk.extensions.sql.", "org.apache.beam.vendor.calcite.",
      "org.codehaus.janino.", "org.codehaus.commons.")),
    ("Beam coders and values",
     ("org.apache.beam.sdk.coders.", "org.apache.beam.sdk.util.CoderUtils",
      "org.apache.beam.sdk.util.VarInt", "org.apache.beam.sdk.values.",
      "org.apache.beam.sdk.schemas.", "org.apache.beam.runners.flink.translation.types.")),
    ("Beam runner and SDK, other", ("org.apache.beam.",)),
    ("Flink runtime (sorts, channels, operators)", ("org.apache.flink.",)),
    ("JDK", ("java.", "jdk.", "sun.", "javax.")),
]


def kind(cls):
    for name, prefixes in KINDS:
        if cls.startswith(prefixes):
            return name
    return "generated code (no package)" if "." not in cls else "other libraries"


def seconds(value):
    """jfr's JSON durations: ISO-8601 text (PT1.5S, PT2M3.1S) or nanoseconds."""
    if isinstance(value, (int, float)):
        return value / 1e9
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", value or "")
    if not m:
        return 0.0
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    return [(f["method"]["type"]["name"].replace("/", "."), f["method"]["name"])
            for f in trace.get("frames", [])]


def task_of(thread):
    name = re.sub(r" \(\d+/\d+\)(#\d+)?$", "", thread or "?")
    return name if len(name) <= 150 else name[:147] + "..."


def table(title, counts, total, limit):
    print(f"\n{title}")
    for key, n in counts.most_common(limit):
        print(f"  {100.0 * n / total:5.1f}%  {key}")


def samples(events):
    events = [e for e in events if e["type"] == "jdk.ExecutionSample"]
    total = len(events)
    if not total:
        print("no execution samples")
        return
    by_task, by_kind, by_method, inclusive = Counter(), Counter(), Counter(), Counter()
    for e in events:
        stack = frames(e)
        by_task[task_of((e["values"].get("sampledThread") or {}).get("javaName"))] += 1
        # A JDK frame works for the code that called it: the first frame outside the JDK is charged.
        outside = next((f for f in stack if kind(f[0]) != "JDK"), stack[0] if stack else ("?", "?"))
        by_kind[kind(outside[0])] += 1
        if stack:
            by_method[f"{stack[0][0]}.{stack[0][1]}"] += 1
        for k in {kind(c) for c, _ in stack}:
            inclusive[k] += 1
        if any(m in ("encode", "decode") and c.endswith("Coder") for c, m in stack):
            inclusive["inside a coder's encode or decode"] += 1
    print(f"{total} CPU samples of Java code (the JIT's compiler threads and the GC: below)")
    table("By Flink task (thread):", by_task, total, 12)
    table("By kind of code (a JDK frame charged to the first frame under it outside the JDK):",
          by_kind, total, 12)
    table("On the stack at all (inclusive: a sample counts for every kind it passes through):",
          inclusive, total, 12)
    table("Hottest methods (top frame):", by_method, total, 15)


def totals(events):
    compiles = [e for e in events if e["type"] == "jdk.Compilation"]
    compile_s = sum(seconds(e["values"].get("duration")) for e in compiles)
    gcs = [e for e in events if e["type"] == "jdk.GarbageCollection"]
    pauses = sum(seconds(e["values"].get("sumOfPauses")) for e in gcs)
    print(f"\nJIT: {len(compiles)} compilations longer than the recording's threshold (100 ms),"
          f" {compile_s:.1f} s of compiler time")
    print(f"GC: {len(gcs)} collections, {pauses:.1f} s of pauses")


if __name__ == "__main__":
    recording = json.load(sys.stdin)["recording"]["events"]
    {"samples": samples, "totals": totals}[sys.argv[1]](recording)
