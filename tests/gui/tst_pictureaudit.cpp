// The picture audit: for every preset and a catalogue of foreign exporters, inspected for real, the
// views' geometry (not their pixels) says the picture is right and legible. In the window (the views
// at the size of a 1400x900 window's docks, fitted) every element of a small buffer has a cell big
// enough to read its value, every byte an element reaches is drawn in that element's colour, no text
// runs into other text or out of its picture; `render` draws the same strips with the same rules, at
// its natural size and at 800x600.
#include "deterministicpixels.h"
#include "gui/model/inspectionstate.h"
#include "gui/painting/bytestrippainter.h"
#include "gui/painting/highlightmodel.h"
#include "gui/painting/logicalpainter.h"
#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reportpicture.h"
#include "gui/painting/resultpainter.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "gui/views/resultview.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"
#include "textboxes.h"

#include <QApplication>
#include <QMap>
#include <QPainter>
#include <QSet>
#include <QtTest>

#include <memory>

using namespace stridescope;

namespace {

// The size of the Logical and Memory docks in a 1400x900 window.
constexpr QSize kDock(680, 420);
// Buffers up to this many elements are audited element by element.
constexpr ElementIndex kSmall = 512;

Scenario python(const std::string& code)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = code;
    return s;
}

// Foreign exporters: what users bring that Stridescope did not build.
QList<QPair<QString, Scenario>> foreignExporters()
{
    return {
        {"numpy 1-D reversed", python("np.arange(6, dtype=np.int16)[::-1]")},
        {"numpy 2-D transpose", python("np.arange(12, dtype=np.uint8).reshape(3, 4).T")},
        {"numpy 3-D slice", python("np.arange(24, dtype=np.int32).reshape(2, 3, 4)[:, ::2, :]")},
        {"numpy 4-D permuted",
         python("np.arange(48, dtype=np.uint8).reshape(2, 2, 3, 4).transpose(1, 0, 3, 2)")},
        {"numpy 5-D", python("np.arange(240, dtype=np.uint8).reshape(2, 2, 3, 4, 5)[:, :, ::-1, :, ::2]")},
        {"numpy record aligned",
         python("a = np.zeros(4, dtype=np.dtype([('a', '<i2'), ('b', '<f8')], align=True))\n"
                "a['a'] = [1, 2, 3, 4]\na['b'] = [0.5, 1.5, 2.5, 3.5]\na[::2]")},
        {"numpy record packed",
         python("a = np.zeros(3, dtype=[('a', '<i2'), ('b', '<f8')])\na['a'] = [7, 8, 9]\na")},
        {"_testbuffer ND_PIL", python("from _testbuffer import *\n"
                                      "ndarray(list(range(12)), shape=[3, 4], flags=ND_WRITABLE|ND_PIL)")},
        {"_testbuffer ND_FORTRAN",
         python("from _testbuffer import *\nndarray(list(range(12)), shape=[3, 4], flags=ND_FORTRAN)")},
        {"array.array", python("import array\narray.array('h', range(6))")},
        {"bytes", python("b'abcdefgh'")},
        {"bytearray", python("bytearray(range(10))")},
        {"mmap", python("import mmap\nm = mmap.mmap(-1, 16)\nm.write(bytes(range(16)))\nm")},
        {"ctypes array", python("import ctypes\n(ctypes.c_int16 * 6)(*range(6))")},
        {"ctypes structure", python("import ctypes\n"
                                    "class P(ctypes.Structure):\n"
                                    "    _fields_ = [('a', ctypes.c_int16), ('b', ctypes.c_int16)]\n"
                                    "(P * 3)((1, 2), (3, 4), (5, 6))")},
        {"memoryview slice", python("memoryview(bytes(range(16)))[2:12:3]")},
        {"memoryview cast", python("memoryview(bytearray(range(24))).cast('h', [3, 4])")},
    };
}

std::shared_ptr<const InspectionReport> inspect(const Scenario& scenario)
{
    return PythonHost::instance().call(
        [scenario] { return std::make_shared<const InspectionReport>(Inspector::run(scenario, {})); });
}

