// PythonHost, PythonCodeSource, output capture and Python error capture, as the GUI and the CLI
// rely on them. One interpreter serves the whole executable: PythonHost::instance(), created in
// initTestCase after the environment has been spoiled on purpose.

#include "pyhost/outputcapture.h"
#include "pyhost/pythoncodesource.h"
#include "pyhost/pythonerrorcapture.h"
#include "pyhost/pythonhost.h"

#include <pybind11/eval.h>

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace py = pybind11;
using namespace stridescope;
using namespace std::chrono_literals;

namespace {

PythonHost& host()
{
    return PythonHost::instance();
}

// What a PythonCodeSource produced, as plain data (Python objects never leave the Python thread).
struct SourceOutcome
{
    bool built = false;
    std::string typeName;
    std::string repr;
    std::string output;
    bool outputTruncated = false;
    bool memoryKnown = false;
    std::optional<SourceError> error;
};

SourceOutcome runSource(const std::string& code, SourceLimits limits = {},
                        std::vector<std::string> importPath = {})
{
    return host().call([code, limits, importPath] {
        SourceOutcome outcome;
        try {
            PythonCodeSource source(code, importPath, limits);
            BuiltSource built = source.build();
            outcome.built = true;
            outcome.typeName = py::str(built.object.get_type().attr("__name__")).cast<std::string>();
            outcome.repr = py::repr(built.object).cast<std::string>();
            outcome.output = built.output;
            outcome.outputTruncated = built.outputTruncated;
            outcome.memoryKnown = built.memory.has_value();
        } catch (const SourceError& error) {
            outcome.error = error;
        }
        return outcome;
    });
}

// The type of the exception `code` raises on the Python thread, "" if none.
std::string raisedType(const char* code)
{
    return host().call([code] {
        try {
            py::exec(code);
        } catch (py::error_already_set& error) {
            error.restore();
            return takePythonError().type;
        }
        return std::string();
    });
}

bool streamsAreOriginal()
{
    return host().call([] {
        return py::eval("__import__('sys').stdout is __import__('sys').__stdout__ and "
                        "__import__('sys').stderr is __import__('sys').__stderr__ and "
                        "__import__('sys').stdin is __import__('sys').__stdin__")
            .cast<bool>();
    });
}

const char* kChildVariable = "STRIDESCOPE_PYTHONHOST_CHILD";

bool inChild()
{
    return qEnvironmentVariableIsSet(kChildVariable);
}

// Runs one child* test function of this executable in a new process, so that test can end the
// process while a job runs. Returns {exit code, elapsed ms, stdout}.
struct ChildResult
{
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    qint64 elapsedMs = 0;
    QByteArray output;
};

ChildResult runChild(const QString& testFunction)
{
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(kChildVariable, "1");
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(), {testFunction});
    ChildResult result;
    if (!child.waitForFinished(30000)) {
        child.kill();
        child.waitForFinished();
    }
    result.elapsedMs = timer.elapsed();
    result.exitCode = child.exitCode();
    result.status = child.exitStatus();
    result.output = child.readAll();
    return result;
}

} // namespace

class TestPythonHost : public QObject
{
    Q_OBJECT

    QTemporaryDir m_fakePython;

private slots:
    void initTestCase();

    // The interpreter
    void startsIsolatedFromEnvironment();
    void importsNumpy();
    void secondHostRefusesToStart();

    // Jobs
    void jobsRunOnOneThreadThatIsNotTheCaller();
    void resultsAndExceptionsComeBackThroughFutures();
    void pythonErrorEscapingAJobBecomesRuntimeError();
    void taggedJobSupersedesQueuedJobWithSameTag();
    void isBusyWhileAJobRuns();
    void submittingFromManyThreadsAtOnce();

    // Interrupts
    void interruptStopsPurePythonLoop();
    void interruptAfterPythonFinishedDoesNotLeakIntoNextJob();
    void interruptAimedAtJobHoldingTheGilDoesNotHitTheNext();
    void interruptWithNothingRunningIsHarmless();

