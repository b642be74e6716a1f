#include "byterowsync.h"

#include "gui/model/inspectionstate.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/resultpainter.h"
#include "memorystripview.h"
#include "resultview.h"

#include <QEvent>

namespace stridescope {

ByteRowSync::ByteRowSync(InspectionState* state, MemoryStripView* memory, ResultView* result, QObject* parent)
    : QObject(parent), m_memory(memory), m_result(result)
{
    // Connected after the views: when this runs, they hold the new report.
    if (state)
        connect(state, &InspectionState::changed, this, &ByteRowSync::update);
    for (ReportView* view : {static_cast<ReportView*>(memory), static_cast<ReportView*>(result)}) {
        connect(view, &ReportView::zoomChanged, this, &ByteRowSync::update);
        view->installEventFilter(this);
    }
    update();
}

bool ByteRowSync::eventFilter(QObject* watched, QEvent* event)
{
    // The view has not laid out its viewport yet when its resize event is seen: choose afterwards.
    if (event->type() == QEvent::Resize && !m_queued) {
        m_queued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_queued = false;
                update();
            },
            Qt::QueuedConnection);
    }
    return QObject::eventFilter(watched, event);
}

void ByteRowSync::update()
{
    if (!m_memory || !m_result)
        return;
    ByteCount n = 0;
    if (const ReportData* data = m_memory->data()) {
        // A fitted view's own zoom does not depend on the shared value: no feedback, no oscillation.
        const auto [memoryZoom, memoryWidth] = m_memory->ownSpace();
        const auto [resultZoom, resultWidth] = m_result->ownSpace();
        n = ResultPainter::sharedBytesPerRow(*data, m_memory->theme(), memoryZoom, memoryWidth, resultZoom,
                                             resultWidth);
    }
    m_bytesPerRow = n;
    m_memory->setBytesPerRow(n);
    m_result->setBytesPerRow(n);
}

} // namespace stridescope
