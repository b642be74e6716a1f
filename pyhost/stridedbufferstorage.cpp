#include "stridedbufferstorage.h"

#include "core/itemformat.h"
#include "core/quotedtext.h"
#include "indexfill.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace stridescope {

static_assert(alignof(std::max_align_t) >= 16, "calloc must give 16-byte aligned memory");

namespace {

constexpr ByteCount pointerSize = ByteCount(sizeof(void*));
// Core checks an indirect layout row by row, but the fill, the probe's copy check and the views
// still visit its elements; beyond this many elements that would take longer than anyone would wait.
constexpr ElementIndex indirectElementLimit = ElementIndex(1) << 24;

std::string sizeText(ByteCount bytes)
{
    static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    std::string text = std::to_string(bytes) + " bytes";
    if (unit > 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, " (%.1f %s)", value, units[unit]);
        text += buf;
    }
    return text;
}

// Reads pointer slots of an indirect buffer straight from its memory, so core validates exactly the
// pointers a consumer will follow.
StridedLayout::PointerReader pointerReaderFor(const unsigned char* memory, ByteCount size)
{
    return [memory, size](ByteOffset slot) -> std::optional<ByteOffset> {
        if (slot < 0 || size < pointerSize || slot > size - pointerSize)
            return std::nullopt;
        std::uintptr_t target = 0;
        std::memcpy(&target, memory + slot, sizeof target);
        const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(memory);
        if (target < base || target - base >= std::uintptr_t(size))
            return std::nullopt;
        return ByteOffset(target - base);
    };
}

// ---- checks ------------------------------------------------------------------------------------

// The work the index fill does is what it writes: every element visited is cleared (itemsize
// bytes), then each of its fields is written. Elements that do not overlap write the block about
// twice at most; a layout that overlaps heavily, or big items a stride of 1 apart, would write
// without end, and is refused. Axes of stride 0 only visit their last index (see IndexFill).
void checkIndexFillWork(const ResolvedStridedSpec& r)
{
    if (r.length == 0)
        return;
    ElementIndex visits = 1; // at most the element count, which fits
    for (std::size_t d = 0; d < r.shape.size(); ++d)
        visits *= r.strides[d] == 0 ? 1 : r.shape[d];
    const std::size_t fields = r.format.fields().size();
    const ByteCount perElement = r.itemSize + ByteCount(fields);
    constexpr ByteCount most = std::numeric_limits<ByteCount>::max();
    const ByteCount budget =
        std::max<ByteCount>(ByteCount(1) << 25, r.memorySize > most / 4 ? most : 4 * r.memorySize);
    ByteCount work = 0;
    if (__builtin_mul_overflow(visits, perElement, &work) || work > budget)
        throw SourceError("fill 'index' would write " + std::to_string(visits) + " overlapping elements of " +
                          std::to_string(r.itemSize) + " bytes and " + std::to_string(fields) +
                          " fields each into " + sizeText(r.memorySize) +
                          " of memory; use fill='bytes' or fill='zero'");
}

// ---- construction -------------------------------------------------------------------------------

// Large blocks ask for transparent huge pages, as numpy's allocator does for arrays of 4 MiB and
// more: a strided walk over the block (CPython's copy of a transpose, the fill, the check) then
// misses the TLB once per 2 MiB instead of once per 4 KiB, and the block behaves like the numpy
// array of the same layout. Advice only: where the kernel gives none, nothing changes.
void adviseHugePages(unsigned char* block, ByteCount size)
{
    constexpr ByteCount kAdviseFrom = ByteCount(4) << 20;
    if (size < kAdviseFrom)
        return;
    const std::uintptr_t page = std::uintptr_t(::sysconf(_SC_PAGESIZE));
    const std::uintptr_t start = (reinterpret_cast<std::uintptr_t>(block) + page - 1) & ~(page - 1);
    const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(block) + std::uintptr_t(size);
    if (end > start)
        ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

ByteOffset checkedAdd(ByteOffset a, ByteOffset b, const std::string& what)
{
    ByteOffset r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw SourceError(what + " overflows 64 bits");
    return r;
}

ByteOffset checkedMul(ByteOffset a, ByteOffset b, const std::string& what)
{
    ByteOffset r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw SourceError(what + " overflows 64 bits");
    return r;
}

// Refuses strides whose reach cannot even be computed: core measures extents in 64 bits.
void checkReach(const std::vector<Extent>& shape, const std::vector<ByteOffset>& strides, ByteCount itemSize)
{
    ByteOffset reach = itemSize;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] <= 1)
            continue;
        const std::string what = "the reach of axis " + std::to_string(d) + " (extent " +
                                 std::to_string(shape[d]) + ", stride " + std::to_string(strides[d]) + ")";
        if (strides[d] == std::numeric_limits<ByteOffset>::min())
            throw SourceError(what + " overflows 64 bits");
        reach = checkedAdd(reach, checkedMul(shape[d] - 1, std::abs(strides[d]), what), what);
    }
}

