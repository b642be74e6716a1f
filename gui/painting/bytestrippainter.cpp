#include "bytestrippainter.h"

#include "celltextcache.h"
#include "pixelpicture.h"
#include "reporttext.h"
#include "rowbands.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace stridescope {

namespace {

// Highlight outlines drawn at most: a byte shared by a million elements outlines the first ones.
constexpr std::size_t highlightLimit = 4096;
const QString bufArrow = QStringLiteral(" \u25B8");

QFont sizedFont(QFont font, qreal pixels)
{
    font.setPixelSize(std::max(1, int(pixels)));
    return font;
}

// A byte's value as a cell writes it: two upper-case hex digits.
const QString& hexText(std::uint8_t value)
{
    static const std::array<QString, 256> texts = [] {
        std::array<QString, 256> t;
        for (int v = 0; v < 256; ++v)
            t[std::size_t(v)] = QStringLiteral("%1").arg(v, 2, 16, QLatin1Char('0')).toUpper();
        return t;
    }();
    return texts[value];
}

// What a cell writes for a byte whose value is not known.
const QString& unknownValue()
{
    static const QString text = QStringLiteral("\u00B7\u00B7");
    return text;
}

} // namespace

ByteStripPainter::ByteStripPainter(const ByteStripGeometry& geometry, const StripContent& content,
                                   const Theme& theme)
    : m_geometry(geometry), m_content(content), m_theme(theme),
      m_paletteScale(Theme::paletteScale(content.elementCount))
{
}

PixelX ByteStripPainter::gutterWidth(ByteOffset first, ByteOffset end, const Theme& theme)
{
    const QFontMetricsF mono(sizedFont(theme.monoFont(), 11));
    const QString widest = ReportText::offsetText(std::max(std::abs(first), std::abs(end)));
    return std::ceil(mono.horizontalAdvance(QStringLiteral("-") + widest) +
                     mono.horizontalAdvance(QStringLiteral("buf") + bufArrow) + 14);
}

QRgb ByteStripPainter::paddingFill(QRgb elementFill, const Theme& theme)
{
    const QRgb b = theme.background().rgb();
    return qRgb((qRed(elementFill) + 2 * qRed(b)) / 3, (qGreen(elementFill) + 2 * qGreen(b)) / 3,
                (qBlue(elementFill) + 2 * qBlue(b)) / 3);
}

ByteStripPainter::ByteLook ByteStripPainter::offStrip()
{
    ByteLook l;
    l.element = -2;
    return l;
}

ByteStripPainter::ByteLook ByteStripPainter::look(ByteOffset byte, bool items) const
{
    ByteLook l;
    const bool inside = byte >= m_content.memoryFirst && byte < m_content.memoryEnd;
    const auto owners = m_content.owners ? m_content.owners->at(byte) : ByteOwnership::Owners{};
    if (owners.count > 0) {
        l.owned = true;
        l.shared = owners.count > 1;
        l.element = owners.first;
        l.fill = inside ? m_theme.paletteRgb(owners.first, m_paletteScale) : m_theme.outsideMemory().rgb();
        if (items && m_content.format && !l.shared && m_content.elementOffset) {
            if (const auto off = m_content.elementOffset(owners.first)) {
                l.place = m_content.format->placeOf(byte - *off, m_content.itemSize);
                if (l.place.isPadding() && inside) {
                    l.padding = true;
                    l.fill = paddingFill(l.fill, m_theme);
                }
            }
        }
    } else {
        l.fill = inside ? m_theme.gap().rgb() : m_theme.background().rgb();
    }
    return l;
}

bool ByteStripPainter::drawsSamples(bool overviewAtHand) const
{
    if (!isAggregated() || (m_content.coverage && m_content.coverage->isValid()))
        return false;
    // paintAggregate reads up to maxSamples bytes a pixel without an overview (at scale 1).
    return 1.0 / m_geometry.cellSize().width() > maxSamples && !(overviewAtHand && m_content.overview);
}

void ByteStripPainter::paint(QPainter& painter, const QRectF& visible, PictureCache* cache) const
{
    const QRectF area = visible & m_geometry.rect();
    if (!area.isEmpty()) {
        if (isAggregated())
            paintAggregate(painter, area, cache);
        else
            paintDetail(painter, area);
    }
    if (m_content.gutter)
        paintGutter(painter, m_geometry.visibleRows(visible.adjusted(0, -2, 0, 2)));
    paintBufMarker(painter, visible);
}

