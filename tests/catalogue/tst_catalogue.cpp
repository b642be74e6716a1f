// The bad-input catalogue of issue 8: every hostile file, number and piece of code found so far, run
// through the real `stridescope` binary - on the command line, and (for files) in the window,
// offscreen, through --screenshot. Each case names the exit code README documents and the words its
// one line of stderr must hold. A case that crashes, hangs or prints more than one line before a
// traceback fails here.
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Records nested `levels` deep: 40,000 overflowed the old recursive parser's stack.
QByteArray deepFormat(int levels)
{
    return QByteArray("T{").repeated(levels) + "B" + QByteArray("}").repeated(levels);
}

QByteArray stridedFile(const QByteArray& fields)
{
    return "{\"source\": {\"kind\": \"strided\", " + fields + "}}";
}

QByteArray codeFile(const QByteArray& code)
{
    QJsonObject source{{"kind", "python"}, {"code", QString::fromUtf8(code)}};
    return QJsonDocument(QJsonObject{{"source", source}}).toJson(QJsonDocument::Compact);
}

} // namespace

class TestCatalogue : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment privateEnvironment() const
    {
        // The window's settings, trust store and autosave go into the test's own home.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("home/data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("home/config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

    Run run(const QStringList& arguments, int timeoutMs = 120000) const
    {
        QProcess process;
        process.setProcessEnvironment(privateEnvironment());
        process.start(qEnvironmentVariable("STRIDESCOPE_BINARY"), arguments);
        Run r;
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            return r;
        }
        r.finished = true;
        r.crashed = process.exitStatus() != QProcess::NormalExit;
        r.exitCode = process.exitCode();
        r.out = process.readAllStandardOutput();
        r.err = process.readAllStandardError();
        return r;
    }

    QString write(const QString& name, const QByteArray& bytes) const
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static void verifyOneLine(const Run& r, const QString& command, const QString& mentions)
    {
        QVERIFY2(r.finished, "it hung");
        QVERIFY2(!r.crashed, "it crashed");
        const QString err = QString::fromUtf8(r.err);
        const QString first = err.section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(first.startsWith(QStringLiteral("stridescope ") + command + QStringLiteral(": ")) ||
                     first.startsWith(QStringLiteral("stridescope: ")),
                 qPrintable(err));
        QVERIFY2(first.contains(mentions), qPrintable(err));
        QVERIFY2(first.size() < 600, "one line, not a wall of text");
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("STRIDESCOPE_BINARY").isEmpty(),
                 "run through CTest (STRIDESCOPE_BINARY)");
        QVERIFY(m_dir.isValid());
    }

    // Scenario files a stranger may send: refused with one line (1), or inspected (0).
    void files_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        // Item 1: item sizes that overflowed and wrapped.
        QTest::newRow("item size wraps to 1")
            << stridedFile(R"("format": "1000s9223372036854775807x9223372036854774810x", "shape": [1])") << 1
            << "the item size exceeds 2147483647 bytes";
        QTest::newRow("two huge strings")
            << stridedFile(R"("format": "9223372036854775807s9223372036854775807s3x", "shape": [1])") << 1
            << "the item size exceeds 2147483647 bytes";
        // Item 2: unbounded format work.
        QTest::newRow("10^12 empty records")
            << stridedFile(R"("format": "1000000000000T{}", "shape": [1])") << 1 << "has item size 0";
        QTest::newRow("records 40000 deep")
            << stridedFile("\"format\": \"" + deepFormat(40000) + "\", \"shape\": [1]") << 1
            << "has 120001 characters; at most 8192 are read";
        QTest::newRow("records 2000 deep")
            << stridedFile("\"format\": \"" + deepFormat(2000) + "\", \"shape\": [1]") << 1
            << "records nest deeper than 64 levels";
        // Found by the red team: a 100,000-character field name froze the window's inspector.
        QTest::newRow("a 100,000-character field name")
            << stridedFile("\"format\": \"T{B:" + QByteArray(100000, 'n') + ":}\", \"shape\": [1]") << 1
            << "at most 8192 are read";
        // Item 4: a copy past --max-memory is refused before CPython makes it.
        QTest::newRow("3 GiB copy of one byte")
            << stridedFile(R"("shape": [3221225472], "strides": [0], "memory": 1)") << 1
            << "the copy CPython would make needs 3221225472 bytes";
        // Item 6: layouts whose pictures were unbounded.
        QTest::newRow("62-D broadcast, read")
            << stridedFile(
                   R"("shape": [2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2], "strides": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0])")
            << 1 << "the copy CPython would make needs";
        QTest::newRow("16-D of extent 2")
            << stridedFile(R"("shape": [2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2])") << 0 << "";
        QTest::newRow("8-D, 48,000 elements") << stridedFile(R"("shape": [2,3,4,5,4,5,2,10])") << 0 << "";
        // Item 8: the small ones.
        QTest::newRow("numpy sub-array field")
            << stridedFile(R"("format": "T{<h:a:(2)>d:b:}", "shape": [2])") << 0 << "";
        QTest::newRow("field name closing a C comment")
            // (Spelt without a raw string: moc would read the slash-star inside one as a comment.)
            << stridedFile("\"format\": \"T{<h:*"
                           "/ int x = system(\\\"touch PWNED\\\"); /"
                           "*:}\", \"shape\": [2]")
            << 0 << "";
        QTest::newRow("a megabyte of notes")
            << ("{\"source\": {\"kind\": \"strided\", \"shape\": [2, 3]}, \"notes\": {\"explanation\": \"" +
                QByteArray(1 << 20, 'n') + "\"}}")
            << 0 << "";
        QTest::newRow("malformed JSON") << QByteArray("{\"source\": ") << 1 << "not valid JSON";
    }
    void files()
    {
        QFETCH(QByteArray, file);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const QString path =
            write(QString(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')) +
                      QStringLiteral(".stridescope"),
                  file);
        const Run inspected = run({QStringLiteral("inspect"), path});
        QVERIFY2(inspected.finished && !inspected.crashed, inspected.err.constData());
        QCOMPARE(inspected.exitCode, exitCode);
        if (exitCode != 0) {
            verifyOneLine(inspected, QStringLiteral("inspect"), mentions);
            QVERIFY(inspected.out.isEmpty());
        }

        // The same file in the window: it opens (or is refused with a message) and draws, offscreen.
        const QString png = m_dir.filePath(QStringLiteral("window.png"));
        QFile::remove(png);
        const Run window = run({QStringLiteral("--screenshot"), png, path});
        QVERIFY2(window.finished, "the window hung");
        QVERIFY2(!window.crashed, window.err.constData());
        if (window.exitCode == 0)
            QVERIFY(!QImage(png).isNull());
        else
            QVERIFY2(QString::fromUtf8(window.err).contains(mentions), window.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("PWNED"))));
    }

    // Issue 9: with no display (here the offscreen platform) a file the window cannot open waited
    // forever on a modal message box nobody could close. It says why on stderr and exits 1, with
    // --screenshot or without.
    void noDialogWaitsWithoutADisplay_data()
    {
        QTest::addColumn<bool>("screenshot");
        QTest::addColumn<QByteArray>("file"); // empty: a file that does not exist
        QTest::addColumn<QString>("mentions");
        for (const bool screenshot : {true, false}) {
            const char* how = screenshot ? "--screenshot, " : "no display, ";
            QTest::addRow("%smalformed JSON", how)
                << screenshot << QByteArray("{\"source\": ") << "not valid JSON";
            QTest::addRow("%sunknown field", how)
                << screenshot << stridedFile(R"("shape": [2], "colour": 1)") << "colour";
            QTest::addRow("%sno such file", how) << screenshot << QByteArray() << "nothing-here.stridescope";
        }
    }
    void noDialogWaitsWithoutADisplay()
    {
        QFETCH(bool, screenshot);
        QFETCH(QByteArray, file);
        QFETCH(QString, mentions);
        const QString path = file.isEmpty() ? m_dir.filePath(QStringLiteral("nothing-here.stridescope"))
                                            : write(QStringLiteral("invalid.stridescope"), file);
        QStringList arguments{path};
        if (screenshot)
            arguments = QStringList{QStringLiteral("--screenshot"),
                                    m_dir.filePath(QStringLiteral("invalid.png")), path};
        const Run window = run(arguments, 20000);
        QVERIFY2(window.finished, "it waited on a dialog");
        QVERIFY2(!window.crashed, window.err.constData());
        QCOMPARE(window.exitCode, 1);
        verifyOneLine(window, QString(), mentions);
    }

    // Item 5: a file's code never runs when the window opens it; the command line runs it, as
    // `python file.py` does (README).
    void codeInFilesRunsOnlyOnTheCommandLine()
    {
        const QString marker = m_dir.filePath(QStringLiteral("ran"));
        const QString path =
            write(QStringLiteral("code.stridescope"), codeFile("open(" +
                                                               QJsonDocument(QJsonObject{{"p", marker}})
                                                                   .object()
                                                                   .value("p")
                                                                   .toString()
                                                                   .toUtf8()
                                                                   .prepend('\'')
                                                                   .append('\'') +
                                                               ", 'w').close()\nb'x'"));
        const Run window =
            run({QStringLiteral("--screenshot"), m_dir.filePath(QStringLiteral("held.png")), path});
        QCOMPARE(window.exitCode, 0);
        QVERIFY2(!QFileInfo::exists(marker), "the window ran a file's code without consent");
        const Run inspected = run({QStringLiteral("inspect"), path});
        QCOMPARE(inspected.exitCode, 0);
        QVERIFY(QFileInfo::exists(marker));
    }

    // Code that attacks the interpreter or the output: the documented exit code and one line.
    void code_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        const QStringList none;
        // Item 3: a lying exporter is the finding.
        QTest::newRow("as_strided over 10 bytes")
            << "a = np.zeros(10, np.uint8)\nnp.lib.stride_tricks.as_strided(a, shape=(10**9,), strides=(1,))"
            << none << 0 << "";
        // Item 4: crashes, C-code hangs, poisoned interpreters, memory.
        QTest::newRow("ctypes.string_at(0)")
            << "import ctypes\nctypes.string_at(0)" << none << 1
            << "the interpreter crashed with SIGSEGV while running your code";
        QTest::newRow("the real call on a lying exporter")
            << "a = np.zeros(10, np.uint8)\nnp.lib.stride_tricks.as_strided(a, shape=(2**20,), "
               "strides=(4096,))"
            << none << 1 << "CPython's copy would read it and crash, so the call was not made";
        QTest::newRow("time.sleep(100)") << "import time\ntime.sleep(100)" << QStringList{"--timeout", "1"}
                                         << 1 << "timed out after 1 s; the code did not stop";
        QTest::newRow("catches every KeyboardInterrupt")
            << "while True:\n    try:\n        while True:\n            pass\n    except "
               "KeyboardInterrupt:\n        pass"
            << QStringList{"--timeout", "1"} << 1
            << "did not stop (C code, or code that catches KeyboardInterrupt)";
        QTest::newRow("sum(range(10**12))")
            << "sum(range(10**12))" << QStringList{"--timeout", "1"} << 1 << "timed out after 1 s";
        QTest::newRow("__import__ = None")
            << "import builtins\nbuiltins.__import__ = None\nbuf = b'x'" << none << 0 << "";
