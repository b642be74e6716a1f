// `stridescope snippet`: the code it prints reproduces the scenario outside Stridescope. Every preset's
// Python snippet runs in a separate /usr/bin/python3 and every C snippet is built with its own build
// line and run; each must give the app's outcome, GET_BASE kind (or say why not), result strides and
// result bytes. Random specs check that a snippet starts from the exporter's own bytes.
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/snippetgenerator.h"
#include "gui/supervisor/interpretersupervisor.h"
#include "pyhost/stridedbufferstorage.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stridescope;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runProcess(const QString& program, const QStringList& arguments, const QByteArray& input = {},
               const QString& directory = {})
{
    QProcess process;
    if (!directory.isEmpty())
        process.setWorkingDirectory(directory);
    process.start(program, arguments);
    process.write(input);
    process.closeWriteChannel();
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("did not finish");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

Run runStridescope(const QStringList& arguments)
{
    return runProcess(qEnvironmentVariable("STRIDESCOPE_BINARY"), arguments);
}

// What a snippet printed: "ALIAS|COPY: shape S, strides T, readonly R, GET_BASE NAME (kind)" and
// "bytes HEX", or the exception's last line.
struct Printed
{
    QString outcome; // "alias", "copy" or "error"
    QString strides;
    QString baseKind;
    QByteArray bytes;
    QString error;
};

Printed parse(const Run& run)
{
    Printed p;
    static const QRegularExpression line(
        QStringLiteral(
            R"(^(ALIAS|COPY): shape (\(.*\)), strides (\(.*\)), readonly \w+, GET_BASE \S+ \((\w+)\)$)"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression bytes(QStringLiteral(R"(^bytes ([0-9a-f]*)$)"),
                                          QRegularExpression::MultilineOption);
    const auto m = line.match(run.out);
    if (!m.hasMatch()) {
        p.outcome = QStringLiteral("error");
        const QStringList lines = (run.out + run.err).trimmed().split(QLatin1Char('\n'));
        p.error = lines.isEmpty() ? QString() : lines.last().trimmed();
        return p;
    }
    p.outcome = m.captured(1).toLower();
    p.strides = m.captured(3);
    p.baseKind = m.captured(4);
    p.bytes = QByteArray::fromHex(bytes.match(run.out).captured(1).toLatin1());
    return p;
}

QString pythonTuple(const std::vector<ByteOffset>& values)
{
    QStringList parts;
    for (const auto v : values)
        parts << QString::number(v);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
           (values.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

// The elements of `layout` in C order, read from `block` (offsets relative to its start).
QByteArray elementsInCOrder(const StridedLayout& layout, const std::uint8_t* block, ByteCount blockSize)
{
    QByteArray out;
    const ElementIndex count = layout.elementCount().value_or(0);
    for (ElementIndex e = 0; e < count; ++e) {
        const auto at = layout.elementOffsetAt(e);
        if (!at || *at < 0 || *at + layout.itemSize() > blockSize)
            return QByteArray("element outside the block");
        out.append(reinterpret_cast<const char*>(block + *at), qsizetype(layout.itemSize()));
    }
    return out;
}

// The C snippet's own build line ("Build: cc demo.c ... -o demo"), run in `directory`.
Run buildC(const QString& source, const QString& directory)
{
    static const QRegularExpression buildLine(QStringLiteral(R"(Build: (cc demo\.c .* -o demo)$)"),
                                              QRegularExpression::MultilineOption);
    const auto m = buildLine.match(source);
    if (!m.hasMatch())
        return Run{-1, {}, QStringLiteral("no build line in the C snippet")};
    QFile file(directory + QStringLiteral("/demo.c"));
    if (!file.open(QIODevice::WriteOnly))
        return Run{-1, {}, QStringLiteral("cannot write demo.c")};
    file.write(source.toUtf8());
    file.close();
    // -Wall -Werror: a snippet is code people read and copy.
    return runProcess(QStringLiteral("sh"),
                      {QStringLiteral("-c"), m.captured(1) + QStringLiteral(" -Wall -Werror")}, {},
                      directory);
}

} // namespace

class TestSnippets : public QObject
{
    Q_OBJECT

    InterpreterSupervisor m_supervisor;

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(kPython), "the tests compare against /usr/bin/python3");
        m_supervisor.setKeepSpare(false);
    }

    void everyPresetIsReproducedOutsideTheApp_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("lang");
        for (const Preset& p : PresetLibrary::all()) {
            QTest::newRow(qPrintable(p.name + QStringLiteral(" python")))
                << p.name << QStringLiteral("python");
            QTest::newRow(qPrintable(p.name + QStringLiteral(" c"))) << p.name << QStringLiteral("c");
        }
    }

    void everyPresetIsReproducedOutsideTheApp()
    {
        QFETCH(QString, preset);
        QFETCH(QString, lang);
        reproduce(PresetLibrary::find(preset)->scenario, {QStringLiteral("--preset"), preset}, lang);
    }

    // Code that imports an extension module from an import folder: the snippet puts the folder on
    // sys.path as the worker does, and a stock interpreter (or the C program) reproduces the report.
    void importFoldersAreReproduced_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::newRow("python") << QStringLiteral("python");
        QTest::newRow("c") << QStringLiteral("c");
    }
    void importFoldersAreReproduced()
    {
        QFETCH(QString, lang);
        Scenario scenario;
        scenario.kind = Scenario::SourceKind::Python;
        scenario.code = "import pybind_matrix\npybind_matrix.Matrix(3, 4, transposed=True)";
        scenario.importPath = {STRIDESCOPE_TEST_EXPORTERS_DIR};
        reproduce(scenario,
                  {QStringLiteral("--expr"), QString::fromStdString(scenario.code), QStringLiteral("--path"),
                   QStringLiteral(STRIDESCOPE_TEST_EXPORTERS_DIR)},
                  lang);
    }

private:
    // Inspects `scenario` in the app, prints its snippet with `stridescope snippet SOURCE_ARGUMENTS`, runs
    // it outside the app and compares outcome, GET_BASE, strides and every byte with the app's report.
    void reproduce(const Scenario& scenario, const QStringList& sourceArguments, const QString& lang)
    {
        bool timedOut = false;
        const InspectionOutcome app =
            m_supervisor.inspectAndWait(scenario, Inspector::Options{}, 60, &timedOut);
        QVERIFY2(app.report, app.failure ? app.failure->what() : "no report");
        const InspectionReport& r = *app.report;

        const Run printed = runStridescope(QStringList{QStringLiteral("snippet")} + sourceArguments +
                                           QStringList{QStringLiteral("--lang"), lang});
        QCOMPARE(printed.exitCode, 0);
        QCOMPARE(printed.out, lang == QLatin1String("c") ? SnippetGenerator::c(scenario)
                                                         : SnippetGenerator::python(scenario));
        Run ran;
        if (lang == QLatin1String("python")) {
            // A separate, stock interpreter: no _stridescope, nothing of the app.
            QTemporaryDir dir;
            ran = runProcess(kPython, {QStringLiteral("-I"), QStringLiteral("-")}, printed.out.toUtf8(),
                             dir.path());
        } else {
            QVERIFY2(printed.out.contains(SnippetGenerator::pythonConfig()),
                     "the build line names the embedded Python");
            if (QStandardPaths::findExecutable(QStringLiteral("cc")).isEmpty())
                QSKIP("no C compiler");
            QTemporaryDir dir;
            const Run built = buildC(printed.out, dir.path());
            QVERIFY2(built.exitCode == 0, qPrintable(built.out + built.err));
            ran = runProcess(dir.filePath(QStringLiteral("demo")), {});
        }
        const Printed got = parse(ran);
        const QString context =
            QStringLiteral("\n--- output:\n%1%2\n--- snippet:\n%3").arg(ran.out, ran.err, printed.out);

        const ConversionResult& res = r.result;
        QCOMPARE(got.outcome, QString::fromStdString(ConversionPrediction::outcomeName(res.outcome)));
        if (res.error) {
            QVERIFY2(got.error.endsWith(QString::fromStdString(res.error->type + ": " + res.error->message)),
                     qPrintable(context));
            return;
        }
        // GET_BASE: the app's, unless the snippet says why it differs (a memoryview without exporter).
        const bool saysBaseDiffers = printed.out.contains(QStringLiteral("GET_BASE differs from the app's"));
        const QString expectedBase =
            saysBaseDiffers && res.outcome == ConversionPrediction::Outcome::Alias
                ? QStringLiteral("null")
                : QString::fromStdString(ConversionPrediction::baseKindName(res.baseKind));
        QVERIFY2(got.baseKind == expectedBase,
                 qPrintable(got.baseKind + QStringLiteral(" != ") + expectedBase + context));
        QVERIFY2(got.strides == pythonTuple(res.buffer->effectiveStrides()),
                 qPrintable(got.strides + context));
        // Every byte of the result, element by element in C order, against the app's own snapshots.
        QVERIFY(res.layout);
        const bool copy = res.outcome == ConversionPrediction::Outcome::Copy;
        const ByteSnapshot& snapshot = copy ? r.resultBytes : r.sourceBytes;
        QCOMPARE(snapshot.start, ByteOffset(0));
        const QByteArray expected =
            elementsInCOrder(*res.layout, snapshot.bytes.data(), ByteCount(snapshot.bytes.size()));
        QVERIFY2(got.bytes == expected,
                 qPrintable(QString::fromLatin1(got.bytes.toHex()) + QStringLiteral(" != ") +
                            QString::fromLatin1(expected.toHex()) + context));
    }

private slots:
    // The snippet starts from the bytes the exporter puts in the block, with the exporter's defaults
    // (strides, offset, memory, pointer table): random specs, each run in /usr/bin/python3, give back
    // the exporter's elements byte for byte. STRIDESCOPE_SEED replays a run.
    void snippetBytesAreTheExportersBytes()
    {
        const quint32 seed = qEnvironmentVariableIsSet("STRIDESCOPE_SEED")
                                 ? qEnvironmentVariable("STRIDESCOPE_SEED").toUInt()
                                 : QRandomGenerator::global()->generate();
        qInfo("seed %u (STRIDESCOPE_SEED replays it)", seed);
        QRandomGenerator random(seed);
        const QStringList formats{"B", "h", "<i", "d", "hd", "3s", "?", "<q", "T{<h:a:<d:b:}"};
        const StridedSourceSpec::Fill fills[]{StridedSourceSpec::Fill::Index, StridedSourceSpec::Fill::Bytes,
                                              StridedSourceSpec::Fill::Zero};
        int direct = 0, indirect = 0, negative = 0;
        for (int n = 0; n < 40; ++n) {
            StridedSourceSpec spec;
            spec.format = formats[random.bounded(int(formats.size()))].toStdString();
            spec.fill = fills[random.bounded(int(std::size(fills)))];
            spec.readonly = random.bounded(4) == 0;
            const int ndim = random.bounded(4);
            for (int d = 0; d < ndim; ++d)
                spec.shape.push_back(random.bounded(1, 5));
            spec.indirect = ndim > 0 && random.bounded(4) == 0;
            if (random.bounded(3) > 0) { // given strides, any sign, multiples of the item or not
                std::vector<ByteOffset> strides;
                for (int d = 0; d < ndim; ++d)
                    strides.push_back(random.bounded(-24, 25));
                if (spec.indirect && ndim > 0)
                    strides[0] =
                        (random.bounded(2) ? 1 : -1) * ByteOffset(sizeof(void*)) * random.bounded(1, 3);
                spec.strides = strides;
            }
            // Offset and memory automatic: the exporter must accept every such spec.
            std::unique_ptr<StridedBufferStorage> storage;
            try {
                storage = StridedBufferStorage::build(spec, SourceLimits{});
            } catch (const SourceError& e) {
                QFAIL(qPrintable(QStringLiteral("spec %1 refused: %2").arg(n).arg(e.what())));
            }
            (spec.indirect ? indirect : direct) += 1;
            if (spec.strides)
                for (const ByteOffset s : *spec.strides)
                    negative += s < 0;

            Scenario scenario;
            scenario.kind = Scenario::SourceKind::Strided;
            scenario.strided = spec;
            const QString snippet = SnippetGenerator::python(scenario);
            QTemporaryDir dir;
            const Run ran = runProcess(kPython, {QStringLiteral("-I"), QStringLiteral("-")}, snippet.toUtf8(),
                                       dir.path());
            const Printed got = parse(ran);
            const QString context = QStringLiteral("spec %1 (seed %2)\n--- output:\n%3%4\n--- snippet:\n%5")
                                        .arg(n)
                                        .arg(seed)
                                        .arg(ran.out, ran.err, snippet);
            QVERIFY2(got.outcome != QLatin1String("error"), qPrintable(context));
            const QByteArray expected =
                elementsInCOrder(storage->layout, storage->memory.get(), storage->memorySize);
            QVERIFY2(got.bytes == expected,
                     qPrintable(QString::fromLatin1(got.bytes.toHex()) + QStringLiteral(" != ") +
                                QString::fromLatin1(expected.toHex()) + QLatin1Char('\n') + context));
            if (got.outcome == QLatin1String("alias"))
                QVERIFY2(got.strides == pythonTuple(storage->strides), qPrintable(context));
        }
        qInfo("%d direct and %d indirect specs, %d negative strides", direct, indirect, negative);
        QVERIFY(direct > 0 && indirect > 0 && negative > 0);
    }

    void badInputIsOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown language") << QStringList{"--preset", "c_2d", "--lang", "rust"} << 2
                                          << "stridescope snippet: --lang takes python or c, not 'rust'";
        QTest::newRow("unknown preset")
            << QStringList{"--preset", "nope"} << 2 << "stridescope snippet: no preset named 'nope'";
        QTest::newRow("two sources")
            << QStringList{"--preset", "c_2d", "--expr", "b''"} << 2
            << "stridescope snippet: give only one of SCENARIO.json, --expr and --preset";
        QTest::newRow("missing file")
            << QStringList{"/nonexistent/file.json"} << 1 << "stridescope snippet: ";
        QTest::newRow("unknown option")
            << QStringList{"--colour"} << 2 << "stridescope snippet: Unknown option";
    }

    void badInputIsOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = runStridescope(QStringList{"snippet"} + arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.startsWith(message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.out.isEmpty());
    }

    void expressionsAndHelp()
    {
        const Run expr = runStridescope(
            {"snippet", "--expr", "np.arange(6, dtype=np.uint8).reshape(2, 3).T", "--order", "F"});
        QCOMPARE(expr.exitCode, 0);
        const Run ran = runProcess(kPython, {QStringLiteral("-I"), QStringLiteral("-")}, expr.out.toUtf8());
        QVERIFY2(ran.out.startsWith(QStringLiteral("ALIAS: shape (3, 2), strides (1, 3)")),
                 qPrintable(ran.out + ran.err));
        const Run help = runStridescope({"snippet", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--lang <python|c>")));
        QVERIFY(help.out.contains(QStringLiteral("Usage: stridescope snippet")));
    }
};

QTEST_GUILESS_MAIN(TestSnippets)
#include "tst_snippets.moc"
