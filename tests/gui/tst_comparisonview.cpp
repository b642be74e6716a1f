// The side-by-side picture of a comparison scenario: in the strip of the memory both objects point
// into, a byte both reach is painted in both objects' colours and a byte one reaches in its colour
// alone (pixels of a picture of real reports); the strip's work is bounded; and the window shows the
// picture in a tab and keeps the scenario's `compare` part through File > Save.
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/comparisonpicture.h"
#include "gui/painting/comparisonsummary.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofile.h"
#include "gui/views/comparisonview.h"
#include "gui/window/mainwindow.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"

#include <QImage>
#include <QMessageBox>
#include <QPainter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "isolatedwindowtest.h"
#include "windowsettle.h"

using namespace stridescope;

namespace {

std::shared_ptr<const InspectionReport> inspect(const QByteArray& json)
{
    QString error;
    const auto scenario = ScenarioFile::parse(json, &error);
    if (!scenario)
        qFatal("scenario: %s", qPrintable(error));
    return PythonHost::instance().call(
        [s = *scenario] { return std::make_shared<const InspectionReport>(Inspector::run(s, {})); });
}

QByteArray comparison(const QByteArray& code)
{
    return R"j({"stridescope_scenario": 1, "source": {"kind": "python", "code": ")j" + code +
           R"j("}, "compare": {"first": "a", "second": "b"}})j";
}

bool near(QRgb pixel, const QColor& colour)
{
    return std::abs(qRed(pixel) - colour.red()) + std::abs(qGreen(pixel) - colour.green()) +
               std::abs(qBlue(pixel) - colour.blue()) <
           60;
}

// How many pixels inside `cell` (its border left out) are near each object's colour.
std::pair<int, int> colourCounts(const QImage& image, const QRectF& cell, const Theme& theme)
{
    int first = 0, second = 0;
    const QRect inner = cell.toAlignedRect().adjusted(2, 2, -2, -2);
    for (int y = inner.top(); y <= inner.bottom(); ++y)
        for (int x = inner.left(); x <= inner.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            first += near(p, theme.objectColour(0));
            second += near(p, theme.objectColour(1));
        }
    return {first, second};
}

} // namespace

class TestComparisonView : public QObject
{
    Q_OBJECT

    Theme m_theme = Theme::light();

private slots:
    void initTestCase()
    {
        QVERIFY2(PythonHost::instance().startupError().empty(),
                 PythonHost::instance().startupError().c_str());
    }

    // a is bytes [0, 12) of an int16 array, b bytes [6, 18): [0, 6) only a, [6, 12) both, [12, 18) only b.
    void bytesArePaintedInTheColoursOfWhoReachesThem()
    {
        const auto report =
            inspect(comparison(R"(base = np.arange(9, dtype=np.int16)\na = base[0:6]\nb = base[3:9])"));
        QVERIFY(report->comparison && report->comparison->second);
        const ComparisonPicture picture(
            report, ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result, m_theme);
        QCOMPARE(picture.bytesPerCell(), ByteCount(1));
        const QSize size = picture.preferredSize();
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            picture.paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        const QRectF target(QPointF(0, 0), QSizeF(size));
        for (ByteOffset byte : {0, 5}) { // only a
            const auto [first, second] = colourCounts(image, *picture.cellRect(byte, target), m_theme);
            QVERIFY2(first > 20 && second == 0,
                     qPrintable(QStringLiteral("byte %1: %2 %3").arg(byte).arg(first).arg(second)));
        }
        for (ByteOffset byte : {6, 11}) { // both: hatched in both colours
            const auto [first, second] = colourCounts(image, *picture.cellRect(byte, target), m_theme);
            QVERIFY2(first > 15 && second > 15,
                     qPrintable(QStringLiteral("byte %1: %2 %3").arg(byte).arg(first).arg(second)));
        }
        for (ByteOffset byte : {12, 17}) { // only b
            const auto [first, second] = colourCounts(image, *picture.cellRect(byte, target), m_theme);
            QVERIFY2(first == 0 && second > 20,
                     qPrintable(QStringLiteral("byte %1: %2 %3").arg(byte).arg(first).arg(second)));
        }
        QVERIFY(!picture.cellRect(18, target)); // no cell past the bytes either reaches
        // The sentence is `inspect`'s, the counts the report's.
        QCOMPARE(picture.verdictLine(),
                 QStringLiteral("Shares memory: ") + ComparisonSummary::verdict(*report->comparison));
        QVERIFY2(
            picture.bytesLine().contains(QStringLiteral("6 reached by both, 6 only by 'a', 6 only by 'b'")),
            qPrintable(picture.bytesLine()));
    }