    // Python errors
    void takePythonErrorSurvivesFailingStr();
    void takePythonErrorWithoutExceptionSet();

    // PythonCodeSource
    void lastExpressionIsTheObject();
    void bufVariableIsTheObject();
    void lastExpressionWinsOverBuf();
    void neitherExpressionNorBuf();
    void importFoldersComeFirstInTheirOrder();
    void missingImportFolderIsNamed();
    void namespaceIsFreshMainWithNumpy();
    void missingNumpyIsReportedClearly();
    void raisedExceptionIsReportedWithLine();
    void errorInLastExpressionHasItsLine();
    void syntaxErrorIsReportedWithLine();
    void exceptionTypesOutsideBuiltinsAreQualified();
    void sysExitIsAnErrorNotAnExit();
    void inputDoesNotBlock();
    void interruptEndsRunawaySource();

    // Output capture
    void printOutputIsCaptured();
    void outputIsKeptWhenTheCodeFails();
    void hugePrintIsTruncatedQuickly();
    void manySmallWritesAreFast();
    void truncationKeepsWholeCharacters();

    // Process exit (each runs a child process that ends while a job runs)
    void exitWhileLoopingInterruptsAndFinalises();
    void exitWhileStuckInCDoesNotHang();
    void childExitWhileLooping();
    void childExitWhileStuckInC();
};

void TestPythonHost::initTestCase()
{
    // An isolated interpreter must ignore these; a non-isolated one would not even start.
    qputenv("PYTHONHOME", "/nonexistent/garbage-home");
    qputenv("PYTHONPATH", "/nonexistent/garbage-path");
    qputenv("PYTHONSTARTUP", "/nonexistent/garbage-startup.py");
    // A broken Python first on PATH (as pyenv's is on developer machines): an interpreter that is
    // not told its home would find this one and load its (empty) standard library.
    QVERIFY(m_fakePython.isValid());
    const QDir fake(m_fakePython.path());
    QVERIFY(fake.mkpath("bin"));
    QFile program(fake.filePath("bin/python3"));
    QVERIFY(program.open(QIODevice::WriteOnly));
    program.write("#!/bin/sh\nexit 1\n");
    program.close();
    QVERIFY(program.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    for (int minor = 8; minor <= 15; ++minor) {
        const QString lib = QStringLiteral("lib/python3.%1").arg(minor);
        QVERIFY(fake.mkpath(lib + "/lib-dynload"));
        QFile landmark(fake.filePath(lib + "/os.py"));
        QVERIFY(landmark.open(QIODevice::WriteOnly));
    }
    qputenv("PATH", fake.filePath("bin").toLocal8Bit() + ':' + qgetenv("PATH"));

    QCOMPARE(QString::fromStdString(host().startupError()), QString());
    QVERIFY(host().pythonVersion().rfind("3.", 0) == 0);
}

void TestPythonHost::startsIsolatedFromEnvironment()
{
    // The site directories come only when asked for (user code needs them; start-up does not).
    const auto [prefix, startPath, sitePath, isolated] = host().call([] {
        py::module_ sys = py::module_::import("sys");
        const std::string before = py::str(sys.attr("path")).cast<std::string>();
        if (!PythonHost::enableSitePackages())
            throw py::error_already_set();
        return std::tuple{sys.attr("prefix").cast<std::string>(), before,
                          py::str(sys.attr("path")).cast<std::string>(),
                          sys.attr("flags").attr("isolated").cast<int>()};
    });
    QCOMPARE(QString::fromStdString(prefix), QStringLiteral("/usr"));
    QVERIFY2(startPath.find("dist-packages") == std::string::npos, startPath.c_str());
    QVERIFY2(sitePath.find("garbage") == std::string::npos, sitePath.c_str());
    QVERIFY2(sitePath.find("dist-packages") != std::string::npos, sitePath.c_str());
    QCOMPARE(isolated, 1);
}

void TestPythonHost::importsNumpy()
{
    const auto [version, file] = host().call([] {
        PythonHost::enableSitePackages();
        py::module_ numpy = py::module_::import("numpy");
        return std::pair{numpy.attr("__version__").cast<std::string>(),
                         numpy.attr("__file__").cast<std::string>()};
    });
    QVERIFY(!version.empty());
    QVERIFY2(file.rfind("/usr/lib/", 0) == 0, file.c_str());
}

void TestPythonHost::secondHostRefusesToStart()
{
    {
        PythonHost second;
        QVERIFY(!second.startupError().empty());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, second.call([] { return 1; }));
        second.interrupt();
        QVERIFY(!second.isBusy());
    }
    // Destroying the refused host must leave the real interpreter alone.
    QCOMPARE(host().call([] { return py::eval("6 * 7").cast<int>(); }), 42);
}

