#pragma once

#include <QObject>

#include <functional>

class QWidget;

namespace stridescope {

// Opens a file dropped on a widget: the drag of one local file that `accepts` is accepted, and the
// drop opens it after the drop returns (a dialog inside a drop handler blocks the drag source).
class FileDrop final : public QObject
{
    Q_OBJECT

public:
    using Accepts = std::function<bool(const QString& path)>;
    using Open = std::function<void(const QString& path)>;
    FileDrop(QWidget* target, Accepts accepts, Open open);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    Accepts m_accepts;
    Open m_open;
};

} // namespace stridescope
