#pragma once

#include "core/units.h"

#include <cstdint>
#include <vector>

namespace stridescope {

// A copy of part of a memory block, taken while the buffer was exported, for the views to draw.
struct ByteSnapshot
{
    ByteOffset start = 0; // offset of bytes[0] in the block
    std::vector<std::uint8_t> bytes;
    ByteCount blockSize = 0; // size of the whole block
    bool truncated = false;  // the block was larger than the snapshot limit
    bool unreadable = false; // the bytes stop early: the rest of the block is not mapped
};

} // namespace stridescope
