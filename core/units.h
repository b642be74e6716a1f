#pragma once

#include <cstdint>

// Names for what an integer counts, so a signature says which unit it takes. They are aliases: the
// compiler does not stop a stride from being added to an element count; the names make the reader
// see it. (Distinct types would have to convert at every Python, Qt and JSON edge.)
namespace stridescope {

using ByteOffset = std::int64_t;   // bytes, relative to the start of the memory block a layout lives in
using ByteCount = std::int64_t;    // a size in bytes
using Extent = std::int64_t;       // number of elements along one axis
using ElementIndex = std::int64_t; // linear position of an element in logical C order
using Address = std::uint64_t;     // a raw pointer value, as shown to the user

} // namespace stridescope
