#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs the Debian packages Stridescope needs (only those missing),
# then configures and builds a Release build in build/. Sourced, not run.
set -euo pipefail

STRIDESCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STRIDESCOPE_BUILD="${STRIDESCOPE_BUILD:-$STRIDESCOPE_ROOT/build}"

# Installs the Debian packages given that are not installed yet (apt-get update once, only then).
stridescope_install_packages() {
    local missing=() p sudo=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    echo "stridescope: installing missing packages: ${missing[*]}"
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

stridescope_install_packages g++ cmake make qt6-base-dev qt6-svg-dev pybind11-dev python3-dev python3-numpy \
    texlive-latex-base texlive-pictures preview-latex-style poppler-utils \
    libpython3.11-testsuite xvfb xauth libbenchmark-dev python3-pytest

# `source setup.sh --no-build`: the packages only (scripts that build elsewhere, e.g. sanitize.sh).
[[ "${1:-}" == "--no-build" ]] && return 0

# CMake picks Debian's /usr/bin/python3 (the one with numpy) by itself; see CMakeLists.txt.
cmake -S "$STRIDESCOPE_ROOT" -B "$STRIDESCOPE_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$STRIDESCOPE_BUILD" --parallel "$(nproc)"
