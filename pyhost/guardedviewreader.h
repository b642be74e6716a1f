#pragma once

#include "core/exportedbuffer.h"

#include <Python.h>

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// Copies the fields of a Py_buffer an exporter filled in, as plain data. The exporter may lie: the
// format and the arrays are read through GuardedMemory, never in place, and no array is read when
// ndim is outside 0..64 (PyBUF_MAX_NDIM). What could not be read is left nullopt and named.
class GuardedViewReader
{
public:
    static constexpr int maxNdim = 64; // PyBUF_MAX_NDIM

    struct Copy
    {
        ExportedBuffer buffer;               // arrays and format exactly as set: NULL is nullopt
        std::vector<std::string> unreadable; // "format", "shape", "strides", "suboffsets", set but not read
    };

    static Copy read(const Py_buffer& view);

    // One line naming what a consumer cannot use in a copied view (an ndim outside 0..64, a field
    // set but unreadable), e.g. "the exporter's Py_buffer.shape points to unreadable memory (0x10)";
    // nullopt when every field could be read. `request` names the request ("PyBUF_FULL_RO").
    static std::optional<std::string> problem(const Py_buffer& view, const Copy& copy, const char* request);
};

} // namespace stridescope
