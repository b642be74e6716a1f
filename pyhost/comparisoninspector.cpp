#include "comparisoninspector.h"

#include "bufferprobe.h"
#include "pythoncodesource.h"

#include "core/pairbytereach.h"

#include <limits>

namespace py = pybind11;

namespace stridescope {

namespace {

// Why a report's view cannot be compared by address, or "".
std::string notComparable(const InspectionReport& report, const std::string& name)
{
    if (!report.sourceBuffer)
        return "'" + name + "' exports no buffer";
    if (!report.memory)
        return "the memory '" + name + "' points into is unknown";
    if (report.sourceLayout.isIndirect())
        return "'" + name + "' is a PIL-style buffer (suboffsets): only direct views are compared";
    return {};
}

} // namespace

InspectionReport ComparisonInspector::run(const Scenario& scenario, const Inspector::Options& options)
{
    const ScenarioComparison& names = *scenario.compare;
    if (scenario.kind != Scenario::SourceKind::Python)
        throw SourceError("a comparison needs a Python source: its code defines both objects");
    for (const std::string* name : {&names.firstName, &names.secondName})
        if (auto problem = ScenarioComparison::nameProblem(*name))
            throw SourceError(*problem);
    PythonCodeSource source(scenario.code, scenario.importPath, options.limits, names.firstName);
    const BuiltSource first = source.build();
    BuiltSource second = first;
    second.output.clear();
    second.outputTruncated = false;
    const py::dict scope = first.keepAlive.cast<py::dict>();
    if (!scope.contains(names.secondName.c_str()))
        throw SourceError("the code does not define '" + names.secondName + "'", std::nullopt, first.output,
                          first.outputTruncated);
    second.object = scope[names.secondName.c_str()];

    const ProbeOptions probe = Inspector::probeOptions(options);
    InspectionReport report = BufferProbe::inspect(first, scenario.request, probe);
    report.scenario = scenario;
    auto secondReport =
        std::make_shared<InspectionReport>(BufferProbe::inspect(second, names.secondRequest, probe));
    secondReport->scenario = scenario;
    secondReport->scenario.request = names.secondRequest;
    secondReport->scenario.compare.reset();
    report.comparison = compare(report, *secondReport);
    report.comparison->second = std::move(secondReport);
    return report;
}

ComparisonReport ComparisonInspector::compare(const InspectionReport& first, const InspectionReport& second)
{
    ComparisonReport out;
    if (first.scenario.compare) {
        out.firstName = first.scenario.compare->firstName;
        out.secondName = first.scenario.compare->secondName;
    }
    out.notCompared = notComparable(first, out.firstName);
    if (out.notCompared.empty())
        out.notCompared = notComparable(second, out.secondName);
    if (!out.notCompared.empty())
        return out;
    const __int128 shift = __int128(second.memory->base) - __int128(first.memory->base);
    const __int128 where = shift + second.sourceLayout.bufOffset();
    if (where < std::numeric_limits<ByteOffset>::min() / 2 ||
        where > std::numeric_limits<ByteOffset>::max() / 2) {
        out.notCompared = "the two memory blocks lie too far apart to compare by offset";
        return out;
    }
    out.sameBlock = shift == 0 && first.memory->size == second.memory->size;
    out.secondShift = ByteOffset(shift);
    const StridedLayout& a = first.sourceLayout;
    const StridedLayout& s = second.sourceLayout;
    const StridedLayout b(s.itemSize(), s.shape(), s.strides(), ByteOffset(where));
    const auto verdict = ViewPairOverlap::decide(a, b);
    out.verdict = verdict.verdict;
    out.rangesMeet = verdict.rangesMeet;
    out.firstIndex = verdict.indexA;
    out.secondIndex = verdict.indexB;
    out.undecided = verdict.reason;
    const PairByteReach bytes = PairByteReach::compute(a, b);
    if (bytes.counted()) {
        out.bothBytes = bytes.both();
        out.onlyFirstBytes = bytes.onlyFirst();
        out.onlySecondBytes = bytes.onlySecond();
    } else {
        out.notCounted = bytes.refusal();
    }
    return out;
}

} // namespace stridescope
