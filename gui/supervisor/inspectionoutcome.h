#pragma once

#include "pyhost/inspectionreport.h"
#include "pyhost/sourceerror.h"

#include <QMetaType>

#include <memory>
#include <optional>

namespace stridescope {

// What one supervised inspection ended with: a report, or why there is none.
struct InspectionOutcome
{
    std::shared_ptr<const InspectionReport> report;
    std::optional<SourceError> failure;
    bool stopped = false;    // ended by InterpreterSupervisor::stop()
    bool workerLost = false; // the interpreter crashed, hung or was killed: a new one was started
};

} // namespace stridescope

Q_DECLARE_METATYPE(stridescope::InspectionOutcome)
