#pragma once

#include "core/units.h"

#include <QObject>
#include <QPointer>

namespace stridescope {

class InspectionState;
class MemoryStripView;
class ResultView;

// One bytes-per-row for the Memory and Result views of a window, so that "the same byte" sits in the
// same column in both whatever their zooms. Chosen from the space available: the most bytes per row
// both views fit at the zoom each would have alone (ResultPainter::sharedBytesPerRow). Chosen again
// when a report arrives and when either view is resized or zoomed; a fitted view then fits again.
class ByteRowSync : public QObject
{
    Q_OBJECT

public:
    ByteRowSync(InspectionState* state, MemoryStripView* memory, ResultView* result,
                QObject* parent = nullptr);

    ByteCount bytesPerRow() const { return m_bytesPerRow; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update();

    QPointer<MemoryStripView> m_memory;
    QPointer<ResultView> m_result;
    ByteCount m_bytesPerRow = 0;
    bool m_queued = false;
};

} // namespace stridescope
