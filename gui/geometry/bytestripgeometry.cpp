#include "bytestripgeometry.h"

#include <algorithm>
#include <cmath>

namespace stridescope {

namespace {

// Floor division that rounds towards minus infinity (offsets before the block are negative).
qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

} // namespace

ByteStripGeometry::ByteStripGeometry(ByteOffset first, ByteOffset end, ByteCount bytesPerRow, QSizeF cellSize,
                                     Zoom zoom, QPointF origin)
    : m_first(first), m_end(std::max(first, end)), m_bytesPerRow(std::max<ByteCount>(1, bytesPerRow)),
      m_zoom(zoom), m_cell(cellSize * zoom), m_origin(origin)
{
    m_firstRowStart = floorDiv(m_first, m_bytesPerRow) * m_bytesPerRow;
}

ByteCount ByteStripGeometry::bytesPerRowFor(PixelX width, PixelX cellWidth, ByteCount byteCount)
{
    ByteCount cap = 1;
    while (cap < byteCount && cap < (ByteCount(1) << 40))
        cap *= 2;
    if (cellWidth <= 0)
        return cap;
    ByteCount n = 1;
    while (n * 2 <= cap && double(n * 2) * cellWidth <= width + 1e-9)
        n *= 2;
    return n;
}

ByteCount ByteStripGeometry::sharedBytesPerRow(const std::vector<std::pair<PixelX, PixelX>>& widthAndCell,
                                               ByteCount longest)
{
    ByteCount n = bytesPerRowFor(0, 0, longest); // the cap
    for (const auto& [width, cellWidth] : widthAndCell)
        n = std::min(n, bytesPerRowFor(width, cellWidth, longest));
    return std::max<ByteCount>(1, n);
}

Zoom ByteStripGeometry::fitZoom(ByteOffset first, ByteOffset end, QSizeF cellSize, QSizeF available,
                                Zoom maxZoom, ByteCount bytesPerRow)
{
    const ByteCount n = std::max<ByteCount>(1, end - first);
    if (available.isEmpty() || cellSize.isEmpty())
        return maxZoom;
    auto fits = [&](Zoom z) {
        const ByteCount bpr =
            bytesPerRow > 0 ? bytesPerRow : bytesPerRowFor(available.width(), cellSize.width() * z, n);
        const ByteStripGeometry g(first, end, bpr, cellSize, z);
        return g.size().width() <= available.width() + 1e-6 && g.size().height() <= available.height() + 1e-6;
    };
    // Start from the zoom at which the areas match, then step down until the wrapped strip fits
    // (wrapping to powers of two wastes at most half a row of width).
    Zoom z = std::min(maxZoom, std::sqrt(available.width() * available.height() /
                                         (double(n) * cellSize.width() * cellSize.height())));
    for (int i = 0; i < 200 && !fits(z); ++i)
        z /= 1.05;
    // And back up as far as it still fits: the first guess may be too cautious.
    for (int i = 0; i < 200 && z * 1.01 <= maxZoom && fits(z * 1.01); ++i)
        z *= 1.01;
    return z;
}

qint64 ByteStripGeometry::rowCount() const
{
    if (m_end <= m_first)
        return 0;
    return floorDiv(m_end - 1, m_bytesPerRow) - floorDiv(m_first, m_bytesPerRow) + 1;
}

qint64 ByteStripGeometry::rowOf(ByteOffset byte) const
{
    return floorDiv(byte - m_firstRowStart, m_bytesPerRow);
}

ByteCount ByteStripGeometry::columnOf(ByteOffset byte) const
{
    return (byte - m_firstRowStart) - rowOf(byte) * m_bytesPerRow;
}

QSizeF ByteStripGeometry::size() const
{
    const qint64 rows = rowCount();
    const ByteCount columns = rows == 1 ? m_end - m_firstRowStart : m_bytesPerRow;
    return {rows ? double(columns) * m_cell.width() : 0.0, double(rows) * m_cell.height()};
}

QRectF ByteStripGeometry::byteRect(ByteOffset byte) const
{
    return {columnLeft(columnOf(byte)), rowTop(rowOf(byte)), m_cell.width(), m_cell.height()};
}

std::optional<ByteOffset> ByteStripGeometry::byteAt(QPointF point) const
{
    const double x = (point.x() - m_origin.x()) / m_cell.width();
    const double y = (point.y() - m_origin.y()) / m_cell.height();
    if (!(x >= 0 && y >= 0 && x < double(m_bytesPerRow) && y < double(rowCount())))
        return std::nullopt;
    const ByteOffset byte = rowStart(qint64(y)) + ByteCount(x);
    if (byte < m_first || byte >= m_end)
        return std::nullopt;
    return byte;
}

ByteStripGeometry::RowRange ByteStripGeometry::visibleRows(const QRectF& rect) const
{
    const qint64 rows = rowCount();
    if (rows == 0 || rect.isEmpty())
        return {};
    const qint64 top = clampedFloor((rect.top() - m_origin.y()) / m_cell.height(), 0, rows);
    const qint64 bottom = clampedFloor(std::ceil((rect.bottom() - m_origin.y()) / m_cell.height()), 0, rows);
    return {top, std::max(top, bottom)};
}

ByteStripGeometry::ByteRange ByteStripGeometry::visibleColumns(const QRectF& rect) const
{
    if (rowCount() == 0 || rect.isEmpty())
        return {};
    const ByteCount columns = rowCount() == 1 ? m_end - m_firstRowStart : m_bytesPerRow;
    const qint64 left = clampedFloor((rect.left() - m_origin.x()) / m_cell.width(), 0, columns);
    const qint64 right = clampedFloor(std::ceil((rect.right() - m_origin.x()) / m_cell.width()), 0, columns);
    return {left, std::max(left, right)};
}

ByteStripGeometry::ByteRange ByteStripGeometry::visibleBytes(const QRectF& rect) const
{
    const RowRange rows = visibleRows(rect);
    if (rows.isEmpty() || visibleColumns(rect).isEmpty())
        return {};
    return {std::max(m_first, rowStart(rows.first)), std::min(m_end, rowStart(rows.end))};
}

} // namespace stridescope
