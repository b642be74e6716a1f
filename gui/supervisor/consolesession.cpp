#include "consolesession.h"

#include "interpretersupervisor.h"

#include "pyhost/consolelimits.h"
#include "pyhost/reportcodec.h"

namespace stridescope {

ConsoleSession::ConsoleSession(QObject* parent) : QObject(parent)
{
    m_stopTimer.setSingleShot(true);
    m_stopTimer.setInterval(InterpreterSupervisor::kStopGraceMs);
    connect(&m_stopTimer, &QTimer::timeout, this, [this] {
        if (m_worker)
            m_worker->kill(tr("Stopped: the command did not stop within %1 s of Stop (C code, or code that "
                              "catches KeyboardInterrupt), so the console's interpreter was ended")
                               .arg(InterpreterSupervisor::kStopGraceMs / 1000.0));
    });
}

ConsoleSession::~ConsoleSession()
{
    end();
}

void ConsoleSession::end()
{
    m_stopTimer.stop();
    m_task = Task::None;
    m_queuedCommand.reset();
    if (m_worker) {
        m_worker->disconnect(this);
        delete m_worker; // kills the process and what it started
    }
}

void ConsoleSession::start(const Scenario& scenario, const Inspector::Options& options, bool runScenario)
{
    end();
    ReportCodec::ConsoleStart request{scenario, options, runScenario};
    // Shown reports travel inline, so their snapshots are small (the worker holds to this too).
    request.options.probe.snapshotLimit =
        std::min(request.options.probe.snapshotLimit, ConsoleLimits::maximumSnapshotBytes);
    m_snapshotLimit = request.options.probe.snapshotLimit;
    m_startPayload = ReportCodec::encode(request);
    m_sentStart = false;
    m_task = Task::Starting;
    auto* worker = new InterpreterWorker(InterpreterSupervisor::workerProgram(), this);
    m_worker = worker;
    worker->setOutputLimit(qsizetype(options.limits.outputLimit));
    connect(worker, &InterpreterWorker::ready, this, &ConsoleSession::sendPending);
    connect(worker, &InterpreterWorker::message, this, &ConsoleSession::onMessage);
    connect(worker, &InterpreterWorker::died, this, &ConsoleSession::onDied);
    // Queued: output read while a message is handled is taken there, in order, not re-entered.
    connect(worker, &InterpreterWorker::outputArrived, this, &ConsoleSession::flushOutput,
            Qt::QueuedConnection);
    worker->start();
}

void ConsoleSession::sendPending()
{
    if (!m_worker || !m_worker->isReady() || m_sentStart)
        return;
    m_sentStart = true;
    m_worker->send(WorkerMessage::Kind::ConsoleStart, m_startPayload);
}

void ConsoleSession::run(const QString& command)
{
    if (!isStarted())
        return;
    if (m_task == Task::Starting && !m_queuedCommand) {
        m_queuedCommand = command;
        return;
    }
    if (m_task != Task::None)
        return;
    m_task = Task::Running;
    m_worker->send(WorkerMessage::Kind::ConsoleRun, ReportCodec::encodeText(command.toStdString()));
}

void ConsoleSession::complete(const QString& text)
{
    if (!isStarted() || m_task != Task::None)
        return;
    m_task = Task::Completing;
    m_completing = text;
    m_worker->send(WorkerMessage::Kind::ConsoleComplete, ReportCodec::encodeText(text.toStdString()));
}

void ConsoleSession::stop()
{
    if (!isStarted() || m_task == Task::None)
        return;
    m_queuedCommand.reset();
    m_worker->send(WorkerMessage::Kind::Interrupt, {});
    m_stopTimer.start();
}

void ConsoleSession::flushOutput()
{
    if (!m_worker)
        return;
    bool truncated = false;
    const QByteArray written = m_worker->takeOutput(&truncated);
    if (!written.isEmpty())
        emit output(QString::fromUtf8(written));
    if (truncated)
        emit output(tr("\n[more output was written than the console keeps; the rest was dropped]\n"));
}

void ConsoleSession::onMessage(WorkerMessage::Kind kind, const std::string& payload)
{
    // The worker runs user code: its answers are checked like a file from anyone.
    try {
        flushOutput(); // what the code printed before this answer comes first
        if (kind == WorkerMessage::Kind::Report && m_task == Task::Running) {
            auto report =
                std::make_shared<InspectionReport>(ReportCodec::decodeReport(payload, -1, m_snapshotLimit));
            report->workerPid = m_worker->pid();
            report->interpreterUse = InspectionReport::InterpreterUse::Console;
            emit shown(std::move(report));
        } else if (kind == WorkerMessage::Kind::ConsoleDone &&
                   (m_task == Task::Starting || m_task == Task::Running)) {
            const ConsoleAnswer answer = ReportCodec::decodeConsoleAnswer(payload);
            done();
            emit finished(answer.ok, QString::fromStdString(answer.message));
            if (m_queuedCommand && isStarted())
                run(*std::exchange(m_queuedCommand, std::nullopt));
        } else if (kind == WorkerMessage::Kind::ConsoleCompletions && m_task == Task::Completing) {
            const std::vector<std::string> found = ReportCodec::decodeTexts(payload);
            if (found.size() > ConsoleLimits::maximumCompletions)
                throw WireError("more completions than were asked for");
            QStringList completions;
            for (const std::string& text : found)
                completions.append(QString::fromStdString(text));
            done();
            emit completed(m_completing, completions);
        } else {
            throw WireError("an answer the console did not ask for");
        }
    } catch (const std::exception& e) {
        if (m_worker)
            m_worker->kill(tr("the console's interpreter broke its protocol (%1)")
                               .arg(QString::fromStdString(e.what())));
    }
}

void ConsoleSession::done()
{
    m_stopTimer.stop();
    m_task = Task::None;
}

void ConsoleSession::onDied(const QString& reason)
{
    flushOutput();
    if (m_worker) {
        m_worker->disconnect(this);
        m_worker->deleteLater();
        m_worker = nullptr;
    }
    m_stopTimer.stop();
    m_task = Task::None;
    m_queuedCommand.reset();
    emit ended(reason);
}

} // namespace stridescope
