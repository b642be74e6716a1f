#include "presetlibrary.h"

#include <QFile>

namespace stridescope {

const QList<Preset>& PresetLibrary::all()
{
    static const QList<Preset> presets = [] {
        QList<Preset> list;
        QFile order(QStringLiteral(":/presets/order.txt"));
        if (!order.open(QIODevice::ReadOnly))
            qFatal("the preset resources are missing from this build");
        for (const QByteArray& line : order.readAll().split('\n')) {
            const QString name = QString::fromUtf8(line.trimmed());
            if (name.isEmpty())
                continue;
            QFile file(QStringLiteral(":/presets/%1.json").arg(name));
            QString error;
            Preset preset;
            preset.name = name;
            std::optional<Scenario> scenario;
            if (file.open(QIODevice::ReadOnly))
                scenario = ScenarioFile::parse(file.readAll(), &error, &preset.notes);
            if (!scenario)
                qFatal("preset %s is broken: %s", qPrintable(name), qPrintable(error));
            preset.scenario = *scenario;
            list.append(preset);
        }
        return list;
    }();
    return presets;
}

std::optional<Preset> PresetLibrary::find(const QString& name)
{
    for (const Preset& p : all())
        if (p.name == name)
            return p;
    return std::nullopt;
}

} // namespace stridescope
