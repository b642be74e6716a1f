#pragma once

#include <cstdint>

// Named units keep a stride from being added to a pixel or an element count.
namespace stridescope {

using ByteOffset = std::int64_t;   // bytes, relative to the start of the memory block a layout lives in
using ByteCount = std::int64_t;    // a size in bytes
using Extent = std::int64_t;       // number of elements along one axis
using ElementIndex = std::int64_t; // linear position of an element in logical C order
using Address = std::uint64_t;     // a raw pointer value, as shown to the user

} // namespace stridescope
