#include "pixelpicture.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace stridescope {

PixelPicture::PixelPicture(QPainter& painter, const QRectF& visible, const QString& content,
                           PictureCache* cache)
    : m_cache(cache)
{
    const QTransform t = painter.worldTransform();
    m_scaleX = std::hypot(t.m11(), t.m12());
    m_scaleY = std::hypot(t.m21(), t.m22());
    const QRect device = t.mapRect(visible).toAlignedRect();
    m_area = t.isInvertible() ? t.inverted().mapRect(QRectF(device)) : visible;
    const int w = std::max(1, device.width());
    const int h = std::max(1, device.height());
    m_key = QStringLiteral("%1,%2,%3,%4,").arg(m_area.x()).arg(m_area.y()).arg(w).arg(h) + content;
    if (cache && cache->key == m_key && !cache->image.isNull()) {
        painter.drawImage(m_area, cache->image);
        m_drawn = true;
        return;
    }
    m_image = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Qt::transparent);
}

void PixelPicture::finish(QPainter& painter)
{
    painter.drawImage(m_area, m_image);
    if (m_cache) {
        m_cache->key = m_key;
        m_cache->image = m_image;
    }
}

} // namespace stridescope
