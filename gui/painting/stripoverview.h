#pragma once

#include "byteownership.h"
#include "core/stridedlayout.h"
#include "gui/style/theme.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace stridescope {

// How every byte of a strip looks, worked out once per report. A zoomed-out frame then reads codes
// instead of inverting the layout, so its cost follows the pixels on screen and nothing else. A code
// is a palette position (the owning element's place in C order: the lowest element when several share
// the byte), or gap / outside the block / nothing, plus a bit for shared bytes. It holds no colour, so
// one overview serves every theme.
// Strips longer than `maxEntries` bytes keep one entry per 2^shift bytes: the lowest element reaching
// any of its bytes, and a bit saying elements cover the entry only in part (a gap every other byte
// must not vanish because the entry's first byte happens to be an element's).
// For frames with many bytes per pixel, summaries of 8, 16, 32... entries say how much of them is
// element, gap or nothing, so a pixel averages every byte under it with two reads (no moiré).
class StripOverview
{
public:
    using Code = std::uint16_t;
    static constexpr Code gap = Code(Theme::paletteSize); // in the block, reached by no element
    static constexpr Code outside = gap + 1;              // reached by an element, outside the block
    static constexpr Code nothing = gap + 2;              // outside the block, reached by no element
    static constexpr int codeCount = nothing + 1;
    static constexpr Code sharedBit = 0x8000;
    static constexpr Code partialBit = 0x4000; // an entry of several bytes, covered only in part
    static constexpr Code valueMask = 0x07FF;
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
    // log2 of the bytes an entry of a strip of `bytes` bytes stands for.
    static int shiftFor(std::int64_t bytes)
    {
        int shift = 0;
        while (bytes > 0 && ((bytes - 1) >> shift) + 1 > maxEntries)
            ++shift;
        return shift;
    }

    bool isEmpty() const { return m_size == 0; }
    ByteOffset first() const { return m_first; }
    ByteOffset end() const { return m_end; }
    // log2 of the bytes an entry stands for (0: every byte has its own code).
    int shift() const { return m_shift; }
    // The code of the entry holding `byte`, first() <= byte < end().
    Code at(ByteOffset byte) const { return m_codes[std::size_t((byte - m_first) >> m_shift)]; }
    const Code* codes() const { return m_codes.get(); } // entry by entry, for loops over many
    std::size_t memoryUse() const;

    // A run of entries summed up: the share of element bytes and of gap bytes (of 255; the rest is
    // nothing), and the mean palette position of the element bytes (or outside, when most of them lie
    // outside the block), with sharedBit when any byte is shared.
    struct Summary
    {
        Code code = nothing;
        std::uint8_t element = 0;
        std::uint8_t gap = 0;
    };
    static constexpr int firstSummaryLevel = 3; // log2 of the entries the smallest summary stands for
    int summaryLevels() const { return int(m_levels.size()); }
    // log2 of the bytes one summary of `level` stands for.
    int summaryShift(int level) const { return m_shift + firstSummaryLevel + level; }
    const Summary& summaryAt(int level, ByteOffset byte) const
    {
        return m_levels[std::size_t(level)].data[std::size_t((byte - m_first) >> summaryShift(level))];
    }

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
    // Where step `step` of a walk is: an index per axis (in walk order), an offset and a C-order element.
    struct WalkPosition
    {
        std::vector<Extent> index;
        ByteOffset offset = 0;
        ElementIndex element = 0;
    };
    static WalkPosition walkPosition(const Walk& plan, ByteOffset base, ElementIndex step);
    // Calls visit(offset, element) for the steps [begin, end) of the walk from `base`.
    template <class Visit>
    static void visitInWalkOrder(const Walk& plan, ByteOffset base, ElementIndex begin, ElementIndex end,
                                 Visit&& visit);
    void walkElements(const Strip& strip, const Walk& plan, ElementIndex begin, ElementIndex end);
    void askOwners(const Strip& strip, std::int64_t begin, std::int64_t end);
    void summarise();
    // Memory for `bytes`, in 2 MiB pages where the system allows; released with std::free.
    static void* allocate(std::size_t bytes);

    struct Free
    {
        void operator()(void* memory) const { std::free(memory); }
    };
    struct Level
    {
        std::unique_ptr<Summary[], Free> data;
        std::size_t size = 0;
    };

    ByteOffset m_first = 0;
    ByteOffset m_end = 0;
    int m_shift = 0;
    std::unique_ptr<Code[], Free> m_codes;
    std::size_t m_size = 0;
    std::vector<std::uint16_t> m_covered; // while walking with a shift: element bytes per entry
    std::vector<Level> m_levels;
};

} // namespace stridescope
