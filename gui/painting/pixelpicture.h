#pragma once

#include "picturecache.h"

#include <QImage>
#include <QRectF>
#include <QString>

class QPainter;

namespace stridescope {

// A picture computed pixel by pixel for the visible part of a view (aggregated strips and grids). It
// covers whole device pixels, so each of its pixels is one on the screen: drawn without resampling,
// and a pixel shows what lies under it, not what lies half a pixel away. When the cache holds the
// same picture (a hover repaint) it is drawn from there at once and nothing is computed.
class PixelPicture
{
public:
    // `content` names what the pixels show besides their place (zoom, row width, palette).
    PixelPicture(QPainter& painter, const QRectF& visible, const QString& content, PictureCache* cache);

    bool isDrawn() const { return m_drawn; } // from the cache: nothing left to do
    QImage& image() { return m_image; }      // transparent, width() x height() device pixels
    int width() const { return m_image.width(); }
    int height() const { return m_image.height(); }
    // The picture's rectangle in the painter's coordinates, and device pixels per unit.
    const QRectF& area() const { return m_area; }
    qreal scaleX() const { return m_scaleX; }
    qreal scaleY() const { return m_scaleY; }
    // Draws the computed picture and keeps it in the cache.
    void finish(QPainter& painter);

private:
    PictureCache* m_cache = nullptr;
    QString m_key;
    QImage m_image;
    QRectF m_area;
    qreal m_scaleX = 1;
    qreal m_scaleY = 1;
    bool m_drawn = false;
};

} // namespace stridescope
