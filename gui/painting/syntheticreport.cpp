#include "syntheticreport.h"

#include "core/copymap.h"
#include "core/itemformat.h"

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
    const auto format = ItemFormat::parse(spec.format);
    const ByteCount item = format ? format->itemSize() : 1;
    const int ndim = int(spec.shape.size());
    std::vector<ByteOffset> strides =
        spec.strides.empty() ? StridedLayout::cStrides(spec.shape, item) : spec.strides;
    const ByteCount ptr = ByteCount(sizeof(Address));

    // Where the elements (or, for PIL style, the rows) reach, relative to their start.
    auto reach = [&](int fromAxis) {
        ByteOffset low = 0, high = item;
        for (int d = fromAxis; d < ndim; ++d) {
            const ByteOffset span = (std::max<Extent>(spec.shape[d], 1) - 1) * strides[d];
            (span < 0 ? low : high) += span;
        }
        return std::make_pair(low, high);
    };
    ByteOffset offset = 0, rowsStart = 0, rowSpan = 0, rowLead = 0;
    ByteCount memory = 0;
    if (spec.indirect && ndim >= 1) {
        // Table of pointers first (slot i at offset + i*stride0), then the rows, one after another.
        strides[0] = strides[0] == 0 ? 0 : ptr;
        offset = spec.offset >= 0 ? spec.offset : 0;
        const auto [low, high] = reach(1);
        rowSpan = high - low;
        rowLead = -low;
        rowsStart = offset + std::max<ByteOffset>(spec.shape[0], 1) * ptr;
        memory = std::max(spec.memory, rowsStart + spec.shape[0] * rowSpan);
    } else {
        const auto [low, high] = reach(0);
        offset = spec.offset >= 0 ? spec.offset : -low;
        memory = std::max(spec.memory, offset + high);
    }

    StridedLayout layout(item, spec.shape, strides, offset, memory);
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(std::size_t(memory), 0);
    if (spec.indirect && ndim >= 1) {
        for (Extent i = 0; i < spec.shape[0]; ++i) {
            const Address row = fakeBase + Address(rowsStart + i * rowSpan + rowLead);
            std::memcpy(bytes->data() + offset + i * strides[0], &row, sizeof row);
        }
        std::vector<ByteOffset> sub(ndim, -1);
        sub[0] = 0;
        const auto snapshot = bytes;
        layout.setSuboffsets(sub, [snapshot](ByteOffset slot) -> std::optional<ByteOffset> {
            if (slot < 0 || slot + ByteOffset(sizeof(Address)) > ByteOffset(snapshot->size()))
                return std::nullopt;
            Address target = 0;
            std::memcpy(&target, snapshot->data() + slot, sizeof target);
            return ByteOffset(target - fakeBase);
        });
    }
    const ElementIndex count = layout.elementCount().value_or(0);
    if (spec.byteFill) {
        for (std::size_t i = 0; i < bytes->size(); ++i)
            (*bytes)[i] = std::uint8_t(i);
    } else if (format) {
        // Element k holds k; overlapping elements: the last write wins, as in the real fill.
        if (!layout.isIndirect() && count > 0) {
            const CopyMap walk(layout,
                               StridedLayout(item, spec.shape, StridedLayout::cStrides(spec.shape, item)));
            walk.visit(0, count, [&](const CopyMap::Entry& e) {
                store(bytes->data() + *e.source, *format, e.element);
                return true;
            });
        } else {
            for (ElementIndex e = 0; e < count; ++e)
                if (auto off = layout.elementOffsetAt(e))
                    store(bytes->data() + *off, *format, e);
        }
    }

    ExportedBuffer exported;
    exported.buf = fakeBase + Address(offset);
    exported.len = count * item;
    exported.itemSize = item;
    exported.readonly = spec.readonly;
    exported.ndim = ndim;
    exported.format = spec.format;
    exported.shape = spec.shape;
    exported.strides = strides;
    if (layout.isIndirect())
        exported.suboffsets = *layout.suboffsets();

    r->request = spec.request;
    r->sourceType = "_stridescope.StridedBuffer";
    r->sourceSupportsBuffer = true;
    r->sourceBuffer = exported;
    r->memory = MemoryBlock{fakeBase, memory, "StridedBuffer memory"};
    r->sourceLayout = layout;
    r->formatItemSize = item;
    r->valuesDecodable = format.has_value();
    r->cVerdict = ContiguityVerdict::check(layout, exported.len, 'C');
    r->fVerdict = ContiguityVerdict::check(layout, exported.len, 'F');
    r->orderVerdict = ContiguityVerdict::check(layout, exported.len, spec.request.order);
    r->selfOverlap = layout.findSelfOverlap();
    r->outsideMemory = layout.outsideMemoryReason();
    r->sourceBytes.start = 0;
    r->sourceBytes.bytes = *bytes;
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
        res.baseKind = "source";
        res.baseType = r->sourceType;
        res.buffer = exported;
        res.layout = layout;
        res.cContiguous = r->cVerdict.contiguous;
        res.fContiguous = r->fVerdict.contiguous;
        res.sharesMemory = true;
    } else {
        const StridedLayout& dest = *r->prediction.resultLayout;
        res.isMemoryview = true;
        res.baseKind = "new_bytes";
        res.baseType = "bytes";
        ExportedBuffer b = exported;
        b.buf = fakeCopyBase;
        b.readonly = true;
        b.strides = dest.strides();
        b.suboffsets.reset();
        res.buffer = b;
        res.layout = dest;
        res.cContiguous = spec.request.order != 'F' || ndim <= 1;
        res.fContiguous = spec.request.order == 'F' || ndim <= 1;
        r->resultBytes.start = 0;
        r->resultBytes.blockSize = exported.len;
        r->resultBytes.bytes.assign(std::size_t(exported.len), 0);
        const CopyMap map(layout, dest);
        map.visit(0, count, [&](const CopyMap::Entry& e) {
            if (e.source)
                std::memcpy(r->resultBytes.bytes.data() + e.destination, bytes->data() + *e.source,
                            std::size_t(item));
            return true;
        });
        res.bytesVerified = exported.len;
    }
    r->agrees = true;
    r->pythonVersion = "none (synthetic report)";
    return r;
}

} // namespace stridescope
