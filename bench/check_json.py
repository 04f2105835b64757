#!/usr/bin/env python3
"""Smoke check for a benchmark program's JSON output; asserts no timing.

    check_json.py PROGRAM [ARGS...]
    check_json.py RUNSC do PROGRAM [ARGS...]     # the same, in the sandbox
    check_json.py --suite=process PROGRAM ...    # process_bench's names

Runs PROGRAM ARGS (which should include --benchmark_format=json) and passes
(exit 0) if it exits 0 and prints Google Benchmark-shaped JSON: a "context"
object and a "benchmarks" list holding every benchmark bench_ops.h operations
are timed by (static_bench and syscall_bench define the same ones; Google
Benchmark's "/min_time:.../real_time" name suffixes are ignored), each having
run at least one iteration without error and reporting a finite positive
real_time. With --suite=process the names expected are process_bench's.
Any failure is printed and exits 1.
"""

import json
import math
import re
import subprocess
import sys

EXPECTED = [
    "BM_Getpid",
    "BM_ClockGettime",
    "BM_MmapMunmap/4096",
    "BM_MmapTouchMunmap/65536",
    "BM_MmapTouchMunmap/1048576",
    "BM_ReadDevZero",
    "BM_WriteDevNull",
    "BM_OpenClose",
    "BM_Stat",
    "BM_SeqReadFile/1048576",
    "BM_SeqWriteFile/1048576",
    "BM_Getdents64/10000",
]

# process_bench.cc's benchmarks.
PROCESS = [
    "BM_ForkWait",
    "BM_ForkExecWait",
    "BM_ForkExecWaitBinTrue",
    "BM_VforkExecWait",
    "BM_ThreadCreateJoin",
    "BM_PipeRoundTrip",
    "BM_UnixSocketRoundTrip",
    "BM_EventfdRoundTrip",
    "BM_FutexRoundTrip",
    "BM_SignalSelf",
    "BM_SignalRoundTrip",
]
SUITES = {"syscall": EXPECTED, "process": PROCESS}


def short_name(name):
    """The name without the settings Google Benchmark appends to it."""
    return re.sub(r"/(min_time:[^/]*|real_time)", "", str(name))


def fail(message):
    print(f"check_json: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    argv = sys.argv[1:]
    expected = EXPECTED
    if argv and argv[0].startswith("--suite="):
        suite = argv.pop(0).split("=", 1)[1]
        if suite not in SUITES:
            print(f"check_json: unknown suite {suite!r} (known: {sorted(SUITES)})", file=sys.stderr)
            sys.exit(2)
        expected = SUITES[suite]
    if not argv:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        fail(f"{argv[0]} exited with status {proc.returncode}")
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        fail(f"output is not JSON ({e}):\n{proc.stdout}")
    if not isinstance(doc.get("context"), dict):
        fail('no "context" object')
    benchmarks = doc.get("benchmarks")
    if not isinstance(benchmarks, list):
        fail('no "benchmarks" list')
    by_name = {short_name(b.get("name")): b for b in benchmarks}
    for name in expected:
        b = by_name.get(name)
        if b is None:
            fail(f"{name} missing (got {sorted(by_name, key=str)})")
        if b.get("error_occurred"):
            fail(f"{name}: {b.get('error_message')}")
        if not isinstance(b.get("iterations"), int) or b["iterations"] < 1:
            fail(f"{name}: iterations = {b.get('iterations')!r}")
        t = b.get("real_time")
        if not isinstance(t, (int, float)) or not math.isfinite(t) or t <= 0:
            fail(f"{name}: real_time = {t!r}")
        if b.get("time_unit") != "ns":
            fail(f"{name}: time_unit = {b.get('time_unit')!r}")
    print(f"check_json: ok, {len(benchmarks)} benchmarks")


if __name__ == "__main__":
    main()
