#include "siblingprogram.h"

#include <QFileInfo>
#include <QStringList>

namespace stridescope {

QStringList SiblingProgram::candidates(const QString& name)
{
    // /proc/self/exe: the program itself, wherever PATH or a symlink led to it (what Qt's
    // applicationDirPath reads too, but without needing a QCoreApplication).
    const QString directory = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    return {directory + QLatin1Char('/') + name,
            directory + QStringLiteral("/../libexec/stridescope/") + name};
}

QString SiblingProgram::find(const QString& name)
{
    for (const QString& candidate : candidates(name))
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    return {};
}

} // namespace stridescope
