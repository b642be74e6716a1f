#include "inspectioncontroller.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

namespace stridescope {

// What one job hands back to the GUI thread: a report or a failure, never a live Python object.
struct InspectionController::Delivery
{
    std::shared_ptr<const InspectionReport> report;
    std::shared_ptr<const ReportData> prepared; // what the preparation made of the report
    bool preparedOnPool = false;                // the preparation ran (it may have failed)
    std::optional<InspectionState::Failure> failure;
};

// Hands a delivery to the GUI thread (qApp lives there for the whole run), unless the controller is gone.
void InspectionController::deliverLater(QPointer<InspectionController> guard, quint64 generation,
                                        const Delivery& delivery)
{
    QMetaObject::invokeMethod(
        qApp,
        [guard, generation, delivery] {
            if (guard)
                guard->deliver(generation, delivery);
        },
        Qt::QueuedConnection);
}

InspectionController::InspectionController(InspectionState* state, Preparation preparation, QObject* parent)
    : QObject(parent), m_state(state), m_preparation(std::move(preparation))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &InspectionController::submit);
    connect(&m_supervisor, &InterpreterSupervisor::finished, this, &InspectionController::onFinished);
}

void InspectionController::requestInspection(const Scenario& scenario)
{
    m_next = scenario;
    // Code is typed a key at a time and every run costs a fresh interpreter: it waits for a pause.
    // A data-only edit (a stride, a format) is inspected at once, so the picture follows the edit;
    // edits made while one runs are coalesced into the newest (submit()).
    if (scenario.runsUserCode()) {
        m_debounce.start();
        return;
    }
    m_debounce.stop();
    submit();
}

void InspectionController::inspectNow(const Scenario& scenario)
{
    m_next = scenario;
    m_debounce.stop();
    submit();
}

void InspectionController::stop()
{
    // Stop means stop: an edit made while an endless loop ran is dropped with it.
    m_debounce.stop();
    m_waiting = false;
    m_supervisor.stop();
}

void InspectionController::submit()
{
    if (m_supervisor.isBusy()) {
        // Sent when the running one ends; a newer edit replaces m_next meanwhile. The scenario that
        // is running already (opening a file inspects it, and so does the start-up's Run) is not
        // run a second time: its answer is on the way.
        m_waiting = !(m_next == m_running);
        m_state->setBusy(true);
        return;
    }
    m_waiting = false;
    ++m_generation;
    m_state->setBusy(true);
    m_running = m_next;
    m_supervisor.inspect(m_next, m_options);
}

void InspectionController::onFinished(const InspectionOutcome& outcome)
{
    // Answers come in the order of submission, one at a time: this one is for m_generation.
    Delivery delivery;
    if (outcome.report) {
        delivery.report = outcome.report;
    } else if (outcome.failure) {
        InspectionState::Failure failure;
        failure.message = QString::fromStdString(outcome.failure->what());
        failure.python = outcome.failure->python;
        failure.output = QString::fromStdString(outcome.failure->output);
        if (outcome.failure->outputTruncated)
            failure.output += QStringLiteral("\n[output truncated]");
        failure.stopped = outcome.stopped;
        failure.interpreterLost = outcome.workerLost;
        delivery.failure = failure;
    }
    const quint64 generation = m_generation;
    if (m_waiting)
        QTimer::singleShot(0, this, &InspectionController::submit); // after the supervisor is idle again
    deliver(generation, delivery);
}

void InspectionController::deliver(quint64 generation, const Delivery& delivery)
{
    // Jobs run in the order they were submitted, and a replaced one never delivers: anything newer
    // than what is shown is worth showing, even while a still newer request waits.
    if (generation <= m_shownGeneration)
        return;
    if (delivery.report && !delivery.preparedOnPool) {
        // Prepared on a pool thread: neither the GUI nor the Python thread waits for it, and Stop or a
        // newer report is never held up. The report is shown when it is ready, if still the newest.
        QPointer<InspectionController> guard(this);
        QThreadPool::globalInstance()->start([prepare = m_preparation, guard, generation, delivery] {
            Delivery prepared = delivery;
            prepared.preparedOnPool = true;
            try {
                prepared.prepared = prepare(delivery.report);
            } catch (const std::exception&) {
                // Made again on the GUI thread when the report is shown.
            }
            deliverLater(guard, generation, prepared);
        });
        return;
    }
    m_shownGeneration = generation;
    if (delivery.report) {
        m_state->setReport(delivery.prepared ? delivery.prepared : m_preparation(delivery.report));
    } else if (delivery.failure)
        m_state->setFailure(*delivery.failure);
    if (generation != m_generation)
        return;
    if (!m_debounce.isActive())
        m_state->setBusy(false);
    emit finished();
}

} // namespace stridescope
