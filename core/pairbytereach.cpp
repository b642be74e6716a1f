#include "pairbytereach.h"

#include <algorithm>

namespace stridescope {

PairByteReach PairByteReach::compute(const StridedLayout& first, const StridedLayout& second, std::int64_t limit)
{
    PairByteReach out;
    if (first.isIndirect() || second.isIndirect()) {
        out.m_refusal = "a layout with suboffsets: bytes are not counted";
        return out;
    }
    const auto a = first.extent(), b = second.extent();
    if (!a && !b)
        return out;
    const ByteOffset start = std::min(a ? a->first : b->first, b ? b->first : a->first);
    const ByteOffset end = std::max(a ? a->end : b->end, b ? b->end : a->end);
    const __int128 span = __int128(end) - start;
    const auto countA = first.elementCount(), countB = second.elementCount();
    if (span > limit || !countA || !countB || *countA > limit || *countB > limit) {
        out.m_refusal = "more than " + std::to_string(limit) + " bytes or elements: bytes are not counted";
        return out;
    }
    out.m_start = start;
    out.m_reach.assign(std::size_t(span), None);
    std::vector<std::int64_t> depth(std::size_t(span) + 1);
    for (const auto* layout : {&first, &second}) {
        const Reach mark = layout == &first ? First : Second;
        std::fill(depth.begin(), depth.end(), 0);
        const ElementIndex count = *layout->elementCount();
        for (ElementIndex e = 0; e < count; ++e) {
            const auto offset = layout->elementOffsetAt(e); // direct: always resolves
            if (!offset)
                continue;
            ++depth[std::size_t(*offset - start)];
            --depth[std::size_t(*offset - start + layout->itemSize())];
        }
        std::int64_t covering = 0;
        for (std::size_t i = 0; i < out.m_reach.size(); ++i) {
            covering += depth[i];
            if (covering > 0)
                out.m_reach[i] |= mark;
        }
    }
    for (std::uint8_t r : out.m_reach)
        ++out.m_counts[r];
    return out;
}

} // namespace stridescope
