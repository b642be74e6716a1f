#pragma once

#include "byteownership.h"
#include "core/stridedlayout.h"
#include "gui/style/theme.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace stridescope {

// How every byte of a strip looks, worked out once per report. A zoomed-out frame then reads one code
// per sample instead of inverting the layout, so its cost follows the pixels on screen and nothing
// else. A code is a palette position (the owning element's place in C order: the lowest element when
// several share the byte), or gap / outside the block / nothing, plus a bit for shared bytes. It holds
// no colour, so one overview serves every theme.
// Strips longer than `maxEntries` bytes keep one entry per 2^shift bytes: the entry's first byte.
class StripOverview
{
public:
    using Code = std::uint16_t;
    static constexpr Code gap = Code(Theme::paletteSize); // in the block, reached by no element
    static constexpr Code outside = gap + 1;              // reached by an element, outside the block
    static constexpr Code nothing = gap + 2;              // outside the block, reached by no element
    static constexpr int codeCount = nothing + 1;
    static constexpr Code sharedBit = 0x8000;
    static constexpr std::int64_t maxEntries = std::int64_t(1) << 24; // 32 MiB of codes at most

    // What the strip shows: the bytes [first, end), the block [memoryFirst, memoryEnd), the layout whose
    // elements own the bytes and its inverse (asked per byte when walking the elements would cost more).
    struct Strip
    {
        const StridedLayout* layout = nullptr;
        const ByteOwnership* owners = nullptr;
        ElementIndex elementCount = 0;
        ByteOffset first = 0;
        ByteOffset end = 0;
        ByteOffset memoryFirst = 0;
        ByteOffset memoryEnd = 0;
    };

    StripOverview() = default;
    explicit StripOverview(const Strip& strip);

    bool isEmpty() const { return m_size == 0; }
    ByteOffset first() const { return m_first; }
    ByteOffset end() const { return m_end; }
    // log2 of the bytes an entry stands for (0: every byte has its own code).
    int shift() const { return m_shift; }
    // The code of the entry holding `byte`, first() <= byte < end().
    Code at(ByteOffset byte) const { return m_codes[std::size_t((byte - m_first) >> m_shift)]; }
    std::size_t memoryUse() const { return m_size * sizeof(Code); }

private:
    // The axes an element walk steps along (extent > 1, stride != 0), in memory order.
    struct Walk
    {
        struct Axis
        {
            Extent extent = 1;
            ByteOffset stride = 0;
            ElementIndex weight = 1; // C-order weight
        };
        std::vector<Axis> axes;
        ElementIndex steps = 1; // elements walked: the product of their extents
        bool repeated = false;  // zero-stride axes repeat every element: every byte reached is shared
    };
    static Walk planWalk(const StridedLayout& layout);
    void walkElements(const Strip& strip, const Walk& plan, ElementIndex begin, ElementIndex end);
    void askOwners(const Strip& strip, std::int64_t begin, std::int64_t end);
    void allocate(std::size_t entries);

    struct Free
    {
        void operator()(Code* codes) const { std::free(codes); }
    };

    ByteOffset m_first = 0;
    ByteOffset m_end = 0;
    int m_shift = 0;
    std::unique_ptr<Code[], Free> m_codes;
    std::size_t m_size = 0;
};

} // namespace stridescope
