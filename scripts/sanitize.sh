#!/usr/bin/env bash
# The second CI build: every layer and every test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, in build-sanitize/. Any finding fails the test that hit it.
# Arguments go to ctest (e.g. -R tst_core).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" --no-build
build="$STRIDESCOPE_ROOT/build-sanitize"
cmake -S "$STRIDESCOPE_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIDESCOPE_SANITIZE=ON >/dev/null
cmake --build "$build" --parallel "$(nproc)"
export QT_QPA_PLATFORM=offscreen
# Leaks: the interpreter worker ends with _exit by design, and Python keeps its objects to the end.
# handle_segv=0: a segmentation fault stays SIGSEGV, as users see it (the tests crash user code on
# purpose and check the signal named); one in Stridescope's own code still fails its test.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:handle_segv=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
ctest --test-dir "$build" --output-on-failure "$@"
