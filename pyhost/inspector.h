#pragma once

#include "inspectionreport.h"
#include "probeoptions.h"
#include "scenario.h"
#include "sourceerror.h"
#include "sourcelimits.h"

namespace stridescope {

// One inspection from a scenario: build the source, probe the real call, return the report.
// Runs on the Python thread (submit it to PythonHost); throws SourceError when the source cannot be
// built (invalid layout, Python exception, interrupted).
class Inspector
{
public:
    struct Options
    {
        SourceLimits limits;
        ProbeOptions probe;
    };

    static InspectionReport run(const Scenario& scenario, const Options& options);
    // What the probe is asked for: options.probe, with copies bounded by the allocation limit.
    static ProbeOptions probeOptions(const Options& options);
};

} // namespace stridescope