ByteStripPainter::ItemMarks ByteStripPainter::itemMarks(const QRectF& visible) const
{
    ItemMarks marks;
    const QRectF area = visible & m_geometry.rect();
    if (!m_content.format || isAggregated() || area.isEmpty())
        return marks;
    const auto rows = m_geometry.visibleRows(area);
    const auto cols = m_geometry.visibleColumns(area);
    const QSizeF cell = m_geometry.cellSize();
    const qreal inset = std::min<qreal>(3, cell.height() / 5);
    for (qint64 row = rows.first; row < rows.end; ++row) {
        const ByteOffset start = m_geometry.rowStart(row);
        const qreal y = m_geometry.rowTop(row);
        ByteLook before = offStrip();
        for (ByteCount c = cols.first; c < cols.end; ++c) {
            const ByteOffset b = start + c;
            const ByteLook l = (b >= m_geometry.first() && b < m_geometry.end()) ? look(b) : offStrip();
            if (l.padding)
                marks.padding.emplace_back(m_geometry.columnLeft(c), y, cell.width(), cell.height());
            // Inside one element, where one part (a field, a run of padding) ends and the next begins.
            const bool sameElement = c > cols.first && l.owned && before.owned && !l.shared &&
                                     !before.shared && l.element == before.element && l.element >= 0;
            if (sameElement && !(l.place == before.place)) {
                const qreal x = m_geometry.columnLeft(c);
                marks.fieldBoundaries.emplace_back(QPointF(x, y + inset),
                                                   QPointF(x, y + cell.height() - inset));
            }
            before = l;
        }
    }
    return marks;
}

qreal ByteStripPainter::gutterLabelHeight(const Theme& theme)
{
    return QFontMetricsF(sizedFont(theme.monoFont(), 11)).height();
}

qreal ByteStripPainter::gutterOverhang(const ByteStripGeometry& geometry, const Theme& theme)
{
    return std::max<qreal>(0, gutterLabelHeight(theme) - geometry.cellSize().height());
}

void ByteStripPainter::paintGutter(QPainter& painter, const ByteStripGeometry::RowRange& rows) const
{
    if (rows.isEmpty())
        return;
    const QFont font = sizedFont(m_theme.monoFont(), 11);
    const QFontMetricsF fm(font);
    const qreal rowHeight = m_geometry.cellSize().height();
    // Label every k-th row so labels never overlap; k a power of two keeps offsets round.
    qint64 k = 1;
    while (k * rowHeight < fm.height() + 2)
        k *= 2;
    painter.setFont(font);
    painter.setPen(m_theme.mutedText());
    const qreal right = m_geometry.origin().x() - 8 - fm.horizontalAdvance(QStringLiteral("buf") + bufArrow);
    for (qint64 row = rows.first - rows.first % k; row < rows.end; row += k) {
        if (row < 0)
            continue;
        const qreal centre = m_geometry.rowTop(row) + std::max(rowHeight, fm.height()) / 2;
        const QRectF box(0, centre - fm.height() / 2, right, fm.height());
        painter.drawText(box, Qt::AlignRight | Qt::AlignVCenter,
                         ReportText::offsetText(std::max(m_geometry.rowStart(row), m_geometry.first())));
    }
}

qreal ByteStripPainter::textPixels(QSizeF cell)
{
    return std::floor(std::min({cell.height() * 0.66, (cell.width() - 3) / 1.3, 24.0}));
}

Zoom ByteStripPainter::textZoom()
{
    const QSizeF cell = cellSize();
    // Solve textPixels(cell * z) >= minimumTextPixels for z, then nudge up past rounding.
    Zoom z = std::max(minimumTextPixels / 0.66 / cell.height(), (minimumTextPixels * 1.3 + 3) / cell.width());
    while (textPixels(cell * z) < minimumTextPixels)
        z *= 1.01;
    return z;
}

void ByteStripPainter::paintDetail(QPainter& painter, const QRectF& visible) const
{
    const auto rows = m_geometry.visibleRows(visible);
    const auto cols = m_geometry.visibleColumns(visible);
    const QSizeF cell = m_geometry.cellSize();
    const qreal fontPixels = textPixels(cell);
    const bool showText = fontPixels >= minimumTextPixels;
    const bool separators = cell.width() >= 8;
    const QFont font = sizedFont(m_theme.monoFont(), fontPixels);
    painter.setFont(font);
    CellTextCache texts(font, cell.width());
    painter.setBrushOrigin(0, 0);
    std::vector<ByteLook> looks(std::size_t(std::max<ByteCount>(0, cols.end - cols.first)));
    std::vector<QLineF> separatorLines;
    QRgb lastPen = 0;
    for (qint64 row = rows.first; row < rows.end; ++row) {
        rowLooks(row, cols, looks);
        paintRuns(painter, row, cols, looks);
        if (separators)
            addSeparators(row, cols, looks, separatorLines);
        if (showText)
            paintValues(painter, row, cols, looks, texts, lastPen);
    }
    if (!separatorLines.empty()) {
        painter.setPen(QPen(m_theme.background(), 1));
        painter.drawLines(separatorLines.data(), int(separatorLines.size()));
    }
    if (m_content.format && separators)
        paintFieldBoundaries(painter, visible);
    paintBlockEdges(painter);
}

void ByteStripPainter::rowLooks(qint64 row, const ColumnRange& cols, std::vector<ByteLook>& looks) const
{
    const ByteOffset start = m_geometry.rowStart(row);
    for (ByteCount c = cols.first; c < cols.end; ++c) {
        const ByteOffset b = start + c;
        looks[c - cols.first] = (b >= m_geometry.first() && b < m_geometry.end()) ? look(b) : offStrip();
    }
}

