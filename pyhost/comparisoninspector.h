#pragma once

#include "inspectionreport.h"
#include "inspector.h"

namespace stridescope {

// A comparison scenario (Scenario::compare): runs the code once, inspects its two named objects,
// each with its own request, and works out what their views share. Runs on the Python thread;
// throws SourceError as Inspector::run does (also when the code does not define a name).
class ComparisonInspector
{
public:
    static InspectionReport run(const Scenario& scenario, const Inspector::Options& options);
    // What two inspected objects' FULL_RO views share, by address: the pair's verdict and bytes.
    static ComparisonReport compare(const InspectionReport& first, const InspectionReport& second);
};

} // namespace stridescope
