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
        m_margins.tileMinimumWidth = 0;
        return;
    }
    if (n == 1) {
        m_kind = Kind::Row;
        m_columnAxis = 0;
        m_columns = m_shape[0];
        m_margins.tileHeader = 0;
        m_margins.tileMinimumWidth = 0;
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
        m_margins.tileMinimumWidth = 0;
        return;
    }
    m_kind = Kind::Tiles;
    m_tileCount = 1;
    for (int d : m_outerAxes)
        if (__builtin_mul_overflow(m_tileCount, m_shape[d], &m_tileCount) || m_tileCount > maximumTileCount)
            m_tileCount = maximumTileCount; // only a shape of more than 2^62 elements gets here
    // Headers, gaps and minimum widths do not zoom: past a budget they alone would make the picture
    // huge (a 62-D broadcast has 2^60 tiles). Several outer axes nest; nesting that would be too
    // long wraps the tiles in C order instead (as one outer axis does); wrapping that is still too
    // long packs them edge to edge, without headers, and the picture keeps the size the cells give it.
    if (m_outerAxes.size() >= 2) {
        for (std::size_t i = 0; i < m_outerAxes.size(); ++i)
            (i % 2 == 0 ? m_acrossAxes : m_downAxes).push_back(m_outerAxes[m_outerAxes.size() - 1 - i]);
        if (layOut(cellSize))
            return;
        m_acrossAxes.clear();
        m_downAxes.clear();
    }
    if (layOut(cellSize))
        return;
    m_packed = true;
    m_margins.tileHeader = 0;
    m_margins.tileGap = 0;
    m_margins.tileMinimumWidth = 0;
    m_cell = cellSize * zoom; // packed tiles form one mosaic: no tile needs a minimum span
    layOut(cellSize);
}

bool LogicalGridGeometry::layOut(QSizeF cellSize)
{
    std::vector<qint64> across, down;
    const auto product = [](const std::vector<qint64>& counts) {
        qint64 p = 1;
        for (qint64 c : counts)
            if (__builtin_mul_overflow(p, c, &p) || p > maximumTileCount)
                p = maximumTileCount;
        return p;
    };
    if (!m_acrossAxes.empty()) {
        for (int d : m_acrossAxes)
            across.push_back(m_shape[d]);
        for (int d : m_downAxes)
            down.push_back(m_shape[d]);
    } else {
        // Wrapped into a block of roughly landscape shape (at zoom 1, so the arrangement does not
        // jump while zooming).
        const double w =
            std::max(m_columns * cellSize.width(), m_margins.tileMinimumWidth) + m_margins.tileGap;
        const double h = m_margins.tileHeader + m_rows * cellSize.height() + m_margins.tileGap;
        const qint64 columns = std::clamp<qint64>(
            qint64(std::ceil(std::sqrt(double(m_tileCount) * h / w * 3.0))), 1, m_tileCount);
        across = {columns};
        down = {(m_tileCount + columns - 1) / columns};
    }
    m_tileColumns = product(across);
    m_tileRows = product(down);
    const qreal gap = m_margins.tileGap;
    m_levelsX = levels(across, tileWidth(), gap);
    m_levelsY = levels(down, tileHeight(), gap);
    // What does not zoom, measured with the cells left out.
    const qreal fixedAcross =
        span(levels(across, m_margins.tileMinimumWidth, gap), m_margins.tileMinimumWidth);
    const qreal fixedDown = span(levels(down, m_margins.tileHeader, gap), m_margins.tileHeader);
    return fixedAcross <= maximumTileDecoration && fixedDown <= maximumTileDecoration;
}

std::vector<LogicalGridGeometry::Level> LogicalGridGeometry::levels(const std::vector<qint64>& counts,
                                                                    qreal tile, qreal gap)
{
    // Each level out has a wider gap, so nested blocks read as groups.
    std::vector<Level> out;
    qreal block = tile;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const qreal levelGap = gap * (1 + 0.5 * double(i));
        Level l{counts[i], block, block + levelGap};
        out.push_back(l);
        block = double(l.count) * l.pitch - levelGap;
    }
    return out;
}

