#include "imageexporter.h"

#include "pyhost/inspectionreport.h"

#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace stridescope {

QString ImageExporter::fileFilter()
{
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QImage ImageExporter::image(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                            double scale)
{
    const QSize size = ReportPicture::preferredSize(report, views, theme);
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale); // sharp on paper and on high-DPI screens
    image.fill(theme.background());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    ReportPicture::paint(painter, QRectF(QPointF(0, 0), QSizeF(size)), report, views, theme);
    return image;
}

bool ImageExporter::write(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                          const Theme& theme, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize size = ReportPicture::preferredSize(report, views, theme);
    const QRectF target(QPointF(0, 0), QSizeF(size));
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (suffix == QLatin1String("png")) {
        if (!image(report, views, theme).save(path, "PNG"))
            return fail(QObject::tr("cannot write the PNG %1").arg(path));
        return true;
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(target);
        svg.setTitle(QObject::tr("Stridescope: PyMemoryView_GetContiguous(obj, %1)")
                         .arg(QString::fromStdString(report.request.cExpression())));
        svg.setDescription(QObject::tr("Drawn by Stridescope"));
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(QObject::tr("cannot write the SVG %1").arg(path));
        painter.fillRect(target, theme.background());
        ReportPicture::paint(painter, target, report, views, theme);
        painter.end();
        return QFileInfo(path).size() > 0 ? true : fail(QObject::tr("the SVG %1 came out empty").arg(path));
    }
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setCreator(QStringLiteral("Stridescope"));
        pdf.setResolution(96); // one picture pixel is one screen pixel
        pdf.setPageLayout(QPageLayout(QPageSize(QSizeF(size) * 72.0 / 96.0, QPageSize::Point),
                                      QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter painter;
        if (!painter.begin(&pdf))
            return fail(QObject::tr("cannot write the PDF %1").arg(path));
        const QRectF page = QRectF(QPointF(0, 0), QSizeF(pdf.width(), pdf.height()));
        painter.fillRect(page, theme.background());
        ReportPicture::paint(painter, page, report, views, theme);
        painter.end();
        return true;
    }
    return fail(QObject::tr("unknown image type '.%1': use .png, .svg or .pdf").arg(suffix));
}

} // namespace stridescope
