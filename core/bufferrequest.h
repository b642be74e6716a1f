#pragma once

#include <string>
#include <vector>

namespace stridescope {

// One of the standard requests a consumer passes to PyObject_GetBuffer (Doc/c-api/buffer.rst,
// "Buffer request types"). The flag values are CPython's (Include/pybuffer.h, part of the stable
// ABI); pyhost checks them against the headers at compile time.
struct BufferRequest
{
    static constexpr int Simple = 0;
    static constexpr int Writable = 0x0001;
    static constexpr int Format = 0x0004;
    static constexpr int ND = 0x0008;
    static constexpr int Strides = 0x0010 | ND;
    static constexpr int CContiguous = 0x0020 | Strides;
    static constexpr int FContiguous = 0x0040 | Strides;
    static constexpr int AnyContiguous = 0x0080 | Strides;
    static constexpr int Indirect = 0x0100 | Strides;

    std::string name; // "PyBUF_FULL_RO"
    int flags = 0;

    // Whether every bit of `flag` is in the request, as CPython's exporters test it.
    bool asks(int flag) const { return (flags & flag) == flag; }
    // 'C', 'F' or 'A' for a contiguity request; 0 for the others.
    char contiguityOrder() const;

    // The 17 requests of the documentation, from PyBUF_SIMPLE to PyBUF_FULL_RO. The last is the one
    // every other view is compared with (it asks for everything and allows a read-only view).
    static const std::vector<BufferRequest>& standard();
    static constexpr const char* referenceName = "PyBUF_FULL_RO";
};

} // namespace stridescope
