#include "logicalpainter.h"

#include "celltextcache.h"
#include "pixelpicture.h"
#include "reporttext.h"
#include "rowbands.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stridescope {

namespace {

constexpr qreal padding = 8;
constexpr qreal tileGap = 18;
constexpr std::size_t highlightLimit = 4096;
constexpr qreal maximumHeaderWidth = 1000;
// Cells at this zoom still show their values (18 px tall, a 9 px font); fitting a small array does
// not go below it when scrolling a few screens one way shows every value instead.
constexpr Zoom readableZoom = 0.75;
constexpr qreal minimumReadableCell = 14;
constexpr qreal readableScreens = 4; // across or down
constexpr qreal readableArea = 6;    // screens in all

QFont sized(QFont font, qreal pixels)
{
    font.setPixelSize(std::max(1, int(pixels)));
    return font;
}

// Characters a value of this format usually needs, so cells fit their values at zoom 1.
int valueChars(const InspectionReport& r)
{
    if (!r.sourceBuffer)
        return 4;
    const std::string f = r.sourceBuffer->effectiveFormat();
    auto format = ItemFormat::parse(f);
    if (!format || format->fields().empty())
        return 4;
    if (format->fields().size() > 1)
        return 14;
    const FormatField& field = format->fields().front();
    switch (field.code) {
    case 'B':
    case 'b':
    case 'c':
    case '?':
    case 'x':
        return 4;
    case 'h':
    case 'H':
    case 'e':
        return 6;
    case 's':
    case 'p':
        return std::min(field.count + 3, 14);
    case 'i':
    case 'I':
    case 'l':
    case 'L':
    case 'f':
        return 8;
    default:
        return 10;
    }
}

// The smallest label step from 1, 2, 5, 10, 20, 50, ... that keeps labels `need` pixels apart.
Extent labelStep(qreal pitch, qreal need)
{
    Extent step = 1;
    for (int i = 0; step * pitch < need && i < 60 && step < (Extent(1) << 58); ++i)
        step = (i % 3 == 0) ? step * 2 : (i % 3 == 1) ? step / 2 * 5 : step * 2;
    return step;
}

} // namespace

QSizeF LogicalPainter::cellSize(const ReportData& data, const Theme& theme)
{
    const QFontMetricsF fm(sized(theme.monoFont(), 12));
    return {std::max<qreal>(
                30, std::ceil(fm.horizontalAdvance(QLatin1Char('0')) * valueChars(data.report()) + 12)),
            24};
}

std::vector<Extent> shapeOf(const ReportData& data)
{
    return data.hasSource() ? data.sourceLayout().shape() : std::vector<Extent>{};
}

LogicalGridGeometry::Margins LogicalPainter::tileDecoration(const ReportData& data, const Theme& theme,
                                                            int rowAxis, int columnAxis)
{
    LogicalGridGeometry::Margins m;
    m.tileHeader = std::ceil(QFontMetricsF(theme.labelFont()).height()) + 2;
    m.tileGap = tileGap;
    const LogicalGridGeometry axes(shapeOf(data), rowAxis, columnAxis, cellSize(data, theme), 1.0, m);
    // A tile is at least as wide as its label, so labels neither overlap nor get cut; the last tile
    // has the widest indices. (Packed tiles have no labels: the geometry drops this then.)
    if (axes.kind() == LogicalGridGeometry::Kind::Tiles)
        m.tileMinimumWidth =
            QFontMetricsF(theme.labelFont()).horizontalAdvance(tileLabel(axes, axes.tileCount() - 1)) + 6;
    return m;
}

LogicalGridGeometry LogicalPainter::probe(const ReportData& data, const Theme& theme, int rowAxis,
                                          int columnAxis)
{
    return LogicalGridGeometry(shapeOf(data), rowAxis, columnAxis, cellSize(data, theme), 1.0,
                               tileDecoration(data, theme, rowAxis, columnAxis));
}

