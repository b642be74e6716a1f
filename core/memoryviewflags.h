#pragma once

#include "exportedbuffer.h"

#include <string>

namespace stridescope {

// PyBuffer_IsContiguous(view, order) for the three orders.
struct BufferContiguity
{
    bool c = false;
    bool f = false;
    bool any = false; // 'A'

    bool operator==(const BufferContiguity&) const = default;
    static BufferContiguity of(const ExportedBuffer& view);
};

// What a memoryview's own c_contiguous, f_contiguous and contiguous attributes say: the flags
// memoryobject.c's init_flags sets when the view is made. They follow PyBuffer_IsContiguous except
// for ndim 1, where init_flags only asks shape[0] == 1 or strides[0] == itemsize: a 1-D view of
// extent 0 and another stride is not contiguous to Python code although PyBuffer_IsContiguous
// (len 0 is contiguous) says it is.
struct MemoryviewFlags
{
    bool cContiguous = false;
    bool fContiguous = false;

    bool contiguous() const { return cContiguous || fContiguous; }
    bool operator==(const MemoryviewFlags&) const = default;

    // The flags a memoryview of `view` gets (its strides filled in as memoryview does).
    static MemoryviewFlags of(const ExportedBuffer& view);

    // Why the flags differ from PyBuffer_IsContiguous, in one sentence; empty when they agree.
    static std::string disagreement(const ExportedBuffer& view, const MemoryviewFlags& flags,
                                    const BufferContiguity& buffer);
};

} // namespace stridescope