qreal LogicalGridGeometry::span(const std::vector<Level>& levels, qreal tile)
{
    if (levels.empty())
        return tile;
    const Level& top = levels.back();
    return double(top.count) * top.pitch - (top.pitch - top.block);
}

qreal LogicalGridGeometry::offset(const std::vector<Level>& levels, qint64 place)
{
    qreal at = 0;
    for (const Level& l : levels) {
        at += double(place % l.count) * l.pitch;
        place /= l.count;
    }
    return at;
}

std::optional<qint64> LogicalGridGeometry::placeAt(const std::vector<Level>& levels, qreal v, bool exact)
{
    if (!(v >= 0)) {
        if (exact)
            return std::nullopt;
        v = 0;
    }
    qint64 place = 0;
    for (auto it = levels.rbegin(); it != levels.rend(); ++it) {
        const double d = std::floor(v / it->pitch);
        if (exact && d >= double(it->count))
            return std::nullopt;
        const qint64 digit = clampedFloor(d, 0, it->count - 1);
        v -= double(digit) * it->pitch;
        if (exact && v >= it->block)
            return std::nullopt;
        place = place * it->count + digit;
    }
    return place;
}

qreal LogicalGridGeometry::tileWidth() const
{
    return std::max(m_columns * m_cell.width(), m_margins.tileMinimumWidth);
}