QString LogicalPainter::packedNote(const LogicalGridGeometry& geometry)
{
    if (!geometry.packedTiles())
        return {};
    return QStringLiteral("%1 tiles are too many to draw apart: packed edge to edge in C order, %2 across, "
                          "without headers (hover a cell for its index)")
        .arg(ReportText::countText(geometry.tileCount()), ReportText::countText(geometry.tileColumns()));
}

QString LogicalPainter::aggregationNote() const
{
    return packedNote(m_geometry);
}

qreal LogicalPainter::valueFontPixels() const
{
    const QSizeF cell = m_geometry.cellSize();
    return std::floor(std::min({cell.height() * 0.55, 12.0 * std::max<Zoom>(1.0, m_zoom), 28.0}));
}

bool LogicalPainter::showsValues() const
{
    return !m_aggregated && valueFontPixels() >= 7 && m_geometry.cellSize().width() >= 14;
}

QString LogicalPainter::unreadableNote(qreal scale) const
{
    using Kind = LogicalGridGeometry::Kind;
    if (!m_data->hasSource() || m_geometry.kind() == Kind::Empty || m_geometry.kind() == Kind::Scalar)
        return {};
    const QSizeF cell = m_geometry.cellSize() * scale;
    if (showsValues() && std::min(cell.width(), cell.height()) >= minimumReadableCell)
        return {};
    const QString size =
        QStringLiteral("%1x%2 px").arg(cell.width(), 0, 'g', 3).arg(cell.height(), 0, 'g', 3);
    if (m_aggregated)
        return QStringLiteral("%1 elements are aggregated, %2 each: one colour per pixel, no values (zoom in "
                              "the window, render fewer views or a larger --size)")
            .arg(ReportText::countText(m_data->elementCount()), size);
    return QStringLiteral("cells are %1, too small to read their values (zoom in the window, render fewer "
                          "views or a larger --size)")
        .arg(size);
}

QStringList LogicalPainter::headerLines(const ReportData& data, const LogicalGridGeometry& probe)
{
    using Kind = LogicalGridGeometry::Kind;
    const std::vector<Extent> shape = shapeOf(data);
    QStringList lines;
    switch (probe.kind()) {
    case Kind::Scalar:
        lines << QStringLiteral("0-d: a single element, no axes (shape ())");
        break;
    case Kind::Empty: {
        QStringList axes;
        for (std::size_t d = 0; d < shape.size(); ++d)
            if (shape[d] == 0)
                axes << QStringLiteral("axis %1").arg(d);
        QString text = ReportText::indexText(shape);
        text[0] = QLatin1Char('(');
        text[text.size() - 1] = QLatin1Char(')');
        lines << QStringLiteral("shape %1: %2 has extent 0, so there are no elements")
                     .arg(text, axes.join(QStringLiteral(", ")));
        break;
    }
    case Kind::Row:
        lines << QStringLiteral("\u2192 ") + axisText(data, 0);
        break;
    case Kind::Tiles: {
        if (probe.packedTiles())
            lines << packedNote(probe);
        QStringList fixed;
        for (int d : probe.outerAxes())
            fixed << axisText(data, d);
        lines << QStringLiteral("tiles: one per index of ") + fixed.join(QStringLiteral(", "));
        [[fallthrough]];
    }
    case Kind::Grid:
        // One line for both: the view's height is for the cells (a 5-D array's window third is short).
        lines << QStringLiteral("\u2193 rows: ") + axisText(data, probe.rowAxis()) +
                     QStringLiteral("   \u2192 columns: ") + axisText(data, probe.columnAxis());
        break;
    }
    return lines;
}

