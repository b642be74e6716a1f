// The Requests tab of the window, on real exporters inspected by the real worker: one row per
// request, the fields that differ from the PyBUF_FULL_RO view shaded, broken rules in the error
// colour with the documentation quoted, and a chosen row drawn in the Logical and Memory views.
#include "gui/model/requesttablemodel.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/reportdata.h"
#include "gui/panels/inspectorpanel.h"
#include "gui/panels/requestspanel.h"
#include "gui/style/theme.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "windowsettle.h"

#include <QMessageBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace stridescope;

namespace {

Scenario pybindTranspose()
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = "import sys\nsys.path.insert(0, '" STRIDESCOPE_TEST_EXPORTERS_DIR "')\n"
             "import pybind_matrix\npybind_matrix.Matrix(3, 4, transposed=True)";
    return s;
}

Scenario cOrder3x4()
{
    Scenario s;
    s.strided.format = "h";
    s.strided.shape = {3, 4};
    return s;
}

int rowOf(const RequestTableModel& model, const char* name)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, RequestTableModel::RequestColumn).data().toString() == QLatin1String(name))
            return row;
    return -1;
}

QVariant cell(const RequestTableModel& model, const char* request, int column, int role)
{
    return model.index(rowOf(model, request), column).data(role);
}

// What the window's views draw from (they share the state's ReportData of the drawn report).
const ReportData& drawnData(MainWindow& window)
{
    return *window.inspectionState()->drawnData();
}

QImage picture(QWidget* view)
{
    return view->grab().toImage();
}

} // namespace

class TestRequestsTab : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> open(const Scenario& scenario)
    {
        auto window = std::make_unique<MainWindow>();
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        window->setErrorReporter([](const QString& title, const QString& message) {
            qWarning("%s: %s", qPrintable(title), qPrintable(message));
        });
        window->resize(1400, 900);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("the window was not exposed");
        window->document()->reset(scenario, ScenarioDocument::CodeTrust::Trusted);
        window->controller()->inspectNow(window->document()->scenario());
        return window;
    }

