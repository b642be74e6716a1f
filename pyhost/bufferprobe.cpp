#include "bufferprobe.h"

#include "core/conformancecheck.h"
#include "core/copymap.h"
#include "core/copyverifier.h"
#include "core/itemformat.h"
#include "guardedmemory.h"
#include "guardedviewreader.h"
#include "memorydiscovery.h"
#include "pythonerrorcapture.h"
#include "requestmatrix.h"
#include "sourceerror.h"
#include "tolistjson.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

namespace stridescope {

namespace {

// A view's fields as the report shows them, read through GuardedViewReader: memoryviews of 0-d
// buffers keep non-NULL arrays of length 0, which are reported as absent.
ExportedBuffer reported(ExportedBuffer e)
{
    if (e.ndim <= 0)
        e.shape = e.strides = e.suboffsets = std::nullopt;
    return e;
}

// Reads a pointer stored where the exporter's suboffsets say, made relative to `base`. The slot
// is only a claim of the exporter: it is read through GuardedMemory, and an unreadable one is nullopt.
StridedLayout::PointerReader pointerReader(Address base)
{
    return [base](ByteOffset slot) -> std::optional<ByteOffset> {
        Address target = 0;
        if (GuardedMemory::read(base + Address(slot), ByteCount(sizeof target), &target) !=
                ByteCount(sizeof target) ||
            target == 0)
            return std::nullopt;
        return ByteOffset(target - base);
    };
}

// Bounds the walk that freezes a pointer table: each row reads at most one slot per row axis, and
// past this many rows the rest are left unresolved (the table grows with the slots read).
constexpr ElementIndex kFreezeRowLimit = ElementIndex(1) << 22;

// The report outlives the exporter (and crosses into another process), so a layout that follows
// pointers must not read live memory after the probe: every slot its elements use is read once now,
// into a plain table the layout then looks up. The slots depend only on an element's row (its index
// prefix up to the last axis with a suboffset), so visiting the rows reads them all.
void freezePointers(StridedLayout& layout, const ExportedBuffer& e, Address memoryBase)
{
    if (!e.suboffsets)
        return;
    StridedLayout::PointerTable table;
    auto live = pointerReader(memoryBase);
    layout.setSuboffsets(*e.suboffsets, [&table, &live](ByteOffset slot) {
        auto [it, inserted] = table.try_emplace(slot);
        if (inserted)
            it->second = live(slot);
        return it->second;
    });
    ElementIndex rows = 0;
    layout.visitRows(
        [&rows](const std::vector<Extent>&, std::optional<ByteOffset>) { return ++rows < kFreezeRowLimit; });
    layout.setFrozenSuboffsets(*e.suboffsets, std::move(table));
}

StridedLayout layoutOf(const ExportedBuffer& e, Address memoryBase, ByteCount memorySize)
{
    StridedLayout layout(e.itemSize, e.effectiveShape(), e.effectiveStrides(), ByteOffset(e.buf - memoryBase),
                         memorySize);
    if (e.suboffsets)
        layout.setSuboffsets(*e.suboffsets, pointerReader(memoryBase));
    return layout;
}

// An indirect layout whose rows live in several blocks: names the first row that lies in none of
// them (core's check knows one block only).
std::optional<std::string> rowOutsideBlocks(const StridedLayout& layout, const std::vector<RowBlock>& blocks)
{
    const auto tail = layout.rowTail().extent();
    std::optional<std::string> reason;
    if (!tail)
        return reason;
    ElementIndex rows = 0;
    layout.visitRows([&](const std::vector<Extent>& prefix, std::optional<ByteOffset> offset) {
        const auto inside = [&](ByteOffset first, ByteCount size) {
            return offset && *offset + tail->first >= first && *offset + tail->end <= first + size;
        };
        bool found = layout.memorySize() >= 0 && inside(0, layout.memorySize());
        for (const RowBlock& b : blocks)
            found = found || inside(b.bytes.start, b.block.size);
        if (!found) {
            std::string index;
            for (Extent i : prefix)
                index += (index.empty() ? "" : ", ") + std::to_string(i);
            reason = offset ? "row [" + index + "] lies outside the memory its pointers lead to"
                            : "the pointer of row [" + index + "] cannot be read";
        }
        return found && ++rows < kFreezeRowLimit;
    });
    return reason;
}

// Where the bytes of an element at `offset` (relative to the source's memory) are, when one of the
// `blocks` (proven readable) holds all of them; nullptr otherwise.
const std::uint8_t* readableRowBytes(const std::vector<MemoryBlock>& blocks, Address memoryBase,
                                     ByteOffset offset, ByteCount size)
{
    const Address at = memoryBase + Address(offset); // wraps for a negative offset, as intended
    for (const MemoryBlock& b : blocks)
        if (at >= b.base && at - b.base <= Address(b.size) &&
            Address(size) <= Address(b.size) - (at - b.base))
            return reinterpret_cast<const std::uint8_t*>(at);
    return nullptr;
}

// Copies what the views draw. The block is the exporter's claim, so it is read through
// GuardedMemory: an unmapped part ends the snapshot instead of the process.
ByteSnapshot snapshot(Address base, ByteCount size, ByteCount limit)
{
    ByteSnapshot s;
    s.blockSize = size;
    ByteCount n = std::min(size, limit);
    s.truncated = n < size;
    if (n > 0 && base != 0) {
        s.bytes.resize(std::size_t(n));
        const ByteCount got = GuardedMemory::read(base, n, s.bytes.data());
        s.bytes.resize(std::size_t(got));
        s.unreadable = got < n;
    }
    return s;
}

// The bytes of the source's block the views may write out: the whole block (up to the limit); or, when
// the block is larger than a picture can write out (ProbeOptions::drawableBytes), only the bytes its
// elements reach, when they are few enough for the logical view to write their values; else none.
ByteSnapshot sourceSnapshot(const InspectionReport& r, const ProbeOptions& options)
{
    const ByteCount size = r.memory->size;
    if (options.drawableBytes < 0 || size <= options.drawableBytes)
        return snapshot(r.memory->base, size, options.snapshotLimit);
    ByteSnapshot none;
    none.blockSize = size;
    none.truncated = true;
    const auto count = r.sourceLayout.elementCount();
    const auto reach = r.sourceLayout.isIndirect() ? std::nullopt : r.sourceLayout.extent();
    if (!count || *count > options.drawableBytes || !reach)
        return none;
    const ByteOffset first = std::clamp<ByteOffset>(reach->first, 0, size);
    const ByteOffset end = std::clamp<ByteOffset>(reach->end, first, size);
    ByteSnapshot s = snapshot(r.memory->base + Address(first), end - first, options.snapshotLimit);
    s.start = first;
    s.blockSize = size;
    s.truncated = true;
    return s;
}

std::string typeName(PyObject* o)
{
    return o ? Py_TYPE(o)->tp_name : "NULL";
}

// PyBuffer_IsContiguous itself, in the three orders.
BufferContiguity isContiguous(const Py_buffer* view)
{
    return {PyBuffer_IsContiguous(view, 'C') != 0, PyBuffer_IsContiguous(view, 'F') != 0,
            PyBuffer_IsContiguous(view, 'A') != 0};
}

// A memoryview's c_contiguous and f_contiguous attributes, read as Python code reads them.
MemoryviewFlags memoryviewFlags(PyObject* memoryview)
{
    const auto attribute = [memoryview](const char* name) {
        PyObject* value = PyObject_GetAttrString(memoryview, name);
        const int truth = value ? PyObject_IsTrue(value) : -1;
        Py_XDECREF(value);
        if (truth < 0)
            PyErr_Clear();
        return truth > 0;
    };
    return {attribute("c_contiguous"), attribute("f_contiguous")};
}

// result.tolist() as JSON (bytes and other values as their repr).
void fillTolist(PyObject* result, ElementIndex count, const ProbeOptions& options, ConversionResult& out)
{
    if (count > options.tolistLimit) {
        out.tolistOmitted = true;
        return;
    }
    PyObject* list = PyObject_CallMethod(result, "tolist", nullptr);
    if (!list) {
        out.tolistError = takePythonError().oneLine();
        return;
    }
    out.tolistJson = TolistJson::encode(list);
    if (!out.tolistJson)
        out.tolistError =
            PyErr_Occurred() ? takePythonError().oneLine() : "tolist() could not be written as JSON";
    Py_DECREF(list);
}

void disagree(InspectionReport& r, std::string what)
{
    r.agrees = false;
    r.disagreements.push_back(std::move(what));
}

template <class T> std::string vecText(const std::optional<std::vector<T>>& v)
{
    if (!v)
        return "NULL";
    std::string s = "(";
    for (std::size_t i = 0; i < v->size(); ++i)
        s += (i ? ", " : "") + std::to_string((*v)[i]);
    return s + ")";
}

// CPython's copy reads every element's bytes, following the row pointers: a byte in memory that is
// not mapped would crash it (SIGSEGV in the worker). Says which bytes, when the layout is known to
// reach such memory; nullopt when every byte the copy reads is mapped (or that cannot be decided).
std::optional<std::string> unmappedCopySource(const InspectionReport& r, bool rowsLeftOut)
{
    if (!r.sourceBuffer || !r.memory)
        return std::nullopt;
    auto hex = [](Address a) {
        char text[32];
        std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(a));
        return std::string(text);
    };
    if (!r.sourceLayout.isIndirect()) {
        // The source layout's extent is relative to the memory block: the same bytes, absolute.
        const auto reach = r.sourceLayout.extent();
        const Address first = r.memory->base + Address(reach ? reach->first : 0);
        if (reach && !GuardedMemory::isReadable(first, reach->end - reach->first))
            return "the elements reach " + std::to_string(reach->end - reach->first) + " bytes from " +
                   hex(first) + ", not all of them mapped memory";
        return std::nullopt;
    }
    std::optional<std::string> why;
    r.sourceLayout.visitRows([&](const std::vector<Extent>& prefix, std::optional<ByteOffset> offset) {
        if (!offset) {
            std::string index;
            for (Extent i : prefix)
                index += (index.empty() ? "" : ", ") + std::to_string(i);
            why = "the pointer of row [" + index + "] cannot be followed";
        }
        return !why;
    });
    if (why || rowsLeftOut)
        return why;
    if (!GuardedMemory::isReadable(r.memory->base, r.memory->size))
        return "the pointer table's block (" + std::to_string(r.memory->size) + " bytes at " +
               hex(r.memory->base) + ") is not all mapped memory";
    for (const RowBlock& b : r.rowBlocks)
        if (!GuardedMemory::isReadable(b.block.base, b.block.size))
            return "a row pointer leads to " + hex(b.block.base) + ", which is not mapped memory";
    return std::nullopt;
}

// The exported Py_buffer while the probe holds it: released on every way out, early or by exception.
using HeldBuffer = std::unique_ptr<Py_buffer, void (*)(Py_buffer*)>;

// The report's opening: what was asked, what the source printed, the interpreter and the object.
InspectionReport describeSource(const BuiltSource& source, const ConversionRequest& request)
{
    InspectionReport r;
    r.scenario.request = request;
    r.output = source.output;
    r.outputTruncated = source.outputTruncated;
    r.pythonVersion = Py_GetVersion();
    PyObject* obj = source.object.ptr();
    r.sourceType = typeName(obj);
    r.sourceIsMemoryview = PyMemoryView_Check(obj);
    r.sourceSupportsBuffer = PyObject_CheckBuffer(obj);
    return r;
}

// What core's prediction knows of the object before its buffer is asked for.
ConversionPrediction::Source sourceFacts(const InspectionReport& r, PyObject* obj)
{
    ConversionPrediction::Source facts;
    facts.typeName = r.sourceType;
    facts.supportsBuffer = r.sourceSupportsBuffer;
    if (r.sourceIsMemoryview) {
        PyObject* viewed = PyMemoryView_GET_BASE(obj);
        facts.viewed = viewed ? ConversionPrediction::Source::Viewed::MemoryviewExporter
                              : ConversionPrediction::Source::Viewed::MemoryviewOfNothing;
        if (viewed)
            facts.viewedType = typeName(viewed);
    }
    return facts;
}

// Asks the object for its buffer (PyBUF_FULL_RO) into `view`. A refusal is part of the report and of
// the prediction, not an error of the probe: then nothing is held.
HeldBuffer exportBuffer(PyObject* obj, Py_buffer& view, InspectionReport& r,
                        ConversionPrediction::Source& facts)
{
    HeldBuffer held(nullptr, PyBuffer_Release);
    if (!r.sourceSupportsBuffer)
        return held;
    if (PyObject_GetBuffer(obj, &view, PyBUF_FULL_RO) < 0) {
        PythonError e = takePythonError();
        r.exportFailure = std::make_pair(e.type, e.message);
        facts.exportFailure = r.exportFailure;
    } else {
        held.reset(&view);
    }
    return held;
}

// The exported fields as the report shows them. Everything below uses the exporter's answer, and so
// does CPython's own call: a field that cannot be read (or an ndim past PyBUF_MAX_NDIM) ends the
// inspection here, with its name.
ExportedBuffer readExport(const Py_buffer& view)
{
    const GuardedViewReader::Copy copy = GuardedViewReader::read(view);
    if (auto why = GuardedViewReader::problem(view, copy, "PyBUF_FULL_RO"))
        throw SourceError(*why);
    return reported(copy.buffer);
}

// The block the buffer points into: the source's own, or discovered. Returns whether an indirect
// buffer's rows spread over more blocks than are kept.
bool locateMemory(const BuiltSource& source, const Py_buffer& view, const ExportedBuffer& e,
                  InspectionReport& r)
{
    if (source.memory) {
        r.memory = source.memory;
        return false;
    }
    if (e.suboffsets) {
        // Indirect: follow the pointers the exporter holds to the table's block and the rows'.
        auto found = MemoryDiscovery::findIndirect(e, pointerReader(0), kFreezeRowLimit);
        r.memory = found.table;
        for (const MemoryBlock& b : found.rowBlocks) {
            RowBlock rows{b, {}};
            rows.bytes.start = ByteOffset(b.base - found.table.base); // its bytes: after the block's
            r.rowBlocks.push_back(std::move(rows));
        }
        return found.rowsLeftOut;
    }
    StridedLayout absolute = layoutOf(e, 0, -1);
    auto ext = absolute.extent();
    std::optional<std::pair<Address, Address>> reach;
    if (ext)
        reach = std::make_pair(Address(ext->first), Address(ext->end));
    r.memory = MemoryDiscovery::find(source.object.ptr(), view, reach);
    return false;
}

// Whether the values can be decoded: the format's own item size against the exporter's itemsize.
void describeFormat(const ExportedBuffer& e, InspectionReport& r)
{
    std::string formatError;
    if (auto fmt = ItemFormat::parse(e.effectiveFormat(), &formatError)) {
        r.formatItemSize = fmt->itemSize();
        // The exporter's itemsize is the authority; trailing padding (a C struct's) is harmless.
        r.valuesDecodable = fmt->itemSize() <= e.itemSize;
        if (fmt->itemSize() > e.itemSize)
            r.formatNote = "format '" + e.effectiveFormat() + "' needs " + std::to_string(fmt->itemSize()) +
                           " bytes but the exporter's itemsize is " + std::to_string(e.itemSize) +
                           ": values cannot be decoded";
        else if (fmt->itemSize() < e.itemSize)
            r.formatNote = "format '" + e.effectiveFormat() + "' describes " +
                           std::to_string(fmt->itemSize()) + " bytes; the other " +
                           std::to_string(e.itemSize - fmt->itemSize()) + " bytes of each item are padding";
    } else {
        r.formatNote = formatError + "; the layout uses the exporter's itemsize " +
                       std::to_string(e.itemSize) + ", but values cannot be decoded";
    }
}

// Core's verdicts on the source's layout: contiguity, self-overlap and what lies outside its memory.
void judgeSourceLayout(const ExportedBuffer& e, char order, bool rowsLeftOut, InspectionReport& r)
{
    r.cVerdict = ContiguityVerdict::check(r.sourceLayout, e.len, 'C');
    r.fVerdict = ContiguityVerdict::check(r.sourceLayout, e.len, 'F');
    r.orderVerdict = ContiguityVerdict::check(r.sourceLayout, e.len, order);
    r.selfOverlap = r.sourceLayout.findSelfOverlap();
    r.outsideMemory = r.rowBlocks.empty() ? r.sourceLayout.outsideMemoryReason()
                                          : rowOutsideBlocks(r.sourceLayout, r.rowBlocks);
    if (rowsLeftOut && r.outsideMemory)
        *r.outsideMemory += " (the rows lie in more than " + std::to_string(MemoryDiscovery::kRowBlockLimit) +
                            " separate blocks; only " + std::to_string(MemoryDiscovery::kRowBlockLimit) +
                            " are kept)";
    if (!r.memory->overreach.empty())
        r.outsideMemory = r.memory->overreach + (r.outsideMemory ? ": " + *r.outsideMemory : std::string());
}

// The source's bytes for the views: its block, then the rows' blocks.
void snapshotSource(const ProbeOptions& options, InspectionReport& r)
{
    r.sourceBytes = sourceSnapshot(r, options);
    // The rows' blocks share the snapshot limit with the block above: the report (and the
    // worker's shared memory) never holds more than one limit's worth of source bytes.
    ByteCount budget = options.snapshotLimit - ByteCount(r.sourceBytes.bytes.size());
    for (RowBlock& b : r.rowBlocks) {
        const ByteOffset start = b.bytes.start;
        b.bytes = snapshot(b.block.base, b.block.size, std::max<ByteCount>(0, budget));
        b.bytes.start = start;
        budget -= ByteCount(b.bytes.bytes.size());
    }
}

// CPython's own contiguity answers on the exported buffer and, for a memoryview, its flags against
// core's model of them.
void readSourceContiguity(PyObject* obj, const Py_buffer& view, const ExportedBuffer& e, InspectionReport& r)
{
    r.sourceBufferIsContiguous = isContiguous(&view);
    if (!r.sourceIsMemoryview)
        return;
    r.sourceMemoryviewFlags = memoryviewFlags(obj);
    r.sourceContiguityNote =
        MemoryviewFlags::disagreement(e, *r.sourceMemoryviewFlags, *r.sourceBufferIsContiguous);
    if (MemoryviewFlags::of(e) != *r.sourceMemoryviewFlags)
        disagree(r, "core's model of the source's memoryview flags (init_flags) differs from "
                    "memoryview.c_contiguous / f_contiguous");
}

// Everything the report says about the exported buffer: its fields, the memory it points into, its
// format, core's verdicts, its bytes and CPython's contiguity answers. Returns whether an indirect
// buffer's rows spread over more blocks than are kept.
bool examineExport(const BuiltSource& source, const Py_buffer& view, const ConversionRequest& request,
                   const ProbeOptions& options, InspectionReport& r, ConversionPrediction::Source& facts)
{
    const ExportedBuffer e = readExport(view);
    r.sourceBuffer = e;
    facts.exported = e;
    const bool rowsLeftOut = locateMemory(source, view, e, r);
    r.sourceLayout = layoutOf(e, r.memory->base, r.memory->size);
    freezePointers(r.sourceLayout, e, r.memory->base);
    facts.layout = r.sourceLayout;
    describeFormat(e, r);
    judgeSourceLayout(e, request.order, rowsLeftOut, r);
    snapshotSource(options, r);
    readSourceContiguity(source.object.ptr(), view, e, r);
    return rowsLeftOut;
}

// Every standard buffer request's answer, checked against the buffer protocol's rules.
void checkRequests(const BuiltSource& source, InspectionReport& r)
{
    r.requestsChecked = true;
    if (r.sourceSupportsBuffer)
        r.requests = RequestMatrix::run(source.object.ptr(), r.memory);
    // The memory is known apart from the views' claims when the source built it, or when it was
    // found as another object's (not just the bytes the buffer reaches, nor an indirect buffer's
    // own table).
    const bool known = source.memory || (r.memory && r.memory->owner != MemoryDiscovery::reachOnlyOwner &&
                                         r.sourceBuffer && !r.sourceBuffer->suboffsets);
    std::optional<ConformanceCheck::ExporterMemory> exporterMemory;
    if (known) {
        r.requestsMemory = r.memory;
        exporterMemory = ConformanceCheck::ExporterMemory{r.memory->base, r.memory->size, r.memory->owner};
    }
    ConformanceCheck::check(r.requests, exporterMemory);
}

// A predicted copy the call must not make: one larger than the memory limit, or one that would read
// unmapped memory (and crash the worker). Throws SourceError saying why.
void refuseHarmfulCopy(const InspectionReport& r, bool rowsLeftOut, const ProbeOptions& options)
{
    if (r.prediction.outcome != ConversionPrediction::Outcome::Copy)
        return;
    if (options.copyLimit >= 0 && r.prediction.resultLength > options.copyLimit)
        throw SourceError("the copy CPython would make needs " + std::to_string(r.prediction.resultLength) +
                          " bytes, more than the memory limit of " + std::to_string(options.copyLimit) +
                          " bytes (--max-memory): the call was not made");
    if (auto why = unmappedCopySource(r, rowsLeftOut))
        throw SourceError(*why + ": CPython's copy would read it and crash, so the call was not made");
}

// What GET_BASE of the result is, relative to the source.
ConversionPrediction::BaseKind baseKindOf(PyObject* base, PyObject* obj, bool sourceIsMemoryview)
{
    PyObject* underlying = sourceIsMemoryview ? PyMemoryView_GET_BASE(obj) : nullptr;
    if (!base)
        return ConversionPrediction::BaseKind::Null;
    if (base == obj)
        return ConversionPrediction::BaseKind::Source;
    if (underlying && base == underlying)
        return ConversionPrediction::BaseKind::Underlying;
    if (PyBytes_CheckExact(base))
        return ConversionPrediction::BaseKind::NewBytes;
    return ConversionPrediction::BaseKind::Other;
}

// Where the result's elements live: a copy in its own bytes (snapshotted), an alias in the source's
// memory; and whether they lie within the source's memory.
void placeResult(bool copied, const ProbeOptions& options, InspectionReport& r)
{
    ConversionResult& res = r.result;
    if (copied) {
        res.layout = layoutOf(*res.buffer, res.buffer->buf, res.buffer->len);
        // A copy larger than a picture can write out is drawn zoomed out: no byte of it is read.
        const bool drawn = options.drawableBytes < 0 || res.buffer->len <= options.drawableBytes;
        r.resultBytes = snapshot(res.buffer->buf, res.buffer->len, drawn ? options.snapshotLimit : 0);
    } else if (r.memory) {
        res.layout = layoutOf(*res.buffer, r.memory->base, r.memory->size);
        freezePointers(*res.layout, *res.buffer, r.memory->base);
    }
    if (r.memory && res.layout) {
        StridedLayout inSource = layoutOf(*res.buffer, r.memory->base, r.memory->size);
        auto ext = inSource.extent();
        res.sharesMemory = ext && ext->first >= 0 && ext->end <= r.memory->size;
    }
}

// The copy's elements that CopyVerifier left out because they lie outside the table's block. Rows in
// blocks of their own (an indirect buffer) lie outside the table's block: their elements are read in
// place once their block is proven mapped. Counts the verified bytes into the result, lowers
// `mismatch` to the first element that differs, and returns how many elements stay unchecked.
ElementIndex verifyRowElements(const CopyMap& map, const std::uint8_t* dst, InspectionReport& r,
                               ElementIndex& mismatch)
{
    ConversionResult& res = r.result;
    std::vector<MemoryBlock> readableRows;
    for (const RowBlock& b : r.rowBlocks)
        if (GuardedMemory::isReadable(b.block.base, b.block.size))
            readableRows.push_back(b.block);
    const ByteCount item = r.sourceLayout.itemSize();
    ElementIndex outside = 0;
    map.visit(0, map.size(), [&](const CopyMap::Entry& entry) {
        if (!entry.source || r.sourceLayout.elementInside(*entry.source))
            return true;
        const std::uint8_t* held = readableRowBytes(readableRows, r.memory->base, *entry.source, item);
        if (!held) {
            ++outside;
        } else if (entry.destination < 0 || entry.destination + item > res.buffer->len ||
                   std::memcmp(held, dst + entry.destination, std::size_t(item)) != 0) {
            if (mismatch < 0 || entry.element < mismatch)
                mismatch = entry.element;
        } else {
            res.bytesVerified += item;
        }
        return true;
    });
    return outside;
}

// Byte-for-byte check of every element of a copy against the source, through the core copy map. The
// source block is read in place only once it is proven mapped; elements the layout puts outside it
// are never read.
void verifyCopy(InspectionReport& r)
{
    ConversionResult& res = r.result;
    if (!GuardedMemory::isReadable(r.memory->base, r.memory->size)) {
        res.verifyNote = "the source's memory is not all mapped: the copy was not checked";
        return;
    }
    const CopyMap map(r.sourceLayout, *res.layout);
    const auto* dst = reinterpret_cast<const std::uint8_t*>(res.buffer->buf);
    const auto check = CopyVerifier::verify(map, reinterpret_cast<const std::uint8_t*>(r.memory->base), dst,
                                            res.buffer->len);
    res.bytesVerified = check.bytesVerified;
    ElementIndex outside = check.outside;
    ElementIndex mismatch = check.firstMismatch;
    if (outside > 0 && !r.rowBlocks.empty())
        outside = verifyRowElements(map, dst, r, mismatch);
    if (outside > 0)
        res.verifyNote = std::to_string(outside) + " elements outside the source's memory were not checked";
    if (mismatch >= 0)
        disagree(r, "element " + std::to_string(mismatch) +
                        " of the copy does not hold the source's bytes at the place the copy map predicts");
}

// Reads what the call returned: its buffer, base, flags and contiguity, where its elements live, its
// tolist(), and (a copy) whether it holds the source's bytes.
void readResult(PyObject* result, PyObject* obj, bool haveView, const ProbeOptions& options,
                InspectionReport& r)
{
    ConversionResult& res = r.result;
    res.isMemoryview = PyMemoryView_Check(result);
    if (!res.isMemoryview) {
        res.outcome = ConversionPrediction::Outcome::Alias;
        res.baseKind = ConversionPrediction::BaseKind::Other;
        return;
    }
    Py_buffer* rv = PyMemoryView_GET_BUFFER(result);
    PyObject* base = PyMemoryView_GET_BASE(result);
    res.buffer = reported(GuardedViewReader::read(*rv).buffer);
    res.baseType = base ? typeName(base) : "";
    res.baseKind = baseKindOf(base, obj, r.sourceIsMemoryview);
    const MemoryviewFlags flags = memoryviewFlags(result);
    res.cContiguous = flags.cContiguous;
    res.fContiguous = flags.fContiguous;
    res.bufferIsContiguous = isContiguous(rv);
    res.contiguityNote = MemoryviewFlags::disagreement(*res.buffer, flags, res.bufferIsContiguous);
    const bool copied = res.baseKind == ConversionPrediction::BaseKind::NewBytes;
    res.outcome = copied ? ConversionPrediction::Outcome::Copy : ConversionPrediction::Outcome::Alias;
    placeResult(copied, options, r);
    fillTolist(result, StridedLayout(1, res.buffer->effectiveShape(), {}).elementCount().value_or(0), options,
               res);
    if (copied && haveView && res.layout && r.memory)
        verifyCopy(r);
}

// The real call, timed, and what it gave.
void callGetContiguous(PyObject* obj, const ConversionRequest& request, bool haveView,
                       const ProbeOptions& options, InspectionReport& r)
{
    const int bufferType =
        request.bufferType == ConversionRequest::BufferType::Write ? PyBUF_WRITE : PyBUF_READ;
    auto t0 = std::chrono::steady_clock::now();
    PyObject* result = PyMemoryView_GetContiguous(obj, bufferType, request.order);
    auto t1 = std::chrono::steady_clock::now();
    r.result.seconds = std::chrono::duration<double>(t1 - t0).count();
    if (!result) {
        r.result.outcome = ConversionPrediction::Outcome::Error;
        r.result.error = takePythonError();
        return;
    }
    readResult(result, obj, haveView, options, r);
    Py_DECREF(result);
}

// The outcome (copy, alias or error) and the error against the prediction.
void compareOutcome(InspectionReport& r)
{
    const auto& p = r.prediction;
    ConversionResult& res = r.result;
    // A copy CPython could not allocate is the machine's limit, not a wrong prediction.
    const bool copyNotAllocated =
        p.outcome == ConversionPrediction::Outcome::Copy && res.error && res.error->type == "MemoryError";
    if (copyNotAllocated)
        res.verifyNote =
            "CPython could not allocate the " + std::to_string(p.resultLength) + "-byte copy (MemoryError)";
    else if (p.outcome != res.outcome)
        disagree(r, "predicted " + ConversionPrediction::outcomeName(p.outcome) + " but the call gave " +
                        ConversionPrediction::outcomeName(res.outcome));
    if (res.error && p.outcome == ConversionPrediction::Outcome::Error &&
        (res.error->type != p.errorType || res.error->message != p.errorMessage))
        disagree(r, "predicted " + p.errorType + ": " + p.errorMessage + " but the call raised " +
                        res.error->oneLine());
}

// The result's buffer against the prediction, when the outcome is the predicted one.
void compareResultBuffer(InspectionReport& r)
{
    const auto& p = r.prediction;
    const ConversionResult& res = r.result;
    const ExportedBuffer& got = *res.buffer;
    if (got.len != p.resultLength)
        disagree(r,
                 "result len " + std::to_string(got.len) + ", predicted " + std::to_string(p.resultLength));
    if (got.effectiveFormat() != r.sourceBuffer->effectiveFormat())
        disagree(r, "result format '" + got.effectiveFormat() + "' differs from the source's");
    if (got.effectiveShape() != r.sourceLayout.shape())
        disagree(r, "result shape " + vecText(got.shape) + " differs from the source's");
    if (p.outcome == ConversionPrediction::Outcome::Copy && p.resultLayout) {
        if (got.effectiveStrides() != p.resultLayout->strides())
            disagree(r, "result strides " + vecText(got.strides) + " differ from the predicted " +
                            vecText(std::optional(p.resultLayout->strides())));
        if (!got.readonly)
            disagree(r, "the copy is writable, predicted read-only");
        if (got.suboffsets)
            disagree(r, "the copy has suboffsets");
    }
    if (p.outcome == ConversionPrediction::Outcome::Alias) {
        if (got.buf != r.sourceBuffer->buf)
            disagree(r, "the alias does not start at the source's buf");
        if (got.effectiveStrides() != r.sourceLayout.strides())
            disagree(r, "the alias has other strides than the source");
        if (res.baseKind != p.aliasBaseKind)
            disagree(r, "GET_BASE is " + ConversionPrediction::baseKindName(res.baseKind) + ", expected " +
                            ConversionPrediction::baseKindName(p.aliasBaseKind));
    }
    // The result's contiguity against core: PyBuffer_IsContiguous against core's verdict on the
    // result's layout, and the memoryview's own flags against core's model of init_flags.
    if (res.layout) {
        auto c = ContiguityVerdict::check(*res.layout, got.len, 'C');
        auto f = ContiguityVerdict::check(*res.layout, got.len, 'F');
        if (c.contiguous != res.bufferIsContiguous.c || f.contiguous != res.bufferIsContiguous.f)
            disagree(r, "core's contiguity of the result differs from PyBuffer_IsContiguous");
    }
    if (MemoryviewFlags::of(got) != MemoryviewFlags{res.cContiguous, res.fContiguous})
        disagree(r, "core's model of the result's memoryview flags (init_flags) differs from "
                    "memoryview.c_contiguous / f_contiguous");
}

// The source's own contiguity against CPython's. Rechecked through a memoryview, as
// PyMemoryView_GetContiguous sees the buffer.
void compareSourceContiguity(PyObject* obj, InspectionReport& r)
{
    PyObject* mv = PyMemoryView_FromObject(obj);
    if (!mv) {
        PyErr_Clear();
        return;
    }
    Py_buffer* v = PyMemoryView_GET_BUFFER(mv);
    for (char order : {'C', 'F', 'A'}) {
        bool real = PyBuffer_IsContiguous(v, order);
        bool core = ContiguityVerdict::check(r.sourceLayout, r.sourceBuffer->len, order).contiguous;
        if (real != core)
            disagree(r, std::string("core says the source is ") + (core ? "" : "not ") + order +
                            "-contiguous, PyBuffer_IsContiguous says the opposite");
    }
    Py_DECREF(mv);
}

} // namespace

