#include "pairbytereach.h"

#include <algorithm>
#include <tuple>

namespace stridescope {

namespace {

// Marks `mark` on every byte of `reach` (from `start`) that an element of `layout` covers: a difference
// array, so the work is elements + span, whatever the itemsize.
void markReached(const StridedLayout& layout, ByteOffset start, std::vector<std::uint8_t>& reach,
                 std::uint8_t mark)
{
    std::vector<std::int64_t> depth(reach.size() + 1);
    const ElementIndex count = *layout.elementCount();
    for (ElementIndex e = 0; e < count; ++e) {
        const auto offset = layout.elementOffsetAt(e); // direct: always resolves
        if (!offset)
            continue;
        ++depth[std::size_t(*offset - start)];
        --depth[std::size_t(*offset - start + layout.itemSize())];
    }
    std::int64_t covering = 0;
    for (std::size_t i = 0; i < reach.size(); ++i) {
        covering += depth[i];
        if (covering > 0)
            reach[i] |= mark;
    }
}

} // namespace

PairByteReach PairByteReach::compute(const StridedLayout& first, const StridedLayout& second,
                                     std::int64_t limit)
{
    PairByteReach out;
    if (first.isIndirect() || second.isIndirect()) {
        out.m_refusal = "a layout with suboffsets: bytes are not counted";
        return out;
    }
    const auto a = first.extent(), b = second.extent();
    if (!a && !b)
        return out;
    const auto countA = first.elementCount(), countB = second.elementCount();
    const std::string refusal =
        "more than " + std::to_string(limit) + " bytes or elements: bytes are not counted";
    if (!countA || !countB || *countA > limit || *countB > limit) {
        out.m_refusal = refusal;
        return out;
    }
    // Byte ranges that do not meet share no byte: each is counted over its own span, so two blocks
    // far apart in the address space (a copy made by malloc elsewhere) are counted all the same.
    if (a && b && (a->end <= b->first || b->end <= a->first)) {
        for (const auto& [layout, extent, mark] :
             {std::tuple{&first, *a, First}, std::tuple{&second, *b, Second}}) {
            if (__int128(extent.end) - extent.first > limit) {
                out.m_refusal = refusal;
                return out;
            }
            std::vector<std::uint8_t> reach(std::size_t(extent.end - extent.first), None);
            markReached(*layout, extent.first, reach, mark);
            out.m_counts[mark] = ByteCount(std::count(reach.begin(), reach.end(), mark));
        }
        return out;
    }
    const ByteOffset start = std::min(a ? a->first : b->first, b ? b->first : a->first);
    const ByteOffset end = std::max(a ? a->end : b->end, b ? b->end : a->end);
    if (__int128(end) - start > limit) {
        out.m_refusal = refusal;
        return out;
    }
    out.m_start = start;
    out.m_reach.assign(std::size_t(end - start), None);
    markReached(first, start, out.m_reach, First);
    markReached(second, start, out.m_reach, Second);
    for (std::uint8_t r : out.m_reach)
        ++out.m_counts[r];
    return out;
}

} // namespace stridescope