private slots:
    // The tab sits with the Inspector's Buffer and Reproduce tabs.
    void theTabIsInTheInspector()
    {
        auto window = open(cOrder3x4());
        QVERIFY(settleWindow(*window, 30000));
        QVERIFY(window->showInspectorTab(QStringLiteral("Requests")));
        QCOMPARE(window->inspectorPanel()->tabs()->currentWidget(), window->requestsPanel());
        QVERIFY(!window->showInspectorTab(QStringLiteral("Nope")));
    }

    // pybind11 2.10's def_buffer on a transposed matrix: 17 rows; the shaded fields are exactly the
    // ones that differ from PyBUF_FULL_RO; the broken contiguity rule in the error colour, quoted.
    void rowsHighlightsAndVerdicts()
    {
        auto window = open(pybindTranspose());
        QVERIFY(settleWindow(*window, 30000));
        QVERIFY2(!window->inspectionState()->failure(),
                 qPrintable(window->inspectionState()->failure()
                                ? window->inspectionState()->failure()->message
                                : ""));
        RequestTableModel& model = *window->requestsPanel()->model();
        QCOMPARE(model.rowCount(), 17);
        QCOMPARE(model.index(0, RequestTableModel::RequestColumn).data().toString(),
                 QStringLiteral("PyBUF_SIMPLE"));
        QCOMPARE(model.index(16, RequestTableModel::RequestColumn).data().toString(),
                 QStringLiteral("PyBUF_FULL_RO"));

        // Shading follows differencesFrom, cell by cell.
        const auto shaded = [&model](const char* request, int column) {
            return cell(model, request, column, RequestTableModel::DiffersRole).toBool();
        };
        QVERIFY(shaded("PyBUF_SIMPLE", RequestTableModel::FormatColumn));  // NULL, not 'i'
        QVERIFY(shaded("PyBUF_SIMPLE", RequestTableModel::StridesColumn)); // NULL
        QVERIFY(!shaded("PyBUF_SIMPLE", RequestTableModel::LenColumn));
        QVERIFY(cell(model, "PyBUF_SIMPLE", RequestTableModel::FormatColumn, Qt::BackgroundRole)
                    .value<QColor>()
                    .isValid());
        QVERIFY(!cell(model, "PyBUF_SIMPLE", RequestTableModel::LenColumn, Qt::BackgroundRole).isValid());
        for (int column = 0; column < RequestTableModel::ColumnCount; ++column)
            QVERIFY(!shaded("PyBUF_FULL_RO", column));
        QCOMPARE(cell(model, "PyBUF_FULL_RO", RequestTableModel::StridesColumn, Qt::DisplayRole).toString(),
                 QStringLiteral("(4, 16)"));

        // pybind11 answers PyBUF_C_CONTIGUOUS with Fortran strides: FAIL, error colour, rule quoted.
        const Theme theme = Theme::light();
        QCOMPARE(cell(model, "PyBUF_C_CONTIGUOUS", RequestTableModel::VerdictColumn,
                      RequestTableModel::VerdictRole)
                     .toInt(),
                 int(ConformanceVerdict::Result::Fail));
        QCOMPARE(cell(model, "PyBUF_C_CONTIGUOUS", RequestTableModel::VerdictColumn, Qt::ForegroundRole)
                     .value<QColor>(),
                 theme.errorAccent());
        QVERIFY(cell(model, "PyBUF_C_CONTIGUOUS", RequestTableModel::VerdictColumn, Qt::DisplayRole)
                    .toString()
                    .startsWith(QStringLiteral("FAIL contiguity")));
        QVERIFY(cell(model, "PyBUF_C_CONTIGUOUS", RequestTableModel::VerdictColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("contiguity requests: PyBUF_C_CONTIGUOUS")));
        // A request that broke nothing is in the ordinary colour (pybind11's memory is known only from
        // its views' claims: the memory rule is undecided, never passed or failed).
        QCOMPARE(
            cell(model, "PyBUF_FULL_RO", RequestTableModel::VerdictColumn, RequestTableModel::VerdictRole)
                .toInt(),
            int(ConformanceVerdict::Result::Undecided));
        QVERIFY(
            !cell(model, "PyBUF_FULL_RO", RequestTableModel::VerdictColumn, Qt::ForegroundRole).isValid());

        // The window's dark theme gives the dark error colour.
        window->setTheme(true, false);
        QCOMPARE(cell(model, "PyBUF_C_CONTIGUOUS", RequestTableModel::VerdictColumn, Qt::ForegroundRole)
                     .value<QColor>(),
                 Theme::dark().errorAccent());
    }

    // Choosing a row draws that request's view: PyBUF_SIMPLE as len bytes in one row; PyBUF_FULL_RO
    // the inspection's own picture again. The detail pane shows every field and the quoted rules.
    void choosingARowDrawsThatView()
    {
        auto window = open(pybindTranspose());
        QVERIFY(settleWindow(*window, 30000));
        window->showInspectorTab(QStringLiteral("Requests"));
        RequestsPanel* panel = window->requestsPanel();
        const auto report = window->inspectionState()->report();
        QCOMPARE(drawnData(*window).sourceLayout().shape(), (std::vector<Extent>{4, 3}));
        QTest::qWait(300); // the dock widens for the table
        const QImage original = picture(window->logicalView()->viewport());

        const int simple = rowOf(*panel->model(), "PyBUF_SIMPLE");
        const QRect cellRect = panel->table()->visualRect(panel->model()->index(simple, 0));
        QTest::mouseClick(panel->table()->viewport(), Qt::LeftButton, {}, cellRect.center());
        const ReportData& drawn = drawnData(*window);
        QCOMPARE(drawn.sourceLayout().shape(), (std::vector<Extent>{48})); // 12 int32 as 48 bytes
        QCOMPARE(drawn.sourceLayout().strides(), (std::vector<ByteOffset>{1}));
        QCOMPARE(window->inspectionState()->report(), report); // the call's report is untouched
        QVERIFY(panel->detail()->toPlainText().contains(
            QStringLiteral("The Logical and Memory views draw this view")));
        QVERIFY(panel->detail()->toPlainText().contains(QStringLiteral("strides")));
        QTest::qWait(50);
        QVERIFY(picture(window->logicalView()->viewport()) != original);

        QVERIFY(panel->selectRequest(QStringLiteral("PyBUF_C_CONTIGUOUS")));
        QVERIFY(panel->detail()->toPlainText().contains(QStringLiteral("FAIL contiguity")));
        QVERIFY(panel->detail()->toPlainText().contains(
            QStringLiteral("contiguity requests: PyBUF_C_CONTIGUOUS")));

        QVERIFY(panel->selectRequest(QStringLiteral("PyBUF_FULL_RO")));
        QCOMPARE(window->inspectionState()->drawnReport(), report);
        QTest::qWait(50);
        QCOMPARE(picture(window->logicalView()->viewport()), original);

        // A new inspection draws its own source again.
        QVERIFY(panel->selectRequest(QStringLiteral("PyBUF_SIMPLE")));
        window->controller()->inspectNow(window->document()->scenario());
        QVERIFY(settleWindow(*window, 30000));
        QCOMPARE(drawnData(*window).sourceLayout().shape(), (std::vector<Extent>{4, 3}));
    }
};

QTEST_MAIN(TestRequestsTab)
#include "tst_requeststab.moc"