void TestPythonHost::jobsRunOnOneThreadThatIsNotTheCaller()
{
    const auto first = host().call([] { return std::this_thread::get_id(); });
    const auto second = host().call([] { return std::this_thread::get_id(); });
    std::thread::id fromOtherThread;
    std::thread([&] { fromOtherThread = host().call([] { return std::this_thread::get_id(); }); }).join();
    QVERIFY(first != std::this_thread::get_id());
    QVERIFY(first == second);
    QVERIFY(first == fromOtherThread);
    QVERIFY(host().call([] { return PyGILState_Check() == 1; }));
}

void TestPythonHost::resultsAndExceptionsComeBackThroughFutures()
{
    QCOMPARE(host().call([] { return std::string("result"); }), std::string("result"));
    std::future<void> done = host().submit([] {});
    done.get();
    std::future<int> failing = host().submit([]() -> int { throw std::invalid_argument("bad argument"); });
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, failing.get());
    // A move-only job and a move-only result.
    auto owned = std::make_unique<int>(5);
    std::unique_ptr<int> back =
        host().call([owned = std::move(owned)]() mutable { return std::move(owned); });
    QVERIFY(back && *back == 5);
}

void TestPythonHost::pythonErrorEscapingAJobBecomesRuntimeError()
{
    std::future<int> future = host().submit([] { return py::eval("1 // 0").cast<int>(); });
    try {
        future.get();
        QFAIL("no exception");
    } catch (const py::error_already_set&) {
        QFAIL("a Python-owning exception crossed threads");
    } catch (const std::runtime_error& error) {
        QCOMPARE(QString(error.what()),
                 QStringLiteral("Python raised ZeroDivisionError: integer division or modulo by zero"));
    }
}

void TestPythonHost::taggedJobSupersedesQueuedJobWithSameTag()
{
    std::promise<void> gate;
    std::shared_future<void> opened = gate.get_future().share();
    std::atomic<bool> blocking{false};
    auto blocker = host().submit([opened, &blocking] {
        blocking = true;
        py::gil_scoped_release release;
        opened.wait();
    });
    while (!blocking)
        std::this_thread::sleep_for(1ms);

    std::atomic<int> runs{0};
    auto older = host().submit(
        [&runs] {
            ++runs;
            return 1;
        },
        "edit");
    auto other = host().submit(
        [&runs] {
            ++runs;
            return 2;
        },
        "other");
    auto newer = host().submit(
        [&runs] {
            ++runs;
            return 3;
        },
        "edit");
    auto untagged = host().submit([&runs] {
        ++runs;
        return 4;
    });
    // The replaced job fails at once, before the thread is free.
    QVERIFY(older.wait_for(0s) == std::future_status::ready);
    gate.set_value();
    blocker.get();

    QVERIFY_THROWS_EXCEPTION(SupersededError, older.get());
    QCOMPARE(other.get(), 2);
    QCOMPARE(newer.get(), 3);
    QCOMPARE(untagged.get(), 4);
    QCOMPARE(runs.load(), 3);
}

