#include "memorystrippainter.h"

#include "reporttext.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace stridescope {

namespace {

constexpr qreal padding = 6;
constexpr qreal arrowWidth = 56; // between a pointer slot and its row, at zoom 1
constexpr qreal lineGap = 6;     // between the lines of a PIL-style picture

void drawArrow(QPainter& painter, QPointF from, QPointF to, const QColor& colour)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour, 1.5));
    QPainterPath path(from);
    const qreal midX = (from.x() + to.x()) / 2;
    path.cubicTo(QPointF(midX, from.y()), QPointF(midX, to.y()), to);
    painter.drawPath(path);
    QPolygonF head;
    head << to << to - QPointF(7, 4) << to - QPointF(7, -4);
    painter.setBrush(colour);
    painter.drawPolygon(head);
    painter.restore();
}

} // namespace

MemoryStripPainter::MemoryStripPainter(const ReportData& data, const Theme& theme, Zoom zoom,
                                       PixelX availableWidth, const Options& options)
    : m_data(&data), m_theme(theme), m_zoom(zoom), m_options(options)
{
    m_options.legend = m_options.legend && data.hasSource(); // nothing to explain without bytes
    m_top = m_options.legend ? legendHeight(theme) : 0;
    m_indirect = data.hasSource() && !data.indirectRows().empty();
    if (m_indirect)
        layOutIndirect(availableWidth);
    else
        layOut(availableWidth);
    for (const Segment& s : m_segments)
        m_sampled =
            m_sampled ||
            ByteStripPainter(s.geometry, s.content, m_theme).drawsSamples(data.sourceOverviewAtHand());
    if (m_options.legend)
        m_size.setWidth(std::max(m_size.width(),
                                 paintLegend(nullptr, {}, theme, false, data.hasFieldLayout(), m_sampled)));
}

StripContent MemoryStripPainter::sourceContent(const ReportData& data)
{
    StripContent c;
    c.owners = &data.sourceOwners();
    c.elementCount = data.elementCount();
    c.itemSize = data.sourceLayout().itemSize();
    c.format = data.hasFieldLayout() ? data.itemFormat() : nullptr;
    c.byteValue = [&data](ByteOffset b) { return data.sourceByte(b); };
    c.elementOffset = [&data](ElementIndex e) { return data.elementOffset(e); };
    c.memoryFirst = 0;
    c.memoryEnd = data.blockSize();
    c.bufOffset = data.bufOffset();
    if (data.sourceCoverage().isValid())
        c.coverage = &data.sourceCoverage();
    return c;
}

void MemoryStripPainter::layOut(PixelX availableWidth)
{
    m_segments.clear();
    if (!m_data->hasSource()) {
        m_size = QSizeF(std::max<qreal>(availableWidth, 200), m_top + 40);
        return;
    }
    const ByteOffset first = m_data->displayFirst(), end = m_data->displayEnd();
    const PixelX gutter = ByteStripPainter::gutterWidth(first, end, m_theme);
    const QSizeF cell = ByteStripPainter::cellSize();
    const ByteCount bpr =
        m_options.bytesPerRow > 0
            ? m_options.bytesPerRow
            : ByteStripGeometry::bytesPerRowFor(cellsWidth(*m_data, m_theme, availableWidth),
                                                cell.width() * m_zoom, end - first);
    Segment s;
    s.geometry = ByteStripGeometry(first, end, bpr, cell, m_zoom, QPointF(gutter, m_top + padding + 4));
    s.content = sourceContent(*m_data);
    s.content.bufLabel = m_options.bufLabel;
    const ReportData* data = m_data;
    s.content.overview = [data] { return data->sourceOverviewForFrame(); };
    m_segments.push_back(s);
    m_size =
        QSizeF(gutter + s.geometry.size().width() + padding,
               s.geometry.rect().bottom() + ByteStripPainter::gutterOverhang(s.geometry, m_theme) + padding);
}

