#include "stridedbufferstorage.h"

#include "core/itemformat.h"
#include "core/overlapsolver.h"
#include "core/quotedtext.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
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
// Branches the overlap search may visit to let a fill sweep memory in order (it gives up, and the
// fill keeps C order, on layouts too tangled to decide within this).
constexpr std::int64_t kFillOrderWorkLimit = 100000;

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

// ---- fill ---------------------------------------------------------------------------------------

void storeUnsigned(unsigned char* p, ByteCount size, char order, std::uint64_t value)
{
    for (ByteCount i = 0; i < size; ++i) {
        unsigned char byte = i < 8 ? static_cast<unsigned char>(value >> (8 * i)) : 0;
        p[order == '>' ? size - 1 - i : i] = byte;
    }
}

std::uint16_t doubleToHalf(double v)
{
    // IEEE 754 binary16, round to nearest even; the index fill only needs integers, which are exact
    // up to 2048 and round beyond that (inf past 65504).
    std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
    v = std::fabs(v);
    if (std::isnan(v))
        return sign | 0x7e00;
    if (v >= 65520.0)
        return sign | 0x7c00;
    if (v < std::ldexp(1.0, -24) / 2)
        return sign;
    int exponent = 0;
    double mantissa = std::frexp(v, &exponent); // v = mantissa * 2^exponent, mantissa in [0.5, 1)
    int e = exponent - 1 + 15;
    if (e <= 0) { // subnormal
        auto m = static_cast<std::uint16_t>(std::nearbyint(std::ldexp(v, 24)));
        return sign | m;
    }
    auto m = static_cast<std::uint32_t>(std::nearbyint(std::ldexp(mantissa * 2.0 - 1.0, 10)));
    if (m == 1024) {
        m = 0;
        ++e;
    }
    if (e >= 31)
        return sign | 0x7c00;
    return static_cast<std::uint16_t>(sign | (e << 10) | m);
}

void storeFloat(unsigned char* p, ByteCount size, char order, double value)
{
    if (size == 2) {
        storeUnsigned(p, 2, order, doubleToHalf(value));
    } else if (size == 4) {
        storeUnsigned(p, 4, order, std::bit_cast<std::uint32_t>(float(value)));
    } else if (size == 8) {
        storeUnsigned(p, 8, order, std::bit_cast<std::uint64_t>(value));
    } else if (size == ByteCount(sizeof(long double)) &&
               order == (std::endian::native == std::endian::little ? '<' : '>')) {
        // Native long double ('g'): copy only the value bytes, the x87 padding stays zero.
        long double ld = value;
        std::memcpy(p, &ld, LDBL_MANT_DIG == 64 ? 10 : sizeof ld);
    }
    // Other sizes (a standard-size '<g'): no portable encoding here; the bytes stay zero.
}

void writeField(unsigned char* item, const FormatField& field, std::int64_t k)
{
    unsigned char* p = item + field.offset;
    const ByteCount size = field.size;
    const auto letter = [](std::int64_t n) { return static_cast<unsigned char>('a' + n % 26); };
    if (field.complex) {
        storeFloat(p, size / 2, field.byteOrder, double(k));
        storeFloat(p + size / 2, size / 2, field.byteOrder, 0.0);
        return;
    }
    switch (field.code) {
    case 'c':
    case 's':
        for (ByteCount j = 0; j < size; ++j)
            p[j] = letter(k + j);
        return;
    case 'p': // Pascal string: a length byte, then the characters
        if (size > 0)
            p[0] = static_cast<unsigned char>(std::min<ByteCount>(size - 1, 255));
        for (ByteCount j = 1; j < size; ++j)
            p[j] = letter(k + j - 1);
        return;
    case 'u':
    case 'w':
        storeUnsigned(p, size, field.byteOrder, letter(k));
        return;
    case '?':
        storeUnsigned(p, size, field.byteOrder, std::uint64_t(k % 2));
        return;
    case 'e':
    case 'f':
    case 'd':
    case 'g':
        storeFloat(p, size, field.byteOrder, double(k));
        return;
    case 'x':
        return;
    default: // integers and 'P': k modulo 2^bits
        storeUnsigned(p, size, field.byteOrder, std::uint64_t(k));
        return;
    }
}

// The work the index fill does is what it writes: every element visited is cleared (itemsize
// bytes), then each of its fields is written. Elements that do not overlap write the block about
// twice at most; a layout that overlaps heavily, or big items a stride of 1 apart, would write
// without end, and is refused. Axes of stride 0 only visit their last index (see fillIndex).
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