void TestPythonHost::isBusyWhileAJobRuns()
{
    std::promise<void> gate;
    std::shared_future<void> opened = gate.get_future().share();
    std::atomic<bool> running{false};
    auto job = host().submit([opened, &running] {
        running = true;
        py::gil_scoped_release release;
        opened.wait();
    });
    while (!running)
        std::this_thread::sleep_for(1ms);
    QVERIFY(host().isBusy());
    gate.set_value();
    job.get();
    QVERIFY(!host().isBusy()); // idle before the future becomes ready
}

void TestPythonHost::submittingFromManyThreadsAtOnce()
{
    const auto pythonThread = host().call([] { return std::this_thread::get_id(); });
    constexpr int kThreads = 8;
    constexpr int kJobs = 50;
    std::atomic<int> wrong{0};
    std::atomic<int> inJob{0};
    std::atomic<int> overlapping{0};
    std::vector<std::thread> submitters;
    for (int t = 0; t < kThreads; ++t) {
        submitters.emplace_back([&, t] {
            std::vector<std::future<long>> futures;
            for (int j = 0; j < kJobs; ++j) {
                futures.push_back(host().submit([&, n = t * 1000 + j] {
                    if (inJob.fetch_add(1) != 0)
                        ++overlapping;
                    if (std::this_thread::get_id() != pythonThread)
                        ++wrong;
                    const long value = py::eval("lambda n: sum(range(n + 1))")(n).cast<long>();
                    inJob.fetch_sub(1);
                    return value;
                }));
            }
            for (int j = 0; j < kJobs; ++j) {
                const long n = t * 1000 + j;
                if (futures[j].get() != n * (n + 1) / 2)
                    ++wrong;
            }
        });
    }
    for (std::thread& submitter : submitters)
        submitter.join();
    QCOMPARE(wrong.load(), 0);
    QCOMPARE(overlapping.load(), 0);
}

void TestPythonHost::interruptStopsPurePythonLoop()
{
    std::atomic<bool> started{false};
    auto looping = host().submit([&started] {
        started = true;
        try {
            py::exec("while True:\n    pass\n");
        } catch (py::error_already_set& error) {
            error.restore();
            return takePythonError().type;
        }
        return std::string("loop ended by itself");
    });
    while (!started)
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(100ms); // well inside the loop

    QElapsedTimer timer;
    timer.start();
    host().interrupt();
    const qint64 callMs = timer.elapsed();
    QVERIFY(looping.wait_for(1500ms) == std::future_status::ready);
    const qint64 stopMs = timer.elapsed();
    QCOMPARE(QString::fromStdString(looping.get()), QStringLiteral("KeyboardInterrupt"));
    QVERIFY2(stopMs < 1500, QByteArray::number(stopMs));
    QVERIFY2(callMs < 250, QByteArray::number(callMs));

    // The next job runs Python normally.
    QCOMPARE(QString::fromStdString(raisedType("total = 0\nfor i in range(300000):\n    total += i\n")),
             QString());
}

void TestPythonHost::interruptAfterPythonFinishedDoesNotLeakIntoNextJob()
{
    std::atomic<bool> inC{false};
    auto job = host().submit([&inC] {
        py::exec("x = 1");
        inC = true;
        py::gil_scoped_release release; // C work: the interrupter gets the GIL and leaves a pending exception
        std::this_thread::sleep_for(300ms);
        return 1;
    });
    while (!inC)
        std::this_thread::sleep_for(1ms);
    host().interrupt();
    QCOMPARE(job.get(), 1);
    QCOMPARE(QString::fromStdString(raisedType("total = 0\nfor i in range(300000):\n    total += i\n")),
             QString());
}

