#include "inspector.h"

#include "bufferprobe.h"

namespace stridescope {

InspectionReport Inspector::run(const Scenario& scenario, const Options& options)
{
    auto source = BufferSource::fromScenario(scenario, options.limits);
    BuiltSource built = source->build();
    ProbeOptions probe = options.probe;
    probe.copyLimit = options.limits.allocationLimit;
    InspectionReport report = BufferProbe::inspect(built, scenario.request, probe);
    report.scenario = scenario;
    return report;
}

} // namespace stridescope
