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

void LogicalView::paintContent(QPainter& painter, const QRectF& visible)
{
    // Sticky indices follow the viewport, not the dirty rect: repaint them whole when scrolled.
    const LogicalPainter logical(*data(), theme(), zoom(), m_rowAxis, m_columnAxis);
    logical.paint(painter, visible, currentTarget(), cache());
    logical.paintStickyIndices(painter, QRectF(contentOffset(), QSizeF(viewport()->size())));
}

HighlightModel::Target LogicalView::targetAt(const QPointF& contentPoint) const
{
    return LogicalPainter(*data(), theme(), zoom(), m_rowAxis, m_columnAxis).targetAt(contentPoint);
}

} // namespace stridescope