void TestPythonHost::interruptAimedAtJobHoldingTheGilDoesNotHitTheNext()
{
    std::atomic<bool> inC{false};
    auto job = host().submit([&inC] {
        inC = true;
        std::this_thread::sleep_for(600ms); // C work holding the GIL: the interrupter waits for it
        return 1;
    });
    while (!inC)
        std::this_thread::sleep_for(1ms);
    QElapsedTimer timer;
    timer.start();
    host().interrupt(); // the GUI thread calls this: it must not wait for the GIL
    QVERIFY2(timer.elapsed() < 250, QByteArray::number(timer.elapsed()));
    QCOMPARE(job.get(), 1);
    std::this_thread::sleep_for(50ms); // the interrupter has the GIL by now
    QCOMPARE(QString::fromStdString(raisedType("total = 0\nfor i in range(300000):\n    total += i\n")),
             QString());
}

void TestPythonHost::interruptWithNothingRunningIsHarmless()
{
    QVERIFY(!host().isBusy());
    QElapsedTimer timer;
    timer.start();
    host().interrupt();
    host().interrupt();
    QVERIFY(timer.elapsed() < 250);
    std::this_thread::sleep_for(100ms);
    QCOMPARE(QString::fromStdString(raisedType("total = 0\nfor i in range(300000):\n    total += i\n")),
             QString());
}

void TestPythonHost::takePythonErrorSurvivesFailingStr()
{
    const auto [error, stillSet] = host().call([] {
        py::dict scope;
        scope["__name__"] = "__main__";
        py::exec("class Weird(Exception):\n    def __str__(self):\n        raise RuntimeError('no str')\n",
                 scope);
        PythonError error;
        try {
            py::exec("raise Weird()", scope);
        } catch (py::error_already_set& raised) {
            raised.restore();
            error = takePythonError();
        }
        return std::pair{error, PyErr_Occurred() != nullptr};
    });
    QCOMPARE(QString::fromStdString(error.type), QStringLiteral("Weird"));
    QCOMPARE(QString::fromStdString(error.message), QStringLiteral("<exception str() failed>"));
    QVERIFY(!error.traceback.empty());
    QVERIFY(!stillSet);
}

void TestPythonHost::takePythonErrorWithoutExceptionSet()
{
    const PythonError error = host().call([] { return takePythonError(); });
    QCOMPARE(QString::fromStdString(error.type), QStringLiteral("SystemError"));
    QCOMPARE(error.line, -1);
}

void TestPythonHost::lastExpressionIsTheObject()
{
    const SourceOutcome outcome = runSource("a = np.arange(6, dtype=np.int16)\na.reshape(2, 3)\n");
    QVERIFY(outcome.built);
    QCOMPARE(QString::fromStdString(outcome.typeName), QStringLiteral("ndarray"));
    QVERIFY2(outcome.repr.find("[3, 4, 5]") != std::string::npos, outcome.repr.c_str());
    QVERIFY(!outcome.memoryKnown);
}

void TestPythonHost::bufVariableIsTheObject()
{
    const SourceOutcome outcome = runSource("buf = bytearray(b'abc')\nx = 1\n");
    QVERIFY(outcome.built);
    QCOMPARE(QString::fromStdString(outcome.repr), QStringLiteral("bytearray(b'abc')"));
}

void TestPythonHost::lastExpressionWinsOverBuf()
{
    const SourceOutcome outcome = runSource("buf = b'from buf'\nb'from expression'");
    QVERIFY(outcome.built);
    QCOMPARE(QString::fromStdString(outcome.repr), QStringLiteral("b'from expression'"));
}

void TestPythonHost::neitherExpressionNorBuf()
{
    for (const char* code : {"x = 1\n", ""}) {
        const SourceOutcome outcome = runSource(code);
        QVERIFY(!outcome.built);
        QVERIFY(outcome.error);
        QCOMPARE(QString(outcome.error->what()),
                 QStringLiteral("the code must end with an expression or assign the variable 'buf'"));
        QVERIFY(!outcome.error->python);
    }
}

