#include "reportview.h"

#include "gui/model/inspectionstate.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reporttext.h"

#include <QFontMetrics>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace stridescope {

ReportView::ReportView(InspectionState* state, HighlightModel* highlight, QWidget* parent)
    : QAbstractScrollArea(parent), m_state(state), m_highlight(highlight)
{
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    if (m_state)
        connect(m_state, &InspectionState::changed, this, &ReportView::onStateChanged);
    if (m_highlight)
        connect(m_highlight, &HighlightModel::changed, viewport(), qOverload<>(&QWidget::update));
    // No virtual calls here: the subclass is not built yet. Sizes follow with the first resize event.
    if (m_state)
        m_data = m_state->drawnData();
}

ReportView::~ReportView() = default;

void ReportView::setTheme(const Theme& theme)
{
    m_theme = theme;
    contentChanged();
}

void ReportView::contentChanged()
{
    m_cache = {};
    if (m_fitted)
        fitToWindow();
    else
        updateScrollBars();
    viewport()->update();
}

QSize ReportView::sizeHint() const
{
    return {480, 320};
}

int ReportView::wantedViewportHeight(int viewportWidth) const
{
    if (!m_data || viewportWidth <= 0)
        return 0;
    constexpr int unlimited = 1 << 20;
    const double z = std::clamp(fitZoom(QSize(viewportWidth, unlimited)), minimumZoom, maximumZoom);
    return int(std::ceil(std::min<double>(contentSize(z, viewportWidth).height(), unlimited)));
}

void ReportView::setZoom(double zoom)
{
    m_fitted = false;
    zoomAround(zoom, viewport()->rect().center());
}

QPoint ReportView::zoomAnchor() const
{
    return m_mouse && viewport()->rect().contains(*m_mouse) ? *m_mouse : viewport()->rect().center();
}

void ReportView::zoomIn()
{
    m_fitted = false;
    zoomAround(m_zoom * 1.25, zoomAnchor());
}
void ReportView::zoomOut()
{
    m_fitted = false;
    zoomAround(m_zoom / 1.25, zoomAnchor());
}

void ReportView::fitToWindow()
{
    m_fitted = true;
    const double z = std::clamp(fitZoom(viewport()->size()), minimumZoom, maximumZoom);
    const bool changed = z != m_zoom;
    m_zoom = z;
    updateScrollBars();
    horizontalScrollBar()->setValue(0);
    verticalScrollBar()->setValue(0);
    viewport()->update();
    if (changed)
        emit zoomChanged(m_zoom);
}

double ReportView::fitZoom(const QSize& viewport) const
{
    const QSizeF natural = contentSize(1.0, viewport.width());
    if (natural.isEmpty())
        return 1.0;
    return std::min({1.0, viewport.width() / natural.width(), viewport.height() / natural.height()});
}

void ReportView::zoomAround(double zoom, const QPoint& anchor)
{
    zoom = std::clamp(zoom, minimumZoom, maximumZoom);
    // Scroll bars count in int: keep the content well inside their range.
    while (zoom > minimumZoom && contentSize(zoom, viewport()->width()).height() > 1e9)
        zoom /= 1.25;
    if (zoom == m_zoom)
        return;
    const QPointF after = zoomedPoint(toContent(anchor), m_zoom, zoom);
    m_zoom = zoom;
    updateScrollBars();
    horizontalScrollBar()->setValue(int(std::lround(after.x() - anchor.x())));
    verticalScrollBar()->setValue(int(std::lround(after.y() - anchor.y())));
    viewport()->update();
    emit zoomChanged(m_zoom);
}

QPointF ReportView::zoomedPoint(const QPointF& contentPoint, double from, double to) const
{
    const QSizeF before = contentSize(from, viewport()->width());
    const QSizeF after = contentSize(to, viewport()->width());
    return {before.width() > 0 ? contentPoint.x() / before.width() * after.width() : 0,
            before.height() > 0 ? contentPoint.y() / before.height() * after.height() : 0};
}

