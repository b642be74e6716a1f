#pragma once

#include "core/stridedlayout.h"

#include <cstdint>
#include <vector>

namespace stridescope {

// How the elements of a nested layout cover any range of bytes, worked out from the layout's
// structure in O(ndim) per range instead of a walk over the bytes or the elements. Nested: with
// negative strides flipped and zero strides left out, every stride spans everything the smaller
// axes reach plus an item (C and Fortran order, transposes, slices, N-d arrays, broadcasts), so
// element offsets are a mixed-radix number and each byte has one lowest owner. A zoomed-out strip
// reads two prefixes per pixel: its cost follows the pixels, whatever the element count.
class NestedCoverage
{
public:
    // Owned bytes below a position, and the sum over them of the lowest element owning each.
    struct Prefix
    {
        std::int64_t bytes = 0;
        __int128 elementSum = 0;
    };
    // Owned bytes in a range and their mean lowest element.
    struct Range
    {
        std::int64_t bytes = 0;
        __int128 elementSum = 0;
        double meanElement() const { return bytes > 0 ? double(elementSum) / double(bytes) : 0.0; }
    };

    NestedCoverage() = default;
    explicit NestedCoverage(const StridedLayout& layout);

    // False for indirect, overlapping (a sliding window) or empty layouts: ask ByteOwnership instead.
    bool isValid() const { return m_valid; }
    // Zero-stride axes repeat every element: each owned byte is shared.
    bool isRepeated() const { return m_repeated; }
    // Bytes [0, position) relative to the layout's block.
    Prefix below(ByteOffset position) const;
    Range between(ByteOffset first, ByteOffset end) const
    {
        if (end <= first)
            return {};
        const Prefix a = below(first), b = below(end);
        return {b.bytes - a.bytes, b.elementSum - a.elementSum};
    }

private:
    struct Axis
    {
        ByteOffset step = 1;       // |stride|
        double reciprocal = 1;     // 1 / step: a multiply instead of a division per axis
        Extent extent = 1;
        ElementIndex weight = 1;   // C-order weight
        bool flipped = false;      // negative stride: digit t is index extent - 1 - t
        ElementIndex inner = 1;    // elements under one digit: the product of the later extents
        __int128 innerSum = 0;     // sum of the later axes' element contributions over those
        ByteOffset far = 0;        // offset of the last element under this axis, from its first
        ElementIndex farElement = 0; // that element's contribution of this axis and the later ones
    };
    // Contribution of digit t of axis a to the C-order element.
    static ElementIndex elementOf(const Axis& a, Extent t) { return (a.flipped ? a.extent - 1 - t : t) * a.weight; }
    // Sum of elementOf(a, t) for t in [0, q).
    static __int128 digitSum(const Axis& a, Extent q);
    template <class Sum> Prefix belowIn(ByteOffset position) const;

    bool m_valid = false;
    bool m_repeated = false;
    bool m_narrow = false; // every sum fits in 64 bits
    ByteCount m_itemSize = 1;
    ByteOffset m_base = 0; // offset of the element whose digits are all 0
    std::vector<Axis> m_axes; // moving axes, largest step first
};

} // namespace stridescope
