#pragma once

#include "core/units.h"

#include <string>

namespace stridescope {

// The block of memory a buffer points into, as far as its source knows it.
struct MemoryBlock
{
    Address base = 0; // address of the first byte
    ByteCount size = 0;
    std::string owner; // what owns it, in words ("StridedBuffer memory", "numpy base array", ...)
    // Set when the buffer's layout reaches past the memory of the object it views (a lying exporter,
    // numpy's as_strided): the sentence that says so. The block is then that object's memory.
    std::string overreach;
};

} // namespace stridescope