LogicalGridGeometry::Margins LogicalPainter::marginsFor(const ReportData& data, const Theme& theme,
                                                        int rowAxis, int columnAxis)
{
    using Kind = LogicalGridGeometry::Kind;
    const QFontMetricsF fm(theme.labelFont());
    const qreal line = std::ceil(fm.height()) + 2;
    const LogicalGridGeometry shape = probe(data, theme, rowAxis, columnAxis);
    LogicalGridGeometry::Margins m;
    m.left = padding;
    m.top = padding + line * headerLines(data, shape).size() + 2;
    if (shape.kind() == Kind::Row || shape.kind() == Kind::Grid || shape.kind() == Kind::Tiles)
        m.top += line; // index numbers
    if (shape.kind() == Kind::Grid || shape.kind() == Kind::Tiles)
        m.left += fm.horizontalAdvance(QString::number(std::max<Extent>(0, shape.rows() - 1))) + 8;
    if (shape.kind() == Kind::Tiles) {
        const LogicalGridGeometry::Margins tiles = tileDecoration(data, theme, rowAxis, columnAxis);
        m.tileHeader = tiles.tileHeader;
        m.tileGap = tiles.tileGap;
        m.tileMinimumWidth = tiles.tileMinimumWidth;
    }
    return m;
}

LogicalPainter::LogicalPainter(const ReportData& data, const Theme& theme, Zoom zoom, int rowAxis,
                               int columnAxis)
    : m_data(&data), m_theme(theme), m_zoom(zoom)
{
    const std::vector<Extent> shape = shapeOf(data);
    m_geometry = LogicalGridGeometry(shape, rowAxis, columnAxis, cellSize(data, theme), zoom,
                                     marginsFor(data, theme, rowAxis, columnAxis));
    m_header = headerLines(data, m_geometry);
    const QFontMetricsF fm(theme.labelFont());
    // Many axes make long lines: they are cut (the Axes table lists every axis), so the caption
    // never widens the picture past what the cells need or maximumHeaderWidth.
    for (const QString& line : m_header)
        m_headerWidth = std::max(m_headerWidth, padding + fm.horizontalAdvance(line) + padding);
    m_headerWidth =
        std::min(m_headerWidth, std::max(maximumHeaderWidth, m_geometry.size().width() + padding));
    m_weights.assign(shape.size(), 1);
    for (int d = int(shape.size()) - 2; d >= 0; --d)
        m_weights[d] = m_weights[d + 1] * shape[d + 1];
    const QSizeF cell = m_geometry.cellSize();
    m_aggregated = cell.width() < 4 || cell.height() < 4;
}

Zoom LogicalPainter::fitZoom(const ReportData& data, const Theme& theme, QSizeF available, int rowAxis,
                             int columnAxis, Zoom maxZoom)
{
    const QSizeF room = available - QSizeF(padding, padding);
    const LogicalGridGeometry::Margins margins = marginsFor(data, theme, rowAxis, columnAxis);
    const Zoom whole = LogicalGridGeometry::fitZoom(shapeOf(data), rowAxis, columnAxis, cellSize(data, theme),
                                                    margins, room, maxZoom);
    const Zoom readable = std::min(readableZoom, maxZoom);
    if (whole >= readable)
        return whole;
    // The whole array fits only with cells too small for their values (tile labels and gaps do not
    // shrink; in the window's third of the height a 5-D array's headers alone nearly fill it). A
    // small array is better read: at the least readable zoom, if the picture then is a few screens,
    // not a mile.
    const QSizeF at =
        LogicalGridGeometry(shapeOf(data), rowAxis, columnAxis, cellSize(data, theme), readable, margins)
            .size();
    const bool few = at.width() <= room.width() * readableScreens &&
                     at.height() <= room.height() * readableScreens &&
                     at.width() * at.height() <= room.width() * room.height() * readableArea;
    return few ? readable : whole;
}

QSizeF LogicalPainter::size() const
{
    if (!m_data->hasSource())
        return {360, 40};
    const QSizeF cells = m_geometry.size() + QSizeF(padding, padding);
    return {std::max(cells.width(), m_headerWidth), cells.height()};
}

