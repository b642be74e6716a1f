// Pixel math of the views, without widgets: byte strips and logical grids.
#include "gui/geometry/bytestripgeometry.h"
#include "gui/geometry/logicalgridgeometry.h"

#include <QtTest>

using namespace stridescope;

using Shape = std::vector<Extent>;
Q_DECLARE_METATYPE(Shape)
Q_DECLARE_METATYPE(std::optional<ByteOffset>)

namespace {

LogicalGridGeometry::Margins margins()
{
    LogicalGridGeometry::Margins m;
    m.left = 40;
    m.top = 30;
    m.tileHeader = 18;
    m.tileGap = 12;
    return m;
}

} // namespace

class TestGeometry : public QObject
{
    Q_OBJECT

private slots:
    // ---- byte strip --------------------------------------------------------------------------

    void bytesPerRow_data()
    {
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("cellWidth");
        QTest::addColumn<qint64>("byteCount");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("hex editor width") << 800.0 << 24.0 << qint64(1 << 20) << qint64(32);
        QTest::newRow("exactly 16 cells") << 384.0 << 24.0 << qint64(1000) << qint64(16);
        QTest::newRow("one pixel short of 16") << 383.0 << 24.0 << qint64(1000) << qint64(8);
        QTest::newRow("narrower than a cell") << 10.0 << 24.0 << qint64(1000) << qint64(1);
        QTest::newRow("small block caps the row") << 2000.0 << 24.0 << qint64(12) << qint64(16);
        QTest::newRow("zoomed out 4096x4096") << 800.0 << 0.18 << (qint64(1) << 24) << qint64(4096);
        QTest::newRow("one byte") << 800.0 << 24.0 << qint64(1) << qint64(1);
    }
    void bytesPerRow()
    {
        QFETCH(double, width);
        QFETCH(double, cellWidth);
        QFETCH(qint64, byteCount);
        QFETCH(qint64, expected);
        QCOMPARE(ByteStripGeometry::bytesPerRowFor(width, cellWidth, byteCount), expected);
    }

    void rowsAndSize_data()
    {
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<qint64>("bytesPerRow");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<QSizeF>("size");
        // cells are 24x20 at zoom 1, and the test uses zoom 2
        QTest::newRow("24 bytes in rows of 16")
            << qint64(0) << qint64(24) << qint64(16) << qint64(2) << QSizeF(16 * 48, 2 * 40);
        QTest::newRow("one short row keeps its width")
            << qint64(0) << qint64(12) << qint64(16) << qint64(1) << QSizeF(12 * 48, 40);
        QTest::newRow("exact rows") << qint64(0) << qint64(32) << qint64(16) << qint64(2)
                                    << QSizeF(16 * 48, 80);
        QTest::newRow("range before the block")
            << qint64(-4) << qint64(20) << qint64(16) << qint64(3) << QSizeF(16 * 48, 120);
        QTest::newRow("unaligned start")
            << qint64(10) << qint64(20) << qint64(16) << qint64(2) << QSizeF(16 * 48, 80);
        QTest::newRow("empty") << qint64(5) << qint64(5) << qint64(16) << qint64(0) << QSizeF(0, 0);
    }
    void rowsAndSize()
    {
        QFETCH(qint64, first);
        QFETCH(qint64, end);
        QFETCH(qint64, bytesPerRow);
        QFETCH(qint64, rows);
        QFETCH(QSizeF, size);
        const ByteStripGeometry g(first, end, bytesPerRow, QSizeF(24, 20), 2.0);
        QCOMPARE(g.rowCount(), rows);
        QCOMPARE(g.size(), size);
    }