QString where(const QRectF& r)
{
    return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

QImage blank(QSizeF size, const Theme& theme)
{
    QImage image(size.toSize().expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    image.fill(theme.background());
    return image;
}

// A point inside a byte cell away from its value text and its edges (field lines, outlines).
QPoint quietPoint(const QRectF& cell)
{
    return QPointF(cell.right() - 4, cell.top() + 2).toPoint();
}

// Every text run `paint` draws, with its box.
template <class Paint> std::unique_ptr<TextBoxes> textOf(QSizeF size, Paint&& paint)
{
    auto boxes = std::make_unique<TextBoxes>(size.toSize().expandedTo(QSize(1, 1)));
    {
        QPainter p(boxes.get());
        paint(p);
    }
    return boxes;
}

// The elements whose value is not written (as often as it occurs) among the boxes.
QStringList valuesMissing(const ReportData& data, const TextBoxes& boxes)
{
    QMap<QString, int> wanted;
    for (ElementIndex e = 0; e < data.elementCount(); ++e)
        ++wanted[data.valueText(e)];
    QStringList missing;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const int drawn = int(boxes.withText(it.key()).size());
        if (drawn < it.value())
            missing << QStringLiteral("'%1' drawn %2 times for %3 elements")
                           .arg(it.key())
                           .arg(drawn)
                           .arg(it.value());
    }
    return missing;
}

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestPictureAudit : public QObject
{
    Q_OBJECT

    Theme m_theme = Theme::light();

private slots:
    void initTestCase()
    {
        QVERIFY2(PythonHost::instance().startupError().empty(),
                 PythonHost::instance().startupError().c_str());
    }

    void audit_data()
    {
        QTest::addColumn<Scenario>("scenario");
        for (const Preset& preset : PresetLibrary::all())
            QTest::newRow(qPrintable(QStringLiteral("preset ") + preset.name)) << preset.scenario;
        for (const auto& [name, scenario] : foreignExporters())
            QTest::newRow(qPrintable(name)) << scenario;
    }

    void audit()
    {
        QFETCH(Scenario, scenario);
        std::shared_ptr<const InspectionReport> report;
        try {
            report = inspect(scenario);
        } catch (const SourceError& e) {
            QFAIL(e.what());
        }
        const auto data = ReportData::forWindow(report);

        InspectionState state;
        HighlightModel highlight;
        state.setReport(data);
        LogicalView logicalView(&state, &highlight);
        MemoryStripView memoryView(&state, &highlight);
        ResultView resultView(&state, &highlight);
        for (ReportView* view : std::initializer_list<ReportView*>{&logicalView, &memoryView, &resultView}) {
            view->setTheme(m_theme);
            view->resize(kDock);
            view->show();
        }
        QCoreApplication::processEvents();
        for (ReportView* view : std::initializer_list<ReportView*>{&logicalView, &memoryView, &resultView})
            view->fitToWindow();

        if (data->hasSource() && data->elementCount() <= kSmall)
            auditElements(*data, logicalView, memoryView);
        auditText(*data, logicalView, memoryView, resultView);
    }

    // A PIL-style table's slots are drawn with the bytes the exporter stored: the real pointer, which
    // leads to the row the caption names (ours and another exporter's).
    void pointerSlotsShowThePointerTheyHold_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("ours") << QStringLiteral("pil_indirect");
        QTest::newRow("_testbuffer") << QStringLiteral("pil_foreign");
    }
    void pointerSlotsShowThePointerTheyHold()
    {
        QFETCH(QString, preset);
        const auto report = inspect(PresetLibrary::find(preset)->scenario);
        const auto data = ReportData::forWindow(report);
        QVERIFY(report->memory);
        QCOMPARE(data->indirectRows().size(), std::size_t(3));
        const MemoryStripPainter memory(*data, m_theme, 1.0, 1000, {});
        const auto text = textOf(
            memory.size(), [&](QPainter& p) { memory.paint(p, QRectF(QPointF(0, 0), memory.size()), {}); });
        for (const auto& row : data->indirectRows()) {
            QVERIFY(row.target);
            const Address pointer = report->memory->base + Address(*row.target); // suboffset 0
            for (ByteOffset k = 0; k < ByteOffset(sizeof(void*)); ++k)
                QCOMPARE(data->sourceByte(row.slot + k).value_or(0), std::uint8_t(pointer >> (8 * k)));
            const QString caption = MemoryStripPainter::slotCaption(*data, row);
            QVERIFY2(caption.contains(QStringLiteral("0x") + QString::number(pointer, 16)),
                     qPrintable(caption));
            QCOMPARE(text->withText(caption).size(), std::size_t(1));
            // The slot's first cell shows the pointer's lowest byte.
            const QString low =
                QStringLiteral("%1").arg(uint(pointer & 0xFF), 2, 16, QLatin1Char('0')).toUpper();
            QVERIFY2(!text->withText(low).empty(), qPrintable(low));
        }
    }

private:
    // Every element has a readable cell in the Logical view, and every byte it reaches is drawn in its
    // colour (its padding in the padding shade) in the Memory view, where no other element shares it.
    void auditElements(const ReportData& data, const LogicalView& logicalView,
                       const MemoryStripView& memoryView)
    {
        const LogicalPainter logical = logicalView.painter();
        const QString unreadable = logical.unreadableNote();
        QVERIFY2(
            unreadable.isEmpty(),
            qPrintable(QStringLiteral("Logical view at zoom %1: ").arg(logicalView.zoom()) + unreadable));
        const QRectF content(QPointF(0, 0), logical.size());
        QSet<QPair<qreal, qreal>> corners;
        for (ElementIndex e = 0; e < data.elementCount(); ++e) {
            const QRectF cell = logical.cellRect(e);
            QVERIFY2(
                content.contains(cell) && !cell.isEmpty(),
                qPrintable(
                    QStringLiteral("element %1's cell %2 is not in the picture").arg(e).arg(where(cell))));
            corners.insert({cell.left(), cell.top()});
        }
        QCOMPARE(ElementIndex(corners.size()), data.elementCount()); // one cell each, none drawn twice

        const MemoryStripPainter memory = memoryView.painter();
        QImage image = blank(memory.size(), m_theme);
        {
            QPainter p(&image);
            memory.paint(p, QRectF(QPointF(0, 0), memory.size()), {});
        }
        const ByteCount item = data.sourceLayout().itemSize();
        const ItemFormat* format = data.itemFormat();
        for (ElementIndex e = 0; e < data.elementCount(); ++e) {
            const auto offset = data.elementOffset(e);
            QVERIFY2(offset, qPrintable(QStringLiteral("element %1 has no place in memory").arg(e)));
            const QRgb colour = m_theme.elementColour(e, data.elementCount()).rgb();
            for (ByteOffset k = 0; k < item; ++k) {
                const ByteOffset byte = *offset + k;
                const auto rect = memory.byteRect(byte);
                QVERIFY2(rect,
                         qPrintable(QStringLiteral("byte %1 of element %2 is not drawn").arg(byte).arg(e)));
                QVERIFY2(ByteStripPainter::textPixels(rect->size()) >= ByteStripPainter::minimumTextPixels,
                         qPrintable(QStringLiteral("byte %1 is drawn %2: too small to read")
                                        .arg(byte)
                                        .arg(where(*rect))));
                if (!data.indirectRows().empty() || data.sourceOwners().at(byte).isShared())
                    continue; // shared bytes are hatched; rows of their own are audited in tst_views
                const bool padding = format && format->placeOf(k, item).isPadding();
                const QRgb expected = padding ? ByteStripPainter::paddingFill(colour, m_theme) : colour;
                const QRgb got = image.pixel(quietPoint(*rect));
                QVERIFY2(got == expected,
                         qPrintable(QStringLiteral("byte %1 of element %2 is %3, not %4%5")
                                        .arg(byte)
                                        .arg(e)
                                        .arg(QColor(got).name(), QColor(expected).name(),
                                             padding ? QStringLiteral(" (padding)") : QString())));
            }
        }
    }

    // No text overlaps text or leaves its picture: each view's whole content as the window draws it,
    // render's picture at its natural size, and at 800x600.
    void auditText(const ReportData& data, const LogicalView& logicalView, const MemoryStripView& memoryView,
                   const ResultView& resultView)
    {
        auto check = [](const QString& what, const QStringList& problems) {
            QVERIFY2(problems.isEmpty(),
                     qPrintable(what + QStringLiteral(": ") + problems.join(QStringLiteral("; "))));
        };
        const bool small = data.hasSource() && data.elementCount() <= kSmall;
        if (data.hasSource()) {
            const LogicalPainter logical = logicalView.painter();
            const auto window = textOf(logical.size(), [&](QPainter& p) {
                logical.paint(p, QRectF(QPointF(0, 0), logical.size()), {});
            });
            check(QStringLiteral("Logical view"), window->problems());
            // The window writes every element's value, as render does below.
            if (small)
                check(QStringLiteral("Logical view values"), valuesMissing(data, *window));
            if (QTest::currentTestFailed())
                return;
            const MemoryStripPainter memory = memoryView.painter();
            check(QStringLiteral("Memory view"), textOf(memory.size(), [&](QPainter& p) {
                                                     memory.paint(p, QRectF(QPointF(0, 0), memory.size()),
                                                                  {});
                                                 })->problems());
            if (QTest::currentTestFailed())
                return;
        }
        const ResultPainter result = resultView.painter();
        check(QStringLiteral("Result view"), textOf(result.size(), [&](QPainter& p) {
                                                 result.paint(p, QRectF(QPointF(0, 0), result.size()), {});
                                             })->problems());
        if (QTest::currentTestFailed())
            return;
        const auto all = ReportPicture::Views(ReportPicture::Logical | ReportPicture::Memory |
                                              ReportPicture::Result | ReportPicture::Inspector);
        const QSize natural = ReportPicture::preferredSize(data.report(), all, m_theme);
        for (const QSize size : {natural, QSize(800, 600)}) {
            const auto rendered = textOf(size, [&](QPainter& p) {
                ReportPicture::paint(p, QRectF(QPointF(0, 0), size), data.report(), all, m_theme);
            });
            const QString what = QStringLiteral("render %1x%2").arg(size.width()).arg(size.height());
            check(what, rendered->problems());
            if (small && size == natural)
                check(what + QStringLiteral(" values"), valuesMissing(data, *rendered));
            if (QTest::currentTestFailed())
                return;
        }
    }
};

int main(int argc, char** argv)
{
    return runWithDeterministicPixels<TestPictureAudit>(argc, argv);
}

#include "tst_pictureaudit.moc"