ElementIndex LogicalPainter::tileBase(qint64 tile) const
{
    if (m_geometry.kind() != LogicalGridGeometry::Kind::Tiles)
        return 0;
    const auto index = m_geometry.tileIndex(tile);
    ElementIndex base = 0;
    for (int d : m_geometry.outerAxes())
        base += index[d] * m_weights[d];
    return base;
}

QString LogicalPainter::tileLabel(const LogicalGridGeometry& geometry, qint64 tile)
{
    const std::vector<Extent> index = geometry.tileIndex(tile);
    QStringList parts;
    for (std::size_t d = 0; d < index.size(); ++d)
        parts << ((int(d) == geometry.rowAxis() || int(d) == geometry.columnAxis())
                      ? QStringLiteral(":")
                      : QString::number(index[d]));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

std::vector<LogicalPainter::IndexLabel> LogicalPainter::tileLabels(const QRectF& visible) const
{
    std::vector<IndexLabel> labels;
    if (m_geometry.kind() != LogicalGridGeometry::Kind::Tiles || m_geometry.packedTiles())
        return labels;
    // Not packed: headers are at least a label wide, so the visible tiles are few.
    const LogicalGridGeometry::TileRange tiles = m_geometry.visibleTiles(visible);
    for (qint64 tr = tiles.rowFirst; tr < tiles.rowEnd; ++tr)
        for (qint64 tc = tiles.columnFirst; tc < tiles.columnEnd; ++tc) {
            const qint64 tile = m_geometry.tileAt(tr, tc);
            if (tile < 0)
                continue;
            const QRectF header = m_geometry.tileHeaderRect(tile);
            if (header.intersects(visible))
                labels.push_back({header, Qt::AlignLeft | Qt::AlignVCenter, tileLabel(m_geometry, tile)});
        }
    return labels;
}

QString LogicalPainter::axisText(const ReportData& data, int axis)
{
    const auto& sub = data.sourceLayout().suboffsets();
    const bool pointer = sub && axis < int(sub->size()) && (*sub)[axis] >= 0;
    return QStringLiteral("axis %1 \u00B7 stride %2 B%3")
        .arg(axis)
        .arg(data.sourceLayout().strides()[axis])
        .arg(pointer ? QStringLiteral(" to a pointer slot (suboffsets)") : QString());
}

QRectF LogicalPainter::cellRect(ElementIndex element) const
{
    return m_geometry.cellRect(m_data->unravel(element));
}

void LogicalPainter::paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
                           PictureCache* cache) const
{
    painter.save();
    if (!m_data->hasSource()) {
        painter.setFont(m_theme.labelFont());
        painter.setPen(m_theme.mutedText());
        painter.drawText(QRectF(padding, padding, 600, 24), Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("No elements: the object exports no buffer."));
        painter.restore();
        return;
    }
    paintLabels(painter, visible);
    if (m_geometry.kind() == LogicalGridGeometry::Kind::Empty) {
        const QRectF box = m_geometry.placeholderRect();
        painter.setPen(QPen(m_theme.grid(), 1, Qt::DashLine));
        painter.setBrush(m_theme.panel());
        painter.drawRect(box);
        painter.setPen(m_theme.text());
        painter.setFont(m_theme.labelFont());
        painter.drawText(box, Qt::AlignCenter, QStringLiteral("empty (extent 0): no elements"));
        painter.restore();
        return;
    }
    if (m_aggregated)
        paintAggregate(painter, visible, cache);
    else
        paintDetail(painter, visible);
    paintHighlight(painter, visible, target);
    painter.restore();
}

