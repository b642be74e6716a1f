#pragma once

#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/window/mainwindow.h"

#include <QElapsedTimer>
#include <QTest>

namespace stridescope {

// Waits until the window's newest edit has been inspected and its result (a report or a failure)
// is in the state. Shared by the window's test suites.
inline bool settleWindow(MainWindow& window, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (!window.controller()->isPending() &&
            (window.inspectionState()->report() || window.inspectionState()->failure()))
            return true;
        QTest::qWait(5);
    }
    return false;
}

} // namespace stridescope
