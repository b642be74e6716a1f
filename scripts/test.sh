#!/usr/bin/env bash
# Installs what is missing, builds Release into build/, checks the format of the C++ sources
# (scripts/format.sh --check), and runs every test suite with CTest; then
# (what CI checks too) every suite again under AddressSanitizer and UndefinedBehaviorSanitizer
# (scripts/sanitize.sh, build-sanitize/) and a short libFuzzer run of each fuzz target
# (scripts/fuzz.sh, build-fuzz/). STRIDESCOPE_TEST_QUICK=1 runs the Release suites only.
# Arguments go to the Release ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# The sources as .clang-format says, first: a check that takes seconds (scripts/format.sh fixes them).
"$STRIDESCOPE_ROOT/scripts/format.sh" --check
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$STRIDESCOPE_BUILD" --output-on-failure "$@"
if [[ "${STRIDESCOPE_TEST_QUICK:-}" == 1 ]]; then
    exit 0
fi
echo "stridescope: every suite again under AddressSanitizer and UndefinedBehaviorSanitizer"
"$STRIDESCOPE_ROOT/scripts/sanitize.sh"
echo "stridescope: a short fuzz run (${STRIDESCOPE_FUZZ_SECONDS:-30} s per target)"
"$STRIDESCOPE_ROOT/scripts/fuzz.sh" "${STRIDESCOPE_FUZZ_SECONDS:-30}"
