#pragma once

#include "gui/painting/highlightmodel.h"
#include "gui/painting/picturecache.h"
#include "gui/style/theme.h"

#include <QAbstractScrollArea>
#include <QImage>
#include <QPointer>

#include <memory>
#include <optional>

namespace stridescope {

class InspectionState;
class ReportData;

// What LogicalView, MemoryStripView and ResultView share: the report they draw, the highlight, the
// theme, zoom (Ctrl+wheel, +/-/0, fit) and pan (wheel, drag, arrow keys), hover and click-to-pin.
// Subclasses only describe their content size and paint the visible part of it.
class ReportView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    ReportView(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);
    ~ReportView() override;

    void setTheme(const Theme& theme);
    const Theme& theme() const { return m_theme; }

    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    // Whether the view follows the window size (set by fitToWindow, cleared by any zoom).
    bool isFitted() const { return m_fitted; }

    static constexpr double minimumZoom = 1.0 / 4096;
    static constexpr double maximumZoom = 16.0;

    QSize sizeHint() const override;
    // The viewport height at which the fitted content is shown whole, given the width: what the view
    // would take if height were free (0 without a report).
    int wantedViewportHeight(int viewportWidth) const;

    // The picture on screen is of an earlier scenario: the newest inspection failed (no buffer,
    // stopped, a refused layout) and left the last report in place. It is drawn dimmed, under a
    // label saying so (staleLabel()).
    bool isShowingStale() const;
    // Draws the picture again from scratch (nothing cached): what it draws from got better (an
    // overview built on a pool thread).
    void refreshPictures();
    static QString staleLabel();

public slots:
    void zoomIn();
    void zoomOut();
    void fitToWindow();

signals:
    void zoomChanged(double zoom);
    // One line for the status bar: the offset formula of the hovered element, or what is under the mouse.
    void statusTextChanged(const QString& text);

protected:
    // The report being drawn, prepared for painting (nullptr when there is none).
    const ReportData* data() const { return m_data.get(); }
    HighlightModel* highlightModel() const { return m_highlight; }

    // Content size in pixels at the given zoom, for the given viewport width (strips wrap to it).
    virtual QSizeF contentSize(double zoom, int viewportWidth) const = 0;
    // Paints the content region `visible` (content coordinates); the painter is already translated
    // so that content coordinates map to the viewport.
    virtual void paintContent(QPainter& painter, const QRectF& visible) = 0;
    // What lies under a content point, for hover and pin.
    virtual HighlightModel::Target targetAt(const QPointF& contentPoint) const = 0;
    // The zoom at which the content fits the viewport.
    virtual double fitZoom(const QSize& viewport) const;
    // Where a content point at zoom `from` is at zoom `to`: the same spot of the same cell, so
    // zooming keeps the point under the mouse in place. By default in proportion to the content
    // size (exact only for content without fixed-size parts).
    virtual QPointF zoomedPoint(const QPointF& contentPoint, double from, double to) const;
    // The last per-pixel picture, reused while only the highlight changes; cleared with the report.
    PictureCache* cache() { return &m_cache; }
    HighlightModel::Target currentTarget() const
    {
        return m_highlight ? m_highlight->current() : HighlightModel::Target{};
    }
    // Re-reads sizes after something that changes the content (tile axes, wrap width) changed.
    void contentChanged();
    // Called when a new report arrives, after data() is updated.
    virtual void reportChanged() {}

    QPointF contentOffset() const; // scroll position, in content pixels
    QPointF toContent(const QPoint& viewportPoint) const { return viewportPoint + contentOffset(); }
    void updateScrollBars();

    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void onStateChanged();
    void paintStaleVeil(QPainter& painter);
    void zoomAround(double zoom, const QPoint& viewportAnchor);
    // Keyboard zoom keeps the point under the mouse when the mouse is over the view, else the centre.
    QPoint zoomAnchor() const;

    QPointer<InspectionState> m_state;
    QPointer<HighlightModel> m_highlight;
    std::shared_ptr<const ReportData> m_data;
    PictureCache m_cache;
    Theme m_theme = Theme::light();
    double m_zoom = 1.0;
    bool m_fitted = true;
    bool m_dragging = false;
    bool m_dragMoved = false;
    QPoint m_dragStart;
    QPoint m_dragScrollStart;
    std::optional<QPoint> m_mouse; // over the viewport, in its coordinates
};

} // namespace stridescope
