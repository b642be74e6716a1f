#include "memorystripview.h"

#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"

#include <QPainter>
#include <QScrollBar>

namespace stridescope {

namespace {
constexpr double fitLimit = 1.5;
}

MemoryStripView::MemoryStripView(InspectionState* state, HighlightModel* highlight, QWidget* parent)
    : ReportView(state, highlight, parent)
{
    setWhatsThis(
        tr("The source's memory block, byte by byte, each byte tinted with the element that uses it."));
}

QSizeF MemoryStripView::contentSize(double zoom, int viewportWidth) const
{
    if (!data())
        return {};
    return MemoryStripPainter(*data(), theme(), zoom, viewportWidth, {}).size();
}

double MemoryStripView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return MemoryStripPainter::fitZoom(*data(), theme(), QSizeF(viewport), {}, fitLimit);
}

void MemoryStripView::paintContent(QPainter& painter, const QRectF& visible)
{
    MemoryStripPainter(*data(), theme(), zoom(), viewport()->width(), {})
        .paint(painter, visible, currentTarget(), cache());
}

HighlightModel::Target MemoryStripView::targetAt(const QPointF& contentPoint) const
{
    return MemoryStripPainter(*data(), theme(), zoom(), viewport()->width(), {}).targetAt(contentPoint);
}

} // namespace stridescope
