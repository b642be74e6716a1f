#pragma once

// The real stridescope binary ($STRIDESCOPE_BINARY), run as a user runs it: shared by the suites
// that test its commands.
#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace testcli {

struct Run
{
    int exitCode = -1; // -1: did not finish in time; -2: crashed
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// Runs the binary with `arguments` (the command first).
inline Run run(const QStringList& arguments, int timeoutMs = 60000)
{
    QProcess process;
    process.start(qEnvironmentVariable("STRIDESCOPE_BINARY"), arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace testcli
