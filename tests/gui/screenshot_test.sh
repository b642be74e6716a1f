#!/usr/bin/env bash
# The real window on a real X server (Xvfb): `stridescope --screenshot` must write a PNG that is not
# blank. Skips (exit 77) when xvfb-run is not installed.
#   screenshot_test.sh STRIDESCOPE_BINARY OUTPUT_DIR
set -euo pipefail
binary="$1"
out_dir="$2"
if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "SKIP: xvfb-run is not installed (Debian package xvfb)"
    exit 77
fi
mkdir -p "$out_dir"
png="$out_dir/window_screenshot_xvfb.png"
rm -f "$png"
# The X server is what is tested here: never the offscreen platform.
env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1400x900x24" \
    "$binary" --screenshot "$png" --preset transpose
[[ -s "$png" ]] || { echo "FAIL: no screenshot at $png"; exit 1; }
# Count distinct colours with the standard library only (zlib + PNG row filters).
/usr/bin/python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG layout {header}"
bpp = 3 if colour == 2 else 4
raw, stride = zlib.decompress(idat), width * bpp
prev, colours, i = bytearray(stride), set(), 0
for _ in range(height):
    kind, row = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = row[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if kind == 1: row[x] = (row[x] + a) & 255
        elif kind == 2: row[x] = (row[x] + b) & 255
        elif kind == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    colours.update(bytes(row[x:x + 3]) for x in range(0, stride, bpp))
    prev = row
print(f"{sys.argv[1]}: {width}x{height}, {len(colours)} distinct colours")
if width < 800 or height < 500:
    sys.exit(f"FAIL: the window is only {width}x{height}")
if len(colours) <= 20:
    sys.exit("FAIL: the screenshot is nearly blank")
PY
