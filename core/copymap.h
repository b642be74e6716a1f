#pragma once

#include "stridedlayout.h"

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
    // The element whose copy lands on byte `destinationByte` of the new object, -1 if none.
    ElementIndex elementAtDestination(ByteOffset destinationByte) const;

private:
    StridedLayout m_source;
    StridedLayout m_destination;
    ElementIndex m_count = 0;
};

} // namespace stridescope
