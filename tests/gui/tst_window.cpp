// The real window, driven offscreen, with the real interpreter behind it: edits re-inspect, the
// banner tells the outcome, hover highlights, undo, files, presets, export, Stop.
#include "core/memorybandwidth.h"
#include "gui/model/axistablemodel.h"
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/logicalpainter.h"
#include "gui/painting/outcomesummary.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reporttext.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/copystepplayer.h"
#include "gui/panels/inspectorpanel.h"
#include "gui/panels/outcomebanner.h"
#include "gui/panels/outputpanel.h"
#include "gui/panels/pythoncodeeditor.h"
#include "gui/panels/requestbar.h"
#include "gui/panels/stridededitor.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/snippetgenerator.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "gui/views/resultview.h"
#include "gui/window/mainwindow.h"
#include "pyhost/pythonhost.h"
#include "pyhost/stridedbufferstorage.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "isolatedwindowtest.h"
#include <QThread>

#include "windowsettle.h"
#include <QTextBrowser>
#include <QToolButton>
#include <QUndoStack>
#include <QXmlStreamReader>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

using namespace stridescope;

Q_DECLARE_METATYPE(stridescope::OutcomeSummary::Kind)
Q_DECLARE_METATYPE(stridescope::Scenario)

namespace {

constexpr int kReportTimeoutMs = 30000;

QByteArray key(const Scenario& scenario)
{
    return ScenarioFile::toJson(scenario);
}

Scenario cOrder3x4()
{
    Scenario s;
    s.strided.format = "B";
    s.strided.shape = {3, 4};
    return s;
}

} // namespace

class TestWindow : public QObject
{
    Q_OBJECT