void ByteStripPainter::paintRuns(QPainter& painter, qint64 row, const ColumnRange& cols,
                                 const std::vector<ByteLook>& looks) const
{
    const QSizeF cell = m_geometry.cellSize();
    const qreal y = m_geometry.rowTop(row);
    // Runs of equal look: one fill per run.
    for (ByteCount c = cols.first; c < cols.end;) {
        const ByteLook& l = looks[c - cols.first];
        ByteCount e = c + 1;
        while (e < cols.end && looks[e - cols.first].fill == l.fill &&
               looks[e - cols.first].shared == l.shared && looks[e - cols.first].element != -2)
            ++e;
        if (l.element != -2) {
            const QRectF run(m_geometry.columnLeft(c), y, (e - c) * cell.width(), cell.height());
            painter.fillRect(run, QColor::fromRgb(l.fill));
            if (l.shared)
                m_theme.paintHatch(painter, run);
        }
        c = e;
    }
}

void ByteStripPainter::addSeparators(qint64 row, const ColumnRange& cols, const std::vector<ByteLook>& looks,
                                     std::vector<QLineF>& lines) const
{
    const qreal height = m_geometry.cellSize().height();
    const qreal y = m_geometry.rowTop(row);
    // A thin background line between elements (and between rows) shows where each item ends.
    for (ByteCount c = cols.first + 1; c < cols.end; ++c) {
        const ByteLook& a = looks[c - 1 - cols.first];
        const ByteLook& b = looks[c - cols.first];
        if (a.element == -2 || b.element == -2)
            continue;
        // Gap bytes are separated one by one, so a gap's size can be counted.
        const bool boundary = a.element != b.element || a.owned != b.owned || !a.owned;
        if (boundary) {
            const qreal x = m_geometry.columnLeft(c);
            lines.emplace_back(QPointF(x, y), QPointF(x, y + height));
        }
    }
    lines.emplace_back(QPointF(m_geometry.columnLeft(cols.first), y + height - 0.5),
                       QPointF(m_geometry.columnLeft(cols.end), y + height - 0.5));
}

void ByteStripPainter::paintValues(QPainter& painter, qint64 row, const ColumnRange& cols,
                                   const std::vector<ByteLook>& looks, CellTextCache& texts,
                                   QRgb& lastPen) const
{
    const QSizeF cell = m_geometry.cellSize();
    const ByteOffset start = m_geometry.rowStart(row);
    const qreal y = m_geometry.rowTop(row);
    for (ByteCount c = cols.first; c < cols.end; ++c) {
        const ByteLook& l = looks[c - cols.first];
        if (l.element == -2)
            continue;
        const ByteOffset b = start + c;
        const QRectF r(m_geometry.columnLeft(c), y, cell.width(), cell.height() - 1);
        const auto value = m_content.byteValue ? m_content.byteValue(b) : std::nullopt;
        const QColor fill = QColor::fromRgb(l.fill);
        const QRgb pen = l.owned && !l.padding ? m_theme.textOn(fill).rgb() : m_theme.mutedText().rgb();
        if (pen != lastPen) { // thousands of cells, a handful of pens
            painter.setPen(QColor::fromRgb(pen));
            lastPen = pen;
        }
        const QString& text = value ? hexText(*value) : unknownValue();
        if (l.shared) {
            // Keep the value readable over the hatching.
            const QSizeF size = texts.size(text);
            const QRectF box = QRectF(0, 0, size.width() + 2, size.height())
                                   .translated(r.center() - QPointF(size.width() / 2 + 1, size.height() / 2));
            painter.fillRect(box, fill);
        }
        texts.drawCentred(painter, r, text);
    }
}

void ByteStripPainter::paintFieldBoundaries(QPainter& painter, const QRectF& visible) const
{
    // Records: a line where one field (or run of padding) of an element ends and the next begins,
    // shorter than the lines between elements and in the text colour, so the two never read alike.
    const ItemMarks marks = itemMarks(visible);
    if (marks.fieldBoundaries.empty())
        return;
    QColor line = m_theme.text();
    line.setAlpha(150);
    painter.setPen(QPen(line, 1.5));
    painter.drawLines(marks.fieldBoundaries.data(), int(marks.fieldBoundaries.size()));
}

void ByteStripPainter::paintBlockEdges(QPainter& painter) const
{
    // The block's edges, when the strip shows elements beyond them.
    painter.setPen(QPen(m_theme.outsideMemory(), 2));
    for (ByteOffset edge : {m_content.memoryFirst, m_content.memoryEnd}) {
        if (edge <= m_geometry.first() || edge >= m_geometry.end())
            continue;
        const QRectF r = m_geometry.byteRect(edge);
        painter.drawLine(r.topLeft(), r.bottomLeft());
    }
}