void LogicalPainter::paintLabels(QPainter& painter, const QRectF& visible) const
{
    using Kind = LogicalGridGeometry::Kind;
    const QFont font = m_theme.labelFont();
    const QFontMetricsF fm(font);
    const qreal line = std::ceil(fm.height()) + 2;
    painter.setFont(font);
    const Kind kind = m_geometry.kind();
    qreal y = padding;
    for (int i = 0; i < m_header.size(); ++i) {
        // The last lines name the tile axes (or the only axis), the first one says what was packed:
        // in the text colour, the rest muted.
        const bool axisLine = kind != Kind::Scalar && kind != Kind::Empty && i == m_header.size() - 1;
        const bool note = i == 0 && m_geometry.packedTiles();
        painter.setPen(axisLine || note ? m_theme.text() : m_theme.mutedText());
        painter.drawText(QRectF(padding, y, m_headerWidth - padding, line), Qt::AlignLeft | Qt::AlignVCenter,
                         fm.elidedText(m_header[i], Qt::ElideRight, m_headerWidth - 2 * padding));
        y += line;
    }
    painter.setPen(m_theme.mutedText());
    for (const IndexLabel& label : indexLabels(visible))
        painter.drawText(label.rect, label.alignment, label.text);
}

std::vector<LogicalPainter::IndexLabel> LogicalPainter::indexLabels(const QRectF& visible) const
{
    using Kind = LogicalGridGeometry::Kind;
    std::vector<IndexLabel> labels;
    const Kind kind = m_geometry.kind();
    if (!m_data->hasSource() || kind == Kind::Scalar || kind == Kind::Empty)
        return labels;
    const QFontMetricsF fm(m_theme.labelFont());
    const qreal line = std::ceil(fm.height()) + 2;
    const auto& m = m_geometry.margins();
    const qreal y = m.top - line;
    // Column numbers above every visible tile of the first tile row, row numbers left of the first
    // tile column. Only tiles wide (tall) enough for a number get numbers, so the count is bounded
    // by the pixels of `visible`, whatever the number of tiles.
    const QSizeF cell = m_geometry.cellSize();
    const qreal numberWidth =
        fm.horizontalAdvance(QString::number(std::max<Extent>(0, m_geometry.columns() - 1)));
    const Extent columnStep = labelStep(cell.width(), numberWidth + 6);
    const LogicalGridGeometry::TileRange tiles = m_geometry.visibleTiles(visible);
    const bool tileRowZeroVisible = tiles.rowFirst == 0 || visible.top() < m.top;
    qreal lastRight = -std::numeric_limits<qreal>::infinity();
    qreal lastBottom = -std::numeric_limits<qreal>::infinity();
    if (tileRowZeroVisible && m_geometry.columns() * cell.width() >= numberWidth + 6) {
        // Packed tiles: numbers over the first tile only ("0 0 0" over every tile says nothing).
        const qint64 columnEnd =
            m_geometry.packedTiles() ? std::min<qint64>(tiles.columnEnd, 1) : tiles.columnEnd;
        for (qint64 tc = tiles.columnFirst; tc < columnEnd; ++tc) {
            const qint64 top = m_geometry.tileAt(0, tc);
            if (top < 0)
                continue;
            const QRectF tile = m_geometry.tileRect(top);
            if (tile.right() < visible.left() || tile.left() > visible.right())
                continue;
            const Extent first =
                std::max<Extent>(0, Extent((visible.left() - tile.left()) / cell.width()) - 1);
            const Extent last = std::min<Extent>(m_geometry.columns() - 1,
                                                 Extent((visible.right() - tile.left()) / cell.width()) + 1);
            for (Extent c = first - first % columnStep; c <= last; c += columnStep) {
                // Packed tiles sit edge to edge: a number too close to the last one is left out.
                const QString text = QString::number(c);
                const qreal centre = tile.left() + (c + 0.5) * cell.width();
                const qreal half = fm.horizontalAdvance(text) / 2 + 2;
                if (centre - half < lastRight)
                    continue;
                lastRight = centre + half;
                labels.push_back({QRectF(centre - 40, y, 80, line), Qt::AlignHCenter | Qt::AlignVCenter,
                                  QString::number(c)});
            }
        }
    }
    if (kind == Kind::Row || m_geometry.rows() * cell.height() < fm.height())
        return labels;
    const qreal titleX = padding;
    const Extent rowStep = labelStep(cell.height(), fm.height());
    const bool tileColumnZeroVisible = tiles.columnFirst == 0 || visible.left() < m.left;
    if (!tileColumnZeroVisible)
        return labels;
    const qint64 rowEnd = m_geometry.packedTiles() ? std::min<qint64>(tiles.rowEnd, 1) : tiles.rowEnd;
    for (qint64 tr = tiles.rowFirst; tr < rowEnd; ++tr) {
        const qint64 leftmost = m_geometry.tileAt(tr, 0);
        if (leftmost < 0)
            continue;
        const QRectF tile = m_geometry.tileRect(leftmost);
        if (tile.bottom() < visible.top() || tile.top() > visible.bottom())
            continue;
        const Extent first = std::max<Extent>(0, Extent((visible.top() - tile.top()) / cell.height()) - 1);
        const Extent last = std::min<Extent>(m_geometry.rows() - 1,
                                             Extent((visible.bottom() - tile.top()) / cell.height()) + 1);
        for (Extent r = first - first % rowStep; r <= last; r += rowStep) {
            const qreal cy = tile.top() + (r + 0.5) * cell.height();
            if (cy - fm.height() / 2 < lastBottom)
                continue; // packed tile rows: too close to the number above
            lastBottom = cy + fm.height() / 2;
            labels.push_back({QRectF(titleX, cy - line / 2, m.left - titleX - 6, line),
                              Qt::AlignRight | Qt::AlignVCenter, QString::number(r)});
        }
    }
    return labels;
}

