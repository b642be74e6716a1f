// The window's response to an edit: from a stride typed into the axis table to the window
// repainted with the new report (inspected in the worker process, prepared, every view drawn).
// Google Benchmark, real time; the figure goes to README. Launch-to-first-paint and the large
// transpose's report are whole-process figures: scripts/benchmark-window.sh.
#include "gui/model/axistablemodel.h"
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/stridededitor.h"
#include "gui/window/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QStandardPaths>

#include <benchmark/benchmark.h>

#include <chrono>

using namespace stridescope;

namespace {

// Runs the event loop until the controller has delivered the newest request.
bool waitForReport(MainWindow& window, bool& delivered)
{
    QElapsedTimer timer;
    timer.start();
    while (!delivered || window.controller()->isPending()) {
        if (timer.elapsed() > 30000)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 1);
    }
    return true;
}

// A small strided scenario (3x4 uint8, the first preset's size); each iteration types a stride
// into the axis table, alternating between a copy (stride 1, a transpose) and an alias (4).
void BM_EditToRepaint(benchmark::State& state)
{
    MainWindow window;
    window.setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
    window.resize(1400, 900);
    window.show();
    Scenario scenario;
    scenario.strided.format = "B";
    scenario.strided.shape = {3, 4};
    window.document()->reset(scenario, ScenarioDocument::CodeTrust::Trusted);
    bool delivered = false;
    QObject::connect(window.controller(), &InspectionController::finished,
                     [&delivered] { delivered = true; });
    window.controller()->inspectNow(window.document()->scenario());
    if (!waitForReport(window, delivered)) {
        state.SkipWithError("no report for the first scenario");
        return;
    }
    window.grab();
    AxisTableModel* axes = window.bufferPanel()->stridedEditor()->axisModel();
    ByteOffset stride = 4;
    for (auto _ : state) {
        stride = stride == 4 ? 1 : 4;
        const auto start = std::chrono::steady_clock::now();
        delivered = false;
        axes->setData(axes->index(1, AxisTableModel::StrideColumn), qlonglong(stride));
        if (!waitForReport(window, delivered)) {
            state.SkipWithError("no report after an edit");
            return;
        }
        window.grab(); // paints every widget now, as the next frame would
        state.SetIterationTime(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
}
BENCHMARK(BM_EditToRepaint)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(40);

} // namespace

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true); // the user's settings and session stay untouched
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
