#pragma once

#include "bytestrippainter.h"
#include "gui/style/theme.h"
#include "highlightmodel.h"
#include "picturecache.h"
#include "reportdata.h"

#include <vector>

class QFontMetricsF;
class QPainter;

namespace stridescope {

// The source memory block: a legend line, then the bytes as a strip wrapped into rows. PIL-style
// buffers (suboffsets on axis 0) are drawn as their pointer table, one slot per line, with an arrow
// from each slot to the row it points to.
class MemoryStripPainter
{
public:
    struct Options
    {
        bool legend = true; // the colour key above the strip
        QString bufLabel = QStringLiteral("buf");
        ByteOffset extraMarker = -1; // a second marker (the result's buf on an alias)
        QString extraLabel;
        // Bytes per row of the strip; 0: as many as fit the width. A window and a picture give the
        // memory and result strips one value, so a byte sits in the same column in both.
        ByteCount bytesPerRow = 0;
    };

    MemoryStripPainter(const ReportData& data, const Theme& theme, Zoom zoom, PixelX availableWidth,
                       const Options& options);
    static Zoom fitZoom(const ReportData& data, const Theme& theme, QSizeF available, const Options& options,
                        Zoom maxZoom = 1.0);
    // The source block's bytes as a strip shows them (owners, values, buf).
    static StripContent sourceContent(const ReportData& data);
    // The width the strip's cells have at `availableWidth` (left of it the offsets); 0 for a
    // PIL-style block, which lays out its rows on its own.
    static PixelX cellsWidth(const ReportData& data, const Theme& theme, PixelX availableWidth);
    // The colour key: "colour = position in C order", hatch = shared, grey = gap, red = outside, and
    // for records the padding.
    static qreal legendHeight(const Theme& theme);
    // Paints the legend (or only measures it, with a null painter); returns its width.
    // With `sampled`, it ends with sampledText: the strip is not an average of every byte.
    static qreal paintLegend(QPainter* painter, const QRectF& rect, const Theme& theme, bool copy = false,
                             bool withPadding = false, bool sampled = false);
    static QString sampledText();
    // What the memory view says when there is no buffer to draw.
    static QString noMemoryText(const ReportData& data);
    // The title above a PIL-style pointer table.
    static QString tableTitle();

    // A zoomed-out strip drawn from a few sampled bytes a pixel, not from every byte (no structure
    // describes the layout and its overview is not at hand: the window is still building it, or
    // `render` does not walk a strip that long). The legend says so.
    bool isSampled() const { return m_sampled; }

    QSizeF size() const { return m_size; }
    void paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
               PictureCache* cache = nullptr) const;
    HighlightModel::Target targetAt(QPointF point) const;
    // Where a byte of the block is drawn (the first place, for PIL-style blocks), for tests and tooltips.
    std::optional<QRectF> byteRect(ByteOffset byte) const;
    bool isIndirect() const { return m_indirect; }
    // The record marks (field boundaries, padding) drawn in `visible`, for tests.
    ByteStripPainter::ItemMarks itemMarks(const QRectF& visible) const;
    // Bytes per row of the plain strip (0 for PIL-style blocks).
    ByteCount bytesPerRow() const;
    // Where a `buf` marker is drawn: the rects of the bytes that carry one (one, when buf is shown).
    // "slot 0: 0x7f…, the address of row 0": the pointer as the slot's bytes hold it.
    static QString slotCaption(const ReportData& data, const ReportData::IndirectRow& row);
    std::vector<QRectF> bufMarkers() const;
    // The boxes of the captions (PIL-style slot and row captions), where they are drawn.
    std::vector<QRectF> captionBoxes() const;
    // The rects of the byte strips (slots and rows of a PIL-style picture; one for a plain strip).
    std::vector<QRectF> stripRects() const;

private:
    struct Segment
    {
        ByteStripGeometry geometry;
        StripContent content;
        QString caption;   // drawn left of the segment (indirect rows)
        QPointF arrowFrom; // slot -> row arrows; null when none
        QPointF arrowTo;
    };
    void layOut(PixelX availableWidth);
    void layOutIndirect(PixelX availableWidth);
    static QRectF captionBox(const Segment& s, const QFontMetricsF& fm);

    const ReportData* m_data = nullptr;
    Theme m_theme;
    Zoom m_zoom = 1.0;
    Options m_options;
    bool m_indirect = false;
    bool m_sampled = false;
    qreal m_top = 0; // below the legend
    std::vector<Segment> m_segments;
    QSizeF m_size;
    qreal m_cellsWidth = 0; // PIL-style: width of the slots, rows and their captions, without the title
};

} // namespace stridescope
