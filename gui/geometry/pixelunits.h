#pragma once

#include <QtGlobal>

// Named pixel units: a stride (ByteOffset) is never added to a pixel. Pixels are qreal because
// zoomed cells have fractional sizes; a pixel column of the screen is floor(PixelX).
namespace stridescope {

using PixelX = qreal;
using PixelY = qreal;
using Zoom = double; // 1.0 draws cells at their natural size

} // namespace stridescope