// An extension author's build folder: the code imports the module under development from it, and a
// folder given first wins over a later one (as in PYTHONPATH).
void TestPythonHost::importFoldersComeFirstInTheirOrder()
{
    QTemporaryDir first, second;
    QVERIFY(first.isValid() && second.isValid());
    const auto writeModule = [](const QTemporaryDir& dir, const char* text) {
        QFile file(dir.filePath(QStringLiteral("ss_import_probe.py")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    writeModule(first, "DATA = bytearray(b'first')\n");
    writeModule(second, "DATA = bytearray(b'second')\n");
    const SourceOutcome outcome = runSource("import ss_import_probe\nss_import_probe.DATA", {},
                                            {first.path().toStdString(), second.path().toStdString()});
    QVERIFY2(outcome.built, outcome.error ? outcome.error->what() : "");
    QCOMPARE(QString::fromStdString(outcome.repr), QStringLiteral("bytearray(b'first')"));
    const SourceOutcome without = runSource("import ss_import_probe_absent\n");
    QVERIFY(without.error);
}

void TestPythonHost::missingImportFolderIsNamed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string missing = dir.filePath(QStringLiteral("nowhere")).toStdString();
    SourceOutcome outcome = runSource("b'x'", {}, {missing});
    QVERIFY(outcome.error);
    QCOMPARE(std::string(outcome.error->what()), "the import folder '" + missing + "' does not exist");
    QFile file(dir.filePath(QStringLiteral("plain")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    outcome = runSource("b'x'", {}, {file.fileName().toStdString()});
    QVERIFY(outcome.error);
    QCOMPARE(std::string(outcome.error->what()),
             "the import folder '" + file.fileName().toStdString() + "' is not a folder");
    outcome = runSource("b'x'", {}, {"relative/folder"});
    QVERIFY(outcome.error);
    QCOMPARE(std::string(outcome.error->what()),
             std::string("the import folder 'relative/folder' is not an absolute path"));
}

void TestPythonHost::namespaceIsFreshMainWithNumpy()
{
    QVERIFY(runSource("leaked = 1\nnp.zeros(3)").built);
    const SourceOutcome next = runSource("leaked");
    QVERIFY(next.error && next.error->python);
    QCOMPARE(QString::fromStdString(next.error->python->type), QStringLiteral("NameError"));
    QCOMPARE(QString::fromStdString(runSource("__name__").repr), QStringLiteral("'__main__'"));
}

void TestPythonHost::missingNumpyIsReportedClearly()
{
    // None in sys.modules makes `import numpy` fail as if numpy were not installed.
    host().call([] {
        py::exec("import sys, numpy\nsys.modules['saved numpy'] = numpy\nsys.modules['numpy'] = None\n");
    });
    const SourceOutcome outcome = runSource("np.zeros(1)");
    const SourceOutcome withoutNp = runSource("b'x'");
    host().call([] { py::exec("import sys\nsys.modules['numpy'] = sys.modules.pop('saved numpy')\n"); });
    QVERIFY2(withoutNp.built, "code that does not name np needs no numpy");
    QVERIFY(outcome.error && outcome.error->python);
    QVERIFY2(QString(outcome.error->what()).startsWith("numpy could not be imported (ModuleNotFoundError: "),
             outcome.error->what());
    QVERIFY(runSource("np.zeros(1)").built);
}

void TestPythonHost::raisedExceptionIsReportedWithLine()
{
    const SourceOutcome outcome = runSource("x = 1\n"
                                            "\n"
                                            "def f():\n"
                                            "    raise ValueError('boom')\n"
                                            "\n"
                                            "f()\n");
    QVERIFY(outcome.error && outcome.error->python);
    const PythonError& python = *outcome.error->python;
    QCOMPARE(QString::fromStdString(python.type), QStringLiteral("ValueError"));
    QCOMPARE(QString::fromStdString(python.message), QStringLiteral("boom"));
    QCOMPARE(python.line, 4);
    QCOMPARE(QString(outcome.error->what()), QStringLiteral("Python raised ValueError: boom"));
    QVERIFY2(python.traceback.find("File \"<scenario>\", line 4, in f") != std::string::npos,
             python.traceback.c_str());
    // The source line itself is shown, as in a normal Python traceback.
    QVERIFY2(python.traceback.find("raise ValueError('boom')") != std::string::npos,
             python.traceback.c_str());
    QVERIFY(streamsAreOriginal());
}

void TestPythonHost::errorInLastExpressionHasItsLine()
{
    const SourceOutcome outcome = runSource("x = 1\ny = 0\nx / y\n");
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("ZeroDivisionError"));
    QCOMPARE(outcome.error->python->line, 3);
}

void TestPythonHost::syntaxErrorIsReportedWithLine()
{
    const SourceOutcome outcome = runSource("x = 1\nx = = 2\n");
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("SyntaxError"));
    QCOMPARE(outcome.error->python->line, 2);
    QVERIFY(QString(outcome.error->what()).startsWith("Python raised SyntaxError: "));
}

void TestPythonHost::exceptionTypesOutsideBuiltinsAreQualified()
{
    const SourceOutcome outcome = runSource("np.linalg.inv(np.zeros((2, 2)))");
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("numpy.linalg.LinAlgError"));
    QCOMPARE(outcome.error->python->line, 1);
}

void TestPythonHost::sysExitIsAnErrorNotAnExit()
{
    const SourceOutcome outcome = runSource("import sys\nsys.exit(3)\n");
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("SystemExit"));
    QCOMPARE(QString::fromStdString(outcome.error->python->message), QStringLiteral("3"));
    QCOMPARE(outcome.error->python->line, 2);
    QCOMPARE(QString(outcome.error->what()), QStringLiteral("Python raised SystemExit: 3"));
    // Still alive, and so is the interpreter.
    QVERIFY(runSource("b'alive'").built);
}

