#pragma once

#include <QSize>
#include <QString>

#include <optional>

namespace stridescope {

// How large a picture Stridescope draws (render, gallery, Export image, --screenshot): at most
// maximumSide device pixels on a side and maximumPixels in all (256 MiB at 4 bytes a pixel).
// Past that a picture is drawn smaller, never cut, and the views aggregate what they cannot show.
class PictureLimits
{
public:
    static constexpr int maximumSide = 16384;
    static constexpr qint64 maximumPixels = qint64(1) << 26;
    static constexpr int minimumSide = 16;

    // Whether `size` logical pixels at `scale` device pixels each fit the limits.
    static bool fits(QSize size, double scale);
    // The largest size of the same shape as `size` that fits at `scale` (`size` itself if it fits).
    static QSize capped(QSize size, double scale);
    // "WxH" for a picture drawn at `scale`: nullopt with `why` (one line naming the limits) when
    // the text is no size or the picture would not fit.
    static std::optional<QSize> parseSize(const QString& text, double scale, QString* why);
    // The limits in words, for messages and notes.
    static QString describe();
};

} // namespace stridescope
