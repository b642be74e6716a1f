#pragma once

#include "core/units.h"
#include "pixelunits.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <optional>
#include <utility>
#include <vector>

namespace stridescope {

// Where the bytes of a memory range sit in a hex-editor-like strip wrapped into rows. Rows start at
// multiples of bytesPerRow (counted from offset 0 of the block), so row offsets read "+0x0020"; bytes
// of the first and last row outside [first, end) are not part of the strip. Plain math, no widget.
class ByteStripGeometry
{
public:
    struct RowRange
    {
        qint64 first = 0; // first row
        qint64 end = 0;   // one past the last row
        bool isEmpty() const { return end <= first; }
        bool operator==(const RowRange&) const = default;
    };
    struct ByteRange
    {
        ByteOffset first = 0;
        ByteOffset end = 0;
        bool isEmpty() const { return end <= first; }
        bool operator==(const ByteRange&) const = default;
    };

    ByteStripGeometry() = default;
    // `cellSize` is the size of one byte at zoom 1; `origin` the top-left of row 0, column 0.
    ByteStripGeometry(ByteOffset first, ByteOffset end, ByteCount bytesPerRow, QSizeF cellSize, Zoom zoom,
                      QPointF origin = {});

    // The largest power of two of bytes that fits `width` at this cell width (at least 1, at most
    // the power of two that holds `byteCount`), so wrapped rows stay aligned to round offsets.
    static ByteCount bytesPerRowFor(PixelX width, PixelX cellWidth, ByteCount byteCount);
    // The largest zoom at which the whole range, wrapped for that zoom (or to `bytesPerRow` when
    // given), fits `available`; at most `maxZoom`.
    static Zoom fitZoom(ByteOffset first, ByteOffset end, QSizeF cellSize, QSizeF available,
                        Zoom maxZoom = 1.0, ByteCount bytesPerRow = 0);
    // One bytes-per-row for several strips shown together (memory and result), so that a byte sits
    // in the same column in each: the largest power of two every strip fits (each given as the width
    // of its cells and a cell's width at its zoom), at most the power of two that holds the longest.
    static ByteCount sharedBytesPerRow(const std::vector<std::pair<PixelX, PixelX>>& widthAndCell,
                                       ByteCount longest);

    ByteOffset first() const { return m_first; }
    ByteOffset end() const { return m_end; }
    ByteCount byteCount() const { return m_end - m_first; }
    ByteCount bytesPerRow() const { return m_bytesPerRow; }
    Zoom zoom() const { return m_zoom; }
    QSizeF cellSize() const { return m_cell; } // zoomed
    QPointF origin() const { return m_origin; }

    qint64 rowCount() const;
    ByteOffset rowStart(qint64 row) const { return m_firstRowStart + row * m_bytesPerRow; }
    qint64 rowOf(ByteOffset byte) const;
    ByteCount columnOf(ByteOffset byte) const;
    PixelY rowTop(qint64 row) const { return m_origin.y() + row * m_cell.height(); }
    PixelX columnLeft(ByteCount column) const { return m_origin.x() + column * m_cell.width(); }
    QSizeF size() const; // of the whole strip, rows times bytesPerRow cells
    QRectF rect() const { return {m_origin, size()}; }

    QRectF byteRect(ByteOffset byte) const;
    // The byte under `point`, nullopt outside the strip or outside [first, end).
    std::optional<ByteOffset> byteAt(QPointF point) const;
    // Rows and columns that intersect `rect` (clipped to the strip).
    RowRange visibleRows(const QRectF& rect) const;
    ByteRange visibleColumns(const QRectF& rect) const; // columns, as [first, end) within a row
    // Bytes from the first visible row's start to the last visible row's end, clipped to [first, end).
    ByteRange visibleBytes(const QRectF& rect) const;

private:
    ByteOffset m_first = 0;
    ByteOffset m_end = 0;
    ByteOffset m_firstRowStart = 0;
    ByteCount m_bytesPerRow = 16;
    Zoom m_zoom = 1.0;
    QSizeF m_cell{24, 20};
    QPointF m_origin;
};

} // namespace stridescope
