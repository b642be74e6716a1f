#include "scenariofilereader.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace stridescope {

namespace {

QString sizeText(qint64 bytes)
{
    return bytes >= (qint64(1) << 20) ? QStringLiteral("%1 MiB").arg(double(bytes) / (1 << 20), 0, 'f', 1)
                                      : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

std::optional<QByteArray> ScenarioFileReader::read(const QString& path, QString* error)
{
    const auto fail = [&](const QString& why) -> std::optional<QByteArray> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return std::nullopt;
    };
    const QString limit = QStringLiteral("scenario files are at most %1").arg(sizeText(maximumSize));
    // Looked at before opening: opening a FIFO would wait for a writer.
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return fail(info.isDir() ? QStringLiteral("is a directory, not a scenario file")
                                 : QStringLiteral("is not a regular file (a device, FIFO or socket)"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read: %1").arg(file.errorString()));
    // Checked again on the open file, which may not be the one looked at.
    struct stat st;
    if (::fstat(file.handle(), &st) != 0 || !S_ISREG(st.st_mode))
        return fail(QStringLiteral("is not a regular file (a device, FIFO or socket)"));
    if (st.st_size > maximumSize)
        return fail(QStringLiteral("is %1; %2").arg(sizeText(st.st_size), limit));
    // A file that grows while it is read is still cut off at the limit.
    QByteArray bytes = file.read(maximumSize + 1);
    if (bytes.size() > maximumSize)
        return fail(QStringLiteral("is larger than %1; %2").arg(sizeText(maximumSize), limit));
    if (file.error() != QFileDevice::NoError)
        return fail(QStringLiteral("cannot read: %1").arg(file.errorString()));
    return bytes;
}

} // namespace stridescope
