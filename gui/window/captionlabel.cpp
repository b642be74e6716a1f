#include "captionlabel.h"

#include <QFontMetricsF>
#include <QResizeEvent>

#include <algorithm>
#include <cmath>

namespace stridescope {

CaptionLabel::CaptionLabel(const QString& title, const QString& subtitle, QWidget* parent)
    : QLabel(QStringLiteral("<b>%1</b> <span style='color:gray'>— %2</span>").arg(title, subtitle), parent)
{
    setObjectName(QStringLiteral("viewCaption"));
    setWordWrap(true);
    setToolTip(subtitle);
    QFont bold = font();
    bold.setBold(true);
    qreal word = QFontMetricsF(bold).horizontalAdvance(title);
    for (const QString& w : subtitle.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        word = std::max(word, QFontMetricsF(font()).horizontalAdvance(w));
    m_longestWord = int(std::ceil(word)) + 4; // a word is never cut
    m_lineWidth = int(std::ceil(QFontMetricsF(bold).horizontalAdvance(title) +
                                QFontMetricsF(font()).horizontalAdvance(QStringLiteral(" — ") + subtitle))) +
                  4;
    m_height = QFontMetrics(font()).height();
    setMinimumWidth(m_longestWord);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QSize CaptionLabel::sizeHint() const
{
    return {m_lineWidth, m_height}; // the whole caption on one line
}

QSize CaptionLabel::minimumSizeHint() const
{
    return {m_longestWord, m_height};
}

void CaptionLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    // The lines this width needs: the layout is asked again when that changes.
    const int needed = std::max(heightForWidth(event->size().width()), QFontMetrics(font()).height());
    if (needed != m_height) {
        m_height = needed;
        updateGeometry();
    }
}

} // namespace stridescope