namespace {

// Which bytes of a row a pixel column of a sampled picture averages (the same on every row).
struct SampleColumn
{
    int count = 0;  // bytes read; 0: the pixel shows nothing
    int level = -1; // >= 0: `at` holds two bytes whose summaries of this level are read
    std::array<ByteCount, ByteStripPainter::maxSamples> at{};
};

// Which bytes of a row each pixel column averages is the same on every row: work it out once.
// Up to 4 bytes, evenly spread (every byte when the pixel covers 4 or fewer); from 8 overview
// entries per pixel, two summaries of the overview that together cover about the pixel.
std::vector<SampleColumn> sampleColumns(const PixelPicture& picture, const ByteStripGeometry& geometry,
                                        const StripOverview* overview)
{
    const QRectF area = picture.area();
    const qreal sx = picture.scaleX();
    const int w = picture.width();
    const QPointF origin = geometry.origin();
    const QSizeF cell = geometry.cellSize();
    const ByteCount bpr = geometry.bytesPerRow();
    std::vector<SampleColumn> columns(static_cast<std::size_t>(w));
    for (int px = 0; px < w; ++px) {
        const double x0 = area.left() + px / sx;
        const double c0f = std::floor((x0 - origin.x()) / cell.width());
        const double c1f = std::ceil((x0 + 1 / sx - origin.x()) / cell.width());
        if (c1f <= 0) // left of the strip
            continue;
        const ByteCount c0 = ByteCount(std::clamp(c0f, 0.0, double(bpr)));
        const ByteCount c1 = std::max(c0 + 1, ByteCount(std::clamp(c1f, 0.0, double(bpr))));
        if (c0 >= bpr)
            continue;
        SampleColumn& column = columns[std::size_t(px)];
        const ByteCount n = c1 - c0;
        const ByteCount entries = overview ? n >> overview->shift() : 0;
        if (overview && entries >= 8 && overview->summaryLevels() > 0) {
            // Summaries of 2^(3 + level) entries, half a pixel to a pixel each.
            int level = 0;
            while ((ByteCount(16) << level) <= entries && level + 1 < overview->summaryLevels())
                ++level;
            column.level = level;
            column.count = 2;
            column.at[0] = c0 + n / 4;
            column.at[1] = c0 + 3 * n / 4;
            continue;
        }
        const int k = int(std::min<ByteCount>(n, ByteStripPainter::maxSamples));
        column.count = k;
        for (int s = 0; s < k; ++s)
            column.at[std::size_t(s)] = c0 + (2 * s + 1) * n / (2 * k);
    }
    return columns;
}

// Fills the picture in bands on several threads, each pixel the mean of its column's samples;
// `makeSampler` gives each band its own sampler, a function (byte, level, shared&) -> colour of the
// byte (level >= 0: of its summary).
template <class MakeSampler>
void fillSamples(PixelPicture& picture, const ByteStripGeometry& geometry, QRgb hatch,
                 const std::vector<SampleColumn>& columns, const MakeSampler& makeSampler)
{
    const QRectF area = picture.area();
    const qreal sy = picture.scaleY();
    const int w = picture.width(), h = picture.height();
    const QPointF origin = geometry.origin();
    const QSizeF cell = geometry.cellSize();
    const qint64 rowCount = geometry.rowCount();
    const ByteOffset first = geometry.first(), end = geometry.end();
    // 65536 / k, rounded: the mean of k colours by a multiply.
    std::array<std::uint32_t, ByteStripPainter::maxSamples + 1> reciprocal{};
    for (int k = 1; k <= ByteStripPainter::maxSamples; ++k)
        reciprocal[std::size_t(k)] = std::uint32_t((65536 + k / 2) / k);
    // Scan lines are taken from bits() once: QImage::scanLine() is not safe to call from threads.
    uchar* const bits = picture.image().bits();
    const qsizetype stride = picture.image().bytesPerLine();
    RowBands::run(h, qint64(w) * h, [&](int rowFirst, int rowEnd) {
        auto sample = makeSampler();
        for (int py = rowFirst; py < rowEnd; ++py) {
            const double y = area.top() + (py + 0.5) / sy;
            const double rowF = std::floor((y - origin.y()) / cell.height());
            if (rowF < 0 || rowF >= double(rowCount))
                continue;
            const ByteOffset rowStart = geometry.rowStart(qint64(rowF));
            auto* line = reinterpret_cast<QRgb*>(bits + py * stride);
            for (int px = 0; px < w; ++px) {
                const SampleColumn& column = columns[std::size_t(px)];
                std::uint32_t r = 0, g = 0, b = 0;
                int used = 0;
                bool shared = false;
                for (int s = 0; s < column.count; ++s) {
                    const ByteOffset byte = rowStart + column.at[std::size_t(s)];
                    if (byte < first || byte >= end)
                        continue;
                    const QRgb c = sample(byte, column.level, shared);
                    r += qRed(c);
                    g += qGreen(c);
                    b += qBlue(c);
                    ++used;
                }
                if (used == 0)
                    continue;
                const std::uint32_t m = reciprocal[std::size_t(used)];
                // Shared bytes: a diagonal line every four pixels, as the hatch brush draws it.
                line[px] = shared && ((px + py) & 3) == 0
                               ? hatch
                               : qRgb(int((r * m + 32768) >> 16), int((g * m + 32768) >> 16),
                                      int((b * m + 32768) >> 16));
            }
        }
    });
}

// The colours of an overview's codes: an entry's own, half of it and half gap for an entry covered
// in part, and a summary's element, gap and background colours mixed by their shares.
class OverviewPalette
{
public:
    explicit OverviewPalette(const Theme& theme)
    {
        for (int i = 0; i < Theme::paletteSize; ++i)
            m_colours[std::size_t(i)] = theme.paletteAt(i);
        const QRgb gapRgb = theme.gap().rgb(), backgroundRgb = theme.background().rgb();
        m_colours[StripOverview::gap] = gapRgb;
        m_colours[StripOverview::outside] = theme.outsideMemory().rgb();
        m_colours[StripOverview::nothing] = backgroundRgb;
        // An entry covered in part: half its colour, half gap.
        for (std::size_t i = 0; i < m_partial.size(); ++i)
            m_partial[i] = (m_colours[i] & gapRgb) + (((m_colours[i] ^ gapRgb) & 0xFEFEFEFEu) >> 1);
        m_gapR = qRed(gapRgb), m_gapG = qGreen(gapRgb), m_gapB = qBlue(gapRgb);
        m_backR = qRed(backgroundRgb), m_backG = qGreen(backgroundRgb), m_backB = qBlue(backgroundRgb);
    }

