// The views as a user sees them: pixels of pictures painted by the same painters the widgets and
// ReportPicture use. Reports are made from core alone (SyntheticReport), so no interpreter is needed.
#include "cli/textreport.h"
#include "core/copymap.h"
#include "deterministicpixels.h"
#include "gui/model/inspectionstate.h"
#include "gui/painting/byteownership.h"
#include "gui/painting/bytestrippainter.h"
#include "gui/painting/highlightmodel.h"
#include "gui/painting/imageexporter.h"
#include "gui/painting/logicalpainter.h"
#include "gui/painting/memorystrippainter.h"
#include "gui/painting/nestedcoverage.h"
#include "gui/painting/outcomesummary.h"
#include "gui/painting/picturelimits.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reportpicture.h"
#include "gui/painting/reporttext.h"
#include "gui/painting/resultpainter.h"
#include "gui/painting/stripoverview.h"
#include "gui/views/byterowsync.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "gui/views/resultview.h"
#include "tests/support/syntheticreport.h"
#include "textboxes.h"

#include <QApplication>
#include <QPainter>
#include <QScrollBar>
#include <QSet>
#include <QWheelEvent>
#include <QtTest>

#include <map>
#include <numeric>
#include <random>

using namespace stridescope;

using Shape = std::vector<Extent>;
using Strides = std::vector<ByteOffset>;
Q_DECLARE_METATYPE(Shape) // Strides is the same type

namespace {

SyntheticReport::Spec specOf(const std::string& format, Shape shape, Strides strides, bool indirect)
{
    SyntheticReport::Spec spec;
    spec.format = format;
    spec.shape = std::move(shape);
    spec.strides = std::move(strides);
    spec.indirect = indirect;
    return spec;
}

std::shared_ptr<InspectionReport> makeReport(const std::string& format, Shape shape, Strides strides = {},
                                             ConversionRequest request = {}, bool readonly = false,
                                             bool indirect = false)
{
    SyntheticReport::Spec spec = specOf(format, std::move(shape), std::move(strides), indirect);
    spec.request = request;
    spec.readonly = readonly;
    return SyntheticReport::make(spec);
}

QImage blankImage(QSize size, const Theme& theme)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(theme.background());
    return image;
}

// The whole of a strip painter's picture, nothing highlighted.
QImage paintedStrip(const MemoryStripPainter& strip, const Theme& theme)
{
    QImage image = blankImage(strip.size().toSize(), theme);
    QPainter painter(&image);
    strip.paint(painter, QRectF(QPointF(0, 0), strip.size()), {});
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

// A report as SyntheticReport makes it, then (moveSize >= 0) with its block moved: buf at `moveBuf`
// bytes into a block of `moveSize` bytes, so elements can lie before or past the block. Layouts of
// very many elements skip the per-element fill, and ask PyBUF_WRITE so that no copy is made.
std::shared_ptr<InspectionReport> makePlacedReport(const std::string& format, Shape shape, Strides strides,
                                                   ByteOffset offset = -1, ByteCount memory = -1,
                                                   bool indirect = false, ByteOffset moveBuf = 0,
                                                   ByteCount moveSize = -1)
{
    SyntheticReport::Spec spec = specOf(format, std::move(shape), std::move(strides), indirect);
    spec.offset = offset;
    spec.memory = memory;
    double count = 1;
    for (Extent e : spec.shape)
        count *= double(e);
    if (count > 1e6) {
        spec.byteFill = true;
        spec.request.bufferType = ConversionRequest::BufferType::Write;
    }
    auto report = SyntheticReport::make(spec);
    if (moveSize >= 0) {
        report->memory->size = moveSize;
        report->sourceLayout.setMemory(moveBuf, moveSize);
        report->sourceBytes.bytes.resize(std::size_t(moveSize));
        report->sourceBytes.blockSize = moveSize;
        report->outsideMemory = report->sourceLayout.outsideMemoryReason();
    }
    return report;
}

QString overviewCodeText(StripOverview::Code code)
{
    const StripOverview::Code look = code & StripOverview::valueMask;
    const QString shared =
        QString((code & StripOverview::sharedBit) ? QStringLiteral(" (shared)") : QString()) +
        ((code & StripOverview::partialBit) ? QStringLiteral(" (partial)") : QString());
    if (look == StripOverview::gap)
        return QStringLiteral("gap") + shared;
    if (look == StripOverview::outside)
        return QStringLiteral("outside") + shared;
    if (look == StripOverview::nothing)
        return QStringLiteral("nothing") + shared;
    return QStringLiteral("palette %1").arg(look) + shared;
}

// The code StripOverview promises for a byte, from the inverse map: the lowest owner's palette
// position inside the block, `outside` past it, gap / nothing when no element reaches the byte.
StripOverview::Code expectedOverviewCode(const ByteOwnership& owners, ElementIndex elementCount,
                                         ByteOffset memoryFirst, ByteOffset memoryEnd, ByteOffset byte)
{
    const bool inside = byte >= memoryFirst && byte < memoryEnd;
    const auto o = owners.at(byte);
    if (o.count == 0)
        return inside ? StripOverview::gap : StripOverview::nothing;
    StripOverview::Code code =
        inside ? StripOverview::Code(Theme::paletteIndex(o.first, Theme::paletteScale(elementCount)))
               : StripOverview::outside;
    if (o.count > 1)
        code |= StripOverview::sharedBit;
    return code;
}

// The code StripOverview promises for an entry of several bytes [entry, entryEnd): the lowest element
// reaching any of them (its palette position if the entry's first byte is in the block, else
// `outside`), partial when some of its bytes are reached by no element, shared when a byte is shared.
StripOverview::Code expectedEntryCode(const ByteOwnership& owners, ElementIndex elementCount,
                                      ByteOffset memoryFirst, ByteOffset memoryEnd, ByteOffset entry,
                                      ByteOffset entryEnd)
{
    ElementIndex lowest = -1;
    bool shared = false;
    ByteCount owned = 0;
    for (ByteOffset b = entry; b < entryEnd; ++b) {
        const auto o = owners.at(b);
        if (o.isGap())
            continue;
        ++owned;
        shared = shared || o.isShared();
        lowest = lowest < 0 ? o.first : std::min(lowest, o.first);
    }
    const bool inside = entry >= memoryFirst && entry < memoryEnd;
    if (owned == 0)
        return inside ? StripOverview::gap : StripOverview::nothing;
    StripOverview::Code code =
        inside ? StripOverview::Code(Theme::paletteIndex(lowest, Theme::paletteScale(elementCount)))
               : StripOverview::outside;
    if (shared)
        code |= StripOverview::sharedBit;
    if (owned < entryEnd - entry)
        code |= StripOverview::partialBit;
    return code;
}

// Every byte of [first, end) of `overview` against the inverse map; empty when they agree, else
// the first byte that differs.
QString overviewMismatch(const StripOverview& overview, const ByteOwnership& owners,
                         ElementIndex elementCount, ByteOffset first, ByteOffset end, ByteOffset memoryFirst,
                         ByteOffset memoryEnd)
{
    if (end > first && (overview.first() != first || overview.end() != end))
        return QStringLiteral("overview covers [%1, %2), the strip is [%3, %4)")
            .arg(overview.first())
            .arg(overview.end())
            .arg(first)
            .arg(end);
    if (overview.isEmpty() != (end <= first))
        return QStringLiteral("overview isEmpty() = %1 for a strip of %2 bytes")
            .arg(overview.isEmpty())
            .arg(end - first);
    if (end > first && overview.shift() != 0)
        return QStringLiteral("a strip of %1 bytes has shift %2").arg(end - first).arg(overview.shift());
    for (ByteOffset b = first; b < end; ++b) {
        const auto expected = expectedOverviewCode(owners, elementCount, memoryFirst, memoryEnd, b);
        const auto got = overview.at(b);
        if (got != expected)
            return QStringLiteral("byte %1: overview says %2, ownership says %3 (owners.first %4, count %5)")
                .arg(b)
                .arg(overviewCodeText(got), overviewCodeText(expected))
                .arg(owners.at(b).first)
                .arg(owners.at(b).count);
    }
    return {};
}

// The source overview over [displayFirst, displayEnd) and, for a copy, the copy overview over
// [0, copyLength), each against its inverse map.
QString reportOverviewMismatch(const ReportData& data)
{
    QString why = overviewMismatch(data.sourceOverview(), data.sourceOwners(), data.elementCount(),
                                   data.displayFirst(), data.displayEnd(), 0, data.blockSize());
    if (!why.isEmpty())
        return QStringLiteral("source: ") + why;
    if (data.copyLayout()) {
        why = overviewMismatch(data.copyOverview(), data.copyOwners(), data.elementCount(), 0,
                               data.copyLength(), 0, data.copyLength());
        if (!why.isEmpty())
            return QStringLiteral("copy: ") + why;
    }
    return {};
}

QString layoutText(const std::string& format, const Shape& shape, const Strides& strides)
{
    QStringList a, b;
    for (Extent e : shape)
        a << QString::number(e);
    for (ByteOffset s : strides)
        b << QString::number(s);
    return QStringLiteral("'%1' shape {%2} strides {%3}")
        .arg(QString::fromStdString(format), a.join(QStringLiteral(", ")), b.join(QStringLiteral(", ")));
}

} // namespace

class TestViews : public QObject
{
    Q_OBJECT

    Theme m_theme = Theme::light();

private slots:
    void initTestCase() { m_theme = Theme::light(); }

    // ---- the outcome in words, said once ----------------------------------------------------

