#!/usr/bin/env bash
# Fuzzes Stridescope's input readers with libFuzzer: the item format parser, the scenario reader and
# the layout analysis (tests/fuzz). Builds them with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/ (a build of its own, STRIDESCOPE_FUZZ=ON), replays the
# committed corpus, then runs each target for SECONDS (default 60) on a copy of its corpus.
#
#   scripts/fuzz.sh [SECONDS]
#
# Exit status: 0 when nothing was found; 1 when a target crashed, leaked, hung or broke an invariant
# (the input is kept in build-fuzz/crashes/TARGET/: add it to tests/fuzz/corpus/TARGET/ with the fix,
# and a regression test); 2 on a usage error.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: scripts/fuzz.sh [SECONDS]   (seconds per target, default 60)" >&2
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${STRIDESCOPE_FUZZ_BUILD:-$root/build-fuzz}"
targets=(fuzz_itemformat fuzz_scenariofile fuzz_layout fuzz_npzarchive)

# The packages every build needs (setup.sh), then clang and its libFuzzer runtime.
source "$root/scripts/setup.sh" --no-build
stridescope_install_packages clang libclang-rt-14-dev

cmake -S "$root" -B "$build" -DSTRIDESCOPE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
options=(-timeout=10 -rss_limit_mb=4096 -print_final_stats=1)

status=0
echo "fuzz: replaying the committed corpus"
for t in "${targets[@]}"; do
    if ! "$build/fuzz/$t" -runs=0 "${options[@]}" "$root/tests/fuzz/corpus/$t" >"$build/$t-replay.log" 2>&1; then
        echo "fuzz: $t FAILED on its committed corpus (see $build/$t-replay.log)"
        status=1
    fi
done

for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    crashes="$build/crashes/$t"
    rm -rf "$corpus"
    mkdir -p "$corpus" "$crashes"
    cp "$root/tests/fuzz/corpus/$t/"* "$corpus/"
    echo "fuzz: $t for ${seconds} s"
    if "$build/fuzz/$t" -max_total_time="$seconds" "${options[@]}" -artifact_prefix="$crashes/" "$corpus" \
        >"$build/$t.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$t.log" | grep -o '[0-9]*$' || true)
        echo "fuzz: $t: ${runs:-?} executions, nothing found (corpus grew to $(ls "$corpus" | wc -l) inputs)"
    else
        echo "fuzz: $t FOUND A PROBLEM; input in $crashes/, log in $build/$t.log:"
        grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$build/$t.log" | head -5 || true
        status=1
    fi
done
exit $status
