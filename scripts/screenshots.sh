#!/usr/bin/env bash
# Regenerates the README pictures in resources/screenshots/ with the project's own code: the window
# through `stridescope --screenshot` on a virtual X server (xvfb-run), so fonts and styles are the
# real ones, and the documentation pictures through `stridescope render` (no display needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
out="$STRIDESCOPE_ROOT/resources/screenshots"
mkdir -p "$out"
shoot() { # NAME ARGS...
    local name="$1"
    shift
    env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$STRIDESCOPE_BUILD/stridescope" --screenshot "$out/$name.png" --size 1400x900 "$@"
}
shoot transpose-copy --preset transpose              # numpy's .T asked for 'C': COPY, the bytes reordered
shoot sliding-window-overlap --preset sliding_window  # strides (1, 1): elements share bytes (hatched)
shoot readonly-write-error --preset readonly_write --dark  # PyBUF_WRITE on a read-only buffer: BufferError
shoot pil-indirect --preset pil_indirect      # the pointer table and the rows its slots lead to
shoot pil-foreign --preset pil_foreign        # the same, exported by CPython's _testbuffer (ND_PIL)
shoot five-d --preset five_d                  # nested tiles: [i, j, k, :, :] across and down
shoot record-aligned --preset record_aligned  # field boundaries, padding shaded, not gaps
# pybind11 2.10's def_buffer on a transposed matrix, imported from the test build's folder: the
# Requests tab with the PyBUF_C_CONTIGUOUS row chosen, its broken rule quoted.
shoot requests-pybind11 --tab requests --select-request PyBUF_C_CONTIGUOUS \
    --path "$STRIDESCOPE_BUILD/tests/exporters" \
    --expr $'import pybind_matrix\npybind_matrix.Matrix(3, 4, transposed=True)'
# The Console: a command typed once the report is in; show() draws its object in the views.
shoot console-show --expr $'a = np.arange(24, dtype=np.int16).reshape(4, 6)\na' \
    --console $'r = a[::2, ::-1]\nprint(r.strides, r.flags.c_contiguous)\nshow(r)'
shoot slice-aliases-side-by-side --preset slice_aliases  # b = a[::2]: one memory strip, both objects' bytes
"$STRIDESCOPE_BUILD/stridescope" render --preset transpose_aliases --out "$out/transpose-aliases-render.png"
"$STRIDESCOPE_BUILD/stridescope" render --preset every_other_column --out "$out/every-other-column-render.png" --scale 2
"$STRIDESCOPE_BUILD/stridescope" render --preset permuted_3d --out "$out/permuted-3d-render.svg"
# A TikZ figure (render --out FIG.tex) compiled by pdflatex (setup.sh installs it), its page as a PNG.
tex="$(mktemp -d)"
"$STRIDESCOPE_BUILD/stridescope" render --preset sliding_window --out "$tex/sliding-window.tex"
(cd "$tex" && pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape sliding-window.tex >/dev/null)
pdftoppm -png -r 110 -singlefile "$tex/sliding-window.pdf" "$out/sliding-window-tikz"
# The copy as slides (render --steps): the third page of the transpose's copy as a PNG.
"$STRIDESCOPE_BUILD/stridescope" render --preset transpose --steps --out "$tex/transpose-steps.pdf"
pdftoppm -png -r 110 -f 3 -l 3 -singlefile "$tex/transpose-steps.pdf" "$out/transpose-steps-page3"
# The same copy as an animated SVG for web pages (SMIL; a browser plays it).
"$STRIDESCOPE_BUILD/stridescope" render --preset transpose --steps --out "$out/transpose-steps.svg"
rm -rf "$tex"
ls -l "$out"
