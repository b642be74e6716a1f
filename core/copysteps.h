#pragma once

#include "copymap.h"
#include "stridedlayout.h"

#include <optional>
#include <vector>

namespace stridescope {

// The order PyMemoryView_GetContiguous copies in, one element a step (Objects/memoryobject.c:
// copy_buffer -> copy_rec -> copy_base). copy_rec walks the source's index with the last axis
// innermost, following a suboffset at each axis that has one, and writes each element at the
// destination's strides (C strides for 'C' and 'A', Fortran strides for 'F'). So step k copies the
// k-th element in logical C order, whatever the order asked: for 'F' the result offsets jump.
// A step is computed from k alone in O(ndim) (no table per element); an alias copies nothing.
class CopySteps
{
public:
    struct Step
    {
        ElementIndex step = 0;            // 0-based; also the element's C-order position
        std::vector<Extent> index;        // one entry per axis
        std::optional<ByteOffset> source; // in the source's memory block (nullopt: unresolved pointer)
        ByteOffset result = 0;            // in the new bytes object
        ByteCount itemSize = 0;
    };

    CopySteps() = default; // nothing copied: an alias, or an error
    // The copy from `source` into the contiguous `result` (the new bytes object's layout).
    CopySteps(StridedLayout source, StridedLayout result);

    ElementIndex count() const { return m_map ? m_map->size() : 0; }
    bool isEmpty() const { return count() == 0; }
    // Step k, 0 <= k < count().
    Step at(ElementIndex k) const;

private:
    std::optional<CopyMap> m_map;
};

} // namespace stridescope
