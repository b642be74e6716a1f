#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QString>

#include <memory>

class QPainter;
class QRectF;

namespace stridescope {

// Short texts drawn centred in many cells (byte values, element values), laid out once per font and
// cell width and reused from frame to frame: laying a string out costs far more than drawing it, and a
// frame of a big buffer draws thousands of cells holding the same few hundred texts (QStaticText).
// Tables live per thread and stop growing past a bound (further texts are drawn plainly), so memory
// stays small.
class CellTextCache
{
public:
    // Texts in `font`, elided on the right to fit `maxWidth` pixels.
    CellTextCache(const QFont& font, qreal maxWidth);

    // Draws `text` centred in `cell` with the painter's pen (the painter's font must be `font`).
    void drawCentred(QPainter& painter, const QRectF& cell, const QString& text);
    // The laid-out size of `text` (after eliding).
    QSizeF size(const QString& text);

private:
    // The laid-out text, nullptr once the table is full (a frame of more distinct texts than it holds).
    const QStaticText* entry(const QString& text);
    QString elided(const QString& text) const;

    QFont m_font;
    qreal m_maxWidth = 0;
    std::shared_ptr<QHash<QString, QStaticText>> m_table; // shared: a table dropped while in use lives on
};

} // namespace stridescope
