#pragma once

#include "pyhost/inspectionreport.h"

#include <QString>

namespace stridescope {

// The human-readable form of an inspection (`stridescope inspect` without --json).
class TextReport
{
public:
    static QString render(const InspectionReport& report);
};

} // namespace stridescope
