// `stridescope render --out FIG.tex`: a standalone TikZ figure with the SVG's content, one \node per
// cell, named styles, no bitmaps, escaped user text and bounded size; compiled with pdflatex (and
// read back with pdfinfo and pdftotext) when TeX is installed.
#include "gui/painting/tikzpicture.h"
#include "tests/support/binaryrun.h"
#include "tests/support/syntheticreport.h"

#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stridescope;
using testcli::Run;
using testcli::run;

namespace {

QString readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

int count(const QString& text, const QString& what)
{
    return int(text.count(what));
}

// The words of a style or colour used in `\node[...]` options that are not TikZ's own.
QSet<QString> usedStyles(const QString& tex)
{
    static const QRegularExpression node(
        QStringLiteral("\\\\node\\[(?:logical cell|byte|swatch), ([a-z0-9]+)"));
    QSet<QString> out;
    for (auto it = node.globalMatch(tex); it.hasNext();)
        out.insert(it.next().captured(1));
    return out;
}

// pdflatex on `tex` in `dir` (no shell escape, stops at the first error, 120 s at most); then the
// page count from pdfinfo and the text from pdftotext. Empty `error` when it compiled.
struct Compiled
{
    QString error;
    int pages = 0;
    QString text;
};

Compiled compile(const QString& dir, const QString& name)
{
    Compiled out;
    QProcess latex;
    latex.setWorkingDirectory(dir);
    latex.start(QStringLiteral("pdflatex"), {"-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                                             name + QStringLiteral(".tex")});
    if (!latex.waitForFinished(120000)) {
        latex.kill();
        latex.waitForFinished();
        out.error = QStringLiteral("pdflatex did not finish in 120 s");
        return out;
    }
    if (latex.exitStatus() != QProcess::NormalExit || latex.exitCode() != 0) {
        const QString log = readAll(dir + QLatin1Char('/') + name + QStringLiteral(".log"));
        const qsizetype bang = log.indexOf(QStringLiteral("\n!"));
        out.error = QStringLiteral("pdflatex failed: ") + (bang >= 0 ? log.mid(bang, 600) : log.right(600));
        return out;
    }
    const QString pdf = dir + QLatin1Char('/') + name + QStringLiteral(".pdf");
    QProcess info;
    info.start(QStringLiteral("pdfinfo"), {pdf});
    info.waitForFinished(30000);
    const auto pages =
        QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(QString::fromUtf8(info.readAll()));
    out.pages = pages.hasMatch() ? pages.captured(1).toInt() : -1;
    QProcess text;
    text.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    text.waitForFinished(30000);
    out.text = QString::fromUtf8(text.readAll());
    return out;
}

bool texInstalled()
{
    return !QStandardPaths::findExecutable(QStringLiteral("pdflatex")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty();
}

} // namespace

class TestTikz : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void presetFigures_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("cells");         // \node[logical cell ...]: one per element written
        QTest::addColumn<QString>("outcome");   // the banner's first word
        QTest::addColumn<QStringList>("words"); // what the compiled page says (values, outcome)
        QTest::newRow("transpose") << "transpose" << 12 << "COPY" << QStringList{"11", "COPY", "0B"};
        QTest::newRow("sliding_window") << "sliding_window" << 20 << "COPY" << QStringList{"COPY", "shared"};
        QTest::newRow("c_2d") << "c_2d" << 12 << "ALIAS" << QStringList{"ALIAS", "buf", "11"};
        QTest::newRow("pil_indirect")
            << "pil_indirect" << 12 << "COPY" << QStringList{"slot 2", "row 2 at", "pointers"};
        QTest::newRow("record_aligned") << "record_aligned" << 2 << "COPY" << QStringList{"COPY", "padding"};
        QTest::newRow("readonly_write")
            << "readonly_write" << 12 << "ERROR" << QStringList{"ERROR", "BufferError", "not writable"};
        // 12 tiles of 4 x 3: the first and last 4 tiles are written.
        QTest::newRow("five_d") << "five_d" << 8 * 12 << "COPY"
                                << QStringList{"[1, 1, 2, :, :]", "more tiles"};
    }
    void presetFigures()
    {
        QFETCH(QString, preset);
        QFETCH(int, cells);
        QFETCH(QString, outcome);
        QFETCH(QStringList, words);
        const QString tex = m_dir.filePath(preset + QStringLiteral(".tex"));
        const Run r = run({"render", "--preset", preset, "--out", tex});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString doc = readAll(tex);
        QVERIFY(doc.contains(QStringLiteral("\\documentclass[tikz,border=4pt]{standalone}")));
        QCOMPARE(count(doc, QStringLiteral("\\begin{tikzpicture}")), 1);
        QVERIFY(!doc.contains(QStringLiteral("\\includegraphics")));
        QCOMPARE(count(doc, QStringLiteral("\\node[logical cell, ")), cells);
        QVERIFY2(doc.contains(QStringLiteral("{\\bfseries %1 ").arg(outcome)), qPrintable(outcome));
        // Every style a cell uses is defined, with its colour.
        const QSet<QString> styles = usedStyles(doc);
        QVERIFY(styles.contains(QStringLiteral("el0")));
        for (const QString& s : styles) {
            QVERIFY2(doc.contains(QStringLiteral("  %1/.style={fill=%1").arg(s)), qPrintable(s));
            QVERIFY2(doc.contains(QStringLiteral("\\definecolor{%1}{RGB}").arg(s)), qPrintable(s));
        }
        if (preset == QLatin1String("transpose")) {
            // 12 bytes of source memory and 12 of the copy; element 4 is a[1, 1], value 5.
            QCOMPARE(count(doc, QStringLiteral("\\node[byte, ")), 24);
            QVERIFY(doc.contains(QStringLiteral("\\node[logical cell, el4] at (1.5,1.5) {5};")));
        }
        if (preset == QLatin1String("sliding_window")) // 8 bytes, every one shared by several elements
            QVERIFY(doc.contains(QStringLiteral(", shared] at")));
        if (preset ==
            QLatin1String("pil_indirect")) // one arrow per row of the pointer table (COPY: drawn once)
            QCOMPARE(count(doc, QStringLiteral("\\draw[pointer]")), 3);

        if (!texInstalled())
            QSKIP("pdflatex, pdfinfo or pdftotext is not installed: the figure is not compiled");
        const Compiled pdf = compile(m_dir.path(), preset);
        QVERIFY2(pdf.error.isEmpty(), qPrintable(pdf.error));
        QCOMPARE(pdf.pages, 1);
        for (const QString& w : words)
            QVERIFY2(pdf.text.contains(w), qPrintable(w + QStringLiteral(" not in:\n") + pdf.text));
    }

    // The app's own typography (the captions' arrows, dots, dashes, comparisons) becomes what
    // pdflatex's default fonts can set; anything else is named by its code point.
    void typographyBecomesLatex_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("latex");
        QTest::newRow("comparisons") << QStringLiteral("a \u2264 b \u2265 c \u2260 d")
                                     << QStringLiteral("a $\\le$ b $\\ge$ c $\\ne$ d");
        QTest::newRow("times and dot")
            << QStringLiteral("3\u00D74 \u00B7 2") << QStringLiteral("3$\\times$4 $\\cdot$ 2");
        QTest::newRow("dashes") << QStringLiteral("a\u2014b\u2013c-d") << QStringLiteral("a---b--c-{}d");
        QTest::newRow("dots") << QStringLiteral("x\u2026 \u22EF") << QStringLiteral("x\\dots{} $\\cdots$");
        QTest::newRow("arrows") << QStringLiteral("\u2192 \u2193 \u25B8")
                                << QStringLiteral("$\\rightarrow$ $\\downarrow$ $\\triangleright$");
        QTest::newRow("quotes")
            << QStringLiteral("\u2018a\u2019 \u201Cb\u201D 'c' \"d\" `e`")
            << QStringLiteral("`a' ``b'' \\textquotesingle{}c\\textquotesingle{} "
                              "\\textquotedbl{}d\\textquotedbl{} \\textasciigrave{}e\\textasciigrave{}");
        QTest::newRow("no-break space") << QStringLiteral("a\u00A0b") << QStringLiteral("a~b");
        QTest::newRow("comparison signs")
            << QStringLiteral("a<b>c|d") << QStringLiteral("a\\textless{}b\\textgreater{}c\\textbar{}d");
        QTest::newRow("other letters") << QStringLiteral("caf\u00E9") << QStringLiteral("caf{[}U+00E9{]}");
        QTest::newRow("control codes") << QStringLiteral("a\nb\tc") << QStringLiteral("a b c");
    }
    void typographyBecomesLatex()
    {
        QFETCH(QString, text);
        QFETCH(QString, latex);
        QCOMPARE(TikzPicture::escaped(text), latex);
    }

