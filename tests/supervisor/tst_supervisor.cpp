// The supervised interpreter: what user code can do to a worker process, and what the caller sees.
// Every case runs real code in a real stridescope-worker.
#include "cli/reportjson.h"
#include "cli/textreport.h"
#include "gui/painting/reportdata.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/supervisor/interpretersupervisor.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"
#include "pyhost/reportcodec.h"
#include "tests/support/separaterowscode.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mman.h>
#include <unistd.h>

using namespace stridescope;

namespace {

Scenario python(const std::string& code)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = code;
    return s;
}

QString failureText(const InspectionOutcome& o)
{
    return o.failure ? QString::fromStdString(o.failure->what()) : QString();
}

} // namespace

class TestSupervisor : public QObject
{
    Q_OBJECT

    InterpreterSupervisor m_supervisor;
    Inspector::Options m_options;
    QTemporaryDir m_dir;

    // Starts `code` after it has written a marker file, and waits until the marker is there: the
    // code is running in the worker.
    void startRunning(const QString& code)
    {
        const QString marker = m_dir.filePath(QStringLiteral("running-%1").arg(++m_markers));
        m_supervisor.inspect(python(QStringLiteral("open(%1, 'w').close()\n%2")
                                        .arg(QStringLiteral("'%1'").arg(marker), code)
                                        .toStdString()),
                             m_options);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 20000);
    }
    int m_markers = 0;

    InspectionOutcome run(const Scenario& scenario, double timeout = 60)
    {
        return m_supervisor.inspectAndWait(scenario, m_options, timeout);
    }

    // After anything went wrong, the next scenario must still work.
    void verifyHealthy()
    {
        const InspectionOutcome after = run(python("np.arange(6).reshape(2, 3).T"));
        QVERIFY2(after.report, qPrintable(failureText(after)));
        QCOMPARE(after.report->result.outcome, ConversionPrediction::Outcome::Copy);
        QVERIFY(after.report->agrees);
        QCOMPARE(after.report->result.bytesVerified, ByteCount(6 * 8));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(InterpreterSupervisor::workerProgram()).isExecutable(),
                 qPrintable(InterpreterSupervisor::workerProgram()));
        m_supervisor.warmUp();
    }

    // numpy costs ten times Python's own start-up: a worker imports it only for code that names np.
    void numpyIsImportedOnlyByCodeThatUsesIt()
    {
        InterpreterSupervisor fresh;
        fresh.warmUp();
        const InspectionOutcome strided = fresh.inspectAndWait(
            PresetLibrary::find(QStringLiteral("every_other_column"))->scenario, m_options, 60);
        QVERIFY2(strided.report, qPrintable(failureText(strided)));
        const InspectionOutcome plain = fresh.inspectAndWait(
            python("import sys\nassert 'numpy' not in sys.modules, 'numpy was imported'\nb'x'"), m_options,
            60);
        QVERIFY2(plain.report, qPrintable(failureText(plain)));
        const InspectionOutcome withNp = fresh.inspectAndWait(python("np.arange(3)"), m_options, 60);
        QVERIFY2(withNp.report, qPrintable(failureText(withNp)));
    }

    // Every field a report carries survives the trip between the processes: the in-process report
    // and the one that crossed print the same JSON and text.
    void reportCrossesIntact_data()
    {
        QTest::addColumn<QString>("preset");
        for (const Preset& p : PresetLibrary::all())
            QTest::newRow(qPrintable(p.name)) << p.name;
    }
    void reportCrossesIntact()
    {
        QFETCH(QString, preset);
        const Scenario scenario = PresetLibrary::find(preset)->scenario;
        const InspectionReport local =
            PythonHost::instance().call([&] { return Inspector::run(scenario, m_options); });
        const InspectionReport crossed = ReportCodec::decodeReport(ReportCodec::encode(local));
        QCOMPARE(QJsonDocument(ReportJson::toObject(crossed)).toJson(),
                 QJsonDocument(ReportJson::toObject(local)).toJson());
        // The way the worker sends it: snapshots through a shared memory file.
        const int shared = ::memfd_create("tst_supervisor", MFD_CLOEXEC);
        QVERIFY(shared >= 0);
        const std::string message = ReportCodec::encode(local, shared);
        QVERIFY(message.size() < 64 * 1024); // the bytes are not in the message
        const InspectionReport viaShared = ReportCodec::decodeReport(message, shared);
        ::close(shared);
        QCOMPARE(viaShared.sourceBytes.bytes, local.sourceBytes.bytes);
        QCOMPARE(viaShared.resultBytes.bytes, local.resultBytes.bytes);
        QCOMPARE(QJsonDocument(ReportJson::toObject(viaShared)).toJson(),
                 QJsonDocument(ReportJson::toObject(local)).toJson());
        QCOMPARE(TextReport::render(crossed), TextReport::render(local));
        QCOMPARE(crossed.sourceBytes.bytes, local.sourceBytes.bytes);
        QCOMPARE(crossed.resultBytes.bytes, local.resultBytes.bytes);
        QCOMPARE(crossed.sourceLayout.isIndirect(), local.sourceLayout.isIndirect());
        if (local.sourceLayout.isIndirect()) {
            // The frozen pointer table crosses as data: every element is found where it was.
            for (ElementIndex e = 0; e < local.sourceLayout.elementCount().value_or(0); ++e)
                QCOMPARE(crossed.sourceLayout.elementOffsetAt(e), local.sourceLayout.elementOffsetAt(e));
        }
    }

    // Another exporter's indirect buffer, through the real worker: the pointer table's block and the
    // rows' blocks cross the socket with their bytes, every value decodes, buf is inside the table's
    // block and marked once.
    void foreignIndirectBufferIsDrawnWhole_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("rowBlocks");
        QTest::newRow("_testbuffer ND_PIL")
            << "from _testbuffer import *\nndarray(list(range(12)), shape=[3, 4], flags=ND_WRITABLE|ND_PIL)"
            << 0;
        QTest::newRow("StridedBuffer built in code")
            << "import _stridescope\n_stridescope.StridedBuffer('B', (3, 4), indirect=True)" << 0;
        QTest::newRow("rows in blocks of their own")
            << QString::fromStdString(testcode::separateRowsCode) << 3;
    }
    void foreignIndirectBufferIsDrawnWhole()
    {
        QFETCH(QString, code);
        QFETCH(int, rowBlocks);
        const InspectionOutcome o = run(python(code.toStdString()));
        QVERIFY2(o.report, qPrintable(failureText(o)));
        const InspectionReport& r = *o.report;
        QCOMPARE(int(r.rowBlocks.size()), rowBlocks);
        for (const RowBlock& b : r.rowBlocks)
            QCOMPARE(ByteCount(b.bytes.bytes.size()), b.block.size);
        QVERIFY(r.agrees);
        // The text report says where buf is: at the start of the table's block.
        const QString text = TextReport::render(r);
        QVERIFY2(text.contains("suboffsets (0, -1), len 12, writable, buf = memory + 0"), qPrintable(text));
        const auto data = std::make_shared<const ReportData>(o.report);
        for (ElementIndex e = 0; e < 12; ++e) {
            QCOMPARE(data->valueText(e), QString::number(e));
            QVERIFY(data->elementInsideMemory(e));
        }
        QCOMPARE(data->indirectRows().size(), std::size_t(3));
        for (const auto& row : data->indirectRows())
            QVERIFY(row.target);
        // buf is the table's first slot, inside the block (not "memory + -24" before the rows).
        QCOMPARE(data->bufOffset(), data->indirectRows().front().slot);
        QVERIFY(data->insideBlock(data->bufOffset()));
    }

    void malformedMessagesAreRefused()
    {
        const std::string good = ReportCodec::encode(PythonHost::instance().call(
            [&] { return Inspector::run(PresetLibrary::find("transpose")->scenario, m_options); }));
        for (std::size_t cut : {std::size_t(0), std::size_t(1), good.size() / 2, good.size() - 1})
            QVERIFY_THROWS_EXCEPTION(WireError,
                                     ReportCodec::decodeReport(std::string_view(good).substr(0, cut)));
        QVERIFY_THROWS_EXCEPTION(WireError, ReportCodec::decodeReport(good + "x"));
        std::string lying = good;
        std::memset(lying.data(), 0xff, 8); // the first length (the format text) claims 2^64 - 1 bytes
        QVERIFY_THROWS_EXCEPTION(WireError, ReportCodec::decodeReport(lying));
        QVERIFY_THROWS_EXCEPTION(WireError, WorkerMessage::parseHeader("SSW1garbagegarbage"));
    }

    // Issue 8 item 4: code that crashes the interpreter costs the worker, with a message that says
    // what happened and the Python stack of the crash; the next scenario runs.
    void crashInUserCodeIsReported()
    {
        const InspectionOutcome o =
            run(python("print('printed before the crash')\nimport ctypes\nctypes.string_at(0)"));
        QVERIFY(!o.report);
        QVERIFY(o.workerLost);
        QVERIFY2(failureText(o).contains("the interpreter crashed with SIGSEGV while running your code"),
                 qPrintable(failureText(o)));
        // What the code printed survives the crash (print writes through to the captured
        // descriptors), followed by faulthandler's stack naming the user's line.
        const QString output = QString::fromStdString(o.failure->output);
        QVERIFY2(output.startsWith("printed before the crash\n"), qPrintable(output));
        QVERIFY2(output.contains("File \"<scenario>\", line 3"), qPrintable(output));
        verifyHealthy();
    }

    // The real call on a lying exporter: CPython's copy would read past the mapping and kill the
    // worker. The probe sees that the elements reach unmapped memory and does not make the call: the
    // caller is told why, and the worker lives on.
    void copyThatWouldCrashIsNotMade()
    {
        const InspectionOutcome o =
            run(python("a = np.zeros(10, np.uint8)\n"
                       "np.lib.stride_tricks.as_strided(a, shape=(2**20,), strides=(4096,))"));
        QVERIFY(!o.report);
        QVERIFY2(failureText(o).contains(
                     "not all of them mapped memory: CPython's copy would read it and crash, so "
                     "the call was not made"),
                 qPrintable(failureText(o)));
        QVERIFY2(!failureText(o).contains("crashed"), qPrintable(failureText(o)));
        verifyHealthy();
    }

    // Issue 8 item 3: Stridescope itself never reads what the exporter only claims. The call aliases
    // and reads nothing, so the report arrives, and says the layout overreaches the array.
    void lyingExporterIsTheFinding()
    {
        const InspectionOutcome o =
            run(python("a = np.zeros(10, np.uint8)\n"
                       "np.lib.stride_tricks.as_strided(a, shape=(10**9,), strides=(1,))"));
        QVERIFY2(o.report, qPrintable(failureText(o)));
        const InspectionReport& r = *o.report;
        QCOMPARE(r.memory->size, ByteCount(10));
        QCOMPARE(r.result.outcome, ConversionPrediction::Outcome::Alias);
        QVERIFY(r.outsideMemory);
        QVERIFY2(QString::fromStdString(*r.outsideMemory)
                     .startsWith("the exporter describes 1000000000 bytes over a 10-byte numpy.ndarray"),
                 r.outsideMemory->c_str());
        QVERIFY(r.sourceBytes.bytes.size() <= 10);
    }

    // Stop cannot interrupt C code; the worker is killed after the grace period instead.
    void stopEndsCodeStuckInC()
    {
        QSignalSpy finished(&m_supervisor, &InterpreterSupervisor::finished);
        QVERIFY(finished.isValid());
        startRunning(QStringLiteral("import time\ntime.sleep(100)"));
        QElapsedTimer clock;
        clock.start();
        m_supervisor.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto outcome = finished.first().first().value<InspectionOutcome>();
        QVERIFY(outcome.stopped);
        QVERIFY(outcome.workerLost);
        QVERIFY2(failureText(outcome).startsWith("Stopped: the code did not stop"),
                 qPrintable(failureText(outcome)));
        QVERIFY2(clock.elapsed() < 5000, "Stop must not wait for the sleep to end");
        verifyHealthy();
    }

    // Pure-Python loops still stop by KeyboardInterrupt, and keep their interpreter's answer.
    void stopInterruptsPythonCode()
    {
        QSignalSpy finished(&m_supervisor, &InterpreterSupervisor::finished);
        startRunning(QStringLiteral("while True:\n    pass"));
        m_supervisor.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto outcome = finished.first().first().value<InspectionOutcome>();
        QVERIFY(outcome.stopped);
        QVERIFY(!outcome.workerLost);
        QVERIFY2(failureText(outcome).contains("interrupted"), qPrintable(failureText(outcome)));
    }

    // Issue 8 item 4: what one scenario's code does to its interpreter never reaches the next.
    void poisonedInterpreterDoesNotLeak_data()
    {
        QTest::addColumn<QString>("poison");
        QTest::newRow("__import__") << "import builtins\nbuiltins.__import__ = None\nbuf = b'x'";
        QTest::newRow("numpy module") << "import sys\nsys.modules['numpy'] = None\nbuf = b'x'";
        QTest::newRow("stdout closed") << "import os\nos.close(1)\nos.close(2)\nbuf = b'x'";
    }
    void poisonedInterpreterDoesNotLeak()
    {
        QFETCH(QString, poison);
        const InspectionOutcome first = run(python(poison.toStdString()));
        QVERIFY2(first.report, qPrintable(failureText(first)));
        QCOMPARE(first.report->interpreterUse, InspectionReport::InterpreterUse::Fresh);
        verifyHealthy();
    }

    // Data-only scenarios share an interpreter that has never run user code; code gets a fresh one.
    void interpretersAreFreshForCode()
    {
        Scenario strided = PresetLibrary::find("transpose")->scenario;
        strided.kind = Scenario::SourceKind::Strided;
        strided.strided.shape = {3, 4};
        const InspectionOutcome a = run(strided);
        const InspectionOutcome b = run(strided);
        QVERIFY(a.report && b.report);
        QCOMPARE(b.report->workerPid, a.report->workerPid);
        QCOMPARE(b.report->interpreterUse, InspectionReport::InterpreterUse::Reused);
        const InspectionOutcome c = run(python("b'ab'"));
        const InspectionOutcome d = run(python("b'ab'"));
        QVERIFY(c.report && d.report);
        QCOMPARE(c.report->interpreterUse, InspectionReport::InterpreterUse::Fresh);
        QCOMPARE(d.report->interpreterUse, InspectionReport::InterpreterUse::Fresh);
        QVERIFY(c.report->workerPid != d.report->workerPid);
        QVERIFY(c.report->workerPid != a.report->workerPid);
    }

    // Issue 8 item 4: --max-memory is an address-space limit on the worker, Python code included.
    void memoryLimitHoldsForPythonCode()
    {
#ifdef STRIDESCOPE_SANITIZED
        QSKIP("AddressSanitizer needs the address space an RLIMIT_AS limit would take away");
#endif
        Inspector::Options small = m_options;
        small.limits.allocationLimit = ByteCount(1) << 20;
        const InspectionOutcome o =
            m_supervisor.inspectAndWait(python("b = bytearray(600 * 2**20)\nbuf = b'x'"), small, 60);
        QVERIFY(!o.report);
        QVERIFY2(failureText(o).contains("MemoryError"), qPrintable(failureText(o)));
        // Without the limit the same code runs.
        const InspectionOutcome fine = run(python("b = bytearray(600 * 2**20)\nbuf = b'x'"));
        QVERIFY2(fine.report, qPrintable(failureText(fine)));
    }

    // A copy past the limit is refused before CPython makes it, with the predicted size.
    void oversizedCopyIsRefusedBeforeTheCall()
    {
        Scenario s;
        s.kind = Scenario::SourceKind::Strided;
        s.strided.shape = {Extent(3) << 30};
        s.strided.strides = std::vector<ByteOffset>{0};
        s.strided.memory = 1;
        const InspectionOutcome o = run(s);
        QVERIFY(!o.report);
        QCOMPARE(failureText(o),
                 QStringLiteral("the copy CPython would make needs 3221225472 bytes, more than the "
                                "memory limit of 1073741824 bytes (--max-memory): the call was not made"));
    }

    // A copy CPython itself cannot allocate is the machine's limit, not a wrong prediction.
    void memoryErrorOfTheCopyIsNoDisagreement()
    {
#ifdef STRIDESCOPE_SANITIZED
        QSKIP("AddressSanitizer needs the address space an RLIMIT_AS limit would take away");
#endif
        Inspector::Options limited = m_options;
        limited.limits.allocationLimit = ByteCount(256) << 20;
        // Fill the worker's address space up to 100 MiB short of its limit, then ask for a 200 MiB copy.
        const InspectionOutcome o = m_supervisor.inspectAndWait(
            python("import resource, mmap\n"
                   "soft, _ = resource.getrlimit(resource.RLIMIT_AS)\n"
                   "used = int(open('/proc/self/statm').read().split()[0]) * mmap.PAGESIZE\n"
                   "a = np.ones((10240, 20480), np.uint8).T\n"
                   "used += a.nbytes\n"
                   "ballast = mmap.mmap(-1, soft - used - 100 * 2**20)\n"
                   "a"),
            limited, 60);
        QVERIFY2(o.report, qPrintable(failureText(o)));
        const InspectionReport& r = *o.report;
        QCOMPARE(r.prediction.outcome, ConversionPrediction::Outcome::Copy);
        QVERIFY(r.result.error);
        QCOMPARE(QString::fromStdString(r.result.error->type), QStringLiteral("MemoryError"));
        QVERIFY2(r.agrees, r.disagreements.empty() ? "" : r.disagreements.front().c_str());
        QVERIFY2(QString::fromStdString(r.result.verifyNote).contains("could not allocate"),
                 r.result.verifyNote.c_str());
    }

    // Issue 8 item 7: output at the file-descriptor level is captured and reported, never passed on.
    void descriptorOutputIsCaptured()
    {
        const InspectionOutcome o =
            run(python("import os\nprint('printed')\nos.write(1, b'fd one\\n')\nos.write(2, b'fd two\\n')\n"
                       "os.system('echo from a child')\nbuf = b'ab'"));
        QVERIFY2(o.report, qPrintable(failureText(o)));
        const QString output = QString::fromStdString(o.report->output);
        for (const char* expected : {"printed", "fd one", "fd two", "from a child"})
            QVERIFY2(output.contains(expected), qPrintable(output));
    }

    void workerThatCannotStartIsReported()
    {
        qputenv("STRIDESCOPE_WORKER", "/nonexistent/stridescope-worker");
        InterpreterSupervisor broken;
        const InspectionOutcome o = broken.inspectAndWait(python("b'x'"), m_options, 30);
        qunsetenv("STRIDESCOPE_WORKER");
        QVERIFY(!o.report);
        QVERIFY2(failureText(o).contains("could not be started"), qPrintable(failureText(o)));
    }
};

QTEST_GUILESS_MAIN(TestSupervisor)
#include "tst_supervisor.moc"
