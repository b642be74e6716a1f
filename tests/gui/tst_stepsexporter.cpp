#include "core/copysteps.h"
#include "deterministicpixels.h"
#include "gui/painting/stepsexporter.h"
#include "gui/style/theme.h"
#include "tests/support/svgtimeline.h"
#include "tests/support/syntheticreport.h"

#include <QBuffer>
#include <QFile>
#include <QPainter>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

using namespace stridescope;

namespace {

constexpr ReportPicture::Views views = ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result;

std::shared_ptr<InspectionReport> copyOf(std::vector<Extent> shape, std::vector<ByteOffset> strides)
{
    SyntheticReport::Spec spec;
    spec.format = "B";
    spec.shape = std::move(shape);
    spec.strides = std::move(strides);
    return SyntheticReport::make(spec);
}

QImage rendered(const QByteArray& svg)
{
    QSvgRenderer renderer(svg);
    if (!renderer.isValid())
        return {};
    QImage image(renderer.defaultSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    renderer.render(&painter);
    return image;
}

// One page as the PDF draws it, written on its own by QSvgGenerator: the step's element highlighted.
QByteArray page(const InspectionReport& report, const Theme& theme, const QString& caption,
                ElementIndex element)
{
    const QSizeF frame = StepsExporter::frameSize(report, views, theme);
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(frame.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), frame));
    QPainter painter(&generator);
    StepsExporter::paintFrame(painter, frame, report, views, theme, caption,
                              HighlightModel::Target{element, HighlightModel::Region::None, -1});
    painter.end();
    return svg;
}

} // namespace

class TestStepsExporter : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Theme m_theme = Theme::light();

    QByteArray write(const InspectionReport& report, int frameMs)
    {
        const QString path = m_dir.filePath(QStringLiteral("steps.svg"));
        QString error;
        if (!StepsExporter::writeSvg(path, report, views, m_theme, &error, {}, frameMs))
            qWarning("%s", qPrintable(error));
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    // The transpose of a 3x4 array: at the time of frame k a browser shows exactly the PDF's page k,
    // the picture with CopySteps' step k highlighted under its caption, and after the last the first.
    void eachFrameIsItsStepsPage()
    {
        const auto report = copyOf({4, 3}, {1, 4});
        const CopySteps steps(report->sourceLayout, *report->result.layout);
        QCOMPARE(steps.count(), ElementIndex(12));
        const int frameMs = 250;
        const QByteArray svg = write(*report, frameMs);
        QVERIFY(!svg.isEmpty());
        QVERIFY(QSvgRenderer(svg).isValid());

        QString problem;
        const auto animations = testsvg::animations(svg, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!animations.empty());
        for (const auto& animation : animations) {
            QCOMPARE(animation.attribute, QStringLiteral("visibility"));
            QCOMPARE(animation.calcMode, QStringLiteral("discrete"));
            QCOMPARE(animation.repeatCount, QStringLiteral("indefinite"));
            QCOMPARE(animation.durationMs, 12.0 * frameMs);
        }

        for (ElementIndex k = 0; k < steps.count(); ++k) {
            const CopySteps::Step step = steps.at(k);
            const QByteArray frame = testsvg::frameAt(svg, (k + 0.5) * frameMs);
            const QStringList texts = testsvg::visibleTexts(frame);
            QVERIFY(!texts.isEmpty());
            QVERIFY2(texts.first().startsWith(QStringLiteral("step %1 of 12 · ").arg(k + 1)) &&
                         texts.first().endsWith(QStringLiteral("source offset %1 → result offset %2")
                                                    .arg(*step.source)
                                                    .arg(step.result)),
                     qPrintable(texts.first()));
            const QImage shown = rendered(frame);
            QVERIFY(!shown.isNull());
            const QImage expected =
                rendered(page(*report, m_theme, StepsExporter::caption(steps, k, k + 1), step.step));
            QVERIFY2(shown == expected,
                     qPrintable(QStringLiteral("frame %1 is not step %1's page").arg(k + 1)));
            if (k + 1 < steps.count()) // the comparison tells elements apart
                QVERIFY(shown != rendered(page(*report, m_theme, StepsExporter::caption(steps, k, k + 1),
                                               steps.at(k + 1).step)));
        }
        // It loops, and a renderer that plays no animation shows frame 1.
        QCOMPARE(testsvg::visibleTexts(testsvg::frameAt(svg, 12.5 * frameMs)),
                 testsvg::visibleTexts(testsvg::frameAt(svg, 0.5 * frameMs)));
        QCOMPARE(testsvg::visibleTexts(svg), testsvg::visibleTexts(testsvg::frameAt(svg, 0.5 * frameMs)));
    }

    // 100 steps take 64 frames, frame f the block [100f/64, 100(f+1)/64) highlighting its first, as
    // the PDF's pages; the constant picture is written once, so the file is not 64 pictures.
    void pastSixtyFourStepsAFrameIsABlock()
    {
        const auto report = copyOf({10, 10}, {1, 10});
        const CopySteps steps(report->sourceLayout, *report->result.layout);
        const QByteArray svg = write(*report, 500);
        QVERIFY(!svg.isEmpty());
        QStringList captions;
        for (int f = 0; f < 64; ++f)
            captions << testsvg::visibleTexts(testsvg::frameAt(svg, (f + 0.5) * 500)).value(0);
        QCOMPARE(captions.size(), 64);
        QCOMPARE(captions.removeDuplicates(), 0);
        QVERIFY2(captions[1].startsWith(QStringLiteral("steps 2–3 of 100, first: element [0, 1]")),
                 qPrintable(captions[1]));
        QVERIFY(captions[63].startsWith(QStringLiteral("steps 99–100 of 100, first: element [9, 8]")));
        for (int f : {0, 1, 37, 63}) {
            const ElementIndex first = ElementIndex(100 * f / 64);
            QVERIFY(rendered(testsvg::frameAt(svg, (f + 0.5) * 500)) ==
                    rendered(page(*report, m_theme, captions[f], steps.at(first).step)));
        }
        const QByteArray one = page(*report, m_theme, captions[0], 0);
        QVERIFY2(svg.size() < 4 * one.size(),
                 qPrintable(QStringLiteral("%1 bytes for 64 frames of %2").arg(svg.size()).arg(one.size())));
    }

    void nothingCopiedWritesNothing()
    {
        const auto alias = copyOf({3, 4}, {});
        const QString path = m_dir.filePath(QStringLiteral("alias.svg"));
        QString error;
        QVERIFY(!StepsExporter::writeSvg(path, *alias, views, m_theme, &error));
        QCOMPARE(error,
                 QStringLiteral(
                     "nothing is copied: the result aliases the source, so there are no steps to draw"));
        QVERIFY(!QFile::exists(path));
    }
};

int main(int argc, char** argv)
{
    return runWithDeterministicPixels<TestStepsExporter>(argc, argv);
}

#include "tst_stepsexporter.moc"
