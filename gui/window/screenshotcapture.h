#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace stridescope {

class MainWindow;

// `stridescope --screenshot OUT.png`: waits until the window has drawn its first inspection, grabs
// the window into OUT.png and says how long each step took. Used by run.sh without a display, by
// the screenshot test under Xvfb and for the README figures.
class ScreenshotCapture final : public QObject
{
    Q_OBJECT

public:
    ScreenshotCapture(MainWindow* window, QString path, QObject* parent = nullptr);

    // Call once the window is shown; finished() follows (after at most `timeoutMs`).
    void start(int timeoutMs = 60000);

signals:
    void finished(bool ok);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void reportArrived();
    void capture();
    void fail(const QString& why);

    MainWindow* m_window = nullptr;
    QString m_path;
    QTimer m_timeout;
    QTimer m_settle;
    bool m_waitingForPaint = false;
    bool m_done = false;
    qint64 m_reportMs = -1;
};

} // namespace stridescope
