#pragma once

#include "pyhost/comparisonreport.h"

#include <QString>

namespace stridescope {

// The human-readable form of a comparison scenario (`stridescope inspect`): a heading per object,
// the second object's report, and the "Shares memory" section.
class ComparisonText
{
public:
    static QString heading(const QString& name);
    // The second object's report and the "Shares memory" section, to follow the first's report.
    static QString render(const ComparisonReport& comparison);
};

} // namespace stridescope
