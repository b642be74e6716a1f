#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace stridescope {

// The bytes of a scenario file, read by everyone who opens one (the command line, the window). A
// scenario is a few KiB of JSON: a file that is not a regular file (/dev/zero, a FIFO, a directory)
// or larger than maximumSize is refused before it is read, with one line saying why.
class ScenarioFileReader
{
public:
    static constexpr qint64 maximumSize = qint64(16) << 20;

    // The file's bytes, or nullopt with `error` ("PATH: why").
    static std::optional<QByteArray> read(const QString& path, QString* error);
};

} // namespace stridescope
