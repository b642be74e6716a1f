#pragma once

#include "buffersource.h"
#include "stridedsourcespec.h"

namespace stridescope {

// A buffer described by hand and exported by Stridescope's own exporter (StridedBufferType).
// The object passed to PyMemoryView_GetContiguous is the StridedBuffer itself, so every request the
// call makes reaches an exporter that honours the flags exactly.
class StridedSource final : public BufferSource
{
public:
    StridedSource(StridedSourceSpec spec, SourceLimits limits);

    // object = the StridedBuffer; memory = its whole block (owner "StridedBuffer memory").
    BuiltSource build() override;

    const StridedSourceSpec& spec() const { return m_spec; }

private:
    StridedSourceSpec m_spec;
    SourceLimits m_limits;
};

} // namespace stridescope
