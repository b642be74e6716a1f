#include "celltextcache.h"

#include <QFontMetricsF>
#include <QPainter>

namespace stridescope {

namespace {

// A zoom changes the font size or the cell width: a few tables stay, older ones go.
constexpr int tableLimit = 8;
// Texts kept per table (a float64 buffer has as many distinct values as elements).
constexpr int textLimit = 8192;

using Table = QHash<QString, QStaticText>;

QHash<QString, std::shared_ptr<Table>>& tables()
{
    thread_local QHash<QString, std::shared_ptr<Table>> perThread;
    return perThread;
}

} // namespace

CellTextCache::CellTextCache(const QFont& font, qreal maxWidth) : m_font(font), m_maxWidth(maxWidth)
{
    auto& all = tables();
    const QString key = font.key() + QLatin1Char('/') + QString::number(maxWidth, 'f', 2);
    m_table = all.value(key);
    if (!m_table) {
        if (all.size() >= tableLimit)
            all.clear();
        m_table = std::make_shared<Table>();
        all.insert(key, m_table);
    }
}

const QStaticText* CellTextCache::entry(const QString& text)
{
    auto it = m_table->constFind(text);
    if (it != m_table->constEnd())
        return &it.value();
    if (m_table->size() >= textLimit)
        return nullptr; // more distinct texts than a frame repeats: drawn as plain text
    QStaticText laidOut(elided(text));
    laidOut.setTextFormat(Qt::PlainText);
    laidOut.setPerformanceHint(QStaticText::AggressiveCaching);
    laidOut.prepare(QTransform(), m_font);
    return &m_table->insert(text, laidOut).value();
}

QString CellTextCache::elided(const QString& text) const
{
    const QFontMetricsF fm(m_font);
    return fm.horizontalAdvance(text) > m_maxWidth ? fm.elidedText(text, Qt::ElideRight, m_maxWidth) : text;
}

QSizeF CellTextCache::size(const QString& text)
{
    if (const QStaticText* laidOut = entry(text))
        return laidOut->size();
    const QFontMetricsF fm(m_font);
    return {fm.horizontalAdvance(elided(text)), fm.height()};
}

void CellTextCache::drawCentred(QPainter& painter, const QRectF& cell, const QString& text)
{
    const QStaticText* laidOut = entry(text);
    if (!laidOut) {
        painter.drawText(cell, Qt::AlignCenter, elided(text));
        return;
    }
    const QSizeF size = laidOut->size();
    painter.drawStaticText(cell.center() - QPointF(size.width() / 2, size.height() / 2), *laidOut);
}

} // namespace stridescope
