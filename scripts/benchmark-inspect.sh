#!/usr/bin/env bash
# Measures `stridescope inspect` on a 4096x4096 uint8 transposed numpy array: wall time and peak
# memory of the whole command, next to the time of CPython's own copy (PyMemoryView_GetContiguous
# with PyBUF_READ, 'C') measured inside the same run. Figures go to README.
# Memory is the peak of the summed resident sets of stridescope and its interpreter worker process,
# sampled every 2 ms from /proc (a sampled peak: a spike shorter than that may be missed).
set -euo pipefail
build="${STRIDESCOPE_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}"
runs=${RUNS:-5}
echo "stridescope inspect, 4096x4096 uint8 transpose, PyBUF_READ 'C' ($runs runs)"
/usr/bin/python3 - "$build/stridescope" "$runs" <<'PY'
import json, os, subprocess, sys, time

binary, runs = sys.argv[1], int(sys.argv[2])

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

def measure(code):
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "inspect", "--json", "--expr", code], stdout=subprocess.PIPE)
    peak, chunks = 0, []
    os.set_blocking(proc.stdout.fileno(), False)
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        try:
            data = proc.stdout.read()
            if data:
                chunks.append(data)
        except BlockingIOError:
            pass
        time.sleep(0.002)
    wall = time.perf_counter() - start
    rest = proc.stdout.read()
    if rest:
        chunks.append(rest)
    return wall, peak, b"".join(chunks)

walls = []
for _ in range(runs):
    wall, peak, out = measure("np.arange(4096 * 4096, dtype=np.uint8).reshape(4096, 4096).T")
    report = json.loads(out)
    r = report["result"]
    walls.append(wall)
    print(f"  whole command {wall:.2f} s, peak RSS (both processes) {peak / 2**20:.0f} MiB; "
          f"CPython's copy {r['seconds'] * 1000:.0f} ms; outcome {r['outcome']}, "
          f"{r['bytes_verified']} bytes verified, agrees {report['agrees']}")
walls.sort()
print(f"  median {walls[len(walls) // 2]:.2f} s")
wall, peak, _ = measure("b''")
print(f"  baseline (start-up, numpy import, a 0-byte buffer): {wall:.2f} s, peak RSS {peak / 2**20:.0f} MiB")
PY
