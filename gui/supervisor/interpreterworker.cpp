#include "interpreterworker.h"

#include "pyhost/reportcodec.h"

#include <QLocalSocket>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace stridescope {

namespace {

constexpr int kWorkerSocketFd = 3;   // where the worker expects its socket (worker/main.cpp)
constexpr int kWorkerSnapshotFd = 4; // and its shared memory file for snapshots

QString signalName(int signal)
{
    const char* abbreviation = ::sigabbrev_np(signal);
    return abbreviation ? QStringLiteral("SIG%1").arg(QString::fromLatin1(abbreviation))
                        : QStringLiteral("signal %1").arg(signal);
}

} // namespace

InterpreterWorker::InterpreterWorker(QString program, QObject* parent)
    : QObject(parent), m_program(std::move(program))
{
    m_process.setProgram(m_program);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardInputFile(QProcess::nullDevice()); // input() ends at once, never blocks
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &InterpreterWorker::readOutput);
    connect(&m_process, &QProcess::finished, this, &InterpreterWorker::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("the interpreter worker %1 could not be started: %2")
                     .arg(m_program, m_process.errorString()));
    });
}

InterpreterWorker::~InterpreterWorker()
{
    m_process.disconnect(this);
    killGroup();
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
    if (m_snapshotFd >= 0)
        ::close(m_snapshotFd);
}

qint64 InterpreterWorker::pid() const
{
    return m_pid;
}

void InterpreterWorker::start()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        fail(
            tr("no socket for the interpreter worker: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    m_socket = new QLocalSocket(this);
    m_socket->setReadBufferSize(0);
    if (!m_socket->setSocketDescriptor(fds[0])) {
        ::close(fds[0]);
        ::close(fds[1]);
        fail(tr("the interpreter worker's socket could not be used"));
        return;
    }
    connect(m_socket, &QLocalSocket::readyRead, this, &InterpreterWorker::readSocket);
    const int childFd = fds[1];
    // Reports carry their byte snapshots through this file, not the socket (sparse until written).
    m_snapshotFd = ::memfd_create("stridescope-snapshots", MFD_CLOEXEC);
    const int snapshotFd = m_snapshotFd;
    // Between fork and exec: the worker's end becomes its descriptor 3 and the shared memory its
    // descriptor 4, both inherited across exec. Moved out of the way first, in case either
    // already sits on 3 or 4.
    m_process.setChildProcessModifier([childFd, snapshotFd] {
        // A process group of its own, so that whatever the code starts (fork, subprocess) ends with
        // the worker; and the worker ends with us.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int socketCopy = ::fcntl(childFd, F_DUPFD_CLOEXEC, 10);
        const int sharedCopy = snapshotFd >= 0 ? ::fcntl(snapshotFd, F_DUPFD_CLOEXEC, 10) : -1;
        ::dup2(socketCopy, kWorkerSocketFd);
        if (sharedCopy >= 0)
            ::dup2(sharedCopy, kWorkerSnapshotFd);
    });
    m_process.start();
    m_pid = m_process.processId();
    ::close(childFd); // the worker holds it now; when it dies, the socket reports the end
}

void InterpreterWorker::send(WorkerMessage::Kind kind, const std::string& payload)
{
    if (m_dead || !m_socket)
        return;
    const std::string header = WorkerMessage::header(kind, payload.size());
    m_socket->write(header.data(), qint64(header.size()));
    m_socket->write(payload.data(), qint64(payload.size()));
    m_socket->flush();
}

void InterpreterWorker::kill(const QString& reason)
{
    if (m_dead)
        return;
    if (m_killReason.isEmpty())
        m_killReason = reason;
    if (m_process.state() == QProcess::NotRunning) {
        fail(reason);
        return;
    }
    killGroup();
    m_process.kill();
}

void InterpreterWorker::killGroup()
{
    if (m_pid > 0)
        ::kill(-pid_t(m_pid), SIGKILL); // the worker and every process its code started
}

QByteArray InterpreterWorker::takeOutput(bool* truncated)
{
    // The worker wrote its output before its answer: it is in the pipe, if not yet in QProcess's
    // buffer. Poll without waiting until the pipe is empty.
    while (m_process.state() == QProcess::Running && m_process.waitForReadyRead(0)) {
    }
    readOutput();
    if (truncated)
        *truncated = m_outputTruncated;
    m_outputTruncated = false;
    return std::exchange(m_output, {});
}

void InterpreterWorker::readOutput()
{
    const QByteArray chunk = m_process.readAllStandardOutput();
    const qsizetype room = std::max<qsizetype>(0, m_outputLimit - m_output.size());
    m_output.append(chunk.left(room));
    if (chunk.size() > room)
        m_outputTruncated = true;
    if (!chunk.isEmpty())
        emit outputArrived();
}

void InterpreterWorker::readSocket()
{
    m_incoming.append(m_socket->readAll());
    while (!m_dead && m_incoming.size() >= qsizetype(WorkerMessage::kHeaderSize)) {
        try {
            const auto [kind, size] = WorkerMessage::parseHeader(
                std::string_view(m_incoming.constData(), WorkerMessage::kHeaderSize));
            const qsizetype total = qsizetype(WorkerMessage::kHeaderSize + size);
            if (m_incoming.size() < total)
                return;
            std::string payload(m_incoming.constData() + WorkerMessage::kHeaderSize, std::size_t(size));
            m_incoming.remove(0, total);
            if (kind == WorkerMessage::Kind::Ready) {
                const ReportCodec::Ready ready = ReportCodec::decodeReady(payload);
                if (!ready.startupError.empty()) {
                    kill(tr("the embedded Python did not start: %1")
                             .arg(QString::fromStdString(ready.startupError)));
                    return;
                }
                m_ready = true;
                emit this->ready();
            } else {
                emit message(kind, payload);
            }
        } catch (const std::exception& e) {
            kill(tr("the interpreter worker broke its protocol (%1)").arg(QString::fromStdString(e.what())));
            return;
        }
    }
}

void InterpreterWorker::onFinished(int exitCode, QProcess::ExitStatus status)
{
    killGroup(); // processes the code started outlive a crashed worker otherwise
    readOutput();
    if (!m_killReason.isEmpty())
        fail(m_killReason);
    else if (status == QProcess::CrashExit)
        fail(tr("the interpreter crashed with %1").arg(signalName(exitCode)));
    else
        fail(tr("the interpreter exited with code %1").arg(exitCode));
}

void InterpreterWorker::fail(const QString& reason)
{
    if (m_dead)
        return;
    m_dead = true;
    m_ready = false;
    emit died(reason);
}

} // namespace stridescope

// Compiled here, not in the library-wide mocs_compilation.cpp: the text commands link this
// class alone, without the window classes that file would pull in.
#include "moc_interpreterworker.cpp"
