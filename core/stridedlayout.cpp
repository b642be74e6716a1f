#include "stridedlayout.h"

#include "overlapsolver.h"

#include <algorithm>
#include <limits>

namespace stridescope {

namespace {

ByteOffset clampTo64(__int128 v)
{
    constexpr __int128 lo = std::numeric_limits<ByteOffset>::min();
    constexpr __int128 hi = std::numeric_limits<ByteOffset>::max();
    return ByteOffset(std::clamp(v, lo, hi));
}

std::string indexText(const std::vector<Extent>& index)
{
    std::string s = "(";
    for (std::size_t i = 0; i < index.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(index[i]);
    }
    if (index.size() == 1)
        s += ",";
    return s + ")";
}

// Fallback for layouts the solver finds too hard, and for indirect ones: sort the element offsets
// and compare neighbours. O(n log n) time, O(n) memory; only used when n is bounded.
std::optional<StridedLayout::Overlap> overlapBySorting(const StridedLayout& layout, ElementIndex count)
{
    std::vector<std::pair<ByteOffset, ElementIndex>> offsets;
    offsets.reserve(std::size_t(count));
    for (ElementIndex e = 0; e < count; ++e) {
        if (auto off = layout.elementOffsetAt(e))
            offsets.emplace_back(*off, e);
    }
    std::sort(offsets.begin(), offsets.end());
    for (std::size_t i = 1; i < offsets.size(); ++i) {
        // 128 bits: offsets read through pointers may lie 2^64 apart.
        if (__int128(offsets[i].first) - offsets[i - 1].first < layout.itemSize()) {
            ElementIndex a = std::min(offsets[i].second, offsets[i - 1].second);
            ElementIndex b = std::max(offsets[i].second, offsets[i - 1].second);
            return StridedLayout::Overlap{layout.unravel(a), layout.unravel(b)};
        }
    }
    return std::nullopt;
}

constexpr ElementIndex sortingLimit = ElementIndex(1) << 24;

} // namespace

StridedLayout::StridedLayout(ByteCount itemSize, std::vector<Extent> shape, std::vector<ByteOffset> strides,
                             ByteOffset bufOffset, ByteCount memorySize)
    : m_itemSize(itemSize), m_shape(std::move(shape)), m_strides(std::move(strides)), m_bufOffset(bufOffset),
      m_memorySize(memorySize)
{
    m_strides.resize(m_shape.size(), 0);
}

std::vector<ByteOffset> StridedLayout::cStrides(const std::vector<Extent>& shape, ByteCount itemSize)
{
    // As memoryobject.c init_strides_from_shape: an axis of extent 0 zeroes the strides before it.
    std::vector<ByteOffset> strides(shape.size());
    ByteOffset s = itemSize;
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = s;
        s = ByteOffset(std::uint64_t(s) * std::uint64_t(shape[i]));
    }
    return strides;
}

std::vector<ByteOffset> StridedLayout::fortranStrides(const std::vector<Extent>& shape, ByteCount itemSize)
{
    std::vector<ByteOffset> strides(shape.size());
    ByteOffset s = itemSize;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        strides[i] = s;
        s = ByteOffset(std::uint64_t(s) * std::uint64_t(shape[i]));
    }
    return strides;
}

void StridedLayout::setSuboffsets(std::vector<ByteOffset> suboffsets, PointerReader reader)
{
    suboffsets.resize(m_shape.size(), -1);
    m_suboffsets = std::move(suboffsets);
    m_pointerReader = std::move(reader);
    m_pointerTable.reset();
}

void StridedLayout::setFrozenSuboffsets(std::vector<ByteOffset> suboffsets, PointerTable table)
{
    auto frozen = std::make_shared<const PointerTable>(std::move(table));
    setSuboffsets(std::move(suboffsets), [frozen](ByteOffset slot) -> std::optional<ByteOffset> {
        auto it = frozen->find(slot);
        return it == frozen->end() ? std::nullopt : it->second;
    });
    m_pointerTable = std::move(frozen);
}

void StridedLayout::setMemory(ByteOffset bufOffset, ByteCount memorySize)
{
    m_bufOffset = bufOffset;
    m_memorySize = memorySize;
}

std::optional<ElementIndex> StridedLayout::elementCount() const
{
    if (std::any_of(m_shape.begin(), m_shape.end(), [](Extent e) { return e < 0; }))
        return std::nullopt;
    // An empty axis empties the buffer even when the other extents alone would overflow.
    if (std::find(m_shape.begin(), m_shape.end(), 0) != m_shape.end())
        return 0;
    ElementIndex n = 1;
    for (Extent e : m_shape) {
        if (__builtin_mul_overflow(n, e, &n))
            return std::nullopt;
    }
    return n;
}

std::optional<ByteCount> StridedLayout::byteLength() const
{
    auto n = elementCount();
    ByteCount len = 0;
    if (!n || __builtin_mul_overflow(*n, m_itemSize, &len))
        return std::nullopt;
    return len;
}