#ifndef STRIDESCOPE_SANITIZED // AddressSanitizer needs the address space RLIMIT_AS would take away
        QTest::newRow("np.ones(2*2**30) under 1M")
            << "np.ones(2 * 2**30)" << QStringList{"--max-memory", "1M"} << 1 << "MemoryError";
        QTest::newRow("1 GiB under 1M")
            << "np.ones(2**27)" << QStringList{"--max-memory", "1M"} << 1 << "MemoryError";
#endif
        // Item 7: output that broke the JSON contract.
        QTest::newRow("os.write(1)") << "import os\nos.write(1, b'X\\n')\nbuf = b'ab'"
                                     << QStringList{"--json"} << 0 << "";
        QTest::newRow("os.system") << "import os\nos.system('echo X')\nbuf = b'ab'" << QStringList{"--json"}
                                   << 0 << "";
        QTest::newRow("os.close(1)") << "import os\nos.close(1)\nbuf = b'ab'" << QStringList{"--json"} << 0
                                     << "";
        QTest::newRow("__del__ at shutdown")
            << "class D:\n    def __del__(self): print('X')\nd = D()\nbuf = b'ab'" << QStringList{"--json"}
            << 0 << "";
        // Item 8: numbers on the command line.
        QTest::newRow("--timeout nan") << "b''" << QStringList{"--timeout", "nan"} << 2 << "--timeout";
        QTest::newRow("--timeout inf") << "b''" << QStringList{"--timeout", "inf"} << 2 << "--timeout";
        QTest::newRow("--timeout 1e10") << "b''" << QStringList{"--timeout", "1e10"} << 2 << "--timeout";
    }
    void code()
    {
        QFETCH(QString, code);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const Run r = run(QStringList{QStringLiteral("inspect"), QStringLiteral("--expr"), code} + extra);
        QVERIFY2(r.finished && !r.crashed, r.err.constData());
        QCOMPARE(r.exitCode, exitCode);
        if (exitCode != 0) {
            verifyOneLine(r, QStringLiteral("inspect"), mentions);
            return;
        }
        if (extra.contains(QStringLiteral("--json"))) {
            QJsonParseError error{};
            QJsonDocument::fromJson(r.out, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
            QVERIFY2(r.err.isEmpty(), r.err.constData());
        }
    }

    // Item 6 and 8 for pictures: render's numbers and the size of what it draws.
    void render_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("--scale nan") << QStringList{"--preset", "transpose", "--scale", "nan"} << 2
                                     << "--scale";
        QTest::newRow("--size 20000x20000 --scale 8")
            << QStringList{"--preset", "transpose", "--size", "20000x20000", "--scale", "8"} << 2 << "--size";
        QTest::newRow("np.zeros((2,)*16)")
            << QStringList{"--expr", "np.zeros((2,) * 16, np.uint8)"} << 0 << "";
    }
    void render()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const QString png = m_dir.filePath(QStringLiteral("render.png"));
        QFile::remove(png);
        const Run r = run(QStringList{QStringLiteral("render"), QStringLiteral("--out"), png} + arguments);
        QVERIFY2(r.finished && !r.crashed, r.err.constData());
        QCOMPARE(r.exitCode, exitCode);
        if (exitCode != 0) {
            verifyOneLine(r, QStringLiteral("render"), mentions);
            QVERIFY(!QFileInfo::exists(png));
            return;
        }
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY2(image.height() <= 16384 && image.width() <= 16384, "a picture has a maximum size");
    }

    // Item 8: files that are not files.
    void notAFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("/dev/zero") << "/dev/zero"
                                   << "not a regular file";
        QTest::newRow("a directory") << "/tmp"
                                     << "is a directory, not a scenario file";
    }
    void notAFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, mentions);
        const Run r = run({QStringLiteral("inspect"), path});
        QCOMPARE(r.exitCode, 1);
        verifyOneLine(r, QStringLiteral("inspect"), mentions);
        const Run window =
            run({QStringLiteral("--screenshot"), m_dir.filePath(QStringLiteral("nofile.png")), path});
        QVERIFY2(window.finished && !window.crashed, "the window hung or crashed");
        QCOMPARE(window.exitCode, 1);
        QVERIFY2(QString::fromUtf8(window.err).contains(mentions), window.err.constData());
    }

    // The window's screenshot options: a tab that does not exist is one line and exit 2, before
    // anything is drawn; a real one gives the picture.
    void screenshotTabIsChecked()
    {
        const QString png = m_dir.filePath(QStringLiteral("tab.png"));
        const Run wrong = run({QStringLiteral("--screenshot"), png, QStringLiteral("--preset"),
                               QStringLiteral("c_2d"), QStringLiteral("--tab"), QStringLiteral("nope")});
        QVERIFY2(wrong.finished && !wrong.crashed, "the window hung or crashed");
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(QString::fromUtf8(wrong.err).contains(QStringLiteral("no Inspector tab named 'nope'")),
                 wrong.err.constData());
        QVERIFY(!QFileInfo::exists(png));
        const Run right = run({QStringLiteral("--screenshot"), png, QStringLiteral("--preset"),
                               QStringLiteral("c_2d"), QStringLiteral("--tab"), QStringLiteral("requests")});
        QCOMPARE(right.exitCode, 0);
        QVERIFY(QFileInfo::exists(png));
    }
};

QTEST_GUILESS_MAIN(TestCatalogue)
#include "tst_catalogue.moc"
