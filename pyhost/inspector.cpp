#include "inspector.h"

#include "bufferprobe.h"

namespace stridescope {

InspectionReport Inspector::run(const Scenario& scenario, const Options& options)
{
    auto source = BufferSource::fromScenario(scenario, options.limits);
    BuiltSource built = source->build();
    InspectionReport report = BufferProbe::inspect(built, scenario.request, options.probe);
    report.scenario = scenario;
    return report;
}

} // namespace stridescope
