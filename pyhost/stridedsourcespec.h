#pragma once

#include "../core/units.h"

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// A buffer described by hand: exported by Stridescope's own native exporter (StridedBufferType),
// or wrapped by PyMemoryView_FromMemory / PyMemoryView_FromBuffer.
struct StridedSourceSpec
{
    std::string format = "B";
    std::vector<Extent> shape;
    std::optional<std::vector<ByteOffset>> strides;   // default: C strides
    // Where buf sits inside the memory block; default: the smallest that keeps every element (or,
    // indirect, the pointer table) inside. A given value is used as is, 0 included.
    std::optional<ByteOffset> offset;
    std::optional<ByteCount> memory;                   // default: smallest block that holds every element
    bool readonly = false;
    // PIL style: axis 0 goes through a table of pointers (suboffsets[0] >= 0), one per row.
    bool indirect = false;
    std::string fill = "index";                        // "index", "bytes" or "zero"

    bool operator==(const StridedSourceSpec&) const = default;
};

// Which C function builds the memoryview for a "memory" source.
enum class MemoryViewFunction { FromMemory, FromBuffer };

} // namespace stridescope
