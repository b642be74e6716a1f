#pragma once

#include "pyhost/scenario.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace stridescope {

// A .npy or .npz file opened directly (the command line, File > Open, drag and drop): the
// data-only scenario that maps it (Scenario::SourceKind::NumpyFile, built by NumpyFileSource in
// the worker), and an .npz file's members, read from its zip directory so that the user can choose
// one. Only what can be known without numpy is checked here (a regular file, a readable zip
// directory); the array's header is read by numpy in the worker.
class NumpyFileScenario
{
public:
    // Whether a file is opened as a numpy file rather than a scenario: its name ends in .npy or .npz.
    static bool isNumpyFileName(const QString& path);
    // The file filter of open dialogs.
    static QString fileFilter();

    struct Opened
    {
        Scenario scenario;   // path absolute; member as given, or the only member of an .npz
        QStringList members; // an .npz file's arrays, in archive order; empty for an .npy file
        bool isArchive = false;
    };
    // The scenario for `path` (relative to the working directory) and `member` ("" = the only one,
    // left empty when there are several: the caller asks which), or nullopt with `error` (one line).
    static std::optional<Opened> open(const QString& path, const QString& member, QString* error);
    // "'x', 'y' and 3 more": the members, bounded, for a one-line message.
    static QString listed(const QStringList& members);
    // What the window calls the document: "a.npy", "x in b.npz".
    static QString title(const Scenario& scenario);
};

} // namespace stridescope