qreal LogicalGridGeometry::tileHeight() const
{
    return m_margins.tileHeader + m_rows * m_cell.height();
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

QSizeF LogicalGridGeometry::size() const
{
    if (m_kind == Kind::Empty)
        return {m_margins.left + placeholderRect().width(), m_margins.top + placeholderRect().height()};
    return {m_margins.left + span(m_levelsX, tileWidth()), m_margins.top + span(m_levelsY, tileHeight())};
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

qint64 LogicalGridGeometry::tileAt(qint64 tileRow, qint64 tileColumn) const
{
    if (tileRow < 0 || tileColumn < 0 || tileRow >= m_tileRows || tileColumn >= m_tileColumns)
        return -1;
    if (m_acrossAxes.empty()) {
        const qint64 tile = tileRow * m_tileColumns + tileColumn;
        return tile < m_tileCount ? tile : -1;
    }
    std::vector<Extent> index(m_shape.size(), 0);
    for (int d : m_acrossAxes) {
        index[d] = tileColumn % m_shape[d];
        tileColumn /= m_shape[d];
    }
    for (int d : m_downAxes) {
        index[d] = tileRow % m_shape[d];
        tileRow /= m_shape[d];
    }
    return tileOf(index);
}

qint64 LogicalGridGeometry::tileRowOf(qint64 tile) const
{
    if (m_acrossAxes.empty())
        return tile / m_tileColumns;
    const std::vector<Extent> index = tileIndex(tile);
    qint64 row = 0;
    for (auto it = m_downAxes.rbegin(); it != m_downAxes.rend(); ++it)
        row = row * m_shape[*it] + index[*it];
    return row;
}

qint64 LogicalGridGeometry::tileColumnOf(qint64 tile) const
{
    if (m_acrossAxes.empty())
        return tile % m_tileColumns;
    const std::vector<Extent> index = tileIndex(tile);
    qint64 column = 0;
    for (auto it = m_acrossAxes.rbegin(); it != m_acrossAxes.rend(); ++it)
        column = column * m_shape[*it] + index[*it];
    return column;
}

QRectF LogicalGridGeometry::tileRect(qint64 tile) const
{
    if (m_kind != Kind::Tiles)
        tile = 0;
    const qreal x = m_kind == Kind::Tiles ? offset(m_levelsX, tileColumnOf(tile)) : 0;
    const qreal y = m_kind == Kind::Tiles ? offset(m_levelsY, tileRowOf(tile)) : 0;
    return {m_margins.left + x, m_margins.top + y + m_margins.tileHeader, m_columns * m_cell.width(),
            m_rows * m_cell.height()};
}

QRectF LogicalGridGeometry::tileHeaderRect(qint64 tile) const
{
    const QRectF cells = tileRect(tile);
    return {cells.left(), cells.top() - m_margins.tileHeader, tileWidth(), m_margins.tileHeader};
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

std::optional<LogicalGridGeometry::Place> LogicalGridGeometry::columnAt(PixelX x) const
{
    if (m_kind == Kind::Empty || !(m_cell.width() > 0))
        return std::nullopt;
    x -= m_margins.left;
    const auto tile = placeAt(m_levelsX, x, true);
    if (!tile || !(x >= 0))
        return std::nullopt;
    const double c = std::floor((x - offset(m_levelsX, *tile)) / m_cell.width());
    if (!(c >= 0) || c >= double(m_columns))
        return std::nullopt;
    return Place{*tile, Extent(c)};
}

std::optional<LogicalGridGeometry::Place> LogicalGridGeometry::rowAt(PixelY y) const
{
    if (m_kind == Kind::Empty || !(m_cell.height() > 0))
        return std::nullopt;
    y -= m_margins.top;
    const auto tile = placeAt(m_levelsY, y, true);
    if (!tile || !(y >= 0))
        return std::nullopt;
    const double r = std::floor((y - offset(m_levelsY, *tile) - m_margins.tileHeader) / m_cell.height());
    if (!(r >= 0) || r >= double(m_rows))
        return std::nullopt;
    return Place{*tile, Extent(r)};
}

std::optional<std::vector<Extent>> LogicalGridGeometry::indexAt(QPointF point) const
{
    const auto column = columnAt(point.x());
    const auto row = rowAt(point.y());
    if (!column || !row)
        return std::nullopt;
    const qint64 tile = m_kind == Kind::Tiles ? tileAt(row->tile, column->tile) : 0;
    if (tile < 0)
        return std::nullopt;
    std::vector<Extent> index = tileIndex(tile);
    if (m_rowAxis >= 0)
        index[m_rowAxis] = row->cell;
    if (m_columnAxis >= 0)
        index[m_columnAxis] = column->cell;
    return index;
}

LogicalGridGeometry::TileRange LogicalGridGeometry::visibleTiles(const QRectF& rect) const
{
    TileRange range;
    if (m_kind == Kind::Empty || rect.isEmpty() || !(m_cell.width() > 0) || !(m_cell.height() > 0))
        return range;
    if (m_kind != Kind::Tiles) {
        range.rowEnd = range.columnEnd = 1;
        return range;
    }
    // Tiles that start at or before an edge: the first one may be cut, the last one only starts.
    range.columnFirst = *placeAt(m_levelsX, rect.left() - m_margins.left, false);
    range.columnEnd = *placeAt(m_levelsX, rect.right() - m_margins.left, false) + 1;
    range.rowFirst = *placeAt(m_levelsY, rect.top() - m_margins.top, false);
    range.rowEnd = *placeAt(m_levelsY, rect.bottom() - m_margins.top, false) + 1;
    return range;
}

std::vector<LogicalGridGeometry::TileCells> LogicalGridGeometry::visibleCells(const QRectF& rect) const
{
    std::vector<TileCells> out;
    if (m_kind == Kind::Empty || rect.isEmpty() || m_cell.isEmpty())
        return out;
    const TileRange tiles = visibleTiles(rect);
    for (qint64 tr = tiles.rowFirst; tr < tiles.rowEnd; ++tr) {
        for (qint64 tc = tiles.columnFirst; tc < tiles.columnEnd; ++tc) {
            const qint64 tile = tileAt(tr, tc);
            if (tile < 0)
                continue;
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
