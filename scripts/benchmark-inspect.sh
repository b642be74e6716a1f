#!/usr/bin/env bash
# Whole-process figures of `stridescope inspect --json` against the smallest Python program that
# does the same work: /usr/bin/python3 importing numpy, building the same array and calling
# PyMemoryView_GetContiguous(obj, PyBUF_READ, 'C') through _testbuffer.get_contiguous.
#
#   start-up   a strided scenario (no numpy) against `python3 -c pass`
#   copy       np.arange(N*N, dtype=np.uint8).reshape(N, N).T   (a transpose: CPython copies)
#   alias      np.arange(N*N, dtype=np.uint8).reshape(N, N)     (C-contiguous: CPython aliases)
#
# The two commands run in turn (A B A B ...), so a busy moment slows both; the figures are medians
# with the spread. Memory comes from one more run of each, the peak of the summed resident sets of
# the process and its children (stridescope's interpreter worker), sampled every 2 ms from /proc.
# Environment: RUNS (default 5), STARTUP_RUNS (default 30), SIZES (default "1024 4096 8192 16384"),
# STRIDESCOPE_BUILD (default build/). Figures go to README.
set -euo pipefail
build="${STRIDESCOPE_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}"
/usr/bin/python3 - "$build/stridescope" "${RUNS:-5}" "${STARTUP_RUNS:-30}" "${SIZES:-1024 4096 8192 16384}" <<'PY'
import json, os, platform, statistics, subprocess, sys, time

binary, runs, startup_runs, sizes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(n) for n in sys.argv[4].split()]

REFERENCE = """
import sys, numpy as np, _testbuffer
a = eval(sys.argv[1])
_testbuffer.get_contiguous(a, _testbuffer.PyBUF_READ, 'C')
"""

def tree_rss(pid):
    """Resident bytes of pid and every descendant, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return total

def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return wall, done.stdout

def peak(command):
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    top = 0
    while proc.poll() is None:
        top = max(top, tree_rss(proc.pid))
        time.sleep(0.002)
    return top

def alternate(a, b, n):
    ta, tb, out = [], [], None
    for _ in range(n):
        ta.append(timed(a)[0])
        wall, out = timed(b)
        tb.append(wall)
    return ta, tb, out

def ms(values):
    return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"

def fine_ms(values):
    return f"{statistics.median(values) * 1000:.1f} ms ({min(values) * 1000:.1f}-{max(values) * 1000:.1f})"

load = os.getloadavg()
print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
      f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start")

python = ["/usr/bin/python3", "-c", "pass"]
strided = [binary, "inspect", "--json", "--preset", "every_other_column"]
tp, ts, _ = alternate(python, strided, startup_runs)
print(f"\nstart-up ({startup_runs} runs each, medians and spread)")
print(f"  {'python3 -c pass':56} {fine_ms(tp)}")
print(f"  {'stridescope inspect --json --preset every_other_column':56} {fine_ms(ts)}   "
      f"ratio {statistics.median(ts) / statistics.median(tp):.2f}")

print(f"\nuint8 NxN arrays, PyBUF_READ 'C' ({runs} runs each, medians and spread; memory: one more run)")
print(f"  {'N':>5} {'case':5} {'python3 script':>22} {'stridescope inspect':>22} {'ratio':>5}"
      f" {'peak python3':>12} {'peak stridescope':>16} {'= x buffer':>10}")
for n in sizes:
    for case, suffix in (("copy", ".T"), ("alias", "")):
        expr = f"np.arange({n} * {n}, dtype=np.uint8).reshape({n}, {n}){suffix}"
        reference = ["/usr/bin/python3", "-c", REFERENCE, expr]
        ours = [binary, "inspect", "--json", "--expr", expr]
        tr, to, out = alternate(reference, ours, runs)
        report = json.loads(out)
        result = report["result"]
        expected = "copy" if case == "copy" else "alias"
        if result["outcome"].lower() != expected or not report["agrees"]:
            sys.exit(f"unexpected report for {expr}: outcome {result['outcome']}, agrees {report['agrees']}")
        if case == "copy" and result["bytes_verified"] != n * n:
            sys.exit(f"only {result['bytes_verified']} of {n * n} copied bytes were verified")
        pr, po = peak(reference), peak(ours)
        print(f"  {n:>5} {case:5} {ms(tr):>22} {ms(to):>22} {statistics.median(to) / statistics.median(tr):5.2f}"
              f" {pr / 2**20:>8.0f} MiB {po / 2**20:>12.0f} MiB {po / (n * n):>10.2f}")
load = os.getloadavg()
print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end")
PY
