#pragma once

#include "gui/geometry/bytestripgeometry.h"
#include "gui/style/theme.h"
#include "picturecache.h"
#include "reportdata.h"
#include "stripcontent.h"

#include <QLineF>

#include <vector>

class QPainter;

namespace stridescope {
class CellTextCache;
class PixelPicture;
} // namespace stridescope

namespace stridescope {

// Draws the visible rows of one byte strip (Okteta style: the paint rect becomes a row range, each
// row is drawn in runs of equal colour). Bytes tinted with their element's colour, gaps neutral,
// shared bytes hatched, bytes outside the block red, the `buf` marker, offsets at row starts.
// Past a few pixels per byte it switches to a per-pixel picture: each screen pixel averages a few
// sampled bytes, so the cost follows the pixels, not the bytes.
class ByteStripPainter
{
public:
    ByteStripPainter(const ByteStripGeometry& geometry, const StripContent& content, const Theme& theme);

    // Width of the offset gutter left of the strip ("+0x0010 buf ▸").
    static PixelX gutterWidth(ByteOffset first, ByteOffset end, const Theme& theme);
    // How far the gutter's labels reach below the last row: a label is never shorter than its font,
    // so on rows lower than the text it hangs past the strip. Strips add it to their height.
    static qreal gutterOverhang(const ByteStripGeometry& geometry, const Theme& theme);
    // The height of a gutter label: a fit that leaves rows lower than this must leave room for it.
    static qreal gutterLabelHeight(const Theme& theme);
    // A byte's cell at zoom 1.
    static constexpr QSizeF cellSize() { return {24, 20}; }

    // What a record's items look like in the visible part of the strip: a line between two fields
    // (or a field and padding) of one element, and a box per padding byte. Empty when the items have
    // no parts, or the strip is aggregated (no per-element cost zoomed out). Bounded by visible bytes.
    struct ItemMarks
    {
        std::vector<QLineF> fieldBoundaries;
        std::vector<QRectF> padding;
    };
    ItemMarks itemMarks(const QRectF& visible) const;

    // A padding byte's fill: its element's colour at a third of its strength over the background, so it
    // reads as that element's byte but not as data, and never as a gap (neutral) between elements.
    static QRgb paddingFill(QRgb elementFill, const Theme& theme);
    // The font of the byte values in a cell of this size; values are written only when it is at
    // least minimumTextPixels high.
    static qreal textPixels(QSizeF cell);
    static constexpr qreal minimumTextPixels = 7;
    // The smallest zoom at which the byte values are written in the cells.
    static Zoom textZoom();

    void paint(QPainter& painter, const QRectF& visible, PictureCache* cache = nullptr) const;
    // Outlines the bytes of the highlighted elements and the hovered byte.
    void paintHighlight(QPainter& painter, const QRectF& visible, const ReportData::Highlight& highlight,
                        bool byteInThisStrip) const;

    // Whether a zoomed-out frame averages a few sampled bytes a pixel instead of every byte: no
    // structure (NestedCoverage) describes the layout and no overview is at hand (`overviewAtHand`:
    // the overview function would give one). Such a picture says so (legend, render's notes).
    bool drawsSamples(bool overviewAtHand) const;
    // Bytes a pixel reads without an overview or a structure.
    static constexpr int maxSamples = 4;

    // Whether the strip is drawn per pixel at this zoom (no text, no borders).
    bool isAggregated() const
    {
        return m_geometry.cellSize().width() < 4 || m_geometry.cellSize().height() < 4;
    }

    // How one byte is drawn: its fill and what it is (the TikZ writer draws the same bytes).
    struct ByteLook
    {
        QRgb fill = 0;
        bool shared = false;
        bool owned = false;
        bool padding = false; // a padding byte of its (single) element
        ElementIndex element = -1;
        ItemPlace place; // where the byte lies in its element's item (records only)
    };
    // With `items`, a record's byte also says where it lies in its item (and padding is shaded).
    ByteLook look(ByteOffset byte, bool items = true) const;

private:
    static ByteLook offStrip(); // a cell of the row outside the strip's range
    void paintGutter(QPainter& painter, const ByteStripGeometry::RowRange& rows) const;
    // Zoomed in: a cell per byte, in runs of equal look, with separators and values.
    void paintDetail(QPainter& painter, const QRectF& visible) const;
    using ColumnRange = ByteStripGeometry::ByteRange;
    // paintDetail's steps: the looks of a row's visible bytes, their fills, the lines between
    // elements (collected, drawn at once), the values, then field boundaries and the block's edges.
    void rowLooks(qint64 row, const ColumnRange& cols, std::vector<ByteLook>& looks) const;
    void paintRuns(QPainter& painter, qint64 row, const ColumnRange& cols,
                   const std::vector<ByteLook>& looks) const;
    void addSeparators(qint64 row, const ColumnRange& cols, const std::vector<ByteLook>& looks,
                       std::vector<QLineF>& lines) const;
    // `lastPen`: the pen set last, kept across rows so a pen is set only when it changes.
    void paintValues(QPainter& painter, qint64 row, const ColumnRange& cols,
                     const std::vector<ByteLook>& looks, CellTextCache& texts, QRgb& lastPen) const;
    void paintFieldBoundaries(QPainter& painter, const QRectF& visible) const;
    void paintBlockEdges(QPainter& painter) const;
    // Zoomed out: a per-pixel picture, from the layout's structure, its overview or samples.
    void paintAggregate(QPainter& painter, const QRectF& visible, PictureCache* cache) const;
    // The overview to read for `picture`, or nullptr when its entries are too coarse or it is not at hand.
    const StripOverview* overviewFor(const PixelPicture& picture) const;
    void paintFromOverview(PixelPicture& picture, const StripOverview& overview) const;
    void paintFromLayout(PixelPicture& picture) const;
    // The per-pixel picture of a nested layout, every byte under a pixel counted from its structure.
    void paintCoverage(PixelPicture& picture) const;
    void paintBufMarker(QPainter& painter, const QRectF& visible) const;

public:
    // The colour of a pixel over `bytes` bytes of a strip (parts of bytes at its edges count by the
    // part it covers): `owned` of them by elements inside the block (their mean lowest element
    // `meanElement`), `outside` owned outside it, `gap` in the block and owned by none; the rest is
    // nothing. The element, gap and background colours are mixed by their shares.
    struct PixelShares
    {
        double bytes = 0;
        double owned = 0;
        double outside = 0;
        double gap = 0;
        double meanElement = 0;
    };
    class PixelMixer
    {
    public:
        PixelMixer(const Theme& theme, double paletteScale);
        QRgb colour(const PixelShares& shares) const;

    private:
        const Theme& m_theme;
        double m_paletteScale;
        QRgb m_gap, m_nothing, m_outside;
    };

private:
    ByteStripGeometry m_geometry;
    StripContent m_content;
    Theme m_theme;
    double m_paletteScale = 0;
};

} // namespace stridescope
