#pragma once

#include "buffersource.h"
#include "capturedmemory.h"
#include "stridedsourcespec.h"

namespace stridescope {

// A snapshot: the layout and bytes another exporter had when SnapshotCapture captured them,
// exported again by Stridescope's own exporter (StridedBufferType) with its block holding the
// captured bytes. So a bug report carries the exact layout and values without the author's
// extension, and the probe, the pictures and the request matrix see an ordinary StridedBuffer.
class SnapshotSource final : public BufferSource
{
public:
    SnapshotSource(StridedSourceSpec layout, CapturedMemory captured, SourceLimits limits);

    // object = the StridedBuffer; memory = its whole block, owned by "a snapshot of TYPE's memory".
    BuiltSource build() override;

    // How the memory block of a snapshot is named: where its bytes came from.
    static std::string ownerOf(const CapturedMemory& captured);

private:
    StridedSourceSpec m_layout;
    CapturedMemory m_captured;
    SourceLimits m_limits;
};

} // namespace stridescope