void LogicalPainter::paintDetail(QPainter& painter, const QRectF& visible) const
{
    const QSizeF cell = m_geometry.cellSize();
    const ElementIndex count = m_data->elementCount();
    const int rowAxis = m_geometry.rowAxis(), columnAxis = m_geometry.columnAxis();
    const ElementIndex rowWeight = rowAxis >= 0 ? m_weights[rowAxis] : 0;
    const ElementIndex columnWeight = columnAxis >= 0 ? m_weights[columnAxis] : 0;
    const qreal fontPixels = valueFontPixels();
    const bool showText = showsValues();
    const QFont font = sized(m_theme.monoFont(), fontPixels);
    const QFontMetricsF fm(font);
    const bool checkOutside = m_data->report().outsideMemory.has_value();
    const bool lines = cell.width() >= 8 && cell.height() >= 8;
    painter.setFont(font);
    CellTextCache texts(font, cell.width() - 4);
    for (const auto& t : m_geometry.visibleCells(visible)) {
        const ElementIndex base = tileBase(t.tile);
        const QRectF tile = m_geometry.tileRect(t.tile);
        for (Extent r = t.rowFirst; r < t.rowEnd; ++r) {
            for (Extent c = t.columnFirst; c < t.columnEnd; ++c) {
                const ElementIndex e = base + r * rowWeight + c * columnWeight;
                const QRectF rect(tile.left() + c * cell.width(), tile.top() + r * cell.height(),
                                  cell.width(), cell.height());
                const QColor fill = m_theme.elementColour(e, count);
                painter.fillRect(rect, fill);
                const bool outside = checkOutside && !m_data->elementInsideMemory(e);
                if (outside) {
                    painter.setPen(QPen(m_theme.outsideMemory(), 3));
                    painter.drawRect(rect.adjusted(2, 2, -2, -2));
                }
                if (showText) {
                    painter.setPen(m_theme.textOn(fill));
                    texts.drawCentred(painter, rect, m_data->valueText(e));
                }
            }
        }
        if (lines) {
            // Grid lines in the background colour: cells read as separate boxes in any palette.
            painter.setPen(QPen(m_theme.background(), 1));
            const qreal top = tile.top() + t.rowFirst * cell.height(),
                        bottom = tile.top() + t.rowEnd * cell.height();
            const qreal left = tile.left() + t.columnFirst * cell.width(),
                        right = tile.left() + t.columnEnd * cell.width();
            for (Extent c = t.columnFirst; c <= t.columnEnd; ++c)
                painter.drawLine(QPointF(tile.left() + c * cell.width(), top),
                                 QPointF(tile.left() + c * cell.width(), bottom));
            for (Extent r = t.rowFirst; r <= t.rowEnd; ++r)
                painter.drawLine(QPointF(left, tile.top() + r * cell.height()),
                                 QPointF(right, tile.top() + r * cell.height()));
        }
    }
    // Tile headers: the fixed indices, as Python would write the slice (visible tiles only).
    painter.setFont(m_theme.labelFont());
    painter.setPen(m_theme.text());
    const QFontMetricsF labelMetrics(m_theme.labelFont());
    for (const IndexLabel& label : tileLabels(visible))
        painter.drawText(label.rect, label.alignment,
                         labelMetrics.elidedText(label.text, Qt::ElideRight, label.rect.width()));
}

