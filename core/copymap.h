#pragma once

#include "stridedlayout.h"

#include <algorithm>
#include <limits>

namespace stridescope {

// Where each element goes when PyMemoryView_GetContiguous copies: source byte offset -> destination
// byte offset in the new bytes object. Computed on demand from the two layouts; nothing per element
// is stored, so a 16-million-element map costs no more than its description.
class CopyMap
{
public:
    struct Entry
    {
        ElementIndex element = 0;         // logical C-order position
        std::optional<ByteOffset> source; // in the source memory block (nullopt: unresolved pointer)
        ByteOffset destination = 0;       // in the new bytes object
    };

    CopyMap(StridedLayout source, StridedLayout destination);

    const StridedLayout& source() const { return m_source; }
    const StridedLayout& destination() const { return m_destination; }
    ElementIndex size() const { return m_count; }
    Entry at(ElementIndex element) const;
    // Calls f(entry) for elements [first, first + count) in C order, stepping offsets incrementally
    // (no allocation per element); stops early when f returns false.
    template <class F> void visit(ElementIndex first, ElementIndex count, F&& f) const;
    // The element whose copy lands on byte `destinationByte` of the new object, -1 if none.
    ElementIndex elementAtDestination(ByteOffset destinationByte) const;

private:
    StridedLayout m_source;
    StridedLayout m_destination;
    ElementIndex m_count = 0;
};

template <class F> void CopyMap::visit(ElementIndex first, ElementIndex count, F&& f) const
{
    const ElementIndex end = std::min(m_count, first + count);
    if (first >= end)
        return;
    // Only axes of extent > 1 ever move: a 64-D layout of mostly extent-1 axes steps as a short one.
    std::vector<int> moving;
    for (int d = 0; d < m_source.ndim(); ++d)
        if (m_source.shape()[d] > 1)
            moving.push_back(d);
    if (m_source.isIndirect()) {
        // Pointers are followed once per row (the index prefix up to the last axis with a
        // suboffset); the direct tail after it is stepped like the direct odometer below.
        const int n = m_source.ndim();
        const int rows = m_source.rowAxes();
        std::vector<Extent> index = m_source.unravel(first);
        Entry entry = at(first);
        std::optional<__int128> row = m_source.rowOffset(index);
        __int128 tail = 0;
        for (int d = rows; d < n; ++d)
            tail += __int128(index[d]) * m_source.strides()[d];
        constexpr __int128 lowest = std::numeric_limits<ByteOffset>::min();
        constexpr __int128 highest = std::numeric_limits<ByteOffset>::max();
        for (ElementIndex e = first;;) {
            entry.element = e;
            entry.source.reset();
            if (row && *row + tail >= lowest && *row + tail <= highest)
                entry.source = ByteOffset(*row + tail);
            if (!f(entry) || ++e == end)
                return;
            int d = -1;
            for (auto axis = moving.rbegin(); axis != moving.rend(); ++axis) {
                d = *axis;
                if (++index[d] < m_source.shape()[d]) {
                    if (d >= rows)
                        tail += m_source.strides()[d];
                    entry.destination += m_destination.strides()[d];
                    break;
                }
                if (d >= rows)
                    tail -= __int128(index[d] - 1) * m_source.strides()[d];
                entry.destination -= (index[d] - 1) * m_destination.strides()[d];
                index[d] = 0;
            }
            if (d < rows)
                row = m_source.rowOffset(index);
        }
    }
    std::vector<Extent> index = m_source.unravel(first);
    Entry entry = at(first);
    ByteOffset source = *entry.source;
    for (ElementIndex e = first;;) {
        entry.element = e;
        entry.source = source;
        if (!f(entry) || ++e == end)
            return;
        // Odometer step: the last axis moves fastest.
        for (auto axis = moving.rbegin(); axis != moving.rend(); ++axis) {
            const int d = *axis;
            if (++index[d] < m_source.shape()[d]) {
                source += m_source.strides()[d];
                entry.destination += m_destination.strides()[d];
                break;
            }
            source -= (index[d] - 1) * m_source.strides()[d];
            entry.destination -= (index[d] - 1) * m_destination.strides()[d];
            index[d] = 0;
        }
    }
}

} // namespace stridescope
