#pragma once

#include <QImage>
#include <QString>

namespace stridescope {

// The last per-pixel aggregate picture a view drew, and what it showed (mandelbrot-example style:
// hovering repaints the highlight over the cached picture instead of recomputing millions of bytes).
struct PictureCache
{
    QString key;
    QImage image;
};

} // namespace stridescope
