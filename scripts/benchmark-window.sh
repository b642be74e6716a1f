#!/usr/bin/env bash
# Whole-process figures of the window, from the times it prints with --screenshot (offscreen):
#   launch to first paint   `stridescope --screenshot OUT.png --preset c_2d` ("first paint after N ms",
#                            counted from stridescope's main(), across its exec of stridescope-gui)
#   a large report          a strided 16384x16384 uint8 transpose (PyBUF_READ, 'C': CPython copies
#                            256 MiB): the window's "drawn after N ms" against the whole
#                            `stridescope inspect --json` of the same scenario, run in turn
# The edit-to-repaint figure of a small scenario is in-process: build/bench/bench_window.
# Environment: RUNS (default 3 for the large report), PAINT_RUNS (default 10), SIZE (default 16384),
# STRIDESCOPE_BUILD (default build/). Figures go to README.
set -euo pipefail
build="${STRIDESCOPE_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}"
/usr/bin/python3 - "$build/stridescope" "${RUNS:-3}" "${PAINT_RUNS:-10}" "${SIZE:-16384}" <<'PY'
import json, os, platform, re, statistics, subprocess, sys, tempfile, time

binary, runs, paint_runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
work = tempfile.mkdtemp(prefix="stridescope-bench-")

def window(args):
    """Runs the window to a screenshot; returns (wall seconds, {stamp: ms})."""
    start = time.perf_counter()
    done = subprocess.run([binary, "--screenshot", os.path.join(work, "shot.png"), *args],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the window failed ({done.returncode}):\n{done.stderr}")
    stamps = {}
    for line in done.stderr.splitlines():
        if m := re.match(r"stridescope: first paint after (\d+) ms", line):
            stamps["paint"] = int(m[1])
        if m := re.match(r"stridescope: first report after (\d+) ms, drawn after (\d+) ms", line):
            stamps["report"], stamps["drawn"] = int(m[1]), int(m[2])
    return wall, stamps

def spread(values, unit="ms"):
    return f"{statistics.median(values):.0f} {unit} ({min(values):.0f}-{max(values):.0f})"

load = os.getloadavg()
print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
      f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start")

paints = [window(["--preset", "c_2d"])[1]["paint"] for _ in range(paint_runs)]
print(f"\nlaunch to first paint (--preset c_2d, {paint_runs} runs): {spread(paints)}")

scenario = os.path.join(work, "transpose.json")
with open(scenario, "w") as f:
    json.dump({"stridescope_scenario": 1,
               "source": {"kind": "strided", "format": "B", "shape": [n, n], "strides": [1, n]},
               "request": {"buffertype": "read", "order": "C"}}, f)
inspects, drawn = [], []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run([binary, "inspect", "--json", scenario], stdout=subprocess.PIPE)
    inspects.append((time.perf_counter() - start) * 1000)
    if done.returncode != 0 or json.loads(done.stdout)["result"]["outcome"] != "copy":
        sys.exit("inspect did not report the copy")
    drawn.append(window([scenario])[1]["drawn"])
print(f"\na strided {n}x{n} uint8 transpose, PyBUF_READ 'C' ({runs} runs each, in turn)")
print(f"  stridescope inspect --json (whole process)   {spread(inspects)}")
print(f"  window: launch to the report drawn           {spread(drawn)}   "
      f"ratio {statistics.median(drawn) / statistics.median(inspects):.2f}")
load = os.getloadavg()
print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end")
PY