void TestPythonHost::inputDoesNotBlock()
{
    QElapsedTimer timer;
    timer.start();
    const SourceOutcome outcome = runSource("input('value? ')\n");
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("EOFError"));
}

void TestPythonHost::interruptEndsRunawaySource()
{
    QVERIFY(runSource("np").built); // numpy is imported before the interrupt can hit its import
    std::future<SourceOutcome> running =
        std::async(std::launch::async, [] { return runSource("print('looping')\nwhile True:\n    pass\n"); });
    while (!host().isBusy())
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(200ms);
    QElapsedTimer timer;
    timer.start();
    host().interrupt();
    QVERIFY(running.wait_for(1500ms) == std::future_status::ready);
    QVERIFY(timer.elapsed() < 1500);
    const SourceOutcome outcome = running.get();
    QVERIFY(outcome.error && outcome.error->python);
    QCOMPARE(QString::fromStdString(outcome.error->python->type), QStringLiteral("KeyboardInterrupt"));
    QVERIFY(QString(outcome.error->what()).contains("interrupted"));
    QCOMPARE(QString::fromStdString(outcome.error->output), QStringLiteral("looping\n"));
    QVERIFY(streamsAreOriginal());
    QVERIFY(runSource("b'next'").built);
}

void TestPythonHost::printOutputIsCaptured()
{
    const SourceOutcome outcome = runSource("import sys\n"
                                            "print('out', 1)\n"
                                            "sys.stderr.write('err\\n')\n"
                                            "print('é')\n"
                                            "b''\n");
    QVERIFY(outcome.built);
    QCOMPARE(QString::fromStdString(outcome.output), QString::fromUtf8("out 1\nerr\né\n"));
    QVERIFY(!outcome.outputTruncated);
    QVERIFY(streamsAreOriginal());
}

void TestPythonHost::outputIsKeptWhenTheCodeFails()
{
    const SourceOutcome outcome = runSource("print('before the error')\nraise RuntimeError('late')\n");
    QVERIFY(outcome.error);
    QCOMPARE(QString::fromStdString(outcome.error->output), QStringLiteral("before the error\n"));
    QVERIFY(streamsAreOriginal());
}