std::string outsideMessage(const std::string& why)
{
    return "the layout reaches outside its memory: " + why;
}

// The item format, refused when a StridedBuffer cannot export it.
ItemFormat exportableFormat(const std::string& text)
{
    std::string formatError;
    auto format = ItemFormat::parse(text, &formatError);
    if (!format)
        throw SourceError(formatError.empty() ? "unknown format " + quotedText(text) : formatError);
    for (const FormatField& field : format->fields()) {
        if (field.code == 'O')
            throw SourceError("format " + quotedText(text) +
                              " holds Python object pointers ('O'); a StridedBuffer cannot export them");
    }
    if (format->itemSize() <= 0)
        throw SourceError("format " + quotedText(text) +
                          " has item size 0; a buffer needs items of at least one byte");
    return std::move(*format);
}

// The shape: at most PyBUF_MAX_NDIM axes, no negative extent, at least one axis when indirect, and an
// element count and byte length that fit 63 bits.
void checkShape(const std::vector<Extent>& shape, bool indirect, ByteCount itemSize)
{
    const std::size_t ndim = shape.size();
    if (ndim > StridedBufferStorage::maxNdim)
        throw SourceError(StridedBufferStorage::ndimMessage(ndim));
    for (std::size_t d = 0; d < ndim; ++d) {
        if (shape[d] < 0)
            throw SourceError("axis " + std::to_string(d) + " has a negative extent (" +
                              std::to_string(shape[d]) + "); extents must be >= 0");
    }
    if (indirect && ndim == 0)
        throw SourceError("indirect needs at least one axis");
    const StridedLayout counting(itemSize, shape, std::vector<ByteOffset>(ndim, 0));
    if (!counting.elementCount())
        throw SourceError("the shape holds more than 2^63 elements");
    if (!counting.byteLength())
        throw SourceError("the shape times the item size (" + std::to_string(itemSize) +
                          ") is more than 2^63 bytes");
}

// The spec's strides, one per axis, or the default ones. C strides fit: the shape times the item
// size does (checkShape).
std::vector<ByteOffset> stridesOf(const StridedSourceSpec& spec, ByteCount itemSize)
{
    if (!spec.strides)
        return StridedBufferStorage::defaultStrides(spec.shape, itemSize, spec.indirect);
    if (spec.strides->size() != spec.shape.size())
        throw SourceError(StridedBufferStorage::strideCountMessage(spec.strides->size(), spec.shape.size()));
    return *spec.strides;
}

// A direct buffer: buf's offset (by default, just far enough in for a negative stride to stay in the
// block) and the memory its elements need.
ByteCount placeDirect(const std::optional<ByteOffset>& givenOffset, ResolvedStridedSpec& r)
{
    r.offset = givenOffset.value_or(0);
    checkReach(r.shape, r.strides, r.itemSize);
    const auto range = StridedLayout(r.itemSize, r.shape, r.strides).extent(); // relative to buf
    if (!givenOffset && range && range->first < 0)
        r.offset = -range->first;
    return range ? std::max(r.offset, checkedAdd(r.offset, range->end, "the memory size")) : r.offset;
}

// An indirect buffer: the pointer table's offset, where the rows go after it, and the memory both need.
ByteCount placeIndirect(const std::optional<ByteOffset>& givenOffset, ResolvedStridedSpec& r)
{
    const std::vector<Extent>& shape = r.shape;
    const std::vector<ByteOffset>& strides = r.strides;
    r.offset = givenOffset.value_or(0);
    checkReach({shape[0]}, {strides[0]}, pointerSize);
    const std::vector<Extent> innerShape(shape.begin() + 1, shape.end());
    const std::vector<ByteOffset> innerStrides(strides.begin() + 1, strides.end());
    checkReach(innerShape, innerStrides, r.itemSize);
    const auto table = StridedLayout(pointerSize, {shape[0]}, {strides[0]}).extent();
    if (!givenOffset && table && table->first < 0)
        r.offset = -table->first;
    r.rowsStart =
        table ? std::max(r.offset, checkedAdd(r.offset, table->end, "the pointer table")) : r.offset;
    if (const auto row = StridedLayout(r.itemSize, innerShape, innerStrides).extent()) {
        r.rowSpan = row->end - row->first;
        r.rowLead = -row->first;
    }
    return checkedAdd(r.rowsStart, checkedMul(shape[0], r.rowSpan, "the rows"), "the memory size");
}

