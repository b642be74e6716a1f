#pragma once

#include "interpreterworker.h"
#include "pyhost/inspectionreport.h"
#include "pyhost/inspector.h"
#include "pyhost/scenario.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

namespace stridescope {

// The interactive console's interpreter: one stridescope-worker of its own, kept between commands
// so the namespace lives on, supervised as InterpreterSupervisor supervises inspections: a crash, a
// hang in C code or a poisoned interpreter costs this worker (ended() says so), never the window.
// One thing at a time: start, a command, or a completion; a command sent while the console starts
// waits for it.
class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleSession(QObject* parent = nullptr);
    ~ConsoleSession() override;

    // Ends the interpreter there was (if any) and starts a new one, whose namespace is what the
    // scenario's source made (when `runScenario`: the user allowed its code, or it has none), with
    // its object as `obj`, and show(). finished() follows.
    void start(const Scenario& scenario, const Inspector::Options& options, bool runScenario);
    bool isStarted() const { return m_worker && !m_worker->isDead(); }
    // Starting, running a command or completing: run() and complete() must wait.
    bool isBusy() const { return m_task != Task::None; }
    // Runs a command in the namespace; output() as it is written, shown() for each show(), then
    // finished(). Needs isStarted() and a console that is not busy, except that one command may
    // follow start() at once.
    void run(const QString& command);
    // Asks for what `text` completes to: completed() follows, unless busy (then nothing happens).
    void complete(const QString& text);
    // Interrupts what runs (KeyboardInterrupt); if it has not ended within
    // InterpreterSupervisor::kStopGraceMs, the interpreter is ended and ended() follows.
    void stop();
    // Ends the interpreter now (ended() does not follow).
    void end();

signals:
    // What the code wrote to stdout and stderr, as it arrives (tracebacks included).
    void output(const QString& text);
    // show(obj) in a command: the inspection of obj, to draw.
    void shown(std::shared_ptr<const stridescope::InspectionReport> report);
    // start() or run() is done: ok, or why not in one line.
    void finished(bool ok, const QString& message);
    void completed(const QString& text, const QStringList& completions);
    // The interpreter is gone (crashed, hung past Stop, broke the protocol): one sentence why. The
    // namespace went with it; start() makes a new one.
    void ended(const QString& reason);

private:
    enum class Task
    {
        None,
        Starting,
        Running,
        Completing
    };

    void onMessage(WorkerMessage::Kind kind, const std::string& payload);
    void onDied(const QString& reason);
    void sendPending();
    void flushOutput();
    void done();

    QPointer<InterpreterWorker> m_worker;
    Task m_task = Task::None;
    std::string m_startPayload;             // sent once the worker is ready
    std::optional<QString> m_queuedCommand; // a command given while starting
    QString m_completing;
    ByteCount m_snapshotLimit = 0;
    bool m_sentStart = false;
    QTimer m_stopTimer;
};

} // namespace stridescope
