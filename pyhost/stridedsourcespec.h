#pragma once

#include "core/units.h"

#include <cstdint>
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
    std::optional<std::vector<ByteOffset>> strides; // default: C strides
    // Where buf sits inside the memory block; default: the smallest that keeps every element (or,
    // indirect, the pointer table) inside. A given value is used as is, 0 included.
    std::optional<ByteOffset> offset;
    std::optional<ByteCount> memory; // default: smallest block that holds every element
    bool readonly = false;
    // PIL style: axis 0 goes through a table of pointers (suboffsets[0] >= 0), one per row.
    bool indirect = false;
    // What the block holds before it is exported: element k holds k (Index), byte k holds k mod 256
    // (Bytes), or zeros (Zero).
    enum class Fill : std::uint8_t
    {
        Index,
        Bytes,
        Zero
    };
    Fill fill = Fill::Index;

    bool operator==(const StridedSourceSpec&) const = default;

    // A fill's name in a scenario file and in StridedBuffer(fill=...): "index", "bytes" or "zero".
    static std::string fillName(Fill fill);
    // The fill a name stands for, or nothing (then unknownFill is the message).
    static std::optional<Fill> parseFill(const std::string& name);
    // "unknown fill 'noise': use 'index', 'bytes' or 'zero'"
    static std::string unknownFill(const std::string& name);
};

// Which C function builds the memoryview for a "memory" source.
enum class MemoryViewFunction
{
    FromMemory,
    FromBuffer
};

} // namespace stridescope