    QRgb entry(StripOverview::Code code) const
    {
        const StripOverview::Code value = code & StripOverview::valueMask;
        return (code & StripOverview::partialBit) ? m_partial[value] : m_colours[value];
    }

    QRgb summary(const StripOverview::Summary& s) const
    {
        const QRgb e = m_colours[s.code & StripOverview::valueMask];
        const int ge = s.element, gg = s.gap, gn = 255 - ge - gg;
        return qRgb((qRed(e) * ge + m_gapR * gg + m_backR * gn + 127) / 255,
                    (qGreen(e) * ge + m_gapG * gg + m_backG * gn + 127) / 255,
                    (qBlue(e) * ge + m_gapB * gg + m_backB * gn + 127) / 255);
    }

private:
    std::array<QRgb, StripOverview::codeCount> m_colours;
    std::array<QRgb, StripOverview::codeCount> m_partial;
    int m_gapR, m_gapG, m_gapB, m_backR, m_backG, m_backB;
};

} // namespace

void ByteStripPainter::paintAggregate(QPainter& painter, const QRectF& visible, PictureCache* cache) const
{
    PixelPicture picture(painter, visible,
                         QStringLiteral("strip,%1,%2,%3")
                             .arg(m_geometry.cellSize().width())
                             .arg(m_geometry.bytesPerRow())
                             .arg(m_theme.colourBlindSafe()),
                         cache);
    if (picture.isDrawn())
        return;
    if (m_content.coverage && m_content.coverage->isValid())
        paintCoverage(picture);
    else if (const StripOverview* overview = overviewFor(picture))
        paintFromOverview(picture, *overview);
    else
        paintFromLayout(picture);
    picture.finish(painter);
}

const StripOverview* ByteStripPainter::overviewFor(const PixelPicture& picture) const
{
    // The overview answers a byte with one read, when it covers the strip and its entries are at most
    // a few pixels wide (huge strips keep one entry per few bytes, each telling whether elements
    // cover it whole; zoomed in closer, the layout is asked per byte).
    const ByteOffset first = m_geometry.first(), end = m_geometry.end();
    const double bytesPerPixel = 1.0 / (picture.scaleX() * m_geometry.cellSize().width());
    // Asked only when it will do: asking may build it.
    if (!(m_content.overview &&
          double(ByteCount(1) << StripOverview::shiftFor(end - first)) <= std::max(1.0, 4 * bytesPerPixel)))
        return nullptr;
    const StripOverview* o = m_content.overview();
    if (o && !o->isEmpty() && o->first() <= first && o->end() >= end &&
        double(ByteCount(1) << o->shift()) <= std::max(1.0, 4 * bytesPerPixel))
        return o;
    return nullptr;
}

void ByteStripPainter::paintFromOverview(PixelPicture& picture, const StripOverview& overview) const
{
    using Code = StripOverview::Code;
    const OverviewPalette palette(m_theme);
    const Code* const codes = overview.codes();
    const ByteOffset base = overview.first();
    const std::int64_t shift = overview.shift();
    fillSamples(picture, m_geometry, m_theme.hatchColour().rgb(),
                sampleColumns(picture, m_geometry, &overview), [&] {
                    return [&, codes, base, shift](ByteOffset byte, int level, bool& shared) {
                        if (level >= 0) {
                            const StripOverview::Summary& s = overview.summaryAt(level, byte);
                            shared = shared || (s.code & StripOverview::sharedBit);
                            return palette.summary(s);
                        }
                        const Code code = codes[(byte - base) >> shift];
                        shared = shared || (code & StripOverview::sharedBit);
                        return palette.entry(code);
                    };
                });
}

void ByteStripPainter::paintFromLayout(PixelPicture& picture) const
{
    // Without an overview (zoomed in on a huge strip, or none given): ask the layout per sample.
    // The common case (one owner per byte, every byte in the block) skips the general look().
    const ByteOwnership* owners = m_content.owners;
    const bool unique = owners && owners->hasUniqueOwners();
    const QRgb gapRgb = m_theme.gap().rgb();
    const ByteOffset memoryFirst = m_content.memoryFirst, memoryEnd = m_content.memoryEnd;
    fillSamples(
        picture, m_geometry, m_theme.hatchColour().rgb(), sampleColumns(picture, m_geometry, nullptr), [&] {
            return [&, lastByte = std::numeric_limits<ByteOffset>::min(),
                    lastLook = ByteLook{}](ByteOffset byte, int, bool& shared) mutable {
                if (unique && byte >= memoryFirst && byte < memoryEnd) {
                    ElementIndex element;
                    return owners->nestedOwner(byte, element) ? m_theme.paletteRgb(element, m_paletteScale)
                                                              : gapRgb;
                }
                if (byte != lastByte) {           // bytes wider than a pixel: one look for all its pixels
                    lastLook = look(byte, false); // no field layout zoomed out: no per-element cost
                    lastByte = byte;
                }
                shared = shared || lastLook.shared;
                return lastLook.fill;
            };
        });
}

