#pragma once

#include "core/stridedlayout.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace stridescope {

// The inverse of a layout: which elements reach a byte. Answered per byte without scanning the
// elements: direct layouts are searched axis by axis, largest stride first, pruning every index that
// cannot reach the byte (one or two candidates per axis for ordinary layouts, so a query costs
// O(ndim)); zero-stride axes are factored out (they multiply the owners, they do not move them).
// Indirect layouts are answered row by row: the rows (core's visitRows) sorted by where they start,
// each searched as its direct tail (rowTail), which every row shares.
class ByteOwnership
{
public:
    struct Owners
    {
        ElementIndex first = -1; // the lowest C-order element found, -1 if none
        ElementIndex count = 0;  // how many elements reach the byte (saturates at `saturated`)
        // The count stopped at the limit asked, or the search ran out after finding some: a lower bound.
        bool atLeast = false;
        bool isGap() const { return count == 0; }
        bool isShared() const { return count > 1; }
    };
    static constexpr ElementIndex saturated = ElementIndex(1) << 40;
    // Owners counted one by one, at most, for a description ("shared by at least 64 elements").
    static constexpr ElementIndex describeLimit = 64;

    ByteOwnership() = default;
    explicit ByteOwnership(const StridedLayout& layout);

    // The lowest element reaching `byte` and how many do, counted up to `countLimit` (the default,
    // 2, is all a picture needs: owned or not, shared or not; counting more costs a search each).
    Owners at(ByteOffset byte, ElementIndex countLimit = 2) const
    {
        // The common case inline: the views ask once or twice per pixel.
        Owners owners;
        if (m_nested && m_valid && m_freeAxes.empty()) {
            if (nestedOwner(byte, owners.first))
                owners.count = 1;
            return owners;
        }
        return searchOwners(byte, countLimit);
    }
    // The elements reaching `byte`, lowest first, at most `limit`.
    std::vector<ElementIndex> elementsAt(ByteOffset byte, std::size_t limit) const;
    bool isValid() const { return m_valid; }
    // Every byte has at most one owner, found by nestedOwner(): the per-pixel loops call it directly.
    bool hasUniqueOwners() const { return m_valid && m_nested && m_freeAxes.empty(); }
    // The axes that move (stride != 0) never take two elements to one byte; zero-stride axes may
    // still repeat each element (a broadcast).
    bool hasNestedMovingAxes() const { return m_valid && m_nested; }
    // Nested layouts (each stride spans everything the smaller ones reach: C, Fortran, transposes,
    // slices) have at most one owner per byte, found greedily with one division per axis.
    bool nestedOwner(ByteOffset byte, ElementIndex& element) const
    {
        ByteOffset rest = byte - m_nestedBase;
        if (rest < 0)
            return false;
        ElementIndex linear = 0;
        for (const Axis& a : m_axes) {
            const ByteOffset s = a.flipped ? -a.stride : a.stride;
            // rest / s by a multiply, corrected by one step where rounding missed.
            Extent q = Extent(double(rest) * a.reciprocal);
            if (q * s > rest)
                --q;
            else if ((q + 1) * s <= rest)
                ++q;
            const Extent i = q < a.extent - 1 ? q : a.extent - 1;
            rest -= i * s;
            linear += (a.flipped ? a.extent - 1 - i : i) * a.weight;
        }
        if (rest >= m_itemSize)
            return false;
        element = linear;
        return true;
    }

private:
    struct Axis
    {
        ByteOffset stride = 0;
        Extent extent = 1;
        ElementIndex weight = 1; // C-order weight of the axis
        ByteOffset reachLow = 0; // offsets reachable by this axis and every later one
        ByteOffset reachHigh = 0;
        bool flipped = false;  // negative stride, walked from the far end
        double reciprocal = 0; // 1 / |stride|: a multiply instead of a division per query
        ByteOffset gcd = 1;    // of |stride| of this axis and every later one
    };
    // Calls found(element) for the elements reaching `byte` until it returns false; with `below`, only
    // for elements below *below (read at every step, so it can tighten). False when it stopped early.
    template <class F> bool search(ByteOffset byte, F&& found, const ElementIndex* below = nullptr) const;

    Owners searchOwners(ByteOffset byte, ElementIndex countLimit) const;

    bool m_valid = false;
    bool m_nested = false;
    ByteOffset m_nestedBase = 0; // offset of the element with every flipped index at 0
    bool m_indirect = false;
    ByteCount m_itemSize = 1;
    ByteOffset m_bufOffset = 0;
    std::vector<Axis> m_axes;        // moving axes, largest |stride| first
    std::vector<Axis> m_freeAxes;    // zero-stride axes of extent > 1
    ElementIndex m_multiplicity = 1; // product of the free extents
    // Indirect: the rows, sorted (start offset, first element), and the ownership of the direct tail
    // every row shares, with the bytes a row reaches relative to its start.
    std::vector<std::pair<ByteOffset, ElementIndex>> m_rows;
    std::shared_ptr<const ByteOwnership> m_tail;
    StridedLayout::ByteRange m_tailReach;
    // Calls f(row) for the rows (as above) that reach `byte`, in m_rows order, until it returns
    // false; false when it gave up (too many rows at one place).
    template <class F> bool forRowsAt(ByteOffset byte, F&& f) const;
};

} // namespace stridescope