    QStringList m_errors;                       // what the window would have shown in message boxes
    std::unique_ptr<MainWindow> m_presetWindow; // one window for every preset, as a user would
    Scenario m_fromBuffer;

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        window->setErrorReporter(
            [this](const QString& title, const QString& message) { m_errors << title + ": " + message; });
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("the window was not exposed");
        window->controller()->inspectNow(window->document()->scenario());
        return window;
    }

    // Waits until the newest edit has been inspected and its result is in the state.
    static bool settle(MainWindow& window, int timeoutMs = kReportTimeoutMs)
    {
        return settleWindow(window, timeoutMs);
    }

    static OutcomeSummary::Kind outcome(MainWindow& window) { return window.banner()->summary().kind; }

    static void reset(MainWindow& window, const Scenario& scenario)
    {
        window.document()->reset(scenario, ScenarioDocument::CodeTrust::Trusted);
    }

    // Moves the mouse over `view` without pressing anything, as a user hovering does.
    static void hover(QWidget* viewport, QPoint at)
    {
        QMouseEvent move(QEvent::MouseMove, QPointF(at), viewport->mapToGlobal(QPointF(at)), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(viewport, &move);
    }

    // Scans the view for the point where `element` is under the mouse.
    static std::optional<QPoint> findElement(ReportView* view, HighlightModel* highlight,
                                             ElementIndex element)
    {
        QWidget* viewport = view->viewport();
        for (int y = 2; y < viewport->height(); y += 3)
            for (int x = 2; x < viewport->width(); x += 3) {
                hover(viewport, {x, y});
                if (highlight->current().element == element)
                    return QPoint(x, y);
            }
        return std::nullopt;
    }

    // Compiles a C snippet against /usr/bin/python3's library and runs it: stdout and stderr, or a
    // null string when there is no compiler.
    // Why Stridescope refuses to build `spec` (the storage's own message), or empty when it does not.
    static QString refusalOf(const StridedSourceSpec& spec)
    {
        try {
            StridedBufferStorage::resolve(spec, SourceLimits{});
            return {};
        } catch (const SourceError& error) {
            return QString::fromStdString(error.what());
        }
    }

    static QString compileAndRunC(const QString& source)
    {
        if (QStandardPaths::findExecutable(QStringLiteral("cc")).isEmpty() ||
            !QFileInfo::exists(QStringLiteral("/usr/bin/python3-config")))
            return {};
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("demo.c")));
        if (!file.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write demo.c");
        file.write(source.toUtf8());
        file.close();
        QProcess build;
        build.setWorkingDirectory(dir.path());
        build.setProcessChannelMode(QProcess::MergedChannels);
        build.start(QStringLiteral("sh"),
                    {QStringLiteral("-c"),
                     QStringLiteral("cc -Wall -Werror demo.c $(/usr/bin/python3-config --cflags --embed) "
                                    "$(/usr/bin/python3-config --ldflags --embed) -o demo")});
        if (!build.waitForFinished(60000) || build.exitCode() != 0)
            return QStringLiteral("the C snippet does not compile:\n") +
                   QString::fromLocal8Bit(build.readAll()) + source;
        QProcess demo;
        demo.setProcessChannelMode(QProcess::MergedChannels);
        demo.start(dir.filePath(QStringLiteral("demo")), {});
        if (!demo.waitForFinished(60000))
            return QStringLiteral("the C snippet does not finish");
        return QString::fromLocal8Bit(demo.readAll());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(PythonHost::instance().startupError().empty(),
                 PythonHost::instance().startupError().c_str());
        QVERIFY(!PresetLibrary::all().isEmpty());
    }

    void cleanup() { m_errors.clear(); }
    void cleanupTestCase() { m_presetWindow.reset(); }

    void editingAStrideFlipsAliasToCopy()
    {
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        window->controller()->inspectNow(window->document()->scenario());
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("ALIAS"));

        // The user types the strides of a transpose into the axis table: (1, 3) on shape (3, 4).
        QSignalSpy finished(window->controller(), &InspectionController::finished);
        QVERIFY(finished.isValid());
        AxisTableModel* axes = window->bufferPanel()->stridedEditor()->axisModel();
        QVERIFY(axes->setData(axes->index(0, AxisTableModel::StrideColumn), 1));
        QVERIFY(axes->setData(axes->index(1, AxisTableModel::StrideColumn), 3));
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("COPY"));
        QVERIFY(window->banner()->text().contains(QStringLiteral("12 bytes copied")));
        QVERIFY(window->banner()->summary().rule.contains(QStringLiteral("not C-contiguous")));
        const auto report = window->inspectionState()->report();
        QCOMPARE(report->sourceBuffer->strides, std::optional(std::vector<ByteOffset>{1, 3}));
        QCOMPARE(report->result.buffer->strides, std::optional(std::vector<ByteOffset>{4, 1}));
        // Two quick edits, debounced: at most one inspection each, the newest shown last.
        QVERIFY(finished.count() >= 1 && finished.count() <= 2);

        // One click on 'F' and the same buffer is returned without a copy.
        window->requestBar()->orderButton('F')->click();
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);
        QCOMPARE(window->inspectionState()->report()->request().order, 'F');
    }

    // A large copy's banner puts its speed next to memcpy's on this machine, and says why CPython
    // copied the way it did; a small one says nothing about speed (its fixed costs dominate).
    void bannerComparesALargeCopyWithMemcpy()
    {
        auto window = makeWindow();
        Scenario transpose = cOrder3x4();
        transpose.strided.shape = {2048, 2048};
        transpose.strided.strides = std::vector<ByteOffset>{1, 2048};
        reset(*window, transpose);
        window->controller()->inspectNow(window->document()->scenario());
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
        // memcpy's speed is measured once, on a pool thread; the banner says it when it is known.
        QTRY_VERIFY_WITH_TIMEOUT(MemoryBandwidth::ifMeasured().has_value(), 20000);
        QTRY_VERIFY(window->banner()->summary().details.contains(QStringLiteral("memcpy runs at")));
        const QString details = window->banner()->summary().details;
        QVERIFY2(details.contains(QStringLiteral("4194304 bytes copied in ")), qPrintable(details));
        QCOMPARE(window->banner()->summary().headline,
                 QStringLiteral("A new 4,194,304-byte bytes object, copied in C order."));
        QVERIFY2(details.contains(QStringLiteral(" GB/s; memcpy runs at ")), qPrintable(details));
        QVERIFY2(
            details.contains(QStringLiteral("element by element, because its last axis has a stride of 2048 "
                                            "bytes, not the item size (1)")),
            qPrintable(details));

        reset(*window, cOrder3x4());
        window->requestBar()->orderButton('F')->click();
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
        QVERIFY(!window->banner()->summary().details.contains(QStringLiteral("memcpy")));
    }

    // An edit of the layout is inspected at once, so the picture follows the edit; code waits for
    // a pause in typing (every run of code costs a fresh interpreter).
    void dataEditsAreInspectedAtOnceCodeAfterAPause()
    {
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        window->controller()->inspectNow(window->document()->scenario());
        QVERIFY(settle(*window));
        window->controller()->setDebounceInterval(60000);
        QSignalSpy finished(window->controller(), &InspectionController::finished);
        AxisTableModel* axes = window->bufferPanel()->stridedEditor()->axisModel();
        QVERIFY(axes->setData(axes->index(0, AxisTableModel::StrideColumn), 8));
        QVERIFY(finished.wait(20000)); // not after the minute of debounce
        QCOMPARE(window->inspectionState()->report()->sourceBuffer->strides,
                 std::optional(std::vector<ByteOffset>{8, 1}));

        Scenario code;
        code.kind = Scenario::SourceKind::Python;
        code.code = "b'xyz'";
        window->controller()->requestInspection(code);
        QTest::qWait(500);
        QCOMPARE(finished.count(), 1);
        QVERIFY(window->controller()->isPending());
        window->controller()->inspectNow(code);
        QVERIFY(finished.wait(20000));
    }

    // Asking again for the scenario that is running (opening a file inspects it, and so does the
    // start-up's Run right after) does not run it a second time: a large copy would take twice as long.
    void theRunningScenarioIsNotQueuedAgain()
    {
        auto window = makeWindow();
        QVERIFY(settle(*window));
        Scenario large = cOrder3x4();
        large.strided.shape = {2048, 2048};
        large.strided.strides = std::vector<ByteOffset>{1, 2048};
        const quint64 before = window->controller()->startedCount();
        reset(*window, large);                                            // an edit: inspected at once
        window->controller()->inspectNow(window->document()->scenario()); // Run, while it runs
        QVERIFY(settle(*window));
        QCOMPARE(window->controller()->startedCount(), before + 1);
        // A different scenario asked for meanwhile still runs after it.
        reset(*window, large);
        Scenario other = large;
        other.request.order = 'F';
        window->controller()->requestInspection(other);
        QVERIFY(settle(*window));
        QCOMPARE(window->controller()->startedCount(), before + 3);
        QCOMPARE(window->inspectionState()->report()->request().order, 'F');
    }

    void reportsArrivePreparedOffTheGuiThread()
    {
        // The window shows a report once its drawing data is built, on a pool thread: the views then
        // share that ReportData, overviews included.
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        QVERIFY(settle(*window));
        std::shared_ptr<const ReportData> prepared;
        QThread* preparedOn = nullptr;
        window->controller()->setPreparation([&](const std::shared_ptr<const InspectionReport>& report) {
            preparedOn = QThread::currentThread();
            auto data = ReportData::forWindow(report);
            data->prepareOverviews();
            prepared = data;
            return data;
        });
        window->requestBar()->orderButton('F')->click();
        QVERIFY(settle(*window));
        QVERIFY(preparedOn != nullptr);
        QVERIFY(preparedOn != QThread::currentThread());
        // What the pool made is what the state holds and the three views draw.
        const auto data = window->inspectionState()->reportData();
        QCOMPARE(data, prepared);
        QVERIFY(data.use_count() >= 6); // the state, the three views, `prepared` and this reference
        QVERIFY(!data->sourceOverview().isEmpty());
    }

    void anOverlapIsShownBeforeItsOverviewIsBuilt()
    {
        // 'i' items a byte apart over 4 MiB (each overlaps its neighbours): no structure describes
        // them, so the strip's exact picture needs a walk over every byte. The window shows the report at
        // once, its strip drawn from samples (and saying so), builds the walk on a pool thread (held here
        // until the first frame is seen) and repaints from it.
        struct Gate
        {
            std::mutex mutex;
            std::condition_variable opened;
            bool open = false;
            std::atomic<int> waiting = 0;
            void release()
            {
                {
                    const std::lock_guard lock(mutex);
                    open = true;
                }
                opened.notify_all();
            }
            ~Gate()
            {
                release();
                MainWindow::setOverviewBuildGate({});
            }
        } gate;
        MainWindow::setOverviewBuildGate([&gate] {
            ++gate.waiting;
            std::unique_lock lock(gate.mutex);
            gate.opened.wait(lock, [&gate] { return gate.open; });
        });
        auto window = makeWindow();
        QVERIFY(settle(*window));
        QSignalSpy refined(window.get(), &MainWindow::picturesRefined);
        Scenario items;
        items.strided.format = "i";
        items.strided.shape = {1 << 22};
        items.strided.strides = {1};
        items.strided.fill = StridedSourceSpec::Fill::Bytes;
        MemoryStripView* memory = window->memoryView();
        // Counted before the report arrives: a slow build (the sanitizers) may paint its first
        // frame while settle() waits.
        const int before = memory->framesDrawn();
        reset(*window, items);
        QVERIFY(settle(*window));
        const auto report = window->inspectionState()->report();
        QVERIFY(report && report->sourceLayout.shape() == std::vector<Extent>({1 << 22}));
        QVERIFY(!ReportData(report).sourceCoverage().isValid());
        const auto data = window->inspectionState()->reportData();
        // Only this report's strip is drawn from samples: the frame seen is this report's.
        QTRY_VERIFY_WITH_TIMEOUT(memory->framesDrawn() > before && memory->lastFrameSampled(), 10000);
        // Drawn while the walk waits at the gate: from samples, and the legend says so.
        QTRY_COMPARE(gate.waiting.load(), 1);
        QVERIFY(!data->overviewsReady());
        QVERIFY(memory->lastFrameSampled());
        QVERIFY(memory->painter().isSampled());
        QCOMPARE(refined.count(), 0);
        const int sampledFrames = memory->framesDrawn();
        gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(refined.count(), 1, 20000);
        QVERIFY(data->overviewsReady());
        QTRY_VERIFY(memory->framesDrawn() > sampledFrames); // repainted, from the overview
        QVERIFY(!memory->lastFrameSampled());
        QCOMPARE(gate.waiting.load(), 1); // one walk for the report, whatever the views asked
    }

    void typingInOneFieldIsOneUndoStep()
    {
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        AxisTableModel* axes = window->bufferPanel()->stridedEditor()->axisModel();
        QAbstractItemModelTester tester(axes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // A spin box stepping 2, 3, 4, 5 in one field: one step.
        for (int extent : {2, 3, 4, 5})
            QVERIFY(axes->setData(axes->index(1, AxisTableModel::ExtentColumn), extent));
        QCOMPARE(window->document()->undoStack()->count(), 1);
        axes->addAxis();
        QCOMPARE(axes->rowCount(), 3);
        QCOMPARE(window->document()->undoStack()->count(), 2);
        window->document()->undoStack()->undo();
        QCOMPARE(axes->rowCount(), 2);
        window->document()->undoStack()->undo();
        QCOMPARE(key(window->document()->scenario()), key(cOrder3x4()));
        QVERIFY(!window->document()->isModified());
    }

    void hoveringACellHighlightsItsBytes()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("c_2d"))); // int16, shape (3, 4), strides (8, 2)
        QVERIFY(settle(*window));
        QTest::qWait(50); // one paint, so the view knows its geometry
        const auto report = window->inspectionState()->report();
        QVERIFY(report);

        // Element [1, 2] is number 6 in C order and lives at byte 0 + 1·8 + 2·2 = 12.
        const ElementIndex element = 6;
        const auto at = findElement(window->logicalView(), window->highlightModel(), element);
        QVERIFY2(at, "no point of the logical view hovers element 6");
        QCOMPARE(window->highlightModel()->current().element, element);
        QVERIFY2(window->statusText().contains(QStringLiteral("= 12")), qPrintable(window->statusText()));

        // The highlight stands for exactly the bytes 12 and 13 of the source memory.
        const ReportData data(report);
        const ReportData::Highlight highlight = data.resolve(window->highlightModel()->current());
        QCOMPARE(highlight.elements, std::vector<ElementIndex>{element});
        QCOMPARE(data.elementOffset(element), std::optional<ByteOffset>(12));
        // And back: hovering byte 13 in the memory view points at the same element.
        const ReportData::Highlight fromByte = data.resolve({-1, HighlightModel::Region::SourceMemory, 13});
        QCOMPARE(fromByte.elements, std::vector<ElementIndex>{element});

        // A click pins it: moving away keeps the highlight.
        QWidget* viewport = window->logicalView()->viewport();
        QTest::mouseClick(viewport, Qt::LeftButton, {}, *at);
        hover(viewport, {1, 1});
        QCOMPARE(window->highlightModel()->current().element, element);
    }

    // The step player under the Result view follows CPython's copy element by element: each click
    // pins the next element copied (the Logical and both memory views mark it) and the caption
    // names it with both offsets; play runs to the end; an alias disables it and says why.
    void theStepPlayerFollowsTheCopy()
    {
        auto window = makeWindow();
        Scenario transposed = cOrder3x4();
        transposed.strided.strides = std::vector<ByteOffset>{1, 3}; // a transpose: copied on 'C'
        reset(*window, transposed);
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
        auto* player = window->findChild<CopyStepPlayer*>(QStringLiteral("copyStepPlayer"));
        QVERIFY(player);
        QVERIFY(player->isVisible());
        auto* next = player->findChild<QToolButton*>(QStringLiteral("stepNextButton"));
        auto* play = player->findChild<QToolButton*>(QStringLiteral("stepPlayButton"));
        auto* last = player->findChild<QSlider*>(QStringLiteral("stepSlider"));
        QVERIFY(next && play && last);
        QVERIFY(next->isEnabled());
        QCOMPARE(player->captionText(), QStringLiteral("12 elements copied: step or play to follow them"));

        for (int i = 0; i < 3; ++i)
            QTest::mouseClick(next, Qt::LeftButton);
        // copy_rec walks the source's index, last axis innermost: the third element copied is
        // [0, 2], 2·3 = 6 bytes into the transpose, and lands on byte 2 of the new object.
        QCOMPARE(player->captionText(),
                 QStringLiteral("step 3 of 12 · element [0, 2]: source offset 6 → result offset 2"));
        // On screen: "step 3 of 12" beside the controls, the element and its offsets under them.
        auto* status = player->findChild<QLabel*>(QStringLiteral("stepStatus"));
        auto* detail = player->findChild<QLabel*>(QStringLiteral("stepCaption"));
        QVERIFY(status && detail);
        QCOMPARE(status->text(), QStringLiteral("step 3 of 12"));
        QVERIFY(detail->isVisible());
        QCOMPARE(detail->text(), QStringLiteral("element [0, 2]: source offset 6 → result offset 2"));
        QVERIFY2(detail->width() >= detail->sizeHint().width(), "the element's caption is cut");
        QCOMPARE(window->highlightModel()->current().element, ElementIndex(2));
        const ReportData data(window->inspectionState()->report());
        QCOMPARE(data.resolve(window->highlightModel()->current()).elements, std::vector<ElementIndex>{2});
        QCOMPARE(data.elementOffset(2), std::optional<ByteOffset>(6));
        QCOMPARE(data.copyDestination(2), std::optional<ByteOffset>(2));
        // The pin holds while the mouse moves over the views.
        hover(window->logicalView()->viewport(), {1, 1});
        QCOMPARE(window->highlightModel()->current().element, ElementIndex(2));

        // The slider's end is the last element copied.
        last->setValue(last->maximum());
        QCOMPARE(player->captionText(),
                 QStringLiteral("step 12 of 12 · element [2, 3]: source offset 11 → result offset 11"));

        // Play from the end starts over and stops at the last step.
        player->setSpeed(100);
        QTest::mouseClick(play, Qt::LeftButton);
        QVERIFY(player->isPlaying());
        QVERIFY(player->currentStep() < 11);
        QTRY_VERIFY_WITH_TIMEOUT(!player->isPlaying(), 5000);
        QCOMPARE(player->currentStep(), ElementIndex(11));

        // 'F' on a C-ordered source: the copy still walks the source in C order, and the result
        // offsets jump by the Fortran strides.
        reset(*window, cOrder3x4());
        QVERIFY(settle(*window));
        window->requestBar()->orderButton('F')->click();
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
        QCOMPARE(window->highlightModel()->pinned(), HighlightModel::Target{}); // the old step is let go
        QTest::mouseClick(next, Qt::LeftButton);
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(player->captionText(),
                 QStringLiteral("step 2 of 12 · element [0, 1]: source offset 1 → result offset 3"));

        // The transpose on 'F' is returned as it is: nothing to step through.
        transposed.request.order = 'F';
        reset(*window, transposed);
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);
        QVERIFY(!next->isEnabled());
        QVERIFY(!play->isEnabled());
        QCOMPARE(player->captionText(), QStringLiteral("Nothing is copied: the result aliases the source."));
        QCOMPARE(player->steps().count(), ElementIndex(0));
    }

    // A pinned target keeps the hover's sentence in the status bar: for a record, the field or the
    // padding the byte is in (the same words ReportData::describe gives the views).
    void aPinnedByteIsDescribedAsTheHoverDescribesIt()
    {
        auto window = makeWindow();
        Scenario s = cOrder3x4();
        s.strided.format = "hd"; // h at 0-1, padding 2-7, d at 8-15
        s.strided.shape = {2};
        s.strided.strides.reset();
        reset(*window, s);
        QVERIFY(settle(*window));
        const auto report = window->inspectionState()->report();
        QVERIFY(report);
        const HighlightModel::Target padding{-1, HighlightModel::Region::SourceMemory, 2};
        window->highlightModel()->clearHover();
        window->highlightModel()->togglePin(padding);
        const QString text = window->statusText();
        QVERIFY2(text.startsWith(ReportText(ReportData(report)).describe(padding)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("padding bytes 2–7")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("pinned")), qPrintable(text));
    }

    void undoRestoresTheLayout()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("c_2d")));
        QVERIFY(settle(*window));
        const QByteArray original = key(window->document()->scenario());
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);
        QUndoStack* stack = window->document()->undoStack();
        const int presetLoaded = stack->index(); // a preset starts a fresh history

        StridedEditor* editor = window->bufferPanel()->stridedEditor();
        AxisTableModel* axes = editor->axisModel();
        axes->setFortranStrides();
        axes->moveAxis(0, 1);
        editor->formatBox()->setEditText(QStringLiteral("i"));
        axes->addAxis();
        window->requestBar()->bufferTypeButton(ConversionRequest::BufferType::Write)->click();
        QVERIFY(settle(*window));
        const QByteArray edited = key(window->document()->scenario());
        QVERIFY(edited != original);
        QVERIFY(window->document()->isModified());

        QVERIFY(stack->index() - presetLoaded >= 5);
        while (stack->index() > presetLoaded)
            stack->undo();
        QCOMPARE(key(window->document()->scenario()), original);
        // The panels show the restored layout, and it is inspected again.
        QCOMPARE(axes->data(axes->index(0, AxisTableModel::StrideColumn)).toLongLong(), 8);
        QCOMPARE(editor->formatBox()->currentText(), QStringLiteral("h"));
        QVERIFY(window->requestBar()->bufferTypeButton(ConversionRequest::BufferType::Read)->isChecked());
        QVERIFY(settle(*window));
        QCOMPARE(key(window->inspectionState()->report()->scenario), original);
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);

        while (stack->canRedo())
            stack->redo();
        QCOMPARE(key(window->document()->scenario()), edited);
        QVERIFY(settle(*window));
        QCOMPARE(key(window->inspectionState()->report()->scenario), edited);
    }

    // The offset box: "auto" is no offset given; a number, 0 included, is used as is. One undo step.
    void offsetIsAutomaticUntilGiven()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("reversed"))); // int32, shape (6,), strides (-4,)
        QVERIFY(settle(*window));
        QCOMPARE(window->inspectionState()->report()->sourceLayout.bufOffset(), 20);
        QUndoStack* stack = window->document()->undoStack();
        const int presetLoaded = stack->index();
        auto* box = window->bufferPanel()->stridedEditor()->findChild<QSpinBox*>(QStringLiteral("offsetBox"));
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("auto"));

        box->setValue(0);
        QCOMPARE(window->document()->scenario().strided.offset, std::optional<ByteOffset>(0));
        QVERIFY(settle(*window));
        const auto& failure = window->inspectionState()->failure();
        QVERIFY2(failure, "offset 0 below a negative stride was not refused");
        QVERIFY2(failure->message.contains(QStringLiteral("outside its memory")) &&
                     failure->message.contains(QStringLiteral("axis 0")),
                 qPrintable(failure->message));

        box->setValue(24);
        QCOMPARE(window->document()->scenario().strided.offset, std::optional<ByteOffset>(24));
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QCOMPARE(window->inspectionState()->report()->sourceLayout.bufOffset(), 24);

        QCOMPARE(stack->index(), presetLoaded + 1);
        stack->undo();
        QCOMPARE(window->document()->scenario().strided.offset, std::nullopt);
        QCOMPARE(box->text(), QStringLiteral("auto"));
        stack->redo();
        QCOMPARE(box->value(), 24);
        box->setValue(box->minimum());
        QCOMPARE(window->document()->scenario().strided.offset, std::nullopt);
    }

    // Issue 9: unchecking Memory "automatic" set the size to 0 bytes, and the layout was refused at
    // once. It starts from the automatic size, which the box shows meanwhile.
    void uncheckingAutomaticMemoryKeepsItsSize()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("reversed"))); // int32, shape (6,), strides (-4,)
        QVERIFY(settle(*window));
        const ByteCount automatic = window->inspectionState()->report()->memory->size;
        QCOMPARE(automatic, ByteCount(24));
        auto* editor = window->bufferPanel()->stridedEditor();
        auto* check = editor->findChild<QCheckBox*>(QStringLiteral("memoryAutomatic"));
        auto* box = editor->findChild<QSpinBox*>(QStringLiteral("memoryBox"));
        QVERIFY(check && box);
        QVERIFY(check->isChecked());
        QCOMPARE(box->value(), 24);
        QVERIFY(!box->isEnabled());

        check->click();
        QCOMPARE(window->document()->scenario().strided.memory, std::optional<ByteCount>(24));
        QVERIFY(box->isEnabled());
        QCOMPARE(box->value(), 24);
        QVERIFY(settle(*window));
        QVERIFY2(!window->inspectionState()->failure(),
                 qPrintable(window->inspectionState()->failure()
                                ? window->inspectionState()->failure()->message
                                : QString()));
        QCOMPARE(window->inspectionState()->report()->memory->size, ByteCount(24));
        // Back to automatic and the axis longer: the box follows the new automatic size.
        check->click();
        QCOMPARE(window->document()->scenario().strided.memory, std::nullopt);
        editor->axisModel()->setData(editor->axisModel()->index(0, AxisTableModel::ExtentColumn), 10);
        QCOMPARE(box->value(), 40);
    }

    // A scenario with a megabyte of notes froze the window (InspectorPanel::refreshFields laid it
    // all out on every report); /dev/zero was read until bad_alloc.
    void notesAndFilesAreBounded()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("notes.json"));
        const QString megabyte(1 << 20, QLatin1Char('x'));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        ScenarioNotes notes;
        notes.title = QStringLiteral("long");
        notes.explanation = megabyte;
        file.write(ScenarioFile::toJson(PresetLibrary::find(QStringLiteral("c_2d"))->scenario, notes));
        file.close();
        auto window = makeWindow();
        QVERIFY(window->openFile(path));
        const QString read = window->document()->notes().explanation;
        QVERIFY(read.size() < ScenarioNotes::maximumLength + 200);
        QVERIFY2(read.contains(QStringLiteral("[cut: this note has 1048576 characters")),
                 qPrintable(read.right(200)));
        QVERIFY(window->inspectorPanel()->fieldsView()->toPlainText().size() <
                3 * ScenarioNotes::maximumLength);
        // Notes that come from elsewhere (the session, an edit) are cut where they are shown.
        window->document()->reset(PresetLibrary::find(QStringLiteral("c_2d"))->scenario,
                                  ScenarioDocument::CodeTrust::Trusted, notes);
        QVERIFY(window->inspectorPanel()->fieldsView()->toPlainText().size() <
                3 * ScenarioNotes::maximumLength);

        QVERIFY(!window->openFile(QStringLiteral("/dev/zero")));
        QVERIFY(!m_errors.isEmpty());
        QVERIFY2(m_errors.last().contains(QStringLiteral("not a regular file")), qPrintable(m_errors.last()));
        m_errors.clear();
    }

    void saveThenOpenGivesTheSameScenario()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("sliding.json"));
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("sliding_window")));
        window->bufferPanel()->stridedEditor()->axisModel()->setData(
            window->bufferPanel()->stridedEditor()->axisModel()->index(0, AxisTableModel::ExtentColumn), 7);
        const Scenario saved = window->document()->scenario();
        const ScenarioNotes notes = window->document()->notes();
        window->setSaveAsPathProvider([path] { return path; });
        QVERIFY(window->save()); // no file yet: Save goes through Save As
        QVERIFY(!window->document()->isModified());
        QCOMPARE(window->document()->filePath(), path);

        // The file is the one `stridescope inspect` reads.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        ScenarioNotes readNotes;
        QString error;
        const auto parsed = ScenarioFile::parse(file.readAll(), &error, &readNotes);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(key(*parsed), key(saved));
        // The preset's explanation was about 5 windows, not 7: it is not saved with them.
        QCOMPARE(readNotes.title, notes.title);
        QCOMPARE(notes.title, QStringLiteral("Edited from preset “Sliding window (overlap)”"));
        QVERIFY(readNotes.explanation.isEmpty());

        QVERIFY(window->newScenario());
        QVERIFY(key(window->document()->scenario()) != key(saved));
        QVERIFY(window->openFile(path));
        QCOMPARE(key(window->document()->scenario()), key(saved));
        QCOMPARE(window->document()->notes().title, notes.title);
        QCOMPARE(window->document()->filePath(), path);
        QVERIFY(!window->document()->isModified());
        QVERIFY(m_errors.isEmpty());

        // A broken file is refused with a message that names the problem, and nothing changes.
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile brokenFile(broken);
        QVERIFY(brokenFile.open(QIODevice::WriteOnly));
        brokenFile.write(R"({"source": {"kind": "strided", "shape": [2], "colour": 1}})");
        brokenFile.close();
        QVERIFY(!window->openFile(broken));
        QCOMPARE(m_errors.size(), 1);
        QVERIFY2(m_errors.first().contains(QStringLiteral("colour")), qPrintable(m_errors.first()));
        QCOMPARE(window->document()->filePath(), path);
    }

    // Issue 9: Transpose, then format 'hd', then Save: the file must not say "Transpose" with an
    // explanation of a scenario that is no longer there, nor show it again on reopen.
    void presetNotesComeOffWhenTheScenarioChanges()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mine.json"));
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("transpose")));
        const Preset transpose = *PresetLibrary::find(QStringLiteral("transpose"));
        QCOMPARE(window->document()->notes().explanation, transpose.notes.explanation);
        // The source becomes a strided buffer of records 'hd' (as the Buffer dock would make it).
        Scenario records = window->document()->scenario();
        records.kind = Scenario::SourceKind::Strided;
        records.strided.shape = {4, 3};
        window->document()->edit(records, QStringLiteral("strided source"));
        window->bufferPanel()->stridedEditor()->formatBox()->setEditText(QStringLiteral("hd"));
        QCOMPARE(window->document()->scenario().strided.format, std::string("hd"));
        const QString edited = QStringLiteral("Edited from preset “%1”").arg(transpose.notes.title);
        QCOMPARE(window->document()->notes().title, edited);
        QVERIFY(window->document()->notes().explanation.isEmpty());
        QVERIFY(window->document()->notes().summary.isEmpty());
        QVERIFY(!window->inspectorPanel()->fieldsView()->toPlainText().contains(transpose.notes.explanation));
        QVERIFY(window->windowTitle().contains(edited));

        window->setSaveAsPathProvider([path] { return path; });
        QVERIFY(window->save());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY2(!json.contains(transpose.notes.explanation.left(40).toUtf8()), json.constData());
        QVERIFY(window->newScenario());
        QVERIFY(window->openFile(path));
        QCOMPARE(window->document()->notes().title, edited);
        QVERIFY(window->document()->notes().explanation.isEmpty());
        QVERIFY(!window->inspectorPanel()->fieldsView()->toPlainText().contains(transpose.notes.explanation));

        // A request edit detaches them too; undo puts them back, and editing on does not nest titles.
        QVERIFY(window->loadPreset(QStringLiteral("transpose")));
        window->requestBar()->orderButton('F')->click();
        QCOMPARE(window->document()->notes().title, edited);
        window->document()->undoStack()->undo();
        QCOMPARE(window->document()->notes().explanation, transpose.notes.explanation);
        window->requestBar()->orderButton('A')->click();
        window->requestBar()->orderButton('C')->click();
        QCOMPARE(window->document()->notes().title, edited);
    }

    // Issue 9: a preset chosen while a file is open is a new untitled document; Save must not
    // overwrite the user's file with it.
    void aPresetOpensAsANewUntitledDocument()
    {
        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("saved.json"));
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        window->setSaveAsPathProvider([saved] { return saved; });
        QVERIFY(window->save());
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray mine = file.readAll();
        file.close();
        QVERIFY(window->openFile(saved));
        QCOMPARE(window->document()->filePath(), saved);

        QVERIFY(window->loadPreset(QStringLiteral("broadcast")));
        QVERIFY(window->document()->filePath().isEmpty());
        QVERIFY(!window->document()->isModified());
        QVERIFY2(!window->windowTitle().contains(QStringLiteral("saved.json")),
                 qPrintable(window->windowTitle()));
        QVERIFY(
            window->windowTitle().contains(PresetLibrary::find(QStringLiteral("broadcast"))->notes.title));
        // Save asks where (Save As), and the user's file is untouched.
        const QString elsewhere = dir.filePath(QStringLiteral("broadcast.json"));
        window->setSaveAsPathProvider([elsewhere] { return elsewhere; });
        QVERIFY(window->save());
        QCOMPARE(window->document()->filePath(), elsewhere);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), mine);

        // Unsaved changes are asked about before a preset replaces them.
        window->requestBar()->orderButton('F')->click();
        QVERIFY(window->document()->isModified());
        QStringList asked;
        window->setUnsavedChangesPrompt([&](const QString& action) {
            asked << action;
            return QMessageBox::Cancel;
        });
        QVERIFY(!window->loadPreset(QStringLiteral("c_2d")));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(window->document()->filePath(), elsewhere);
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
    }

    void unsavedChangesAreAskedAbout()
    {
        auto window = makeWindow();
        reset(*window, cOrder3x4());
        window->bufferPanel()->stridedEditor()->axisModel()->addAxis();
        QVERIFY(window->document()->isModified());
        QStringList asked;
        window->setUnsavedChangesPrompt([&](const QString& action) {
            asked << action;
            return QMessageBox::Cancel;
        });
        const QByteArray before = key(window->document()->scenario());
        QVERIFY(!window->newScenario());
        QCOMPARE(key(window->document()->scenario()), before);
        QCOMPARE(asked.size(), 1);
        QVERIFY(!window->close()); // closing is cancelled too
        QVERIFY(window->isVisible());
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        QVERIFY(window->newScenario());
        QVERIFY(!window->document()->isModified());
    }

    void everyPresetReportsWhatItsExplanationSays_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<OutcomeSummary::Kind>("kind");
        QTest::addColumn<QString>("explanationSays"); // the words of the explanation this checks
        QTest::addColumn<QString>("detail");          // base kind, or the exception message
        using K = OutcomeSummary::Kind;
        // (The values a preset shows are checked against its explanation in presetValuesAreTheOnesExplained.)
        QTest::newRow("c_2d") << "c_2d" << K::Alias << "no copy"
                              << "source";
        QTest::newRow("fortran_2d") << "fortran_2d" << K::Copy << "copies the elements in C order"
                                    << "new_bytes";
        QTest::newRow("transpose") << "transpose" << K::Copy << "'C' must copy it"
                                   << "new_bytes";
        QTest::newRow("every_other_column") << "every_other_column" << K::Copy << "copies"
                                            << "new_bytes";
        QTest::newRow("reversed") << "reversed" << K::Copy << "copied in logical order"
                                  << "new_bytes";
        QTest::newRow("broadcast") << "broadcast" << K::Copy << "a copy writes 12 separate bytes"
                                   << "new_bytes";
        QTest::newRow("sliding_window") << "sliding_window" << K::Copy << "the copy gives"
                                        << "new_bytes";
        QTest::newRow("scalar_0d") << "scalar_0d" << K::Alias << "always aliases"
                                   << "source";
        QTest::newRow("empty") << "empty" << K::Alias << "gets an alias"
                               << "source";
        QTest::newRow("extent1_odd_strides")
            << "extent1_odd_strides" << K::Alias << "both C- and Fortran-contiguous"
            << "source";
        QTest::newRow("permuted_3d") << "permuted_3d" << K::Copy << "copies in C order"
                                     << "new_bytes";
        QTest::newRow("pil_indirect") << "pil_indirect" << K::Copy << "copies it, following the pointers"
                                      << "new_bytes";
        QTest::newRow("readonly_write") << "readonly_write" << K::Error << "underlying buffer is not writable"
                                        << "underlying buffer is not writable";
        QTest::newRow("noncontiguous_write")
            << "noncontiguous_write" << K::Error << "raises BufferError"
            << "writable contiguous buffer requested for a non-contiguous object.";
        QTest::newRow("memoryview_of_memoryview") << "memoryview_of_memoryview" << K::Alias << "the bytearray"
                                                  << "underlying";
        QTest::newRow("from_memory") << "from_memory" << K::Alias << "GET_BASE stays NULL"
                                     << "null";
    }

    void everyPresetReportsWhatItsExplanationSays()
    {
        QFETCH(QString, preset);
        QFETCH(OutcomeSummary::Kind, kind);
        QFETCH(QString, explanationSays);
        QFETCH(QString, detail);
        if (!m_presetWindow)
            m_presetWindow = makeWindow();
        MainWindow* window = m_presetWindow.get();
        QVERIFY(window->loadPreset(preset));
        QVERIFY(settle(*window));
        const ScenarioNotes& notes = window->document()->notes();
        QVERIFY2(notes.explanation.contains(explanationSays), qPrintable(notes.explanation));
        // The inspector shows the explanation.
        QVERIFY(window->inspectorPanel()->fieldsView()->toPlainText().contains(notes.title));

        const auto report = window->inspectionState()->report();
        QVERIFY2(!window->inspectionState()->failure(),
                 qPrintable(window->inspectionState()->failure()
                                ? window->inspectionState()->failure()->message
                                : QString()));
        QCOMPARE(key(report->scenario), key(window->document()->scenario()));
        QCOMPARE(OutcomeSummary::kindName(outcome(*window)), OutcomeSummary::kindName(kind));
        QVERIFY2(report->agrees, report->disagreements.empty() ? "" : report->disagreements.front().c_str());
        QVERIFY(window->banner()->summary().disagreements.isEmpty());
        if (kind == OutcomeSummary::Kind::Error) {
            QCOMPARE(window->banner()->badgeText(), QStringLiteral("BufferError"));
            QVERIFY2(window->banner()->text().contains(detail), qPrintable(window->banner()->text()));
        } else {
            QCOMPARE(QString::fromStdString(ConversionPrediction::baseKindName(report->result.baseKind)),
                     detail);
            QVERIFY(window->inspectorPanel()->fieldsView()->toPlainText().contains(
                QStringLiteral("PyMemoryView_GET_BASE")));
        }
        if (preset == QLatin1String("memoryview_of_memoryview"))
            QCOMPARE(report->result.baseType, std::string("bytearray"));
        if (preset == QLatin1String("permuted_3d")) // three axes: which two make a tile can be chosen
            QVERIFY(window->findChild<QWidget*>(QStringLiteral("tileAxes"))->isVisible());
    }

    // Issue 9: what the window writes about the result is said from the report. from_memory's
    // "Why" said "GET_BASE is the exporter" where GET_BASE is NULL; empty said ALIAS next to
    // "shares memory: no" without saying there are no bytes to share.
    void everySentenceAboutTheResultMatchesTheReport()
    {
        if (!m_presetWindow)
            m_presetWindow = makeWindow();
        MainWindow* window = m_presetWindow.get();
        for (const Preset& preset : PresetLibrary::all()) {
            QVERIFY(window->loadPreset(preset.name));
            QVERIFY(settle(*window));
            const auto report = window->inspectionState()->report();
            QVERIFY2(report && !window->inspectionState()->failure(), qPrintable(preset.name));
            const QString rule = QString::fromStdString(report->prediction.rule);
            const QString banner = window->banner()->text();
            const QString fields = window->inspectorPanel()->fieldsView()->toPlainText();
            const QString why = preset.name + QStringLiteral(": ") + rule;
            QVERIFY2(banner.contains(rule), qPrintable(why));
            const ConversionResult& res = report->result;
            if (res.error)
                continue;
            const std::string base = ConversionPrediction::baseKindName(res.baseKind);
            if (base == "null")
                QVERIFY2(rule.contains(QStringLiteral("GET_BASE is NULL")), qPrintable(why));
            else if (base == "source")
                QVERIFY2(rule.contains(QStringLiteral("GET_BASE is the object itself")), qPrintable(why));
            else if (base == "underlying")
                QVERIFY2(rule.contains(QStringLiteral("GET_BASE is the %1 the memoryview views")
                                           .arg(QString::fromStdString(res.baseType))),
                         qPrintable(why));
            else
                QVERIFY2(base == "new_bytes" &&
                             rule.contains(QStringLiteral("GET_BASE is that bytes object")),
                         qPrintable(why));
            QVERIFY2(!rule.contains(QStringLiteral("exporter")) || base == "source", qPrintable(why));
            // Shares memory: yes, no, or no bytes to share, as the result says.
            const bool empty = res.buffer && res.buffer->len == 0;
            const QString shares = OutcomeSummary::sharesMemory(res);
            QVERIFY2(fields.contains(QStringLiteral("shares the source's memory: ") + shares),
                     qPrintable(fields));
            QCOMPARE(shares.contains(QStringLiteral("no bytes")), empty);
            QCOMPARE(shares == QStringLiteral("yes"), !empty && res.sharesMemory);
            QCOMPARE(banner.contains(QStringLiteral("Nothing is shared")),
                     empty && res.outcome == ConversionPrediction::Outcome::Alias);
        }
    }

    // Issue 9: with the index fill, broadcast read [[8, 9, 10, 11]] x 3 and sliding_window
    // [[0, 4, 8, 12], ...], contradicting "window i starts at byte i". The values a preset shows
    // are the ones its explanation talks about.
    void presetValuesAreTheOnesExplained_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("explanationSays");
        QTest::addColumn<QByteArray>("values"); // result.tolist() as JSON
        QTest::newRow("broadcast") << "broadcast"
                                   << "0, 1, 2, 3 three times"
                                   << QByteArray("[[0,1,2,3],[0,1,2,3],[0,1,2,3]]");
        QTest::newRow("sliding_window") << "sliding_window"
                                        << "[0, 1, 2, 3], [1, 2, 3, 4]"
                                        << QByteArray("[[0,1,2,3],[1,2,3,4],[2,3,4,5],[3,4,5,6],[4,5,6,7]]");
        QTest::newRow("every_other_column")
            << "every_other_column"
            << "[0, 2], [4, 6], [8, 10]" << QByteArray("[[0,2],[4,6],[8,10]]");
        QTest::newRow("permuted_3d") << "permuted_3d"
                                     << "[0, 1, :] is 12, 13, 14, 15"
                                     << QByteArray("[[[0,1,2,3],[12,13,14,15]],[[4,5,6,7],[16,17,18,19]],"
                                                   "[[8,9,10,11],[20,21,22,23]]]");
        QTest::newRow("from_memory") << "from_memory"
                                     << "reads 0 to 15"
                                     << QByteArray("[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]");
        QTest::newRow("transpose") << "transpose"
                                   << "shape (4, 3)" << QByteArray("[[0,4,8],[1,5,9],[2,6,10],[3,7,11]]");
        QTest::newRow("reversed") << "reversed"
                                  << "copied in logical order" << QByteArray("[0,1,2,3,4,5]");
        QTest::newRow("c_2d") << "c_2d"
                              << "Each row follows the previous one"
                              << QByteArray("[[0,1,2,3],[4,5,6,7],[8,9,10,11]]");
    }
    void presetValuesAreTheOnesExplained()
    {
        QFETCH(QString, preset);
        QFETCH(QString, explanationSays);
        QFETCH(QByteArray, values);
        if (!m_presetWindow)
            m_presetWindow = makeWindow();
        MainWindow* window = m_presetWindow.get();
        QVERIFY(window->loadPreset(preset));
        QVERIFY(settle(*window));
        QVERIFY2(window->document()->notes().explanation.contains(explanationSays),
                 qPrintable(window->document()->notes().explanation));
        const auto report = window->inspectionState()->report();
        QVERIFY(report && report->result.tolistJson);
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(*report->result.tolistJson)),
                 QJsonDocument::fromJson(values));
    }

    // The mean lightness (0-255) of what a widget draws.
    static double lightness(QWidget* widget)
    {
        const QImage image = widget->grab().toImage().convertToFormat(QImage::Format_RGB32);
        double sum = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                sum += QColor::fromRgb(image.pixel(x, y)).lightness();
        return image.isNull() ? -1 : sum / (double(image.width()) * image.height());
    }

    // Issue 9: the dark theme left the snippet panes and the unchosen request buttons white.
    void darkThemeReachesEveryPane()
    {
        // Light at start (a restored session), then View > Dark Theme, then the Reproduce tab, never
        // shown before, is opened.
        auto window = std::make_unique<MainWindow>();
        window->setTheme(false, false);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->inspectCurrent();
        QVERIFY(settle(*window));
        window->setTheme(true, false);
        QApplication::processEvents();
        auto* tabs = window->inspectorPanel()->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1); // Reproduce
        const auto panes = [&] {
            return std::vector<QWidget*>{
                window->inspectorPanel()->findChild<QPlainTextEdit*>(QStringLiteral("cSnippet"))->viewport(),
                window->inspectorPanel()
                    ->findChild<QPlainTextEdit*>(QStringLiteral("pythonSnippet"))
                    ->viewport(),
                window->requestBar()->orderButton('F'), // not chosen: the request asks for 'C'
                window->requestBar()->bufferTypeButton(ConversionRequest::BufferType::Write),
                window->bufferPanel()->codeEditor()->editor()->viewport(),
                window->inspectorPanel()->fieldsView()->viewport()};
        };
        QVERIFY(!window->requestBar()->orderButton('F')->isChecked());
        for (bool dark : {true, false, true}) {
            window->setTheme(dark, false);
            QApplication::processEvents();
            if (qEnvironmentVariableIsSet("STRIDESCOPE_GRAB"))
                window->grab().save(qEnvironmentVariable("STRIDESCOPE_GRAB") +
                                    (dark ? "-dark.png" : "-light.png"));
            for (QWidget* pane : panes()) {
                const double light = lightness(pane);
                QVERIFY2(dark ? light < 100 : light > 150,
                         qPrintable(QStringLiteral("%1 (%2): lightness %3 in the %4 theme")
                                        .arg(pane->objectName(),
                                             QString::fromLatin1(pane->metaObject()->className()))
                                        .arg(light)
                                        .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"))));
            }
        }
        window->setTheme(false, false);
    }

    void aDisagreementIsShownAsAWarning()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("c_2d")));
        QVERIFY(settle(*window));
        QVERIFY(!window->findChild<QLabel*>(QStringLiteral("outcomeWarning"))->isVisible());
        // A report where Stridescope's model and CPython differ (a bug in the model, if it ever happens).
        auto disagreeing = std::make_shared<InspectionReport>(*window->inspectionState()->report());
        disagreeing->agrees = false;
        disagreeing->disagreements = {"predicted copy but the call gave alias"};
        window->inspectionState()->setReport(ReportData::forWindow(disagreeing));
        QLabel* warning = window->findChild<QLabel*>(QStringLiteral("outcomeWarning"));
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QStringLiteral("predicted copy but the call gave alias")));
        QCOMPARE(window->banner()->summary().disagreements.size(), 1);
    }

    void exportWritesPngSvgAndPdf()
    {
        QTemporaryDir dir;
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("transpose")));
        QVERIFY(settle(*window));
        QString error;
        const QString png = dir.filePath(QStringLiteral("t.png"));
        QVERIFY2(window->exportImage(png, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 100 && image.height() > 100);

        const QString svg = dir.filePath(QStringLiteral("t.svg"));
        QVERIFY2(window->exportImage(svg, &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int texts = 0;
        QString allText;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text")) {
                ++texts;
                allText += xml.readElementText(QXmlStreamReader::IncludeChildElements) + QLatin1Char(' ');
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(texts > 0, "the SVG has no text");
        QVERIFY(!allText.trimmed().isEmpty());

        const QString pdf = dir.filePath(QStringLiteral("t.pdf"));
        QVERIFY2(window->exportImage(pdf, &error), qPrintable(error));
        QVERIFY(QFileInfo(pdf).size() > 500);
        QVERIFY(!window->exportImage(dir.filePath(QStringLiteral("t.bmpx")), &error));
        QVERIFY(error.contains(QStringLiteral(".bmpx")));
    }

    void stopEndsAnEndlessLoop()
    {
        auto window = makeWindow();
        QVERIFY(settle(*window));
        Scenario python;
        python.kind = Scenario::SourceKind::Python;
        python.code = "b'abc'";
        reset(*window, python);
        QVERIFY(settle(*window));
        PythonCodeEditor* editor = window->bufferPanel()->codeEditor();
        QVERIFY(editor->isVisible());
        editor->editor()->setPlainText(QStringLiteral("print('spinning')\nwhile True:\n    pass"));
        QTest::mouseClick(editor->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->inspectionState()->isBusy(), 5000);
        QCOMPARE(window->document()->scenario().code,
                 std::string("print('spinning')\nwhile True:\n    pass"));
        // It keeps running, the window stays responsive and shows that it is busy.
        QTest::qWait(600);
        QVERIFY(window->inspectionState()->isBusy());
        QVERIFY(window->banner()->isShowingBusy());
        QVERIFY(window->findChild<QToolButton*>(QStringLiteral("bannerStopButton"))->isVisible());
        QVERIFY(editor->stopButton()->isEnabled());
        // An edit meanwhile queues a new inspection behind the loop; Stop drops it too.
        window->requestBar()->orderButton('F')->click();
        QTest::qWait(300);
        QVERIFY(window->inspectionState()->isBusy());

        QElapsedTimer stopping;
        stopping.start();
        QTest::mouseClick(editor->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->inspectionState()->isBusy(), 1500);
        qInfo("stopped after %lld ms", stopping.elapsed());
        QVERIFY(stopping.elapsed() < 1500);
        const auto& failure = window->inspectionState()->failure();
        QVERIFY(failure);
        QVERIFY2(failure->message.contains(QStringLiteral("interrupted")), qPrintable(failure->message));
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("STOPPED"));
        QVERIFY(!window->banner()->isShowingBusy());
        // The Inspector says the same as the banner: stopped, not "could not be built".
        const QString fields = window->inspectorPanel()->fieldsView()->toPlainText();
        QVERIFY2(fields.contains(window->banner()->summary().headline), qPrintable(fields));
        // The picture of b'abc' is still on screen: marked as the previous scenario's.
        QVERIFY(window->inspectionState()->report());
        QVERIFY(window->memoryView()->isShowingStale());
        if (qEnvironmentVariableIsSet("STRIDESCOPE_GRAB")) // a picture to look at (README, reviews)
            window->grab().save(qEnvironmentVariable("STRIDESCOPE_GRAB") + QStringLiteral("-stopped.png"));
        QVERIFY(window->outputPanel()->text().contains(QStringLiteral("spinning")));
        QVERIFY(window->outputPanel()->text().contains(QStringLiteral("KeyboardInterrupt")));

        // And the next run works.
        editor->editor()->setPlainText(QStringLiteral("np.arange(6).reshape(2, 3)[:, ::2]"));
        window->run();
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
    }

    // How much a picture differs from the plain background: the mean, over its pixels, of the
    // largest channel difference (0 for an empty view).
    static double inkOn(const QImage& image, QColor background)
    {
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        double sum = 0;
        for (int y = 0; y < rgb.height(); ++y)
            for (int x = 0; x < rgb.width(); ++x) {
                const QColor c = QColor::fromRgb(rgb.pixel(x, y));
                sum +=
                    std::max({std::abs(c.red() - background.red()), std::abs(c.green() - background.green()),
                              std::abs(c.blue() - background.blue())});
            }
        return rgb.isNull() ? 0 : sum / (double(rgb.width()) * rgb.height());
    }

    // Issue 9: a picture left on screen by a failed inspection is marked as the previous scenario's.
    void aFailedInspectionLeavesAStalePictureMarked()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("c_2d")));
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        const QColor background = window->theme().background();
        const auto views = {static_cast<ReportView*>(window->logicalView()),
                            static_cast<ReportView*>(window->memoryView()),
                            static_cast<ReportView*>(window->resultView())};
        std::vector<double> fresh;
        for (ReportView* view : views) {
            QVERIFY(!view->isShowingStale());
            fresh.push_back(inkOn(view->viewport()->grab().toImage(), background));
            QVERIFY(fresh.back() > 0);
        }
        // A layout the exporter refuses: 12 elements in 2 bytes of memory.
        Scenario refused = window->document()->scenario();
        refused.strided.memory = 2;
        window->document()->edit(refused, QStringLiteral("too little memory"));
        QVERIFY(settle(*window));
        QTRY_VERIFY(window->inspectionState()->failure().has_value());
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("NO BUFFER"));
        QVERIFY(window->inspectionState()->report()); // the earlier report is still what the views hold
        int i = 0;
        for (ReportView* view : views) {
            QVERIFY(view->isShowingStale());
            const QImage stale = view->viewport()->grab().toImage();
            // Dimmed: far less ink than the same picture when it was the answer...
            const double ink = inkOn(stale, background);
            QVERIFY2(ink < 0.6 * fresh[std::size_t(i)],
                     qPrintable(QStringLiteral("%1 vs %2").arg(ink).arg(fresh[std::size_t(i)])));
            // ...under a label in a box at the top left.
            QCOMPARE(QColor(stale.pixel(9, 9)), window->theme().panel());
            ++i;
        }
        // Exporting it would pass the old picture off as this scenario's.
        QTemporaryDir dir;
        QString error;
        QVERIFY(!window->exportImage(dir.filePath(QStringLiteral("stale.png")), &error));
        QVERIFY2(error.contains(QStringLiteral("previous scenario")), qPrintable(error));
        // The next good inspection is fresh again.
        window->document()->undoStack()->undo();
        QVERIFY(settle(*window));
        QTRY_VERIFY(!window->inspectionState()->failure().has_value());
        for (ReportView* view : views)
            QVERIFY(!view->isShowingStale());
    }

    // Issue 8 item 4: code that crashes the interpreter, or hangs in C code past Stop, costs the
    // worker process; the window, its scenario and the next run live on.
    void crashAndHangInCodeKeepTheWindow()
    {
        auto window = makeWindow();
        QVERIFY(settle(*window));
        Scenario python;
        python.kind = Scenario::SourceKind::Python;
        python.code = "import ctypes\nctypes.string_at(0)";
        reset(*window, python);
        QVERIFY(settle(*window));
        const auto& crash = window->inspectionState()->failure();
        QVERIFY(crash);
        QVERIFY2(crash->message.contains(QStringLiteral("crashed with SIGSEGV while running your code")),
                 qPrintable(crash->message));
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("CRASHED"));
        QVERIFY(window->outputPanel()->text().contains(QStringLiteral("Fatal Python error")));
        QCOMPARE(window->document()->scenario().code, python.code);

        PythonCodeEditor* editor = window->bufferPanel()->codeEditor();
        editor->editor()->setPlainText(QStringLiteral("import time\ntime.sleep(100)"));
        QTest::mouseClick(editor->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->inspectionState()->isBusy(), 5000);
        QTest::qWait(1500); // the worker has started and is in the sleep
        QElapsedTimer stopping;
        stopping.start();
        QTest::mouseClick(editor->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->inspectionState()->isBusy(), 5000);
        qInfo("C code stopped after %lld ms", stopping.elapsed());
        const auto& stopped = window->inspectionState()->failure();
        QVERIFY(stopped);
        QVERIFY2(stopped->message.startsWith(QStringLiteral("Stopped: the code did not stop")),
                 qPrintable(stopped->message));
        QCOMPARE(window->banner()->badgeText(), QStringLiteral("STOPPED"));

        editor->editor()->setPlainText(QStringLiteral("np.arange(6).reshape(2, 3)[:, ::2]"));
        window->run();
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
    }

    void ctrlReturnRunsTheCode()
    {
        auto window = makeWindow();
        Scenario python;
        python.kind = Scenario::SourceKind::Python;
        python.code = "bytearray(4)";
        reset(*window, python);
        QVERIFY(settle(*window));
        QApplication::setActiveWindow(window.get());
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QPlainTextEdit* editor = window->bufferPanel()->codeEditor()->editor();
        editor->setFocus();
        editor->setPlainText(QStringLiteral("memoryview(bytes(8)).cast('B', (2, 4))"));
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(window->document()->scenario().code, std::string("memoryview(bytes(8)).cast('B', (2, 4))"));
        QVERIFY(settle(*window));
        QCOMPARE(window->inspectionState()->report()->sourceBuffer->shape,
                 std::optional(std::vector<Extent>{2, 4}));
        QVERIFY(!editor->toPlainText().contains(QLatin1Char('\n'))); // no new line was typed
    }

    void snippetsReproduceTheScenario()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("every_other_column")));
        QVERIFY(settle(*window));
        const QString c = window->inspectorPanel()->cSnippet();
        QVERIFY(c.contains(QStringLiteral("PyMemoryView_GetContiguous(obj, PyBUF_READ, 'A')")));
        QVERIFY(c.contains(QStringLiteral("strides[] = {4, 2}")));
        // The Python snippet runs in Stridescope's own Python editor and makes the same call.
        const QString python = window->inspectorPanel()->pythonSnippet();
        Scenario run;
        run.kind = Scenario::SourceKind::Python;
        run.code = (python + QStringLiteral("\nbuf = obj\n")).toStdString();
        reset(*window, run);
        QVERIFY(settle(*window));
        QVERIFY2(!window->inspectionState()->failure(),
                 qPrintable(window->inspectionState()->failure()
                                ? window->inspectionState()->failure()->message
                                : QString()));
        const auto report = window->inspectionState()->report();
        QCOMPARE(report->sourceBuffer->strides, std::optional(std::vector<ByteOffset>{4, 2}));
        QVERIFY2(QString::fromStdString(report->output)
                     .startsWith(
                         QStringLiteral("COPY: shape (3, 2), strides (2, 1), readonly True, GET_BASE bytes")),
                 report->output.c_str());

        // The C snippet is a program: it compiles against the system's Python and makes the call.
        const QString compiled = compileAndRunC(c);
        if (compiled.isNull())
            qInfo("no C compiler or python3-config: the C snippet is not compiled");
        else
            QVERIFY2(compiled.startsWith(QStringLiteral(
                         "COPY: shape (3, 2), strides (2, 1), readonly True, GET_BASE bytes (new_bytes)")),
                     qPrintable(compiled));

        const auto [body, expression] = SnippetGenerator::splitFinalExpression(QStringLiteral("a = 1\na.T"));
        QCOMPARE(body, QStringLiteral("a = 1"));
        QCOMPARE(expression, QStringLiteral("a.T"));
        QCOMPARE(SnippetGenerator::splitFinalExpression(QStringLiteral("buf = x")).second, QString());
        QCOMPARE(SnippetGenerator::splitFinalExpression(QStringLiteral("for i in x:\n    pass")).second,
                 QString());
    }

    void pythonSnippetsRunInTheEditor_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("printed"); // the snippet's line, or the exception it raises
        QTest::newRow("c_2d")
            << "c_2d"
            << "ALIAS: shape (3, 4), strides (8, 2), readonly False, GET_BASE ndarray (source)";
        QTest::newRow("transpose") << "transpose"
                                   << "COPY: shape (4, 3), strides (3, 1), readonly True, GET_BASE bytes";
        QTest::newRow("pil_indirect") << "pil_indirect"
                                      << "COPY: shape (3, 4), strides (4, 1), readonly True";
        QTest::newRow("memoryview_of_memoryview") << "memoryview_of_memoryview"
                                                  << "ALIAS: shape (2, 6), strides (6, 1), "
                                                     "readonly False, GET_BASE bytearray";
        QTest::newRow("from_memory") << "from_memory"
                                     << "ALIAS: shape (16,), strides (1,), readonly False, GET_BASE NULL";
        QTest::newRow("readonly_write") << "readonly_write"
                                        << "BufferError: underlying buffer is not writable";
        Scenario fromBuffer = PresetLibrary::find(QStringLiteral("fortran_2d"))->scenario;
        fromBuffer.kind = Scenario::SourceKind::Memory;
        fromBuffer.memoryFunction = MemoryViewFunction::FromBuffer;
        m_fromBuffer = fromBuffer;
        QTest::newRow("FromBuffer, Fortran order")
            << ""
            << "COPY: shape (3, 4), strides (8, 2), readonly True, GET_BASE bytes";
    }

    void pythonSnippetsRunInTheEditor()
    {
        QFETCH(QString, preset);
        QFETCH(QString, printed);
        if (!m_presetWindow)
            m_presetWindow = makeWindow();
        const Scenario scenario = preset.isEmpty() ? m_fromBuffer : PresetLibrary::find(preset)->scenario;
        Scenario run;
        run.kind = Scenario::SourceKind::Python;
        run.code = (SnippetGenerator::python(scenario) + QStringLiteral("\nbuf = obj\n")).toStdString();
        reset(*m_presetWindow, run);
        QVERIFY(settle(*m_presetWindow));
        const InspectionState& state = *m_presetWindow->inspectionState();
        const QString said = state.failure() ? state.failure()->message
                                             : QString::fromStdString(state.report()->output).trimmed();
        QVERIFY2(said.contains(printed),
                 qPrintable(said + QStringLiteral("\n---\n") + QString::fromStdString(run.code)));
    }

    void cSnippetsCompileAndRun_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("printed");
        QTest::newRow("c_2d") << "c_2d"
                              << "ALIAS: shape (3, 4), strides (8, 2), readonly False, GET_BASE NULL (null)";
        QTest::newRow("pil_indirect")
            << "pil_indirect"
            << "COPY: shape (3, 4), strides (4, 1), readonly True, GET_BASE bytes (new_bytes)";
        QTest::newRow("reversed")
            << "reversed"
            << "COPY: shape (6,), strides (4,), readonly True, GET_BASE bytes (new_bytes)";
        QTest::newRow("readonly_write") << "readonly_write"
                                        << "BufferError: underlying buffer is not writable";
        QTest::newRow("from_memory")
            << "from_memory"
            << "ALIAS: shape (16,), strides (1,), readonly False, GET_BASE NULL (null)";
        QTest::newRow("transpose (numpy)")
            << "transpose"
            << "COPY: shape (4, 3), strides (3, 1), readonly True, GET_BASE bytes (new_bytes)";
    }

    void cSnippetsCompileAndRun()
    {
        QFETCH(QString, preset);
        QFETCH(QString, printed);
        const QString output = compileAndRunC(SnippetGenerator::c(PresetLibrary::find(preset)->scenario));
        if (output.isNull())
            QSKIP("no C compiler or python3-config");
        QVERIFY2(output.contains(printed), qPrintable(output));
    }

    // A field name holding "*/" closed the C snippet's comment, and the compiled snippet ran the
    // code after it. Every user string in generated code is data: the C snippet compiles, runs and
    // leaves no marker; the Python snippet parses and gives back the very format it was given. A
    // format Stridescope refuses gets a snippet that says why, and the reason (which quotes the
    // format) is then the data that must come back whole.
    void hostileStringsInSnippetsStayData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString marker = dir.filePath(QStringLiteral("MARKER"));
        const QString touch = QStringLiteral("touch %1").arg(marker);
        const QStringList formats{
            // Ends the comment and adds a function that runs before main().
            QStringLiteral("T{B:*/ __attribute__((constructor)) static void f(void) { system(\"%1\"); } /*:}")
                .arg(touch),
            QStringLiteral("*/ int x = system(\"%1\"); /*").arg(touch),
            // Quotes, backslashes, new lines (CR too), a trigraph and non-ASCII in the C literal
            // and in the Python literals.
            QStringLiteral("T{B:a\"b\\\\c\\\"\n\");system(\"%1\");//:}").arg(touch),
            QStringLiteral("B'\nimport os; os.system('%1')\r#\\'?\?/\u00e9\u2028").arg(touch),
        };
        const bool compiler = !QStandardPaths::findExecutable(QStringLiteral("cc")).isEmpty() &&
                              QFileInfo::exists(QStringLiteral("/usr/bin/python3-config"));
        int refused = 0;
        for (const QString& format : formats) {
            for (const auto kind : {Scenario::SourceKind::Strided, Scenario::SourceKind::Memory}) {
                Scenario scenario;
                scenario.kind = kind;
                scenario.memoryFunction = MemoryViewFunction::FromBuffer;
                scenario.strided.format = format.toStdString();
                scenario.strided.shape = {2};
                scenario.strided.strides = std::vector<ByteOffset>{1};
                const QString refusal = refusalOf(scenario.strided);
                refused += !refusal.isEmpty();
                if (compiler) {
                    const QString output = compileAndRunC(SnippetGenerator::c(scenario));
                    QVERIFY2(!output.startsWith(QStringLiteral("the C snippet")), qPrintable(output));
                    QVERIFY2(!QFile::exists(marker), qPrintable(SnippetGenerator::c(scenario)));
                    if (!refusal.isEmpty()) // the program prints why, and nothing else
                        QCOMPARE(output, refusal + QLatin1Char('\n'));
                }
                // The Python snippet: the format literal (or the reason it raises) reads back as itself.
                const QString python = SnippetGenerator::python(scenario);
                QProcess check;
                check.start(
                    QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"),
                     QStringLiteral("import ast, sys\n"
                                    "tree = ast.parse(sys.stdin.read())\n"
                                    "for node in ast.walk(tree):\n"
                                    "    if (isinstance(node, ast.keyword) and node.arg == 'format' and\n"
                                    "            isinstance(node.value, ast.Constant)):\n"
                                    "        v = ast.literal_eval(node.value)\n"
                                    "        sys.stdout.write(v.decode() if isinstance(v, bytes) else v)\n"
                                    "    if isinstance(node, ast.Raise):\n"
                                    "        sys.stdout.write(ast.literal_eval(node.exc.args[0]))\n")});
                QVERIFY(check.waitForStarted());
                check.write(python.toUtf8());
                check.closeWriteChannel();
                QVERIFY(check.waitForFinished(30000));
                QVERIFY2(check.exitCode() == 0, qPrintable(QString::fromUtf8(check.readAllStandardError()) +
                                                           QStringLiteral("\n---\n") + python));
                QCOMPARE(QString::fromUtf8(check.readAllStandardOutput()),
                         refusal.isEmpty() ? format : refusal);
            }
            // The FromBuffer Python snippet runs with plain ctypes: it runs, and the marker stays away.
            Scenario memory;
            memory.kind = Scenario::SourceKind::Memory;
            memory.memoryFunction = MemoryViewFunction::FromBuffer;
            memory.strided.format = format.toStdString();
            memory.strided.shape = {2};
            QProcess python;
            python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-")});
            QVERIFY(python.waitForStarted());
            python.write(SnippetGenerator::python(memory).toUtf8());
            python.closeWriteChannel();
            QVERIFY(python.waitForFinished(30000));
            QVERIFY(!QFile::exists(marker));
        }
        QCOMPARE(refused, 4); // two of the formats, as both kinds: both kinds of snippet were checked
    }

    // The snippets resolved a spec's defaults with their own copy of the storage's rule, with
    // unchecked arithmetic on the user's numbers (count *= extent, count * itemsize, offset + end):
    // a hostile scenario overflowed there as soon as the inspector showed its snippets. A spec the
    // storage refuses now gets snippets that give its reason, the line `inspect` prints, and no
    // buffer code (no `char memory[9223372036854775807]`).
    void snippetsOfRefusedSpecsGiveTheReason_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("inFile"); // every number fits a scenario file (|n| <= 2^53): ask the CLI too
        constexpr ByteOffset max = std::numeric_limits<ByteOffset>::max();
        constexpr ByteOffset min = std::numeric_limits<ByteOffset>::min();
        constexpr Extent p53 = Extent(1) << 53;
        constexpr Extent p62 = Extent(1) << 62;
        const auto row = [](const char* name, Scenario::SourceKind kind, const char* format,
                            std::vector<Extent> shape, std::optional<std::vector<ByteOffset>> strides,
                            std::optional<ByteOffset> offset, std::optional<ByteCount> memory, bool indirect,
                            const char* reason, bool inFile) {
            Scenario scenario;
            scenario.kind = kind;
            scenario.memoryFunction = std::string_view(name).find("FromMemory") != std::string_view::npos
                                          ? MemoryViewFunction::FromMemory
                                          : MemoryViewFunction::FromBuffer;
            scenario.strided.format = format;
            scenario.strided.shape = std::move(shape);
            scenario.strided.strides = std::move(strides);
            scenario.strided.offset = offset;
            scenario.strided.memory = memory;
            scenario.strided.indirect = indirect;
            QTest::newRow(name) << scenario << QString::fromLatin1(reason) << inFile;
        };
        using K = Scenario::SourceKind;
        const std::nullopt_t none = std::nullopt;
        row("2^64 elements", K::Strided, "B", {p62, 4}, none, none, none, false,
            "the shape holds more than 2^63 elements", false);
        row("2^106 elements, from a file", K::Strided, "B", {p53, p53}, none, none, none, false,
            "the shape holds more than 2^63 elements", true);
        row("2^70 bytes of items, FromBuffer", K::Memory, "1073741824s", {Extent(1) << 40}, none, none, none,
            false, "the shape times the item size (1073741824) is more than 2^63 bytes", true);
        row("extent 2^62, stride 4", K::Strided, "B", {p62}, std::vector<ByteOffset>{4}, none, none, false,
            "the reach of axis 0 (extent 4611686018427387904, stride 4) overflows 64 bits", false);
        row("stride INT64_MAX", K::Strided, "h", {3}, std::vector<ByteOffset>{max}, none, none, false,
            "the reach of axis 0 (extent 3, stride 9223372036854775807) overflows 64 bits", false);
        row("stride INT64_MIN, FromMemory", K::Memory, "B", {2}, std::vector<ByteOffset>{min}, none, none,
            false, "the reach of axis 0 (extent 2, stride -9223372036854775808) overflows 64 bits", false);
        row("strides of +-2^53, from a file", K::Strided, "B", {4, 4}, std::vector<ByteOffset>{p53, -p53},
            none, none, false,
            "the memory block of 54043195528445953 bytes (48.0 PiB) exceeds the allocation limit of "
            "1073741824 bytes (1.0 GiB); raise the limit with --max-memory",
            true);
        row("offset INT64_MAX - 1", K::Strided, "B", {4}, none, max - 1, none, false,
            "the memory size overflows 64 bits", false);
        row("offset past 2^63 - end, from a file", K::Memory, "B", {1024}, std::vector<ByteOffset>{p53}, p53,
            none, false, "the memory size overflows 64 bits", true);
        row("memory INT64_MAX, FromMemory", K::Memory, "B", {4}, none, none, max, false,
            "the memory block of 9223372036854775807 bytes (8.0 EiB) exceeds the allocation limit of "
            "1073741824 "
            "bytes (1.0 GiB); raise the limit with --max-memory",
            false);
        row("memory INT64_MIN", K::Strided, "B", {4}, none, none, min, false,
            "memory size -9223372036854775808 is negative", false);
        row("indirect, 2^63 elements", K::Strided, "B", {Extent(1) << 61, 4}, none, none, none, true,
            "the shape holds more than 2^63 elements", false);
        row("indirect, rows past 2^63", K::Strided, "B", {2, 3}, std::vector<ByteOffset>{8, p62}, none, none,
            true, "the reach of axis 0 (extent 3, stride 4611686018427387904) overflows 64 bits", false);
        row("indirect table past 2^63", K::Strided, "B", {p62, 1}, std::vector<ByteOffset>{8, 1}, none, none,
            true, "the reach of axis 0 (extent 4611686018427387904, stride 8) overflows 64 bits", false);
    }

    void snippetsOfRefusedSpecsGiveTheReason()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, reason);
        QFETCH(bool, inFile);
        QCOMPARE(refusalOf(scenario.strided), reason);

        QCOMPARE(SnippetGenerator::c(scenario),
                 QStringLiteral("/* Stridescope refuses this scenario: \"%1\" */\n"
                                "#include <stdio.h>\n\n"
                                "int main(void)\n{\n"
                                "    fputs(\"%1\" \"\\n\", stderr);\n"
                                "    return 1;\n}\n")
                     .arg(reason));
        const QString python = SnippetGenerator::python(scenario);
        QCOMPARE(python, QStringLiteral("# Stridescope refuses this scenario: '%1'\nraise ValueError('%1')\n")
                             .arg(reason));

        if (inFile) {
            // The line `stridescope inspect FILE` prints for the same scenario.
            QTemporaryDir dir;
            QVERIFY(dir.isValid());
            QFile file(dir.filePath(QStringLiteral("hostile.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(ScenarioFile::toJson(scenario));
            file.close();
            QProcess inspect;
            inspect.start(qEnvironmentVariable("STRIDESCOPE_BINARY"),
                          {QStringLiteral("inspect"), file.fileName()});
            QVERIFY2(inspect.waitForFinished(60000), "run through CTest (STRIDESCOPE_BINARY)");
            QCOMPARE(inspect.exitCode(), 1);
            QCOMPARE(QString::fromUtf8(inspect.readAllStandardError()),
                     QStringLiteral("stridescope inspect: %1\n").arg(reason));
        }
    }

    void sessionIsRestored()
    {
        QByteArray edited;
        {
            auto window = makeWindow();
            QVERIFY(window->loadPreset(QStringLiteral("broadcast")));
            window->setTheme(true, true);
            edited = key(window->document()->scenario());
            QVERIFY(window->close());
        }
        MainWindow restored;
        restored.restoreSession();
        QCOMPARE(key(restored.document()->scenario()), edited);
        QCOMPARE(restored.document()->notes().title,
                 PresetLibrary::find(QStringLiteral("broadcast"))->notes.title);
        QVERIFY(restored.theme().isDark());
        QVERIFY(restored.theme().colourBlindSafe());
        restored.setTheme(false, false);
        restored.saveSession();
    }

    // The issue's 5-D array in a 1400x900 window: each tile was an 8 px dot without numbers, and the
    // caption "colour = position in C order" was cut off by the tile selectors.
    void fiveDimensionalArrayIsReadableInTheWindow()
    {
        auto window = makeWindow();
        QCOMPARE(window->size(), QSize(1400, 900));
        Scenario nd;
        nd.strided.format = "B";
        nd.strided.shape = {2, 2, 3, 4, 3};
        nd.strided.strides = std::vector<ByteOffset>{120, 60, -20, 5, 2};
        reset(*window, nd);
        window->controller()->inspectNow(window->document()->scenario());
        QVERIFY(settle(*window));
        QTest::qWait(50);
        LogicalView* view = window->logicalView();
        QVERIFY(view->isFitted());
        const ReportData data(window->inspectionState()->report());
        QCOMPARE(data.elementCount(), ElementIndex(144));
        const LogicalPainter logical(data, view->theme(), view->zoom(), view->tileRowAxis(),
                                     view->tileColumnAxis());
        QVERIFY2(logical.showsValues(), qPrintable(QStringLiteral("zoom %1 in %2x%3")
                                                       .arg(view->zoom())
                                                       .arg(view->viewport()->width())
                                                       .arg(view->viewport()->height())));
        for (ElementIndex e = 0; e < data.elementCount(); ++e) {
            const QRectF cell = logical.cellRect(e);
            QVERIFY2(cell.width() >= 14 && cell.height() >= 14,
                     qPrintable(
                         QStringLiteral("element %1: %2x%3 px").arg(e).arg(cell.width()).arg(cell.height())));
        }
        // No mile to scroll: the picture is a few views in size.
        const QSize screen = view->viewport()->size();
        QVERIFY2(logical.size().width() * logical.size().height() <= 6.0 * screen.width() * screen.height(),
                 qPrintable(QStringLiteral("%1x%2 in %3x%4")
                                .arg(logical.size().width())
                                .arg(logical.size().height())
                                .arg(screen.width())
                                .arg(screen.height())));
        // The window gave the Logical view the height its tiles need: both tile rows are on screen,
        // at most part of a cell scrolled off. The two strips share the rest, a byte the same size
        // in both.
        QVERIFY2(view->verticalScrollBar()->maximum() <= logical.cellRect(0).height(),
                 qPrintable(QStringLiteral("%1 px to scroll in a %2 px view")
                                .arg(view->verticalScrollBar()->maximum())
                                .arg(screen.height())));
        const double memoryZoom = window->memoryView()->zoom(), resultZoom = window->resultView()->zoom();
        QVERIFY2(std::abs(memoryZoom - resultZoom) <= 0.15 * std::max(memoryZoom, resultZoom),
                 qPrintable(QStringLiteral("memory at %1, result at %2").arg(memoryZoom).arg(resultZoom)));
        // Every caption above a view is shown whole: wrapped, never cut.
        QWidget* tileAxes = window->findChild<QWidget*>(QStringLiteral("tileAxes"));
        QVERIFY(tileAxes && tileAxes->isVisible());
        for (int width : {1400, 1000, 800}) {
            window->resize(width, 900);
            QTest::qWait(30);
            const auto captions = window->findChildren<QLabel*>(QStringLiteral("viewCaption"));
            QCOMPARE(captions.size(), 3);
            for (QLabel* caption : captions)
                QVERIFY2(caption->wordWrap()
                             ? caption->heightForWidth(caption->width()) <= caption->height() &&
                                   caption->width() >= caption->minimumWidth() && caption->minimumWidth() > 0
                             : caption->sizeHint().width() <= caption->width(),
                         qPrintable(QStringLiteral("%1 px window: '%2' needs %3 px, has %4x%5")
                                        .arg(width)
                                        .arg(caption->text())
                                        .arg(caption->heightForWidth(caption->width()))
                                        .arg(caption->width())
                                        .arg(caption->height())));
        }
    }

    // Zoom belongs to the scenario it was chosen for: a preset, New or Open starts fitted.
    void aNewScenarioStartsFitted()
    {
        auto window = makeWindow();
        QVERIFY(window->loadPreset(QStringLiteral("c_2d")));
        QVERIFY(settle(*window));
        for (ReportView* view : std::initializer_list<ReportView*>{
                 window->logicalView(), window->memoryView(), window->resultView()}) {
            view->setZoom(view->zoom() * 3);
            QVERIFY(!view->isFitted());
        }
        QVERIFY(window->loadPreset(QStringLiteral("transpose")));
        QVERIFY(settle(*window));
        for (ReportView* view : std::initializer_list<ReportView*>{
                 window->logicalView(), window->memoryView(), window->resultView()})
            QVERIFY2(view->isFitted(), qPrintable(view->objectName()));
        // An edit of the same scenario keeps the zoom the user chose.
        window->logicalView()->setZoom(window->logicalView()->zoom() * 2);
        const double chosen = window->logicalView()->zoom();
        window->requestBar()->orderButton('F')->click();
        QVERIFY(settle(*window));
        QCOMPARE(window->logicalView()->zoom(), chosen);
        QVERIFY(window->newScenario());
        QVERIFY(settle(*window));
        QVERIFY(window->logicalView()->isFitted());
    }

    void droppingAScenarioFileOpensIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dropped.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ScenarioFile::toJson(PresetLibrary::find(QStringLiteral("reversed"))->scenario));
        file.close();
        auto window = makeWindow();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &drop);
        QTRY_COMPARE(window->document()->filePath(), path);
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy);
    }
};

int main(int argc, char** argv)
{
    return testwindow::runIsolated<TestWindow>("tst_window", argc, argv, testwindow::Dpi::Fixed96);
}

#include "tst_window.moc"