// Writes value k into the element at C-order position k. Axes of stride 0 only visit their last
// index: every other index writes the same bytes and would be overwritten by it anyway. The work
// was bounded by resolve() (checkIndexFillWork).
void fillIndex(StridedBufferStorage& s, const ItemFormat& format)
{
    const auto& shape = s.shape;
    const std::size_t ndim = shape.size();
    if (s.length == 0)
        return;
    std::vector<ByteOffset> first(ndim), index(ndim);
    std::vector<std::int64_t> elementStride(ndim); // C-order element strides, to turn an index into k
    std::int64_t stride = 1;
    for (std::size_t d = ndim; d-- > 0;) {
        elementStride[d] = stride;
        stride *= shape[d];
        first[d] = s.strides[d] == 0 ? shape[d] - 1 : 0;
    }
    // Stepped like an odometer: k and the tail's offset move with each step, and the row (axis 0 of
    // an indirect buffer, through its pointer) is looked up again only when axis 0 moves.
    index = first;
    const auto reader = pointerReaderFor(s.memory.get(), s.memorySize);
    unsigned char* memory = s.memory.get();
    std::int64_t k = 0;
    ByteOffset tail = 0; // the axes after 0
    for (std::size_t d = 0; d < ndim; ++d) {
        k += index[d] * elementStride[d];
        if (d > 0)
            tail += index[d] * s.strides[d];
    }
    const auto rowStart = [&]() -> ByteOffset {
        const ByteOffset at = s.offset + (ndim ? index[0] * s.strides[0] : 0);
        if (!s.indirect)
            return at;
        const auto row = reader(at);
        return row ? *row : -1;
    };
    ByteOffset row = rowStart();
    // Items whose fields cover every byte need no zeroing first; one unsigned byte is stored
    // directly (the common case, and a fill of 2^28 of them is a fifth of a second, not seconds).
    const bool fieldsCoverItem = format.padding(s.itemSize).empty();
    const bool oneByte = s.itemSize == 1 && format.fields().size() == 1 && !format.fields()[0].complex &&
                         (format.fields()[0].code == 'B' || format.fields()[0].code == 'b');
    std::vector<std::size_t> moving; // the axes whose index ever changes, outermost first
    for (std::size_t d = 0; d < ndim; ++d)
        if (shape[d] - first[d] > 1)
            moving.push_back(d);
    // Elements that never share a byte may be written in any order: then the smallest stride goes
    // innermost, so the writes sweep memory instead of jumping a row per element (a transpose's
    // fill is bound by memory latency otherwise). Where elements share bytes, C order decides
    // which value the shared bytes keep, so it stays.
    if (!s.indirect && OverlapSolver(s.itemSize, shape, s.strides).solve(kFillOrderWorkLimit) ==
                           OverlapSolver::Answer::Disjoint)
        std::stable_sort(moving.begin(), moving.end(), [&s](std::size_t a, std::size_t b) {
            return std::abs(s.strides[a]) > std::abs(s.strides[b]);
        });
    while (true) {
        const ByteOffset at = row < 0 ? -1 : row + tail;
        // Core has already refused layouts that leave the block; this guard keeps a mistake there
        // from becoming a write outside our allocation.
        if (at < 0 || at > s.memorySize - s.itemSize)
            throw SourceError("internal error: element " + std::to_string(k) +
                              " would be written outside the memory");
        if (oneByte) {
            memory[at] = static_cast<unsigned char>(k); // k modulo 256, as writeField stores it
        } else {
            if (!fieldsCoverItem) // pad bytes: 0, also over an earlier element
                std::memset(memory + at, 0, std::size_t(s.itemSize));
            for (const FormatField& field : format.fields())
                writeField(memory + at, field, k);
        }
        std::size_t m = moving.size();
        while (true) {
            if (m == 0)
                return;
            const std::size_t d = moving[--m];
            if (++index[d] < shape[d]) {
                k += elementStride[d];
                if (d > 0)
                    tail += s.strides[d];
                else
                    row = rowStart();
                break;
            }
            k -= (index[d] - 1 - first[d]) * elementStride[d];
            if (d > 0)
                tail -= (index[d] - 1 - first[d]) * s.strides[d];
            index[d] = first[d];
            if (d == 0) // axis 0 is inner when the fill sweeps memory: its row starts over
                row = rowStart();
        }
    }
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
        fillIndex(s, r.format);
    return storage;
}

} // namespace stridescope
