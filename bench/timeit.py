#!/usr/bin/python3
"""Times whole commands: median wall time of several runs, and peak RSS.
Usage: timeit.py RUNS -- COMMAND...   prints "median_seconds peak_rss_kib exit_code"."""
import resource
import statistics
import subprocess
import sys
import time

runs = int(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
times = []
code = 0
for _ in range(runs):
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{statistics.median(times):.6f} {peak} {code}")
