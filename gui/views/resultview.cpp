#include "resultview.h"

#include "gui/painting/reportdata.h"
#include "gui/painting/resultpainter.h"

#include <QPainter>

namespace stridescope {

namespace {
constexpr double fitLimit = 1.5;
}

ResultView::ResultView(InspectionState* state, HighlightModel* highlight, QWidget* parent)
    : ReportView(state, highlight, parent)
{
    setWhatsThis(
        tr("What PyMemoryView_GetContiguous returned: the same memory, a new bytes object, or an error."));
}

void ResultView::setExplanationVisible(bool visible)
{
    if (visible == m_explain)
        return;
    m_explain = visible;
    contentChanged();
}

QSizeF ResultView::contentSize(double zoom, int viewportWidth) const
{
    if (!data())
        return {};
    return ResultPainter(*data(), theme(), zoom, viewportWidth, m_explain).size();
}

double ResultView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return ResultPainter::fitZoom(*data(), theme(), QSizeF(viewport), fitLimit, m_explain);
}

void ResultView::paintContent(QPainter& painter, const QRectF& visible)
{
    ResultPainter(*data(), theme(), zoom(), viewport()->width(), m_explain)
        .paint(painter, visible, currentTarget(), cache());
}

HighlightModel::Target ResultView::targetAt(const QPointF& contentPoint) const
{
    return ResultPainter(*data(), theme(), zoom(), viewport()->width(), m_explain).targetAt(contentPoint);
}

} // namespace stridescope