    void byteToPoint_data()
    {
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("bytesPerRow");
        QTest::addColumn<qint64>("byte");
        QTest::addColumn<QRectF>("rect");
        // origin (100, 50), cells 24x20
        QTest::newRow("first byte") << qint64(0) << qint64(16) << qint64(0) << QRectF(100, 50, 24, 20);
        QTest::newRow("end of row 0")
            << qint64(0) << qint64(16) << qint64(15) << QRectF(100 + 15 * 24, 50, 24, 20);
        QTest::newRow("start of row 1") << qint64(0) << qint64(16) << qint64(16) << QRectF(100, 70, 24, 20);
        QTest::newRow("row 2 column 3")
            << qint64(0) << qint64(8) << qint64(19) << QRectF(100 + 3 * 24, 90, 24, 20);
        QTest::newRow("unaligned block start keeps columns")
            << qint64(10) << qint64(16) << qint64(10) << QRectF(100 + 10 * 24, 50, 24, 20);
        QTest::newRow("negative offsets")
            << qint64(-3) << qint64(16) << qint64(-1) << QRectF(100 + 15 * 24, 50, 24, 20);
        QTest::newRow("zero after negative")
            << qint64(-3) << qint64(16) << qint64(0) << QRectF(100, 70, 24, 20);
    }
    void byteToPoint()
    {
        QFETCH(qint64, first);
        QFETCH(qint64, bytesPerRow);
        QFETCH(qint64, byte);
        QFETCH(QRectF, rect);
        const ByteStripGeometry g(first, first + 100, bytesPerRow, QSizeF(24, 20), 1.0, QPointF(100, 50));
        QCOMPARE(g.byteRect(byte), rect);
        // And back: every point inside the cell maps to the byte.
        QCOMPARE(g.byteAt(rect.center()), std::optional<ByteOffset>(byte));
        QCOMPARE(g.byteAt(rect.topLeft()), std::optional<ByteOffset>(byte));
        QCOMPARE(g.byteAt(rect.bottomRight() - QPointF(0.01, 0.01)), std::optional<ByteOffset>(byte));
    }

    void pointOutside_data()
    {
        QTest::addColumn<QPointF>("point");
        // block [10, 40) in rows of 16 at the origin, cells 10x10
        QTest::newRow("left of the strip") << QPointF(-1, 5);
        QTest::newRow("above") << QPointF(5, -1);
        QTest::newRow("before first in row 0") << QPointF(95, 5); // column 9 = byte 9
        QTest::newRow("past end in last row") << QPointF(85, 25); // row 2 column 8 = byte 40
        QTest::newRow("right of the row") << QPointF(165, 15);
        QTest::newRow("below the last row") << QPointF(5, 35);
    }
    void pointOutside()
    {
        QFETCH(QPointF, point);
        const ByteStripGeometry g(10, 40, 16, QSizeF(10, 10), 1.0);
        QCOMPARE(g.byteAt(point), std::nullopt);
    }

    void visibleRange_data()
    {
        QTest::addColumn<QRectF>("rect");
        QTest::addColumn<qint64>("firstRow");
        QTest::addColumn<qint64>("endRow");
        QTest::addColumn<qint64>("firstByte");
        QTest::addColumn<qint64>("endByte");
        // block [0, 1000) in rows of 16, cells 10x10, origin (0, 0): 63 rows (the last holds 8 bytes)
        QTest::newRow("top rows") << QRectF(0, 0, 160, 25) << qint64(0) << qint64(3) << qint64(0)
                                  << qint64(48);
        QTest::newRow("a row boundary exactly")
            << QRectF(0, 10, 160, 10) << qint64(1) << qint64(2) << qint64(16) << qint64(32);
        QTest::newRow("middle") << QRectF(30, 105, 20, 20) << qint64(10) << qint64(13) << qint64(160)
                                << qint64(208);
        QTest::newRow("last row is clipped to the block")
            << QRectF(0, 600, 160, 100) << qint64(60) << qint64(63) << qint64(960) << qint64(1000);
        QTest::newRow("below the strip")
            << QRectF(0, 700, 160, 100) << qint64(63) << qint64(63) << qint64(0) << qint64(0);
        QTest::newRow("right of the strip")
            << QRectF(170, 0, 50, 50) << qint64(0) << qint64(5) << qint64(0) << qint64(0);
    }
    void visibleRange()
    {
        QFETCH(QRectF, rect);
        QFETCH(qint64, firstRow);
        QFETCH(qint64, endRow);
        QFETCH(qint64, firstByte);
        QFETCH(qint64, endByte);
        const ByteStripGeometry g(0, 1000, 16, QSizeF(10, 10), 1.0);
        const auto rows = g.visibleRows(rect);
        QCOMPARE(rows.first, firstRow);
        QCOMPARE(rows.end, endRow);
        const auto bytes = g.visibleBytes(rect);
        QCOMPARE(bytes.first, firstByte);
        QCOMPARE(bytes.end, endByte);
    }

