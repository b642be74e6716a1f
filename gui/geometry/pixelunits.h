#pragma once

#include <QtGlobal>

#include <algorithm>
#include <cmath>

// Names for pixel quantities, aliases like those of core/units.h: a signature says it takes pixels,
// not bytes. Pixels are qreal because zoomed cells have fractional sizes; a pixel column of the
// screen is floor(PixelX).
namespace stridescope {

using PixelX = qreal;
using PixelY = qreal;
using Zoom = double; // 1.0 draws cells at their natural size

// Index of the cell a pixel coordinate falls in, clamped to [lo, hi]; NaN and infinities clamp too.
inline qint64 clampedFloor(double v, qint64 lo, qint64 hi)
{
    if (!(v > double(lo)))
        return lo;
    if (v >= double(hi))
        return hi;
    return std::clamp(qint64(std::floor(v)), lo, hi);
}

} // namespace stridescope
