#include "stridedlayout.h"

#include "overlapsolver.h"

#include <algorithm>
#include <limits>
#include <tuple>

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

// Sorts element offsets (with each element's C-order position) and compares neighbours: the first
// two that lie closer than an item overlap.
std::optional<StridedLayout::Overlap>
overlapOfNeighbours(const StridedLayout& layout, std::vector<std::pair<ByteOffset, ElementIndex>>& offsets)
{
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
    return overlapOfNeighbours(layout, offsets);
}

constexpr ElementIndex sortingLimit = ElementIndex(1) << 24;

bool fits64(__int128 v)
{
    return v == __int128(clampTo64(v));
}

std::string int128Text(__int128 v)
{
    if (fits64(v))
        return std::to_string(ByteOffset(v));
    unsigned __int128 u = v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
    std::string digits;
    for (; u; u /= 10)
        digits.insert(digits.begin(), char('0' + int(u % 10)));
    return (v < 0 ? "-" : "") + digits;
}

// Where the elements of a direct tail lie relative to its start: the lowest and the highest
// element offset (each sum of (extent - 1) * stride over the axes whose stride points that way).
struct TailReach
{
    __int128 low = 0;
    __int128 high = 0;
};

TailReach tailReach(const StridedLayout& tail)
{
    TailReach r;
    for (int d = 0; d < tail.ndim(); ++d) {
        const __int128 reach = __int128(tail.shape()[std::size_t(d)] - 1) * tail.strides()[std::size_t(d)];
        (reach < 0 ? r.low : r.high) += reach;
    }
    return r;
}

// Calls f(offset) for the elements of a direct tail in C order, offsets relative to its start,
// stepped like an odometer.
template <class F> void forEachTailOffset(const StridedLayout& tail, F&& f)
{
    const std::size_t n = std::size_t(tail.ndim());
    std::vector<Extent> index(n, 0);
    __int128 offset = 0;
    while (true) {
        f(offset);
        std::size_t d = n;
        while (true) {
            if (d == 0)
                return;
            --d;
            if (++index[d] < tail.shape()[d]) {
                offset += tail.strides()[d];
                break;
            }
            offset -= __int128(index[d] - 1) * tail.strides()[d];
            index[d] = 0;
        }
    }
}

// The overlap search of an indirect layout. The rows whose elements all have 64-bit offsets are
// listed by where they start (addRow, in C order); then find() looks inside one row, and across
// rows. A resolved row whose elements leave 64 bits is irregular: only the element sort treats it
// as elementOffset does.
class RowOverlapSearch
{
public:
    using Overlap = StridedLayout::Overlap;

    RowOverlapSearch(const StridedLayout& layout, ElementIndex count, std::string* undecided)
        : m_layout(layout), m_count(count), m_undecided(undecided), m_tail(layout.rowTail()),
          m_tailCount(*m_tail.elementCount()), // > 0: the layout has elements
          m_reach(tailReach(m_tail)), m_rowCount(count / m_tailCount), m_listRows(m_rowCount <= sortingLimit)
    {
    }

    // The next row and where it starts (nullopt: its pointer cannot be followed). False when no
    // more rows are needed.
    bool addRow(std::optional<__int128> offset);
    // After the rows: the first overlap found, or nullopt (with `undecided` set when given up).
    std::optional<Overlap> find();

private:
    struct RowStart
    {
        ByteOffset offset;
        ElementIndex row; // C-order position among the rows
    };

    std::optional<Overlap> giveUp(const std::string& why) const;
    // The element at `tailIndex` in row `rowNumber`, and where that row's last byte ends.
    std::vector<Extent> elementOf(ElementIndex rowNumber, const std::vector<Extent>& tailIndex) const;
    __int128 rowEnd(const RowStart& r) const;

    // Rows whose byte ranges do not intersect share nothing. Sorted by where they start, the rows
    // fall into groups of chained intersecting ranges; only a group's elements are sorted, at most
    // sortingLimit of them in all.
    std::optional<Overlap> acrossRows();

    // The elements of the rows m_starts[begin, end), sorted. A group too large to sort is left
    // undecided, and the search goes on with the next.
    std::optional<Overlap> sortGroup(std::size_t begin, std::size_t end);

    const StridedLayout& m_layout;
    const ElementIndex m_count;
    std::string* const m_undecided;
    const StridedLayout m_tail;
    const ElementIndex m_tailCount;
    const TailReach m_reach;
    const ElementIndex m_rowCount;
    const bool m_listRows;
    std::vector<RowStart> m_starts;
    bool m_irregular = false;
    ElementIndex m_nextRow = 0;
    ElementIndex m_sorted = 0; // elements sorted so far, in all groups
};

bool RowOverlapSearch::addRow(std::optional<__int128> offset)
{
    const ElementIndex r = m_nextRow++;
    if (!offset)
        return true;
    if (!fits64(*offset + m_reach.low) || !fits64(*offset + m_reach.high)) {
        m_irregular = true;
        return true;
    }
    m_starts.push_back({ByteOffset(*offset), r});
    return m_listRows; // without the list, one row is enough for the tail's own overlap
}