    // The picture's banner and the text report's Result line say what OutcomeSummary says (the
    // window's banner shows OutcomeSummary itself), and the why is the prediction's rule, quoted.
    void outcomeIsWordedOnceForPictureAndText_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<bool>("readonly");
        QTest::addColumn<char>("order");
        QTest::addColumn<QString>("fact"); // a fact the verdict or sharing sentence must state
        QTest::newRow("alias, writable") << "h" << Shape{3, 4} << Strides{} << false << 'C'
                                         << "Writing through the result writes the source";
        QTest::newRow("alias, read-only") << "h" << Shape{3, 4} << Strides{} << true << 'C' << "read-only";
        QTest::newRow("copy in C order") << "B" << Shape{4, 3} << Strides{1, 4} << false << 'C'
                                         << "A new 12-byte bytes object, copied in C order.";
        QTest::newRow("copy in Fortran order") << "h" << Shape{3, 4} << Strides{} << false << 'F'
                                               << "A new 24-byte bytes object, copied in Fortran order.";
    }
    void outcomeIsWordedOnceForPictureAndText()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        QFETCH(bool, readonly);
        QFETCH(char, order);
        QFETCH(QString, fact);
        ConversionRequest request;
        request.order = order;
        const auto report = makeReport(format.toStdString(), shape, strides, request, readonly);
        const OutcomeSummary summary = OutcomeSummary::fromReport(*report);
        QVERIFY(summary.verdict().contains(fact) || summary.sharing.contains(fact));
        QVERIFY(summary.details.endsWith(summary.sharing));

        const ReportData data(report);
        const QString banner = ResultPainter(data, m_theme, 1.0, 800).bannerText();
        QVERIFY2(banner.startsWith(summary.verdict() + QLatin1Char('\n')), qPrintable(banner));
        QVERIFY2(banner.contains(summary.sharing), qPrintable(banner));
        QVERIFY2(banner.contains(QStringLiteral("Why: ") + QString::fromStdString(report->prediction.rule)),
                 qPrintable(banner));

        const QString text = TextReport::render(*report);
        QVERIFY2(text.contains(QStringLiteral("\nResult      ") + summary.verdict() + QLatin1Char('\n')),
                 qPrintable(text));
        QVERIFY2(text.contains(QString::fromStdString(report->prediction.rule)), qPrintable(text));
    }

    // A refusal: the picture names the exception, then says it as the window's banner does.
    void refusalIsWordedAsTheWindowSaysIt()
    {
        ConversionRequest request;
        request.bufferType = ConversionRequest::BufferType::Write;
        const auto report = makeReport("B", {3, 4}, {}, request, /*readonly=*/true);
        const OutcomeSummary summary = OutcomeSummary::fromReport(*report);
        QCOMPARE(summary.kind, OutcomeSummary::Kind::Error);
        QVERIFY2(
            summary.headline.startsWith(QStringLiteral("Refused: PyBUF_WRITE asks for a view you may write")),
            qPrintable(summary.headline));
        const ReportData data(report);
        const QString banner = ResultPainter(data, m_theme, 1.0, 800).bannerText();
        QVERIFY2(banner.startsWith(
                     QStringLiteral("ERROR \u2014 BufferError: underlying buffer is not writable\n")),
                 qPrintable(banner));
        QVERIFY2(banner.contains(summary.headline + QStringLiteral("\nWhy: ") +
                                 QString::fromStdString(report->prediction.rule)),
                 qPrintable(banner));
    }

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
            const auto expected = bruteOwners(layout, b); // ascending
            const auto owners = data.sourceOwners().at(b, ByteOwnership::describeLimit);
            QCOMPARE(owners.count, ElementIndex(expected.size()));
            if (!expected.empty())
                QCOMPARE(owners.first, expected.front());
            // What a picture asks: owned, shared, and the same lowest element.
            const auto look = data.sourceOwners().at(b);
            QCOMPARE(look.isGap(), expected.empty());
            QCOMPARE(look.isShared(), expected.size() > 1);
            if (!expected.empty())
                QCOMPARE(look.first, expected.front());
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
        QCOMPARE(ReportText(data).offsetFormula(element), formula);
    }

    void indirectFormulaFollowsThePointer()
    {
        const ReportData data(makeReport("B", {3, 4}, {}, {}, false, true));
        // Slot 1 sits at byte 8 and points to row 1 at byte 28 (3 slots of 8 bytes, rows of 4).
        QCOMPARE(ReportText(data).offsetFormula(6),
                 QStringLiteral("offset = *(0 + 1\u00B78) + 2\u00B71 = 30, the pointer at 8 leads to 28"));
    }

    // ---- memory strip ------------------------------------------------------------------------

    void elementBytesCarryTheirColour()
    {
        const ReportData data(makeReport("h", {3, 4}, {2, 8})); // Fortran-like: columns contiguous
        const MemoryStripPainter strip(data, m_theme, 1.0, 800, {});
        const QImage image = paintedStrip(strip, m_theme);
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
        const QImage image = paintedStrip(strip, m_theme);
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
        const QImage image = paintedStrip(strip, m_theme);
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(1)))), m_theme.elementColour(1, 4));
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(2)))), m_theme.outsideMemory());
        QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(3)))), m_theme.outsideMemory());
    }

    // The pil_indirect preset in the window's Memory view: at the size of the Memory dock of a
    // 1400x900 window, fitted, the slots and rows have byte cells with their values written, no
    // caption runs into another or into a strip, and the picture is the one `render` draws.
    void pilPictureInTheWindowIsRendersPicture()
    {
        InspectionState state;
        HighlightModel highlight;
        auto report = makeReport("B", {3, 4}, {}, {}, false, true);
        state.setReport(ReportData::forWindow(report));
        MemoryStripView view(&state, &highlight);
        view.setTheme(m_theme);
        view.resize(620, 190);
        view.show();
        QCoreApplication::processEvents();
        view.fitToWindow();
        const auto data = state.reportData();
        const MemoryStripPainter window(*data, m_theme, view.zoom(), view.viewport()->width(), {});
        QVERIFY(window.isIndirect());
        auto readable = [](const QRectF& cell) {
            return ByteStripPainter::textPixels(cell.size()) >= ByteStripPainter::minimumTextPixels;
        };
        for (ElementIndex e = 0; e < 12; ++e)
            QVERIFY2(
                readable(*window.byteRect(*data->elementOffset(e))),
                qPrintable(
                    QStringLiteral("element %1's byte is too small at zoom %2").arg(e).arg(view.zoom())));
        for (const auto& row : data->indirectRows())
            QVERIFY(readable(*window.byteRect(row.slot)));
        const auto captions = window.captionBoxes();
        const auto strips = window.stripRects();
        QCOMPARE(captions.size(), std::size_t(6)); // a slot and a row caption per row
        for (std::size_t i = 0; i < captions.size(); ++i) {
            for (std::size_t j = i + 1; j < captions.size(); ++j)
                QVERIFY2(!captions[i].intersects(captions[j]),
                         qPrintable(QStringLiteral("captions %1 and %2 overlap").arg(i).arg(j)));
            for (const QRectF& strip : strips)
                QVERIFY(!captions[i].intersects(strip));
        }
        // `render` lays the section out at its natural fit, 1000 px wide (ReportPicture).
        const Zoom renderZoom = MemoryStripPainter::fitZoom(*data, m_theme, QSizeF(1000, 640), {});
        const MemoryStripPainter rendered(*data, m_theme, renderZoom, 1000, {});
        QCOMPARE(view.zoom(), renderZoom);
        QVERIFY(window.stripRects() == rendered.stripRects());
        QVERIFY(window.captionBoxes() == rendered.captionBoxes());
    }

    // Another exporter's indirect buffer whose rows live in blocks of their own (as the probe finds
    // them): the rows are drawn from those blocks' bytes, in their elements' colours (not as outside
    // the block), their values decode, and buf is marked once, on the table's first slot.
    void pilRowsInBlocksOfTheirOwn()
    {
        auto report = makeReport("B", {3, 4}, {}, {}, false, true);
        // The table keeps the block; each 4-byte row moves into a row block of its own.
        const ByteCount table = 3 * ByteCount(sizeof(Address));
        QCOMPARE(report->sourceLayout.rowOffset({1}).value_or(-1), __int128(table + 4));
        for (Extent i = 0; i < 3; ++i) {
            RowBlock b;
            b.block = MemoryBlock{report->memory->base + Address(table + 4 * i), 4,
                                  "memory a row pointer leads to"};
            b.bytes.start = table + 4 * i;
            b.bytes.blockSize = 4;
            b.bytes.bytes.assign(report->sourceBytes.bytes.begin() + table + 4 * i,
                                 report->sourceBytes.bytes.begin() + table + 4 * i + 4);
            report->rowBlocks.push_back(b);
        }
        report->memory->size = table;
        report->sourceBytes.bytes.resize(std::size_t(table));
        report->sourceBytes.blockSize = table;
        report->sourceLayout.setMemory(0, table);
        const ReportData data(report);
        for (ElementIndex e = 0; e < 12; ++e) {
            QCOMPARE(data.valueText(e), QString::number(e));
            QVERIFY(data.elementInsideMemory(e));
        }
        const MemoryStripPainter strip(data, m_theme, 1.0, 900, {});
        QVERIFY(strip.isIndirect());
        QCOMPARE(strip.bufMarkers().size(), std::size_t(1));
        QCOMPARE(strip.bufMarkers().front(), *strip.byteRect(0));
        const QImage image = paintedStrip(strip, m_theme);
        for (ElementIndex e = 0; e < 12; ++e)
            QCOMPARE(QColor(image.pixel(quietPoint(*strip.byteRect(*data.elementOffset(e))))),
                     m_theme.elementColour(e, 12));
    }

    // A slice whose buf lies mid-row: the marker is on the byte buf points at, not the row start.
    void bufMarkerMarksTheByteMidRow()
    {
        const ReportData data(makePlacedReport("B", {6}, {}, 2, 16));
        QCOMPARE(data.bufOffset(), 2);
        const MemoryStripPainter strip(data, m_theme, 1.0, 800, {});
        QCOMPARE(strip.bufMarkers().size(), std::size_t(1));
        QCOMPARE(strip.bufMarkers().front(), *strip.byteRect(2));
        const QImage image = paintedStrip(strip, m_theme);
        const auto near = [](QColor a, QColor b) {
            return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
                       std::abs(a.blue() - b.blue()) <
                   60;
        };
        const auto topEdge = [](const QRectF& cell) {
            return QPointF(cell.center().x(), cell.top()).toPoint();
        };
        const auto leftEdge = [](const QRectF& cell) {
            return QPointF(cell.left(), cell.center().y()).toPoint();
        };
        // The bar is on the byte at buf, and a line along the row's top edge leads the gutter's
        // label past the bytes before it to that byte...
        QVERIFY(near(image.pixel(leftEdge(*strip.byteRect(2))), m_theme.marker()));
        QVERIFY(near(image.pixel(topEdge(*strip.byteRect(0))), m_theme.marker()));
        QVERIFY(near(image.pixel(topEdge(*strip.byteRect(1))), m_theme.marker()));
        // ...and stops there.
        QVERIFY(!near(image.pixel(topEdge(*strip.byteRect(3))), m_theme.marker()));
        QVERIFY(!near(image.pixel(leftEdge(*strip.byteRect(0))), m_theme.marker()));
    }

    void pilRowsAreSeparateBlocks()
    {
        const ReportData data(makeReport("B", {3, 4}, {}, {}, false, true));
        QCOMPARE(data.indirectRows().size(), std::size_t(3));
        const MemoryStripPainter strip(data, m_theme, 1.0, 900, {});
        QVERIFY(strip.isIndirect());
        const QImage image = paintedStrip(strip, m_theme);
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
        state.setReport(ReportData::forWindow(report));
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
        state.setReport(ReportData::forWindow(report));
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
        QVERIFY(ReportText(data).describe(target).contains(QStringLiteral("shared by 3 elements")));
    }

    void viewsOfOneReportShareOneReportData()
    {
        auto report = makeReport("B", {64, 64}, {1, 64});
        InspectionState state;
        state.setReport(ReportData::forWindow(report));
        MemoryStripView memory(&state, nullptr);
        ResultView result(&state, nullptr);
        LogicalView logical(&state, nullptr);
        // The three views hold the state's one ReportData (inverse maps and overviews built once):
        // held by the state, the three views and this reference.
        const auto data = state.reportData();
        QCOMPARE(data.use_count(), 5L);
        data->prepareOverviews();
        QVERIFY(!data->sourceOverview().isEmpty());
        QVERIFY(!data->copyOverview().isEmpty());
    }

    void heavilySharedByteNamesItsLowestElement()
    {
        // Byte 128 is element [128 - 2j, j] for j = 0..64: 65 owners, more than are counted one by one.
        const ReportData data(makeReport("B", {129, 65}, {1, 2}));
        const auto owners = data.sourceOwners().at(128, ByteOwnership::describeLimit);
        QCOMPARE(owners.first, ElementIndex(64)); // [0, 64], found behind the first 64 owners
        QVERIFY(owners.atLeast);
        QCOMPARE(owners.count, ByteOwnership::describeLimit);
        // What a picture asks (owned? shared? lowest?) gives the same lowest element.
        QCOMPARE(data.sourceOwners().at(128).first, ElementIndex(64));
        QVERIFY(data.sourceOwners().at(128).isShared());
        HighlightModel::Target target;
        target.region = HighlightModel::Region::SourceMemory;
        target.byte = 128;
        const QString text = ReportText(data).describe(target);
        QVERIFY2(text.contains(QStringLiteral("shared by at least 64 elements: [0, 64]")), qPrintable(text));
        // A byte with fewer owners is counted exactly.
        const auto few = data.sourceOwners().at(2, ByteOwnership::describeLimit);
        QCOMPARE(few.count, ElementIndex(2)); // [2, 0] and [0, 1]
        QVERIFY(!few.atLeast);
    }

    void clickPinsAndUnpins()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(makeReport("B", {4, 3})));
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

    // ---- records (issue 9) ---------------------------------------------------------------------

    // np.zeros(4, dtype=np.dtype([('a','<i2'),('b','<f8')], align=True))[::2]: numpy exports
    // 'T{h:a:xxxxxxd:b:}', itemsize 16, stride 32. In both strips (the source block and the C copy),
    // each element's bytes 2-7 are padding and there is a field boundary where a ends (byte 2) and
    // where b begins (byte 8); the lines are inside the cells' rows, the padding boxes are the bytes.
    void recordFieldsAndPaddingAreDrawn()
    {
        const ReportData data(makeReport("T{h:a:xxxxxxd:b:}", {2}, {32}));
        QCOMPARE(data.outcome(), ConversionPrediction::Outcome::Copy);
        QVERIFY(data.hasFieldLayout());
        const auto check =
            [&](const ByteStripPainter::ItemMarks& marks, const std::vector<ByteOffset>& starts,
                const std::function<std::optional<QRectF>(ByteOffset)>& rectOf, const char* strip) {
                QList<QRectF> padding, expectedPadding;
                QList<QRectF> boundaryCells; // the cell right of each expected boundary
                for (const QRectF& r : marks.padding)
                    padding << r;
                for (ByteOffset start : starts) {
                    for (ByteOffset b = start + 2; b < start + 8; ++b)
                        expectedPadding << *rectOf(b);
                    boundaryCells << *rectOf(start + 2) << *rectOf(start + 8);
                }
                QVERIFY2(padding == expectedPadding, strip);
                QCOMPARE(marks.fieldBoundaries.size(), std::size_t(boundaryCells.size()));
                // Each line runs down the left edge of its cell, inside the cell's row.
                for (const QLineF& l : marks.fieldBoundaries) {
                    const auto at =
                        std::find_if(boundaryCells.begin(), boundaryCells.end(), [&](const QRectF& cell) {
                            return l.x1() == cell.left() && l.x2() == cell.left() && l.y1() >= cell.top() &&
                                   l.y2() <= cell.bottom() && l.y2() - l.y1() >= cell.height() / 2;
                        });
                    QVERIFY2(at != boundaryCells.end(), strip);
                    boundaryCells.erase(at);
                }
            };
        const MemoryStripPainter memory(data, m_theme, 1.0, 1200, {});
        const QRectF all(QPointF(0, 0), memory.size());
        check(
            memory.itemMarks(all), {0, 32}, [&](ByteOffset b) { return memory.byteRect(b); }, "memory");
        const ResultPainter result(data, m_theme, 1.0, 1200);
        check(
            result.itemMarks(QRectF(QPointF(0, 0), result.size())), {0, 16},
            [&](ByteOffset b) { return result.copyByteRect(b); }, "copy");

        // And in the picture: a padding byte is its element's colour faded, neither the element's
        // colour nor a gap's; the bytes between the elements (16-31) stay gaps.
        QImage image = blankImage(memory.size().toSize(), m_theme);
        QPainter painter(&image);
        memory.paint(painter, all, {});
        painter.end();
        const QRgb element0 = m_theme.elementColour(0, 2).rgb();
        QCOMPARE(image.pixel(quietPoint(*memory.byteRect(4))),
                 ByteStripPainter::paddingFill(element0, m_theme));
        QVERIFY(ByteStripPainter::paddingFill(element0, m_theme) != m_theme.gap().rgb());
        QCOMPARE(QColor(image.pixel(quietPoint(*memory.byteRect(12)))), m_theme.elementColour(0, 2));
        QCOMPARE(QColor(image.pixel(quietPoint(*memory.byteRect(20)))), m_theme.gap());
        // The boundary between field a and the padding is drawn: at its x, half way down the row, a
        // pixel that is neither of the two fills beside it.
        const QRectF pad = *memory.byteRect(2);
        const QSet<QRgb> fills{element0, ByteStripPainter::paddingFill(element0, m_theme)};
        const int y = int(pad.center().y());
        QVERIFY2(!fills.contains(image.pixel(int(pad.left()), y)) ||
                     !fills.contains(image.pixel(int(pad.left()) - 1, y)),
                 "no line where field a ends");

        // A plain item has no parts: no marks.
        const ReportData plain(makeReport("d", {2}, {32}));
        QVERIFY(!plain.hasFieldLayout());
        const MemoryStripPainter plainStrip(plain, m_theme, 1.0, 1200, {});
        const auto none = plainStrip.itemMarks(QRectF(QPointF(0, 0), plainStrip.size()));
        QVERIFY(none.fieldBoundaries.empty() && none.padding.empty());
        // Zoomed out to a per-pixel picture: no per-element marks.
        const MemoryStripPainter far(data, m_theme, 0.05, 1200, {});
        QVERIFY(far.itemMarks(QRectF(QPointF(0, 0), far.size())).padding.empty());
    }

    // The strided source with format 'hd' (native: h at 0, padding 2-7, d at 8): unnamed fields are
    // named by their number. The hover names the field or the padding, exactly.
    void hoverNamesFieldAndPadding()
    {
        const ReportData record(makeReport("T{h:a:xxxxxxd:b:}", {2}, {32}));
        const auto source = [](ByteOffset b) {
            return HighlightModel::Target{-1, HighlightModel::Region::SourceMemory, b};
        };
        const auto copy = [](ByteOffset b) {
            return HighlightModel::Target{-1, HighlightModel::Region::ResultMemory, b};
        };
        QCOMPARE(
            ReportText(record).describe(source(2)),
            QStringLiteral(
                "byte +0x0002: byte 2 of element [0]; padding bytes 2\u20137 (offset = 0 + 0\u00B732 = 0)"));
        QCOMPARE(ReportText(record).describe(source(41)),
                 QStringLiteral("byte +0x0029: byte 9 of element [1]; field b (d, float64) bytes 8\u201315 "
                                "(offset = 0 + 1\u00B732 = 32)"));
        QCOMPARE(ReportText(record).describe(source(1)),
                 QStringLiteral("byte +0x0001: byte 1 of element [0]; field a (h, int16) bytes 0\u20131 "
                                "(offset = 0 + 0\u00B732 = 0)"));
        QCOMPARE(
            ReportText(record).describe(copy(18)),
            QStringLiteral(
                "copy byte +0x0012: byte 2 of element [1]; padding bytes 2\u20137 (copied from the source)"));
        QCOMPARE(ReportText(record).describe(source(20)),
                 QStringLiteral("byte +0x0014: a gap, no element reaches it"));

        const ReportData hd(makeReport("hd", {3}, {24}));
        QCOMPARE(
            ReportText(hd).describe(source(24 + 7)),
            QStringLiteral(
                "byte +0x001F: byte 7 of element [1]; padding bytes 2\u20137 (offset = 0 + 1\u00B724 = 24)"));
        QCOMPARE(ReportText(hd).describe(source(8)),
                 QStringLiteral("byte +0x0008: byte 8 of element [0]; field 1 (d, float64) bytes 8\u201315 "
                                "(offset = 0 + 0\u00B724 = 0)"));
        // A plain item says nothing more than before.
        const ReportData plain(makeReport("h", {3}, {4}));
        QCOMPARE(ReportText(plain).describe(source(5)),
                 QStringLiteral("byte +0x0005: byte 1 of element [1] (offset = 0 + 1\u00B74 = 4)"));
    }

    // Memory and result views of one window use one bytes-per-row, whatever their sizes and zooms:
    // here the result view is short, so alone it would zoom out and wrap to more bytes per row than
    // the memory view. The shared value is what each view paints: the first byte of row 1 of each
    // strip, where a painter with that value draws it, is the byte the view says is there.
    void memoryAndResultShareBytesPerRow()
    {
        InspectionState state;
        HighlightModel highlight;
        auto report = makeReport("T{h:a:xxxxxxd:b:}", {4}, {32});
        MemoryStripView memory(&state, &highlight);
        ResultView result(&state, &highlight);
        result.setExplanationVisible(false);
        ByteRowSync sync(&state, &memory, &result);
        memory.setTheme(m_theme);
        result.setTheme(m_theme);
        memory.resize(900, 420);
        result.resize(900, 110);
        memory.show();
        result.show();
        QVERIFY(QTest::qWaitForWindowExposed(&memory) && QTest::qWaitForWindowExposed(&result));
        state.setReport(ReportData::forWindow(report));
        QCoreApplication::processEvents(); // the sync chooses again after a resize
        const ReportData data(report);
        const ByteCount shared = sync.bytesPerRow();
        QVERIFY(shared > 0);
        QCOMPARE(memory.bytesPerRow(), shared);
        QCOMPARE(result.bytesPerRow(), shared);
        // Alone they would differ (the reproducer of issue 9).
        const MemoryStripPainter alone(data, m_theme, memory.zoom(), memory.viewport()->width(), {});
        const ResultPainter aloneResult(data, m_theme, result.zoom(), result.viewport()->width(), false);
        QVERIFY2(alone.bytesPerRow() != aloneResult.bytesPerRow() || alone.bytesPerRow() != shared,
                 "the scenario must be one where the views would choose differently");
        MemoryStripPainter::Options options;
        options.bytesPerRow = shared;
        const MemoryStripPainter memoryPainter(data, m_theme, memory.zoom(), memory.viewport()->width(),
                                               options);
        const ResultPainter resultPainter(data, m_theme, result.zoom(), result.viewport()->width(), false,
                                          shared);
        QCOMPARE(memoryPainter.bytesPerRow(), shared);
        QCOMPARE(resultPainter.bytesPerRow(), shared);
        QString said;
        connect(&memory, &ReportView::statusTextChanged, this, [&](const QString& t) { said = t; });
        connect(&result, &ReportView::statusTextChanged, this, [&](const QString& t) { said = t; });
        const auto hover = [&](QWidget* viewport, QPointF at) {
            said.clear();
            QMouseEvent move(QEvent::MouseMove, at, viewport->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                             Qt::NoModifier);
            QCoreApplication::sendEvent(viewport, &move);
        };
        hover(memory.viewport(), memoryPainter.byteRect(shared)->center());
        QVERIFY2(said.startsWith(QStringLiteral("byte %1:").arg(ReportText::offsetText(shared))),
                 qPrintable(said));
        hover(result.viewport(), resultPainter.copyByteRect(shared)->center());
        QVERIFY2(said.startsWith(QStringLiteral("copy byte %1:").arg(ReportText::offsetText(shared))),
                 qPrintable(said));
        // Resized, both follow.
        memory.resize(300, 420);
        QCoreApplication::processEvents();
        QCOMPARE(result.bytesPerRow(), sync.bytesPerRow());
        QCOMPARE(memory.bytesPerRow(), sync.bytesPerRow());
        QVERIFY(sync.bytesPerRow() <= shared);
    }

    // render's picture: the memory and result strips are drawn with one bytes-per-row too. A
    // broadcast of one byte to 64 elements: alone, the memory strip (1 byte) would be one byte wide
    // and the copy (64 bytes) 32.
    void pictureStripsShareBytesPerRow()
    {
        for (const auto& report : {makeReport("B", {64}, {0}), makeReport("T{h:a:xxxxxxd:b:}", {4}, {32})}) {
            const auto views = ReportPicture::Views(ReportPicture::Memory | ReportPicture::Result);
            const auto [memory, result] = ReportPicture::stripBytesPerRow(*report, views, m_theme);
            QVERIFY(memory > 0);
            QCOMPARE(memory, result);
        }
        const auto [memory, result] =
            ReportPicture::stripBytesPerRow(*makeReport("B", {64}, {0}), ReportPicture::Memory, m_theme);
        QCOMPARE(memory, ByteCount(1)); // alone: as wide as it needs
        QCOMPARE(result, ByteCount(0)); // not drawn
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
        // And the words: the exception CPython raised, its message, and the rule that decided.
        const ResultPainter result(data, m_theme, 1.0, 800);
        QVERIFY(result.bannerHeight() > 40);
        QCOMPARE(report->result.error->type, std::string("BufferError"));
        const QString words = result.bannerText();
        QVERIFY2(words.contains(QStringLiteral("BufferError")), qPrintable(words));
        QVERIFY2(words.contains(QString::fromStdString(report->result.error->message)), qPrintable(words));
        QVERIFY2(words.contains(QString::fromStdString(report->prediction.rule)), qPrintable(words));
        QVERIFY2(words.contains(QStringLiteral("PyBUF_WRITE")), qPrintable(words));
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
        QVERIFY(ReportText(data).describe({3, HighlightModel::Region::None, -1}).isEmpty());
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
        // Below the banner, every byte of the source memory is drawn again in the colour of the
        // element that lives there, and hovering it names that byte of the source.
        for (ByteOffset b = 0; b < 24; ++b) {
            const auto rect = result.aliasByteRect(b);
            QVERIFY(rect);
            QVERIFY(rect->top() >= result.bannerHeight());
            QCOMPARE(QColor(image.pixel(quietPoint(*rect))), m_theme.elementColour(b / 2, 12));
            const auto target = result.targetAt(rect->center());
            QCOMPARE(target.region, HighlightModel::Region::SourceMemory);
            QCOMPARE(target.byte, b);
        }
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
        state.setReport(ReportData::forWindow(makeReport("B", {2, 3, 5})));
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

    // A 62-D broadcast (all extents 2, stride 0) froze the GUI thread in paintLabels, which walked
    // all 2^59 rows of tiles. Labels and headers now come from the visible rectangle alone, and
    // the tiles are packed with a note that says so.
    void hugeBroadcastDrawsBoundedLabels()
    {
        SyntheticReport::Spec spec = specOf("B", Shape(62, 2), Strides(62, 0), false);
        spec.byteFill = true; // the index fill would write 2^62 elements into the one byte
        spec.request.bufferType = ConversionRequest::BufferType::Write; // BufferError: no 2^62-byte copy
        const ReportData data(SyntheticReport::make(spec));
        QCOMPARE(data.elementCount(), ElementIndex(1) << 62);
        const QRectF screen(0, 0, 1400, 900);
        const Zoom fitted = LogicalPainter::fitZoom(data, m_theme, screen.size());
        for (const Zoom zoom : {fitted, 1.0, 16.0}) {
            const LogicalPainter logical(data, m_theme, zoom);
            QVERIFY(logical.geometry().packedTiles());
            QVERIFY(logical.aggregationNote().contains(QStringLiteral("1,152,921,504,606,846,976 tiles")));
            // Far into the picture, as a scrolled window shows it, and at its start.
            const QSizeF size = logical.size();
            for (const QPointF at : {QPointF(0, 0), QPointF(size.width() / 2, size.height() / 2)}) {
                const QRectF visible(at, screen.size());
                const auto labels = logical.indexLabels(visible);
                // A label needs at least 6 px: no more than the rectangle's edges can hold.
                QVERIFY2(labels.size() <= std::size_t((visible.width() + visible.height()) / 6),
                         qPrintable(QString::number(labels.size())));
                QImage image = blankImage(screen.size().toSize(), m_theme);
                QPainter painter(&image);
                painter.translate(-at);
                logical.paint(painter, visible, {});
                painter.end();
                QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > 1000);
            }
        }
        // The widget: fitted, then at 1:1 (the scroll range stays an int).
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(data.sharedReport()));
        LogicalView view(&state, &highlight);
        view.resize(800, 600);
        view.grab();
        view.setZoom(1.0);
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
        QVERIFY(view.verticalScrollBar()->maximum() > 0);
        view.grab();
    }

    // np.zeros((2,)*16) made a 1990x345,513 picture (tile headers that do not zoom); a 48,000
    // element 8-D array one of 21,551 px. Packed, the logical view fits its section and says so.
    void pictureOfManyTilesFitsAndSaysSo_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<QString>("note");
        QTest::newRow("16-D") << Shape(16, 2) << "16,384 tiles are too many to draw apart";
        QTest::newRow("8-D") << Shape{2, 3, 4, 5, 4, 5, 2, 10} << "2,400 tiles are too many to draw apart";
        QTest::newRow("62-D broadcast") << Shape(62, 2) << "1,152,921,504,606,846,976 tiles are too many";
    }
    void pictureOfManyTilesFitsAndSaysSo()
    {
        QFETCH(Shape, shape);
        QFETCH(QString, note);
        const bool broadcast = shape.size() == 62;
        SyntheticReport::Spec spec = specOf("B", shape, broadcast ? Strides(62, 0) : Strides{}, false);
        spec.byteFill = broadcast; // the index fill would write 2^62 elements into the one byte
        if (broadcast)
            spec.request.bufferType = ConversionRequest::BufferType::Write; // BufferError: no 2^62-byte copy
        auto report = SyntheticReport::make(spec);
        const QSize size = ReportPicture::preferredSize(*report, ReportPicture::Logical, m_theme);
        QVERIFY2(size.width() <= 1100 && size.height() <= 800,
                 qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
        const QStringList notes = ReportPicture::notes(*report, ReportPicture::Logical, m_theme);
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.first().contains(note), qPrintable(notes.first()));
        // The note is in the picture itself, in the caption above the cells.
        const ReportData data(report);
        const LogicalPainter logical(data, m_theme, 1.0);
        QImage image = blankImage(size, m_theme);
        QPainter painter(&image);
        ReportPicture::paint(painter, QRectF(QPointF(0, 0), QSizeF(size)), *report, ReportPicture::Logical,
                             m_theme);
        painter.end();
        QVERIFY(pixelsUnlike(image, m_theme.background().rgb()) > size.width() * size.height() / 4);
    }

    // Past PictureLimits a picture is drawn smaller, never refused or cut.
    void picturesHaveAMaximumSize()
    {
        auto report = makeReport("B", {3, 4});
        QVERIFY(!PictureLimits::fits(QSize(20000, 20000), 8.0));
        QVERIFY(!PictureLimits::fits(QSize(8192, 8192), 2.0));
        QVERIFY(PictureLimits::fits(QSize(8192, 8192), 1.0));
        // 160,000 device pixels wide asked for: drawn 16,384 wide (the height stays at its minimum).
        const QImage image =
            ImageExporter::image(*report, ReportPicture::Logical, m_theme, 8.0, QSize(20000, 16));
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), PictureLimits::maximumSide);
        QCOMPARE(image.height(), PictureLimits::minimumSide * 8);
        const QSize square = PictureLimits::capped(QSize(20000, 20000), 8.0);
        QCOMPARE(square.width(), square.height()); // the same shape, smaller
        QVERIFY(PictureLimits::fits(square, 8.0));
    }

    // ---- N-d arrays: readable tiles, labels, text that never overlaps ---------------------------

    // The issue's 5-D array, np.arange(240, dtype=np.uint8).reshape(2,2,3,4,5)[:, :, ::-1, :, ::2],
    // and a 4-D one. In the Logical view of a 1400x900 window (about 600x160 px) each tile was an
    // 8 px dot without numbers.
    void ndArraysAreReadableInTheWindow_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<QString>("label");
        QTest::addColumn<Shape>("labelled");
        QTest::newRow("4-D int16") << "h" << Shape{2, 2, 3, 4} << Strides{} << "[1, 0, :, :]"
                                   << Shape{1, 0, 0, 0};
        QTest::newRow("5-D uint8 sliced") << "B" << Shape{2, 2, 3, 4, 3} << Strides{120, 60, -20, 5, 2}
                                          << "[1, 0, 2, :, :]" << Shape{1, 0, 2, 0, 0};
        // Tiles of two columns are narrower than their labels.
        QTest::newRow("5-D narrow tiles")
            << "b" << Shape{3, 2, 2, 3, 2} << Strides{} << "[2, 1, 1, :, :]" << Shape{2, 1, 1, 0, 0};
    }
    void ndArraysAreReadableInTheWindow()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        QFETCH(QString, label);
        QFETCH(Shape, labelled);
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(makeReport(format.toStdString(), shape, strides)));
        LogicalView view(&state, &highlight);
        view.resize(600, 160);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isFitted());
        const ReportData data(state.report());
        const LogicalPainter logical(data, view.theme(), view.zoom());
        const LogicalGridGeometry& g = logical.geometry();
        // Tiles in both directions, and no mile to scroll: a few screens at most.
        QVERIFY(g.tileColumns() > 1 && g.tileRows() > 1);
        const QSizeF size = logical.size();
        const QSize screen = view.viewport()->size();
        QVERIFY2(size.width() * size.height() <= 6.0 * screen.width() * screen.height(),
                 qPrintable(QStringLiteral("%1x%2 in %3x%4")
                                .arg(size.width())
                                .arg(size.height())
                                .arg(screen.width())
                                .arg(screen.height())));
        TextBoxes boxes(size.toSize() + QSize(1, 1));
        {
            QPainter painter(&boxes);
            logical.paint(painter, QRectF(QPointF(0, 0), size), {});
        }
        // Every element: a cell of readable size with its value drawn inside it.
        QVERIFY(logical.showsValues());
        for (ElementIndex e = 0; e < data.elementCount(); ++e) {
            const QRectF cell = logical.cellRect(e);
            QVERIFY2(cell.width() >= 14 && cell.height() >= 14,
                     qPrintable(
                         QStringLiteral("element %1: %2x%3 px").arg(e).arg(cell.width()).arg(cell.height())));
            const auto drawn = boxes.withText(data.valueText(e));
            QVERIFY2(std::any_of(drawn.begin(), drawn.end(),
                                 [&](const TextBoxes::Box& b) {
                                     return cell.adjusted(-0.5, -0.5, 0.5, 0.5).contains(b.rect);
                                 }),
                     qPrintable(QStringLiteral("element %1: value %2 not drawn in its cell")
                                    .arg(e)
                                    .arg(data.valueText(e))));
        }
        // The tile label names the fixed indices, Python's way, right above that tile's cells.
        const qint64 tile = g.tileOf(labelled);
        QCOMPARE(LogicalPainter::tileLabel(g, tile), label);
        const auto labels = boxes.withText(label);
        QCOMPARE(labels.size(), std::size_t(1));
        QVERIFY(g.tileHeaderRect(tile).adjusted(-0.5, -0.5, 0.5, 0.5).contains(labels.front().rect));
        QVERIFY(labels.front().rect.bottom() <= g.tileRect(tile).top() + 0.5);
        // No text on other text, none outside the picture.
        const QStringList problems = boxes.problems();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // Caption, index numbers, tile labels and values never overlap and never leave the picture, for
    // every kind of grid and any zoom.
    void logicalTextNeverOverlaps_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::newRow("1-D") << Shape{40};
        QTest::newRow("2-D") << Shape{12, 30};
        QTest::newRow("3-D") << Shape{7, 3, 4};
        QTest::newRow("4-D") << Shape{3, 5, 2, 6};
        QTest::newRow("5-D") << Shape{2, 2, 3, 4, 3};
        QTest::newRow("6-D") << Shape{2, 3, 2, 2, 3, 4};
        QTest::newRow("packed 12-D") << Shape(12, 2);
        QTest::newRow("4-D with a long outer axis") << Shape{40, 2, 3, 4};
    }
    void logicalTextNeverOverlaps()
    {
        QFETCH(Shape, shape);
        const ReportData data(makeReport("B", shape));
        for (const QSizeF window : {QSizeF(600, 160), QSizeF(1000, 640), QSizeF(300, 200)}) {
            const Zoom fitted = LogicalPainter::fitZoom(data, m_theme, window, -1, -1, 2.0);
            for (const Zoom zoom : {fitted, fitted / 3, 0.5, 1.0, 2.5}) {
                const LogicalPainter logical(data, m_theme, zoom);
                const QSizeF size = logical.size();
                TextBoxes boxes(size.toSize() + QSize(1, 1));
                {
                    QPainter painter(&boxes);
                    logical.paint(painter, QRectF(QPointF(0, 0), size), {});
                }
                const QStringList problems = boxes.problems();
                QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("zoom %1: ").arg(zoom) +
                                                        problems.mid(0, 5).join(QLatin1Char('\n'))));
            }
        }
    }

    // render and Export image: the whole picture (titles, captions, the Result's explanation box,
    // legends, labels) at its own size and squeezed into small ones; the explanation spilled out
    // of its box at 800x600.
    void pictureTextNeverOverlaps_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::newRow("5-D copy") << "B" << Shape{2, 2, 3, 4, 3} << Strides{120, 60, -20, 5, 2};
        QTest::newRow("transpose copy") << "i" << Shape{4, 3} << Strides{4, 16};
        QTest::newRow("alias") << "h" << Shape{3, 4} << Strides{};
    }
    void pictureTextNeverOverlaps()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        auto report = makeReport(format.toStdString(), shape, strides);
        const auto views = ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result;
        const QSize natural = ReportPicture::preferredSize(*report, views, m_theme);
        for (const QSize size : {natural, QSize(800, 600), QSize(640, 900), QSize(1200, 500)}) {
            TextBoxes boxes(size);
            {
                QPainter painter(&boxes);
                ReportPicture::paint(painter, QRectF(QPointF(0, 0), QSizeF(size)), *report, views, m_theme);
            }
            QVERIFY(!boxes.boxes().empty());
            const QStringList problems = boxes.problems();
            QVERIFY2(problems.isEmpty(),
                     qPrintable(QStringLiteral("%1x%2: ").arg(size.width()).arg(size.height()) +
                                problems.mid(0, 5).join(QLatin1Char('\n'))));
        }
    }

    // The Result's outcome and explanation were measured at one width and drawn at another: at
    // some widths the last line fell out of the box.
    void explanationStaysInItsBox()
    {
        for (const auto& report : {makeReport("B", {2, 2, 3, 4, 3}, {120, 60, -20, 5, 2}),
                                   makeReport("h", {3, 4}), makeReport("i", {4, 3}, {4, 16}, {}, true)}) {
            const ReportData data(report);
            for (int width = 240; width <= 1100; width += 7) {
                const ResultPainter result(data, m_theme, 1.0, width);
                const QRectF box = result.bannerBox();
                TextBoxes boxes(result.size().toSize() + QSize(1, 1));
                {
                    QPainter painter(&boxes);
                    result.paint(painter, QRectF(QPointF(0, 0), result.size()), {});
                }
                int inBox = 0;
                for (const TextBoxes::Box& b : boxes.boxes()) {
                    if (!b.rect.intersects(box))
                        continue;
                    ++inBox;
                    QVERIFY2(
                        box.adjusted(-0.5, -0.5, 0.5, 0.5).contains(b.rect),
                        qPrintable(QStringLiteral("width %1: '%2' leaves its box").arg(width).arg(b.text)));
                }
                QVERIFY(inBox >= 2); // the outcome and at least a line of explanation
                const QStringList problems = boxes.problems();
                QVERIFY2(problems.isEmpty(),
                         qPrintable(QStringLiteral("width %1: ").arg(width) + problems.join('\n')));
            }
        }
    }

    // render drew the 5-D array at 1024x44458. The picture is capped, and says so when its cells
    // are too small for their values or are aggregated.
    void renderOfAnNdArrayIsCappedAndSaysWhenAggregated()
    {
        auto small = makeReport("B", {2, 2, 3, 4, 3}, {120, 60, -20, 5, 2});
        const auto views = ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result;
        const QSize natural = ReportPicture::preferredSize(*small, views, m_theme);
        QVERIFY2(natural.width() <= 1100 && natural.height() <= 1100,
                 qPrintable(QStringLiteral("%1x%2").arg(natural.width()).arg(natural.height())));
        QCOMPARE(ReportPicture::notes(*small, views, m_theme), QStringList{}); // every value readable
        const QStringList squeezed = ReportPicture::notes(*small, views, m_theme, QSize(640, 480));
        QCOMPARE(squeezed.size(), 1);
        QVERIFY2(squeezed.first().contains(QStringLiteral("too small to read their values")),
                 qPrintable(squeezed.first()));
        const QStringList tiny = ReportPicture::notes(*small, views, m_theme, QSize(300, 200));
        QCOMPARE(tiny.size(), 1);
        QVERIFY2(tiny.first().contains(QStringLiteral("144 elements are aggregated")),
                 qPrintable(tiny.first()));
        // 1.2 million elements: drawn one colour per pixel, and the note says so.
        auto big = makePlacedReport("B", {20, 30, 40, 50}, {});
        const QSize bigSize = ReportPicture::preferredSize(*big, ReportPicture::Logical, m_theme);
        QVERIFY(PictureLimits::fits(bigSize, 1.0));
        QVERIFY2(bigSize.width() <= 1100 && bigSize.height() <= 2000,
                 qPrintable(QStringLiteral("%1x%2").arg(bigSize.width()).arg(bigSize.height())));
        const QStringList notes = ReportPicture::notes(*big, ReportPicture::Logical, m_theme);
        QVERIFY2(notes.join(QLatin1Char(' ')).contains(QStringLiteral("1,200,000 elements are aggregated")),
                 qPrintable(notes.join(QLatin1Char('\n'))));
    }

    // Ctrl+wheel, + and - keep the spot under the mouse where it is (labels and gaps do not zoom,
    // so scaling the scroll position in proportion missed it).
    void zoomKeepsThePointUnderTheMouse()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(makeReport("B", {2, 4, 3, 4, 3})));
        LogicalView view(&state, &highlight);
        view.resize(500, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setZoom(2.5);
        QWidget* viewport = view.viewport();
        const ReportData data(state.report());
        const auto under = [&](QPoint at) {
            const QPointF content =
                at + QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value());
            const LogicalPainter logical(data, view.theme(), view.zoom());
            const auto index = logical.geometry().indexAt(content);
            return index ? LogicalGridGeometry::linearIndex(data.sourceLayout().shape(), *index)
                         : ElementIndex(-1);
        };
        // Element 196 ([1, 1, 1, 1, 1]) under the mouse, away from the edges so scrolling can keep it.
        const ElementIndex element = 196;
        const LogicalPainter before(data, view.theme(), view.zoom());
        const QRectF cell = before.cellRect(element);
        view.horizontalScrollBar()->setValue(int(cell.center().x()) - 370);
        view.verticalScrollBar()->setValue(int(cell.center().y()) - 90);
        const QPoint mouse =
            (cell.center() - QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value()))
                .toPoint();
        QVERIFY2(QRect(QPoint(0, 0), viewport->size()).adjusted(60, 60, -60, -60).contains(mouse),
                 qPrintable(QStringLiteral("%1,%2").arg(mouse.x()).arg(mouse.y())));
        QCOMPARE(under(mouse), element);
        QMouseEvent move(QEvent::MouseMove, QPointF(mouse), viewport->mapToGlobal(QPointF(mouse)),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(viewport, &move);
        const QPointF spot =
            (QPointF(mouse) +
             QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value()) -
             cell.topLeft());
        const QPointF fraction(spot.x() / cell.width(), spot.y() / cell.height());
        const auto checkSpot = [&](const char* what) {
            const LogicalPainter now(data, view.theme(), view.zoom());
            const QRectF moved = now.cellRect(element);
            const QPointF expected =
                moved.topLeft() + QPointF(fraction.x() * moved.width(), fraction.y() * moved.height()) -
                QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value());
            QVERIFY2(std::abs(expected.x() - mouse.x()) <= 1.5 && std::abs(expected.y() - mouse.y()) <= 1.5,
                     qPrintable(QStringLiteral("%1: the spot moved to %2,%3")
                                    .arg(what)
                                    .arg(expected.x())
                                    .arg(expected.y())));
            QCOMPARE(under(mouse), element);
        };
        QTest::keyClick(&view, Qt::Key_Plus);
        checkSpot("+");
        QTest::keyClick(&view, Qt::Key_Minus);
        QTest::keyClick(&view, Qt::Key_Minus);
        checkSpot("-");
        QWheelEvent wheel(QPointF(mouse), viewport->mapToGlobal(QPointF(mouse)), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(viewport, &wheel);
        checkSpot("Ctrl+wheel");
        QVERIFY(!view.isFitted());
    }

    // The memory strip keeps the byte under the mouse when it zooms, also when its bytes per row
    // are set from outside (shared with the Result strip): the anchor is found in the strip as drawn.
    void memoryZoomKeepsTheByteUnderTheMouseWithSharedRows()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(makeReport("B", {64, 64}, {1, 64})));
        MemoryStripView view(&state, &highlight);
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setBytesPerRow(24); // not what the strip would choose itself at any zoom here
        view.setZoom(2.0);
        QWidget* viewport = view.viewport();
        const ByteOffset byte = 1000;
        const auto scroll = [&] {
            return QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value());
        };
        const auto cellOf = [&] { return view.painter().byteRect(byte); };
        QVERIFY(cellOf());
        view.horizontalScrollBar()->setValue(int(cellOf()->center().x()) - 300);
        view.verticalScrollBar()->setValue(int(cellOf()->center().y()) - 200);
        const QPoint mouse = (cellOf()->center() - scroll()).toPoint();
        QVERIFY(QRect(QPoint(0, 0), viewport->size()).adjusted(40, 40, -40, -40).contains(mouse));
        QMouseEvent move(QEvent::MouseMove, QPointF(mouse), viewport->mapToGlobal(QPointF(mouse)),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(viewport, &move);
        const QRectF before = *cellOf();
        const QPointF spot = QPointF(mouse) + scroll() - before.topLeft();
        const QPointF fraction(spot.x() / before.width(), spot.y() / before.height());
        for (int key : {int(Qt::Key_Plus), int(Qt::Key_Plus), int(Qt::Key_Minus)}) {
            QTest::keyClick(&view, Qt::Key(key));
            const auto cell = cellOf();
            QVERIFY(cell);
            const QPointF expected = cell->topLeft() +
                                     QPointF(fraction.x() * cell->width(), fraction.y() * cell->height()) -
                                     scroll();
            QVERIFY2(std::abs(expected.x() - mouse.x()) <= 1.5 && std::abs(expected.y() - mouse.y()) <= 1.5,
                     qPrintable(QStringLiteral("the spot of byte %1 moved to %2,%3; the mouse is at %4,%5")
                                    .arg(byte)
                                    .arg(expected.x())
                                    .arg(expected.y())
                                    .arg(mouse.x())
                                    .arg(mouse.y())));
        }
    }

    // ---- zoom, large buffers --------------------------------------------------------------------

    void zoomKeysAndFit()
    {
        InspectionState state;
        HighlightModel highlight;
        state.setReport(ReportData::forWindow(makeReport("B", {64, 64}, {1, 64})));
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

    // ---- strip overview (the looks of every byte, worked out once per report) ------------------

    void overviewMatchesOwnership_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<qint64>("offset");   // SyntheticReport::Spec::offset (-1: the smallest)
        QTest::addColumn<qint64>("memory");   // Spec::memory (-1: the smallest)
        QTest::addColumn<bool>("indirect");   // PIL style
        QTest::addColumn<qint64>("moveBuf");  // afterwards, buf this far into a block of
        QTest::addColumn<qint64>("moveSize"); // this many bytes (-1: leave the block alone)
        auto row = [](const char* name, const char* format, Shape shape, Strides strides, qint64 offset = -1,
                      qint64 memory = -1, bool indirect = false, qint64 moveBuf = 0, qint64 moveSize = -1) {
            QTest::newRow(name) << QString::fromLatin1(format) << shape << strides << offset << memory
                                << indirect << moveBuf << moveSize;
        };
        row("C order", "h", {3, 4}, {});
        row("Fortran", "i", {3, 4}, {4, 12});
        row("transpose", "B", {8, 8}, {1, 8});
        row("transpose 'd'", "d", {3, 5}, {8, 24});
        row("negative strides", "h", {3, 4}, {-8, -2});
        row("negative and positive", "d", {3, 3}, {-24, 8});
        row("every other column", "B", {4, 4}, {8, 2});
        row("every other column 'i'", "i", {3, 2}, {16, 8});
        row("3-D permuted", "B", {3, 2, 4}, {4, 12, 1});
        row("'3s' items with gaps", "3s", {4, 2}, {7, 4});
        row("'3s' items overlapping", "3s", {5}, {2});
        row("overlapping 'i'", "i", {6}, {2});
        row("broadcast row", "h", {3, 4}, {0, 2});
        row("broadcast everything", "B", {5, 3}, {0, 0});
        row("broadcast of a transpose", "h", {3, 4, 2}, {8, 0, 2});
        // 2^43 elements on 8 bytes: the walk leaves the zero-stride axes out (8 steps), every byte is shared.
        row("huge broadcast", "B", {1 << 20, 1 << 20, 8}, {0, 0, 1});
        row("huge broadcast 'i' reversed", "i", {1 << 22, 1 << 20, 5}, {0, 0, -4});
        row("sliding window", "B", {5, 4}, {1, 1});
        row("sliding window 'h'", "h", {6, 3}, {2, 2});
        row("sliding window, odd strides", "i", {4, 5}, {3, 1});
        // 4,000,000 moving elements on 3,999 bytes: too many to walk, so the overview asks per byte.
        row("heavy overlap asks per byte", "B", {2000, 2000}, {1, 1});
        // Big enough for the bands on several threads: a walk (262,144 elements) and an ask (200,063 bytes).
        row("transpose walked in bands", "B", {512, 512}, {1, 512});
        row("reversed transpose walked in bands", "h", {512, 512}, {-2, -1024});
        row("sliding window asked in bands", "B", {200000, 64}, {1, 1});
        row("gaps before and after the elements", "B", {3, 2}, {4, 1}, 5, 32);
        row("bigger block, negative strides", "h", {3, 2}, {-6, -2}, 20, 40);
        // Elements outside the block: the strip widens to show them.
        row("elements before the block", "B", {6}, {-1}, -1, -1, false, 2, 4);
        row("elements past the block", "h", {4}, {}, -1, -1, false, 0, 3);
        row("shared bytes on both sides of the block", "B", {4, 3}, {1, 1}, -1, -1, false, -1, 3);
        row("transpose straddling the block", "h", {4, 3}, {2, 8}, -1, -1, false, -6, 20);
        row("broadcast outside the block", "i", {3, 2}, {0, -4}, -1, -1, false, 2, 4);
        row("everything outside the block", "B", {3, 2}, {2, 1}, -1, -1, false, 10, 4);
        row("empty block", "h", {2, 2}, {}, -1, -1, false, 0, 0);
        row("0-d", "d", {}, {});
        row("0-d in a bigger block", "h", {}, {}, 3, 9);
        row("empty", "B", {3, 0}, {});
        row("empty in a block", "i", {0, 4}, {}, -1, 16);
        row("PIL rows", "B", {3, 4}, {}, -1, -1, true);
        row("PIL rows, reversed 'h'", "h", {3, 3}, {1, -2}, -1, -1, true);
        row("PIL 3-D 'i'", "i", {2, 3, 2}, {1, 4, 12}, -1, -1, true);
        row("elements past the widening margin", "B", {3}, {3'000'000}, -1, -1, false, 0, 10);
        row("elements on both sides, past the margins", "h", {3}, {-2'000'000}, -1, -1, false, 2'000'010,
            4'000'000);
        // Byte 128 is reached by 65 elements [128 - 2j, j]; the lowest, [0, 64] = 64, is found last by
        // the inverse map's search (which therefore bounds a second search by the lowest found).
        row("more than 64 owners, largest stride last", "B", {129, 65}, {1, 2});
    }
    void overviewMatchesOwnership()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        QFETCH(qint64, offset);
        QFETCH(qint64, memory);
        QFETCH(bool, indirect);
        QFETCH(qint64, moveBuf);
        QFETCH(qint64, moveSize);
        const ReportData data(makePlacedReport(format.toStdString(), shape, strides, offset, memory, indirect,
                                               moveBuf, moveSize));
        QVERIFY(data.hasSource());
        QCOMPARE(data.sourceLayout().isIndirect(), indirect);
        // The strip is the block, widened to every element outside it.
        ByteOffset first = 0, end = data.blockSize();
        if (data.elementCount() <= 100000) {
            for (ElementIndex e = 0; e < data.elementCount(); ++e) {
                const auto off = data.elementOffset(e);
                QVERIFY(off);
                first = std::min(first, *off);
                end = std::max(end, *off + data.sourceLayout().itemSize());
            }
        } else if (const auto ext = data.sourceLayout().extent()) {
            first = std::min(first, ext->first);
            end = std::max(end, ext->end);
        }
        // ... by at most 1 MiB either side.
        first = std::max(first, -(ByteOffset(1) << 20));
        end = std::min(end, data.blockSize() + (ByteOffset(1) << 20));
        QCOMPARE(data.displayFirst(), first);
        QCOMPARE(data.displayEnd(), end);
        if (moveSize >= 0 && data.elementCount() > 0)
            QVERIFY(first < 0 || end > data.blockSize());
        const QString why = reportOverviewMismatch(data);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // Small layouts also against every element's bytes, so layouts whose overview asks the inverse
        // map (PIL, heavy overlap) are not checked against themselves.
        if (data.elementCount() > 20000 || data.displayEnd() - data.displayFirst() > 20000)
            return;
        const double scale = Theme::paletteScale(data.elementCount());
        for (ByteOffset b = data.displayFirst(); b < data.displayEnd(); ++b) {
            const auto owners = bruteOwners(data.sourceLayout(), b);
            const bool inside = data.insideBlock(b);
            StripOverview::Code expected =
                owners.empty() ? (inside ? StripOverview::gap : StripOverview::nothing)
                : inside       ? StripOverview::Code(Theme::paletteIndex(owners.front(), scale))
                               : StripOverview::outside;
            if (owners.size() > 1)
                expected |= StripOverview::sharedBit;
            const auto code = data.sourceOverview().at(b);
            if (code != expected)
                QFAIL(qPrintable(QStringLiteral("byte %1: overview %2, its elements say %3")
                                     .arg(b)
                                     .arg(overviewCodeText(code), overviewCodeText(expected))));
        }
    }

    void overviewMatchesOwnershipOnRandomLayouts()
    {
        // Fixed seed, so a failure repeats; it is printed with the layout that fails.
        const quint32 seed = 20240611;
        std::mt19937 random(seed);
        auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
        const char* formats[] = {"B", "h", "3s", "i"};
        int copies = 0, shared = 0, outside = 0, indirects = 0;
        for (int round = 0; round < 400; ++round) {
            const int item = pick(1, 4);
            const std::string format = formats[item - 1];
            const int ndim = pick(0, 4);
            Shape shape;
            Strides strides;
            for (int d = 0; d < ndim; ++d) {
                shape.push_back(pick(0, 9) == 0 ? 0 : pick(1, 5));
                const int unit = pick(0, 2) == 0 ? item : pick(1, 3);
                strides.push_back(std::clamp(unit * pick(-4, 4), -12, 12));
            }
            const bool indirect = ndim >= 1 && pick(0, 9) == 0;
            ByteOffset low = 0, high = item;
            for (int d = 0; d < ndim; ++d) {
                const ByteOffset span = (std::max<Extent>(shape[d], 1) - 1) * strides[d];
                (span < 0 ? low : high) += span;
            }
            ByteOffset offset = -1, memory = -1, moveBuf = 0, moveSize = -1;
            if (!indirect && pick(0, 2) == 0) {
                offset = -low + pick(0, 6);
                memory = offset + high + pick(0, 6);
            }
            if (!indirect && pick(0, 3) == 0) {
                moveBuf = -low + pick(-8, 8);
                moveSize = pick(0, int(high - low) + 4);
            }
            const ReportData data(
                makePlacedReport(format, shape, strides, offset, memory, indirect, moveBuf, moveSize));
            const QString why = reportOverviewMismatch(data);
            QVERIFY2(why.isEmpty(),
                     qPrintable(QStringLiteral(
                                    "seed %1, round %2: %3%4, offset %5, memory %6, block moved to buf %7 "
                                    "size %8: %9")
                                    .arg(seed)
                                    .arg(round)
                                    .arg(layoutText(format, shape, strides),
                                         indirect ? QStringLiteral(" (PIL)") : QString())
                                    .arg(offset)
                                    .arg(memory)
                                    .arg(moveBuf)
                                    .arg(moveSize)
                                    .arg(why)));
            copies += data.copyLayout().has_value();
            indirects += indirect;
            bool sharedHere = false, outsideHere = false;
            for (ByteOffset b = data.displayFirst(); b < data.displayEnd(); ++b) {
                const auto o = data.sourceOwners().at(b);
                sharedHere = sharedHere || o.isShared();
                outsideHere = outsideHere || (!o.isGap() && !data.insideBlock(b));
            }
            shared += sharedHere;
            outside += outsideHere;
        }
        // The rounds cover what they are meant to.
        QVERIFY(copies > 50);
        QVERIFY(shared > 50);
        QVERIFY(outside > 20);
        QVERIFY(indirects > 10);
    }

    void overviewOfAHugeStripKeepsEveryElement_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<qint64>("moveSize"); // the block shrunk to this many bytes (-1: as made)
        // Six elements (shape {3, 2}) spread over 17 to 20 MB: more bytes than the overview keeps, so
        // an entry stands for 2 bytes.
        QTest::newRow("one-byte elements, two on odd bytes") << "B" << Strides{10'000'001, 2} << qint64(-1);
        QTest::newRow("three-byte elements") << "3s" << Strides{10'000'001, 5} << qint64(-1);
        // Elements [2, 0] and [2, 1] start on an even and an odd byte; the block ends between the two
        // bytes of [2, 0].
        QTest::newRow("two-byte elements past the block")
            << "h" << Strides{8'500'001, 3} << qint64(17'000'003);
    }
    void overviewOfAHugeStripKeepsEveryElement()
    {
        QFETCH(QString, format);
        QFETCH(Strides, strides);
        QFETCH(qint64, moveSize);
        const ReportData data(
            makePlacedReport(format.toStdString(), {3, 2}, strides, -1, -1, false, 0, moveSize));
        const ByteCount item = data.sourceLayout().itemSize();
        const ByteOffset lastEnd = *data.elementOffset(5) + item;
        QCOMPARE(data.blockSize(), moveSize >= 0 ? ByteCount(moveSize) : lastEnd);
        QCOMPARE(data.displayFirst(), ByteOffset(0));
        QCOMPARE(data.displayEnd(), lastEnd);
        const StripOverview& overview = data.sourceOverview();
        QCOMPARE(overview.first(), ByteOffset(0));
        QCOMPARE(overview.end(), lastEnd);
        const int shift = overview.shift();
        QVERIFY(shift >= 1);
        const ByteCount bytes = overview.end() - overview.first();
        const ByteCount entries = ((bytes - 1) >> shift) + 1;
        QVERIFY(entries <= StripOverview::maxEntries);
        QVERIFY(((bytes - 1) >> (shift - 1)) + 1 > StripOverview::maxEntries); // no coarser than needed
        // Codes (2 bytes an entry) and summaries (4 bytes per 8 entries, halving level by level).
        QVERIFY(overview.memoryUse() <= std::size_t(entries) * 3 + 4096);
        QVERIFY(overview.memoryUse() >= std::size_t(entries) * sizeof(StripOverview::Code));
        const ByteOffset step = ByteOffset(1) << shift;
        // Every entry as its bytes say; every byte of an entry reads the entry.
        int partialEntries = 0;
        for (ByteOffset b = overview.first(); b < overview.end(); b += step) {
            const ByteOffset last = std::min(b + step, overview.end());
            const auto code = overview.at(b);
            const auto expected =
                expectedEntryCode(data.sourceOwners(), data.elementCount(), 0, data.blockSize(), b, last);
            if (code != expected)
                QFAIL(qPrintable(QStringLiteral("entry of byte %1: %2, ownership says %3")
                                     .arg(b)
                                     .arg(overviewCodeText(code), overviewCodeText(expected))));
            if (overview.at(last - 1) != code)
                QFAIL(qPrintable(
                    QStringLiteral("byte %1 reads another entry than byte %2").arg(last - 1).arg(b)));
            partialEntries += (code & StripOverview::partialBit) != 0;
        }
        QVERIFY(partialEntries > 0); // entries with an element byte and a gap byte
        // No element vanishes: the entry holding its first byte shows it (or `outside`).
        const double scale = Theme::paletteScale(6);
        for (ElementIndex e = 0; e < 6; ++e) {
            const ByteOffset off = *data.elementOffset(e);
            const StripOverview::Code value = overview.at(off) & StripOverview::valueMask;
            QVERIFY(value == Theme::paletteIndex(e, scale) || value == StripOverview::outside);
        }
    }

    void overviewOfAHugeBroadcastStrip()
    {
        // 3·2^30 elements (a broadcast) over 20 MB: the walk takes the 3 moving ones, with a shift.
        const ReportData data(makePlacedReport("h", {1 << 30, 3}, {0, 10'000'001}));
        QCOMPARE(data.elementCount(), ElementIndex(3) << 30);
        const StripOverview& overview = data.sourceOverview();
        const int shift = overview.shift();
        QVERIFY(shift >= 1);
        QVERIFY(overview.memoryUse() <= std::size_t(2 * StripOverview::maxEntries));
        const ByteOffset step = ByteOffset(1) << shift;
        auto check = [&](ByteOffset b) {
            const ByteOffset entry = overview.first() + ((b - overview.first()) >> shift << shift);
            const auto expected =
                expectedEntryCode(data.sourceOwners(), data.elementCount(), 0, data.blockSize(), entry,
                                  std::min(entry + step, overview.end()));
            return overview.at(b) == expected;
        };
        // Around every element, and every few thousand entries.
        int owned = 0;
        for (ElementIndex e = 0; e < 3; ++e) {
            const ByteOffset off = *data.elementOffset(e); // element [0, e]
            for (ByteOffset b = std::max<ByteOffset>(0, off - 8);
                 b < std::min<ByteOffset>(data.displayEnd(), off + 8); ++b) {
                QVERIFY2(check(b), qPrintable(QStringLiteral("byte %1").arg(b)));
                owned += (overview.at(b) & StripOverview::sharedBit) != 0;
            }
        }
        QVERIFY(owned >= 3);
        for (ByteOffset b = overview.first(); b < overview.end(); b += 4099 * step)
            QVERIFY2(check(b), qPrintable(QStringLiteral("byte %1").arg(b)));
    }

    void zoomedOutStripAveragesEveryByte_data()
    {
        QTest::addColumn<qint64>("elements");
        QTest::addColumn<QSize>("available");
        // Fitted: about 2, 8, 30 and 150 bytes a pixel (single bytes, then summaries of the overview).
        QTest::newRow("600 kB in 700x500") << qint64(300000) << QSize(700, 500);
        QTest::newRow("2 MB in 500x400") << qint64(1000000) << QSize(500, 400);
        QTest::newRow("4 MB in 400x300") << qint64(2000000) << QSize(400, 300);
        QTest::newRow("8 MB in 250x180") << qint64(4000000) << QSize(250, 180);
        // Past 2^24 bytes an overview entry stands for 2 bytes: here half element, half gap.
        QTest::newRow("18 MB in 500x400") << qint64(9000000) << QSize(500, 400);
    }
    void zoomedOutStripAveragesEveryByte()
    {
        // Every other byte is a gap. Zoomed out, every pixel must show that mix; sampling a byte or two
        // per pixel shows stripes of pure element and pure gap (moiré) instead.
        QFETCH(qint64, elements);
        QFETCH(QSize, available);
        const ReportData data(makeReport("B", {elements}, {2}));
        const Zoom zoom = MemoryStripPainter::fitZoom(data, m_theme, QSizeF(available), {});
        const MemoryStripPainter painter(data, m_theme, zoom, available.width(), {});
        QImage image = blankImage(available, m_theme);
        {
            QPainter p(&image);
            painter.paint(p, QRectF(QPointF(0, 0), QSizeF(available)), {});
        }
        const QRectF flag = painter.byteRect(0)->adjusted(-4, -4, 12, 12); // the buf marker
        const QRgb gap = m_theme.gap().rgb();
        const double scale = Theme::paletteScale(data.elementCount());
        int checked = 0;
        double bytesPerPixel = 0, worst = 0;
        QString where;
        // Each pixel against the exact mean of the bytes it covers in its strip row, as a share of the
        // difference between its element colour and the gap: a pure element or pure gap pixel where
        // the bytes are half and half is off by 0.5; covering a byte more or less at either end, by
        // up to a third.
        for (int y = 0; y < available.height(); y += 2) {
            for (int x = 0; x < available.width(); x += 2) {
                const auto b0 = painter.targetAt(QPointF(x + 0.01, y + 0.5)).byte;
                const auto b1 = painter.targetAt(QPointF(x + 0.99, y + 0.5)).byte;
                if (b0 < 0 || b1 < b0 || b1 - b0 > 100000 || flag.contains(QPointF(x, y)))
                    continue;
                std::int64_t r = 0, g = 0, bl = 0;
                for (ByteOffset b = b0; b <= b1; ++b) {
                    const QRgb c = b % 2 ? gap : m_theme.paletteRgb(b / 2, scale);
                    r += qRed(c);
                    g += qGreen(c);
                    bl += qBlue(c);
                }
                const QRgb element = m_theme.paletteRgb((b0 + b1) / 4, scale);
                const int contrast =
                    std::max({std::abs(qRed(element) - qRed(gap)), std::abs(qGreen(element) - qGreen(gap)),
                              std::abs(qBlue(element) - qBlue(gap))});
                if (contrast < 60)
                    continue; // too close to the gap colour to tell
                const std::int64_t n = b1 - b0 + 1;
                bytesPerPixel = std::max(bytesPerPixel, double(n));
                const QRgb got = image.pixel(x, y);
                const int diff = int(std::max({std::abs(qRed(got) - r / n), std::abs(qGreen(got) - g / n),
                                               std::abs(qBlue(got) - bl / n)}));
                if (double(diff) / contrast > worst) {
                    worst = double(diff) / contrast;
                    where = QStringLiteral("pixel (%1, %2), bytes %3-%4").arg(x).arg(y).arg(b0).arg(b1);
                }
                ++checked;
            }
        }
        qInfo("%d pixels checked, up to %.0f bytes a pixel, worst off by %.2f of the element-gap contrast",
              checked, bytesPerPixel, worst);
        QVERIFY(checked > 1000);
        QVERIFY(bytesPerPixel >= 2);
        QVERIFY2(worst <= 0.4, qPrintable(QStringLiteral("%1 off by %2").arg(where).arg(worst)));
    }

    void aggregatedStripIsTheSameWithAndWithoutOverview_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Strides>("strides");
        QTest::addColumn<qint64>("moveBuf");
        QTest::addColumn<qint64>("moveSize");
        QTest::addColumn<double>("zoom");
        QTest::addColumn<int>("width");
        auto row = [](const char* name, const char* format, Shape shape, Strides strides, qint64 moveBuf,
                      qint64 moveSize, double zoom, int width) {
            QTest::newRow(name) << QString::fromLatin1(format) << shape << strides << moveBuf << moveSize
                                << zoom << width;
        };
        row("transpose 64x64", "B", {64, 64}, {1, 64}, 0, -1, 0.1, 500);
        row("transpose 64x64, 2 bytes a pixel", "B", {64, 64}, {1, 64}, 0, -1, 1.0 / 48, 300);
        // Up to 7 bytes a pixel the painter reads single bytes; from 8, summaries (see below).
        row("transpose 64x64, 7 bytes a pixel", "B", {64, 64}, {1, 64}, 0, -1, 1.0 / 168, 200);
        row("sliding window", "B", {2000, 4}, {1, 1}, 0, -1, 0.05, 400);
        row("sliding window 'h', 3 bytes a pixel", "h", {700, 8}, {2, 2}, 0, -1, 1.0 / 72, 300);
        // 160,000 elements on 20,007 bytes: the overview asks the inverse map per byte instead of walking.
        row("sliding window of many elements", "B", {20000, 8}, {1, 1}, 0, -1, 0.02, 400);
        row("elements past the block", "h", {2048}, {}, 0, 3000, 0.08, 400);
        row("elements before the block", "B", {3000}, {-1}, 1000, 2000, 0.06, 400);
        row("broadcast straddling the block", "i", {3, 600}, {0, 4}, -800, 1600, 0.1, 400);
        row("every other column", "B", {64, 32}, {64, 2}, 0, -1, 0.08, 400);
        row("every other column 'i'", "i", {32, 16}, {128, 8}, 0, -1, 1.0 / 30, 300);
        // Byte 128 has 65 owners; see overviewMatchesOwnership.
        row("more than 64 owners, largest stride last", "B", {129, 65}, {1, 2}, 0, -1, 0.1, 300);
    }
    // NestedCoverage answers, from the layout's structure, what a walk over every byte answers: the
    // owned bytes below each position, the sum of their lowest elements and how many have a single
    // owner. Checked at every position around the layout (so every range), for fixed layouts, 3,000
    // random nested ones, 3,000 random windows (sliding_window_view's axes, in any order) and 3,000
    // windows with a hop.
    void nestedCoverageMatchesAWalkOverEveryByte()
    {
        auto check = [](const StridedLayout& layout) -> QString {
            const ByteOwnership owners(layout);
            const NestedCoverage coverage(layout);
            if (owners.hasNestedMovingAxes() && !coverage.isValid())
                return QStringLiteral("a nested layout without coverage");
            if (!coverage.isValid())
                return {};
            const auto ext = layout.extent();
            if (!ext)
                return QStringLiteral("no extent");
            std::int64_t bytes = 0, unshared = 0;
            __int128 sum = 0;
            for (ByteOffset x = ext->first - 3; x <= ext->end + 3; ++x) {
                const NestedCoverage::Prefix p = coverage.below(x);
                if (p.bytes != bytes || p.elementSum != sum || p.unshared != unshared)
                    return QStringLiteral("below(%1): %2 bytes, sum %3, %4 unshared; the walk: %5 bytes, sum "
                                          "%6, %7 unshared")
                        .arg(x)
                        .arg(p.bytes)
                        .arg(double(p.elementSum))
                        .arg(p.unshared)
                        .arg(bytes)
                        .arg(double(sum))
                        .arg(unshared);
                const auto o = owners.at(x);
                if (!o.isGap()) {
                    ++bytes;
                    sum += o.first;
                    unshared += !o.isShared();
                    if (o.isShared() && !coverage.mayShare())
                        return QStringLiteral("byte %1 is shared, the coverage says none is").arg(x);
                }
            }
            return {};
        };
        const std::vector<StridedLayout> fixed = {
            StridedLayout(1, {16, 16}, {16, 1}, 0),                  // C order
            StridedLayout(1, {16, 16}, {1, 16}, 0),                  // a transpose
            StridedLayout(4, {5, 7}, {4, 20}, 0),                    // Fortran, items of 4
            StridedLayout(2, {6, 5}, {-20, -2}, 118),                // reversed both ways
            StridedLayout(1, {64, 32}, {64, 2}, 0),                  // every other column
            StridedLayout(4, {3, 600}, {0, 4}, 0),                   // a broadcast
            StridedLayout(1, {2, 3, 2, 4, 3}, {1, 2, 6, 12, 48}, 0), // 5-D, permuted
            StridedLayout(8, {3, 4, 5}, {-200, 40, 8}, 400),         // 3-D, one axis reversed, gaps
            StridedLayout(3, {1, 9, 1}, {999, 5, -7}, 2),            // extent-1 axes with odd strides
            StridedLayout(1, {10}, {1}, -4),                         // starting before the block
            StridedLayout(1, {40, 40}, {1, 1}, 0),                   // a sliding window
            StridedLayout(2, {33, 8}, {2, 2}, 0),                    // a window of int16
            StridedLayout(1, {5, 6, 3, 4}, {9, 1, 9, 1}, 0),         // a 2-D window over a 7x9 image
            StridedLayout(4, {7, 5}, {-4, 4}, 40),                   // a window, one axis reversed
            StridedLayout(1, {4, 6, 5}, {0, 1, 1}, 0),               // a window, broadcast
            StridedLayout(1, {3, 4, 5}, {1, 1, 1}, 0),               // three axes of one stride
            StridedLayout(1, {10, 4}, {2, 1}, 0),                    // windows of 4 with a hop of 2
            StridedLayout(1, {6, 7}, {3, 1}, 0),                     // hop 3, windows of 7
            StridedLayout(2, {5, 8}, {-6, 2}, 40),                   // hop 3 of int16, reversed windows
            StridedLayout(1, {4, 5, 3}, {20, 4, 1}, 0), // windows of 5 elements of 4 bytes, hop 1
            StridedLayout(4, {9}, {1}, 0),              // items overlapping their neighbours: not covered
        };
        for (const StridedLayout& layout : fixed) {
            const QString why = check(layout);
            QVERIFY2(why.isEmpty(), qPrintable(why));
        }
        QVERIFY(NestedCoverage(fixed[10]).isValid() && NestedCoverage(fixed[10]).mayShare());
        QVERIFY(NestedCoverage(fixed[12]).isValid());
        QVERIFY(NestedCoverage(fixed[16]).isValid() && NestedCoverage(fixed[18]).isValid());
        QVERIFY(!NestedCoverage(fixed[20]).isValid());
        std::mt19937 random(20261130);
        int nested = 0, windows = 0, hops = 0;
        for (int i = 0; i < 9000; ++i) {
            const int ndim = 1 + int(random() % 4);
            const ByteCount item = 1 + ByteCount(random() % 4);
            std::vector<Extent> shape;
            std::vector<ByteOffset> strides;
            for (int d = 0; d < ndim; ++d)
                shape.push_back(1 + Extent(random() % 5));
            // Strides from C order of a shuffled shape, scaled up now and then (gaps), some negative.
            std::vector<int> order(static_cast<std::size_t>(ndim), 0);
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), random);
            strides.assign(std::size_t(ndim), 0);
            ByteOffset step = item + ByteOffset(random() % 2);
            for (int d : order) {
                const int kind = int(random() % 8);
                strides[std::size_t(d)] = kind == 0 ? 0 : kind == 1 ? -step : step;
                step = step * shape[std::size_t(d)] + ByteOffset(random() % 3);
            }
            if (i >= 6000) {
                // Hops: an axis of stride s becomes n windows t * s apart, each w steps of s (t < w:
                // they overlap), the window axis placed anywhere.
                const std::size_t d = random() % shape.size();
                const Extent w = 2 + Extent(random() % 5);
                const Extent t = 1 + Extent(random() % std::uint64_t(w - 1));
                const ByteOffset s = strides[d] != 0 ? strides[d] : item;
                shape[d] = 1 + Extent(random() % 5);
                strides[d] = (random() % 3 == 0 ? -t : t) * s;
                const std::size_t at = random() % (shape.size() + 1);
                shape.insert(shape.begin() + std::ptrdiff_t(at), w);
                strides.insert(strides.begin() + std::ptrdiff_t(at), random() % 3 == 0 ? -s : s);
            } else if (i >= 3000) {
                // Windows: a new axis with an existing axis' stride (either sign) and extent w, placed
                // anywhere; the windowed axis keeps n - w + 1 (sliding_window_view) or, now and then,
                // all n (its windows reach further: nested or not).
                const int windowCount = 1 + int(random() % 2);
                for (int k = 0; k < windowCount; ++k) {
                    const std::size_t d = random() % shape.size();
                    const Extent w = 2 + Extent(random() % 3);
                    if (random() % 4 != 0)
                        shape[d] = std::max<Extent>(1, shape[d] - w + 1);
                    const std::size_t at = random() % (shape.size() + 1);
                    const ByteOffset stride = random() % 3 == 0 ? -strides[d] : strides[d];
                    shape.insert(shape.begin() + std::ptrdiff_t(at), w);
                    strides.insert(strides.begin() + std::ptrdiff_t(at), stride);
                }
            }
            const StridedLayout layout(item, shape, strides, ByteOffset(random() % 50) - 10);
            const QString why = check(layout);
            QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("random layout %1: %2").arg(i).arg(why)));
            const NestedCoverage coverage(layout);
            nested += coverage.isValid();
            const bool overlapping = coverage.isValid() && !ByteOwnership(layout).hasNestedMovingAxes();
            windows += i >= 3000 && i < 6000 && overlapping;
            hops += i >= 6000 && overlapping;
        }
        QVERIFY(nested > 2000); // the random layouts are mostly covered: the check is not vacuous
        QVERIFY2(windows > 800, qPrintable(QString::number(windows))); // and many are windows
        QVERIFY2(hops > 800, qPrintable(QString::number(hops)));
    }

    // A 268 M-element C-order array (an alias; its report holds no bytes, as render asks for none) is
    // drawn in a capped picture, zoomed out, from the layout's structure: the strip never asks for
    // the per-byte overview (a walk of 268 M bytes), and its first and last pixels show the first
    // and last elements' colours.
    void hugeAliasIsDrawnCappedFromItsStructure()
    {
        SyntheticReport::Spec spec;
        spec.shape = {16384, 16384};
        spec.bytes = false;
        const auto report = SyntheticReport::make(spec);
        QCOMPARE(report->result.outcome, ConversionPrediction::Outcome::Alias);
        QVERIFY(report->sourceBytes.bytes.empty());
        const auto views = ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result;
        const QImage picture = ImageExporter::image(*report, views, m_theme, 1.0);
        QVERIFY(picture.width() <= PictureLimits::maximumSide &&
                picture.height() <= PictureLimits::maximumSide);
        QVERIFY(qint64(picture.width()) * picture.height() <= PictureLimits::maximumPixels);
        QVERIFY(pixelsUnlike(picture, m_theme.background().rgb()) > picture.width() * picture.height() / 4);

        const ReportData data(report);
        QVERIFY(data.sourceCoverage().isValid());
        const QSize frame(1000, 700);
        const Zoom zoom = MemoryStripPainter::fitZoom(data, m_theme, QSizeF(frame), {});
        const ByteOffset first = data.displayFirst(), end = data.displayEnd();
        const PixelX gutter = ByteStripPainter::gutterWidth(first, end, m_theme);
        const QSizeF cell = ByteStripPainter::cellSize();
        const ByteCount bpr =
            ByteStripGeometry::bytesPerRowFor(frame.width() - gutter - 6, cell.width() * zoom, end - first);
        const ByteStripGeometry geometry(first, end, bpr, cell, zoom, QPointF(gutter, 10));
        StripContent content = MemoryStripPainter::sourceContent(data);
        int asked = 0;
        content.overview = [&data, &asked]() -> const StripOverview* {
            ++asked;
            return &data.sourceOverview();
        };
        const ByteStripPainter strip(geometry, content, m_theme);
        QVERIFY(strip.isAggregated());
        QImage image = blankImage(frame, m_theme);
        {
            QPainter painter(&image);
            strip.paint(painter, QRectF(QPointF(0, 0), QSizeF(frame)));
        }
        QCOMPARE(asked, 0);
        // The strip's first pixel (right of the buf marker's bar) and last: elements 0 and the last,
        // a few hundred bytes a pixel, so their colours are the palette's ends or next to them.
        const double scale = Theme::paletteScale(data.elementCount());
        const QRectF rect = geometry.rect();
        const QRgb firstPixel = image.pixel(int(rect.left()) + 4, int(rect.top()) + 4);
        const QRgb lastPixel = image.pixel(int(rect.right()) - 2, int(rect.bottom()) - 1);
        auto near = [](QRgb a, QRgb b) {
            return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
                       std::abs(qBlue(a) - qBlue(b)) <=
                   12;
        };
        QVERIFY2(near(firstPixel, m_theme.paletteRgb(0, scale)), qPrintable(QColor(firstPixel).name()));
        QVERIFY2(near(lastPixel, m_theme.paletteRgb(data.elementCount() - 1, scale)),
                 qPrintable(QColor(lastPixel).name()));
    }

    // Items that overlap their neighbours ('i' a byte apart) are described by no structure: a
    // picture made in one go (`render`, exports) walks their strip byte by byte up to
    // ReportData::boundedOverviewBytes and past that draws it from samples, with the legend and a
    // note saying so. Sliding windows, with or without a hop, are drawn exactly from their structure
    // at any size.
    void picturesSayWhenAStripIsSampled()
    {
        auto make = [](Extent n, ByteOffset hop) {
            SyntheticReport::Spec spec;
            spec.shape = hop == 0 ? std::vector<Extent>{n} : std::vector<Extent>{n, 8};
            spec.strides = hop == 0 ? std::vector<ByteOffset>{1} : std::vector<ByteOffset>{hop, 1};
            spec.format = hop == 0 ? "i" : "B";
            spec.bytes = false;
            return SyntheticReport::make(spec);
        };
        const auto views = ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result;
        auto sampledNote = [&](const InspectionReport& report) {
            for (const QString& note : ReportPicture::notes(report, views, m_theme, {}))
                if (note.startsWith(QStringLiteral("memory view: ")) &&
                    note.contains(MemoryStripPainter::sampledText()))
                    return true;
            return false;
        };
        // 16 MiB: more bytes than a picture has pixels for them (a strip of 1 MiB is drawn a byte or so
        // a pixel, every byte read).
        const auto big = make(1 << 24, 0);     // 16 MiB of overlapping items
        const auto small = make(1 << 16, 0);   // 64 KiB
        const auto sliding = make(1 << 24, 1); // 16 MiB of sliding windows
        const auto hop = make(1 << 22, 4);     // 16 MiB of windows with a hop
        QVERIFY(sampledNote(*big));
        QVERIFY(!sampledNote(*small));
        QVERIFY(!sampledNote(*sliding));
        QVERIFY(!sampledNote(*hop));
        QVERIFY(ReportData(hop).sourceCoverage().isValid());
        // The bound is on the work: past it, a frame never builds the overview (a walk over every byte).
        const ReportData bounded(big, ReportData::OverviewWait::Bounded);
        QVERIFY(!bounded.sourceOverviewAtHand());
        QVERIFY(bounded.sourceOverviewForFrame() == nullptr);
        QVERIFY(ReportData(small, ReportData::OverviewWait::Bounded).sourceOverviewForFrame() != nullptr);
        QVERIFY(ReportData(big, ReportData::OverviewWait::Always).sourceOverviewForFrame() != nullptr);
        // The strip's legend says it, where the picture is drawn.
        const Zoom zoom = MemoryStripPainter::fitZoom(bounded, m_theme, QSizeF(1000, 700), {});
        QVERIFY(MemoryStripPainter(bounded, m_theme, zoom, 1000, {}).isSampled());
        const ReportData always(big, ReportData::OverviewWait::Always);
        QVERIFY(!MemoryStripPainter(always, m_theme, zoom, 1000, {}).isSampled());
        const ReportData slidingData(sliding, ReportData::OverviewWait::Never);
        QVERIFY(slidingData.sourceCoverage().isValid());
        QVERIFY(!MemoryStripPainter(slidingData, m_theme, zoom, 1000, {}).isSampled());
    }

    void aggregatedStripIsTheSameWithAndWithoutOverview()
    {
        QFETCH(QString, format);
        QFETCH(Shape, shape);
        QFETCH(Strides, strides);
        QFETCH(qint64, moveBuf);
        QFETCH(qint64, moveSize);
        QFETCH(double, zoom);
        QFETCH(int, width);
        const ReportData data(
            makePlacedReport(format.toStdString(), shape, strides, -1, -1, false, moveBuf, moveSize));
        // The strip as MemoryStripPainter::layOut places it.
        const ByteOffset first = data.displayFirst(), end = data.displayEnd();
        const PixelX gutter = ByteStripPainter::gutterWidth(first, end, m_theme);
        const QSizeF cell = ByteStripPainter::cellSize();
        const ByteCount bpr =
            ByteStripGeometry::bytesPerRowFor(width - gutter - 6, cell.width() * zoom, end - first);
        const ByteStripGeometry geometry(first, end, bpr, cell, zoom, QPointF(gutter, 10));
        StripContent plain = MemoryStripPainter::sourceContent(data);
        plain.coverage = nullptr; // the overview against the layout asked per byte, not the structure
        QVERIFY(!plain.overview);
        int asked = 0;
        StripContent withOverview = plain;
        withOverview.overview = [&data, &asked]() -> const StripOverview* {
            ++asked;
            return &data.sourceOverview();
        };
        const ByteStripPainter slow(geometry, plain, m_theme);
        const ByteStripPainter fast(geometry, withOverview, m_theme);
        QVERIFY(slow.isAggregated());
        QCOMPARE(data.sourceOverview().shift(), 0);
        const QSize size(int(std::ceil(geometry.rect().right())) + 8,
                         int(std::ceil(geometry.rect().bottom())) + 8);
        auto paint = [&](const ByteStripPainter& strip) {
            QImage image = blankImage(size, m_theme);
            QPainter painter(&image);
            strip.paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
            painter.end();
            return image;
        };
        const QImage expected = paint(slow);
        QCOMPARE(asked, 0);
        const QImage got = paint(fast);
        QVERIFY2(asked > 0, "the painter never asked for the overview");
        QVERIFY(pixelsUnlike(expected, m_theme.background().rgb()) >
                geometry.rect().width() * geometry.rect().height() / 2);
        QString why;
        int differ = 0;
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                if (got.pixel(x, y) != expected.pixel(x, y) && differ++ == 0) {
                    const auto byte = geometry.byteAt(QPointF(x + 0.5, y + 0.5));
                    why = QStringLiteral("pixel (%1, %2), near byte %3: %4 with the overview, %5 without")
                              .arg(x)
                              .arg(y)
                              .arg(byte ? QString::number(*byte) : QStringLiteral("-"))
                              .arg(QColor(got.pixel(x, y)).name(), QColor(expected.pixel(x, y)).name());
                }
        QVERIFY2(differ == 0, qPrintable(QStringLiteral("%1 pixels differ; first: %2").arg(differ).arg(why)));
    }

    void widgetsWithoutAReport()
    {
        InspectionState state;
        HighlightModel highlight;
        LogicalView logical(&state, &highlight);
        MemoryStripView memory(&state, &highlight);
        ResultView result(&state, &highlight);
        const QList<QAbstractScrollArea*> views{static_cast<QAbstractScrollArea*>(&logical),
                                                static_cast<QAbstractScrollArea*>(&memory),
                                                static_cast<QAbstractScrollArea*>(&result)};
        for (QAbstractScrollArea* view : views) {
            view->resize(300, 200);
            // Nothing to draw: no scroll range, nothing but the background.
            QCOMPARE(view->verticalScrollBar()->maximum(), 0);
            QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
            const QImage empty = view->viewport()->grab().toImage();
            QVERIFY(!empty.isNull());
            QCOMPARE(pixelsUnlike(empty, empty.pixel(empty.width() / 2, empty.height() / 2)), 0);
        }
        // Zoom and fit without a report change nothing that could break the next report.
        logical.zoomIn();
        memory.fitToWindow();
        state.setReport(ReportData::forWindow(makeReport("B", {2, 2})));
        for (QAbstractScrollArea* view : views) {
            const QImage drawn = view->viewport()->grab().toImage();
            QVERIFY2(pixelsUnlike(drawn, drawn.pixel(drawn.width() - 1, drawn.height() - 1)) > 200,
                     view->metaObject()->className());
        }
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
    return runWithDeterministicPixels<TestViews>(argc, argv);
}

#include "tst_views.moc"
