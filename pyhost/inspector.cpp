#include "inspector.h"

#include "bufferprobe.h"
#include "comparisoninspector.h"

namespace stridescope {

InspectionReport Inspector::run(const Scenario& scenario, const Options& options)
{
    if (scenario.compare)
        return ComparisonInspector::run(scenario, options);
    auto source = BufferSource::fromScenario(scenario, options.limits);
    BuiltSource built = source->build();
    InspectionReport report = BufferProbe::inspect(built, scenario.request, probeOptions(options));
    report.scenario = scenario;
    return report;
}

ProbeOptions Inspector::probeOptions(const Options& options)
{
    ProbeOptions probe = options.probe;
    probe.copyLimit = options.limits.allocationLimit;
    return probe;
}

} // namespace stridescope
