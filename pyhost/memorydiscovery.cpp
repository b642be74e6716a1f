#include "memorydiscovery.h"

#include <algorithm>
#include <vector>

namespace stridescope {

namespace {

// The bytes an exported buffer reaches, as absolute addresses (direct layouts only).
std::optional<std::pair<Address, Address>> exportedRange(const Py_buffer& v)
{
    if (v.suboffsets || v.buf == nullptr || v.len <= 0)
        return std::nullopt;
    if (v.ndim == 0 || v.strides == nullptr) {
        Address a = reinterpret_cast<Address>(v.buf);
        return std::make_pair(a, a + Address(v.len));
    }
    __int128 lo = 0, hi = 0;
    for (int d = 0; d < v.ndim; ++d) {
        if (v.shape[d] == 0)
            return std::nullopt;
        __int128 reach = __int128(v.shape[d] - 1) * v.strides[d];
        (reach < 0 ? lo : hi) += reach;
    }
    Address a = reinterpret_cast<Address>(v.buf);
    return std::make_pair(Address(__int128(a) + lo), Address(__int128(a) + hi + v.itemsize));
}

std::optional<std::pair<Address, Address>> rangeOf(PyObject* candidate)
{
    if (!candidate || !PyObject_CheckBuffer(candidate))
        return std::nullopt;
    Py_buffer v;
    if (PyObject_GetBuffer(candidate, &v, PyBUF_FULL_RO) < 0) {
        PyErr_Clear();
        return std::nullopt;
    }
    auto range = exportedRange(v);
    PyBuffer_Release(&v);
    return range;
}

} // namespace

MemoryBlock MemoryDiscovery::find(PyObject* object, const Py_buffer& view,
                                  std::optional<std::pair<Address, Address>> reach)
{
    MemoryBlock block;
    if (reach) {
        block.base = reach->first;
        block.size = ByteCount(reach->second - reach->first);
    } else {
        block.base = reinterpret_cast<Address>(view.buf);
        block.size = 0;
    }
    block.owner = reachOnlyOwner;
    if (!reach)
        return block;

    // Candidates: what a memoryview wraps, then the numpy .base chain of each.
    std::vector<PyObject*> candidates; // borrowed or owned below
    std::vector<PyObject*> owned;
    PyObject* current = object;
    if (PyMemoryView_Check(current) && PyMemoryView_GET_BASE(current))
        current = PyMemoryView_GET_BASE(current);
    for (int depth = 0; current && depth < 32; ++depth) {
        if (current != object)
            candidates.push_back(current);
        PyObject* next = PyObject_GetAttrString(current, "base");
        if (!next) {
            PyErr_Clear();
            break;
        }
        if (next == Py_None || next == current || PyBytes_Check(current)) {
            Py_DECREF(next);
            break;
        }
        owned.push_back(next);
        current = next;
        if (PyMemoryView_Check(current) && PyMemoryView_GET_BASE(current))
            current = PyMemoryView_GET_BASE(current);
    }
    // The object whose memory holds buf but not every byte the layout reaches: the layout lies.
    std::optional<std::pair<Address, Address>> holder;
    std::string holderType;
    bool contained = false;
    for (PyObject* candidate : candidates) {
        auto range = rangeOf(candidate);
        if (!range)
            continue;
        const Address buf = reinterpret_cast<Address>(view.buf);
        if (range->first > reach->first || range->second < reach->second) {
            if (buf >= range->first && buf < range->second &&
                (!holder || range->second - range->first > holder->second - holder->first)) {
                holder = range;
                holderType = Py_TYPE(candidate)->tp_name;
            }
            continue;
        }
        if (ByteCount(range->second - range->first) >= block.size) {
            block.base = range->first;
            block.size = ByteCount(range->second - range->first);
            block.owner = std::string("the memory of the ") + Py_TYPE(candidate)->tp_name + " it views";
            contained = true;
        }
    }
    if (!contained && holder) {
        const ByteCount described = block.size;
        block.base = holder->first;
        block.size = ByteCount(holder->second - holder->first);
        block.owner = "the memory of the " + holderType + " it views";
        block.overreach = "the exporter describes " + std::to_string(described) + " bytes over a " +
                          std::to_string(block.size) + "-byte " + holderType;
    }
    for (PyObject* o : owned)
        Py_DECREF(o);
    return block;
}

} // namespace stridescope

