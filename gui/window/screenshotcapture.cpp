#include "screenshotcapture.h"

#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/painting/reportdata.h"
#include "gui/views/comparisonview.h"
#include "gui/views/logicalview.h"
#include "launchclock.h"
#include "mainwindow.h"

#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QPixmap>

#include <cstdio>

namespace stridescope {

ScreenshotCapture::ScreenshotCapture(MainWindow* window, QString path, QObject* parent)
    : QObject(parent), m_window(window), m_path(std::move(path))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { fail(tr("no report was drawn in time")); });
    // After the report's first paint, a moment for the docks' own updates (HTML, snippets).
    m_settle.setSingleShot(true);
    m_settle.setInterval(150);
    connect(&m_settle, &QTimer::timeout, this, &ScreenshotCapture::capture);
}

void ScreenshotCapture::start(int timeoutMs)
{
    m_timeout.start(timeoutMs);
    connect(m_window->controller(), &InspectionController::finished, this, &ScreenshotCapture::reportArrived);
    if (!m_window->controller()->isPending() &&
        (m_window->inspectionState()->report() || m_window->inspectionState()->failure()))
        reportArrived();
}

void ScreenshotCapture::reportArrived()
{
    if (m_waitingForPaint || m_done || m_window->controller()->isPending())
        return; // a newer inspection is on its way: wait for that one
    m_reportMs = LaunchClock::elapsedMs();
    m_waitingForPaint = true;
    // The views repaint on the next pass of the event loop; catch the logical view's paint, or the
    // side-by-side picture's when a comparison shows it in the logical view's place.
    QWidget* shown = m_window->logicalView()->viewport();
    if (auto* pair = m_window->findChild<ComparisonView*>(); pair && pair->isVisible())
        shown = pair;
    shown->installEventFilter(this);
    shown->update();
}

bool ScreenshotCapture::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint && m_waitingForPaint && !m_settle.isActive() && !m_done) {
        watched->removeEventFilter(this);
        std::fprintf(stderr, "stridescope: first report after %lld ms, drawn after %lld ms\n",
                     static_cast<long long>(m_reportMs), static_cast<long long>(LaunchClock::elapsedMs()));
        m_settle.start();
    }
    return QObject::eventFilter(watched, event);
}

void ScreenshotCapture::capture()
{
    if (m_done)
        return;
    // A strip still drawn from samples: its overview is on its way (MainWindow::refineOverviews).
    const auto data = m_window->inspectionState()->reportData();
    if (data && !m_window->inspectionState()->failure() && !data->overviewsReady())
        return m_settle.start();
    const QPixmap picture = m_window->grab();
    if (picture.isNull())
        return fail(tr("grabbing the window gave nothing"));
    const QString dir = QFileInfo(m_path).absolutePath();
    QDir().mkpath(dir);
    if (!picture.save(m_path, "PNG"))
        return fail(tr("cannot write %1").arg(m_path));
    m_done = true;
    std::fprintf(stderr, "stridescope: wrote %s (%dx%d) after %lld ms\n",
                 qPrintable(QDir::toNativeSeparators(m_path)), picture.width(), picture.height(),
                 static_cast<long long>(LaunchClock::elapsedMs()));
    emit finished(true);
}

void ScreenshotCapture::fail(const QString& why)
{
    if (m_done)
        return;
    m_done = true;
    std::fprintf(stderr, "stridescope --screenshot: %s\n", qPrintable(why));
    emit finished(false);
}

} // namespace stridescope
