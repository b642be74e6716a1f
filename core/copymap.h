#pragma once

#include "stridedlayout.h"

#include <algorithm>

namespace stridescope {

// Where each element goes when PyMemoryView_GetContiguous copies: source byte offset -> destination
// byte offset in the new bytes object. Computed on demand from the two layouts; nothing per element
// is stored, so a 16-million-element map costs no more than its description.
class CopyMap
{
public:
    struct Entry
    {
        ElementIndex element = 0;              // logical C-order position
        std::optional<ByteOffset> source;      // in the source memory block (nullopt: unresolved pointer)
        ByteOffset destination = 0;            // in the new bytes object
    };

    CopyMap(StridedLayout source, StridedLayout destination);

    const StridedLayout& source() const { return m_source; }
    const StridedLayout& destination() const { return m_destination; }
    ElementIndex size() const { return m_count; }
    Entry at(ElementIndex element) const;
    // Calls f(entry) for elements [first, first + count) in C order, stepping offsets incrementally
    // (no allocation per element); stops early when f returns false.
    template <class F>
    void visit(ElementIndex first, ElementIndex count, F&& f) const;
    // The element whose copy lands on byte `destinationByte` of the new object, -1 if none.
    ElementIndex elementAtDestination(ByteOffset destinationByte) const;

private:
    StridedLayout m_source;
    StridedLayout m_destination;
    ElementIndex m_count = 0;
};

template <class F>
void CopyMap::visit(ElementIndex first, ElementIndex count, F&& f) const
{
    const ElementIndex end = std::min(m_count, first + count);
    if (first >= end)
        return;
    if (m_source.isIndirect()) { // offsets depend on pointers: resolve each element
        for (ElementIndex e = first; e < end; ++e)
            if (!f(at(e)))
                return;
        return;
    }
    const int n = m_source.ndim();
    std::vector<Extent> index = m_source.unravel(first);
    Entry entry = at(first);
    ByteOffset source = *entry.source;
    for (ElementIndex e = first;;) {
        entry.element = e;
        entry.source = source;
        if (!f(entry) || ++e == end)
            return;
        // Odometer step: the last axis moves fastest.
        for (int d = n - 1; d >= 0; --d) {
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
