#include "stridedsource.h"

#include "stridedbuffertype.h"

namespace stridescope {

StridedSource::StridedSource(StridedSourceSpec spec, SourceLimits limits)
    : m_spec(std::move(spec)), m_limits(limits)
{
}

BuiltSource StridedSource::build()
{
    BuiltSource built;
    built.object = StridedBufferType::create(m_spec, m_limits);
    built.memory = StridedBufferType::memoryOf(built.object.ptr());
    return built;
}

} // namespace stridescope
