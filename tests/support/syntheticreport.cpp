#include "syntheticreport.h"

#include "core/copymap.h"
#include "core/itemformat.h"
#include "pyhost/stridedbufferstorage.h"

#include <algorithm>
#include <cstring>

namespace stridescope {

namespace {

constexpr Address fakeBase = 0x10000;        // where the synthetic block "lives"
constexpr Address fakeCopyBase = 0x40000000; // and a copy's new bytes object

void store(std::uint8_t* p, const ItemFormat& format, ElementIndex value)
{
    for (const FormatField& f : format.fields()) {
        std::uint8_t* q = p + f.offset;
        auto put = [&](auto v) { std::memcpy(q, &v, sizeof v); };
        switch (f.code) {
        case 'b':
        case 'B':
        case 'c':
        case '?':
            put(std::uint8_t(value));
            break;
        case 'h':
        case 'H':
            put(std::uint16_t(value));
            break;
        case 'i':
        case 'I':
            put(std::uint32_t(value));
            break;
        case 'l':
        case 'L':
        case 'q':
        case 'Q':
        case 'n':
        case 'N':
            if (f.size == 4)
                put(std::uint32_t(value));
            else
                put(std::uint64_t(value));
            break;
        case 'f':
            put(float(value));
            break;
        case 'd':
            put(double(value));
            break;
        default:
            break;
        }
    }
}

} // namespace

std::shared_ptr<InspectionReport> SyntheticReport::make(const Spec& spec)
{
    auto r = std::make_shared<InspectionReport>();
    // The defaults and checks of the real exporter (StridedBufferStorage::resolve): strides, the
    // offset of buf, the block and where an indirect buffer's rows go. The fill below is this
    // class's own, so the storage's bound on the index fill's work does not apply here.
    StridedSourceSpec source;
    source.format = spec.format;
    source.shape = spec.shape;
    if (!spec.strides.empty()) {
        source.strides = spec.strides;
        if (spec.indirect && !spec.strides.empty())
            (*source.strides)[0] =
                spec.strides[0] == 0 ? 0 : ByteOffset(sizeof(Address)); // a table of pointers
    }
    if (spec.offset >= 0)
        source.offset = spec.offset;
    if (spec.memory >= 0)
        source.memory = spec.memory;
    source.readonly = spec.readonly;
    source.indirect = spec.indirect;
    source.fill = StridedSourceSpec::Fill::Zero;
    const ResolvedStridedSpec resolved = StridedBufferStorage::resolve(source, SourceLimits{});
    const ItemFormat* format = &resolved.format;
    const ByteCount item = resolved.itemSize;
    const int ndim = int(resolved.shape.size());
    const std::vector<ByteOffset>& strides = resolved.strides;
    const ByteOffset offset = resolved.offset;
    const ByteCount memory = resolved.memorySize;

    StridedLayout layout = resolved.layout;
    const bool held = spec.bytes || resolved.indirect;
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(std::size_t(held ? memory : 0), 0);
    if (resolved.indirect) {
        // The exporter's own table (slot i -> row i, StridedBufferStorage::visitPointerSlots), with this
        // report's fake addresses. The layout follows the table as a report from the probe does:
        // frozen, slot -> row.
        StridedLayout::PointerTable table;
        StridedBufferStorage::visitPointerSlots(resolved,
                                                [&bytes, &table](ByteOffset slot, ByteOffset rowAt) {
                                                    const Address row = fakeBase + Address(rowAt);
                                                    std::memcpy(bytes->data() + slot, &row, sizeof row);
                                                    table[slot] = rowAt;
                                                });
        std::vector<ByteOffset> sub(ndim, -1);
        sub[0] = 0;
        layout.setFrozenSuboffsets(sub, std::move(table));
    }
    const ElementIndex count = layout.elementCount().value_or(0);
    if (!held) {
        // No bytes: nothing to fill.
    } else if (spec.byteFill) {
        for (std::size_t i = 0; i < bytes->size(); ++i)
            (*bytes)[i] = std::uint8_t(i);
    } else {
        // Element k holds k; overlapping elements: the last write wins, as in the real fill.
        if (!layout.isIndirect() && count > 0) {
            const CopyMap walk(layout,
                               StridedLayout(item, spec.shape, StridedLayout::cStrides(spec.shape, item)));
            walk.visit(0, count, [&](const CopyMap::Entry& e) {
                store(bytes->data() + *e.source, *format, e.element);
                return true;
            });
        } else if (count > 0) {
            // Row by row: each row's elements follow its start by the direct tail's strides.
            const StridedLayout tail = layout.rowTail();
            const ElementIndex perRow = tail.elementCount().value_or(0);
            ElementIndex e = 0;
            layout.visitRows([&](const std::vector<Extent>&, std::optional<ByteOffset> row) {
                for (ElementIndex j = 0; j < perRow; ++j, ++e) {
                    const auto within = tail.elementOffsetAt(j);
                    if (!row || !within)
                        continue;
                    const ByteOffset off = *row + *within;
                    if (off >= 0 && off <= memory - item)
                        store(bytes->data() + off, *format, e);
                }
                return true;
            });
        }
    }

    ExportedBuffer exported;
    exported.buf = fakeBase + Address(offset);
    exported.len = resolved.length;
    exported.itemSize = item;
    exported.readonly = spec.readonly;
    exported.ndim = ndim;
    exported.format = spec.format;
    exported.shape = spec.shape;
    exported.strides = strides;
    if (layout.isIndirect())
        exported.suboffsets = *layout.suboffsets();

    r->scenario.request = spec.request;
    r->sourceType = "_stridescope.StridedBuffer";
    r->sourceSupportsBuffer = true;
    r->sourceBuffer = exported;
    r->memory = MemoryBlock{fakeBase, memory, "StridedBuffer memory"};
    r->sourceLayout = layout;
    r->formatItemSize = item;
    r->valuesDecodable = true;
    r->cVerdict = ContiguityVerdict::check(layout, exported.len, 'C');
    r->fVerdict = ContiguityVerdict::check(layout, exported.len, 'F');
    r->orderVerdict = ContiguityVerdict::check(layout, exported.len, spec.request.order);
    r->selfOverlap = layout.findSelfOverlap();
    r->outsideMemory = layout.outsideMemoryReason();
    r->sourceBytes.start = 0;
    r->sourceBytes.bytes = *bytes;
    r->sourceBytes.truncated = !held;
    r->sourceBytes.blockSize = memory;

    ConversionPrediction::Source facts;
    facts.typeName = r->sourceType;
    facts.exported = exported;
    facts.layout = layout;
    r->prediction = ConversionPrediction::predict(facts, spec.request);

    // The result mirrors the prediction, as CPython would have answered.
    ConversionResult& res = r->result;
    res.outcome = r->prediction.outcome;
    if (res.outcome == ConversionPrediction::Outcome::Error) {
        res.error = PythonError{r->prediction.errorType, r->prediction.errorMessage, {}, -1};
    } else if (res.outcome == ConversionPrediction::Outcome::Alias) {
        res.isMemoryview = true;
        res.baseKind = ConversionPrediction::BaseKind::Source;
        res.baseType = r->sourceType;
        res.buffer = exported;
        res.layout = layout;
        res.sharesMemory = true;
    } else {
        const StridedLayout& dest = *r->prediction.resultLayout;
        res.isMemoryview = true;
        res.baseKind = ConversionPrediction::BaseKind::NewBytes;
        res.baseType = "bytes";
        ExportedBuffer b = exported;
        b.buf = fakeCopyBase;
        b.readonly = true;
        b.strides = dest.strides();
        b.suboffsets.reset();
        res.buffer = b;
        res.layout = dest;
        r->resultBytes.start = 0;
        r->resultBytes.blockSize = exported.len;
        r->resultBytes.truncated = !held;
        if (held) {
            r->resultBytes.bytes.assign(std::size_t(exported.len), 0);
            const CopyMap map(layout, dest);
            map.visit(0, count, [&](const CopyMap::Entry& e) {
                if (e.source)
                    std::memcpy(r->resultBytes.bytes.data() + e.destination, bytes->data() + *e.source,
                                std::size_t(item));
                return true;
            });
        }
        res.bytesVerified = exported.len;
    }
    if (res.buffer) { // the flags and the note as CPython would give them for this buffer
        const MemoryviewFlags flags = MemoryviewFlags::of(*res.buffer);
        res.cContiguous = flags.cContiguous;
        res.fContiguous = flags.fContiguous;
        res.bufferIsContiguous = BufferContiguity::of(*res.buffer);
        res.contiguityNote = MemoryviewFlags::disagreement(*res.buffer, flags, res.bufferIsContiguous);
    }
    r->sourceBufferIsContiguous = BufferContiguity::of(exported);
    r->agrees = true;
    r->pythonVersion = "none (synthetic report)";
    return r;
}

} // namespace stridescope
