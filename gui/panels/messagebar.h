#pragma once

#include "gui/style/theme.h"

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace stridescope {

// A bar across the window that asks the user something and offers the answers as buttons, as
// KDE's KMessageWidget does (Qt Widgets has none): the "Run this file's code" question for code
// the user has not allowed, and the offer to restore work after a crash. Hidden until shown.
class MessageBar final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Warning,     // something waits for the user's decision (code not run)
        Information, // something can be done (restore autosaved work)
    };

    explicit MessageBar(Kind kind, QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const;
    // A button at the end of the bar; emits the returned button's clicked().
    QPushButton* addButton(const QString& text, const QString& objectName);
    void setTheme(const Theme& theme);

private:
    Kind m_kind;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    QHBoxLayout* m_buttons = nullptr;
};

} // namespace stridescope
