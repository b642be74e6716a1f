#pragma once

#include "reportview.h"

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
    bool isExplanationVisible() const { return m_explain; }

protected:
    QSizeF contentSize(double zoom, int viewportWidth) const override;
    double fitZoom(const QSize& viewport) const override;
    void paintContent(QPainter& painter, const QRectF& visible) override;
    HighlightModel::Target targetAt(const QPointF& contentPoint) const override;

private:
    bool m_explain = true;
};

} // namespace stridescope
