#pragma once

#include "bytestrippainter.h"
#include "memorystrippainter.h"
#include "picturecache.h"
#include "reportdata.h"

#include <memory>

class QPainter;

namespace stridescope {

// What PyMemoryView_GetContiguous returned. A banner says it in words (outcome, the call, the rule
// that decided); below it ALIAS redraws the source memory (same bytes, no copy), COPY draws the new
// bytes object coloured by the element copied to each byte, ERROR explains the refusal.
class ResultPainter
{
public:
    // `explain`: the banner says how and why in sentences; without, ALIAS and COPY keep their title
    // line only (for a window that explains the outcome elsewhere). Errors are always explained.
    ResultPainter(const ReportData& data, const Theme& theme, Zoom zoom, PixelX availableWidth,
                  bool explain = true);
    static Zoom fitZoom(const ReportData& data, const Theme& theme, QSizeF available, Zoom maxZoom = 1.0,
                        bool explain = true);

    QSizeF size() const { return m_size; }
    void paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
               PictureCache* cache = nullptr) const;
    HighlightModel::Target targetAt(QPointF point) const;
    // Where byte `byte` of the copy is drawn (COPY only).
    std::optional<QRectF> copyByteRect(ByteOffset byte) const;
    // Where byte `byte` of the source memory is drawn again (ALIAS only; memory-relative offset).
    std::optional<QRectF> aliasByteRect(ByteOffset byte) const;
    qreal bannerHeight() const { return m_bannerHeight; }
    // The banner's words, exactly as painted: title line, then the explanation.
    QString bannerText() const { return m_banner.title + QLatin1Char('\n') + m_banner.body; }

private:
    enum class Mode
    {
        Alias,
        Copy,
        Error,
        NoSource
    };
    struct Banner
    {
        QString title;
        QString body;
        QColor accent;
    };
    static Banner bannerFor(const ReportData& data, const Theme& theme, bool explain);
    static qreal bannerHeightFor(const Banner& banner, const Theme& theme, PixelX width);
    static StripContent copyContent(const ReportData& data);

    const ReportData* m_data = nullptr;
    Theme m_theme;
    Mode m_mode = Mode::NoSource;
    Banner m_banner;
    qreal m_bannerHeight = 0;
    qreal m_aliasTop = 0; // ALIAS: where the source strip starts
    PixelX m_width = 0;
    std::unique_ptr<MemoryStripPainter> m_alias; // ALIAS: the source memory again
    ByteStripGeometry m_copyGeometry;            // COPY: the new bytes object
    QSizeF m_size;
};

} // namespace stridescope
