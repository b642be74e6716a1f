// .npy and .npz files on the command line, through the real binary and worker: inspect, render,
// requests and snippet take them as FILE, --member picks an .npz array, a scenario file refers to
// one by a path relative to itself, and every bad file is one line with the documented exit code.
#include "tests/support/binaryrun.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using testcli::Run;
using testcli::run;

constexpr const char* kWriter = R"PY(
import numpy as np, os, sys
os.chdir(sys.argv[1])
np.save("c.npy", np.arange(12, dtype="<i4").reshape(3, 4))
np.save("fortran.npy", np.asfortranarray(np.arange(12, dtype=np.int16).reshape(3, 4)))
np.savez("two.npz", x=np.arange(10, dtype=np.uint8), y=np.arange(6, dtype="<f8").reshape(2, 3).T)
np.savez_compressed("packed.npz", y=np.arange(6, dtype="<f8").reshape(2, 3).T)
np.save("objects.npy", np.array([1, None], dtype=object), allow_pickle=True)
np.savez("many.npz", **{f"a{i}": np.zeros(1) for i in range(30)})
with open("text.npy", "w") as f:
    f.write("not an array\n")
os.mkdir("sub")
os.mkdir("folder.npy")
os.mkfifo("fifo.npy")
)PY";

} // namespace

