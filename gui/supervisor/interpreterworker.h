#pragma once

#include "pyhost/workermessage.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>

#include <memory>

class QLocalSocket;

namespace stridescope {

// One stridescope-worker process: the embedded interpreter, reached over a socket (descriptor 3 in
// the worker), with its stdout and stderr captured - user code that writes to the file descriptors
// never reaches ours. Lives on the thread that created it; all signals arrive there.
class InterpreterWorker : public QObject
{
    Q_OBJECT

public:
    explicit InterpreterWorker(QString program, QObject* parent = nullptr);
    ~InterpreterWorker() override; // kills the process

    // Starts the process; ready() or died() follows.
    void start();
    bool isReady() const { return m_ready; }
    bool isDead() const { return m_dead; }
    qint64 pid() const;
    // The shared memory file the worker writes reports' snapshots into (ReportCodec), -1 if none.
    int snapshotFd() const { return m_snapshotFd; }

    void send(WorkerMessage::Kind kind, const std::string& payload);
    // Kills the process at once (SIGKILL); died() follows with `reason`.
    void kill(const QString& reason);

    // What the process wrote to its stdout and stderr since the last call, at most `limit` bytes
    // kept (the rest counted as dropped).
    QByteArray takeOutput(bool* truncated);
    void setOutputLimit(qsizetype limit) { m_outputLimit = limit; }

signals:
    void ready();
    void message(stridescope::WorkerMessage::Kind kind, const std::string& payload);
    // The process wrote to its stdout or stderr (takeOutput() has it).
    void outputArrived();
    // The process ended, crashed, broke the protocol or could not start: one sentence why.
    void died(const QString& reason);

private:
    void readSocket();
    void readOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void fail(const QString& reason);
    void killGroup();

    QString m_program;
    QProcess m_process;
    QLocalSocket* m_socket = nullptr;
    int m_snapshotFd = -1;
    qint64 m_pid = 0; // also the id of its process group
    QByteArray m_incoming;
    QByteArray m_output;
    qsizetype m_outputLimit = qsizetype(1) << 20;
    bool m_outputTruncated = false;
    bool m_ready = false;
    bool m_dead = false;
    QString m_killReason;
};

} // namespace stridescope
