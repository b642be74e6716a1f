#pragma once

#include "pyhost/comparisonreport.h"

#include <QJsonObject>

namespace stridescope {

// The `comparison` object of `stridescope inspect --json` for a comparison scenario (README).
class ComparisonJson
{
public:
    static QJsonObject toObject(const ComparisonReport& comparison);
};

} // namespace stridescope
