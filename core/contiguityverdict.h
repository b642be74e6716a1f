#pragma once

#include "units.h"

#include <string>

namespace stridescope {

class StridedLayout;

// Whether a buffer is contiguous in one order, decided exactly as CPython's PyBuffer_IsContiguous
// (Objects/abstract.c), with a sentence a learner can read.
struct ContiguityVerdict
{
    char order = 'C'; // 'C', 'F' or 'A'
    bool contiguous = false;
    int breakingAxis = -1; // first axis that breaks the rule, -1 if none (or suboffsets)
    ByteOffset neededStride = 0;
    std::string explanation;

    // `byteLength` is Py_buffer.len as the exporter reported it (CPython tests len == 0 first).
    static ContiguityVerdict check(const StridedLayout& layout, ByteCount byteLength, char order);
};

} // namespace stridescope
