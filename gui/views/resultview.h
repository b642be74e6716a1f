#pragma once

#include "core/units.h"
#include "gui/painting/resultpainter.h"
#include "reportview.h"

#include <utility>

namespace stridescope {

// What PyMemoryView_GetContiguous returned: ALIAS draws the result on the source memory with a
// "same memory" connector, COPY the new bytes object coloured by the element copied to each byte,
// ERROR what was asked and why CPython refused it.
class ResultView : public ReportView
{
    Q_OBJECT

public:
    explicit ResultView(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);

    // Whether the banner explains ALIAS and COPY in sentences (the call, the rule); off, it keeps
    // its title line, for a window whose own banner says the rest. Errors are always explained.
    void setExplanationVisible(bool visible);

    // Bytes per row of the strip; 0: as many as fit (see MemoryStripView::setBytesPerRow).
    void setBytesPerRow(ByteCount bytesPerRow);
    ByteCount bytesPerRow() const { return m_bytesPerRow; }
    // The zoom and width the strip would choose its bytes per row from alone.
    std::pair<double, int> ownSpace() const;

    // The painter the view draws with now (its zoom, width and options); needs a report.
    ResultPainter painter() const;

protected:
    QSizeF contentSize(double zoom, int viewportWidth) const override;
    double fitZoom(const QSize& viewport) const override;
    void paintContent(QPainter& painter, const QRectF& visible) override;
    HighlightModel::Target targetAt(const QPointF& contentPoint) const override;

private:
    friend class ByteRowSync;
    bool m_explain = true;
    ByteCount m_bytesPerRow = 0;
};

} // namespace stridescope
