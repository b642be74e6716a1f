#pragma once

#include <QStringList>

namespace stridescope {

// `stridescope presets [--json]`: the built-in teaching scenarios, name and one-line summary.
class PresetsCommand
{
public:
    static int run(const QStringList& arguments);
};

} // namespace stridescope