std::optional<ByteOffset> StridedLayout::elementOffset(const std::vector<Extent>& index) const
{
    __int128 p = m_bufOffset;
    for (std::size_t d = 0; d < m_shape.size() && d < index.size(); ++d) {
        p += __int128(index[d]) * m_strides[d];
        if (m_suboffsets && (*m_suboffsets)[d] >= 0) {
            if (!m_pointerReader || p != __int128(clampTo64(p)))
                return std::nullopt;
            auto target = m_pointerReader(ByteOffset(p));
            if (!target)
                return std::nullopt;
            p = __int128(*target) + (*m_suboffsets)[d];
        }
    }
    if (p != __int128(clampTo64(p)))
        return std::nullopt;
    return ByteOffset(p);
}

std::vector<Extent> StridedLayout::unravel(ElementIndex linear) const
{
    std::vector<Extent> index(m_shape.size(), 0);
    for (std::size_t d = m_shape.size(); d-- > 0;) {
        if (m_shape[d] <= 0)
            break;
        index[d] = linear % m_shape[d];
        linear /= m_shape[d];
    }
    return index;
}

std::optional<ByteOffset> StridedLayout::elementOffsetAt(ElementIndex linear) const
{
    return elementOffset(unravel(linear));
}

std::optional<StridedLayout::ByteRange> StridedLayout::extent() const
{
    auto count = elementCount();
    if (!count || *count == 0 || m_itemSize <= 0)
        return std::nullopt;
    if (!isIndirect()) {
        __int128 lo = m_bufOffset, hi = m_bufOffset;
        for (std::size_t d = 0; d < m_shape.size(); ++d) {
            __int128 reach = __int128(m_shape[d] - 1) * m_strides[d];
            (reach < 0 ? lo : hi) += reach;
        }
        return ByteRange{clampTo64(lo), clampTo64(hi + m_itemSize)};
    }
    std::optional<ByteRange> range;
    for (ElementIndex e = 0; e < *count; ++e) {
        auto off = elementOffsetAt(e);
        if (!off)
            continue;
        const ByteOffset end = clampTo64(__int128(*off) + m_itemSize); // a pointer may lead anywhere
        if (!range)
            range = ByteRange{*off, end};
        range->first = std::min(range->first, *off);
        range->end = std::max(range->end, end);
    }
    return range;
}

bool StridedLayout::elementInside(ByteOffset offset) const
{
    if (m_memorySize < 0)
        return true;
    return offset >= 0 && offset <= m_memorySize - m_itemSize;
}

std::optional<std::string> StridedLayout::outsideMemoryReason() const
{
    auto count = elementCount();
    if (m_memorySize < 0 || !count || *count == 0)
        return std::nullopt;
    const std::string memoryText = "the " + std::to_string(m_memorySize) + "-byte memory";
    if (isIndirect()) {
        for (ElementIndex e = 0; e < *count; ++e) {
            auto off = elementOffsetAt(e);
            if (!off)
                return "element " + indexText(unravel(e)) + " goes through a pointer that lies outside " + memoryText;
            if (!elementInside(*off))
                return "element " + indexText(unravel(e)) + " at byte " + std::to_string(*off) + " lies outside " +
                       memoryText;
        }
        return std::nullopt;
    }
    __int128 lo = m_bufOffset, hi = __int128(m_bufOffset) + m_itemSize;
    if (lo < 0)
        return "the offset " + std::to_string(m_bufOffset) + " puts the first element before the start of " +
               memoryText;
    if (hi > m_memorySize)
        return "the first element (offset " + std::to_string(m_bufOffset) + ", itemsize " +
               std::to_string(m_itemSize) + ") ends past the end of " + memoryText;
    for (std::size_t d = 0; d < m_shape.size(); ++d) {
        __int128 reach = __int128(m_shape[d] - 1) * m_strides[d];
        (reach < 0 ? lo : hi) += reach;
        std::string axisText = "axis " + std::to_string(d) + " (extent " + std::to_string(m_shape[d]) +
                               ", stride " + std::to_string(m_strides[d]) + ")";
        if (lo < 0)
            return axisText + " reaches byte " + std::to_string(clampTo64(lo)) + ", before the start of " +
                   memoryText;
        if (hi > m_memorySize)
            return axisText + " reaches byte " + std::to_string(clampTo64(hi - 1)) + ", past the end of " +
                   memoryText;
    }
    return std::nullopt;
}

std::optional<StridedLayout::Overlap> StridedLayout::findSelfOverlap() const
{
    auto count = elementCount();
    if (!count || *count < 2 || m_itemSize <= 0)
        return std::nullopt;
    if (isIndirect())
        return overlapBySorting(*this, *count);
    OverlapSolver solver(m_itemSize, m_shape, m_strides);
    auto answer = solver.solve();
    if (answer == OverlapSolver::Answer::TooHard) {
        if (*count <= sortingLimit)
            return overlapBySorting(*this, *count);
        answer = solver.solve(std::numeric_limits<std::int64_t>::max());
    }
    if (answer != OverlapSolver::Answer::Overlap)
        return std::nullopt;
    Overlap overlap;
    for (Extent d : solver.difference()) {
        Extent first = d < 0 ? -d : 0;
        overlap.first.push_back(first);
        overlap.second.push_back(first + d);
    }
    return overlap;
}

} // namespace stridescope
