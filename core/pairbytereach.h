#pragma once

#include "stridedlayout.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// Which bytes two direct layouts over one memory block reach: both, only the first, only the
// second, byte by byte over the span both cover together (over each one's own span when their ranges
// do not meet). Bounded: the span(s) and the element counts must fit `limit`, or nothing is counted and
// `refusal` says why. Marks [offset, offset + itemsize) of every element with a difference array, so the work
// is elements + span, whatever the itemsize.
class PairByteReach
{
public:
    enum Reach : std::uint8_t
    {
        None = 0,
        First = 1,
        Second = 2,
        Both = 3
    };

    static constexpr std::int64_t defaultLimit = std::int64_t(1) << 24;
    static PairByteReach compute(const StridedLayout& first, const StridedLayout& second,
                                 std::int64_t limit = defaultLimit);

    bool counted() const { return m_refusal.empty(); }
    const std::string& refusal() const { return m_refusal; }
    ByteOffset spanStart() const { return m_start; }
    // One Reach per byte from spanStart(); empty when the two byte ranges do not meet (each is then
    // counted over its own span: there is no byte between them worth a mark).
    const std::vector<std::uint8_t>& reach() const { return m_reach; }
    ByteCount both() const { return m_counts[Both]; }
    ByteCount onlyFirst() const { return m_counts[First]; }
    ByteCount onlySecond() const { return m_counts[Second]; }

private:
    ByteOffset m_start = 0;
    std::vector<std::uint8_t> m_reach;
    ByteCount m_counts[4] = {0, 0, 0, 0};
    std::string m_refusal;
};

} // namespace stridescope
