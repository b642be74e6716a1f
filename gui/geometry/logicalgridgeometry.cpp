#include "logicalgridgeometry.h"

#include <algorithm>
#include <cmath>

namespace stridescope {

namespace {

constexpr PixelY minimumRowHeight = 12;
// A grid (or tile) zoomed out to fit keeps at least this many pixels across each of its two axes:
// a (64, 1000000) array would otherwise fit as a line thinner than a pixel and vanish.
constexpr qreal minimumGridSpan = 24;
constexpr qreal minimumTileSpan = 8; // tiles come many to a picture
// More tiles than this would make tile numbers lose precision in the doubles of pixel positions.
constexpr qint64 maximumTileCount = qint64(1) << 62;

} // namespace

LogicalGridGeometry::LogicalGridGeometry(std::vector<Extent> shape, int rowAxis, int columnAxis,
                                         QSizeF cellSize, Zoom zoom, Margins margins,
                                         bool keepThinGridsVisible)
    : m_shape(std::move(shape)), m_cell(cellSize * zoom), m_margins(margins)
{
    const int n = int(m_shape.size());
    if (std::find(m_shape.begin(), m_shape.end(), 0) != m_shape.end()) {
        m_kind = Kind::Empty;
        m_rows = m_columns = 0;
        m_tileCount = 0;
        return;
    }
    if (n == 0) {
        m_kind = Kind::Scalar;
        m_margins.tileHeader = 0;
        return;
    }
    if (n == 1) {
        m_kind = Kind::Row;
        m_columnAxis = 0;
        m_columns = m_shape[0];
        m_margins.tileHeader = 0;
        // A long row zoomed out to fit would be thinner than a pixel: keep it a visible band.
        m_cell.setHeight(std::max(m_cell.height(), std::min(cellSize.height(), minimumRowHeight)));
        return;
    }
    const bool valid =
        rowAxis >= 0 && rowAxis < n && columnAxis >= 0 && columnAxis < n && rowAxis != columnAxis;
    m_rowAxis = valid ? rowAxis : n - 2;
    m_columnAxis = valid ? columnAxis : n - 1;
    m_rows = m_shape[m_rowAxis];
    m_columns = m_shape[m_columnAxis];
    for (int d = 0; d < n; ++d)
        if (d != m_rowAxis && d != m_columnAxis)
            m_outerAxes.push_back(d);
    if (keepThinGridsVisible) {
        const qreal span = m_outerAxes.empty() ? minimumGridSpan : minimumTileSpan;
        m_cell.setWidth(std::max(m_cell.width(), std::min(cellSize.width(), span / double(m_columns))));
        m_cell.setHeight(std::max(m_cell.height(), std::min(cellSize.height(), span / double(m_rows))));
    }
    if (m_outerAxes.empty()) {
        m_kind = Kind::Grid;
        m_margins.tileHeader = 0;
        m_margins.tileGap = 0;
        return;
    }
    m_kind = Kind::Tiles;
    m_tileCount = 1;
    for (int d : m_outerAxes)
        if (__builtin_mul_overflow(m_tileCount, m_shape[d], &m_tileCount) || m_tileCount > maximumTileCount)
            m_tileCount = maximumTileCount; // only a shape of more than 2^62 elements gets here
    // Several outer axes: the last one runs across, so the tile grid reads like the array itself.
    // One outer axis: wrap the tiles into a block of roughly landscape shape (at zoom 1, so the
    // arrangement does not jump while zooming).
    const Extent lastOuter = m_shape[m_outerAxes.back()];
    const auto landscapeColumns = [&](double w, double h) {
        return std::clamp<qint64>(qint64(std::ceil(std::sqrt(double(m_tileCount) * h / w * 3.0))), 1,
                                  m_tileCount);
    };
    if (m_outerAxes.size() >= 2 && lastOuter <= 64)
        m_tileColumns = lastOuter;
    else
        m_tileColumns = landscapeColumns(m_columns * cellSize.width() + margins.tileGap,
                                         margins.tileHeader + m_rows * cellSize.height() + margins.tileGap);
    // Headers and gaps do not zoom: past a budget they alone would make the picture huge (a 62-D
    // broadcast has 2^60 tiles). Then the tiles are packed edge to edge, without headers, in C order
    // wrapped into a landscape block, and the picture keeps the size the cells give it.
    const double headersDown = double(tileRows()) * (margins.tileHeader + margins.tileGap);
    const double gapsAcross = double(std::min(m_tileColumns, m_tileCount)) * margins.tileGap;
    if (headersDown > maximumTileDecoration || gapsAcross > maximumTileDecoration) {
        m_packed = true;
        m_margins.tileHeader = 0;
        m_margins.tileGap = 0;
        m_cell = cellSize * zoom; // packed tiles form one mosaic: no tile needs a minimum span
        m_tileColumns = landscapeColumns(m_columns * cellSize.width(), m_rows * cellSize.height());
    }
}

Zoom LogicalGridGeometry::fitZoom(const std::vector<Extent>& shape, int rowAxis, int columnAxis,
                                  QSizeF cellSize, Margins margins, QSizeF available, Zoom maxZoom)
{
    // Width and height are linear in the zoom: fixed part + zoom * variable part.
    const LogicalGridGeometry one(shape, rowAxis, columnAxis, cellSize, 1.0, margins, false);
    const LogicalGridGeometry zero(shape, rowAxis, columnAxis, cellSize, 0.0, margins, false);
    const QSizeF fixed = zero.size();
    const QSizeF variable = one.size() - fixed;
    Zoom z = maxZoom;
    if (variable.width() > 0)
        z = std::min(z, (available.width() - fixed.width()) / variable.width());
    if (variable.height() > 0)
        z = std::min(z, (available.height() - fixed.height()) / variable.height());
    z = std::max(z, 1e-9);
    // Thin grids keep a minimum span, which the linear solution leaves out: where that makes the
    // tiles overflow, find the largest zoom that fits by bisection.
    auto fits = [&](Zoom zoom) {
        const QSizeF size = LogicalGridGeometry(shape, rowAxis, columnAxis, cellSize, zoom, margins).size();
        return size.width() <= available.width() + 1e-6 && size.height() <= available.height() + 1e-6;
    };
    if (fits(z) || !fits(1e-9))
        return z;
    Zoom low = 1e-9, high = z;
    for (int i = 0; i < 60; ++i) {
        const Zoom mid = (low + high) / 2;
        (fits(mid) ? low : high) = mid;
    }
    return low;
}

ElementIndex LogicalGridGeometry::linearIndex(const std::vector<Extent>& shape,
                                              const std::vector<Extent>& index)
{
    ElementIndex linear = 0;
    for (std::size_t d = 0; d < shape.size(); ++d)
        linear = linear * shape[d] + (d < index.size() ? index[d] : 0);
    return linear;
}

qint64 LogicalGridGeometry::tileRows() const
{
    if (m_tileCount == 0)
        return 0;
    return (m_tileCount + m_tileColumns - 1) / m_tileColumns;
}

QSizeF LogicalGridGeometry::size() const
{
    if (m_kind == Kind::Empty)
        return {m_margins.left + placeholderRect().width(), m_margins.top + placeholderRect().height()};
    const qint64 tr = tileRows();
    const qint64 tc = std::min(m_tileColumns, m_tileCount);
    return {m_margins.left + tc * tilePitchX() - (tc > 0 ? m_margins.tileGap : 0),
            m_margins.top + tr * tilePitchY() - (tr > 0 ? m_margins.tileGap : 0)};
}

std::vector<Extent> LogicalGridGeometry::tileIndex(qint64 tile) const
{
    std::vector<Extent> index(m_shape.size(), 0);
    for (auto it = m_outerAxes.rbegin(); it != m_outerAxes.rend(); ++it) {
        index[*it] = tile % m_shape[*it];
        tile /= m_shape[*it];
    }
    return index;
}

qint64 LogicalGridGeometry::tileOf(const std::vector<Extent>& index) const
{
    qint64 tile = 0;
    for (int d : m_outerAxes)
        tile = tile * m_shape[d] + index[d];
    return tile;
}

QRectF LogicalGridGeometry::tileRect(qint64 tile) const
{
    const qint64 tr = tile / m_tileColumns;
    const qint64 tc = tile % m_tileColumns;
    return {m_margins.left + tc * tilePitchX(), m_margins.top + tr * tilePitchY() + m_margins.tileHeader,
            m_columns * m_cell.width(), m_rows * m_cell.height()};
}

QRectF LogicalGridGeometry::tileHeaderRect(qint64 tile) const
{
    const QRectF cells = tileRect(tile);
    return {cells.left(), cells.top() - m_margins.tileHeader, cells.width(), m_margins.tileHeader};
}

QRectF LogicalGridGeometry::placeholderRect() const
{
    return {m_margins.left, m_margins.top, 220, 40};
}

QRectF LogicalGridGeometry::cellRect(const std::vector<Extent>& index) const
{
    const QRectF tile = tileRect(m_kind == Kind::Tiles ? tileOf(index) : 0);
    const Extent r = m_rowAxis >= 0 ? index[m_rowAxis] : 0;
    const Extent c = m_columnAxis >= 0 ? index[m_columnAxis] : 0;
    return {tile.left() + c * m_cell.width(), tile.top() + r * m_cell.height(), m_cell.width(),
            m_cell.height()};
}

std::optional<std::vector<Extent>> LogicalGridGeometry::indexAt(QPointF point) const
{
    if (m_kind == Kind::Empty || m_cell.isEmpty())
        return std::nullopt;
    const double x = point.x() - m_margins.left;
    const double y = point.y() - m_margins.top;
    if (x < 0 || y < 0)
        return std::nullopt;
    const double tcF = std::floor(x / tilePitchX());
    const double trF = std::floor(y / tilePitchY());
    if (tcF >= double(m_tileColumns) || trF >= double(tileRows()))
        return std::nullopt;
    const qint64 tile = qint64(trF) * m_tileColumns + qint64(tcF);
    if (tile >= m_tileCount)
        return std::nullopt;
    const QRectF cells = tileRect(tile);
    const double c = std::floor((point.x() - cells.left()) / m_cell.width());
    const double r = std::floor((point.y() - cells.top()) / m_cell.height());
    if (c < 0 || r < 0 || c >= double(m_columns) || r >= double(m_rows))
        return std::nullopt;
    std::vector<Extent> index = tileIndex(tile);
    if (m_rowAxis >= 0)
        index[m_rowAxis] = Extent(r);
    if (m_columnAxis >= 0)
        index[m_columnAxis] = Extent(c);
    return index;
}

LogicalGridGeometry::TileRange LogicalGridGeometry::visibleTiles(const QRectF& rect) const
{
    TileRange range;
    if (m_kind == Kind::Empty || rect.isEmpty() || tilePitchX() <= 0 || tilePitchY() <= 0)
        return range;
    range.columnFirst = clampedFloor((rect.left() - m_margins.left) / tilePitchX(), 0, m_tileColumns);
    range.columnEnd = clampedFloor((rect.right() - m_margins.left) / tilePitchX() + 1, 0, m_tileColumns);
    range.rowFirst = clampedFloor((rect.top() - m_margins.top) / tilePitchY(), 0, tileRows());
    range.rowEnd = clampedFloor((rect.bottom() - m_margins.top) / tilePitchY() + 1, 0, tileRows());
    return range;
}

std::vector<LogicalGridGeometry::TileCells> LogicalGridGeometry::visibleCells(const QRectF& rect) const
{
    std::vector<TileCells> out;
    if (m_kind == Kind::Empty || rect.isEmpty() || m_cell.isEmpty())
        return out;
    const TileRange tiles = visibleTiles(rect);
    const qint64 tcFirst = tiles.columnFirst, tcEnd = tiles.columnEnd;
    const qint64 trFirst = tiles.rowFirst, trEnd = tiles.rowEnd;
    for (qint64 tr = trFirst; tr < trEnd; ++tr) {
        for (qint64 tc = tcFirst; tc < tcEnd; ++tc) {
            const qint64 tile = tr * m_tileColumns + tc;
            if (tile >= m_tileCount)
                break;
            const QRectF cells = tileRect(tile);
            TileCells t;
            t.tile = tile;
            t.columnFirst = clampedFloor((rect.left() - cells.left()) / m_cell.width(), 0, m_columns);
            t.columnEnd =
                clampedFloor(std::ceil((rect.right() - cells.left()) / m_cell.width()), 0, m_columns);
            t.rowFirst = clampedFloor((rect.top() - cells.top()) / m_cell.height(), 0, m_rows);
            t.rowEnd = clampedFloor(std::ceil((rect.bottom() - cells.top()) / m_cell.height()), 0, m_rows);
            if (t.columnEnd > t.columnFirst && t.rowEnd > t.rowFirst)
                out.push_back(t);
        }
    }
    return out;
}

} // namespace stridescope
