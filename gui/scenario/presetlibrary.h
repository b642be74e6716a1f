#pragma once

#include "scenariofile.h"

#include <QList>
#include <QString>

#include <optional>

namespace stridescope {

// A built-in teaching scenario (resources/presets/NAME.json).
struct Preset
{
    QString name;
    Scenario scenario;
    ScenarioNotes notes;
};

// The teaching scenarios shipped in the resources, in the order of resources/presets/order.txt.
class PresetLibrary
{
public:
    static const QList<Preset>& all();
    static std::optional<Preset> find(const QString& name);
    static QString defaultName() { return QStringLiteral("transpose"); }
};

} // namespace stridescope
