#pragma once

#include "reportpicture.h"

#include <QImage>
#include <QString>

namespace stridescope {

struct InspectionReport;

// Pictures of a report for files and the clipboard, painted by ReportPicture, the painters the
// views use: PNG (QImage), SVG (QSvgGenerator) and PDF (QPdfWriter), chosen by the file's suffix.
class ImageExporter
{
public:
    ImageExporter() = delete;

    static constexpr ReportPicture::Views allViews = ReportPicture::Views(
        ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result | ReportPicture::Inspector);

    // `size` is in logical pixels (empty: the picture's preferred size); `scale` multiplies the
    // pixels of a PNG (2 for high-DPI screens and paper). A picture past PictureLimits is drawn at
    // the largest size of its shape that fits them.
    static QImage image(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                        double scale = 2.0, QSize size = {});
    // Writes `path` (.png, .svg or .pdf) whole or not at all (a failed write leaves no partial file);
    // on failure `error` says why.
    static bool write(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                      const Theme& theme, QString* error = nullptr, QSize size = {}, double scale = 2.0);
    // The picture a report makes: a comparison's two objects side by side (ComparisonPicture), else
    // the chosen views (ReportPicture). Its preferred size, what it leaves out, and the painting.
    static QSize preferredSize(const InspectionReport& report, ReportPicture::Views views,
                               const Theme& theme);
    static QStringList notes(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                             QSize size);
    static void paint(QPainter& painter, const QRectF& target, const InspectionReport& report,
                      ReportPicture::Views views, const Theme& theme);
    // "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
    static QString fileFilter();
};

} // namespace stridescope