void LogicalPainter::paintAggregate(QPainter& painter, const QRectF& visible, PictureCache* cache) const
{
    const QRectF area = visible & QRectF(QPointF(0, 0), m_geometry.size());
    if (area.isEmpty())
        return;
    PixelPicture picture(
        painter, area,
        QStringLiteral("logical,%1,%2").arg(m_geometry.cellSize().width()).arg(m_theme.colourBlindSafe()),
        cache);
    if (picture.isDrawn())
        return;
    const QRectF pixels = picture.area(); // `area` widened to whole device pixels
    const qreal sx = picture.scaleX(), sy = picture.scaleY();
    const int w = picture.width(), h = picture.height();
    const ElementIndex count = m_data->elementCount();
    const int rowAxis = m_geometry.rowAxis(), columnAxis = m_geometry.columnAxis();
    const ElementIndex rowWeight = rowAxis >= 0 ? m_weights[rowAxis] : 0;
    const ElementIndex columnWeight = columnAxis >= 0 ? m_weights[columnAxis] : 0;
    const bool tiles = m_geometry.kind() == LogicalGridGeometry::Kind::Tiles;
    // Per pixel column: which tile column and cell column it shows (-1: a gap). Computed once.
    std::vector<qint64> tileColumnOf(std::size_t(w), -1);
    std::vector<Extent> columnOf(std::size_t(w), -1);
    for (int px = 0; px < w; ++px) {
        if (const auto place = m_geometry.columnAt(pixels.left() + (px + 0.5) / sx)) {
            tileColumnOf[px] = place->tile;
            columnOf[px] = place->cell;
        }
    }
    const double scale = Theme::paletteScale(count);
    // Scan lines are taken from bits() once: QImage::scanLine() is not safe to call from threads.
    uchar* const bits = picture.image().bits();
    const qsizetype stride = picture.image().bytesPerLine();
    RowBands::run(h, qint64(w) * h, [&](int rowFirst, int rowEnd) {
        for (int py = rowFirst; py < rowEnd; ++py) {
            const auto place = m_geometry.rowAt(pixels.top() + (py + 0.5) / sy);
            if (!place)
                continue;
            const qint64 tr = place->tile;
            const Extent r = place->cell;
            auto* line = reinterpret_cast<QRgb*>(bits + py * stride);
            qint64 lastTile = -1;
            ElementIndex base = 0;
            for (int px = 0; px < w; ++px) {
                if (tileColumnOf[px] < 0)
                    continue;
                const qint64 tile = tiles ? m_geometry.tileAt(tr, tileColumnOf[px]) : 0;
                if (tile < 0)
                    continue;
                if (tile != lastTile) {
                    base = tileBase(tile);
                    lastTile = tile;
                }
                line[px] = m_theme.paletteRgb(base + r * rowWeight + columnOf[px] * columnWeight, scale);
            }
        }
    });
    picture.finish(painter);
}