    // Two blocks whose ranges do not meet (flatten copies): each object's bytes in a run of their
    // own, in its colour alone.
    void rangesApartAreDrawnAsTwoRuns()
    {
        const auto report = inspect(comparison(R"(a = np.arange(4, dtype=np.int16)\nb = a.flatten())"));
        const ComparisonPicture picture(report, ReportPicture::Memory, m_theme);
        const QSize size = picture.preferredSize();
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            picture.paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
        }
        const QRectF target(QPointF(0, 0), QSizeF(size));
        const auto aCell = picture.cellRect(0, target);
        QVERIFY(aCell);
        QCOMPARE(colourCounts(image, *aCell, m_theme).second, 0);
        const ByteOffset bStart =
            report->comparison->secondShift + report->comparison->second->sourceLayout.bufOffset();
        const auto bCell = picture.cellRect(bStart, target);
        QVERIFY(bCell);
        // The runs are in address order: where malloc put b's copy (after a's block, or before it
        // as under AddressSanitizer) decides which comes first.
        if (bStart > 0)
            QVERIFY(bCell->top() > aCell->bottom());
        else
            QVERIFY(bCell->bottom() < aCell->top());
        const auto [first, second] = colourCounts(image, *bCell, m_theme);
        QVERIFY(first == 0 && second > 20);
    }

    // Past maximumBytes the strip is not walked: the picture says so and draws no cell.
    void aHugeSpanIsNotWalked()
    {
        const auto report = inspect(comparison(R"(a = np.zeros(2**21, dtype=np.uint8)\nb = a[::2])"));
        const ComparisonPicture picture(report, ReportPicture::Memory, m_theme);
        QCOMPARE(picture.bytesPerCell(), ByteCount(0));
        QVERIFY(!picture.cellRect(0, QRectF(0, 0, 1000, 1000)));
        QCOMPARE(picture.notes().size(), 1);
        QVERIFY2(picture.notes().first().contains(QStringLiteral("1048576")),
                 qPrintable(picture.notes().first()));
        // The counts come from the report, exact all the same.
        QVERIFY2(picture.bytesLine().contains(QStringLiteral("1048576 reached by both")),
                 qPrintable(picture.bytesLine()));
    }

    // A long strip draws at most maximumCells cells, each the union of its bytes.
    void aLongStripIsAggregated()
    {
        const auto report = inspect(comparison(R"(a = np.zeros(10000, dtype=np.uint8)\nb = a[5000:])"));
        const ComparisonPicture picture(report, ReportPicture::Memory, m_theme);
        QCOMPARE(picture.bytesPerCell(), ByteCount(10)); // 10,000 bytes over at most 1,024 cells
        QVERIFY(!picture.notes().isEmpty());
    }

    // The window: a comparison preset shows the side-by-side tab; Save keeps the `compare` part.
    void theWindowShowsThePairAndSaveKeepsIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pair.json"));
        MainWindow window;
        window.setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        window.resize(1400, 900);
        window.show();
        QVERIFY(window.loadPreset(QStringLiteral("transpose_aliases")));
        QVERIFY(settleWindow(window, 30000));
        QVERIFY(window.inspectionState()->report() && window.inspectionState()->report()->comparison);
        auto* view = window.findChild<ComparisonView*>(QStringLiteral("comparisonView"));
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("pictureTabs"));
        QVERIFY(view && tabs);
        // The tab follows the report shown (under load, a moment after the state has it).
        QTRY_VERIFY_WITH_TIMEOUT(view->hasComparison(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(tabs->count(), 2, 30000);
        QCOMPARE(tabs->currentWidget(), view);

        const Scenario preset = PresetLibrary::find(QStringLiteral("transpose_aliases"))->scenario;
        QVERIFY(preset.compare);
        window.setSaveAsPathProvider([path] { return path; });
        QVERIFY(window.save());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        const auto saved = ScenarioFile::parse(file.readAll(), &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(saved->compare);
        QCOMPARE(*saved->compare, *preset.compare);
        QCOMPARE(saved->code, preset.code);

        // A scenario without `compare` has no side-by-side tab.
        QVERIFY(window.loadPreset(QStringLiteral("c_2d")));
        QVERIFY(settleWindow(window, 30000));
        QTRY_VERIFY_WITH_TIMEOUT(!window.inspectionState()->report()->comparison, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->hasComparison(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(tabs->count(), 1, 30000);
        QCOMPARE(tabs->indexOf(view), -1);
    }
};

int main(int argc, char** argv)
{
    return testwindow::runIsolated<TestComparisonView>("tst_comparisonview", argc, argv);
}

#include "tst_comparisonview.moc"
