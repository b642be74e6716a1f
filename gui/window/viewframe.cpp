#include "viewframe.h"

#include "captionlabel.h"

#include <QBoxLayout>
#include <QResizeEvent>

namespace stridescope {

ViewFrame::ViewFrame(const QString& title, const QString& subtitle, QWidget* view, QWidget* extra,
                     QWidget* parent)
    : QWidget(parent), m_caption(new CaptionLabel(title, subtitle, this)), m_extra(extra)
{
    m_header = new QBoxLayout(QBoxLayout::LeftToRight);
    m_header->setContentsMargins(4, 2, 4, 0);
    m_header->addWidget(m_caption, 1);
    if (m_extra)
        m_header->addWidget(m_extra, 0, Qt::AlignRight);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(m_header);
    layout->addWidget(view, 1);
}

void ViewFrame::resizeEvent(QResizeEvent* event)
{
    arrange(event->size().width());
    QWidget::resizeEvent(event);
}

void ViewFrame::arrange(int width)
{
    if (!m_extra)
        return;
    // Side by side while the caption keeps one line; else the selectors go under it.
    const int margins = m_header->contentsMargins().left() + m_header->contentsMargins().right();
    const bool fits =
        m_caption->sizeHint().width() + m_header->spacing() + m_extra->sizeHint().width() + margins <= width;
    const auto direction = fits ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_header->direction() != direction)
        m_header->setDirection(direction);
}

} // namespace stridescope
