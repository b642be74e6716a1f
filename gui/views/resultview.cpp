#include "resultview.h"

#include <QPainter>

namespace stridescope {

ResultView::ResultView(InspectionState* state, HighlightModel* highlight, QWidget* parent) : ReportView(state, highlight, parent) {}

QSizeF ResultView::contentSize(double zoom, int) const { return QSizeF(400, 300) * zoom; }

void ResultView::paintContent(QPainter&, const QRectF&) {}

HighlightModel::Target ResultView::targetAt(const QPointF&) const { return {}; }

} // namespace stridescope
