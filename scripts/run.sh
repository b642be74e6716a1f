#!/usr/bin/env bash
# Installs what is missing, builds Release into build/, and opens the Stridescope window.
# Arguments go to stridescope: a scenario file, --preset NAME, or `inspect ...` for the command line.
# Without a display (no $DISPLAY, no $WAYLAND_DISPLAY) it saves a screenshot of the window instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && "${1:-}" != "inspect" ]]; then
    png="$STRIDESCOPE_BUILD/stridescope-window.png"
    echo "stridescope: no display (neither \$DISPLAY nor \$WAYLAND_DISPLAY is set), so the window cannot open here."
    echo "stridescope: drawing it offscreen instead${1:+ (for: $*)}..."
    QT_QPA_PLATFORM=offscreen "$STRIDESCOPE_BUILD/stridescope" --screenshot "$png" "$@"
    echo "stridescope: screenshot of the window: $png"
    exit 0
fi
exec "$STRIDESCOPE_BUILD/stridescope" "$@"