InspectionReport BufferProbe::inspect(const BuiltSource& source, const ConversionRequest& request,
                                      const ProbeOptions& options)
{
    PyObject* obj = source.object.ptr();
    InspectionReport r = describeSource(source, request);
    ConversionPrediction::Source facts = sourceFacts(r, obj);
    Py_buffer view{};
    HeldBuffer held = exportBuffer(obj, view, r, facts);
    const bool haveView = held != nullptr;
    bool rowsLeftOut = false; // an indirect buffer's rows spread over more blocks than are kept
    if (haveView)
        rowsLeftOut = examineExport(source, view, request, options, r, facts);
    if (options.requestMatrix)
        checkRequests(source, r);

    r.prediction = ConversionPrediction::predict(facts, request);
    if (!options.conversionCall) {
        r.callMade = false;
        return r;
    }
    refuseHarmfulCopy(r, rowsLeftOut, options);
    callGetContiguous(obj, request, haveView, options, r);
    held.reset();

    // Compare the prediction with what CPython did.
    compareOutcome(r);
    if (r.result.buffer && r.sourceBuffer && r.prediction.outcome == r.result.outcome)
        compareResultBuffer(r);
    if (haveView && r.sourceBuffer)
        compareSourceContiguity(obj, r);
    return r;
}

} // namespace stridescope