    void stripFit_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QSizeF>("available");
        QTest::newRow("12 bytes stay at 1:1") << qint64(12) << QSizeF(800, 600);
        QTest::newRow("a page") << qint64(4096) << QSizeF(800, 600);
        QTest::newRow("16 MiB") << (qint64(1) << 24) << QSizeF(800, 600);
        QTest::newRow("tall window") << qint64(100000) << QSizeF(200, 900);
    }
    void stripFit()
    {
        QFETCH(qint64, bytes);
        QFETCH(QSizeF, available);
        const QSizeF cell(24, 20);
        auto sizeAt = [&](Zoom z) {
            const ByteCount bpr =
                ByteStripGeometry::bytesPerRowFor(available.width(), cell.width() * z, bytes);
            return ByteStripGeometry(0, bytes, bpr, cell, z).size();
        };
        const Zoom z = ByteStripGeometry::fitZoom(0, bytes, cell, available);
        QVERIFY(z > 0 && z <= 1.0);
        const QSizeF fitted = sizeAt(z);
        QVERIFY2(fitted.width() <= available.width() && fitted.height() <= available.height(),
                 qPrintable(QStringLiteral("%1 x %2").arg(fitted.width()).arg(fitted.height())));
        // Not needlessly small: a few percent more zoom overflows (or 1:1 was reached).
        if (z < 1.0) {
            const QSizeF bigger = sizeAt(z * 1.05);
            QVERIFY(bigger.width() > available.width() || bigger.height() > available.height());
        }
        // At least a quarter of the area is used.
        QVERIFY(z == 1.0 || fitted.width() * fitted.height() >= available.width() * available.height() / 4);
    }

    // ---- logical grid -------------------------------------------------------------------------

    void gridKind_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("columns");
        QTest::addColumn<qint64>("tiles");
        QTest::newRow("0-d") << Shape{} << int(LogicalGridGeometry::Kind::Scalar) << qint64(1) << qint64(1)
                             << qint64(1);
        QTest::newRow("1-D") << Shape{5} << int(LogicalGridGeometry::Kind::Row) << qint64(1) << qint64(5)
                             << qint64(1);
        QTest::newRow("2-D") << Shape{3, 4} << int(LogicalGridGeometry::Kind::Grid) << qint64(3) << qint64(4)
                             << qint64(1);
        QTest::newRow("3-D") << Shape{2, 3, 4} << int(LogicalGridGeometry::Kind::Tiles) << qint64(3)
                             << qint64(4) << qint64(2);
        QTest::newRow("4-D") << Shape{2, 5, 3, 4} << int(LogicalGridGeometry::Kind::Tiles) << qint64(3)
                             << qint64(4) << qint64(10);
        QTest::newRow("empty axis") << Shape{3, 0} << int(LogicalGridGeometry::Kind::Empty) << qint64(0)
                                    << qint64(0) << qint64(0);
    }
    void gridKind()
    {
        QFETCH(Shape, shape);
        QFETCH(int, kind);
        QFETCH(qint64, rows);
        QFETCH(qint64, columns);
        QFETCH(qint64, tiles);
        const LogicalGridGeometry g(shape, -1, -1, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(int(g.kind()), kind);
        QCOMPARE(g.rows(), rows);
        QCOMPARE(g.columns(), columns);
        QCOMPARE(g.tileCount(), tiles);
    }

    void cellToPoint_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<int>("rowAxis");
        QTest::addColumn<int>("columnAxis");
        QTest::addColumn<Shape>("index");
        QTest::addColumn<QRectF>("rect");
        // margins: left 40, top 30, tile header 18, gap 12; cells 40x20
        QTest::newRow("0-d") << Shape{} << -1 << -1 << Shape{} << QRectF(40, 30, 40, 20);
        QTest::newRow("1-D third cell") << Shape{5} << -1 << -1 << Shape{2} << QRectF(120, 30, 40, 20);
        QTest::newRow("2-D row 1 column 3")
            << Shape{3, 4} << -1 << -1 << Shape{1, 3} << QRectF(160, 50, 40, 20);
        // 3-D (2,3,4): 2 tiles of 3x4, pitch x = 4*40+12 = 172, pitch y = 18+60+12 = 90
        QTest::newRow("3-D tile 0") << Shape{2, 3, 4} << -1 << -1 << Shape{0, 2, 1} << QRectF(80, 88, 40, 20);
        QTest::newRow("3-D tile 1") << Shape{2, 3, 4} << -1 << -1 << Shape{1, 0, 0}
                                    << QRectF(212, 48, 40, 20);
        QTest::newRow("3-D tiles of axes 0 and 2") << Shape{2, 3, 4} << 0 << 2 << Shape{1, 2, 3}
                                                   << QRectF(160, 138, 40, 20); // 3 tiles wrap into 2 columns
        QTest::newRow("3-D transposed tile axes")
            << Shape{2, 3, 4} << 2 << 1 << Shape{1, 2, 3} << QRectF(40 + 132 + 80, 48 + 60, 40, 20);
    }
    void cellToPoint()
    {
        QFETCH(Shape, shape);
        QFETCH(int, rowAxis);
        QFETCH(int, columnAxis);
        QFETCH(Shape, index);
        QFETCH(QRectF, rect);
        const LogicalGridGeometry g(shape, rowAxis, columnAxis, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(g.cellRect(index), rect);
        QCOMPARE(g.indexAt(rect.center()), std::optional<Shape>(index));
        QCOMPARE(g.indexAt(rect.topLeft()), std::optional<Shape>(index));
    }

    void cellRoundTripEverywhere_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<int>("rowAxis");
        QTest::addColumn<int>("columnAxis");
        QTest::newRow("2-D") << Shape{3, 5} << -1 << -1;
        QTest::newRow("3-D") << Shape{3, 2, 4} << -1 << -1;
        QTest::newRow("3-D axes 2,0") << Shape{3, 2, 4} << 2 << 0;
        QTest::newRow("4-D") << Shape{2, 3, 2, 3} << -1 << -1;
        QTest::newRow("5-D axes 1,3") << Shape{2, 2, 3, 2, 2} << 1 << 3;
        QTest::newRow("5-D nested") << Shape{2, 2, 3, 4, 3} << -1 << -1;
        QTest::newRow("6-D nested") << Shape{2, 3, 2, 2, 3, 4} << -1 << -1;
    }
    void cellRoundTripEverywhere()
    {
        QFETCH(Shape, shape);
        QFETCH(int, rowAxis);
        QFETCH(int, columnAxis);
        const LogicalGridGeometry g(shape, rowAxis, columnAxis, QSizeF(30, 16), 0.75, margins());
        ElementIndex count = 1;
        for (Extent e : shape)
            count *= e;
        QSet<QPair<int, int>> seen; // no two elements share a cell
        for (ElementIndex e = 0; e < count; ++e) {
            Shape index(shape.size());
            ElementIndex rest = e;
            for (std::size_t d = shape.size(); d-- > 0;) {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            QCOMPARE(LogicalGridGeometry::linearIndex(shape, index), e);
            const QRectF r = g.cellRect(index);
            QVERIFY(QRectF(QPointF(0, 0), g.size()).contains(r));
            QCOMPARE(g.indexAt(r.center()), std::optional<Shape>(index));
            const auto key = qMakePair(int(r.x()), int(r.y()));
            QVERIFY(!seen.contains(key));
            seen.insert(key);
        }
    }

    void gapsHitNothing()
    {
        const LogicalGridGeometry g(Shape{2, 3, 4}, -1, -1, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(g.indexAt(QPointF(10, 10)), std::nullopt);           // label gutter
        QCOMPARE(g.indexAt(QPointF(40 + 160 + 6, 60)), std::nullopt); // gap between tiles
        QCOMPARE(g.indexAt(QPointF(220, 35)), std::nullopt);          // tile header
        QCOMPARE(g.indexAt(QPointF(5000, 5000)), std::nullopt);
    }

    void longRowStaysVisible()
    {
        const LogicalGridGeometry g(Shape{1000000}, -1, -1, QSizeF(40, 20), 0.001, margins());
        QCOMPARE(g.cellSize().height(), 12.0);
        QCOMPARE(g.cellSize().width(), 0.04);
        QCOMPARE(g.indexAt(QPointF(40 + 0.04 * 500000 + 0.01, 35)), std::optional<Shape>(Shape{500000}));
    }

    void tileIndices()
    {
        const LogicalGridGeometry g(Shape{2, 5, 3, 4}, -1, -1, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(g.tileColumns(), qint64(5)); // the last outer axis runs across
        QCOMPARE(g.tileRows(), qint64(2));
        QCOMPARE(g.tileIndex(7), (Shape{1, 2, 0, 0}));
        QCOMPARE(g.tileOf(Shape{1, 2, 2, 3}), qint64(7));
        QCOMPARE(g.tileHeaderRect(7).bottom(), g.tileRect(7).top());
    }

    void visibleCells_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<QRectF>("rect");
        QTest::addColumn<QList<qint64>>("expected"); // tile, rowFirst, rowEnd, columnFirst, columnEnd, ...
        // cells 40x20 after margins left 40 top 30
        QTest::newRow("2-D top-left")
            << Shape{10, 10} << QRectF(0, 0, 100, 45) << QList<qint64>{0, 0, 1, 0, 2};
        QTest::newRow("2-D inner") << Shape{10, 10} << QRectF(130, 75, 60, 30)
                                   << QList<qint64>{0, 2, 4, 2, 4};
        QTest::newRow("2-D nothing") << Shape{10, 10} << QRectF(0, 0, 30, 20) << QList<qint64>{};
        QTest::newRow("3-D across two tiles")
            << Shape{2, 3, 4} << QRectF(150, 48, 80, 20) << QList<qint64>{0, 0, 1, 2, 4, 1, 0, 1, 0, 1};
        QTest::newRow("3-D whole") << Shape{2, 3, 4} << QRectF(0, 0, 1000, 1000)
                                   << QList<qint64>{0, 0, 3, 0, 4, 1, 0, 3, 0, 4};
    }
    void visibleCells()
    {
        QFETCH(Shape, shape);
        QFETCH(QRectF, rect);
        QFETCH(QList<qint64>, expected);
        const LogicalGridGeometry g(shape, -1, -1, QSizeF(40, 20), 1.0, margins());
        QList<qint64> got;
        for (const auto& t : g.visibleCells(rect))
            got << t.tile << t.rowFirst << t.rowEnd << t.columnFirst << t.columnEnd;
        QCOMPARE(got, expected);
    }

    // Tile headers and gaps do not zoom: past maximumTileDecoration pixels of them nested tiles are
    // wrapped in C order instead, and past it again packed edge to edge, so a 62-D broadcast (2^60
    // tiles) has a size a picture can hold.
    void manyTilesArePacked_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<bool>("packed");
        QTest::addColumn<qint64>("tiles");
        QTest::addColumn<bool>("nested");
        // Two tile columns (axis 1), 34 or 35 tile rows (axis 0): a header and gap of 30 px each.
        QTest::newRow("34 rows of tiles: 1008 px of headers")
            << Shape{34, 2, 2, 2} << false << qint64(68) << true;
        QTest::newRow("35 rows of tiles: 1038 px, wrapped instead")
            << Shape{35, 2, 2, 2} << false << qint64(70) << false;
        QTest::newRow("16-D") << Shape(16, 2) << true << (qint64(1) << 14) << false;
        QTest::newRow("62-D") << Shape(62, 2) << true << (qint64(1) << 60) << false;
    }
    void manyTilesArePacked()
    {
        QFETCH(Shape, shape);
        QFETCH(bool, packed);
        QFETCH(qint64, tiles);
        QFETCH(bool, nested);
        const LogicalGridGeometry g(shape, -1, -1, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(g.packedTiles(), packed);
        QCOMPARE(!g.acrossAxes().empty(), nested);
        QVERIFY(g.tileRows() * g.tileColumns() >= tiles);
        QCOMPARE(g.tileCount(), tiles);
        QCOMPARE(g.margins().tileHeader, packed ? 0.0 : 18.0);
        const QSizeF available(800, 600);
        const Zoom z = LogicalGridGeometry::fitZoom(shape, -1, -1, QSizeF(40, 20), margins(), available);
        const LogicalGridGeometry fitted(shape, -1, -1, QSizeF(40, 20), z, margins());
        // Packed, nothing is left that does not zoom: the block fits (1020 px of headers cannot).
        if (packed)
            QVERIFY2(
                fitted.size().width() <= available.width() + 1e-6 &&
                    fitted.size().height() <= available.height() + 1e-6,
                qPrintable(QStringLiteral("%1 x %2").arg(fitted.size().width()).arg(fitted.size().height())));
        // A point inside the packed block still names its element, in the last tile too.
        const QRectF last = fitted.tileRect(tiles - 1);
        const auto index = fitted.indexAt(last.center());
        QVERIFY(index.has_value());
        QCOMPARE(fitted.tileOf(*index), tiles - 1);
    }

    // Outer axes alternate, from the innermost out, between tile columns and tile rows; each level
    // out has a wider gap. 5-D (2, 2, 3, 4, 3): axis 2 across, axis 1 down, axis 0 across again.
    void nestedTilesGrowBothWays_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<qint64>("tileColumns");
        QTest::addColumn<qint64>("tileRows");
        QTest::newRow("4-D") << Shape{2, 2, 3, 4} << qint64(2) << qint64(2);
        QTest::newRow("5-D") << Shape{2, 2, 3, 4, 3} << qint64(6) << qint64(2);
        QTest::newRow("6-D") << Shape{2, 3, 2, 2, 3, 4} << qint64(6) << qint64(4);
    }
    void nestedTilesGrowBothWays()
    {
        QFETCH(Shape, shape);
        QFETCH(qint64, tileColumns);
        QFETCH(qint64, tileRows);
        const LogicalGridGeometry g(shape, -1, -1, QSizeF(40, 20), 1.0, margins());
        QCOMPARE(g.tileColumns(), tileColumns);
        QCOMPARE(g.tileRows(), tileRows);
        QCOMPARE(g.acrossAxes().front(), int(shape.size()) - 3); // the innermost outer axis runs across
        QSet<QPair<qint64, qint64>> places;
        for (qint64 tile = 0; tile < g.tileCount(); ++tile) {
            const qint64 row = g.tileRowOf(tile), column = g.tileColumnOf(tile);
            QCOMPARE(g.tileAt(row, column), tile);
            QVERIFY(!places.contains({row, column}));
            places.insert({row, column});
            const std::vector<Extent> index = g.tileIndex(tile);
            // Along each axis that runs across (down), the next index is the next tile to the right
            // (below), further apart the further out the axis is.
            for (const auto& [axes, across] :
                 {std::pair{g.acrossAxes(), true}, std::pair{g.downAxes(), false}}) {
                qreal previousGap = 0;
                for (int axis : axes) {
                    if (index[axis] + 1 >= shape[axis])
                        break;
                    std::vector<Extent> next = index;
                    ++next[axis];
                    const QRectF a = g.tileHeaderRect(tile).united(g.tileRect(tile));
                    const QRectF b = g.tileHeaderRect(g.tileOf(next)).united(g.tileRect(g.tileOf(next)));
                    const qreal gap = across ? b.left() - a.right() : b.top() - a.bottom();
                    QVERIFY2(gap >= margins().tileGap - 1e-9 && gap > previousGap,
                             qPrintable(QStringLiteral("axis %1: gap %2").arg(axis).arg(gap)));
                    QCOMPARE(across ? b.top() : b.left(), across ? a.top() : a.left());
                    previousGap = gap;
                    break; // the innermost axis that can step; outer ones are checked from other tiles
                }
            }
        }
        // Tiles never overlap: every cell of every tile hits back to itself.
        for (qint64 tile = 0; tile < g.tileCount(); ++tile) {
            std::vector<Extent> index = g.tileIndex(tile);
            index[shape.size() - 1] = shape.back() - 1;
            index[shape.size() - 2] = shape[shape.size() - 2] - 1;
            QCOMPARE(g.indexAt(g.cellRect(index).center()), std::optional<Shape>(index));
        }
    }

    // Outer levels have wider gaps than inner ones: the 5-D picture reads as two blocks of three.
    void outerLevelsHaveWiderGaps()
    {
        const LogicalGridGeometry g(Shape{2, 2, 3, 4, 3}, -1, -1, QSizeF(40, 20), 1.0, margins());
        const qreal inner =
            g.tileRect(g.tileOf({0, 0, 1, 0, 0})).left() - g.tileRect(g.tileOf({0, 0, 0, 0, 0})).right();
        const qreal outer =
            g.tileRect(g.tileOf({1, 0, 0, 0, 0})).left() - g.tileRect(g.tileOf({0, 0, 2, 0, 0})).right();
        QCOMPARE(inner, margins().tileGap);
        QVERIFY(outer > inner);
        // A tile is at least as wide as its header needs.
        LogicalGridGeometry::Margins wide = margins();
        wide.tileMinimumWidth = 140;
        const LogicalGridGeometry labelled(Shape{2, 2, 3, 4, 3}, -1, -1, QSizeF(40, 20), 1.0, wide);
        QVERIFY(!labelled.packedTiles());
        QCOMPARE(labelled.tileHeaderRect(0).width(), 140.0);
        QVERIFY(labelled.tileRect(1).left() - labelled.tileRect(0).left() >= 140 + wide.tileGap);
    }

    void gridFit_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::newRow("small 2-D") << Shape{3, 4};
        QTest::newRow("4096x4096") << Shape{4096, 4096};
        QTest::newRow("long row") << Shape{100000};
        QTest::newRow("3-D") << Shape{6, 20, 30};
        QTest::newRow("wide and flat") << Shape{64, 1000000};
        QTest::newRow("tall and narrow") << Shape{999979, 64};
        QTest::newRow("tiles of thin grids") << Shape{4, 3, 100000};
        QTest::newRow("many tiles of thin grids") << Shape{12, 3, 100000};
        QTest::newRow("5-D nested") << Shape{2, 2, 3, 4, 3};
    }
    void gridFit()
    {
        QFETCH(Shape, shape);
        const QSizeF available(800, 600);
        const Zoom z = LogicalGridGeometry::fitZoom(shape, -1, -1, QSizeF(40, 20), margins(), available);
        QVERIFY(z > 0 && z <= 1.0);
        const QSizeF fitted = LogicalGridGeometry(shape, -1, -1, QSizeF(40, 20), z, margins()).size();
        // Every row can fit: labels, headers and the least a thin tile keeps leave room.
        const QSizeF least = LogicalGridGeometry(shape, -1, -1, QSizeF(40, 20), 1e-9, margins()).size();
        QVERIFY(least.width() <= available.width() && least.height() <= available.height());
        QVERIFY(fitted.width() <= available.width() + 1e-6);
        QVERIFY(fitted.height() <= available.height() + 1e-6);
        QVERIFY(z == 1.0 || fitted.width() >= available.width() - 1 ||
                fitted.height() >= available.height() - 1);
        // Both axes of every tile stay visible: a (64, 1000000) grid fitted is a band, not a hairline.
        const LogicalGridGeometry g(shape, -1, -1, QSizeF(40, 20), z, margins());
        if (g.kind() == LogicalGridGeometry::Kind::Grid || g.kind() == LogicalGridGeometry::Kind::Tiles) {
            const QRectF tile = g.tileRect(0);
            const qreal span = g.kind() == LogicalGridGeometry::Kind::Grid ? 24 : 8;
            QVERIFY2(tile.width() >= span - 1e-9 && tile.height() >= span - 1e-9,
                     qPrintable(QStringLiteral("tile %1 x %2 px").arg(tile.width()).arg(tile.height())));
        }
    }
};

QTEST_APPLESS_MAIN(TestGeometry)
#include "tst_geometry.moc"
