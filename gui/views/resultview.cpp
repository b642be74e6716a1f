#include "resultview.h"

#include "gui/painting/reportdata.h"
#include "gui/painting/resultpainter.h"

#include <QPainter>

#include <algorithm>

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

void ResultView::setBytesPerRow(ByteCount bytesPerRow)
{
    if (bytesPerRow == m_bytesPerRow)
        return;
    m_bytesPerRow = bytesPerRow;
    contentChanged();
}

std::pair<double, int> ResultView::ownSpace() const
{
    const int width = viewport()->width();
    if (!data() || !isFitted())
        return {zoom(), width};
    return {
        std::clamp(ResultPainter::fitZoom(*data(), theme(), QSizeF(viewport()->size()), fitLimit, m_explain),
                   minimumZoom, maximumZoom),
        width};
}

QSizeF ResultView::contentSize(double zoom, int viewportWidth) const
{
    if (!data())
        return {};
    return ResultPainter(*data(), theme(), zoom, viewportWidth, m_explain, m_bytesPerRow).size();
}

double ResultView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return ResultPainter::fitZoom(*data(), theme(), QSizeF(viewport), fitLimit, m_explain, m_bytesPerRow);
}

void ResultView::paintContent(QPainter& painter, const QRectF& visible)
{
    this->painter().paint(painter, visible, currentTarget(), cache());
}

HighlightModel::Target ResultView::targetAt(const QPointF& contentPoint) const
{
    return painter().targetAt(contentPoint);
}

ResultPainter ResultView::painter() const
{
    return ResultPainter(*data(), theme(), zoom(), viewport()->width(), m_explain, m_bytesPerRow);
}

} // namespace stridescope
