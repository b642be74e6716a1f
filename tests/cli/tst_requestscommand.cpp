// `stridescope requests` through the real binary and its worker process: the request matrix of real
// exporters (extension modules built by the test build, imported by the worker), its exit codes, and
// the JSON `requests` array with the verdicts that crossed the process boundary.
#include "tests/support/binaryrun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using testcli::Run;

Run requests(const QStringList& arguments)
{
    return testcli::run(QStringList{"requests"} + arguments);
}

// Code that imports the test build's extension modules, as a user's own.
QString withExporters(const QString& code)
{
    return QStringLiteral("import sys; sys.path.insert(0, '" STRIDESCOPE_TEST_EXPORTERS_DIR "'); ") + code;
}

QJsonObject requestNamed(const QJsonArray& requests, const QString& name)
{
    for (const QJsonValue& r : requests)
        if (r.toObject().value("request").toString() == name)
            return r.toObject();
    return {};
}

QStringList failures(const QJsonArray& requests)
{
    QStringList found;
    for (const QJsonValue& r : requests)
        for (const QJsonValue& v : r.toObject().value("verdicts").toArray())
            if (v.toObject().value("verdict").toString() == "fail")
                found << r.toObject().value("request").toString() + " " +
                             v.toObject().value("rule").toString();
    found.sort();
    return found;
}

} // namespace

class TestRequestsCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("STRIDESCOPE_BINARY").isEmpty(),
                 "run through CTest (STRIDESCOPE_BINARY)");
    }

    // A conforming exporter: exit 0, one row per request, no FAIL.
    void conformingExporterExitsZero()
    {
        const Run r = requests({"--preset", "c_2d"});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const char* name : {"PyBUF_SIMPLE ", "PyBUF_ND ", "PyBUF_C_CONTIGUOUS ", "PyBUF_FULL_RO "})
            QVERIFY2(out.contains(QLatin1String("\n  ") + QLatin1String(name)), qPrintable(out));
        QVERIFY(out.contains("PyBUF_F_CONTIGUOUS    BufferError: PyBUF_F_CONTIGUOUS requested"));
        QVERIFY(!out.contains("FAIL"));
        QVERIFY2(out.contains("Conformance no rule broken; 0 undecided"), qPrintable(out));
        // Differences from the PyBUF_FULL_RO view are marked.
        QVERIFY2(out.contains("PyBUF_ND              buf +0, len 24, itemsize 2, ndim 2, format NULL*, shape "
                              "(3, 4), strides NULL*"),
                 qPrintable(out));
    }

    // pybind11 2.10's def_buffer on a transposed matrix: exit 3, the contiguity rule quoted.
    void pybind11TransposeBreaksTheContiguityRule()
    {
        const Run r = requests({"--expr", "import pybind_matrix; pybind_matrix.Matrix(3, 4, transposed=True)",
                                "--path", STRIDESCOPE_TEST_EXPORTERS_DIR});
        QCOMPARE(r.exitCode, 3);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("PyBUF_C_CONTIGUOUS    FAIL contiguity: the view is not C-contiguous"),
                 qPrintable(out));
        QVERIFY(out.contains("rule: \"contiguity requests: PyBUF_C_CONTIGUOUS | shape yes | strides yes | "
                             "suboffsets NULL | contig C\""));
        QVERIFY(out.contains("Conformance 10 rules broken in 7 requests"));
    }

    // An author's own module, imported from a folder the scenario file names relative to itself; the
    // folder is checked, and --path adds one only where there is code to import it.
    void importFoldersReachTheCode()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString relative = QDir(dir.path()).relativeFilePath(STRIDESCOPE_TEST_EXPORTERS_DIR);
        QVERIFY(QDir::isRelativePath(relative));
        const auto writeScenario = [&](const QString& name, const QJsonArray& path) {
            QJsonObject source{{"kind", "python"},
                               {"code", "import pybind_matrix; pybind_matrix.Matrix(2, 2)"},
                               {"path", path}};
            QFile file(dir.filePath(name));
            if (!file.open(QIODevice::WriteOnly))
                return QString();
            file.write(QJsonDocument(QJsonObject{{"stridescope_scenario", 1}, {"source", source}}).toJson());
            return file.fileName();
        };
        Run r = requests({writeScenario("own.stridescope", QJsonArray{relative})});
        QCOMPARE(r.exitCode, 3); // pybind11 2.10 answers PyBUF_F_CONTIGUOUS with the C-ordered matrix
        QVERIFY2(r.out.contains("Exporter    pybind_matrix.Matrix"), r.out.constData());

        // Without the folder, the import fails: the folder is what made it work.
        r = requests({writeScenario("none.stridescope", QJsonArray{})});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("No module named 'pybind_matrix'"), r.err.constData());

        r = requests({writeScenario("missing.stridescope", QJsonArray{"no-such-folder"})});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(QString::fromUtf8(r.err).trimmed(),
                 QStringLiteral("stridescope requests: the import folder '%1' does not exist")
                     .arg(dir.filePath("no-such-folder")));

        r = requests({writeScenario("bad.stridescope", QJsonArray{1})});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("path[0] in 'source' must be a string of at most 4096 characters"),
                 r.err.constData());

        r = requests({"--preset", "c_2d", "--path", dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(
                     "--path adds folders for Python code to import from; this scenario's source is strided"),
                 r.err.constData());
    }

    // The JSON report carries every request and verdict across the worker's socket.
    void jsonCarriesEveryVerdict_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("failed");
        QTest::addColumn<int>("exitCode");
        QStringList format;
        for (const char* name :
             {"PyBUF_SIMPLE", "PyBUF_WRITABLE", "PyBUF_ND", "PyBUF_STRIDES", "PyBUF_C_CONTIGUOUS",
              "PyBUF_F_CONTIGUOUS", "PyBUF_ANY_CONTIGUOUS", "PyBUF_INDIRECT", "PyBUF_CONTIG",
              "PyBUF_CONTIG_RO", "PyBUF_STRIDED", "PyBUF_STRIDED_RO"})
            format << QString(name) + " format";
        format.sort();
        QTest::newRow("format without PyBUF_FORMAT")
            << withExporters("import misbehaving_exporters; misbehaving_exporters.FormatAlways()") << format
            << 3;
        QStringList release;
        for (const char* name :
             {"PyBUF_SIMPLE", "PyBUF_WRITABLE", "PyBUF_FORMAT", "PyBUF_ND", "PyBUF_STRIDES",
              "PyBUF_C_CONTIGUOUS", "PyBUF_F_CONTIGUOUS", "PyBUF_ANY_CONTIGUOUS", "PyBUF_INDIRECT",
              "PyBUF_CONTIG", "PyBUF_CONTIG_RO", "PyBUF_STRIDED", "PyBUF_STRIDED_RO", "PyBUF_RECORDS",
              "PyBUF_RECORDS_RO", "PyBUF_FULL", "PyBUF_FULL_RO"})
            release << QString(name) + " release";
        release.sort();
        QTest::newRow("leaked reference")
            << withExporters("import misbehaving_exporters; misbehaving_exporters.LeakyRef()") << release
            << 3;
        QTest::newRow("bytearray") << QString("bytearray(b'abcdef')") << QStringList() << 0;
    }
    void jsonCarriesEveryVerdict()
    {
        QFETCH(QString, code);
        QFETCH(QStringList, failed);
        QFETCH(int, exitCode);
        const Run r = requests({"--expr", code, "--json"});
        QCOMPARE(r.exitCode, exitCode);
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray list = root.value("requests").toArray();
        QCOMPARE(list.size(), 17);
        QCOMPARE(failures(list), failed);
        QCOMPARE(root.value("conformance").toObject().value("conforms").toBool(), failed.isEmpty());
        const QJsonObject full = requestNamed(list, "PyBUF_FULL_RO");
        QCOMPARE(full.value("outcome").toString(), QString("view"));
        QCOMPARE(full.value("view").toObject().value("obj").toObject().value("kind").toString(),
                 QString("exporter"));
        QVERIFY(full.value("refcount").toObject().value("held").toDouble() >
                full.value("refcount").toObject().value("before").toDouble());
        const QJsonObject simple = requestNamed(list, "PyBUF_SIMPLE");
        QVERIFY(simple.value("view").toObject().value("format").isNull() == !code.contains("FormatAlways"));
        QVERIFY(simple.value("differs_from_full_ro").toArray().contains(QJsonValue("shape")));
        for (const QJsonValue& v : simple.value("verdicts").toArray())
            QVERIFY(!v.toObject().value("quote").toString().isEmpty());
    }

    // `inspect --json` stays as it was: no matrix unless asked for.
    void inspectHasNoRequests()
    {
        QProcess process;
        process.start(qEnvironmentVariable("STRIDESCOPE_BINARY"), {"inspect", "--preset", "c_2d", "--json"});
        QVERIFY(process.waitForFinished(60000));
        const QJsonObject root = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QVERIFY(root.contains("source"));
        QVERIFY(!root.contains("requests"));
    }

    // An exporter that lies in its PyBUF_FULL_RO answer too: inspect and requests, in the real worker,
    // name the field in one line and exit 1 (no crash, no report built on the lie).
    void wildFullViewIsOneLine_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("exporter");
        QTest::addColumn<QString>("message");
        for (const char* command : {"inspect", "requests"}) {
            QTest::addRow("%s shape", command) << command << "WildPointers(1, always='shape')"
                                               << "the exporter's Py_buffer.shape points to unreadable "
                                                  "memory (0x10) in its answer to PyBUF_FULL_RO";
            QTest::addRow("%s strides", command) << command << "WildPointers(1, always='strides')"
                                                 << "the exporter's Py_buffer.strides points to unreadable "
                                                    "memory (0x10) in its answer to PyBUF_FULL_RO";
            QTest::addRow("%s format", command) << command << "WildPointers(1, always='format')"
                                                << "the exporter's Py_buffer.format points to unreadable "
                                                   "memory (0x10) in its answer to PyBUF_FULL_RO";
            QTest::addRow("%s ndim", command) << command << "WildPointers(100000, always='ndim')"
                                              << "the exporter's Py_buffer.ndim is 100000, outside 0..64 "
                                                 "(PyBUF_MAX_NDIM), in its answer to "
                                                 "PyBUF_FULL_RO";
        }
    }
    void wildFullViewIsOneLine()
    {
        QFETCH(QString, command);
        QFETCH(QString, exporter);
        QFETCH(QString, message);
        QProcess process;
        process.start(qEnvironmentVariable("STRIDESCOPE_BINARY"),
                      {command, "--expr",
                       withExporters("import misbehaving_exporters; misbehaving_exporters." + exporter)});
        QVERIFY(process.waitForFinished(60000));
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(err.endsWith(message), qPrintable(err));
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    // A copy refused before the call (past --max-memory, or reading unmapped memory) ends `inspect`,
    // but `requests` makes no call: the matrix and its verdicts are printed.
    void refusedCopyKeepsTheMatrix_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("refusal");
        QTest::newRow("past --max-memory")
            << QStringList{"--expr", "np.zeros((64, 64)).T", "--max-memory", "1K"}
            << "the copy CPython would make needs 32768 bytes";
        QTest::newRow("unmapped memory")
            << QStringList{"--expr",
                           "np.lib.stride_tricks.as_strided(np.zeros(10, np.uint8), shape=(2, 10**9), "
                           "strides=(1, 4096))",
                           "--max-memory", "4G"}
            << "CPython's copy would read it and crash, so the call was not made";
    }
    void refusedCopyKeepsTheMatrix()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, refusal);
        QProcess inspect;
        inspect.start(qEnvironmentVariable("STRIDESCOPE_BINARY"), QStringList{"inspect"} + arguments);
        QVERIFY(inspect.waitForFinished(60000));
        QCOMPARE(inspect.exitCode(), 1);
        QVERIFY2(inspect.readAllStandardError().contains(refusal.toUtf8()), "inspect refuses the copy");

        const Run r = requests(arguments);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 3, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("\n  PyBUF_FULL_RO "), qPrintable(out));
        QVERIFY2(out.contains("\nConformance "), qPrintable(out));
        const Run json = requests(arguments + QStringList{"--json"});
        const QJsonObject root = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(root.value("requests").toArray().size(), 17);
        QVERIFY(root.value("result").isNull()); // no call was made
    }

    void badInputExitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a buffer")
            << QStringList{"--expr", "42"} << 1 << "a int does not support the buffer protocol";
        QTest::newRow("Python error") << QStringList{"--expr", "1/0"} << 1 << "ZeroDivisionError";
        QTest::newRow("unknown option") << QStringList{"--bogus"} << 2 << "bogus";
        QTest::newRow("unknown preset") << QStringList{"--preset", "nope"} << 2 << "nope";
    }
    void badInputExitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = requests(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void helpNamesTheExitCodes()
    {
        const Run r = requests({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Usage: stridescope requests"));
        QVERIFY(r.out.contains("3 the exporter broke a rule"));
    }
};

QTEST_GUILESS_MAIN(TestRequestsCommand)
#include "tst_requestscommand.moc"
