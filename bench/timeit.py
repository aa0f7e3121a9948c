#!/usr/bin/python3
"""Times whole commands: median wall time of several runs, and peak RSS.

Usage: timeit.py RUNS -- COMMAND... [--versus OTHER_COMMAND...]
prints "median_seconds peak_rss_kib exit_code" for COMMAND, then the same for
OTHER_COMMAND when given. With --versus the two commands alternate run by run,
so both see the same machine conditions and their ratio is fair even when the
machine's speed drifts during the measurement."""
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, child.returncode


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[sys.argv.index("--") + 1:]
    commands = [rest]
    if "--versus" in rest:
        cut = rest.index("--versus")
        commands = [rest[:cut], rest[cut + 1:]]
    results = [{"times": [], "peak": 0, "code": 0} for _ in commands]
    for _ in range(runs):
        for cmd, result in zip(commands, results):
            elapsed, peak, code = run_once(cmd)
            result["times"].append(elapsed)
            result["peak"] = max(result["peak"], peak)
            result["code"] = code
    for result in results:
        print(f"{statistics.median(result['times']):.6f} {result['peak']} {result['code']}")


if __name__ == "__main__":
    main()