std::optional<RowOverlapSearch::Overlap> RowOverlapSearch::find()
{
    // Inside one row: the direct tail's own overlap, the same in every row.
    if (m_tailCount >= 2 && !m_starts.empty()) {
        if (auto inRow = m_tail.findSelfOverlap())
            return Overlap{elementOf(m_starts.front().row, inRow->first),
                           elementOf(m_starts.front().row, inRow->second)};
    }
    if (!m_listRows)
        return giveUp("the layout has " + std::to_string(m_rowCount) + " rows, more than the " +
                      std::to_string(sortingLimit) +
                      " that can be compared: overlap between rows was not decided");
    if (m_irregular) {
        if (m_count <= sortingLimit)
            return overlapBySorting(m_layout, m_count);
        return giveUp("rows reach past 64-bit offsets in a layout of more than " +
                      std::to_string(sortingLimit) + " elements: overlap was not decided");
    }
    return acrossRows();
}

std::optional<RowOverlapSearch::Overlap> RowOverlapSearch::giveUp(const std::string& why) const
{
    if (m_undecided)
        *m_undecided = why;
    return std::nullopt;
}

std::vector<Extent> RowOverlapSearch::elementOf(ElementIndex rowNumber,
                                                const std::vector<Extent>& tailIndex) const
{
    std::vector<Extent> index = m_layout.unravel(rowNumber * m_tailCount);
    std::copy(tailIndex.begin(), tailIndex.end(), index.begin() + std::ptrdiff_t(m_layout.rowAxes()));
    return index;
}

__int128 RowOverlapSearch::rowEnd(const RowStart& r) const
{
    return __int128(r.offset) + m_reach.high + m_layout.itemSize();
}

std::optional<RowOverlapSearch::Overlap> RowOverlapSearch::acrossRows()
{
    std::sort(m_starts.begin(), m_starts.end(), [](const RowStart& a, const RowStart& b) {
        return std::tie(a.offset, a.row) < std::tie(b.offset, b.row);
    });
    std::size_t groupBegin = 0;
    __int128 groupEnd = m_starts.empty() ? 0 : rowEnd(m_starts.front());
    for (std::size_t i = 1; i < m_starts.size(); ++i) {
        const RowStart& a = m_starts[i - 1];
        const RowStart& b = m_starts[i];
        if (__int128(b.offset) - a.offset < m_layout.itemSize()) // the rows' first elements already overlap
            return Overlap{m_layout.unravel(std::min(a.row, b.row) * m_tailCount),
                           m_layout.unravel(std::max(a.row, b.row) * m_tailCount)};
        if (__int128(b.offset) + m_reach.low < groupEnd) {
            groupEnd = std::max(groupEnd, rowEnd(b));
            continue;
        }
        if (auto found = sortGroup(groupBegin, i))
            return found;
        groupBegin = i;
        groupEnd = rowEnd(b);
    }
    return sortGroup(groupBegin, m_starts.size());
}

std::optional<RowOverlapSearch::Overlap> RowOverlapSearch::sortGroup(std::size_t begin, std::size_t end)
{
    if (end - begin < 2)
        return std::nullopt;
    ElementIndex n = 0;
    if (__builtin_mul_overflow(ElementIndex(end - begin), m_tailCount, &n) || n > sortingLimit - m_sorted) {
        giveUp(std::to_string(end - begin) + " rows whose byte ranges intersect hold more than the " +
               std::to_string(sortingLimit) +
               " elements that can be sorted: overlap between them was not decided");
        return std::nullopt;
    }
    m_sorted += n;
    std::vector<std::pair<ByteOffset, ElementIndex>> offsets;
    offsets.reserve(std::size_t(n));
    for (std::size_t i = begin; i < end; ++i) {
        ElementIndex linear = m_starts[i].row * m_tailCount;
        forEachTailOffset(m_tail, [&](__int128 relative) {
            offsets.emplace_back(ByteOffset(m_starts[i].offset + relative), linear++);
        });
    }
    return overlapOfNeighbours(m_layout, offsets);
}

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

std::optional<__int128> StridedLayout::followAxis(__int128 p, std::size_t d, Extent i) const
{
    p += __int128(i) * m_strides[d];
    if (m_suboffsets && (*m_suboffsets)[d] >= 0) {
        if (!m_pointerReader || p != __int128(clampTo64(p)))
            return std::nullopt;
        auto target = m_pointerReader(ByteOffset(p));
        if (!target)
            return std::nullopt;
        p = __int128(*target) + (*m_suboffsets)[d];
    }
    return p;
}

std::optional<ByteOffset> StridedLayout::elementOffset(const std::vector<Extent>& index) const
{
    std::optional<__int128> p = m_bufOffset;
    for (std::size_t d = 0; d < m_shape.size() && d < index.size() && p; ++d)
        p = followAxis(*p, d, index[d]);
    if (!p || *p != __int128(clampTo64(*p)))
        return std::nullopt;
    return ByteOffset(*p);
}

