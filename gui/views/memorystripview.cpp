#include "memorystripview.h"

#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"

#include <QPainter>
#include <QScrollBar>

#include <algorithm>

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

void MemoryStripView::setBytesPerRow(ByteCount bytesPerRow)
{
    if (bytesPerRow == m_bytesPerRow)
        return;
    m_bytesPerRow = bytesPerRow;
    contentChanged();
}

std::pair<double, int> MemoryStripView::ownSpace() const
{
    const int width = viewport()->width();
    if (!data() || !isFitted())
        return {zoom(), width};
    return {
        std::clamp(MemoryStripPainter::fitZoom(*data(), theme(), QSizeF(viewport()->size()), {}, fitLimit),
                   minimumZoom, maximumZoom),
        width};
}

QSizeF MemoryStripView::contentSize(double zoom, int viewportWidth) const
{
    if (!data())
        return {};
    return MemoryStripPainter(*data(), theme(), zoom, viewportWidth, options()).size();
}

double MemoryStripView::fitZoom(const QSize& viewport) const
{
    if (!data())
        return 1.0;
    return MemoryStripPainter::fitZoom(*data(), theme(), QSizeF(viewport), options(), fitLimit);
}

QPointF MemoryStripView::zoomedPoint(const QPointF& contentPoint, double from, double to) const
{
    // The same spot of the same byte (rows rewrap as the zoom changes).
    if (!data())
        return ReportView::zoomedPoint(contentPoint, from, to);
    const int width = viewport()->width();
    // The strip as drawn: with its own bytes per row when they are shared with the Result strip.
    const MemoryStripPainter before(*data(), theme(), from, width, options());
    const HighlightModel::Target target = before.targetAt(contentPoint);
    const auto cell = target.region == HighlightModel::Region::SourceMemory && target.byte >= 0
                          ? before.byteRect(target.byte)
                          : std::nullopt;
    const auto moved = cell ? MemoryStripPainter(*data(), theme(), to, width, options()).byteRect(target.byte)
                            : std::nullopt;
    if (!cell || !moved || !cell->contains(contentPoint))
        return ReportView::zoomedPoint(contentPoint, from, to);
    return {moved->left() + (contentPoint.x() - cell->left()) / cell->width() * moved->width(),
            moved->top() + (contentPoint.y() - cell->top()) / cell->height() * moved->height()};
}

void MemoryStripView::paintContent(QPainter& painter, const QRectF& visible)
{
    const MemoryStripPainter strip = this->painter();
    m_lastFrameSampled = strip.isSampled();
    ++m_framesDrawn;
    strip.paint(painter, visible, currentTarget(), cache());
}

HighlightModel::Target MemoryStripView::targetAt(const QPointF& contentPoint) const
{
    return painter().targetAt(contentPoint);
}

MemoryStripPainter MemoryStripView::painter() const
{
    return MemoryStripPainter(*data(), theme(), zoom(), viewport()->width(), options());
}

MemoryStripPainter::Options MemoryStripView::options() const
{
    MemoryStripPainter::Options o;
    o.bytesPerRow = m_bytesPerRow;
    return o;
}

} // namespace stridescope
