#pragma once

#include "inspectionoutcome.h"
#include "interpreterworker.h"
#include "pyhost/inspector.h"
#include "pyhost/scenario.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace stridescope {

// Runs inspections in stridescope-worker processes, as Jupyter runs kernels: a crash, a hang in C
// code or a poisoned interpreter costs one worker, never the caller. One inspection at a time.
//
// Which interpreter runs what: a scenario with Python code gets a fresh interpreter, which is
// retired after it (so nothing the code did to sys.modules, builtins or memory reaches the next
// scenario); data-only scenarios (strided, memory) share an interpreter that has run no user code.
// A spare worker is started ahead of need, so neither waits for Python to start.
class InterpreterSupervisor : public QObject
{
    Q_OBJECT

public:
    explicit InterpreterSupervisor(QObject* parent = nullptr);
    ~InterpreterSupervisor() override;

    // The worker executable: $STRIDESCOPE_WORKER, else next to this program, else the installed one.
    static QString workerProgram();
    // How long Stop waits for the code to honour KeyboardInterrupt before the worker is killed.
    static constexpr int kStopGraceMs = 1000;

    // Starts a worker now, so the first inspection does not wait for Python to start.
    void warmUp();
    // Whether a spare worker is kept started for the next scenario with code (the window: yes; a
    // command that inspects one scenario: no, it would only cost memory and a core).
    void setKeepSpare(bool keep) { m_keepSpare = keep; }
    bool isBusy() const { return m_job.has_value(); }
    // Starts an inspection; finished() follows. Must not be called while busy.
    void inspect(const Scenario& scenario, const Inspector::Options& options);
    // Interrupts the running inspection (KeyboardInterrupt); if it has not ended within
    // kStopGraceMs, its worker is killed and replaced. finished() follows with stopped set.
    void stop();
    // inspect() and wait (a local event loop) at most `timeoutSeconds` (0: no limit); then stop()
    // and wait for the end. `timedOut` tells whether the time ran out.
    InspectionOutcome inspectAndWait(const Scenario& scenario, const Inspector::Options& options,
                                     double timeoutSeconds, bool* timedOut = nullptr);

signals:
    void finished(const stridescope::InspectionOutcome& outcome);

private:
    struct Job
    {
        Scenario scenario;
        Inspector::Options options;
        QPointer<InterpreterWorker> worker;
        bool fresh = false; // the worker had run nothing before this job
        bool sent = false;
        bool stopping = false;
    };

    InterpreterWorker* makeWorker();
    void dispatch();
    void onMessage(InterpreterWorker* worker, WorkerMessage::Kind kind, const std::string& payload);
    void onDied(InterpreterWorker* worker, const QString& reason);
    void complete(InspectionOutcome outcome);
    void retire(InterpreterWorker* worker);
    // Appends what the worker wrote to its file descriptors during the job to `output`.
    void collectOutput(InterpreterWorker* worker, std::string& output, bool& truncated) const;

    InterpreterWorker* m_spare = nullptr;  // started, has run nothing: the next fresh interpreter
    InterpreterWorker* m_shared = nullptr; // has run only data-only scenarios, never user code
    std::optional<Job> m_job;
    QString m_lastDeath; // why the last worker ended, for a worker that cannot start at all
    bool m_keepSpare = true;
    QTimer m_stopTimer;
};

} // namespace stridescope