void MemoryStripPainter::layOutIndirect(PixelX availableWidth)
{
    m_segments.clear();
    const auto& rows = m_data->indirectRows();
    const ByteCount ptr = m_data->pointerSize();
    const QSizeF cell = ByteStripPainter::cellSize();
    ByteOffset widest = m_data->blockSize();
    for (const auto& r : rows)
        widest = std::max({widest, std::abs(r.slot), std::abs(r.slot + ptr)});
    const PixelX gutter = ByteStripPainter::gutterWidth(0, widest, m_theme);
    const QFontMetricsF fm(m_theme.labelFont());
    const qreal caption = std::ceil(fm.height()) + 2;
    // The slot column holds the slot's cells and, above them, its caption: the rows start right of
    // both, so no caption runs into another at any zoom.
    qreal slotColumn = ptr * cell.width() * m_zoom;
    for (const auto& r : rows)
        slotColumn = std::max(slotColumn, fm.horizontalAdvance(slotCaption(*m_data, r)) + lineGap);
    const PixelX rowLeft = gutter + slotColumn + arrowWidth;
    qreal y = m_top + padding + caption + 4; // below the "pointer table" title
    qreal right = 0;                         // of the cells and their captions; the title is added below
    StripContent slotContent = sourceContent(*m_data);
    slotContent.owners = nullptr; // pointer slots are not elements
    slotContent.elementOffset = nullptr;
    for (const auto& r : rows) {
        const qreal cells = y + caption;
        Segment slot;
        slot.geometry = ByteStripGeometry(r.slot, r.slot + ptr, ptr, cell, m_zoom, QPointF(gutter, cells));
        slot.content = slotContent;
        // buf points at the table: its marker goes on the slot it points into, once.
        const ByteOffset buf = m_data->bufOffset();
        slot.content.bufOffset = buf >= r.slot && buf < r.slot + ptr ? buf : -1;
        slot.caption = slotCaption(*m_data, r);
        // The slot's cells hold the pointer's real bytes (they change from run to run with address
        // space layout randomisation); the captions say where it leads relative to the block.
        const QRectF slotRect = slot.geometry.rect();
        Segment row;
        const ByteCount span = std::max<ByteCount>(1, r.end - r.first);
        const ByteCount bpr = ByteStripGeometry::bytesPerRowFor(availableWidth - rowLeft - padding,
                                                                cell.width() * m_zoom, span);
        row.geometry = ByteStripGeometry(r.first, r.first + span, bpr, cell, m_zoom, QPointF(rowLeft, cells));
        row.content = sourceContent(*m_data);
        // A row may live in a block of its own (another exporter's rows): red only outside that block.
        if (const auto block = m_data->blockAround(r.first)) {
            row.content.memoryFirst = block->first;
            row.content.memoryEnd = block->second;
        }
        row.content.bufOffset = -1;
        row.content.gutter = false; // the caption names the offset; the arrow runs where a gutter would be
        const bool apart = r.target && !m_data->insideBlock(r.first) && m_data->blockAround(r.first);
        row.caption =
            !r.target ? QStringLiteral("row %1: pointer unreadable").arg(r.index)
            : apart   ? QStringLiteral("row %1 at %2, in a block of its own")
                          .arg(r.index)
                          .arg(ReportText::offsetText(*r.target))
                    : QStringLiteral("row %1 at %2").arg(r.index).arg(ReportText::offsetText(*r.target));
        if (r.target) {
            slot.arrowFrom = QPointF(slotRect.right() + 4, slotRect.top() + slotRect.height() / 2);
            slot.arrowTo =
                QPointF(rowLeft - 3, row.geometry.rowTop(0) + row.geometry.cellSize().height() / 2);
        }
        right = std::max({right, row.geometry.rect().right(), rowLeft + fm.horizontalAdvance(row.caption)});
        y = std::max(slotRect.bottom(), row.geometry.rect().bottom()) + lineGap;
        m_segments.push_back(slot);
        m_segments.push_back(row);
    }
    m_cellsWidth = right + padding;
    m_size =
        QSizeF(std::max(m_cellsWidth, gutter + fm.horizontalAdvance(tableTitle()) + padding), y + padding);
}

