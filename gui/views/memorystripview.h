#pragma once

#include "reportview.h"

namespace stridescope {

// The source memory block as a hex-editor-like strip wrapped into rows: each element's bytes tinted
// with its colour, gaps neutral, overlaps hatched, `buf` marked, PIL-style pointer tables with arrows.
class MemoryStripView : public ReportView
{
    Q_OBJECT

public:
    explicit MemoryStripView(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);

protected:
    QSizeF contentSize(double zoom, int viewportWidth) const override;
    double fitZoom(const QSize& viewport) const override;
    void paintContent(QPainter& painter, const QRectF& visible) override;
    HighlightModel::Target targetAt(const QPointF& contentPoint) const override;
};

} // namespace stridescope
