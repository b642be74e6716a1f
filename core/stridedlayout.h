#pragma once

#include "units.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// Where the elements of a buffer live: itemsize, shape, strides (bytes, may be negative or zero),
// PIL-style suboffsets, and where `buf` sits inside the block of memory it points into.
// All offsets are relative to the start of that memory block, so a layout needs no live pointer.
class StridedLayout
{
public:
    // For suboffset axes: reads the pointer stored at `slot` and returns where it points, as an
    // offset in the same memory block; nullopt when the slot or its target lies outside the block.
    using PointerReader = std::function<std::optional<ByteOffset>(ByteOffset slot)>;
    // What each pointer slot held when the buffer was exported, as plain data (a layout that must
    // outlive its exporter, or cross into another process, carries this instead of a live reader).
    // A nullopt target: the slot held NULL, or could not be read.
    using PointerTable = std::map<ByteOffset, std::optional<ByteOffset>>;

    StridedLayout() = default;
    StridedLayout(ByteCount itemSize, std::vector<Extent> shape, std::vector<ByteOffset> strides,
                  ByteOffset bufOffset = 0, ByteCount memorySize = -1);

    static std::vector<ByteOffset> cStrides(const std::vector<Extent>& shape, ByteCount itemSize);
    static std::vector<ByteOffset> fortranStrides(const std::vector<Extent>& shape, ByteCount itemSize);

    ByteCount itemSize() const { return m_itemSize; }
    int ndim() const { return static_cast<int>(m_shape.size()); }
    const std::vector<Extent>& shape() const { return m_shape; }
    const std::vector<ByteOffset>& strides() const { return m_strides; }
    const std::optional<std::vector<ByteOffset>>& suboffsets() const { return m_suboffsets; }
    bool isIndirect() const { return m_suboffsets.has_value(); }
    ByteOffset bufOffset() const { return m_bufOffset; }
    // Size of the memory block; -1 when unknown (then only the extent is known).
    ByteCount memorySize() const { return m_memorySize; }

    void setSuboffsets(std::vector<ByteOffset> suboffsets, PointerReader reader);
    void setFrozenSuboffsets(std::vector<ByteOffset> suboffsets, PointerTable table);
    // The frozen table the layout follows, nullptr when it has a live reader (or is direct).
    const PointerTable* pointerTable() const { return m_pointerTable.get(); }
    void setMemory(ByteOffset bufOffset, ByteCount memorySize);

    // Number of elements, nullopt when the product of the shape overflows 63 bits.
    std::optional<ElementIndex> elementCount() const;
    // product(shape) * itemsize, nullopt on overflow: what Py_buffer.len holds.
    std::optional<ByteCount> byteLength() const;

    // Byte offset of the element at a multi-index (one entry per axis, each within its extent).
    // Follows suboffset pointers; nullopt when a pointer cannot be resolved.
    std::optional<ByteOffset> elementOffset(const std::vector<Extent>& index) const;
    // Same, for the element at a linear position in logical C order.
    std::optional<ByteOffset> elementOffsetAt(ElementIndex linear) const;
    std::vector<Extent> unravel(ElementIndex linear) const;

    // Rows of an indirect layout: only the axes up to and including the last one with a suboffset
    // (the "row axes") go through pointers; the axes after them form a direct tail (strides only)
    // that starts at the row's offset. A direct layout has no row axes: one row, at bufOffset.
    int rowAxes() const;
    // The direct tail as a layout of its own: shape and strides of the axes after the row axes,
    // starting at offset 0, memory size unknown.
    StridedLayout rowTail() const;
    // Where the row with the given index prefix (at least rowAxes() entries; later ones are ignored)
    // starts, in 128 bits: a pointer may lead anywhere. nullopt when a pointer cannot be followed.
    std::optional<__int128> rowOffset(const std::vector<Extent>& index) const;
    // Calls f(prefix, offset) for every row in C order with the offset it starts at (nullopt when a
    // pointer cannot be followed, or the offset does not fit 64 bits), stepping the prefix like an
    // odometer: O(rows x rowAxes()). Visits nothing when the layout has no elements. Stops when f
    // returns false.
    using RowVisitor =
        std::function<bool(const std::vector<Extent>& prefix, std::optional<ByteOffset> offset)>;
    void visitRows(const RowVisitor& f) const;

    struct ByteRange
    {
        ByteOffset first = 0; // lowest byte reached
        ByteOffset end = 0;   // one past the highest byte reached
    };
    // Lowest and highest byte any element reaches, computed from strides alone, row by row for an
    // indirect layout (unresolved rows reach nothing). nullopt when there are no elements or no bytes.
    std::optional<ByteRange> extent() const;

    // Why this layout does not fit inside [0, memorySize): names the axis that pushes an element
    // out of the block (indirect: an element that lies outside, or whose pointer cannot be followed).
    // nullopt when every element lies inside (or the memory size is unknown).
    std::optional<std::string> outsideMemoryReason() const;
    bool elementInside(ByteOffset offset) const;

    // Two distinct elements sharing at least one byte; the pair of multi-indices is a witness.
    struct Overlap
    {
        std::vector<Extent> first;
        std::vector<Extent> second;
    };
    // nullopt when no two elements overlap, or when the search was given up: an indirect layout
    // whose rows' byte ranges intersect on more elements than can be sorted. Then `undecided` (when
    // given) says so; it is cleared otherwise.
    std::optional<Overlap> findSelfOverlap(std::string* undecided = nullptr) const;

private:
    // One step of elementOffset: axis d at index i from position p, through its pointer if it has one.
    std::optional<__int128> followAxis(__int128 p, std::size_t d, Extent i) const;
    using RowOffsetVisitor =
        std::function<bool(const std::vector<Extent>& prefix, std::optional<__int128> offset)>;
    // visitRows with the offsets in 128 bits.
    void visitRowOffsets(const RowOffsetVisitor& f) const;
    std::optional<Overlap> findIndirectOverlap(ElementIndex count, std::string* undecided) const;

    ByteCount m_itemSize = 1;
    std::vector<Extent> m_shape;
    std::vector<ByteOffset> m_strides;
    std::optional<std::vector<ByteOffset>> m_suboffsets;
    PointerReader m_pointerReader;
    std::shared_ptr<const PointerTable> m_pointerTable;
    ByteOffset m_bufOffset = 0;
    ByteCount m_memorySize = -1;
};

} // namespace stridescope
