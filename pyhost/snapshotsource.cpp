#include "snapshotsource.h"

#include "stridedbuffertype.h"

namespace stridescope {

SnapshotSource::SnapshotSource(StridedSourceSpec layout, CapturedMemory captured, SourceLimits limits)
    : m_layout(std::move(layout)), m_captured(std::move(captured)), m_limits(limits)
{
}

std::string SnapshotSource::ownerOf(const CapturedMemory& captured)
{
    return "a snapshot of " +
           (captured.capturedFrom.empty() ? std::string("an exporter") : captured.capturedFrom) + "'s memory";
}

BuiltSource SnapshotSource::build()
{
    BuiltSource built;
    built.object = StridedBufferType::create(m_layout, m_limits, &m_captured.data());
    built.memory = StridedBufferType::memoryOf(built.object.ptr());
    if (built.memory)
        built.memory->owner = ownerOf(m_captured);
    return built;
}

} // namespace stridescope
