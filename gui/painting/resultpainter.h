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
    // `bytesPerRow`: of the strip (ALIAS or COPY), 0 for as many as fit the width; a window and a
    // picture give it the memory strip's value.
    ResultPainter(const ReportData& data, const Theme& theme, Zoom zoom, PixelX availableWidth,
                  bool explain = true, ByteCount bytesPerRow = 0);
    static Zoom fitZoom(const ReportData& data, const Theme& theme, QSizeF available, Zoom maxZoom = 1.0,
                        bool explain = true, ByteCount bytesPerRow = 0);
    // The width the strip's cells have at `availableWidth` (0 when there is no plain strip) and the
    // bytes the strip holds, for choosing one bytes-per-row with the memory strip.
    static PixelX cellsWidth(const ReportData& data, const Theme& theme, PixelX availableWidth);
    static ByteCount stripLength(const ReportData& data);
    // One bytes-per-row for of the memory strip at (memoryZoom, memoryWidth) and this result at
    // (resultZoom, resultWidth): what both fit (ByteStripGeometry::sharedBytesPerRow).
    static ByteCount sharedBytesPerRow(const ReportData& data, const Theme& theme, Zoom memoryZoom,
                                       PixelX memoryWidth, Zoom resultZoom, PixelX resultWidth);

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
    // Bytes per row of the strip (0 when there is none, or it is a PIL-style block).
    ByteCount bytesPerRow() const;
    // The record marks (field boundaries, padding) drawn in `visible`, for tests.
    ByteStripPainter::ItemMarks itemMarks(const QRectF& visible) const;
    // The box the outcome and its explanation are drawn in; their text stays inside it.
    QRectF bannerBox() const;
    // The new bytes object of a COPY as a strip shows it (owners, values, buf at 0).
    static StripContent copyContent(const ReportData& data);

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
    static qreal bannerTextWidth(PixelX width);
    // The width the banner is laid out at: what is available, but no narrower than its longest
    // word (a word wider than the box would leave it; the view scrolls instead).
    static PixelX bannerWidthFor(const Banner& banner, const Theme& theme, PixelX available);
    static qreal bannerHeightFor(const Banner& banner, const Theme& theme, PixelX width);

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
