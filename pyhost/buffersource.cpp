#include "buffersource.h"

#include "memoryviewsource.h"
#include "numpyfilesource.h"
#include "pythoncodesource.h"
#include "snapshotsource.h"
#include "stridedsource.h"

namespace stridescope {

std::unique_ptr<BufferSource> BufferSource::fromScenario(const Scenario& scenario, const SourceLimits& limits)
{
    switch (scenario.kind) {
    case Scenario::SourceKind::Strided:
        return std::make_unique<StridedSource>(scenario.strided, limits);
    case Scenario::SourceKind::Memory:
        return std::make_unique<MemoryViewSource>(scenario.strided, scenario.memoryFunction, limits);
    case Scenario::SourceKind::Python:
        return std::make_unique<PythonCodeSource>(scenario.code, scenario.importPath, limits);
    case Scenario::SourceKind::Snapshot:
        return std::make_unique<SnapshotSource>(scenario.strided, scenario.captured, limits);
    case Scenario::SourceKind::NumpyFile:
        return std::make_unique<NumpyFileSource>(scenario.path, scenario.member, limits);
    }
    throw SourceError("unknown source kind " + std::to_string(int(scenario.kind)));
}

} // namespace stridescope
