#include "stepsexporter.h"

#include "gui/painting/picturelimits.h"
#include "gui/panels/copystepplayer.h"
#include "pyhost/inspectionreport.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>

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
    const QString one = CopyStepPlayer::describe(steps.at(first), steps.count());
    if (end - first <= 1)
        return one;
    const QLocale c = QLocale::c();
    return QObject::tr("steps %1–%2 of %3, first: %4")
        .arg(c.toString(qlonglong(first + 1)), c.toString(qlonglong(end)),
             c.toString(qlonglong(steps.count())), one.section(QStringLiteral(" · "), 1));
}

bool StepsExporter::writePdf(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                             const Theme& theme, QString* error, QSize size)
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    const CopySteps steps = stepsOf(report);
    if (steps.isEmpty()) {
        if (report.result.outcome == ConversionPrediction::Outcome::Alias)
            return fail(QObject::tr(
                "nothing is copied: the result aliases the source, so there are no steps to draw"));
        if (report.result.outcome == ConversionPrediction::Outcome::Error)
            return fail(
                QObject::tr("nothing is copied: the call raised an error, so there are no steps to draw"));
        return fail(
            QObject::tr("nothing is copied: the source has no elements, so there are no steps to draw"));
    }
    if (size.isEmpty())
        size = ReportPicture::preferredSize(report, views, theme);
    size = PictureLimits::capped(size, 1.0);
    // The caption band above the picture: one line of the title font, with a margin.
    const QFontMetricsF metrics(theme.titleFont());
    const double band = std::ceil(metrics.height() * 2);
    const QSizeF page(size.width(), size.height() + band);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    {
        QPdfWriter pdf(&file);
        pdf.setCreator(QStringLiteral("Stridescope"));
        pdf.setTitle(QObject::tr("Stridescope: the steps of %1")
                         .arg(QString::fromStdString(report.request.callText())));
        pdf.setResolution(96); // one picture pixel is one screen pixel
        pdf.setPageLayout(QPageLayout(QPageSize(page * 72.0 / 96.0, QPageSize::Point), QPageLayout::Portrait,
                                      QMarginsF(0, 0, 0, 0)));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            file.cancelWriting();
            return fail(QObject::tr("cannot write the PDF %1").arg(path));
        }
        const int pages = int(std::min<ElementIndex>(steps.count(), maxPages));
        for (int p = 0; p < pages; ++p) {
            if (p > 0)
                pdf.newPage();
            const auto [first, end] = pageSteps(steps.count(), p, pages);
            const QRectF whole(QPointF(0, 0), QSizeF(pdf.width(), pdf.height()));
            painter.fillRect(whole, theme.background());
            painter.setFont(theme.titleFont());
            painter.setPen(theme.text());
            painter.drawText(QRectF(metrics.height() / 2, 0, whole.width() - metrics.height(), band),
                             Qt::AlignLeft | Qt::AlignVCenter, caption(steps, first, end));
            ReportPicture::paint(painter, QRectF(0, band, whole.width(), whole.height() - band), report,
                                 views, theme,
                                 HighlightModel::Target{first, HighlightModel::Region::None, -1});
        }
        painter.end();
    }
    if (!file.commit())
        return fail(QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

} // namespace stridescope
