#pragma once

#include "core/units.h"
#include "gui/painting/memorystrippainter.h"
#include "reportview.h"

#include <utility>

namespace stridescope {

// The source memory block as a hex-editor-like strip wrapped into rows: each element's bytes tinted
// with its colour, gaps neutral, overlaps hatched, `buf` marked, PIL-style pointer tables with arrows.
class MemoryStripView : public ReportView
{
    Q_OBJECT

public:
    explicit MemoryStripView(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);

    // Bytes per row of the strip; 0: as many as fit. A window gives the Memory and Result views one
    // value (ByteRowSync), so a byte sits in the same column in both.
    void setBytesPerRow(ByteCount bytesPerRow);
    ByteCount bytesPerRow() const { return m_bytesPerRow; }
    // The zoom and width the strip would choose its bytes per row from alone: a fitted view's zoom
    // is the one that fits it with its own choice, so a shared value never feeds back into itself.
    std::pair<double, int> ownSpace() const;

    // The painter the view draws with now (its zoom, width and options); needs a report.
    MemoryStripPainter painter() const;
    // Whether the last frame was drawn from samples (its overview not built yet), and how many
    // frames were drawn: what a window shows before and after an overview arrives.
    bool lastFrameSampled() const { return m_lastFrameSampled; }
    int framesDrawn() const { return m_framesDrawn; }

protected:
    QSizeF contentSize(double zoom, int viewportWidth) const override;
    double fitZoom(const QSize& viewport) const override;
    QPointF zoomedPoint(const QPointF& contentPoint, double from, double to) const override;
    void paintContent(QPainter& painter, const QRectF& visible) override;
    HighlightModel::Target targetAt(const QPointF& contentPoint) const override;

private:
    friend class ByteRowSync;
    MemoryStripPainter::Options options() const;
    ByteCount m_bytesPerRow = 0;
    bool m_lastFrameSampled = false;
    int m_framesDrawn = 0;
};

} // namespace stridescope