void TestPythonHost::hugePrintIsTruncatedQuickly()
{
    QElapsedTimer timer;
    timer.start();
    const SourceOutcome outcome = runSource("print('x' * 10_000_000)\nb''\n");
    const qint64 elapsed = timer.elapsed();
    QVERIFY(outcome.built);
    QVERIFY2(elapsed < 5000, QByteArray::number(elapsed));
    QCOMPARE(outcome.output.size(), SourceLimits{}.outputLimit);
    QVERIFY(outcome.output.find_first_not_of('x') == std::string::npos);
    QVERIFY(outcome.outputTruncated);
}

void TestPythonHost::manySmallWritesAreFast()
{
    SourceLimits limits;
    limits.outputLimit = 4 << 20;
    QElapsedTimer timer;
    timer.start();
    // 12 MB in 300,000 writes: the buffer must not be rebuilt on every write.
    const SourceOutcome outcome = runSource("for i in range(300_000):\n    print('y' * 39)\nb''\n", limits);
    const qint64 elapsed = timer.elapsed();
    QVERIFY(outcome.built);
    QVERIFY2(elapsed < 5000, QByteArray::number(elapsed));
    QCOMPARE(outcome.output.size(), limits.outputLimit);
    QVERIFY(outcome.outputTruncated);
}

void TestPythonHost::truncationKeepsWholeCharacters()
{
    SourceLimits limits;
    limits.outputLimit = 5;
    const SourceOutcome outcome = runSource("print('ééé')\nb''\n", limits); // 6 bytes + newline
    QVERIFY(outcome.built);
    QCOMPARE(QString::fromStdString(outcome.output), QString::fromUtf8("éé"));
    QVERIFY(outcome.outputTruncated);

    limits.outputLimit = 7; // exactly fits: not truncated
    const SourceOutcome exact = runSource("print('ééé')\nb''\n", limits);
    QCOMPARE(QString::fromStdString(exact.output), QString::fromUtf8("ééé\n"));
    QVERIFY(!exact.outputTruncated);
}

void TestPythonHost::exitWhileLoopingInterruptsAndFinalises()
{
    if (inChild())
        QSKIP("runs in the parent only");
    const ChildResult child = runChild("childExitWhileLooping");
    QVERIFY2(child.status == QProcess::NormalExit && child.exitCode == 0, child.output.constData());
    QVERIFY2(child.elapsedMs < 10000, QByteArray::number(child.elapsedMs));
    // Python's atexit handlers ran: the interpreter was finalised, not abandoned.
    QVERIFY2(child.output.contains("python finalised"), child.output.constData());
}

void TestPythonHost::exitWhileStuckInCDoesNotHang()
{
    if (inChild())
        QSKIP("runs in the parent only");
    const ChildResult child = runChild("childExitWhileStuckInC");
    QVERIFY2(child.status == QProcess::NormalExit && child.exitCode == 0, child.output.constData());
    QVERIFY2(child.elapsedMs < 10000, QByteArray::number(child.elapsedMs));
}

void TestPythonHost::childExitWhileLooping()
{
    if (!inChild())
        QSKIP("helper for exitWhileLoopingInterruptsAndFinalises");
    host().call([] {
        py::exec("import atexit, os\natexit.register(lambda: os.write(1, b'python finalised\\n'))\n");
    });
    auto looping = host().submit([] { py::exec("while True:\n    pass\n"); });
    while (!host().isBusy())
        std::this_thread::sleep_for(1ms);
    std::exit(0); // static destruction must interrupt the loop, finalise and join
}

void TestPythonHost::childExitWhileStuckInC()
{
    if (!inChild())
        QSKIP("helper for exitWhileStuckInCDoesNotHang");
    auto stuck = host().submit([] { std::this_thread::sleep_for(60s); }); // holds the GIL, ignores interrupts
    while (!host().isBusy())
        std::this_thread::sleep_for(1ms);
    std::exit(0);
}

QTEST_GUILESS_MAIN(TestPythonHost)
#include "tst_pythonhost.moc"
