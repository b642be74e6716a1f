#pragma once

#include "units.h"

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// The fields of a Py_buffer as an exporter filled them in, copied out as plain data.
// Missing arrays (NULL in C) are nullopt, so the report can show what the exporter really gave.
struct ExportedBuffer
{
    Address buf = 0;
    ByteCount len = 0;
    ByteCount itemSize = 1;
    bool readonly = true;
    int ndim = 1;
    std::optional<std::string> format;
    std::optional<std::vector<Extent>> shape;
    std::optional<std::vector<ByteOffset>> strides;
    std::optional<std::vector<ByteOffset>> suboffsets;

    // Shape and strides as a memoryview reconstructs them (memoryobject.c init_shape_strides):
    // ndim 1 without shape -> len / itemsize, without strides -> C strides.
    std::vector<Extent> effectiveShape() const;
    std::vector<ByteOffset> effectiveStrides() const;
    std::string effectiveFormat() const { return format.value_or("B"); }
};

} // namespace stridescope
