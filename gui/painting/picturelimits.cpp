#include "picturelimits.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace stridescope {

bool PictureLimits::fits(QSize size, double scale)
{
    if (size.isEmpty() || !std::isfinite(scale) || scale <= 0)
        return false;
    const double w = std::ceil(size.width() * scale), h = std::ceil(size.height() * scale);
    return w <= maximumSide && h <= maximumSide && w * h <= double(maximumPixels);
}

QSize PictureLimits::capped(QSize size, double scale)
{
    if (fits(size, scale) || size.isEmpty() || !std::isfinite(scale) || scale <= 0)
        return size;
    const double w = size.width() * scale, h = size.height() * scale;
    const double shrink =
        std::min({1.0, maximumSide / w, maximumSide / h, std::sqrt(maximumPixels / (w * h))});
    QSize out(std::max(minimumSide, int(std::floor(size.width() * shrink))),
              std::max(minimumSide, int(std::floor(size.height() * shrink))));
    while (!fits(out, scale) && out.width() > minimumSide && out.height() > minimumSide)
        out = QSize(std::max(minimumSide, out.width() - 1), std::max(minimumSide, out.height() - 1));
    return out;
}

std::optional<QSize> PictureLimits::parseSize(const QString& text, double scale, QString* why)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,6})[xX](\\d{1,6})$"));
    const auto m = pattern.match(text);
    const int w = m.hasMatch() ? m.captured(1).toInt() : 0, h = m.hasMatch() ? m.captured(2).toInt() : 0;
    if (w < minimumSide || h < minimumSide || !fits(QSize(w, h), scale)) {
        if (why)
            *why = QStringLiteral("takes WxH from %1x%1 up to %2, not '%3'%4")
                       .arg(minimumSide)
                       .arg(describe(), text,
                            scale != 1.0 && m.hasMatch() && w >= minimumSide && h >= minimumSide
                                ? QStringLiteral(" at --scale %1").arg(scale)
                                : QString());
        return std::nullopt;
    }
    return QSize(w, h);
}

QString PictureLimits::describe()
{
    return QStringLiteral("%1 pixels on a side and %2 megapixels in all")
        .arg(maximumSide)
        .arg(maximumPixels >> 20);
}

} // namespace stridescope
