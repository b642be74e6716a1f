#include "messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace stridescope {

MessageBar::MessageBar(Kind kind, QWidget* parent) : QFrame(parent), m_kind(kind)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_icon = new QLabel(this);
    const QStyle::StandardPixmap icon =
        kind == Kind::Warning ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxInformation;
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(24, 24));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageBarText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons = new QHBoxLayout;
    m_buttons->setContentsMargins(0, 0, 0, 0);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(10);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    setTheme(Theme::light());
    hide();
}

void MessageBar::setText(const QString& text)
{
    m_text->setText(text);
}

QString MessageBar::text() const
{
    return m_text->text();
}

QPushButton* MessageBar::addButton(const QString& text, const QString& objectName)
{
    auto* button = new QPushButton(text, this);
    button->setObjectName(objectName);
    m_buttons->addWidget(button);
    return button;
}

void MessageBar::setTheme(const Theme& theme)
{
    // Amber for a question that holds things up, blue for an offer; muted in the dark theme.
    const bool dark = theme.isDark();
    QColor fill, border, text;
    if (m_kind == Kind::Warning) {
        fill = dark ? QColor(0x4a, 0x3b, 0x12) : QColor(0xff, 0xf3, 0xcd);
        border = dark ? QColor(0xb0, 0x8a, 0x20) : QColor(0xe0, 0xb0, 0x00);
        text = dark ? QColor(0xf5, 0xe6, 0xb8) : QColor(0x5c, 0x44, 0x00);
    } else {
        fill = dark ? QColor(0x1c, 0x35, 0x4d) : QColor(0xdd, 0xec, 0xfb);
        border = dark ? QColor(0x3a, 0x6e, 0xa5) : QColor(0x6c, 0x9e, 0xd6);
        text = dark ? QColor(0xd8, 0xe8, 0xf8) : QColor(0x10, 0x33, 0x5a);
    }
    setStyleSheet(QStringLiteral("stridescope--MessageBar { background: %1; border: 1px solid %2;"
                                 " border-radius: 4px; }"
                                 "stridescope--MessageBar > QLabel { color: %3; background: transparent; }")
                      .arg(fill.name(), border.name(), text.name()));
}

} // namespace stridescope
