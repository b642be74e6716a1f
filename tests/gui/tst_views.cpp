// The views as a user sees them: pixels of pictures painted by the same painters the widgets and
// ReportPicture use. Reports are made from core alone (SyntheticReport), so no interpreter is needed.
#include "core/copymap.h"
#include "gui/model/highlightmodel.h"
#include "gui/model/inspectionstate.h"
#include "gui/painting/byteownership.h"
#include "gui/painting/logicalpainter.h"
#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reportpicture.h"
#include "gui/painting/resultpainter.h"
#include "gui/painting/syntheticreport.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "gui/views/resultview.h"

#include <QApplication>
#include <QPainter>
#include <QScrollBar>
#include <QSet>
#include <QtTest>

#include <map>

using namespace stridescope;

using Shape = std::vector<Extent>;
using Strides = std::vector<ByteOffset>;
Q_DECLARE_METATYPE(Shape) // Strides is the same type

namespace {

std::shared_ptr<InspectionReport> makeReport(const std::string& format, Shape shape, Strides strides = {},
                                             ConversionRequest request = {}, bool readonly = false,
                                             bool indirect = false)
{
    SyntheticReport::Spec spec;
    spec.format = format;
    spec.shape = std::move(shape);
    spec.strides = std::move(strides);
    spec.request = request;
    spec.readonly = readonly;
    spec.indirect = indirect;
    return SyntheticReport::make(spec);
}

QImage blankImage(QSize size, const Theme& theme)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(theme.background());
    return image;
}

// A point inside a byte or cell away from its centred text, its borders and the `buf` flag (top left).
QPoint quietPoint(const QRectF& cell)
{
    return QPointF(cell.right() - 4, cell.top() + 2).toPoint();
}

QSet<QRgb> coloursAlong(const QImage& image, int y, int x0, int x1)
{
    QSet<QRgb> colours;
    for (int x = x0; x < x1; ++x)
        colours.insert(image.pixel(x, y));
    return colours;
}

int pixelsUnlike(const QImage& image, QRgb colour)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += image.pixel(x, y) != colour;
    return n;
}

// Owners of a byte by brute force: every element, in C order.
std::vector<ElementIndex> bruteOwners(const StridedLayout& layout, ByteOffset byte)
{
    std::vector<ElementIndex> out;
    const ElementIndex n = layout.elementCount().value_or(0);
    for (ElementIndex e = 0; e < n; ++e) {
        const auto off = layout.elementOffsetAt(e);
        if (off && *off <= byte && byte < *off + layout.itemSize())
            out.push_back(e);
    }
    return out;
}

} // namespace

class TestViews : public QObject
{
    Q_OBJECT

    Theme m_theme = Theme::light();

private slots:
    void initTestCase() { m_theme = Theme::light(); }

    // ---- the inverse map behind every byte colour ------------------------------------------

