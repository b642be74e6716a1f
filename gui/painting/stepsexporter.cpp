#include "stepsexporter.h"

#include "animatedsvg.h"

#include "picturelimits.h"
#include "pyhost/inspectionreport.h"
#include "reporttext.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <optional>

namespace stridescope {

CopySteps StepsExporter::stepsOf(const InspectionReport& report)
{
    if (report.result.outcome != ConversionPrediction::Outcome::Copy || !report.result.layout)
        return {};
    return CopySteps(report.sourceLayout, *report.result.layout);
}

std::pair<ElementIndex, ElementIndex> StepsExporter::pageSteps(ElementIndex count, int page, int pages)
{
    const auto at = [&](int p) { return ElementIndex(__int128(count) * p / pages); };
    return {at(page), at(page + 1)};
}

QString StepsExporter::caption(const CopySteps& steps, ElementIndex first, ElementIndex end)
{
    const QString one = ReportText::stepCaption(steps.at(first), steps.count());
    if (end - first <= 1)
        return one;
    const QLocale c = QLocale::c();
    return QObject::tr("steps %1–%2 of %3, first: %4")
        .arg(c.toString(qlonglong(first + 1)), c.toString(qlonglong(end)),
             c.toString(qlonglong(steps.count())), one.section(QStringLiteral(" · "), 1));
}

QString StepsExporter::nothingToCopy(const InspectionReport& report)
{
    if (report.result.outcome == ConversionPrediction::Outcome::Alias)
        return QObject::tr("nothing is copied: the result aliases the source, so there are no steps to draw");
    if (report.result.outcome == ConversionPrediction::Outcome::Error)
        return QObject::tr("nothing is copied: the call raised an error, so there are no steps to draw");
    return QObject::tr("nothing is copied: the source has no elements, so there are no steps to draw");
}

int StepsExporter::frameCount(const CopySteps& steps)
{
    return int(std::min<ElementIndex>(steps.count(), maxPages));
}

QSizeF StepsExporter::frameSize(const InspectionReport& report, ReportPicture::Views views,
                                const Theme& theme, QSize size)
{
    if (size.isEmpty())
        size = ReportPicture::preferredSize(report, views, theme);
    size = PictureLimits::capped(size, 1.0);
    return QSizeF(size.width(), size.height() + captionBand(theme));
}

double StepsExporter::captionBand(const Theme& theme)
{
    // One line of the title font, with a margin.
    return std::ceil(QFontMetricsF(theme.titleFont()).height() * 2);
}

void StepsExporter::paintFrame(QPainter& painter, const QSizeF& frame, const InspectionReport& report,
                               ReportPicture::Views views, const Theme& theme, const QString& caption,
                               const HighlightModel::Target& highlight)
{
    const double band = captionBand(theme);
    const double line = QFontMetricsF(theme.titleFont()).height();
    const QRectF whole(QPointF(0, 0), frame);
    painter.fillRect(whole, theme.background());
    if (!caption.isEmpty()) {
        painter.setFont(theme.titleFont());
        painter.setPen(theme.text());
        painter.drawText(QRectF(line / 2, 0, whole.width() - line, band), Qt::AlignLeft | Qt::AlignVCenter,
                         caption);
    }
    ReportPicture::paint(painter, QRectF(0, band, whole.width(), whole.height() - band), report, views, theme,
                         highlight);
}

namespace {

// Sets the error (one line), when one is asked for.
bool failWith(QString* error, const QString& why)
{
    if (error)
        *error = why;
    return false;
}

// The title both files carry.
QString stepsTitle(const InspectionReport& report)
{
    return QObject::tr("Stridescope: the steps of %1")
        .arg(QString::fromStdString(report.request().callText()));
}

// What both writers start from: the copy's steps and the size of a frame (a page).
struct StepFrames
{
    CopySteps steps;
    QSizeF size;
};

// The steps and frame size, or none with the one-line reason in `error` when nothing is copied.
std::optional<StepFrames> stepFrames(const InspectionReport& report, ReportPicture::Views views,
                                     const Theme& theme, QSize size, QString* error)
{
    CopySteps steps = StepsExporter::stepsOf(report);
    if (steps.isEmpty()) {
        failWith(error, StepsExporter::nothingToCopy(report));
        return std::nullopt;
    }
    return StepFrames{std::move(steps), StepsExporter::frameSize(report, views, theme, size)};
}

} // namespace

bool StepsExporter::writePdf(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                             const Theme& theme, QString* error, QSize size)
{
    const auto start = stepFrames(report, views, theme, size, error);
    if (!start)
        return false;
    const CopySteps& steps = start->steps;
    const QSizeF page = start->size;

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failWith(error, QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    {
        QPdfWriter pdf(&file);
        pdf.setCreator(QStringLiteral("Stridescope"));
        pdf.setTitle(stepsTitle(report));
        pdf.setResolution(96); // one picture pixel is one screen pixel
        pdf.setPageLayout(QPageLayout(QPageSize(page * 72.0 / 96.0, QPageSize::Point), QPageLayout::Portrait,
                                      QMarginsF(0, 0, 0, 0)));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            file.cancelWriting();
            return failWith(error, QObject::tr("cannot write the PDF %1").arg(path));
        }
        const int pages = frameCount(steps);
        for (int p = 0; p < pages; ++p) {
            if (p > 0)
                pdf.newPage();
            const auto [first, end] = pageSteps(steps.count(), p, pages);
            paintFrame(painter, QSizeF(pdf.width(), pdf.height()), report, views, theme,
                       caption(steps, first, end),
                       HighlightModel::Target{first, HighlightModel::Region::None, -1});
        }
        painter.end();
    }
    if (!file.commit())
        return failWith(error, QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

bool StepsExporter::writeSvg(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                             const Theme& theme, QString* error, QSize size, int frameMs)
{
    const auto start = stepFrames(report, views, theme, size, error);
    if (!start)
        return false;
    const CopySteps& steps = start->steps;
    const QSizeF frame = start->size;
    const int count = frameCount(steps);
    const QString title = stepsTitle(report);
    // Each frame as QSvgGenerator writes it; the base is the picture with no caption and no highlight.
    const auto draw = [&](const QString& text, const HighlightModel::Target& highlight) {
        QByteArray svg;
        QBuffer buffer(&svg);
        buffer.open(QIODevice::WriteOnly);
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(frame.toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), frame));
        generator.setTitle(title);
        generator.setDescription(
            QObject::tr("Drawn by Stridescope: the copy in %1 frames, looping").arg(count));
        QPainter painter;
        if (!painter.begin(&generator))
            return QByteArray();
        paintFrame(painter, frame, report, views, theme, text, highlight);
        painter.end();
        return svg;
    };
    const QByteArray base = draw(QString(), HighlightModel::Target{});
    QList<QByteArray> frames;
    for (int f = 0; f < count; ++f) {
        const auto [first, end] = pageSteps(steps.count(), f, count);
        frames << draw(caption(steps, first, end),
                       HighlightModel::Target{first, HighlightModel::Region::None, -1});
    }
    QString why;
    const QByteArray animated = AnimatedSvg::assemble(base, frames, frameMs, &why);
    if (animated.isEmpty())
        return failWith(error, why);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(animated) != animated.size() || !file.commit())
        return failWith(error, QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

} // namespace stridescope