// The block: not negative, within the allocation limit, and holding buf's offset.
void checkBlock(ByteCount memorySize, ByteOffset offset, const SourceLimits& limits)
{
    if (memorySize < 0)
        throw SourceError("memory size " + std::to_string(memorySize) + " is negative");
    if (memorySize > limits.allocationLimit)
        throw SourceError("the memory block of " + sizeText(memorySize) +
                          " exceeds the allocation limit of " + sizeText(limits.allocationLimit) +
                          "; raise the limit with --max-memory");
    if (offset < 0 || offset > memorySize)
        throw SourceError("offset " + std::to_string(offset) + " lies outside the memory block of " +
                          std::to_string(memorySize) + " bytes");
}

// The layout in its block: an indirect one holds few enough elements to visit; a direct one stays
// inside the block (an indirect one is checked by build(), once its pointers are written).
void checkLayout(const StridedLayout& layout, bool indirect)
{
    const ElementIndex elements = *layout.elementCount();
    if (indirect && elements > indirectElementLimit)
        throw SourceError("an indirect buffer may hold at most " + std::to_string(indirectElementLimit) +
                          " elements; this one holds " + std::to_string(elements));
    if (!indirect) {
        if (auto why = layout.outsideMemoryReason())
            throw SourceError(outsideMessage(*why));
    }
}

} // namespace

std::vector<ByteOffset> StridedBufferStorage::defaultStrides(const std::vector<Extent>& shape,
                                                             ByteCount itemSize, bool indirect)
{
    if (!indirect || shape.empty())
        return StridedLayout::cStrides(shape, itemSize);
    std::vector<ByteOffset> strides =
        StridedLayout::cStrides(std::vector<Extent>(shape.begin() + 1, shape.end()), itemSize);
    strides.insert(strides.begin(), pointerSize);
    return strides;
}

void StridedBufferStorage::visitPointerSlots(const ResolvedStridedSpec& r,
                                             const std::function<void(ByteOffset slot, ByteOffset row)>& f)
{
    if (!r.indirect || r.shape.empty())
        return;
    const Extent rows = r.shape[0];
    const ByteOffset stride = r.strides[0];
    for (Extent i = stride == 0 ? std::max<Extent>(rows - 1, 0) : 0; i < rows; ++i) {
        const __int128 slot = __int128(r.offset) + __int128(i) * stride;
        if (slot < 0 || slot > r.memorySize - pointerSize) {
            // Core reports it. Slots move one way: once past the block, every later one is too
            // (shape[0] may be huge when another axis is empty).
            if ((stride > 0 && slot > 0) || (stride < 0 && slot < 0))
                break;
            continue;
        }
        // resolve() checked rowsStart + rows * rowSpan against 64 bits.
        f(ByteOffset(slot),
          ByteOffset(std::uint64_t(r.rowsStart) + std::uint64_t(i) * std::uint64_t(r.rowSpan) +
                     std::uint64_t(r.rowLead)));
    }
}

std::string StridedBufferStorage::ndimMessage(std::size_t ndim)
{
    return "ndim " + std::to_string(ndim) + " exceeds " + std::to_string(maxNdim) + " (PyBUF_MAX_NDIM)";
}

std::string StridedBufferStorage::strideCountMessage(std::size_t given, std::size_t ndim)
{
    return std::to_string(given) + " stride" + (given == 1 ? "" : "s") + " given for ndim " +
           std::to_string(ndim) + ": give exactly one stride (in bytes) per axis";
}

ResolvedStridedSpec StridedBufferStorage::resolve(const StridedSourceSpec& spec, const SourceLimits& limits)
{
    ResolvedStridedSpec r;
    r.format = exportableFormat(spec.format);
    r.itemSize = r.format.itemSize();
    checkShape(spec.shape, spec.indirect, r.itemSize);
    r.shape = spec.shape;
    r.strides = stridesOf(spec, r.itemSize);
    r.indirect = spec.indirect;
    // Where buf sits, how big the block is and (indirect) where the rows go: see the header.
    const ByteCount neededMemory = r.indirect ? placeIndirect(spec.offset, r) : placeDirect(spec.offset, r);
    r.memorySize = spec.memory.value_or(neededMemory);
    checkBlock(r.memorySize, r.offset, limits);
    r.layout = StridedLayout(r.itemSize, r.shape, r.strides, r.offset, r.memorySize);
    checkLayout(r.layout, r.indirect);
    r.length = *r.layout.byteLength();
    if (spec.fill == StridedSourceSpec::Fill::Index)
        checkIndexFillWork(r);
    return r;
}

