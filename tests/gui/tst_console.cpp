// The Console dock: Python typed by the user in the scenario's namespace, in a worker of its own
// (the real stridescope-worker): output, the value of an expression, tracebacks, show(obj) drawn in
// the window, completion, history, Stop, and a crash or a hang in C that ends only the console.
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/outcomesummary.h"
#include "gui/panels/consoleinput.h"
#include "gui/panels/messagebar.h"
#include "gui/panels/pythonconsolepanel.h"
#include "gui/supervisor/consolesession.h"
#include "gui/window/mainwindow.h"

#include "pyhost/consolelimits.h"

#include "isolatedwindowtest.h"
#include "windowsettle.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace stridescope;

namespace {

constexpr int kTimeoutMs = 60000;

Scenario codeScenario(const std::string& code)
{
    Scenario scenario;
    scenario.kind = Scenario::SourceKind::Python;
    scenario.code = code;
    return scenario;
}

const std::string kArrays = "a = np.arange(24, dtype=np.int32).reshape(4, 6)\nb = a[:, ::2]\nb";

// One console: start() and run() wait for the answer and keep what came meanwhile.
class Console
{
public:
    Console()
    {
        QObject::connect(&session, &ConsoleSession::output, [this](const QString& text) { output += text; });
        QObject::connect(&session, &ConsoleSession::shown,
                         [this](std::shared_ptr<const InspectionReport> report) { shown.push_back(report); });
        QObject::connect(&session, &ConsoleSession::finished, [this](bool ok, const QString& message) {
            answered = true;
            lastOk = ok;
            lastMessage = message;
        });
        QObject::connect(&session, &ConsoleSession::ended, [this](const QString& reason) {
            answered = true;
            endReason = reason;
        });
    }

    bool start(const Scenario& scenario, bool runScenario = true)
    {
        answered = false;
        session.start(scenario, Inspector::Options(), runScenario);
        return waitForAnswer();
    }
    // Runs `command`; true when it answered (finished or ended) in time.
    bool run(const QString& command)
    {
        output.clear();
        shown.clear();
        answered = false;
        session.run(command);
        return waitForAnswer();
    }
    bool waitForAnswer()
    {
        return QTest::qWaitFor([this] { return answered; }, kTimeoutMs);
    }