QString MemoryStripPainter::slotCaption(const ReportData& data, const ReportData::IndirectRow& row)
{
    std::array<unsigned char, sizeof(void*)> bytes{};
    for (std::size_t k = 0; k < bytes.size(); ++k) {
        const auto b = data.sourceByte(row.slot + ByteOffset(k));
        if (!b)
            return QStringLiteral("slot %1: the address of row %1").arg(row.index);
        bytes[k] = *b;
    }
    std::uintptr_t pointer = 0;
    std::memcpy(&pointer, bytes.data(), sizeof pointer); // in the machine's own byte order
    return QStringLiteral("slot %1: 0x%2, the address of row %1").arg(row.index).arg(quint64(pointer), 0, 16);
}

PixelX MemoryStripPainter::cellsWidth(const ReportData& data, const Theme& theme, PixelX availableWidth)
{
    if (!data.hasSource() || !data.indirectRows().empty())
        return 0;
    return availableWidth - ByteStripPainter::gutterWidth(data.displayFirst(), data.displayEnd(), theme) -
           padding;
}

ByteStripPainter::ItemMarks MemoryStripPainter::itemMarks(const QRectF& visible) const
{
    ByteStripPainter::ItemMarks all;
    for (const Segment& s : m_segments) {
        auto marks = ByteStripPainter(s.geometry, s.content, m_theme).itemMarks(visible);
        all.fieldBoundaries.insert(all.fieldBoundaries.end(), marks.fieldBoundaries.begin(),
                                   marks.fieldBoundaries.end());
        all.padding.insert(all.padding.end(), marks.padding.begin(), marks.padding.end());
    }
    return all;
}

ByteCount MemoryStripPainter::bytesPerRow() const
{
    return m_indirect || m_segments.empty() ? 0 : m_segments.front().geometry.bytesPerRow();
}

QString MemoryStripPainter::noMemoryText(const ReportData& data)
{
    const auto& r = data.report();
    if (r.exportFailure)
        return QStringLiteral("No memory to show: the exporter refused the buffer request (%1: %2).")
            .arg(QString::fromStdString(r.exportFailure->first),
                 QString::fromStdString(r.exportFailure->second));
    return QStringLiteral("No memory to show: the object exports no buffer.");
}

QString MemoryStripPainter::tableTitle()
{
    return QStringLiteral("PIL-style buffer: axis 0 goes through a table of pointers (suboffsets)");
}

Zoom MemoryStripPainter::fitZoom(const ReportData& data, const Theme& theme, QSizeF available,
                                 const Options& options, Zoom maxZoom)
{
    if (!data.hasSource())
        return maxZoom;
    if (data.indirectRows().empty()) {
        const PixelX gutter = ByteStripPainter::gutterWidth(data.displayFirst(), data.displayEnd(), theme);
        const qreal top = (options.legend ? legendHeight(theme) : 0) + 2 * padding + 4;
        const QSizeF cell = ByteStripPainter::cellSize();
        const auto fit = [&](qreal height) {
            return ByteStripGeometry::fitZoom(data.displayFirst(), data.displayEnd(), cell,
                                              QSizeF(available.width() - gutter - 2 * padding, height),
                                              maxZoom, options.bytesPerRow);
        };
        // Rows lower than a gutter label leave it hanging below the strip: room for it then.
        const Zoom z = fit(available.height() - top);
        const qreal label = ByteStripPainter::gutterLabelHeight(theme);
        return cell.height() * z < label ? fit(available.height() - top - label) : z;
    }
    // A pointer table has one line per row (a few dozen at most): it is drawn at its natural size
    // or, when narrower space asks for it, smaller down to where the bytes are still written, and
    // scrolls vertically rather than shrinking to nothing. The window and `render` then draw it alike.
    const Zoom natural = std::min<Zoom>(maxZoom, 1.0);
    const Zoom readable = std::min(natural, ByteStripPainter::textZoom());
    Zoom z = natural;
    // The cells are fitted; the title line does not shrink with them and may need the scroll bar.
    while (z > readable &&
           MemoryStripPainter(data, theme, z, available.width(), options).m_cellsWidth > available.width())
        z /= 1.1;
    return std::max(z, readable);
}

