#pragma once

#include "core/stridedlayout.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace stridescope {

// How the elements of a layout cover any range of bytes, worked out from the layout's structure in
// O(ndim) per range instead of a walk over the bytes or the elements.
//
// Nested layouts: with negative strides flipped and zero strides left out, every stride spans
// everything the smaller axes reach plus an item (C and Fortran order, transposes, slices, N-d
// arrays, broadcasts), so element offsets are a mixed-radix number and each byte has one lowest owner.
//
// Windows (numpy's sliding_window_view, in any number of dimensions): axes with the same |stride|
// are one virtual axis whose digit is the sum of theirs. Elements on one digit share their bytes; the
// lowest of them gives each axis of the group as much of the digit as it can, cheapest C-order
// weight first, so the lowest element is a convex piecewise-linear function of the digit. When the
// virtual axes are nested, a byte has one digit per virtual axis and everything below follows.
//
// Windows with a hop (sliding_window_view(a, w)[::t]: strides (t*s, s), t < w): the two axes are one
// virtual axis of step s whose digit is k = t*i + j; the windows holding digit k are an interval of
// i, and the lowest element takes its first or its last, so sums over digits are sums of floors.
//
// A zoomed-out strip reads two prefixes per pixel: its cost follows the pixels, whatever the
// element count.
class NestedCoverage
{
public:
    // Owned bytes below a position, the sum over them of the lowest element owning each, and how many
    // of them have a single owner.
    struct Prefix
    {
        std::int64_t bytes = 0;
        __int128 elementSum = 0;
        std::int64_t unshared = 0;
    };
    // Owned bytes in a range, their mean lowest element, and how many are shared by several elements.
    struct Range
    {
        std::int64_t bytes = 0;
        __int128 elementSum = 0;
        std::int64_t shared = 0;
        double meanElement() const { return bytes > 0 ? double(elementSum) / double(bytes) : 0.0; }
    };

    NestedCoverage() = default;
    explicit NestedCoverage(const StridedLayout& layout);

    // False for indirect, empty and other overlapping layouts (items that overlap their neighbours,
    // windows that overlap in more tangled ways): ask ByteOwnership instead.
    bool isValid() const { return m_valid; }
    // Zero-stride axes repeat every element: each owned byte is shared.
    bool isRepeated() const { return m_repeated; }
    // Some bytes may have several owners (repeats or windows): count them per range.
    bool mayShare() const { return m_repeated || m_windows; }
    // Bytes [0, position) relative to the layout's block.
    Prefix below(ByteOffset position) const;
    Range between(ByteOffset first, ByteOffset end) const
    {
        if (end <= first)
            return {};
        const Prefix a = below(first), b = below(end);
        const std::int64_t bytes = b.bytes - a.bytes;
        return {bytes, b.elementSum - a.elementSum, bytes - (b.unshared - a.unshared)};
    }

private:
    // The lowest element's contribution is linear on each piece of a virtual axis' digits:
    // value + slope * (t - start) for t in [start, start + length).
    struct Piece
    {
        Extent start = 0;
        Extent length = 0;
        ElementIndex value = 0;
        ElementIndex slope = 0;
    };
    struct Axis
    {
        ByteOffset step = 1;   // |stride|
        double reciprocal = 1; // 1 / step: a multiply instead of a division per axis
        Extent extent = 1;     // digits of the virtual axis
        int pieceFirst = 0;    // its pieces in m_pieces
        int pieceCount = 1;
        bool window = false; // several axes: only the first and last digits have one owner
        // A window axis (stride s, extent hopW, C-order weight hopSlope per step) under a hop axis
        // (stride hopT * s, extent hopN): digit k = hopT * i + j. The lowest element on digit k is
        // hopFirst + hopSlope * k + hopD * i, i the first window holding k (hopD > 0) or the last.
        bool hop = false;
        Extent hopT = 1, hopN = 1, hopW = 1;
        ElementIndex hopFirst = 0, hopSlope = 0, hopD = 0;
        ElementIndex inner = 1;         // elements under one digit: the product of the later extents
        __int128 innerSum = 0;          // sum of the later axes' element contributions over those
        ElementIndex innerUnshared = 1; // of those, elements with a single owner
        ByteOffset far = 0;             // offset of the last element under this axis, from its first
        ElementIndex farElement = 0;    // that element's contribution of this axis and the later ones
    };
    // An axis that moves (extent > 1, stride != 0), with the lowest element's contribution of its
    // digit t (the distance from the base in steps): `first` at t = 0, `slope` per step (negative
    // when flipped).
    struct MovingAxis
    {
        ByteOffset step = 1;
        Extent extent = 1;
        ElementIndex first = 0;
        ElementIndex slope = 0;
    };
    // The steps of the constructor. The moving axes, largest step first (sets m_base and m_repeated).
    std::vector<MovingAxis> movingAxes(const StridedLayout& layout);
    // One virtual axis per run of moving axes of one step.
    void addVirtualAxes(const std::vector<MovingAxis>& moving);
    void addVirtualAxis(std::vector<MovingAxis> group);
    // Pairs of single axes that make a window with a hop become one hop axis.
    void mergeHops();
    Axis hopAxis(const Axis& outer, const Axis& inner) const;
    // Fills in what below() reads per axis; nullopt when the virtual axes are not nested, else the
    // number of digit combinations (the product of their extents).
    std::optional<ElementIndex> nestAxes();
    // Contribution of digit t of axis a to the lowest C-order element.
    ElementIndex elementOf(const Axis& a, Extent t) const;
    // Sum of elementOf(a, t) for t in [0, q).
    template <class Sum> Sum digitSum(const Axis& a, Extent q) const;
    // Digits t in [0, q) whose elements have one owner along this axis.
    static Extent unsharedDigits(const Axis& a, Extent q);
    // Whether digit k (< extent) has one owner along this axis.
    static bool oneOwner(const Axis& a, Extent k);
    // Of a hop axis: the first and last window holding digit k, and their sums over k in [0, q).
    static Extent firstWindow(const Axis& a, Extent k);
    static Extent lastWindow(const Axis& a, Extent k);
    static __int128 firstWindowSum(const Axis& a, Extent q);
    static __int128 lastWindowSum(const Axis& a, Extent q);
    template <class Sum> Prefix belowIn(ByteOffset position) const;

    bool m_valid = false;
    bool m_repeated = false;
    bool m_windows = false;
    bool m_narrow = false; // every sum fits in 64 bits
    ByteCount m_itemSize = 1;
    ByteOffset m_base = 0;    // offset of the element whose digits are all 0
    std::vector<Axis> m_axes; // virtual axes, largest step first
    std::vector<Piece> m_pieces;
};

} // namespace stridescope
