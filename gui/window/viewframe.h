#pragma once

#include <QWidget>

class QBoxLayout;

namespace stridescope {

class CaptionLabel;

// A view with its caption above it and, for the Logical view, the tile selectors beside the
// caption. When the row is too narrow for both on one line, the selectors move under the caption,
// so the caption is never squeezed to a column of single words or cut.
class ViewFrame : public QWidget
{
    Q_OBJECT

public:
    ViewFrame(const QString& title, const QString& subtitle, QWidget* view, QWidget* extra,
              QWidget* parent = nullptr);

    CaptionLabel* caption() const { return m_caption; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrange(int width);

    CaptionLabel* m_caption = nullptr;
    QWidget* m_extra = nullptr;
    QBoxLayout* m_header = nullptr;
};

} // namespace stridescope
