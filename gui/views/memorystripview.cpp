#include "memorystripview.h"

#include <QPainter>

namespace stridescope {

MemoryStripView::MemoryStripView(InspectionState* state, HighlightModel* highlight, QWidget* parent) : ReportView(state, highlight, parent) {}

QSizeF MemoryStripView::contentSize(double zoom, int) const { return QSizeF(400, 300) * zoom; }

void MemoryStripView::paintContent(QPainter&, const QRectF&) {}

HighlightModel::Target MemoryStripView::targetAt(const QPointF&) const { return {}; }

} // namespace stridescope
