#!/usr/bin/env bash
# Installs what is missing, builds Release into build/, and runs every test suite with CTest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$STRIDESCOPE_BUILD" --output-on-failure "$@"
