#include "filedrop.h"

#include <QDropEvent>
#include <QMimeData>
#include <QWidget>

namespace stridescope {

FileDrop::FileDrop(QWidget* target, Accepts accepts, Open open)
    : QObject(target), m_accepts(std::move(accepts)), m_open(std::move(open))
{
    target->setAcceptDrops(true);
    target->installEventFilter(this);
}

bool FileDrop::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::DragEnter) {
        auto* enter = static_cast<QDragEnterEvent*>(event);
        const auto urls = enter->mimeData()->urls();
        if (urls.size() == 1 && urls.first().isLocalFile() && m_accepts(urls.first().toLocalFile()))
            enter->acceptProposedAction();
        return true;
    }
    if (event->type() == QEvent::Drop) {
        auto* drop = static_cast<QDropEvent*>(event);
        const auto urls = drop->mimeData()->urls();
        if (urls.isEmpty())
            return true;
        drop->acceptProposedAction();
        QMetaObject::invokeMethod(
            this, [this, path = urls.first().toLocalFile()] { m_open(path); }, Qt::QueuedConnection);
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace stridescope
