#!/usr/bin/env bash
# Every figure README gives, in one run: the in-process benchmarks (Google Benchmark, bench/) and
# the whole-process ones (benchmark-inspect.sh, benchmark-window.sh). Builds first (Release).
# Each part prints the date, the machine and its load average, so the figures say how noisy the
# machine was. Takes about ten minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${STRIDESCOPE_BUILD:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --parallel "$(nproc)" >/dev/null
if [ ! -x "$build/bench/bench_copyverify" ]; then
    echo "bench/ is not built: apt-get install libbenchmark-dev, then run this again" >&2
    exit 1
fi
echo "== $(date '+%Y-%m-%d %H:%M'), $(uname -n), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
export QT_QPA_PLATFORM=offscreen
for bench in bench_copyverify bench_probe bench_drawing bench_window; do
    echo
    echo "== $bench"
    "$build/bench/$bench" --benchmark_counters_tabular=true 2>/dev/null
done
echo
echo "== scripts/benchmark-inspect.sh"
STRIDESCOPE_BUILD="$build" "$root/scripts/benchmark-inspect.sh"
echo
echo "== scripts/benchmark-window.sh"
STRIDESCOPE_BUILD="$build" "$root/scripts/benchmark-window.sh"
