#pragma once

#include "pyhost/sourceerror.h"

#include <QString>

#include <optional>

namespace stridescope {

// Why an inspection has no report, as the window tells it: the supervised outcome's failure, or
// consent not yet given.
struct InspectionFailure
{
    QString message;                   // one line
    std::optional<PythonError> python; // with traceback, when Python raised
    QString output;                    // what the code printed before it failed
    bool stopped = false;              // ended by Stop
    bool interpreterLost = false;      // the interpreter crashed or was killed; a new one runs
    bool notRun = false;               // nothing ran: the user has not allowed this code yet
};

} // namespace stridescope