ByteStripPainter::PixelMixer::PixelMixer(const Theme& theme, double paletteScale)
    : m_theme(theme), m_paletteScale(paletteScale), m_gap(theme.gap().rgb()),
      m_nothing(theme.background().rgb()), m_outside(theme.outsideMemory().rgb())
{
}

QRgb ByteStripPainter::PixelMixer::colour(const PixelShares& shares) const
{
    const double total = shares.bytes;
    const double elements = shares.owned + shares.outside;
    const int ge = std::clamp(int(255 * elements / total + 0.5), 0, 255);
    const int gg = std::clamp(int(255 * shares.gap / total + 0.5), 0, 255 - ge);
    const int gn = 255 - ge - gg;
    QRgb e = 0;
    if (ge > 0) {
        if (shares.outside > shares.owned) {
            e = m_outside;
        } else {
            const double i = shares.meanElement * m_paletteScale + 0.5;
            e = m_theme.paletteAt(i <= 0 ? 0 : i >= Theme::paletteSize - 1 ? Theme::paletteSize - 1 : int(i));
        }
    }
    if (ge == 255)
        return e;
    const QRgb g = m_gap, n = m_nothing;
    return qRgb((qRed(e) * ge + qRed(g) * gg + qRed(n) * gn + 127) / 255,
                (qGreen(e) * ge + qGreen(g) * gg + qGreen(n) * gn + 127) / 255,
                (qBlue(e) * ge + qBlue(g) * gg + qBlue(n) * gn + 127) / 255);
}

namespace {

// Owned bytes, the sum of their elements and the shared ones among them in a range of a strip, parts
// of bytes at either end by part.
struct OwnedBytes
{
    double bytes = 0, sum = 0, shared = 0;
    void add(double part, const NestedCoverage::Prefix& a, const NestedCoverage::Prefix& b)
    {
        const double owned = double(b.bytes - a.bytes);
        bytes += part * owned;
        sum += part * double(b.elementSum - a.elementSum);
        shared += part * (owned - double(b.unshared - a.unshared));
    }
};

// A coverage's prefixes at whole bytes, the last few kept: neighbouring pixels share their edge bytes.
// One per band of rows (not shared between threads).
class CoveragePrefixes
{
public:
    explicit CoveragePrefixes(const NestedCoverage& coverage) : m_coverage(coverage) {}

    NestedCoverage::Prefix below(ByteOffset at)
    {
        for (const Known& k : m_known)
            if (k.at == at)
                return k.prefix;
        m_known[m_next] = {at, m_coverage.below(at)};
        const NestedCoverage::Prefix& p = m_known[m_next].prefix;
        m_next = (m_next + 1) % m_known.size();
        return p;
    }