qreal MemoryStripPainter::legendHeight(const Theme& theme)
{
    return QFontMetricsF(theme.labelFont()).height() + 10;
}

QString MemoryStripPainter::sampledText()
{
    return QStringLiteral("sampled: %1 bytes a pixel, not every byte").arg(ByteStripPainter::maxSamples);
}

qreal MemoryStripPainter::paintLegend(QPainter* painter, const QRectF& rect, const Theme& theme, bool copy,
                                      bool withPadding, bool sampled)
{
    if (painter)
        painter->save();
    const QFont font = theme.labelFont();
    const QFontMetricsF fm(font);
    if (painter)
        painter->setFont(font);
    const qreal h = fm.height();
    const qreal sw = h - 2; // swatch size
    qreal x = rect.left() + padding;
    const qreal y = rect.top() + (rect.height() - h) / 2;
    auto text = [&](const QString& t) {
        if (painter) {
            painter->setPen(theme.mutedText());
            painter->drawText(QRectF(x, y, fm.horizontalAdvance(t) + 1, h), Qt::AlignLeft | Qt::AlignVCenter,
                              t);
        }
        x += fm.horizontalAdvance(t) + 4;
    };
    auto swatch = [&](bool hatched, const QColor& base) {
        if (painter) {
            const QRectF r(x, y + 1, sw, sw);
            painter->fillRect(r, base);
            if (hatched)
                theme.paintHatch(*painter, r);
            painter->setPen(theme.grid());
            painter->drawRect(r);
        }
        x += sw + 4;
    };
    text(copy ? QStringLiteral("colour of the element copied here: first")
              : QStringLiteral("C order: first"));
    if (painter) {
        QLinearGradient gradient(x, 0, x + 60, 0);
        for (int i = 0; i <= 8; ++i)
            gradient.setColorAt(i / 8.0, theme.elementColour(i, 9));
        painter->fillRect(QRectF(x, y + 1, 60, sw), gradient);
    }
    x += 64;
    text(QStringLiteral("last"));
    if (!copy) {
        x += 8;
        swatch(true, theme.elementColour(0, 2));
        text(QStringLiteral("shared"));
        x += 8;
        swatch(false, theme.gap());
        text(QStringLiteral("gap"));
        x += 8;
        swatch(false, theme.outsideMemory());
        text(QStringLiteral("outside the block"));
    }
    if (withPadding) {
        x += 8;
        swatch(false, QColor::fromRgb(ByteStripPainter::paddingFill(theme.elementColour(0, 2).rgb(), theme)));
        text(QStringLiteral("padding"));
    }
    if (sampled) {
        x += 8;
        text(QStringLiteral("\u2014 ") + sampledText());
    }
    if (painter)
        painter->restore();
    return x - rect.left() + padding;
}

