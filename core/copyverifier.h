#pragma once

#include "copymap.h"

#include <cstdint>

namespace stridescope {

// Checks, byte for byte, that a copy holds what its copy map says: every element's bytes in the new
// object equal its bytes in the source. A direct layout that lies wholly inside both blocks is
// walked in tiles over the two axes with the smallest strides (so a transposed source is read a
// cache line at a time, not a line per byte), with whole rows compared at once where both sides are
// contiguous, on several threads when the copy is large. Anything else (suboffsets, elements
// outside the memory) is walked element by element in C order.
class CopyVerifier
{
public:
    struct Result
    {
        ElementIndex checked = 0;        // elements whose bytes were compared
        ByteCount bytesVerified = 0;     // their bytes
        ElementIndex outside = 0;        // elements the source layout puts outside its memory: not read
        ElementIndex firstMismatch = -1; // C-order position of the first element that differs, -1 if none
    };

    // `source` is the source layout's memory block (`map.source().memorySize()` bytes, which must be
    // known), `destination` the copy (`destinationSize` bytes). Both must be readable. `threads` 0
    // picks one per core for a large copy, one thread for a small one.
    static Result verify(const CopyMap& map, const std::uint8_t* source, const std::uint8_t* destination,
                         ByteCount destinationSize, int threads = 0);

    // Copies of at least this many bytes are checked on more than one thread.
    static constexpr ByteCount parallelBytes = ByteCount(1) << 22;

private:
    static Result verifyElementwise(const CopyMap& map, const std::uint8_t* source,
                                    const std::uint8_t* destination, ByteCount destinationSize);
};

} // namespace stridescope
