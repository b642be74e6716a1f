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
    const QColor background = m_theme.background();
    std::vector<ByteLook> looks(std::size_t(std::max<ByteCount>(0, cols.end - cols.first)));
    std::vector<QLineF> separatorLines;
    static const std::array<QString, 256> hexTexts = [] {
        std::array<QString, 256> t;
        for (int v = 0; v < 256; ++v)
            t[std::size_t(v)] = QStringLiteral("%1").arg(v, 2, 16, QLatin1Char('0')).toUpper();
        return t;
    }();
    const QString unknown = QStringLiteral("\u00B7\u00B7");
    QRgb lastPen = 0;
    for (qint64 row = rows.first; row < rows.end; ++row) {
        const ByteOffset start = m_geometry.rowStart(row);
        const qreal y = m_geometry.rowTop(row);
        for (ByteCount c = cols.first; c < cols.end; ++c) {
            const ByteOffset b = start + c;
            looks[c - cols.first] = (b >= m_geometry.first() && b < m_geometry.end()) ? look(b) : offStrip();
        }
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
        if (separators) {
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
                    separatorLines.emplace_back(QPointF(x, y), QPointF(x, y + cell.height()));
                }
            }
            separatorLines.emplace_back(QPointF(m_geometry.columnLeft(cols.first), y + cell.height() - 0.5),
                                        QPointF(m_geometry.columnLeft(cols.end), y + cell.height() - 0.5));
        }
        if (showText) {
            for (ByteCount c = cols.first; c < cols.end; ++c) {
                const ByteLook& l = looks[c - cols.first];
                if (l.element == -2)
                    continue;
                const ByteOffset b = start + c;
                const QRectF r(m_geometry.columnLeft(c), y, cell.width(), cell.height() - 1);
                const auto value = m_content.byteValue ? m_content.byteValue(b) : std::nullopt;
                const QColor fill = QColor::fromRgb(l.fill);
                const QRgb pen =
                    l.owned && !l.padding ? m_theme.textOn(fill).rgb() : m_theme.mutedText().rgb();
                if (pen != lastPen) { // thousands of cells, a handful of pens
                    painter.setPen(QColor::fromRgb(pen));
                    lastPen = pen;
                }
                const QString& text = value ? hexTexts[*value] : unknown;
                if (l.shared) {
                    // Keep the value readable over the hatching.
                    const QSizeF size = texts.size(text);
                    const QRectF box =
                        QRectF(0, 0, size.width() + 2, size.height())
                            .translated(r.center() - QPointF(size.width() / 2 + 1, size.height() / 2));
                    painter.fillRect(box, fill);
                }
                texts.drawCentred(painter, r, text);
            }
        }
    }
    if (!separatorLines.empty()) {
        painter.setPen(QPen(background, 1));
        painter.drawLines(separatorLines.data(), int(separatorLines.size()));
    }
    // Records: a line where one field (or run of padding) of an element ends and the next begins,
    // shorter than the lines between elements and in the text colour, so the two never read alike.
    if (m_content.format && separators) {
        const ItemMarks marks = itemMarks(visible);
        if (!marks.fieldBoundaries.empty()) {
            QColor line = m_theme.text();
            line.setAlpha(150);
            painter.setPen(QPen(line, 1.5));
            painter.drawLines(marks.fieldBoundaries.data(), int(marks.fieldBoundaries.size()));
        }
    }
    // The block's edges, when the strip shows elements beyond them.
    painter.setPen(QPen(m_theme.outsideMemory(), 2));
    for (ByteOffset edge : {m_content.memoryFirst, m_content.memoryEnd}) {
        if (edge <= m_geometry.first() || edge >= m_geometry.end())
            continue;
        const QRectF r = m_geometry.byteRect(edge);
        painter.drawLine(r.topLeft(), r.bottomLeft());
    }
}

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
    if (m_content.coverage && m_content.coverage->isValid()) {
        paintCoverage(picture);
        picture.finish(painter);
        return;
    }
    const QRectF area = picture.area();
    const qreal sx = picture.scaleX(), sy = picture.scaleY();
    const int w = picture.width(), h = picture.height();
    const QPointF origin = m_geometry.origin();
    const QSizeF cell = m_geometry.cellSize();
    const qint64 rowCount = m_geometry.rowCount();
    const ByteCount bpr = m_geometry.bytesPerRow();
    const QRgb hatch = m_theme.hatchColour().rgb();
    const ByteOffset first = m_geometry.first(), end = m_geometry.end();
    // The overview answers a byte with one read, when it covers the strip and its entries are at most
    // a few pixels wide (huge strips keep one entry per few bytes, each telling whether elements
    // cover it whole; zoomed in closer, the layout is asked per byte).
    const StripOverview* overview = nullptr;
    const double bytesPerPixel = 1.0 / (sx * cell.width());
    // Asked only when it will do: asking may build it.
    if (m_content.overview &&
        double(ByteCount(1) << StripOverview::shiftFor(end - first)) <= std::max(1.0, 4 * bytesPerPixel)) {
        const StripOverview* o = m_content.overview();
        if (o && !o->isEmpty() && o->first() <= first && o->end() >= end &&
            double(ByteCount(1) << o->shift()) <= std::max(1.0, 4 * bytesPerPixel))
            overview = o;
    }
    // Which bytes of a row each pixel column averages is the same on every row: work it out once.
    // Up to 4 bytes, evenly spread (every byte when the pixel covers 4 or fewer); from 8 overview
    // entries per pixel, two summaries of the overview that together cover about the pixel.
    struct Column
    {
        int count = 0;  // bytes read; 0: the pixel shows nothing
        int level = -1; // >= 0: `at` holds two bytes whose summaries of this level are read
        std::array<ByteCount, maxSamples> at{};
    };
    std::vector<Column> columns(static_cast<std::size_t>(w));
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
        Column& column = columns[std::size_t(px)];
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
        const int k = int(std::min<ByteCount>(n, maxSamples));
        column.count = k;
        for (int s = 0; s < k; ++s)
            column.at[std::size_t(s)] = c0 + (2 * s + 1) * n / (2 * k);
    }
    // 65536 / k, rounded: the mean of k colours by a multiply.
    std::array<std::uint32_t, maxSamples + 1> reciprocal{};
    for (int k = 1; k <= maxSamples; ++k)
        reciprocal[std::size_t(k)] = std::uint32_t((65536 + k / 2) / k);
    // Scan lines are taken from bits() once: QImage::scanLine() is not safe to call from threads.
    uchar* const bits = picture.image().bits();
    const qsizetype stride = picture.image().bytesPerLine();
    // Fills the picture in bands on several threads; `makeSampler` gives each band its own sampler,
    // a function (byte, level, shared&) -> colour of the byte (level >= 0: of its summary).
    auto fill = [&](auto makeSampler) {
        RowBands::run(h, qint64(w) * h, [&](int rowFirst, int rowEnd) {
            auto sample = makeSampler();
            for (int py = rowFirst; py < rowEnd; ++py) {
                const double y = area.top() + (py + 0.5) / sy;
                const double rowF = std::floor((y - origin.y()) / cell.height());
                if (rowF < 0 || rowF >= double(rowCount))
                    continue;
                const ByteOffset rowStart = m_geometry.rowStart(qint64(rowF));
                auto* line = reinterpret_cast<QRgb*>(bits + py * stride);
                for (int px = 0; px < w; ++px) {
                    const Column& column = columns[std::size_t(px)];
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
    };
    if (overview) {
        using Code = StripOverview::Code;
        std::array<QRgb, StripOverview::codeCount> colours;
        for (int i = 0; i < Theme::paletteSize; ++i)
            colours[std::size_t(i)] = m_theme.paletteAt(i);
        const QRgb gapRgb = m_theme.gap().rgb(), backgroundRgb = m_theme.background().rgb();
        colours[StripOverview::gap] = gapRgb;
        colours[StripOverview::outside] = m_theme.outsideMemory().rgb();
        colours[StripOverview::nothing] = backgroundRgb;
        // An entry covered in part: half its colour, half gap.
        std::array<QRgb, StripOverview::codeCount> partial;
        for (std::size_t i = 0; i < partial.size(); ++i)
            partial[i] = (colours[i] & gapRgb) + (((colours[i] ^ gapRgb) & 0xFEFEFEFEu) >> 1);
        const int gapR = qRed(gapRgb), gapG = qGreen(gapRgb), gapB = qBlue(gapRgb);
        const int backR = qRed(backgroundRgb), backG = qGreen(backgroundRgb), backB = qBlue(backgroundRgb);
        auto mix = [&](const StripOverview::Summary& s) {
            const QRgb e = colours[s.code & StripOverview::valueMask];
            const int ge = s.element, gg = s.gap, gn = 255 - ge - gg;
            return qRgb((qRed(e) * ge + gapR * gg + backR * gn + 127) / 255,
                        (qGreen(e) * ge + gapG * gg + backG * gn + 127) / 255,
                        (qBlue(e) * ge + gapB * gg + backB * gn + 127) / 255);
        };
        const Code* const codes = overview->codes();
        const ByteOffset base = overview->first();
        const std::int64_t shift = overview->shift();
        fill([&] {
            return [&, codes, base, shift](ByteOffset byte, int level, bool& shared) {
                if (level >= 0) {
                    const StripOverview::Summary& s = overview->summaryAt(level, byte);
                    shared = shared || (s.code & StripOverview::sharedBit);
                    return mix(s);
                }
                const Code code = codes[(byte - base) >> shift];
                shared = shared || (code & StripOverview::sharedBit);
                const Code value = code & StripOverview::valueMask;
                return (code & StripOverview::partialBit) ? partial[value] : colours[value];
            };
        });
    } else {
        // Without an overview (zoomed in on a huge strip, or none given): ask the layout per sample.
        // The common case (one owner per byte, every byte in the block) skips the general look().
        const ByteOwnership* owners = m_content.owners;
        const bool unique = owners && owners->hasUniqueOwners();
        const QRgb gapRgb = m_theme.gap().rgb();
        const ByteOffset memoryFirst = m_content.memoryFirst, memoryEnd = m_content.memoryEnd;
        fill([&] {
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
    picture.finish(painter);
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

void ByteStripPainter::paintCoverage(PixelPicture& picture) const
{
    const NestedCoverage& coverage = *m_content.coverage;
    const QRectF area = picture.area();
    const qreal sx = picture.scaleX(), sy = picture.scaleY();
    const int w = picture.width(), h = picture.height();
    const QPointF origin = m_geometry.origin();
    const QSizeF cell = m_geometry.cellSize();
    const qint64 rowCount = m_geometry.rowCount();
    const double bpr = double(m_geometry.bytesPerRow());
    const QRgb hatch = m_theme.hatchColour().rgb();
    const double first = double(m_geometry.first()), end = double(m_geometry.end());
    const double memoryFirst = double(m_content.memoryFirst), memoryEnd = double(m_content.memoryEnd);
    // Shared bytes are hatched: a diagonal line every four pixels, so rows differ.
    const bool mayShare = coverage.mayShare();
    const PixelMixer mixer(m_theme, m_paletteScale);
    // Pixel column px covers the columns [edge[px], edge[px + 1]) of a row, in bytes: each pixel is
    // the exact mean of the bytes under it (no samples, so no moiré), and every byte is counted once
    // across a row. Below 4 bytes a pixel, a byte at an edge counts by the part the pixel covers;
    // from 4 on, edges are rounded to whole bytes (half a byte of 4 or more), one prefix per edge.
    std::vector<double> edges(static_cast<std::size_t>(w) + 1);
    const bool wholeBytes = 1 / (sx * cell.width()) >= 4;
    for (int px = 0; px <= w; ++px) {
        const double x = std::clamp((area.left() + px / sx - origin.x()) / cell.width(), 0.0, bpr);
        edges[std::size_t(px)] = wholeBytes ? std::round(x) : x;
    }
    uchar* const bits = picture.image().bits();
    const qsizetype stride = picture.image().bytesPerLine();
    RowBands::run(h, qint64(w) * h, [&](int rowFirst, int rowEnd) {
        // Prefixes at whole bytes, the last few kept: neighbouring pixels share their edge bytes.
        struct Known
        {
            ByteOffset at = std::numeric_limits<ByteOffset>::min();
            NestedCoverage::Prefix prefix;
        };
        std::array<Known, 4> known;
        std::size_t next = 0;
        auto below = [&](ByteOffset at) {
            for (const Known& k : known)
                if (k.at == at)
                    return k.prefix;
            known[next] = {at, coverage.below(at)};
            const NestedCoverage::Prefix& p = known[next].prefix;
            next = (next + 1) % known.size();
            return p;
        };
        // Owned bytes, the sum of their elements and the shared ones among them in [p, q), parts of
        // bytes at either end by part.
        struct Owned
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
        auto owned = [&](double p, double q) {
            Owned o;
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
        };
        double lastRow = -1; // the strip row drawn on the pixel row above, in this band
        for (int py = rowFirst; py < rowEnd; ++py) {
            const double y = area.top() + (py + 0.5) / sy;
            const double rowF = std::floor((y - origin.y()) / cell.height());
            if (rowF < 0 || rowF >= double(rowCount))
                continue;
            const double rowStart = double(m_geometry.rowStart(qint64(rowF)));
            auto* line = reinterpret_cast<QRgb*>(bits + py * stride);
            if (rowF == lastRow && !mayShare) { // a strip row taller than a pixel: the same pixels again
                std::memcpy(line, bits + (py - 1) * stride, std::size_t(w) * sizeof(QRgb));
                continue;
            }
            lastRow = rowF;
            if (wholeBytes && rowStart + edges.front() >= memoryFirst &&
                rowStart + edges.back() <= memoryEnd) {
                // The common case: whole bytes, the row inside the block: one prefix per pixel edge.
                NestedCoverage::Prefix left = below(ByteOffset(std::max(first, rowStart + edges.front())));
                for (int px = 0; px < w; ++px) {
                    const double a = std::max(first, rowStart + edges[std::size_t(px)]);
                    const double b = std::min(end, rowStart + edges[std::size_t(px) + 1]);
                    if (b <= a)
                        continue;
                    const NestedCoverage::Prefix right = below(ByteOffset(b));
                    PixelShares shares;
                    shares.bytes = b - a;
                    shares.owned = double(right.bytes - left.bytes);
                    shares.gap = shares.bytes - shares.owned;
                    if (shares.owned > 0)
                        shares.meanElement = double(right.elementSum - left.elementSum) / shares.owned;
                    const bool shared = mayShare && right.bytes - left.bytes > right.unshared - left.unshared;
                    line[px] = shared && ((px + py) & 3) == 0 ? hatch : mixer.colour(shares);
                    left = right;
                }
                continue;
            }
            for (int px = 0; px < w; ++px) {
                const double a = std::max(first, rowStart + edges[std::size_t(px)]);
                const double b = std::min(end, rowStart + edges[std::size_t(px) + 1]);
                if (b <= a)
                    continue;
                // Three parts: before the block, in it, after it.
                const double inFirst = std::clamp(memoryFirst, a, b),
                             inEnd = std::clamp(memoryEnd, inFirst, b);
                const Owned before = owned(a, inFirst), inside = owned(inFirst, inEnd),
                            after = owned(inEnd, b);
                PixelShares shares;
                shares.bytes = b - a;
                shares.owned = inside.bytes;
                shares.outside = before.bytes + after.bytes;
                shares.gap = (inEnd - inFirst) - inside.bytes;
                if (inside.bytes > 0)
                    shares.meanElement = inside.sum / inside.bytes;
                const bool shared = before.shared + inside.shared + after.shared > 0;
                line[px] = shared && ((px + py) & 3) == 0 ? hatch : mixer.colour(shares);
            }
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
