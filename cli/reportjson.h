#pragma once

#include "pyhost/inspectionreport.h"

#include <QJsonArray>
#include <QJsonObject>

namespace stridescope {

// The machine-readable form of an inspection (`stridescope inspect --json`; field names in README).
class ReportJson
{
public:
    static QJsonObject toObject(const InspectionReport& report);
    static QJsonObject bufferObject(const ExportedBuffer& buffer);
    // The request matrix with its verdicts (`stridescope requests --json`: the `requests` array).
    static QJsonArray requestsArray(const InspectionReport& report);
};

} // namespace stridescope