    ConsoleSession session;
    QString output;
    std::vector<std::shared_ptr<const InspectionReport>> shown;
    bool answered = false;
    bool lastOk = false;
    QString lastMessage;
    QString endReason;
};

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

private slots:
    void namespaceComesFromTheScenario()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        QVERIFY2(console.lastOk, qPrintable(console.lastMessage));
        // The start names what the namespace holds: the code's names, its object as obj, show.
        for (const char* name : {"a", "b", "np", "obj", "show"})
            QVERIFY2(console.lastMessage.contains(QLatin1String(name)), qPrintable(console.lastMessage));
        QVERIFY(console.run(QStringLiteral("print(a.shape, b.strides, obj is b)")));
        QVERIFY(console.lastOk);
        QCOMPARE(console.output, QStringLiteral("(4, 6) (24, 8) True\n"));
        // A final expression's value is printed and kept in _, as in Python's console; statements
        // before it print nothing.
        QVERIFY(console.run(QStringLiteral("x = 5\nint(a.sum())")));
        QCOMPARE(console.output, QStringLiteral("276\n"));
        QVERIFY(console.run(QStringLiteral("_ + x")));
        QCOMPARE(console.output, QStringLiteral("281\n"));
    }

    void errorsPrintTheirTracebackAndKeepTheNamespace()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        QVERIFY(console.run(QStringLiteral("y = 2\n1 / 0")));
        QVERIFY(!console.lastOk);
        QCOMPARE(console.lastMessage, QStringLiteral("ZeroDivisionError: division by zero"));
        QVERIFY2(console.output.contains(QStringLiteral("Traceback")), qPrintable(console.output));
        QVERIFY2(console.output.contains(QStringLiteral("line 2")), qPrintable(console.output));
        QVERIFY2(console.output.contains(QStringLiteral("1 / 0")),
                 qPrintable(console.output)); // the source line
        QVERIFY(console.run(QStringLiteral("def f(:\n pass")));
        QVERIFY(console.lastMessage.startsWith(QStringLiteral("SyntaxError")));
        // SystemExit does not end the console's interpreter.
        QVERIFY(console.run(QStringLiteral("raise SystemExit(3)")));
        QVERIFY(!console.lastOk);
        QVERIFY(console.session.isStarted());
        QVERIFY(console.run(QStringLiteral("y, a.shape")));
        QCOMPARE(console.output, QStringLiteral("(2, (4, 6))\n"));
    }

    void showSendsTheObjectWithItsRequest()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        QVERIFY(console.run(QStringLiteral("show(a[::2, ::-1])")));
        QVERIFY2(console.lastOk, qPrintable(console.lastMessage + console.output));
        QCOMPARE(console.shown.size(), std::size_t(1));
        const InspectionReport& reversed = *console.shown.front();
        QCOMPARE(reversed.sourceLayout.shape(), (std::vector<Extent>{2, 6}));
        QCOMPARE(reversed.sourceLayout.strides(), (std::vector<ByteOffset>{48, -4}));
        QCOMPARE(reversed.result.outcome, ConversionPrediction::Outcome::Copy);
        QVERIFY(reversed.memory); // found as the probe finds numpy's block
        QCOMPARE(reversed.memory->size, ByteCount(96));
        // order= is the request: a.T is Fortran-contiguous, so 'F' aliases it.
        QVERIFY(console.run(QStringLiteral("show(a.T, order='F')")));
        QCOMPARE(console.shown.size(), std::size_t(1));
        QCOMPARE(console.shown.front()->scenario.request.order, 'F');
        QCOMPARE(console.shown.front()->result.outcome, ConversionPrediction::Outcome::Alias);
        QVERIFY(console.run(QStringLiteral("show(a, order='Q')")));
        QVERIFY(!console.lastOk);
        QVERIFY2(console.lastMessage.contains(QStringLiteral("order must be")),
                 qPrintable(console.lastMessage));
        // Only objects with a buffer are drawn.
        QVERIFY(console.run(QStringLiteral("show(3)")));
        QVERIFY(!console.lastOk);
        QVERIFY2(
            console.lastMessage.startsWith(QStringLiteral("TypeError: show() draws objects that support")),
            qPrintable(console.lastMessage));
        QVERIFY(console.shown.empty());
        // show() in a loop is bounded: the window gets at most so many reports per command.
        QVERIFY(console.run(QStringLiteral("for i in range(1000): show(b)")));
        QVERIFY(!console.lastOk);
        QVERIFY2(console.lastMessage.contains(QStringLiteral("more than 100 times")),
                 qPrintable(console.lastMessage));
        QCOMPARE(console.shown.size(), std::size_t(ConsoleLimits::maximumShowsPerCommand));
    }

    void dataOnlyScenarioGivesItsObject()
    {
        Console console;
        Scenario strided; // the default: Stridescope's own exporter
        strided.strided.format = "B";
        strided.strided.shape = {3, 4};
        strided.strided.strides = std::vector<ByteOffset>{1, 3};
        QVERIFY(console.start(strided));
        QVERIFY2(console.lastOk, qPrintable(console.lastMessage));
        QVERIFY(console.run(QStringLiteral("show(obj)")));
        QVERIFY2(console.lastOk, qPrintable(console.lastMessage + console.output));
        QCOMPARE(console.shown.size(), std::size_t(1));
        const InspectionReport& report = *console.shown.front();
        QCOMPARE(report.sourceLayout.strides(), (std::vector<ByteOffset>{1, 3}));
        QVERIFY(report.memory);
        QCOMPARE(report.memory->size, ByteCount(12)); // the source's own block
        QCOMPARE(report.result.outcome, ConversionPrediction::Outcome::Copy);
        QVERIFY(report.result.layout);
    }

    void codeNotAllowedDoesNotRun()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("ran"));
        Console console;
        QVERIFY(console.start(
            codeScenario("open(" + QString(QLatin1Char('"') + marker + QLatin1Char('"')).toStdString() +
                         ", 'w').close()\nbuf = bytearray(4)"),
            false));
        QVERIFY(console.lastOk);
        QVERIFY(!QFile::exists(marker));
        QVERIFY(console.run(QStringLiteral("obj")));
        QCOMPARE(console.lastMessage, QStringLiteral("NameError: name 'obj' is not defined"));
    }

    void completionComesFromTheNamespace()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        QStringList found;
        bool done = false;
        connect(&console.session, &ConsoleSession::completed, this,
                [&](const QString& text, const QStringList& list) {
                    QCOMPARE(text, QStringLiteral("a.res"));
                    found = list;
                    done = true;
                });
        console.session.complete(QStringLiteral("a.res"));
        QVERIFY(QTest::qWaitFor([&] { return done; }, kTimeoutMs));
        QVERIFY2(found.contains(QStringLiteral("a.reshape(")) && found.contains(QStringLiteral("a.resize(")),
                 qPrintable(found.join(QLatin1Char(' '))));
        for (const QString& name : found)
            QVERIFY(name.startsWith(QStringLiteral("a.res")));
    }

    void stopInterruptsAndKeepsTheNamespace()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        console.answered = false;
        console.session.run(QStringLiteral("n = 0\nwhile True:\n    n += 1"));
        QTest::qWait(300);
        QVERIFY(!console.answered);
        console.session.stop();
        QVERIFY(console.waitForAnswer());
        QVERIFY(console.endReason.isEmpty());
        QCOMPARE(console.lastMessage, QStringLiteral("interrupted (KeyboardInterrupt)"));
        QVERIFY(console.run(QStringLiteral("n > 0, a.shape")));
        QCOMPARE(console.output, QStringLiteral("(True, (4, 6))\n"));
    }

    void hangInCEndsOnlyTheConsole()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        console.answered = false;
        console.session.run(QStringLiteral("import ctypes\nctypes.CDLL(None).sleep(100)"));
        QTest::qWait(300);
        console.session.stop();
        QVERIFY(console.waitForAnswer());
        QVERIFY2(console.endReason.contains(QStringLiteral("did not stop within 1 s")),
                 qPrintable(console.endReason));
        QVERIFY(!console.session.isStarted());
        // A new interpreter starts from the scenario again.
        QVERIFY(console.start(codeScenario(kArrays)));
        QVERIFY(console.run(QStringLiteral("a.shape")));
        QCOMPARE(console.output, QStringLiteral("(4, 6)\n"));
    }

    void crashEndsOnlyTheConsole()
    {
        Console console;
        QVERIFY(console.start(codeScenario(kArrays)));
        QVERIFY(
            console.run(QStringLiteral("print('before', flush=True)\nimport ctypes\nctypes.string_at(0)")));
        QVERIFY2(console.endReason.contains(QStringLiteral("SIGSEGV")), qPrintable(console.endReason));
        QVERIFY2(console.output.startsWith(QStringLiteral("before\n")), qPrintable(console.output));
        QVERIFY(!console.session.isStarted());
    }

    void inputRunsCompleteStatements_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("complete");
        QTest::newRow("expression") << "a.shape" << true;
        QTest::newRow("block opens") << "for i in range(3):" << false;
        QTest::newRow("block goes on") << "for i in range(3):\n    print(i)" << false;
        QTest::newRow("block ends") << "for i in range(3):\n    print(i)\n" << true;
        QTest::newRow("open bracket") << "x = [1,\n 2" << false;
        QTest::newRow("bracket in a string") << "x = '('" << true;
        QTest::newRow("bracket in a comment") << "x = 1  # (" << true;
        QTest::newRow("open triple quote") << "s = '''a\nb" << false;
        QTest::newRow("closed triple quote") << "s = '''a\nb'''" << true;
        QTest::newRow("backslash") << "x = 1 + \\" << false;
        QTest::newRow("two statements") << "x = 1\ny = 2" << true;
    }
    void inputRunsCompleteStatements()
    {
        QFETCH(QString, text);
        QFETCH(bool, complete);
        QCOMPARE(ConsoleInput::isComplete(text), complete);
    }

    void inputKeysSubmitAndWalkTheHistory()
    {
        ConsoleInput input;
        QStringList submitted;
        connect(&input, &ConsoleInput::submitted, this,
                [&](const QString& command) { submitted << command; });
        input.show();
        QTest::keyClicks(&input, QStringLiteral("for i in x:"));
        QTest::keyClick(&input, Qt::Key_Return);
        QVERIFY(submitted.isEmpty());
        QCOMPARE(input.toPlainText(), QStringLiteral("for i in x:\n    ")); // indented for the block
        QTest::keyClicks(&input, QStringLiteral("pass"));
        QTest::keyClick(&input, Qt::Key_Return);
        QTest::keyClick(&input, Qt::Key_Return);
        QCOMPARE(submitted, QStringList{QStringLiteral("for i in x:\n    pass\n    ")});
        QTest::keyClicks(&input, QStringLiteral("a.shape"));
        QTest::keyClick(&input, Qt::Key_Return);
        QCOMPARE(submitted.size(), 2);
        QVERIFY(input.toPlainText().isEmpty());
        QTest::keyClicks(&input, QStringLiteral("draft"));
        QTest::keyClick(&input, Qt::Key_Up);
        QCOMPARE(input.toPlainText(), QStringLiteral("a.shape"));
        QTest::keyClick(&input, Qt::Key_Up);
        QVERIFY(input.toPlainText().startsWith(QStringLiteral("for i in x:")));
        QTest::keyClick(&input, Qt::Key_Down); // the cursor is on the entry's last line
        QCOMPARE(input.toPlainText(), QStringLiteral("a.shape"));
        QTest::keyClick(&input, Qt::Key_Down);
        QCOMPARE(input.toPlainText(), QStringLiteral("draft"));
        // While a command runs, Return does not submit another.
        input.setAcceptingCommands(false);
        QTest::keyClick(&input, Qt::Key_Return);
        QCOMPARE(submitted.size(), 2);
        QCOMPARE(input.toPlainText(), QStringLiteral("draft"));
    }

    void showDrawsInTheWindowUntilTheScenarioIsInspected()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.loadPreset(QStringLiteral("slice_aliases"))); // a = np.arange(12, int16), b = a[::2]
        QVERIFY(settleWindow(window, kTimeoutMs));
        const auto scenarioReport = window.inspectionState()->report();
        QVERIFY(scenarioReport);
        PythonConsolePanel* console = window.consolePanel();
        QSignalSpy finished(console, &PythonConsolePanel::commandFinished);
        console->runCommand(QStringLiteral("show(a[::-3])"));
        QVERIFY(QTest::qWaitFor([&] { return finished.count() >= 2; }, kTimeoutMs)); // the start, the command
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(console->transcript()));
        const auto shown = window.inspectionState()->report();
        QVERIFY(shown != scenarioReport);
        QCOMPARE(shown->sourceLayout.strides(), (std::vector<ByteOffset>{-6}));
        // Where it ran is told as it is: the console's interpreter, not a fresh or a data-only one.
        QVERIFY2(OutcomeSummary::interpreter(*shown).startsWith(QStringLiteral("the Console's interpreter")),
                 qPrintable(OutcomeSummary::interpreter(*shown)));
        QVERIFY(window.consoleBar()->isVisible());
        QVERIFY2(window.consoleBar()->text().contains(QStringLiteral("a[::-3]")),
                 qPrintable(window.consoleBar()->text()));
        QVERIFY(console->transcript().contains(QStringLiteral(">>> show(a[::-3])")));
        // The bar's button draws the scenario again.
        window.consoleBar()->findChild<QPushButton*>(QStringLiteral("drawScenarioButton"))->click();
        QVERIFY(QTest::qWaitFor([&] { return !window.consoleBar()->isVisible(); }, kTimeoutMs));
        QVERIFY(settleWindow(window, kTimeoutMs));
        QCOMPARE(window.inspectionState()->report()->sourceLayout.strides(), (std::vector<ByteOffset>{2}));
        // An edit says the console's names are from the scenario as it was.
        Scenario edited = window.document()->scenario();
        edited.code += "\nc = 1";
        window.document()->edit(edited, QStringLiteral("code"));
        QVERIFY(console->findChild<QLabel*>(QStringLiteral("consoleStatus"))
                    ->text()
                    .contains(QStringLiteral("Restart")));
    }

    void crashInTheConsoleLeavesTheWindow()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.loadPreset(QStringLiteral("slice_aliases")));
        QVERIFY(settleWindow(window, kTimeoutMs));
        const auto before = window.inspectionState()->report();
        PythonConsolePanel* console = window.consolePanel();
        QSignalSpy finished(console, &PythonConsolePanel::commandFinished);
        console->runCommand(QStringLiteral("import ctypes; ctypes.string_at(0)"));
        QVERIFY(QTest::qWaitFor([&] { return finished.count() >= 2; }, kTimeoutMs));
        QVERIFY2(console->transcript().contains(QStringLiteral("SIGSEGV")),
                 qPrintable(console->transcript()));
        QCOMPARE(window.inspectionState()->report(), before);
        // The window still inspects, and the console starts again with the next command.
        window.run();
        QVERIFY(settleWindow(window, kTimeoutMs));
        console->runCommand(QStringLiteral("b.strides"));
        QVERIFY(QTest::qWaitFor([&] { return finished.count() >= 4; }, kTimeoutMs));
        QVERIFY2(console->transcript().endsWith(QStringLiteral("(4,)\n")), qPrintable(console->transcript()));
    }
};

int main(int argc, char** argv)
{
    return testwindow::runIsolated<TestConsole>("tst_console", argc, argv);
}

#include "tst_console.moc"