StridedSourceSpec StridedBufferStorage::fromMemoryBlock(const StridedSourceSpec& spec,
                                                        const SourceLimits& limits)
{
    // PyMemoryView_FromMemory views the whole block as 1-d unsigned bytes, so that is what the fill
    // fills: with 'index', byte k holds k (mod 256), the values the view then shows. The spec's
    // other fields only size the block (a spec with no shape is 0-d: its index fill wrote one item).
    StridedSourceSpec block;
    block.format = "B";
    block.memory = resolve(spec, limits).memorySize;
    block.shape = {Extent(*block.memory)};
    block.readonly = spec.readonly;
    block.fill = spec.fill;
    return block;
}

std::unique_ptr<StridedBufferStorage> StridedBufferStorage::build(const StridedSourceSpec& given,
                                                                  const SourceLimits& limits,
                                                                  const std::vector<std::uint8_t>* contents)
{
    StridedSourceSpec spec = given;
    if (contents) // the captured bytes are the fill: no index fill is checked or written
        spec.fill = StridedSourceSpec::Fill::Zero;
    ResolvedStridedSpec r = resolve(spec, limits);
    if (contents && ByteCount(contents->size()) != r.memorySize)
        throw SourceError("the snapshot holds " + std::to_string(contents->size()) +
                          " bytes, but its memory is " + std::to_string(r.memorySize) + " bytes");
    std::unique_ptr<StridedBufferStorage> storage(new StridedBufferStorage);
    StridedBufferStorage& s = *storage;
    const ByteCount memorySize = r.memorySize;
    const ByteOffset offset = r.offset;
    const std::vector<Extent>& shape = r.shape;
    const std::vector<ByteOffset>& strides = r.strides;
    StridedLayout& layout = r.layout;

    // calloc: zeroed, 16-byte aligned, and a large zero block costs nothing until it is touched.
    s.memory.reset(
        static_cast<unsigned char*>(std::calloc(std::size_t(std::max<ByteCount>(memorySize, 1)), 1)));
    if (!s.memory)
        throw SourceError("could not allocate the memory block of " + sizeText(memorySize));
    adviseHugePages(s.memory.get(), memorySize);
    s.memorySize = memorySize;
    unsigned char* memory = s.memory.get();

    if (contents && !contents->empty())
        std::memcpy(memory, contents->data(), contents->size());
    if (spec.fill == StridedSourceSpec::Fill::Bytes) {
        for (ByteCount i = 0; i < memorySize; ++i)
            memory[i] = static_cast<unsigned char>(i & 0xFF);
    }
    if (r.indirect) {
        visitPointerSlots(r, [memory](ByteOffset slot, ByteOffset row) {
            // Integer arithmetic: a row of a too-small block may lie past its end (refused below).
            const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(memory) + std::uintptr_t(row);
            std::memcpy(memory + slot, &address, sizeof address);
        });
        s.suboffsets.assign(shape.size(), -1);
        s.suboffsets[0] = 0;
        layout.setSuboffsets(std::vector<ByteOffset>(s.suboffsets.begin(), s.suboffsets.end()),
                             pointerReaderFor(memory, memorySize));
        if (auto why = layout.outsideMemoryReason())
            throw SourceError(outsideMessage(*why));
    }

    s.format = spec.format;
    s.fill = contents ? "snapshot" : StridedSourceSpec::fillName(spec.fill);
    s.itemSize = r.itemSize;
    s.shape.assign(shape.begin(), shape.end());
    s.strides.assign(strides.begin(), strides.end());
    s.offset = offset;
    s.length = r.length;
    s.readonly = spec.readonly;
    s.indirect = r.indirect;
    s.cOrder = ContiguityVerdict::check(layout, s.length, 'C');
    s.fortranOrder = ContiguityVerdict::check(layout, s.length, 'F');
    s.anyOrder = ContiguityVerdict::check(layout, s.length, 'A');
    s.layout = std::move(layout);

    if (spec.fill == StridedSourceSpec::Fill::Index)
        IndexFill::write(s, r.format, pointerReaderFor(memory, memorySize));
    return storage;
}

} // namespace stridescope
