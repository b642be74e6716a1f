#pragma once

#include "gui/painting/logicalpainter.h"
#include "reportview.h"

namespace stridescope {

// The logical view: what Python indexes. 1-D a row of cells, 2-D a grid, 3-D and up a grid of 2-D
// tiles (the other axes fixed per tile). Each cell shows its value; its colour is its C-order position.
class LogicalView : public ReportView
{
    Q_OBJECT

public:
    explicit LogicalView(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);

    // For ndim >= 3: which two axes form each 2-D tile (rows, columns). Invalid pairs fall back to
    // the last two axes.
    void setTileAxes(int rowAxis, int columnAxis);
    int tileRowAxis() const { return m_rowAxis; }
    int tileColumnAxis() const { return m_columnAxis; }

    // The painter the view draws with now (its zoom, width and options); needs a report.
    LogicalPainter painter() const;

protected:
    QSizeF contentSize(double zoom, int viewportWidth) const override;
    double fitZoom(const QSize& viewport) const override;
    QPointF zoomedPoint(const QPointF& contentPoint, double from, double to) const override;
    void paintContent(QPainter& painter, const QRectF& visible) override;
    HighlightModel::Target targetAt(const QPointF& contentPoint) const override;

private:
    int m_rowAxis = -1;    // -1: the default (second to last axis)
    int m_columnAxis = -1; // -1: the default (last axis)
};

} // namespace stridescope
