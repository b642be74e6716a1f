#include "interpretersupervisor.h"

#include "siblingprogram.h"

#include "pyhost/reportcodec.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>

#include <algorithm>
#include <climits>
#include <cmath>

namespace stridescope {

InterpreterSupervisor::InterpreterSupervisor(QObject* parent) : QObject(parent)
{
    m_stopTimer.setSingleShot(true);
    m_stopTimer.setInterval(kStopGraceMs);
    connect(&m_stopTimer, &QTimer::timeout, this, [this] {
        // Name what was slow: the user's code, or (no code in the scenario) Stridescope's own work.
        if (m_job && m_job->worker)
            m_job->worker->kill(
                (m_job->scenario.runsUserCode()
                     ? tr("Stopped: the code did not stop within %1 s of Stop (C code, or code "
                          "that catches KeyboardInterrupt), so its interpreter was ended; a new "
                          "one was started")
                     : tr("Stopped: building or analysing this buffer did not stop within %1 s of "
                          "Stop, so its interpreter was ended; a new one was started"))
                    .arg(kStopGraceMs / 1000.0));
    });
}

InterpreterSupervisor::~InterpreterSupervisor()
{
    // The workers are children: their destructors kill them. Nothing may be reported meanwhile.
    for (InterpreterWorker* worker : findChildren<InterpreterWorker*>())
        worker->disconnect(this);
}

QString InterpreterSupervisor::workerProgram()
{
    const QString given = qEnvironmentVariable("STRIDESCOPE_WORKER");
    if (!given.isEmpty())
        return given;
    const QString installed = SiblingProgram::find(QStringLiteral("stridescope-worker"));
    if (!installed.isEmpty())
        return installed;
    // The build tree, for tests run by hand.
    const QString built = QStringLiteral(STRIDESCOPE_WORKER_BUILD_PATH);
    if (QFileInfo(built).isExecutable())
        return built;
    return SiblingProgram::candidates(QStringLiteral("stridescope-worker")).first();
}

InterpreterWorker* InterpreterSupervisor::makeWorker()
{
    auto* worker = new InterpreterWorker(workerProgram(), this);
    connect(worker, &InterpreterWorker::ready, this, [this, worker] {
        if (m_job && m_job->worker == worker && !m_job->sent)
            dispatch();
    });
    connect(worker, &InterpreterWorker::message, this,
            [this, worker](WorkerMessage::Kind kind, const std::string& payload) {
                onMessage(worker, kind, payload);
            });
    connect(worker, &InterpreterWorker::died, this,
            [this, worker](const QString& reason) { onDied(worker, reason); });
    worker->start();
    return worker;
}

void InterpreterSupervisor::warmUp()
{
    if (m_spare)
        return;
    InterpreterWorker* worker = makeWorker();
    if (!worker->isDead()) // a worker that could not even start has been reported and dropped
        m_spare = worker;
}

void InterpreterSupervisor::inspect(const Scenario& scenario, const Inspector::Options& options)
{
    Q_ASSERT(!m_job);
    InterpreterWorker* worker = nullptr;
    bool fresh = false;
    if (!scenario.runsUserCode() && m_shared) {
        worker = m_shared;
    } else {
        warmUp();
        worker = std::exchange(m_spare, nullptr);
        fresh = true;
        if (!worker) {
            InspectionOutcome outcome;
            outcome.workerLost = true;
            outcome.failure = SourceError(m_lastDeath.toStdString());
            emit finished(outcome);
            return;
        }
        if (!scenario.runsUserCode())
            m_shared = worker; // data-only scenarios keep it: it will never run user code
    }
    m_job = Job{scenario, options, worker, fresh, false, false};
    worker->setOutputLimit(qsizetype(std::min<std::size_t>(options.limits.outputLimit, INT_MAX)));
    worker->takeOutput(nullptr); // what it wrote before this job is not this job's output
    if (worker->isReady())
        dispatch();
    // The next scenario with code gets a fresh interpreter without waiting for one to start.
    if (m_keepSpare && !m_spare && m_job)
        warmUp();
}

void InterpreterSupervisor::dispatch()
{
    m_job->sent = true;
    m_job->worker->send(WorkerMessage::Kind::Inspect,
                        ReportCodec::encode(ReportCodec::InspectRequest{m_job->scenario, m_job->options}));
    if (m_job->stopping)
        m_job->worker->send(WorkerMessage::Kind::Interrupt, {});
}

void InterpreterSupervisor::stop()
{
    if (!m_job)
        return;
    m_job->stopping = true;
    if (!m_job->sent) {
        // It never ran: the worker is still as it was, and the job ends here.
        InspectionOutcome outcome;
        outcome.stopped = true;
        outcome.failure = SourceError(tr("Stopped before it ran").toStdString());
        if (m_job->scenario.runsUserCode() && !m_spare)
            m_spare = m_job->worker;
        else if (m_job->scenario.runsUserCode())
            retire(m_job->worker);
        complete(std::move(outcome));
        return;
    }
    m_job->worker->send(WorkerMessage::Kind::Interrupt, {});
    m_stopTimer.start();
}

void InterpreterSupervisor::onMessage(InterpreterWorker* worker, WorkerMessage::Kind kind,
                                      const std::string& payload)
{
    if (!m_job || m_job->worker != worker)
        return; // an answer nobody waits for any more
    InspectionOutcome outcome;
    outcome.stopped = m_job->stopping;
    try {
        if (kind == WorkerMessage::Kind::Report) {
            auto report = std::make_shared<InspectionReport>(
                ReportCodec::decodeReport(payload, worker->snapshotFd(), m_job->options.probe.snapshotLimit));
            collectOutput(worker, report->output, report->outputTruncated);
            report->workerPid = worker->pid();
            report->interpreterUse = m_job->fresh ? InspectionReport::InterpreterUse::Fresh
                                                  : InspectionReport::InterpreterUse::Reused;
            outcome.report = std::move(report);
        } else if (kind == WorkerMessage::Kind::Failure) {
            SourceError error = ReportCodec::decodeSourceError(payload);
            std::string output = error.output;
            bool truncated = error.outputTruncated;
            collectOutput(worker, output, truncated);
            outcome.failure = SourceError(error.what(), error.python, std::move(output), truncated);
        } else {
            throw WireError("the worker sent a message only the supervisor sends");
        }
    } catch (const std::exception& e) {
        // WireError, and bad_alloc or length_error from sizes a hostile worker made up: the worker
        // runs user code, so its answer is checked like a file from anyone.
        worker->kill(
            tr("the interpreter worker's answer was malformed (%1)").arg(QString::fromStdString(e.what())));
        return;
    }
    if (!m_job || m_job->worker != worker)
        return; // the worker died while its output was read; that ended the job
    if (m_job->scenario.runsUserCode())
        retire(worker); // whatever the code did to its interpreter stays there
    complete(std::move(outcome));
}

void InterpreterSupervisor::onDied(InterpreterWorker* worker, const QString& reason)
{
    m_lastDeath = reason;
    if (m_spare == worker)
        m_spare = nullptr;
    if (m_shared == worker)
        m_shared = nullptr;
    const bool ranJob = m_job && m_job->worker == worker;
    std::string output;
    bool truncated = false;
    if (ranJob)
        collectOutput(worker, output, truncated);
    worker->disconnect(this);
    worker->deleteLater();
    if (!ranJob)
        return; // a spare: the next inspection starts another
    InspectionOutcome outcome;
    outcome.stopped = m_job->stopping;
    outcome.workerLost = true;
    const bool wasRunning = m_job->sent; // else it never started: starting another would fail alike
    QString message = reason;
    if (wasRunning && !m_job->stopping)
        message += m_job->scenario.runsUserCode()
                       ? tr(" while running your code; a new interpreter was started")
                       : tr(" while inspecting the buffer; a new interpreter was started");
    outcome.failure = SourceError(message.toStdString(), std::nullopt, std::move(output), truncated);
    complete(std::move(outcome));
    if (wasRunning && m_keepSpare)
        warmUp();
}

void InterpreterSupervisor::complete(InspectionOutcome outcome)
{
    m_stopTimer.stop();
    m_job.reset();
    emit finished(outcome);
}

void InterpreterSupervisor::retire(InterpreterWorker* worker)
{
    if (m_shared == worker)
        m_shared = nullptr;
    if (m_spare == worker)
        m_spare = nullptr;
    worker->disconnect(this);
    worker->deleteLater(); // its destructor kills the process
}

void InterpreterSupervisor::collectOutput(InterpreterWorker* worker, std::string& output,
                                          bool& truncated) const
{
    bool dropped = false;
    const QByteArray written = worker->takeOutput(&dropped);
    if (written.isEmpty() && !dropped)
        return;
    // The worker prints straight to its descriptors, so this is usually all the output there is;
    // what a source captured itself comes first, under its own heading.
    if (!output.empty()) {
        if (output.back() != '\n')
            output += '\n';
        output += "--- written to the interpreter's file descriptors 1 and 2 ---\n";
    }
    output.append(written.constData(), std::size_t(written.size()));
    truncated = truncated || dropped;
}

InspectionOutcome InterpreterSupervisor::inspectAndWait(const Scenario& scenario,
                                                        const Inspector::Options& options,
                                                        double timeoutSeconds, bool* timedOut)
{
    QEventLoop loop;
    InspectionOutcome result;
    bool done = false;
    const auto connection =
        connect(this, &InterpreterSupervisor::finished, &loop, [&](const InspectionOutcome& o) {
            result = o;
            done = true;
            loop.quit();
        });
    bool expired = false;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, this, [&] {
        expired = true;
        stop();
    });
    if (timeoutSeconds > 0)
        timer.start(
            int(std::min<double>(std::ceil(timeoutSeconds * 1000.0), INT_MAX))); // 0.0001 s is 1 ms, not 0
    inspect(scenario, options);
    if (!done)
        loop.exec();
    disconnect(connection);
    if (timedOut)
        *timedOut = expired;
    return result;
}

} // namespace stridescope

// Compiled here, not in the library-wide mocs_compilation.cpp: the text commands link this
// class alone, without the window classes that file would pull in.
#include "moc_interpretersupervisor.cpp"
