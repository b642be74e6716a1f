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

QSizeF ResultView::contentSize(double zoom, int viewportWidth) const
{
    if (!data())
        return {};
    return ResultPainter(*data(), theme(), zoom, viewportWidth).size();
}

double ResultView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return ResultPainter::fitZoom(*data(), theme(), QSizeF(viewport), fitLimit);
}

void ResultView::paintContent(QPainter& painter, const QRectF& visible)
{
    ResultPainter(*data(), theme(), zoom(), viewport()->width())
        .paint(painter, visible, currentTarget(), cache());
}

HighlightModel::Target ResultView::targetAt(const QPointF& contentPoint) const
{
    return ResultPainter(*data(), theme(), zoom(), viewport()->width()).targetAt(contentPoint);
}

} // namespace stridescope