namespace stridescope {

namespace {

using Range = std::pair<__int128, __int128>; // [first, end) as absolute addresses

// Sorts ranges and joins those that lie within `gap` bytes of each other.
void mergeRanges(std::vector<Range>& ranges, __int128 gap)
{
    std::sort(ranges.begin(), ranges.end());
    std::size_t kept = 0;
    for (const Range& r : ranges) {
        if (kept > 0 && r.first <= ranges[kept - 1].second + gap)
            ranges[kept - 1].second = std::max(ranges[kept - 1].second, r.second);
        else
            ranges[kept++] = r;
    }
    ranges.resize(kept);
}

// Ranges noted one by one, joined with the last one when they touch it (rows and slots mostly come
// in address order), and compacted when they pile up: memory stays bounded by the groups, not the rows.
class RangeSet
{
public:
    explicit RangeSet(__int128 gap) : m_gap(gap) {}
    void add(__int128 first, __int128 end)
    {
        if (!m_ranges.empty() && first >= m_ranges.back().first && first <= m_ranges.back().second + m_gap) {
            m_ranges.back().second = std::max(m_ranges.back().second, end);
            return;
        }
        m_ranges.emplace_back(first, end);
        if (m_ranges.size() >= kCompactAt)
            mergeRanges(m_ranges, m_gap);
    }
    // More separate groups than could ever be kept as blocks.
    bool overflowing() const { return m_ranges.size() >= kCompactAt / 2; }
    std::vector<Range>& ranges() { return m_ranges; }

private:
    static constexpr std::size_t kCompactAt = 1 << 16;
    __int128 m_gap;
    std::vector<Range> m_ranges;
};

} // namespace

MemoryDiscovery::IndirectMemory MemoryDiscovery::findIndirect(const ExportedBuffer& e,
                                                              const StridedLayout::PointerReader& readSlot,
                                                              ElementIndex rowLimit)
{
    IndirectMemory found;
    const __int128 pointerSize = __int128(sizeof(Address));
    RangeSet slots(kAdjacentGap), rows(kAdjacentGap);
    // Walk the rows with offsets as absolute addresses, noting every slot the walk reads.
    StridedLayout layout(e.itemSize, e.effectiveShape(), e.effectiveStrides(), ByteOffset(e.buf), -1);
    layout.setSuboffsets(*e.suboffsets, [&](ByteOffset slot) {
        slots.add(slot, __int128(slot) + pointerSize);
        return readSlot(slot);
    });
    const auto tail = layout.rowTail().extent();
    ElementIndex visited = 0;
    layout.visitRows([&](const std::vector<Extent>&, std::optional<ByteOffset> offset) {
        if (offset && tail)
            rows.add(__int128(*offset) + tail->first, __int128(*offset) + tail->end);
        if (slots.overflowing() || rows.overflowing()) {
            found.rowsLeftOut = true;
            return false;
        }
        return ++visited < rowLimit;
    });

    // Group what lies next to each other: one block per group.
    mergeRanges(slots.ranges(), kAdjacentGap);
    mergeRanges(rows.ranges(), kAdjacentGap);
    std::vector<Range> groups = slots.ranges();
    groups.insert(groups.end(), rows.ranges().begin(), rows.ranges().end());
    mergeRanges(groups, kAdjacentGap);
    const __int128 buf = __int128(e.buf);
    found.table.base = e.buf;
    found.table.owner = "the pointer table";
    const auto holdsBuf = std::find_if(groups.begin(), groups.end(),
                                       [buf](const Range& g) { return g.first <= buf && buf < g.second; });
    if (holdsBuf != groups.end()) {
        found.table.base = Address(holdsBuf->first);
        found.table.size = ByteCount(holdsBuf->second - holdsBuf->first);
        // Rows beside the table (one allocation, as _testbuffer's ND_PIL and Stridescope's own make).
        const bool rowsBeside = std::any_of(rows.ranges().begin(), rows.ranges().end(), [&](const Range& r) {
            return r.first < holdsBuf->second && holdsBuf->first < r.second;
        });
        if (rowsBeside)
            found.table.owner = "the pointer table and the rows beside it";
    }
    for (auto g = groups.begin(); g != groups.end(); ++g) {
        if (g == holdsBuf)
            continue;
        if (found.rowBlocks.size() == kRowBlockLimit) {
            found.rowsLeftOut = true;
            break;
        }
        MemoryBlock block;
        block.base = Address(g->first);
        block.size = ByteCount(g->second - g->first);
        block.owner = "memory a row pointer leads to";
        found.rowBlocks.push_back(block);
    }
    return found;
}

} // namespace stridescope