QPointF ReportView::contentOffset() const
{
    return QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

void ReportView::updateScrollBars()
{
    const QSizeF size = contentSize(m_zoom, viewport()->width());
    const QSize vp = viewport()->size();
    // Even at the smallest zoom, content can be larger than an int counts (2^60 packed tiles).
    const auto range = [](qreal length, int page) {
        return std::max(0, int(std::min<qreal>(std::ceil(length), 1e9)) - page);
    };
    horizontalScrollBar()->setRange(0, range(size.width(), vp.width()));
    verticalScrollBar()->setRange(0, range(size.height(), vp.height()));
    horizontalScrollBar()->setPageStep(vp.width());
    verticalScrollBar()->setPageStep(vp.height());
    horizontalScrollBar()->setSingleStep(20);
    verticalScrollBar()->setSingleStep(20);
}

void ReportView::onStateChanged()
{
    auto data = m_state ? m_state->drawnData() : nullptr;
    if (m_data && data == m_data) {
        viewport()->update(); // a failure since may have made it stale, or a success fresh again
        return;
    }
    m_data = std::move(data);
    reportChanged();
    // The zoom is kept across reports of one scenario (an edit should not throw away where the user
    // was looking); a fitted view fits the new report. A new scenario calls fitToWindow() first.
    contentChanged();
}

void ReportView::refreshPictures()
{
    m_cache = {};
    viewport()->update();
}

bool ReportView::isShowingStale() const
{
    return m_data && m_state && m_state->failure();
}

QString ReportView::staleLabel()
{
    return tr("Result of the previous scenario: this one made no buffer");
}

void ReportView::paintEvent(QPaintEvent* event)
{
    QPainter painter(viewport());
    painter.fillRect(event->rect(), m_theme.background());
    if (!m_data)
        return;
    const QPointF offset = contentOffset();
    painter.save();
    painter.translate(-offset);
    paintContent(painter, QRectF(event->rect()).translated(offset));
    painter.restore();
    if (isShowingStale())
        paintStaleVeil(painter);
}

void ReportView::paintStaleVeil(QPainter& painter)
{
    // Dimmed, not cleared: while a layout is being typed the last picture is still worth seeing,
    // but it must not pass for the answer to what is in the editor now.
    QColor veil = m_theme.background();
    veil.setAlpha(200);
    const QRect area = viewport()->rect();
    painter.fillRect(area, veil);
    QFont font = m_theme.labelFont();
    font.setBold(true);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const QString text = metrics.elidedText(staleLabel(), Qt::ElideRight, std::max(0, area.width() - 24));
    // Across the whole width: no dimmed caption peeks out beside it.
    const QRect box(area.left() + 4, area.top() + 4, area.width() - 8, metrics.height() + 8);
    painter.fillRect(box, m_theme.panel());
    painter.setPen(m_theme.mutedText());
    painter.drawRect(box.adjusted(0, 0, -1, -1));
    painter.setPen(m_theme.text());
    painter.drawText(box.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
}

void ReportView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    if (m_fitted)
        fitToWindow();
    else
        updateScrollBars();
}

void ReportView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        m_fitted = false;
        zoomAround(m_zoom * std::pow(1.25, steps), event->position().toPoint());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void ReportView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        fitToWindow();
        return;
    case Qt::Key_Left:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
        return;
    case Qt::Key_Right:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        return;
    case Qt::Key_Up:
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
        return;
    case Qt::Key_Down:
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void ReportView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_dragMoved = false;
        m_dragStart = event->position().toPoint();
        m_dragScrollStart = QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    }
}

void ReportView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    m_mouse = pos;
    if (m_dragging) {
        const QPoint delta = pos - m_dragStart;
        if (delta.manhattanLength() >= 4)
            m_dragMoved = true;
        if (m_dragMoved) {
            horizontalScrollBar()->setValue(m_dragScrollStart.x() - delta.x());
            verticalScrollBar()->setValue(m_dragScrollStart.y() - delta.y());
            return;
        }
    }
    if (m_highlight && m_data) {
        const auto target = targetAt(toContent(pos));
        m_highlight->hover(target);
        emit statusTextChanged(ReportText(*m_data).describe(target));
    }
}

void ReportView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const bool click = m_dragging && !m_dragMoved;
    m_dragging = false;
    if (click && m_highlight && m_data)
        m_highlight->togglePin(targetAt(toContent(event->position().toPoint())));
}

void ReportView::leaveEvent(QEvent* event)
{
    m_mouse.reset();
    if (m_highlight)
        m_highlight->clearHover();
    QAbstractScrollArea::leaveEvent(event);
}

bool ReportView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_data) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = ReportText(*m_data).describe(targetAt(toContent(help->pos())));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ReportView::scrollContentsBy(int, int)
{
    viewport()->update();
}

} // namespace stridescope
