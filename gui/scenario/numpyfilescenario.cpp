#include "numpyfilescenario.h"

#include "pyhost/npzarchive.h"
#include "pyhost/regularfile.h"

#include <QFileInfo>

namespace stridescope {

bool NumpyFileScenario::isNumpyFileName(const QString& path)
{
    return path.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive) ||
           path.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive);
}

QString NumpyFileScenario::fileFilter()
{
    return QStringLiteral("NumPy arrays (*.npy *.npz)");
}

std::optional<NumpyFileScenario::Opened> NumpyFileScenario::open(const QString& path, const QString& member,
                                                                 QString* error)
{
    Opened opened;
    opened.scenario.kind = Scenario::SourceKind::NumpyFile;
    opened.scenario.path = QFileInfo(path).absoluteFilePath().toStdString();
    opened.scenario.member = member.toStdString();
    std::string why;
    const auto file = RegularFile::open(opened.scenario.path, &why);
    if (!file) {
        if (error)
            *error = QString::fromStdString(why);
        return std::nullopt;
    }
    if (NpzArchive::looksLikeZip(*file)) {
        opened.isArchive = true;
        const auto archive = NpzArchive::read(*file, &why);
        if (!archive) {
            if (error)
                *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(why));
            return std::nullopt;
        }
        for (const std::string& name : archive->memberNames())
            opened.members << QString::fromStdString(name);
        if (member.isEmpty() && opened.members.size() == 1)
            opened.scenario.member = opened.members.first().toStdString();
    }
    return opened;
}

QString NumpyFileScenario::listed(const QStringList& members)
{
    std::vector<std::string> names;
    for (const QString& m : members)
        names.push_back(m.toStdString());
    return QString::fromStdString(NpzArchive::listed(names));
}

QString NumpyFileScenario::title(const Scenario& scenario)
{
    const QString file = QFileInfo(QString::fromStdString(scenario.path)).fileName();
    return scenario.member.empty()
               ? file
               : QStringLiteral("%1 in %2").arg(QString::fromStdString(scenario.member), file);
}

} // namespace stridescope
