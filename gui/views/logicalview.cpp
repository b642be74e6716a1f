#include "logicalview.h"

#include "gui/painting/logicalpainter.h"
#include "gui/painting/reportdata.h"

#include <QPainter>

namespace stridescope {

namespace {
constexpr double fitLimit = 2.0; // small arrays may grow past 1:1 to fill the view
}

LogicalView::LogicalView(InspectionState* state, HighlightModel* highlight, QWidget* parent)
    : ReportView(state, highlight, parent)
{
    setWhatsThis(tr("What Python indexes: one cell per element, coloured by its place in C order."));
}

void LogicalView::setTileAxes(int rowAxis, int columnAxis)
{
    if (rowAxis == m_rowAxis && columnAxis == m_columnAxis)
        return;
    m_rowAxis = rowAxis;
    m_columnAxis = columnAxis;
    contentChanged();
}

QSizeF LogicalView::contentSize(double zoom, int) const
{
    if (!data())
        return {};
    return LogicalPainter(*data(), theme(), zoom, m_rowAxis, m_columnAxis).size();
}

double LogicalView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return LogicalPainter::fitZoom(*data(), theme(), QSizeF(viewport), m_rowAxis, m_columnAxis, fitLimit);
}

QPointF LogicalView::zoomedPoint(const QPointF& contentPoint, double from, double to) const
{
    if (!data())
        return ReportView::zoomedPoint(contentPoint, from, to);
    // Cells zoom, labels and gaps do not: the same spot of the same cell (or of the nearest cell
    // across and down, for a point in a gutter or gap).
    const LogicalGridGeometry before =
        LogicalPainter(*data(), theme(), from, m_rowAxis, m_columnAxis).geometry();
    const LogicalGridGeometry after =
        LogicalPainter(*data(), theme(), to, m_rowAxis, m_columnAxis).geometry();
    const auto index = before.indexAt(contentPoint);
    if (!index)
        return ReportView::zoomedPoint(contentPoint, from, to);
    const QRectF cell = before.cellRect(*index), moved = after.cellRect(*index);
    return {moved.left() + (contentPoint.x() - cell.left()) / cell.width() * moved.width(),
            moved.top() + (contentPoint.y() - cell.top()) / cell.height() * moved.height()};
}

void LogicalView::paintContent(QPainter& painter, const QRectF& visible)
{
    // Sticky indices follow the viewport, not the dirty rect: repaint them whole when scrolled.
    const LogicalPainter logical = this->painter();
    logical.paint(painter, visible, currentTarget(), cache());
    logical.paintStickyIndices(painter, QRectF(contentOffset(), QSizeF(viewport()->size())));
}

HighlightModel::Target LogicalView::targetAt(const QPointF& contentPoint) const
{
    return painter().targetAt(contentPoint);
}

LogicalPainter LogicalView::painter() const
{
    return LogicalPainter(*data(), theme(), zoom(), m_rowAxis, m_columnAxis);
}

} // namespace stridescope