void MemoryStripPainter::paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
                               PictureCache* cache) const
{
    if (m_options.legend && visible.top() < m_top)
        paintLegend(&painter, QRectF(0, 0, m_size.width(), m_top), m_theme, false, m_data->hasFieldLayout(),
                    m_sampled);
    if (!m_data->hasSource()) {
        painter.setPen(m_theme.mutedText());
        painter.setFont(m_theme.labelFont());
        painter.drawText(QRectF(padding, m_top + padding, m_size.width(), 30),
                         Qt::AlignLeft | Qt::AlignVCenter, noMemoryText(*m_data));
        return;
    }
    const ReportData::Highlight highlight = m_data->resolve(target);
    const bool sourceByte = target.region == HighlightModel::Region::SourceMemory;
    const QFontMetricsF fm(m_theme.labelFont());
    for (std::size_t i = 0; i < m_segments.size(); ++i) {
        const Segment& s = m_segments[i];
        const QRectF rect = s.geometry.rect();
        const QRectF around = rect.adjusted(-400, -fm.height() - 4, 60, 8);
        if (!around.intersects(visible))
            continue;
        ByteStripPainter strip(s.geometry, s.content, m_theme);
        // Only the single big strip benefits from the cache; PIL-style pictures are small.
        strip.paint(painter, visible, m_segments.size() == 1 ? cache : nullptr);
        strip.paintHighlight(painter, visible, highlight, sourceByte);
        if (!s.caption.isEmpty()) {
            painter.setFont(m_theme.labelFont());
            painter.setPen(m_theme.mutedText());
            painter.drawText(captionBox(s, fm), Qt::AlignLeft | Qt::AlignBottom, s.caption);
        }
        if (!s.arrowFrom.isNull())
            drawArrow(painter, s.arrowFrom, s.arrowTo, m_theme.marker());
    }
    if (m_indirect && visible.top() < m_top + padding + fm.height() + 4) {
        painter.setFont(m_theme.labelFont());
        painter.setPen(m_theme.text());
        const QRectF first = m_segments.front().geometry.rect();
        painter.drawText(QRectF(first.left(), m_top + padding, 2000, fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, tableTitle());
    }
    if (m_options.extraMarker >= 0 && !m_indirect) {
        const Segment& s = m_segments.front();
        if (m_options.extraMarker >= s.geometry.first() && m_options.extraMarker < s.geometry.end()) {
            const QRectF cell = s.geometry.byteRect(m_options.extraMarker);
            painter.save();
            painter.setPen(QPen(m_theme.marker(), 2));
            painter.drawLine(cell.bottomLeft() + QPointF(0, 1),
                             cell.bottomLeft() + QPointF(std::max<qreal>(cell.width(), 8), 1));
            painter.restore();
        }
    }
}

QRectF MemoryStripPainter::captionBox(const Segment& s, const QFontMetricsF& fm)
{
    const QRectF rect = s.geometry.rect();
    return QRectF(rect.left(), rect.top() - fm.height() - 2, fm.horizontalAdvance(s.caption) + 1,
                  fm.height());
}

std::vector<QRectF> MemoryStripPainter::bufMarkers() const
{
    std::vector<QRectF> out;
    for (const Segment& s : m_segments) {
        const ByteOffset buf = s.content.bufOffset;
        if (buf >= s.geometry.first() && buf < s.geometry.end())
            out.push_back(s.geometry.byteRect(buf));
    }
    return out;
}

std::vector<QRectF> MemoryStripPainter::captionBoxes() const
{
    const QFontMetricsF fm(m_theme.labelFont());
    std::vector<QRectF> out;
    for (const Segment& s : m_segments)
        if (!s.caption.isEmpty())
            out.push_back(captionBox(s, fm));
    return out;
}

std::vector<QRectF> MemoryStripPainter::stripRects() const
{
    std::vector<QRectF> out;
    for (const Segment& s : m_segments)
        out.push_back(s.geometry.rect());
    return out;
}

HighlightModel::Target MemoryStripPainter::targetAt(QPointF point) const
{
    for (const Segment& s : m_segments) {
        if (auto byte = s.geometry.byteAt(point)) {
            HighlightModel::Target t;
            t.region = HighlightModel::Region::SourceMemory;
            t.byte = *byte;
            return t;
        }
    }
    return {};
}

std::optional<QRectF> MemoryStripPainter::byteRect(ByteOffset byte) const
{
    for (const Segment& s : m_segments)
        if (byte >= s.geometry.first() && byte < s.geometry.end())
            return s.geometry.byteRect(byte);
    return std::nullopt;
}

} // namespace stridescope
