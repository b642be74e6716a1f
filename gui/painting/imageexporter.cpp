#include "imageexporter.h"

#include "comparisonpicture.h"
#include "picturelimits.h"
#include "pyhost/inspectionreport.h"

#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace stridescope {

namespace {

// A comparison scenario draws both objects side by side (ComparisonPicture); any other, its views.
std::shared_ptr<const InspectionReport> borrowed(const InspectionReport& report)
{
    return std::shared_ptr<const InspectionReport>(&report, [](const InspectionReport*) {});
}

} // namespace

QSize ImageExporter::preferredSize(const InspectionReport& report, ReportPicture::Views views,
                                   const Theme& theme)
{
    if (ComparisonPicture::applies(report))
        return PictureLimits::capped(ComparisonPicture(borrowed(report), views, theme).preferredSize(), 1.0);
    return ReportPicture::preferredSize(report, views, theme);
}

QStringList ImageExporter::notes(const InspectionReport& report, ReportPicture::Views views,
                                 const Theme& theme, QSize size)
{
    if (ComparisonPicture::applies(report))
        return ComparisonPicture(borrowed(report), views, theme).notes();
    return ReportPicture::notes(report, views, theme, size);
}

void ImageExporter::paint(QPainter& painter, const QRectF& target, const InspectionReport& report,
                          ReportPicture::Views views, const Theme& theme)
{
    if (ComparisonPicture::applies(report))
        ComparisonPicture(borrowed(report), views, theme).paint(painter, target);
    else
        ReportPicture::paint(painter, target, report, views, theme);
}

QString ImageExporter::fileFilter()
{
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QImage ImageExporter::image(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                            double scale, QSize size)
{
    if (size.isEmpty())
        size = preferredSize(report, views, theme);
    size = PictureLimits::capped(size, scale);
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    image.setDevicePixelRatio(scale); // sharp on paper and on high-DPI screens
    image.fill(theme.background());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)), report, views, theme);
    return image;
}

bool ImageExporter::write(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                          const Theme& theme, QString* error, QSize size, double scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (size.isEmpty())
        size = preferredSize(report, views, theme);
    size = PictureLimits::capped(size, suffix == QLatin1String("png") ? scale : 1.0);
    const QRectF target(QPointF(0, 0), QSizeF(size));
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return fail(QObject::tr("unknown image type '.%1': use .png, .svg or .pdf").arg(suffix));
    // Everything goes to a temporary file first, renamed over `path` only when complete.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    const auto commit = [&]() {
        if (!file.commit())
            return fail(QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
        return true;
    };
    if (suffix == QLatin1String("png")) {
        const QImage picture = image(report, views, theme, scale, size);
        if (picture.isNull() || !picture.save(&file, "PNG")) {
            file.cancelWriting();
            return fail(QObject::tr("cannot write the PNG %1").arg(path));
        }
        return commit();
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(target);
        svg.setTitle(QObject::tr("Stridescope: %1").arg(QString::fromStdString(report.request().callText())));
        svg.setDescription(QObject::tr("Drawn by Stridescope"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            file.cancelWriting();
            return fail(QObject::tr("cannot write the SVG %1").arg(path));
        }
        painter.fillRect(target, theme.background());
        paint(painter, target, report, views, theme);
        painter.end();
        return commit();
    }
    {
        QPdfWriter pdf(&file);
        pdf.setCreator(QStringLiteral("Stridescope"));
        pdf.setResolution(96); // one picture pixel is one screen pixel
        pdf.setPageLayout(QPageLayout(QPageSize(QSizeF(size) * 72.0 / 96.0, QPageSize::Point),
                                      QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            file.cancelWriting();
            return fail(QObject::tr("cannot write the PDF %1").arg(path));
        }
        const QRectF page = QRectF(QPointF(0, 0), QSizeF(pdf.width(), pdf.height()));
        painter.fillRect(page, theme.background());
        paint(painter, page, report, views, theme);
        painter.end();
    }
    return commit();
}

} // namespace stridescope
