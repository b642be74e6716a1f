// Comparison scenarios: the "compare" part of the scenario file read strictly and written back,
// and `stridescope inspect` of two objects from one namespace through the real binary and worker,
// its verdict and byte counts checked against numpy run by /usr/bin/python3 on the same code.
#include "tests/support/binaryrun.h"

#include "gui/scenario/scenariofile.h"
#include "gui/style/theme.h"

#include <QFileInfo>
#include <QImage>

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace stridescope;

namespace {

QByteArray comparisonJson(const QByteArray& code, const QByteArray& compare,
                          const QByteArray& kind = "python")
{
    QByteArray source = kind == "python" ? R"j({"kind": "python", "code": )j" + code + "}"
                                         : QByteArray(R"j({"kind": "strided", "shape": [4]})j");
    return R"j({"stridescope_scenario": 1, "source": )j" + source + R"j(, "compare": )j" + compare + "}";
}

// numpy's own answers for `a` and `b` of `code`: shares_memory, may_share_memory, and the bytes
// both / only a / only b reach (sets of addresses).
QJsonObject numpyFacts(const QString& code)
{
    const QString script = QStringLiteral(R"py(
import json, sys
import numpy as np
ns = {'np': np}
exec(sys.argv[1], ns)
a, b = np.asarray(ns['a']), np.asarray(ns['b'])
def reach(v):
    start = v.__array_interface__['data'][0]
    idx = np.indices(v.shape).reshape(v.ndim, -1).T
    offsets = idx @ np.array(v.strides, dtype=np.int64) + start
    return {int(o) + k for o in offsets for k in range(v.itemsize)}
A, B = reach(a), reach(b)
print(json.dumps({'shares': bool(np.shares_memory(a, b, max_work=None)), 'may': bool(np.may_share_memory(a, b)),
                  'both': len(A & B), 'only_a': len(A - B), 'only_b': len(B - A)}))
)py");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, code});
    if (!python.waitForFinished(60000) || python.exitCode() != 0)
        qFatal("numpy facts failed: %s", python.readAllStandardError().constData());
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

} // namespace

class TestComparison : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void compareIsReadStrictly_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: read
        const QByteArray code = R"j("a = np.arange(4)\nb = a[::2]")j";
        QTest::newRow("names and a request")
            << comparisonJson(code, R"j({"first": "a", "second": "b", "request": {"order": "F"}})j")
            << QString();
        QTest::newRow("not an object") << comparisonJson(code, "[1]") << "'compare' must be an object";
        QTest::newRow("not python") << comparisonJson(code, R"j({"first": "a", "second": "b"})j", "strided")
                                    << "'compare' needs a python source: its code defines both objects";
        QTest::newRow("unknown field")
            << comparisonJson(code, R"j({"first": "a", "second": "b", "third": "c"})j")
            << "unknown field 'third' in 'compare' (allowed: first, second, request)";
        QTest::newRow("missing second")
            << comparisonJson(code, R"j({"first": "a"})j") << "'compare' needs the field 'second'";
        QTest::newRow("not a name")
            << comparisonJson(code, R"j({"first": "a", "second": "b[0]"})j")
            << "'second' in 'compare': 'b[0]' is not a Python name (letters, digits and _ only)";
        QTest::newRow("starts with a digit")
            << comparisonJson(code, R"j({"first": "1a", "second": "b"})j")
            << "'first' in 'compare': '1a' is not a Python name (it must start with a letter or _)";
        QTest::newRow("too long") << comparisonJson(code, "{\"first\": \"" + QByteArray(65, 'a') +
                                                              "\", \"second\": \"b\"}")
                                  << "'first' in 'compare' has 65 characters; at most 64 are read";
        QTest::newRow("bad order")
            << comparisonJson(code, R"j({"first": "a", "second": "b", "request": {"order": "K"}})j")
            << "'order' in 'request' in 'compare' must be \"C\", \"F\" or \"A\", not 'K'";
    }
    void compareIsReadStrictly()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString why;
        const auto read = ScenarioFile::parse(json, &why);
        if (!error.isEmpty()) {
            QVERIFY(!read);
            QCOMPARE(why, error);
            return;
        }
        QVERIFY2(read, qPrintable(why));
        QVERIFY(read->compare);
        QCOMPARE(read->compare->firstName, std::string("a"));
        QCOMPARE(read->compare->secondName, std::string("b"));
        QCOMPARE(read->compare->secondRequest.order, 'F');
        QCOMPARE(read->request.order, 'C');
        const auto again = ScenarioFile::parse(ScenarioFile::toJson(*read), &why);
        QVERIFY2(again, qPrintable(why));
        QVERIFY(*again == *read);
    }

    // The classic cases, through the binary and its worker: the verdict, both ranges and the bytes
    // are numpy's, and the text names them under "Shares memory".
    void inspectComparesAsNumpyDoes_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("order"); // the second object's request
        QTest::newRow("slice aliases") << "a = np.arange(24).reshape(4, 6)\nb = a[:, ::2]"
                                       << "C";
        QTest::newRow("interleaved halves") << "a = np.arange(16)[::2]\nb = np.arange(16)[1::2]"
                                            << "C";
        QTest::newRow("same base, interleaved")
            << "x = np.arange(16, dtype=np.int32)\na = x[::2]\nb = x[1::2]"
            << "C";
        QTest::newRow("transpose") << "a = np.arange(12).reshape(3, 4)\nb = a.T"
                                   << "C";
        QTest::newRow("reshape after transpose copies")
            << "a = np.arange(12).reshape(3, 4)\nb = a.T.reshape(12)"
            << "C";
        QTest::newRow("ravel of a slice") << "a = np.arange(12).reshape(3, 4)\nb = a[:, 1:3].ravel()"
                                          << "F";
        // Two blocks: b's memory is its own 8 bytes, 5 bytes into a's buffer.
        QTest::newRow("ctypes window into a buffer")
            << "import ctypes\nbuf = (ctypes.c_uint8 * 32)()\na = np.ctypeslib.as_array(buf)[::3]\n"
               "b = (ctypes.c_uint16 * 4).from_buffer(buf, 5)"
            << "C";
        QTest::newRow("bytes view, odd strides")
            << "from numpy.lib.stride_tricks import as_strided\nx = np.zeros(64, np.uint8)\n"
               "a = as_strided(x[3:], shape=(5, 3), strides=(7, 2))\nb = x[10:42].view(np.int32)"
            << "A";
    }
    void inspectComparesAsNumpyDoes()
    {
        QFETCH(QString, code);
        QFETCH(QString, order);
        QJsonObject scenario{
            {"stridescope_scenario", 1},
            {"source", QJsonObject{{"kind", "python"}, {"code", code}}},
            {"compare",
             QJsonObject{{"first", "a"}, {"second", "b"}, {"request", QJsonObject{{"order", order}}}}}};
        const QString path = m_dir.filePath(QString(QTest::currentDataTag()).replace(' ', '_') + ".json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(scenario).toJson());
        file.close();

        const QJsonObject expected = numpyFacts(code);
        const testcli::Run json = testcli::run({"inspect", "--json", path});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject c = json.json().value("comparison").toObject();
        QVERIFY2(!c.isEmpty(), json.out.constData());
        QCOMPARE(c.value("shares_memory").toBool(), expected.value("shares").toBool());
        QCOMPARE(c.value("may_share_memory").toBool(), expected.value("may").toBool());
        QCOMPARE(c.value("bytes").toObject().value("both").toInt(-1), expected.value("both").toInt());
        QCOMPARE(c.value("bytes").toObject().value("only_first").toInt(-1), expected.value("only_a").toInt());
        QCOMPARE(c.value("bytes").toObject().value("only_second").toInt(-1),
                 expected.value("only_b").toInt());
        // Each object with its own request.
        QCOMPARE(json.json().value("request").toObject().value("order").toString(), QStringLiteral("C"));
        QCOMPARE(c.value("second_report").toObject().value("request").toObject().value("order").toString(),
                 order);

        const testcli::Run text = testcli::run({"inspect", path});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY(out.startsWith("=== 'a' ===\n"));
        QVERIFY(out.contains("\n=== 'b' ===\n"));
        QVERIFY2(out.contains(expected.value("shares").toBool() ? "  verdict   YES (np.shares_memory True)"
                                                                : "  verdict   NO (np.shares_memory False)"),
                 text.out.constData());
        QVERIFY(out.contains(QStringLiteral("  bytes     %1 reached by both, %2 only by 'a', %3 only by 'b'")
                                 .arg(expected.value("both").toInt())
                                 .arg(expected.value("only_a").toInt())
                                 .arg(expected.value("only_b").toInt())));
    }

    // The classic cases as presets: each teaches what numpy says about the pair, and its second
    // object's call does what its notes promise.
    void presetsTeachTheClassicCases_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("shares");
        QTest::addColumn<QString>("secondOutcome"); // of b's call
        QTest::newRow("slice") << "slice_aliases" << true << "copy";
        QTest::newRow("transpose") << "transpose_aliases" << true << "copy";
        QTest::newRow("reshape after transpose") << "reshape_after_transpose" << false << "alias";
        QTest::newRow("ravel versus flatten") << "ravel_versus_flatten" << false << "alias";
    }
    void presetsTeachTheClassicCases()
    {
        QFETCH(QString, preset);
        QFETCH(bool, shares);
        QFETCH(QString, secondOutcome);
        const testcli::Run r = testcli::run({"inspect", "--json", "--preset", preset});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = r.json();
        const QJsonObject c = report.value("comparison").toObject();
        QCOMPARE(c.value("shares_memory").toBool(!shares), shares);
        const QString code =
            report.value("scenario").toObject().value("source").toObject().value("code").toString();
        const QJsonObject expected = numpyFacts(code);
        QCOMPARE(c.value("shares_memory").toBool(), expected.value("shares").toBool());
        QCOMPARE(c.value("may_share_memory").toBool(), expected.value("may").toBool());
        QCOMPARE(c.value("bytes").toObject().value("both").toInt(-1), expected.value("both").toInt());
        QCOMPARE(c.value("second_report").toObject().value("result").toObject().value("outcome").toString(),
                 secondOutcome);
        QCOMPARE(report.value("agrees").toBool(), true);
        QCOMPARE(c.value("second_report").toObject().value("agrees").toBool(), true);
    }

    // `render` of a comparison draws the pair: the sentence `inspect` prints, each object's band
    // titled in its colour, the strip with bytes in both colours; a .tex figure is refused in one line.
    void renderDrawsThePair()
    {
        const testcli::Run text = testcli::run({"inspect", "--preset", "slice_aliases"});
        QCOMPARE(text.exitCode, 0);
        QByteArray verdict;
        for (const QByteArray& line : text.out.split('\n'))
            if (line.startsWith("  verdict   "))
                verdict = line.mid(12);
        QVERIFY(verdict.startsWith("YES"));

        const QString svgPath = m_dir.filePath("pair.svg");
        const testcli::Run svg = testcli::run({"render", "--preset", "slice_aliases", "--out", svgPath});
        QCOMPARE(svg.exitCode, 0);
        QFile svgFile(svgPath);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray drawing = svgFile.readAll();
        QVERIFY2(drawing.contains(">Shares memory: " + verdict + "<"), verdict.constData());
        QVERIFY(drawing.contains(">Bytes: 12 reached by both, 12 only by 'a', 0 only by 'b'"));
        const QByteArray dash = QStringLiteral("\u2014").toUtf8();
        QVERIFY(drawing.contains(">'a' " + dash + " numpy.ndarray<"));
        QVERIFY(drawing.contains(">'b' " + dash + " numpy.ndarray<"));
        // Both objects' colours fill bytes: b's as the stripes over a's of the bytes both reach.
        const Theme theme = Theme::light();
        QVERIFY(drawing.contains("fill=\"" + theme.objectColour(0).name().toLatin1() + "\""));
        QVERIFY(drawing.contains("stroke=\"" + theme.objectColour(1).name().toLatin1() + "\""));

        for (const char* suffix : {"png", "pdf"}) {
            const QString path = m_dir.filePath(QStringLiteral("pair.") + QLatin1String(suffix));
            const testcli::Run r = testcli::run({"render", "--preset", "transpose_aliases", "--out", path});
            QCOMPARE(r.exitCode, 0);
            QVERIFY(QFileInfo(path).size() > 0);
        }
        const QImage png(m_dir.filePath("pair.png"));
        QVERIFY(!png.isNull());
        int first = 0, second = 0;
        for (int y = 0; y < png.height(); ++y)
            for (int x = 0; x < png.width(); ++x) {
                first += png.pixel(x, y) == theme.objectColour(0).rgb();
                second += png.pixel(x, y) == theme.objectColour(1).rgb();
            }
        QVERIFY2(first > 500 && second > 500, qPrintable(QStringLiteral("%1 %2").arg(first).arg(second)));

        const testcli::Run tex =
            testcli::run({"render", "--preset", "slice_aliases", "--out", m_dir.filePath("pair.tex")});
        QCOMPARE(tex.exitCode, 2);
        QCOMPARE(tex.err.trimmed(),
                 QByteArray("stridescope render: a comparison ('compare') is drawn to .png, .svg or "
                            ".pdf; --out .tex draws one object"));
        QVERIFY(!QFile::exists(m_dir.filePath("pair.tex")));
    }

    void undefinedNameIsOneLine()
    {
        const QString path = m_dir.filePath("undefined.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(comparisonJson(R"j("a = np.arange(4)")j", R"j({"first": "a", "second": "b"})j"));
        file.close();
        const testcli::Run r = testcli::run({"inspect", path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.trimmed(), QByteArray("stridescope inspect: the code does not define 'b'"));
    }
};

QTEST_MAIN(TestComparison)
#include "tst_comparison.moc"
