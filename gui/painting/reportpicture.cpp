#include "reportpicture.h"

#include "pyhost/inspectionreport.h"

#include <QPainter>

namespace stridescope {

QSize ReportPicture::preferredSize(const InspectionReport&, Views, const Theme&) { return {800, 600}; }

void ReportPicture::paint(QPainter& painter, const QRectF& target, const InspectionReport&, Views, const Theme& theme,
                          const HighlightModel::Target&)
{
    painter.fillRect(target, theme.background());
}

} // namespace stridescope
