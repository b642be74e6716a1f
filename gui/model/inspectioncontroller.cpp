#include "inspectioncontroller.h"

#include "pyhost/pythonhost.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

namespace stridescope {

// What one job hands back to the GUI thread: a report or a failure, never a live Python object.
struct InspectionController::Delivery
{
    std::shared_ptr<const InspectionReport> report;
    std::shared_ptr<const void> prepared; // what the preparation made of the report
    std::optional<InspectionState::Failure> failure;
    bool cancelled = false; // Stop dropped this request before it ran
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

InspectionController::InspectionController(InspectionState* state, QObject* parent)
    : QObject(parent), m_state(state)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &InspectionController::submit);
}

void InspectionController::requestInspection(const Scenario& scenario)
{
    m_next = scenario;
    m_debounce.start();
}

void InspectionController::inspectNow(const Scenario& scenario)
{
    m_next = scenario;
    m_debounce.stop();
    submit();
}

void InspectionController::stop()
{
    m_debounce.stop();
    if (!m_state->isBusy())
        return;
    PythonHost& host = PythonHost::instance();
    host.interrupt();
    // Stop means stop: a request queued behind the running one (an edit made while an endless
    // loop ran, say) is replaced by one that only says it was dropped.
    QPointer<InspectionController> guard(this);
    const quint64 generation = ++m_generation;
    host.submit(
        [guard, generation] {
            Delivery cancelled;
            cancelled.cancelled = true;
            deliverLater(guard, generation, cancelled);
        },
        "inspect");
}

void InspectionController::submit()
{
    PythonHost& host = PythonHost::instance();
    const quint64 generation = ++m_generation;
    if (!host.startupError().empty()) {
        InspectionState::Failure failure;
        failure.message =
            tr("The embedded Python did not start: %1").arg(QString::fromStdString(host.startupError()));
        Delivery delivery;
        delivery.failure = failure;
        deliver(generation, delivery);
        return;
    }
    m_state->setBusy(true);
    // The job outlives nothing on the GUI side: it copies what it needs, and its answer reaches the
    // controller only through a queued call that checks the controller still exists.
    QPointer<InspectionController> guard(this);
    auto job = [scenario = m_next, options = m_options, guard, generation] {
        Delivery delivery;
        try {
            delivery.report = std::make_shared<const InspectionReport>(Inspector::run(scenario, options));
        } catch (const SourceError& e) {
            InspectionState::Failure failure;
            failure.message = QString::fromStdString(e.what());
            failure.python = e.python;
            failure.output = QString::fromStdString(e.output);
            if (e.outputTruncated)
                failure.output += QStringLiteral("\n[output truncated]");
            delivery.failure = failure;
        } catch (const std::exception& e) {
            delivery.failure = InspectionState::Failure{QString::fromStdString(e.what()), std::nullopt, {}};
        }
        deliverLater(guard, generation, delivery);
    };
    // A superseded job never runs and delivers nothing: the newer one will. Its future is not
    // needed, the answer travels through the queued call above.
    host.submit(std::move(job), "inspect");
}

void InspectionController::deliver(quint64 generation, const Delivery& delivery)
{
    // Jobs run in the order they were submitted, and a replaced one never delivers: anything newer
    // than what is shown is worth showing, even while a still newer request waits.
    if (generation <= m_shownGeneration)
        return;
    if (delivery.report && m_preparation && !delivery.prepared) {
        // Prepared on a pool thread: neither the GUI nor the Python thread waits for it, and Stop or a
        // newer report is never held up. The report is shown when it is ready, if still the newest.
        QPointer<InspectionController> guard(this);
        QThreadPool::globalInstance()->start([prepare = m_preparation, guard, generation, delivery] {
            Delivery prepared = delivery;
            try {
                prepared.prepared = prepare(delivery.report);
            } catch (const std::exception&) {
                prepared.prepared = std::make_shared<int>(0); // drawn without it: views build what they need
            }
            deliverLater(guard, generation, prepared);
        });
        return;
    }
    m_shownGeneration = generation;
    if (delivery.report) {
        m_prepared = delivery.prepared; // held while the views pick it up
        m_state->setReport(delivery.report);
    } else if (delivery.failure)
        m_state->setFailure(*delivery.failure);
    if (generation != m_generation)
        return;
    if (!m_debounce.isActive())
        m_state->setBusy(false);
    emit finished();
}

} // namespace stridescope