    // The owned bytes in [p, q).
    OwnedBytes owned(double p, double q)
    {
        OwnedBytes o;
        if (q <= p)
            return o;
        const double ip = std::ceil(p), iq = std::floor(q);
        if (ip > iq) { // inside one byte
            const ByteOffset k = ByteOffset(iq);
            o.add(q - p, below(k), below(k + 1));
            return o;
        }
        const NestedCoverage::Prefix a = below(ByteOffset(ip)), b = below(ByteOffset(iq));
        o.add(1, a, b);
        if (ip > p)
            o.add(ip - p, below(ByteOffset(ip) - 1), a);
        if (q > iq)
            o.add(q - iq, b, below(ByteOffset(iq) + 1));
        return o;
    }

private:
    struct Known
    {
        ByteOffset at = std::numeric_limits<ByteOffset>::min();
        NestedCoverage::Prefix prefix;
    };
    const NestedCoverage& m_coverage;
    std::array<Known, 4> m_known;
    std::size_t m_next = 0;
};

// What every row of a coverage picture shares: the bytes of a row under each pixel column, the
// strip's and the block's bounds, and how a pixel's shares become its colour.
struct CoverageRows
{
    // Pixel column px covers the columns [edges[px], edges[px + 1]) of a row, in bytes.
    std::vector<double> edges;
    bool wholeBytes = false; // the edges are whole bytes
    double first = 0, end = 0, memoryFirst = 0, memoryEnd = 0;
    bool mayShare = false;
    QRgb hatch = 0;
    ByteStripPainter::PixelMixer mixer;
};

// A row of whole bytes inside the block (the common case): one prefix per pixel edge.
void coverWholeBytes(const CoverageRows& rows, CoveragePrefixes& prefixes, double rowStart, int py,
                     QRgb* line)
{
    const std::vector<double>& edges = rows.edges;
    const int w = int(edges.size()) - 1;
    NestedCoverage::Prefix left = prefixes.below(ByteOffset(std::max(rows.first, rowStart + edges.front())));
    for (int px = 0; px < w; ++px) {
        const double a = std::max(rows.first, rowStart + edges[std::size_t(px)]);
        const double b = std::min(rows.end, rowStart + edges[std::size_t(px) + 1]);
        if (b <= a)
            continue;
        const NestedCoverage::Prefix right = prefixes.below(ByteOffset(b));
        ByteStripPainter::PixelShares shares;
        shares.bytes = b - a;
        shares.owned = double(right.bytes - left.bytes);
        shares.gap = shares.bytes - shares.owned;
        if (shares.owned > 0)
            shares.meanElement = double(right.elementSum - left.elementSum) / shares.owned;
        const bool shared = rows.mayShare && right.bytes - left.bytes > right.unshared - left.unshared;
        line[px] = shared && ((px + py) & 3) == 0 ? rows.hatch : rows.mixer.colour(shares);
        left = right;
    }
}

// Any other row: each pixel in three parts, before the block, in it and after it, parts of bytes
// at its edges by part.
void coverPartBytes(const CoverageRows& rows, CoveragePrefixes& prefixes, double rowStart, int py, QRgb* line)
{
    const std::vector<double>& edges = rows.edges;
    const int w = int(edges.size()) - 1;
    for (int px = 0; px < w; ++px) {
        const double a = std::max(rows.first, rowStart + edges[std::size_t(px)]);
        const double b = std::min(rows.end, rowStart + edges[std::size_t(px) + 1]);
        if (b <= a)
            continue;
        // Three parts: before the block, in it, after it.
        const double inFirst = std::clamp(rows.memoryFirst, a, b),
                     inEnd = std::clamp(rows.memoryEnd, inFirst, b);
        const OwnedBytes before = prefixes.owned(a, inFirst), inside = prefixes.owned(inFirst, inEnd),
                         after = prefixes.owned(inEnd, b);
        ByteStripPainter::PixelShares shares;
        shares.bytes = b - a;
        shares.owned = inside.bytes;
        shares.outside = before.bytes + after.bytes;
        shares.gap = (inEnd - inFirst) - inside.bytes;
        if (inside.bytes > 0)
            shares.meanElement = inside.sum / inside.bytes;
        const bool shared = before.shared + inside.shared + after.shared > 0;
        line[px] = shared && ((px + py) & 3) == 0 ? rows.hatch : rows.mixer.colour(shares);
    }
}

// The rows' shared plan for `picture`.
CoverageRows coverageRows(const PixelPicture& picture, const ByteStripGeometry& geometry,
                          const StripContent& content, const Theme& theme, double paletteScale)
{
    const QRectF area = picture.area();
    const qreal sx = picture.scaleX();
    const int w = picture.width();
    const QPointF origin = geometry.origin();
    const QSizeF cell = geometry.cellSize();
    const double bpr = double(geometry.bytesPerRow());
    CoverageRows rows{.edges = std::vector<double>(static_cast<std::size_t>(w) + 1),
                      .wholeBytes = 1 / (sx * cell.width()) >= 4,
                      .first = double(geometry.first()),
                      .end = double(geometry.end()),
                      .memoryFirst = double(content.memoryFirst),
                      .memoryEnd = double(content.memoryEnd),
                      .mayShare = content.coverage->mayShare(),
                      .hatch = theme.hatchColour().rgb(),
                      .mixer = ByteStripPainter::PixelMixer(theme, paletteScale)};
    // Each pixel is the exact mean of the bytes under it (no samples, so no moiré), and every byte is
    // counted once across a row. Below 4 bytes a pixel, a byte at an edge counts by the part the pixel
    // covers; from 4 on, edges are rounded to whole bytes (half a byte of 4 or more), one prefix per edge.
    for (int px = 0; px <= w; ++px) {
        const double x = std::clamp((area.left() + px / sx - origin.x()) / cell.width(), 0.0, bpr);
        rows.edges[std::size_t(px)] = rows.wholeBytes ? std::round(x) : x;
    }
    return rows;
}

} // namespace

void ByteStripPainter::paintCoverage(PixelPicture& picture) const
{
    const NestedCoverage& coverage = *m_content.coverage;
    const CoverageRows rows = coverageRows(picture, m_geometry, m_content, m_theme, m_paletteScale);
    const QRectF area = picture.area();
    const qreal sy = picture.scaleY();
    const int w = picture.width(), h = picture.height();
    const QPointF origin = m_geometry.origin();
    const qreal cellHeight = m_geometry.cellSize().height();
    const qint64 rowCount = m_geometry.rowCount();
    uchar* const bits = picture.image().bits();
    const qsizetype stride = picture.image().bytesPerLine();
    RowBands::run(h, qint64(w) * h, [&](int rowFirst, int rowEnd) {
        CoveragePrefixes prefixes(coverage);
        double lastRow = -1; // the strip row drawn on the pixel row above, in this band
        for (int py = rowFirst; py < rowEnd; ++py) {
            const double y = area.top() + (py + 0.5) / sy;
            const double rowF = std::floor((y - origin.y()) / cellHeight);
            if (rowF < 0 || rowF >= double(rowCount))
                continue;
            const double rowStart = double(m_geometry.rowStart(qint64(rowF)));
            auto* line = reinterpret_cast<QRgb*>(bits + py * stride);
            // Shared bytes are hatched (a diagonal line every four pixels), so rows with them differ.
            if (rowF == lastRow && !rows.mayShare) { // a strip row taller than a pixel: the same pixels again
                std::memcpy(line, bits + (py - 1) * stride, std::size_t(w) * sizeof(QRgb));
                continue;
            }
            lastRow = rowF;
            if (rows.wholeBytes && rowStart + rows.edges.front() >= rows.memoryFirst &&
                rowStart + rows.edges.back() <= rows.memoryEnd)
                coverWholeBytes(rows, prefixes, rowStart, py, line);
            else
                coverPartBytes(rows, prefixes, rowStart, py, line);
        }
    });
}

