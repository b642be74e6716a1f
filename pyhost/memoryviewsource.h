#pragma once

#include "buffersource.h"
#include "stridedsourcespec.h"

namespace stridescope {

// A memoryview built straight from C memory, the cases where PyMemoryView_GET_BASE is NULL:
//   FromMemory: PyMemoryView_FromMemory over the whole memory block: 1-d, format 'B', writable
//               unless spec.readonly (the rest of the spec only shapes the block and its fill).
//   FromBuffer: PyMemoryView_FromBuffer with a Py_buffer carrying the spec's buf, len, itemsize,
//               format, ndim, shape, strides, suboffsets and readonly, and obj = NULL.
// The memory (and, for FromBuffer, the format string the memoryview keeps pointing to) belongs to
// a StridedBuffer built from the same spec, returned in BuiltSource::keepAlive: it must outlive the
// memoryview and everything made from it.
class MemoryViewSource final : public BufferSource
{
public:
    MemoryViewSource(StridedSourceSpec spec, MemoryViewFunction function, SourceLimits limits);

    BuiltSource build() override;

    const StridedSourceSpec& spec() const { return m_spec; }
    MemoryViewFunction function() const { return m_function; }

private:
    StridedSourceSpec m_spec;
    MemoryViewFunction m_function;
    SourceLimits m_limits;
};

} // namespace stridescope