class TestNumpyCommands : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("STRIDESCOPE_BINARY").isEmpty(),
                 "run through CTest (STRIDESCOPE_BINARY)");
        QVERIFY(m_dir.isValid());
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"), QString::fromLatin1(kWriter), m_dir.path()});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void inspectMapsAnNpyReadOnly()
    {
        const Run r = run({QStringLiteral("inspect"), path(QStringLiteral("c.npy")),
                           QStringLiteral("--request"), QStringLiteral("write"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject json = r.json();
        const QJsonObject source = json[QStringLiteral("source")].toObject();
        QCOMPARE(source[QStringLiteral("type")].toString(), QStringLiteral("memmap"));
        QCOMPARE(source[QStringLiteral("buffer")].toObject()[QStringLiteral("readonly")].toBool(), true);
        QVERIFY(source[QStringLiteral("memory")].toObject()[QStringLiteral("owner")].toString().contains(
            QStringLiteral(
                "c.npy (dtype '<i4', C order): file bytes 128–175, memory-mapped read-only (r--s in "
                "/proc/self/maps)")));
        QCOMPARE(json[QStringLiteral("result")].toObject()[QStringLiteral("outcome")].toString(),
                 QStringLiteral("error"));
    }

    void aRelativeFileIsFoundFromTheWorkingDirectory()
    {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.start(qEnvironmentVariable("STRIDESCOPE_BINARY"),
                      {QStringLiteral("inspect"), QStringLiteral("fortran.npy"), QStringLiteral("--order"),
                       QStringLiteral("F")});
        QVERIFY(process.waitForFinished(60000));
        const QByteArray out = process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(out.contains("Result      ALIAS"), out.constData());
    }

    void severalMembersNeedAChoice()
    {
        const Run r = run({QStringLiteral("inspect"), path(QStringLiteral("two.npz"))});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("holds 2 arrays; choose one with --member NAME: 'x', 'y'"),
                 r.err.constData());
        const Run many = run({QStringLiteral("inspect"), path(QStringLiteral("many.npz"))});
        QCOMPARE(many.exitCode, 2);
        QCOMPARE(many.err.count('\n'), 1);
        QVERIFY2(many.err.contains("'a19' and 10 more"), many.err.constData());
        const Run chosen = run({QStringLiteral("inspect"), path(QStringLiteral("two.npz")),
                                QStringLiteral("--member"), QStringLiteral("y"), QStringLiteral("--json")});
        QCOMPARE(chosen.exitCode, 0);
        QCOMPARE(chosen.json()[QStringLiteral("source")]
                     .toObject()[QStringLiteral("buffer")]
                     .toObject()[QStringLiteral("shape")]
                     .toArray(),
                 (QJsonArray{3, 2}));
    }

    void theOnlyMemberNeedsNoChoice()
    {
        const Run r =
            run({QStringLiteral("inspect"), path(QStringLiteral("packed.npz")), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()[QStringLiteral("source")]
                    .toObject()[QStringLiteral("memory")]
                    .toObject()[QStringLiteral("owner")]
                    .toString()
                    .contains(QStringLiteral("decompressed into memory")));
    }

    void renderAndRequestsTakeTheFileToo()
    {
        const QString png = path(QStringLiteral("c.png"));
        const Run rendered =
            run({QStringLiteral("render"), path(QStringLiteral("c.npy")), QStringLiteral("--out"), png});
        QCOMPARE(rendered.exitCode, 0);
        QVERIFY(!QImage(png).isNull());
        const Run requests = run({QStringLiteral("requests"), path(QStringLiteral("two.npz")),
                                  QStringLiteral("--member"), QStringLiteral("x")});
        // numpy refuses a writable request on a read-only array with ValueError, not the BufferError
        // the protocol asks for: the conformance check says so (exit 3).
        QCOMPARE(requests.exitCode, 3);
        QVERIFY2(requests.out.contains("PyBUF_WRITABLE        ValueError: buffer source array is read-only"),
                 requests.out.constData());
        QVERIFY2(requests.out.contains("member 'x' of two.npz (stored uncompressed)"),
                 requests.out.constData());
        const Run snippet = run({QStringLiteral("snippet"), path(QStringLiteral("c.npy"))});
        QCOMPARE(snippet.exitCode, 0);
        QVERIFY2(snippet.out.contains("mmap_mode='r', allow_pickle=False"), snippet.out.constData());
    }

    void badFilesAreOneLineAndExitOne_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("not numpy") << QStringList{QStringLiteral("text.npy")} << "is not a numpy file";
        QTest::newRow("object dtype")
            << QStringList{QStringLiteral("objects.npy")} << "Stridescope never unpickles";
        QTest::newRow("missing member")
            << QStringList{QStringLiteral("two.npz"), QStringLiteral("--member"), QStringLiteral("z")}
            << "has no member 'z' (its members: 'x', 'y')";
        QTest::newRow("directory") << QStringList{QStringLiteral("folder.npy")}
                                   << "is a directory, not a file";
        QTest::newRow("fifo") << QStringList{QStringLiteral("fifo.npy")} << "is a FIFO, not a regular file";
        QTest::newRow("missing") << QStringList{QStringLiteral("nowhere.npz")} << "No such file or directory";
    }
    void badFilesAreOneLineAndExitOne()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        arguments[0] = path(arguments[0]);
        const Run r = run(QStringList{QStringLiteral("inspect")} + arguments, 30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY2(r.err.startsWith("stridescope inspect: "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void memberWithoutAnNpzIsAUsageError()
    {
        const Run r = run({QStringLiteral("inspect"), QStringLiteral("--preset"), QStringLiteral("transpose"),
                           QStringLiteral("--member"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--member chooses an array of an .npz file"), r.err.constData());
    }

    // A scenario file's path is relative to the file, wherever the command runs.
    void scenarioFilePathIsRelativeToTheFile()
    {
        QFile file(path(QStringLiteral("sub/case.stridescope")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"stridescope_scenario": 1, "source": {"kind": "npy", "path": "../two.npz", "member": "y"},
                       "request": {"buffertype": "read", "order": "C"}})");
        file.close();
        const Run r = run({QStringLiteral("inspect"), file.fileName(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json()[QStringLiteral("result")].toObject()[QStringLiteral("outcome")].toString(),
                 QStringLiteral("copy"));
    }

    void scenarioFileFieldsAreChecked_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("no path") << QByteArray(R"({"kind": "npy"})") << "'source' needs the field 'path'";
        QTest::newRow("empty path") << QByteArray(R"({"kind": "npy", "path": ""})")
                                    << "must name a .npy or .npz file";
        QTest::newRow("path not a string")
            << QByteArray(R"({"kind": "npy", "path": 3})") << "'path' in 'source' must be a string";
        QTest::newRow("long path") << "{\"kind\": \"npy\", \"path\": \"" + QByteArray(5000, 'a') + "\"}"
                                   << "'path' in 'source' has 5000 characters; at most 4096 are read";
        QTest::newRow("unknown field") << QByteArray(R"({"kind": "npy", "path": "a.npy", "code": "1"})")
                                       << "unknown field 'code' in 'source'";
    }
    void scenarioFileFieldsAreChecked()
    {
        QFETCH(QByteArray, source);
        QFETCH(QString, message);
        QFile file(path(QStringLiteral("bad.stridescope")));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\"stridescope_scenario\": 1, \"source\": " + source + "}");
        file.close();
        const Run r = run({QStringLiteral("inspect"), file.fileName()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestNumpyCommands)
#include "tst_numpycommands.moc"