void ByteStripPainter::paintBufMarker(QPainter& painter, const QRectF& visible) const
{
    const ByteOffset buf = m_content.bufOffset;
    if (buf < m_geometry.first() || buf >= m_geometry.end())
        return;
    const QRectF cell = m_geometry.byteRect(buf);
    if (!visible.adjusted(-300, -20, 20, 20).intersects(cell))
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor marker = m_theme.marker();
    // A bar on the byte's left edge and a flag above it: position without relying on colour.
    painter.fillRect(QRectF(cell.left() - 1, cell.top() - 1, 3, std::max<qreal>(cell.height(), 6) + 2),
                     marker);
    QPainterPath flag;
    flag.moveTo(cell.left() - 1, cell.top() - 1);
    flag.lineTo(cell.left() + 7, cell.top() - 1);
    flag.lineTo(cell.left() - 1, cell.top() + 7);
    flag.closeSubpath();
    painter.fillPath(flag, marker);
    // buf may point mid-row (a slice) while the label below sits at the row's start: a line along
    // the row's top edge leads from the label to the bar on the byte buf points at.
    const qreal rowLeft = m_geometry.origin().x();
    if (cell.left() > rowLeft + 0.5)
        painter.fillRect(QRectF(rowLeft - 4, cell.top() - 1, cell.left() - rowLeft + 4, 2), marker);
    // Label in the gutter of the row holding buf.
    const QFont font = sizedFont(m_theme.monoFont(), 11);
    const QFontMetricsF fm(font);
    painter.setFont(font);
    painter.setPen(marker);
    const QString label = m_content.bufLabel + bufArrow;
    const qreal right = m_geometry.origin().x() - 4;
    const qreal centre = cell.top() + std::max(cell.height(), fm.height()) / 2;
    painter.drawText(QRectF(right - fm.horizontalAdvance(label) - 2, centre - fm.height() / 2,
                            fm.horizontalAdvance(label) + 2, fm.height()),
                     Qt::AlignRight | Qt::AlignVCenter, label);
    painter.restore();
}

void ByteStripPainter::paintHighlight(QPainter& painter, const QRectF& visible,
                                      const ReportData::Highlight& highlight, bool byteInThisStrip) const
{
    if (highlight.isEmpty())
        return;
    const auto range = m_geometry.visibleBytes(visible.adjusted(-4, -4, 4, 4));
    painter.save();
    painter.setBrush(Qt::NoBrush);
    const QPen outer(m_theme.highlight(), 2.5);
    const QPen inner(m_theme.background(), 1);
    const qreal minimum = 5;
    auto outline = [&](QRectF r) {
        if (r.width() < minimum)
            r.adjust(-(minimum - r.width()) / 2, 0, (minimum - r.width()) / 2, 0);
        if (r.height() < minimum)
            r.adjust(0, -(minimum - r.height()) / 2, 0, (minimum - r.height()) / 2);
        painter.setPen(outer);
        painter.drawRect(r.adjusted(-0.5, -0.5, 0.5, 0.5));
        painter.setPen(inner);
        painter.drawRect(r.adjusted(1.5, 1.5, -1.5, -1.5));
    };
    std::size_t drawn = 0;
    if (m_content.elementOffset && !range.isEmpty()) {
        for (ElementIndex e : highlight.elements) {
            if (++drawn > highlightLimit)
                break;
            const auto off = m_content.elementOffset(e);
            if (!off)
                continue;
            const ByteOffset first = std::max(*off, m_geometry.first());
            const ByteOffset end = std::min(*off + m_content.itemSize, m_geometry.end());
            if (end <= range.first || first >= range.end || end <= first)
                continue;
            // One outline per row the element's bytes occupy.
            for (ByteOffset b = first; b < end;) {
                const qint64 row = m_geometry.rowOf(b);
                const ByteOffset rowEnd = std::min(end, m_geometry.rowStart(row + 1));
                outline(m_geometry.byteRect(b).united(m_geometry.byteRect(rowEnd - 1)));
                b = rowEnd;
            }
        }
    }
    if (byteInThisStrip && highlight.byte >= m_geometry.first() && highlight.byte < m_geometry.end()) {
        QRectF r = m_geometry.byteRect(highlight.byte);
        painter.setPen(QPen(m_theme.highlight(), 1.5, Qt::DashLine));
        if (r.width() < 7)
            r.adjust(-(7 - r.width()) / 2, 0, (7 - r.width()) / 2, 0);
        if (r.height() < 7)
            r.adjust(0, -(7 - r.height()) / 2, 0, (7 - r.height()) / 2);
        painter.drawRect(r.adjusted(-2, -2, 2, 2));
    }
    painter.restore();
}

} // namespace stridescope