    // Text from the scenario (here an exception message, as an exporter may raise any) is LaTeX
    // text, never LaTeX code: the page shows it and nothing else happens.
    void hostileTextIsEscaped()
    {
        SyntheticReport::Spec spec;
        spec.shape = {3, 4};
        spec.readonly = true;
        spec.request.bufferType = ConversionRequest::BufferType::Write;
        const auto report = SyntheticReport::make(spec);
        QVERIFY(report->result.error);
        const std::string hostile = "boom \\end{document} \\input{/etc/passwd} \\\\[9cm] $x^2$ & # _ % ~ { } "
                                    "[opt] %1 \xc3\xa9 \xf0\x9f\x98\x80\n\\newpage\t\x01 end";
        report->result.error->message = hostile;
        report->prediction.errorMessage = hostile;
        const QString doc = TikzPicture::document(
            *report, ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result, Theme::light());
        QCOMPARE(count(doc, QStringLiteral("\\end{document}")), 1);
        QCOMPARE(count(doc, QStringLiteral("\\input")), 0);
        QCOMPARE(count(doc, QStringLiteral("\\newpage")), 0);
        QVERIFY2(doc.contains(QStringLiteral(
                     "boom \\textbackslash{}end\\{document\\} \\textbackslash{}input\\{/etc/"
                     "passwd\\} \\textbackslash{}\\textbackslash{}{[}9cm{]} \\$x\\textasciicircum"
                     "{}2\\$ \\& \\# \\_ \\% \\textasciitilde{} \\{ \\} {[}opt{]} \\%1")),
                 qPrintable(doc));
        QVERIFY(doc.contains(QStringLiteral("{[}U+1F600{]}")));

        const QString dir = m_dir.filePath(QStringLiteral("hostile"));
        QVERIFY(QDir().mkpath(dir));
        QFile file(dir + QStringLiteral("/hostile.tex"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(doc.toUtf8());
        file.close();
        if (!texInstalled())
            QSKIP("pdflatex, pdfinfo or pdftotext is not installed: the figure is not compiled");
        const Compiled pdf = compile(dir, QStringLiteral("hostile"));
        QVERIFY2(pdf.error.isEmpty(), qPrintable(pdf.error));
        QCOMPARE(pdf.pages, 1);
        const QString flat = pdf.text.simplified();
        for (const char* w : {"boom \\end{document} \\input{/etc/passwd}", "$x", "& #", "{ } [opt] %1",
                              "[U+1F600]", "\\newpage", "end"})
            QVERIFY2(flat.contains(QLatin1String(w)),
                     qPrintable(QStringLiteral("%1 not in:\n%2").arg(w, flat)));
    }

    // A 16384 x 16384 array gives a figure of a bounded number of nodes (CuTe's print_latex writes
    // every element: huge files, pdflatex out of memory). render says what it leaves out.
    void hugeArrayIsBounded()
    {
        const QString tex = m_dir.filePath(QStringLiteral("huge.tex"));
        const Run r = run({"render", "--expr", "np.zeros((16384, 16384), np.uint8)", "--out", tex}, 120000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(
            r.err.contains("note: logical view: a .tex figure writes at most 16 rows and 16 columns a tile"),
            r.err.constData());
        QVERIFY2(r.err.contains("note: memory view: a .tex figure writes at most 16 rows of 32 bytes"),
                 r.err.constData());
        const QString doc = readAll(tex);
        QVERIFY2(doc.size() < 200 * 1024, qPrintable(QString::number(doc.size())));
        // 16 x 16 cells: rows and columns 0-7 and 16376-16383, with a row and a column of dots.
        QCOMPARE(count(doc, QStringLiteral("\\node[logical cell, ")), 16 * 16);
        QVERIFY(doc.contains(QStringLiteral("\\node[index, anchor=south] at (16.5,0) {16383};")));
        QVERIFY(doc.contains(QStringLiteral("\\node[more] at (8.5,8.5) {$\\ddots$};")));
        // The memory strip and the result's (the same bytes): 8 rows at the start, 8 at the end, 32 bytes
        // each.
        QCOMPARE(count(doc, QStringLiteral("\\node[byte, ")), 2 * 16 * 32);
        QVERIFY(doc.contains(QStringLiteral("268,434,944 more bytes, +0x0100 to +0xFFFFF00")));

        if (!texInstalled())
            QSKIP("pdflatex, pdfinfo or pdftotext is not installed: the figure is not compiled");
        const Compiled pdf = compile(m_dir.path(), QStringLiteral("huge"));
        QVERIFY2(pdf.error.isEmpty(), qPrintable(pdf.error));
        QCOMPARE(pdf.pages, 1);
        QVERIFY2(pdf.text.contains(QStringLiteral("ALIAS")), qPrintable(pdf.text));
        QVERIFY2(pdf.text.contains(QStringLiteral("16 of 16,384 rows")), qPrintable(pdf.text));
    }

    void texTakesNoPixelOptions()
    {
        const Run r = run(
            {"render", "--preset", "c_2d", "--out", m_dir.filePath(QStringLiteral("x.tex")), "--scale", "2"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--size and --scale are for pictures in pixels, not a .tex figure"),
                 r.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.tex"))));
    }
};

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    TestTikz test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tikz.moc"
