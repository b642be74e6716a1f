#pragma once

#include "core/units.h"
#include "pixelunits.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <optional>
#include <vector>

namespace stridescope {

// Where the elements of a shape sit in the logical view: 0-d one cell, 1-D a row, 2-D a grid,
// 3-D and up 2-D tiles (two chosen axes inside a tile, the others fixed per tile). One outer axis:
// its tiles wrap into a landscape block. Several: the tiles nest, the outer axes alternating from the
// innermost out between across and down (4-D: tile columns by the last outer axis, tile rows by the
// first; 5-D: blocks of those side by side), each level with a wider gap, so the picture grows in
// both directions. Cells scale with the zoom; label gutters, tile headers and gaps do not (text
// stays readable). Plain math, no widget.
class LogicalGridGeometry
{
public:
    enum class Kind
    {
        Scalar,
        Row,
        Grid,
        Tiles,
        Empty
    };

    struct Margins
    {
        PixelX left = 0;             // room for row labels, left of the cells
        PixelY top = 0;              // room for column labels, above the cells
        PixelY tileHeader = 0;       // above each tile, for its fixed indices
        PixelX tileGap = 0;          // between tiles, both directions (wider between nested blocks)
        PixelX tileMinimumWidth = 0; // a tile is at least this wide, so its header fits above it
    };

    // The cells of one tile that intersect a rectangle.
    struct TileCells
    {
        qint64 tile = 0;
        Extent rowFirst = 0;
        Extent rowEnd = 0;
        Extent columnFirst = 0;
        Extent columnEnd = 0;
        bool operator==(const TileCells&) const = default;
    };

    // A range of tiles: rows and columns of the tile grid, first included, end excluded.
    struct TileRange
    {
        qint64 rowFirst = 0;
        qint64 rowEnd = 0;
        qint64 columnFirst = 0;
        qint64 columnEnd = 0;
    };

    // Tile headers and gaps take at most this many pixels down or across; past it the tiles are
    // packed edge to edge without them (see packedTiles()).
    static constexpr qreal maximumTileDecoration = 1024;

    LogicalGridGeometry() = default;
    // rowAxis/columnAxis choose the tile axes for ndim >= 3 (invalid or equal: the last two axes);
    // `cellSize` is the size of one cell at zoom 1.
    // `keepThinGridsVisible`: a grid zoomed out below minimumGridSpan pixels across an axis keeps
    // that span (fitZoom turns it off to solve the zoom, which is linear without it).
    LogicalGridGeometry(std::vector<Extent> shape, int rowAxis, int columnAxis, QSizeF cellSize, Zoom zoom,
                        Margins margins, bool keepThinGridsVisible = true);

    static Zoom fitZoom(const std::vector<Extent>& shape, int rowAxis, int columnAxis, QSizeF cellSize,
                        Margins margins, QSizeF available, Zoom maxZoom = 1.0);
    // Position of a multi-index in logical C order.
    static ElementIndex linearIndex(const std::vector<Extent>& shape, const std::vector<Extent>& index);

    Kind kind() const { return m_kind; }
    const std::vector<Extent>& shape() const { return m_shape; }
    int rowAxis() const { return m_rowAxis; }       // -1 for ndim < 2
    int columnAxis() const { return m_columnAxis; } // -1 for ndim 0
    const std::vector<int>& outerAxes() const { return m_outerAxes; }
    Extent rows() const { return m_rows; }       // per tile
    Extent columns() const { return m_columns; } // per tile
    qint64 tileCount() const { return m_tileCount; }
    qint64 tileColumns() const { return m_tileColumns; }
    qint64 tileRows() const { return m_tileRows; }
    // The outer axes whose index picks the tile column (row), innermost first; empty when the
    // tiles are wrapped in C order instead of nested (one outer axis, or packed).
    const std::vector<int>& acrossAxes() const { return m_acrossAxes; }
    const std::vector<int>& downAxes() const { return m_downAxes; }
    // Too many tiles to draw apart: no headers, no gaps, wrapped into a landscape block.
    bool packedTiles() const { return m_packed; }
    QSizeF cellSize() const { return m_cell; } // zoomed
    const Margins& margins() const { return m_margins; }
    QSizeF size() const;

    // The multi-index of a tile's first cell (tile axes at 0).
    std::vector<Extent> tileIndex(qint64 tile) const;
    qint64 tileOf(const std::vector<Extent>& index) const;
    // The tile at a place of the tile grid, or -1 where there is none (the end of a wrapped block).
    qint64 tileAt(qint64 tileRow, qint64 tileColumn) const;
    qint64 tileRowOf(qint64 tile) const;
    qint64 tileColumnOf(qint64 tile) const;
    // The tile column and cell column under a pixel column (nullopt: a gutter, gap or beyond);
    // likewise the tile row and cell row under a pixel row (a header is not a row).
    struct Place
    {
        qint64 tile = 0; // tile column (row)
        Extent cell = 0; // cell column (row) inside the tile
    };
    std::optional<Place> columnAt(PixelX x) const;
    std::optional<Place> rowAt(PixelY y) const;
    QRectF tileRect(qint64 tile) const;       // the cells only
    QRectF tileHeaderRect(qint64 tile) const; // the strip above them
    QRectF placeholderRect() const;           // Kind::Empty: where "empty (extent 0)" goes
    QRectF cellRect(const std::vector<Extent>& index) const;
    std::optional<std::vector<Extent>> indexAt(QPointF point) const;
    std::vector<TileCells> visibleCells(const QRectF& rect) const;
    // The tiles (with their headers) that intersect a rectangle, computed, not searched.
    TileRange visibleTiles(const QRectF& rect) const;

private:
    // One level of tile nesting in one direction: `count` blocks of the level below, each `block`
    // pixels long, `pitch` (block + this level's gap) apart.
    struct Level
    {
        qint64 count = 1;
        qreal block = 0;
        qreal pitch = 0;
    };
    static std::vector<Level> levels(const std::vector<qint64>& counts, qreal tile, qreal gap);
    static qreal span(const std::vector<Level>& levels, qreal tile);
    static qreal offset(const std::vector<Level>& levels, qint64 place);
    // The place whose block starts at or before `v` (clamped), or with `exact` nullopt in a gap.
    static std::optional<qint64> placeAt(const std::vector<Level>& levels, qreal v, bool exact);
    // Places the tiles (nested when acrossAxes is set, else wrapped); false when what does not zoom
    // would be longer than maximumTileDecoration.
    bool layOut(QSizeF cellSize);
    qreal tileWidth() const;
    qreal tileHeight() const;

    std::vector<Extent> m_shape;
    Kind m_kind = Kind::Scalar;
    int m_rowAxis = -1;
    int m_columnAxis = -1;
    std::vector<int> m_outerAxes;
    Extent m_rows = 1;
    Extent m_columns = 1;
    qint64 m_tileCount = 1;
    qint64 m_tileColumns = 1;
    qint64 m_tileRows = 1;
    std::vector<int> m_acrossAxes;
    std::vector<int> m_downAxes;
    std::vector<Level> m_levelsX;
    std::vector<Level> m_levelsY;
    bool m_packed = false;
    QSizeF m_cell{48, 24};
    Margins m_margins;
};

} // namespace stridescope
