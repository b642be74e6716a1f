#!/usr/bin/env bash
# Installs what is missing, builds Release into build/, and runs Stridescope.
# Until the window exists this inspects the default scenario (numpy's transpose); arguments are
# passed to `stridescope inspect`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec "$STRIDESCOPE_BUILD/stridescope" inspect "$@"