void LogicalPainter::paintHighlight(QPainter& painter, const QRectF& visible,
                                    const HighlightModel::Target& target) const
{
    const ReportData::Highlight h = m_data->resolve(target);
    if (h.elements.empty())
        return;
    painter.setBrush(Qt::NoBrush);
    std::size_t drawn = 0;
    for (ElementIndex e : h.elements) {
        if (++drawn > highlightLimit)
            break;
        QRectF r = cellRect(e);
        const qreal minimum = 6;
        if (r.width() < minimum)
            r.adjust(-(minimum - r.width()) / 2, 0, (minimum - r.width()) / 2, 0);
        if (r.height() < minimum)
            r.adjust(0, -(minimum - r.height()) / 2, 0, (minimum - r.height()) / 2);
        if (!r.intersects(visible))
            continue;
        painter.setPen(QPen(m_theme.highlight(), 3));
        painter.drawRect(r.adjusted(-0.5, -0.5, 0.5, 0.5));
        painter.setPen(QPen(m_theme.background(), 1));
        painter.drawRect(r.adjusted(2, 2, -2, -2));
    }
}

void LogicalPainter::paintStickyIndices(QPainter& painter, const QRectF& visible) const
{
    using Kind = LogicalGridGeometry::Kind;
    if (!m_data->hasSource() || (m_geometry.kind() != Kind::Grid && m_geometry.kind() != Kind::Row))
        return;
    const QFontMetricsF fm(m_theme.labelFont());
    const qreal line = std::ceil(fm.height()) + 2;
    const QRectF cells = m_geometry.tileRect(0);
    const QSizeF cell = m_geometry.cellSize();
    painter.save();
    painter.setFont(m_theme.labelFont());
    QColor band = m_theme.panel();
    band.setAlpha(235);
    const bool top = visible.top() > cells.top() - line;
    const bool left = m_geometry.kind() == Kind::Grid &&
                      visible.left() > cells.left() - m_geometry.margins().left + padding;
    const qreal leftWidth = m_geometry.margins().left - padding;
    if (top) {
        const QRectF strip(visible.left(), visible.top(), visible.width(), line);
        painter.fillRect(strip, band);
        painter.setPen(m_theme.mutedText());
        const qreal numberWidth =
            fm.horizontalAdvance(QString::number(std::max<Extent>(0, m_geometry.columns() - 1)));
        const Extent step = labelStep(cell.width(), numberWidth + 6);
        const Extent first = std::max<Extent>(0, Extent((visible.left() - cells.left()) / cell.width()));
        const Extent last = std::min<Extent>(m_geometry.columns() - 1,
                                             Extent((visible.right() - cells.left()) / cell.width()));
        for (Extent c = first - first % step; c <= last; c += step)
            painter.drawText(QRectF(cells.left() + (c + 0.5) * cell.width() - 40, strip.top(), 80, line),
                             Qt::AlignCenter, QString::number(c));
    }
    if (left) {
        const QRectF strip(visible.left(), visible.top() + (top ? line : 0), leftWidth, visible.height());
        painter.fillRect(strip, band);
        painter.setPen(m_theme.mutedText());
        const Extent step = labelStep(cell.height(), fm.height());
        const Extent first = std::max<Extent>(0, Extent((strip.top() - cells.top()) / cell.height()));
        const Extent last =
            std::min<Extent>(m_geometry.rows() - 1, Extent((visible.bottom() - cells.top()) / cell.height()));
        for (Extent r = first - first % step; r <= last; r += step) {
            const qreal cy = cells.top() + (r + 0.5) * cell.height();
            if (cy - line / 2 < strip.top())
                continue;
            painter.drawText(QRectF(strip.left(), cy - line / 2, leftWidth - 6, line),
                             Qt::AlignRight | Qt::AlignVCenter, QString::number(r));
        }
    }
    painter.restore();
}

HighlightModel::Target LogicalPainter::targetAt(QPointF point) const
{
    if (!m_data->hasSource())
        return {};
    const auto index = m_geometry.indexAt(point);
    if (!index)
        return {};
    HighlightModel::Target t;
    t.element = LogicalGridGeometry::linearIndex(m_geometry.shape(), *index);
    return t;
}

} // namespace stridescope