int StridedLayout::rowAxes() const
{
    if (!m_suboffsets)
        return 0;
    for (int d = ndim(); d-- > 0;)
        if ((*m_suboffsets)[std::size_t(d)] >= 0)
            return d + 1;
    return 0;
}

StridedLayout StridedLayout::rowTail() const
{
    const auto rows = std::ptrdiff_t(rowAxes());
    return StridedLayout(m_itemSize, std::vector<Extent>(m_shape.begin() + rows, m_shape.end()),
                         std::vector<ByteOffset>(m_strides.begin() + rows, m_strides.end()));
}

std::optional<__int128> StridedLayout::rowOffset(const std::vector<Extent>& index) const
{
    std::optional<__int128> p = m_bufOffset;
    for (std::size_t d = 0; d < std::size_t(rowAxes()) && p; ++d)
        p = followAxis(*p, d, d < index.size() ? index[d] : 0);
    return p;
}

void StridedLayout::visitRowOffsets(const RowOffsetVisitor& f) const
{
    auto count = elementCount();
    if (!count || *count == 0)
        return;
    const std::size_t rows = std::size_t(rowAxes());
    std::vector<Extent> prefix(rows, 0);
    // partial[d]: where the row stands after axes 0 .. d-1; only the axes from the one that moved
    // are followed again.
    std::vector<std::optional<__int128>> partial(rows + 1);
    partial[0] = m_bufOffset;
    std::size_t moved = 0;
    while (true) {
        for (std::size_t d = moved; d < rows; ++d)
            partial[d + 1] = partial[d] ? followAxis(*partial[d], d, prefix[d]) : std::nullopt;
        if (!f(prefix, partial[rows]) || rows == 0)
            return;
        std::size_t d = rows;
        while (true) {
            --d;
            if (++prefix[d] < m_shape[d])
                break;
            prefix[d] = 0;
            if (d == 0)
                return;
        }
        moved = d;
    }
}

void StridedLayout::visitRows(const RowVisitor& f) const
{
    visitRowOffsets([&f](const std::vector<Extent>& prefix, std::optional<__int128> offset) {
        std::optional<ByteOffset> fitting;
        if (offset && *offset == __int128(clampTo64(*offset)))
            fitting = ByteOffset(*offset);
        return f(prefix, fitting);
    });
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
    // Row by row: each row reaches what its direct tail reaches from where the row starts. In 128
    // bits, as a pointer may lead anywhere; clamped to 64 bits as the direct branch is.
    const TailReach reach = tailReach(rowTail());
    std::optional<std::pair<__int128, __int128>> range;
    visitRowOffsets([&](const std::vector<Extent>&, std::optional<__int128> offset) {
        if (!offset)
            return true;
        const __int128 first = *offset + reach.low, end = *offset + reach.high + m_itemSize;
        if (!range)
            range = std::make_pair(first, end);
        range->first = std::min(range->first, first);
        range->second = std::max(range->second, end);
        return true;
    });
    if (!range)
        return std::nullopt;
    return ByteRange{clampTo64(range->first), clampTo64(range->second)};
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
        // Row by row: a row lies inside when the lowest and the highest element of its direct tail
        // do; otherwise the corner element that reaches out is named.
        const StridedLayout tail = rowTail();
        const TailReach reach = tailReach(tail);
        const std::size_t rows = std::size_t(rowAxes());
        std::optional<std::string> why;
        visitRowOffsets([&](const std::vector<Extent>& prefix, std::optional<__int128> offset) {
            std::vector<Extent> index = prefix;
            index.resize(m_shape.size(), 0);
            if (!offset) {
                why =
                    "element " + indexText(index) + " goes through a pointer that lies outside " + memoryText;
                return false;
            }
            const __int128 low = *offset + reach.low, high = *offset + reach.high;
            const bool lowOutside = low < 0;
            if (!lowOutside && high <= __int128(m_memorySize) - m_itemSize)
                return true;
            for (std::size_t d = rows; d < m_shape.size(); ++d) {
                const bool far = lowOutside ? m_strides[d] < 0 : m_strides[d] > 0;
                index[d] = far ? m_shape[d] - 1 : 0;
            }
            why = "element " + indexText(index) + " at byte " + int128Text(lowOutside ? low : high) +
                  " lies outside " + memoryText;
            return false;
        });
        return why;
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

std::optional<StridedLayout::Overlap> StridedLayout::findIndirectOverlap(ElementIndex count,
                                                                         std::string* undecided) const
{
    RowOverlapSearch search(*this, count, undecided);
    visitRowOffsets(
        [&](const std::vector<Extent>&, std::optional<__int128> offset) { return search.addRow(offset); });
    return search.find();
}

std::optional<StridedLayout::Overlap> StridedLayout::findSelfOverlap(std::string* undecided) const
{
    if (undecided)
        undecided->clear();
    auto count = elementCount();
    if (!count || *count < 2 || m_itemSize <= 0)
        return std::nullopt;
    if (isIndirect())
        return findIndirectOverlap(*count, undecided);
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
