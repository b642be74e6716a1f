#pragma once

#include <QLabel>

namespace stridescope {

// The caption above a view: wraps when the row is narrow (tile selectors share it) and takes exactly
// the lines it needs, never cut and never taller. A plain word-wrapped QLabel asks its layout for
// the height of a narrow wrap, leaving an empty band over the view.
class CaptionLabel : public QLabel
{
    Q_OBJECT

public:
    CaptionLabel(const QString& title, const QString& subtitle, QWidget* parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    int m_longestWord = 0;
    int m_lineWidth = 0;
    int m_height = 0; // for the current width
};

} // namespace stridescope
