#pragma once

#include "gui/supervisor/interpretersupervisor.h"
#include "inspectionstate.h"
#include "pyhost/inspector.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace stridescope {

class ReportData;

// Owns the flow edit -> inspection -> report. Edits run in the interpreter's worker process
// (InterpreterSupervisor), one at a time, at once (edits of code after a pause in typing); an edit
// made meanwhile waits, and a newer one replaces it. The answer comes back to the GUI thread and goes into
// the InspectionState. The state is busy until the newest request has answered. A crash or hang of the
// interpreter costs a worker process, never the window.
class InspectionController : public QObject
{
    Q_OBJECT

public:
    // Makes what the views draw from, on a pool thread, after the inspection and before the report
    // is shown (so a 16-million-element report never stalls a paint). The state holds what it makes.
    using Preparation =
        std::function<std::shared_ptr<const ReportData>(const std::shared_ptr<const InspectionReport>&)>;

    InspectionController(InspectionState* state, Preparation preparation, QObject* parent = nullptr);

    void setPreparation(Preparation preparation) { m_preparation = std::move(preparation); }

    void setOptions(const Inspector::Options& options) { m_options = options; }
    const Inspector::Options& options() const { return m_options; }
    // How long an edit of code waits for the next one before it is inspected.
    void setDebounceInterval(int milliseconds) { m_debounce.setInterval(milliseconds); }
    // How many inspections have been handed to the interpreter so far.
    quint64 startedCount() const { return m_generation; }
    // An inspection is scheduled or running and its result not yet shown.
    bool isPending() const { return m_debounce.isActive() || m_state->isBusy(); }

public slots:
    // Inspects `scenario`: at once, or, when it runs code, once typing has paused for the debounce
    // interval.
    void requestInspection(const Scenario& scenario);
    // Inspects `scenario` now (Run, start-up).
    void inspectNow(const Scenario& scenario);
    // Interrupts the Python code that runs now and drops a request queued behind it; never blocks.
    // Code that does not stop within a second (C code) loses its interpreter. The interrupted
    // inspection reports a failure that says so.
    void stop();
    // Starts an interpreter now, so the first inspection does not wait for Python to start.
    void warmUp() { m_supervisor.warmUp(); }

signals:
    // The newest requested inspection has been delivered into the state (report or failure).
    void finished();

private:
    struct Delivery;
    void submit();
    void onFinished(const InspectionOutcome& outcome);
    void deliver(quint64 generation, const Delivery& delivery);
    static void deliverLater(QPointer<InspectionController> guard, quint64 generation,
                             const Delivery& delivery);

    InspectionState* m_state = nullptr;
    Inspector::Options m_options;
    QTimer m_debounce;
    InterpreterSupervisor m_supervisor;
    Scenario m_next;
    Scenario m_running;            // the scenario of the inspection in flight (while the supervisor is busy)
    bool m_waiting = false;        // m_next waits for the running inspection to end
    quint64 m_generation = 0;      // of the newest submitted job
    quint64 m_shownGeneration = 0; // of the newest job whose answer is in the state
    Preparation m_preparation;
};

} // namespace stridescope
