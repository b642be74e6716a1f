#include "logicalview.h"

#include <QPainter>

namespace stridescope {

LogicalView::LogicalView(InspectionState* state, HighlightModel* highlight, QWidget* parent) : ReportView(state, highlight, parent) {}

QSizeF LogicalView::contentSize(double zoom, int) const { return QSizeF(400, 300) * zoom; }

void LogicalView::paintContent(QPainter&, const QRectF&) {}

void LogicalView::setTileAxes(int rowAxis, int columnAxis)
{
    m_rowAxis = rowAxis;
    m_columnAxis = columnAxis;
    viewport()->update();
}

HighlightModel::Target LogicalView::targetAt(const QPointF&) const { return {}; }

} // namespace stridescope