    void ownershipMatchesBruteForce_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::newRow("C order") << "h" << Shape{3, 4} << Strides{};
        QTest::newRow("transpose") << "B" << Shape{4, 3} << Strides{1, 4};
        QTest::newRow("every other column") << "i" << Shape{3, 2} << Strides{16, 8};
        QTest::newRow("reversed") << "h" << Shape{5} << Strides{-2};
        QTest::newRow("broadcast") << "h" << Shape{3, 4} << Strides{0, 2};
        QTest::newRow("sliding window") << "B" << Shape{5, 4} << Strides{1, 1};
        QTest::newRow("overlapping items") << "i" << Shape{6} << Strides{2};
        QTest::newRow("3-D permuted") << "B" << Shape{3, 2, 4} << Strides{4, 12, 1};
        QTest::newRow("negative and positive") << "h" << Shape{3, 3} << Strides{-6, 2};
        QTest::newRow("0-d") << "d" << Shape{} << Strides{};
        QTest::newRow("extent 1 odd stride") << "B" << Shape{1, 4} << Strides{7, 1};
    }
    void ownershipMatchesBruteForce()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        auto report = makeReport(format.toStdString(), shape, strides);
        const ReportData data(report);
        const StridedLayout& layout = data.sourceLayout();
        for (ByteOffset b = data.displayFirst() - 2; b < data.displayEnd() + 2; ++b) {
            const auto expected = bruteOwners(layout, b);
            const auto owners = data.sourceOwners().at(b);
            QCOMPARE(owners.count, ElementIndex(expected.size()));
            if (!expected.empty())
                QVERIFY(std::find(expected.begin(), expected.end(), owners.first) != expected.end());
            QCOMPARE(data.sourceOwners().elementsAt(b, 1000), expected);
        }
    }

    void copyOwnersMatchCopyMap()
    {
        auto report = makeReport("h", {4, 3, 2}, {2, 16, 8});
        const ReportData data(report);
        QVERIFY(data.copyLayout().has_value());
        const CopyMap map(data.sourceLayout(), *data.copyLayout());
        for (ByteOffset b = 0; b < data.copyLength(); ++b)
            QCOMPARE(data.copyOwners().at(b).first, map.elementAtDestination(b));
    }

    void offsetFormula_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<qint64>("element");
        QTest::addColumn<QString>("formula");
        QTest::newRow("issue example") << "h" << Shape{3, 4} << Strides{8, 2} << qint64(9)
                                       << QStringLiteral("offset = 0 + 2\u00B78 + 1\u00B72 = 18");
        QTest::newRow("negative stride")
            << "h" << Shape{3} << Strides{-2} << qint64(2) << QStringLiteral("offset = 4 + 2\u00B7(-2) = 0");
        QTest::newRow("3-D") << "B" << Shape{3, 2, 4} << Strides{4, 12, 1} << qint64(23)
                             << QStringLiteral("offset = 0 + 2\u00B74 + 1\u00B712 + 3\u00B71 = 23");
    }
    void offsetFormula()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        QFETCH(qint64, element);
        QFETCH(QString, formula);
        const ReportData data(makeReport(format.toStdString(), shape, strides));
        QCOMPARE(data.offsetFormula(element), formula);
    }

    void indirectFormulaFollowsThePointer()
    {
        const ReportData data(makeReport("B", {3, 4}, {}, {}, false, true));
        // Slot 1 sits at byte 8 and points to row 1 at byte 28 (3 slots of 8 bytes, rows of 4).
        QCOMPARE(data.offsetFormula(6),
                 QStringLiteral("offset = *(0 + 1\u00B78) + 2\u00B71 = 30, the pointer at 8 leads to 28"));
    }

    // ---- memory strip ------------------------------------------------------------------------

    void elementBytesCarryTheirColour()
    {
        const ReportData data(makeReport("h", {3, 4}, {2, 8})); // Fortran-like: columns contiguous
        const MemoryStripPainter strip(data, m_theme, 1.0, 800, {});
        QImage image = blankImage(strip.size().toSize(), m_theme);
        QPainter painter(&image);
        strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
        painter.end();
        for (ElementIndex e = 0; e < data.elementCount(); ++e) {
            const ByteOffset off = *data.elementOffset(e);
            for (ByteOffset b = off; b < off + 2; ++b) {
                const auto rect = strip.byteRect(b);
                QVERIFY(rect);
                QCOMPARE(QColor(image.pixel(quietPoint(*rect))),
                         m_theme.elementColour(e, data.elementCount()));
            }
        }
    }

    void gapBytesAreNeutral()
    {
        const ReportData data(makeReport("B", {3, 2}, {4, 2})); // every other byte is skipped
        const MemoryStripPainter strip(data, m_theme, 1.0, 800, {});
        QImage image = blankImage(strip.size().toSize(), m_theme);
        QPainter painter(&image);
        strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
        painter.end();
        int gaps = 0;
        for (ByteOffset b = 0; b < data.blockSize(); ++b) {
            const bool owned = !data.sourceOwners().at(b).isGap();
            const QColor pixel(image.pixel(quietPoint(*strip.byteRect(b))));
            if (owned) {
                QVERIFY(pixel != m_theme.gap());
            } else {
                QCOMPARE(pixel, m_theme.gap());
                ++gaps;
            }
        }
        QCOMPARE(gaps, 5); // bytes 1, 3, 5, 7, 9 (byte 11 lies past the last element)
    }

    void sharedBytesAreHatched()
    {
        // Zero stride: every byte belongs to three elements. Transpose: every byte to one.
        const ReportData shared(makeReport("B", {3, 4}, {0, 1}));
        const ReportData single(makeReport("B", {4, 3}, {1, 4}));
        for (const ReportData* data : {&shared, &single}) {
            const MemoryStripPainter strip(*data, m_theme, 1.0, 800, {});
            QImage image = blankImage(strip.size().toSize(), m_theme);
            QPainter painter(&image);
            strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
            painter.end();
            const QRectF r = *strip.byteRect(1);
            // The top rows of a byte hold no text: flat for a single owner, striped when shared.
            QSet<QRgb> colours;
            for (int y = int(r.top()) + 1; y < int(r.top()) + 3; ++y)
                colours += coloursAlong(image, y, int(r.left()) + 2, int(r.right()) - 2);
            if (data == &shared)
                QVERIFY2(colours.size() >= 2, "a shared byte must be hatched, not a flat fill");
            else
                QCOMPARE(colours.size(), 1);
        }
    }

    void elementsOutsideTheMemoryAreRed()
    {
        auto report = makeReport("B", {4});
        report->memory->size = 2; // the last two elements now lie past the block
        report->sourceLayout.setMemory(0, 2);
        report->sourceBytes.bytes.resize(2);
        report->outsideMemory = report->sourceLayout.outsideMemoryReason();
        const ReportData data(report);
        QCOMPARE(data.displayEnd(), ByteOffset(4));
        const MemoryStripPainter strip(data, m_theme, 1.0, 800, {});
        QImage image = blankImage(strip.size().toSize(), m_theme);
        QPainter painter(&image);
        strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
        painter.end();
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(1)))), m_theme.elementColour(1, 4));
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(2)))), m_theme.outsideMemory());
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(3)))), m_theme.outsideMemory());
    }

    void pilRowsAreSeparateBlocks()
    {
        const ReportData data(makeReport("B", {3, 4}, {}, {}, false, true));
        QCOMPARE(data.indirectRows().size(), std::size_t(3));
        const MemoryStripPainter strip(data, m_theme, 1.0, 900, {});
        QVERIFY(strip.isIndirect());
        QImage image = blankImage(strip.size().toSize(), m_theme);
        QPainter painter(&image);
        strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
        painter.end();
        for (ElementIndex e = 0; e < 12; ++e)
            QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(*data.elementOffset(e))))),
                     m_theme.elementColour(e, 12));
        // Each row is drawn on its own line, below the previous one, right of its slot.
        const QRectF slot1 = *strip.byteRect(data.indirectRows()[1].slot);
        const QRectF row0 = *strip.byteRect(*data.elementOffset(0));
        const QRectF row1 = *strip.byteRect(*data.elementOffset(4));
        QVERIFY(row1.top() > row0.bottom());
        QVERIFY(row1.left() > slot1.right());
        QCOMPARE(row1.top(), slot1.top());
        // Slots hold pointers, not elements: neutral.
        QCOMPARE(QColor(image.pixel(quietPoint(slot1))), m_theme.gap());
    }

    void hoveringAnElementChangesExactlyItsBytes()
    {
        InspectionState state;
        HighlightModel highlight;
        auto report = makeReport("h", {3, 4}, {2, 6}); // transposed-like: element bytes scattered
        state.setReport(report);
        MemoryStripView view(&state, &highlight);
        view.setTheme(m_theme);
        view.resize(900, 300);
        const QImage before = view.grab().toImage();
        const ElementIndex element = 5;
        highlight.hover({element, HighlightModel::Region::None, -1});
        const QImage after = view.grab().toImage();
        QCOMPARE(before.size(), after.size());

        const ReportData data(report);
        const MemoryStripPainter strip(data, m_theme, view.zoom(), view.viewport()->width(), {});
        const QPoint origin = view.viewport()->geometry().topLeft();
        const ByteOffset off = *data.elementOffset(element);
        QRectF bytes = strip.byteRect(off)->united(*strip.byteRect(off + 1)).translated(origin);
        const QRectF allowed = bytes.adjusted(-3, -3, 3, 3);
        int changed = 0;
        for (int y = 0; y < after.height(); ++y)
            for (int x = 0; x < after.width(); ++x)
                if (before.pixel(x, y) != after.pixel(x, y)) {
                    QVERIFY2(allowed.contains(QPointF(x + 0.5, y + 0.5)),
                             qPrintable(QStringLiteral("pixel (%1, %2) changed outside element %3's bytes")
                                            .arg(x)
                                            .arg(y)
                                            .arg(element)));
                    ++changed;
                }
        QVERIFY2(changed > 20, "hovering must outline the element's bytes");
        // Every byte of the element is outlined: pixels change along each of its cells' edges.
        for (ByteOffset b = off; b < off + 2; ++b) {
            const QRectF cell = strip.byteRect(b)->translated(origin);
            bool edge = false;
            for (int x = int(cell.left()) + 1; x < int(cell.right()) - 1; ++x)
                edge = edge || before.pixel(x, int(cell.top())) != after.pixel(x, int(cell.top()));
            QVERIFY(edge);
        }
    }

    void hoveringAByteHighlightsEveryElementReachingIt()
    {
        InspectionState state;
        HighlightModel highlight;
        auto report = makeReport("B", {3, 4}, {0, 1}); // broadcast: byte 2 is element [i, 2] for every i
        state.setReport(report);
        LogicalView view(&state, &highlight);
        view.setTheme(m_theme);
        view.resize(600, 300);
        const QImage before = view.grab().toImage();
        HighlightModel::Target target;
        target.region = HighlightModel::Region::SourceMemory;
        target.byte = 2;
        highlight.hover(target);
        const QImage after = view.grab().toImage();

        const ReportData data(report);
        QCOMPARE(data.resolve(target).elements, (std::vector<ElementIndex>{2, 6, 10}));
        const LogicalPainter painter(data, m_theme, view.zoom());
        const QPoint origin = view.viewport()->geometry().topLeft();
        for (ElementIndex e = 0; e < 12; ++e) {
            const QRectF cell = painter.cellRect(e).translated(origin);
            bool edge = false;
            // The outline runs along the top edge (a few pixels either side of it); neighbours'
            // outlines only reach a couple of pixels into the left and right ends.
            for (int y = int(cell.top()) - 1; y <= int(cell.top()) + 3; ++y)
                for (int x = int(cell.left()) + 5; x < int(cell.right()) - 5; ++x)
                    edge = edge || before.pixel(x, y) != after.pixel(x, y);
            QCOMPARE(edge, e == 2 || e == 6 || e == 10);
        }
        QVERIFY(data.describe(target).contains(QStringLiteral("shared by 3 elements")));
    }

    void clickPinsAndUnpins()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(makeReport("B", {4, 3}));
        LogicalView view(&state, &highlight);
        view.resize(500, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const ReportData data(state.report());
        const QPoint cell = LogicalPainter(data, view.theme(), view.zoom()).cellRect(4).center().toPoint();
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, cell);
        QCOMPARE(highlight.pinned().element, ElementIndex(4));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, cell);
        QVERIFY(highlight.pinned().isEmpty());
    }

    // ---- result -------------------------------------------------------------------------------

    void copyOfTransposeIsInCOrder()
    {
        const ReportData data(makeReport("B", {4, 3}, {1, 4}));
        QCOMPARE(data.outcome(), ConversionPrediction::Outcome::Copy);
        const ResultPainter result(data, m_theme, 1.0, 900);
        QImage image = blankImage(result.size().toSize(), m_theme);
        QPainter painter(&image);
        result.paint(painter, QRectF(QPointF(0, 0), result.size()), {});
        painter.end();
        for (ByteOffset b = 0; b < 12; ++b)
            QCOMPARE(QColor(image.pixel(quietPoint(*result.copyByteRect(b)))), m_theme.elementColour(b, 12));
        // ... while the source memory is not: byte 1 holds element [1, 0], the fourth in C order.
        const MemoryStripPainter source(data, m_theme, 1.0, 900, {});
        QImage src = blankImage(source.size().toSize(), m_theme);
        QPainter p2(&src);
        source.paint(p2, QRectF(QPointF(0, 0), source.size()), {});
        p2.end();
        QCOMPARE(QColor(src.pixel(quietPoint(*source.byteRect(1)))), m_theme.elementColour(3, 12));
    }

    void errorShowsWhyInWords()
    {
        ConversionRequest request;
        request.bufferType = ConversionRequest::BufferType::Write;
        auto report = makeReport("d", {3, 4}, {}, request, /*readonly*/ true);
        const ReportData data(report);
        QCOMPARE(data.outcome(), ConversionPrediction::Outcome::Error);
        const QSize size = ReportPicture::preferredSize(*report, ReportPicture::Result, m_theme);
        QImage image = blankImage(size, m_theme);
        QPainter painter(&image);
        ReportPicture::paint(painter, QRectF(QPointF(0, 0), size), *report, ReportPicture::Result, m_theme);
        painter.end();
        QVERIFY2(pixelsUnlike(image, m_theme.background().rgb()) > size.width() * 20,
                 "the error area is blank");
        // The accent bar of the banner is drawn in the error colour.
        bool accent = false;
        for (int y = 0; y < image.height() && !accent; ++y)
            for (int x = 0; x < 40 && !accent; ++x)
                accent = QColor(image.pixel(x, y)) == m_theme.errorAccent();
        QVERIFY(accent);
        // And the words: the exception and the rule.
        const ResultPainter result(data, m_theme, 1.0, 800);
        QVERIFY(result.bannerHeight() > 40);
        QCOMPARE(report->result.error->type, std::string("BufferError"));
    }

    void explanationCanBeLeftToTheWindow()
    {
        const ReportData copy(makeReport("B", {4, 3}, {1, 4}));
        const qreal full = ResultPainter(copy, m_theme, 1.0, 800).bannerHeight();
        const qreal compact = ResultPainter(copy, m_theme, 1.0, 800, false).bannerHeight();
        QVERIFY(compact < full / 2);
        ConversionRequest write;
        write.bufferType = ConversionRequest::BufferType::Write;
        const ReportData error(makeReport("B", {4, 3}, {1, 4}, write));
        QCOMPARE(ResultPainter(error, m_theme, 1.0, 800, false).bannerHeight(),
                 ResultPainter(error, m_theme, 1.0, 800).bannerHeight());
    }

    void objectWithoutABuffer()
    {
        // bytes-like nothing: PyMemoryView_FromObject raises before anything is drawn in memory.
        auto report = std::make_shared<InspectionReport>();
        report->sourceType = "int";
        ConversionPrediction::Source facts;
        facts.typeName = "int";
        facts.supportsBuffer = false;
        report->prediction = ConversionPrediction::predict(facts, {});
        report->result.outcome = ConversionPrediction::Outcome::Error;
        report->result.error =
            PythonError{report->prediction.errorType, report->prediction.errorMessage, {}, -1};
        const ReportData data(report);
        QVERIFY(!data.hasSource());
        QCOMPARE(data.elementCount(), ElementIndex(0));
        const auto all = ReportPicture::Views(ReportPicture::Logical | ReportPicture::Memory |
                                              ReportPicture::Result | ReportPicture::Inspector);
        const QSize size = ReportPicture::preferredSize(*report, all, m_theme);
        QImage image = blankImage(size, m_theme);
        QPainter painter(&image);
        ReportPicture::paint(painter, QRectF(QPointF(0, 0), size), *report, all, m_theme,
                             {3, HighlightModel::Region::None, -1});
        painter.end();
        QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > 2000);
        QVERIFY(data.describe({3, HighlightModel::Region::None, -1}).isEmpty());
    }

    void aliasRedrawsTheSourceMemory()
    {
        const ReportData data(makeReport("h", {3, 4}));
        QCOMPARE(data.outcome(), ConversionPrediction::Outcome::Alias);
        const ResultPainter result(data, m_theme, 1.0, 900);
        QVERIFY(!result.copyByteRect(0));
        QImage image = blankImage(result.size().toSize(), m_theme);
        QPainter painter(&image);
        result.paint(painter, QRectF(QPointF(0, 0), result.size()), {});
        painter.end();
        // A hovered byte of the alias is a byte of the source memory.
        const MemoryStripPainter strip(data, m_theme, 1.0, 900, {});
        Q_UNUSED(strip);
        const auto target = result.targetAt(QPointF(0, 0));
        QVERIFY(target.region != HighlightModel::Region::ResultMemory);
        QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > 1000);
    }

    // ---- logical view --------------------------------------------------------------------------

    void logicalCellsShowColourAndValue()
    {
        const ReportData data(makeReport("h", {3, 4}));
        const LogicalPainter logical(data, m_theme, 1.0);
        QImage image = blankImage(logical.size().toSize(), m_theme);
        QPainter painter(&image);
        logical.paint(painter, QRectF(QPointF(0, 0), logical.size()), {});
        painter.end();
        for (ElementIndex e = 0; e < 12; ++e) {
            const QRectF cell = logical.cellRect(e);
            QCOMPARE(QColor(image.pixel(quietPoint(cell))), m_theme.elementColour(e, 12));
            // Text in the middle: more than one colour across the cell's centre line.
            QVERIFY(coloursAlong(image, int(cell.center().y()), int(cell.left()) + 2, int(cell.right()) - 2)
                        .size() > 1);
            QCOMPARE(data.valueText(e), QString::number(e));
        }
    }

    void valuesFallBackToQuestionMark()
    {
        auto report = makeReport("h", {4});
        report->valuesDecodable = false;
        QCOMPARE(ReportData(report).valueText(1), QStringLiteral("?"));
        auto truncated = makeReport("h", {4});
        truncated->sourceBytes.bytes.resize(4); // elements 2 and 3 lie past the snapshot
        QCOMPARE(ReportData(truncated).valueText(1), QStringLiteral("1"));
        QCOMPARE(ReportData(truncated).valueText(3), QStringLiteral("?"));
    }

    void tilesAndPlaceholders_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<int>("kind");
        QTest::newRow("0-d") << Shape{} << int(LogicalGridGeometry::Kind::Scalar);
        QTest::newRow("1-D") << Shape{6} << int(LogicalGridGeometry::Kind::Row);
        QTest::newRow("3-D") << Shape{3, 2, 4} << int(LogicalGridGeometry::Kind::Tiles);
        QTest::newRow("empty") << Shape{3, 0} << int(LogicalGridGeometry::Kind::Empty);
    }
    void tilesAndPlaceholders()
    {
        QFETCH(Shape, shape);
        QFETCH(int, kind);
        const ReportData data(makeReport("B", shape));
        const LogicalPainter logical(data, m_theme, 1.0);
        QCOMPARE(int(logical.geometry().kind()), kind);
        QImage image = blankImage(logical.size().toSize(), m_theme);
        QPainter painter(&image);
        logical.paint(painter, QRectF(QPointF(0, 0), logical.size()), {});
        painter.end();
        QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > 200);
        for (ElementIndex e = 0; e < data.elementCount(); ++e)
            QCOMPARE(QColor(image.pixel(quietPoint(logical.cellRect(e)))),
                     m_theme.elementColour(e, data.elementCount()));
    }

    void tileAxesCanBeChosen()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(makeReport("B", {2, 3, 5}));
        LogicalView view(&state, &highlight);
        view.resize(600, 400);
        view.setTileAxes(0, 1); // tiles of 2x3, one per index of axis 2
        QCOMPARE(view.tileRowAxis(), 0);
        const ReportData data(state.report());
        const LogicalPainter tiles(data, view.theme(), 1.0, 0, 1);
        QCOMPARE(tiles.geometry().tileCount(), qint64(5));
        QCOMPARE(tiles.geometry().outerAxes(), std::vector<int>{2});
        view.grab(); // paints without crashing
    }

    // ---- zoom, large buffers --------------------------------------------------------------------

    void zoomKeysAndFit()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(makeReport("B", {64, 64}, {1, 64}));
        MemoryStripView view(&state, &highlight);
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isFitted());
        const double fitted = view.zoom();
        QTest::keyClick(&view, Qt::Key_Plus);
        QVERIFY(view.zoom() > fitted);
        QVERIFY(!view.isFitted());
        QTest::keyClick(&view, Qt::Key_Minus);
        QTest::keyClick(&view, Qt::Key_Minus);
        QVERIFY(view.zoom() < fitted);
        QTest::keyClick(&view, Qt::Key_0);
        QCOMPARE(view.zoom(), fitted);
        view.setZoom(1.0);
        QVERIFY(view.verticalScrollBar()->maximum() > 0); // 4 KiB at 1:1 does not fit: it scrolls
        QTest::keyClick(&view, Qt::Key_Down);
        QVERIFY(view.verticalScrollBar()->value() > 0);
    }

    void zoomedOutStripKeepsColoursAndHatching()
    {
        // 64 KiB sliding window: every byte shared; drawn per pixel when zoomed out.
        const ReportData data(makeReport("B", {65536 - 3, 4}, {1, 1}));
        const Zoom z = MemoryStripPainter::fitZoom(data, m_theme, QSizeF(400, 300), {});
        const MemoryStripPainter strip(data, m_theme, z, 400, {});
        QVERIFY(z < 0.2);
        QImage image = blankImage(QSize(400, 300), m_theme);
        QPainter painter(&image);
        strip.paint(painter, QRectF(0, 0, 400, 300), {});
        painter.end();
        const QRectF first = *strip.byteRect(1000);
        const int y = int(first.center().y());
        const QSet<QRgb> colours = coloursAlong(image, y, int(first.left()), int(first.left()) + 40);
        QVERIFY(colours.contains(m_theme.hatchColour().rgb())); // the per-pixel hatch
        QVERIFY(colours.size() >= 2);
    }

    void hugeTransposePaintsFitted()
    {
        auto report = makeReport("B", {4096, 4096}, {1, 4096});
        const auto views =
            ReportPicture::Views(ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result);
        QImage image = blankImage(QSize(800, 600), m_theme);
        QPainter painter(&image);
        ReportPicture::paint(painter, QRectF(0, 0, 800, 600), *report, views, m_theme);
        painter.end();
        QSet<QRgb> colours;
        for (int y = 0; y < 600; y += 3)
            for (int x = 0; x < 800; x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
        QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > 800 * 600 / 4);
    }

    void widgetsWithoutAReport()
    {
        InspectionState state;
        HighlightModel highlight;
        LogicalView logical(&state, &highlight);
        MemoryStripView memory(&state, &highlight);
        ResultView result(&state, &highlight);
        for (QAbstractScrollArea* view :
             {static_cast<QAbstractScrollArea*>(&logical), static_cast<QAbstractScrollArea*>(&memory),
              static_cast<QAbstractScrollArea*>(&result)}) {
            view->resize(300, 200);
            QVERIFY(!view->grab().isNull());
        }
        logical.zoomIn();
        memory.fitToWindow();
        state.setReport(makeReport("B", {2, 2}));
        QVERIFY(!result.grab().isNull());
    }

    void darkAndColourBlindThemes()
    {
        Theme dark = Theme::dark(true);
        QVERIFY(dark.isDark());
        QVERIFY(dark.colourBlindSafe());
        // Cividis runs dark blue to yellow: lightness grows along C order.
        QVERIFY(dark.elementColour(0, 100).lightness() < dark.elementColour(99, 100).lightness());
        QVERIFY(Theme::light().elementColour(0, 10) != Theme::light(true).elementColour(0, 10));
        QCOMPARE(Theme::light().elementColour(5, 1), Theme::light().elementColour(0, 1));
    }
};

int main(int argc, char** argv)
{
    // Deterministic pixels: offscreen, 96 dpi, no scaling.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_FONT_DPI", "96");
    qputenv("QT_SCALE_FACTOR", "1");
    QApplication app(argc, argv);
    TestViews test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_views.moc"
