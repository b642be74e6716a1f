#!/usr/bin/env bash
# Measures `stridescope inspect` on a 4096x4096 uint8 transposed numpy array: wall time and peak
# memory of the whole command, next to the time of CPython's own copy (PyMemoryView_GetContiguous
# with PyBUF_READ, 'C') measured inside the same run. Figures go to README.
set -euo pipefail
build="${STRIDESCOPE_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}"
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT
runs=${RUNS:-5}
echo "stridescope inspect, 4096x4096 uint8 transpose, PyBUF_READ 'C' ($runs runs)"
for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out.time" "$build/stridescope" inspect --json \
        --expr "np.arange(4096 * 4096, dtype=np.uint8).reshape(4096, 4096).T" >"$out"
    read -r wall rss <"$out.time"
    /usr/bin/python3 - "$out" "$wall" "$rss" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
r = report["result"]
print(f"  whole command {float(sys.argv[2]):.2f} s, peak RSS {int(sys.argv[3]) / 1024:.0f} MiB; "
      f"CPython's copy {r['seconds'] * 1000:.0f} ms; outcome {r['outcome']}, "
      f"{r['bytes_verified']} bytes verified, agrees {report['agrees']}")
PY
done
/usr/bin/time -f "%e %M" -o "$out.time" "$build/stridescope" inspect --expr "b''" >/dev/null
read -r wall rss <"$out.time"
echo "  baseline (start-up, numpy import, a 0-byte buffer): $wall s, peak RSS $((rss / 1024)) MiB"
