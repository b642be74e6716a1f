#include "snapshotcapture.h"

#include "core/quotedtext.h"
#include "guardedmemory.h"
#include "guardedviewreader.h"
#include "pythonerrorcapture.h"
#include "stridedbufferstorage.h"

#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

namespace {

constexpr ByteCount pointerSize = ByteCount(sizeof(void*));

std::string hex(Address address)
{
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(address));
    return text;
}

// The exporter's view, released however the capture ends.
class HeldView
{
public:
    explicit HeldView(PyObject* object)
    {
        if (PyObject_GetBuffer(object, &m_view, PyBUF_FULL_RO) < 0) {
            const PythonError e = takePythonError();
            throw SourceError(std::string(Py_TYPE(object)->tp_name) + " gave no buffer for " +
                              CapturedMemory::captureRequest + ": " + e.type + ": " + e.message);
        }
    }
    ~HeldView() { PyBuffer_Release(&m_view); }
    HeldView(const HeldView&) = delete;
    HeldView& operator=(const HeldView&) = delete;
    const Py_buffer& view() const { return m_view; }

private:
    Py_buffer m_view{};
};

std::string limitText()
{
    return std::to_string(CapturedMemory::maximumSize) + " bytes (8 MiB)";
}

void checkSize(ByteCount size, const std::string& type)
{
    if (size > CapturedMemory::maximumSize)
        throw SourceError("the elements of the " + type + " span " + std::to_string(size) +
                          " bytes; a snapshot holds at most " + limitText() + ", what fits a scenario file");
}

// Copies [address, address + size) into `out`, or says which bytes could not be read.
void copyGuarded(Address address, ByteCount size, std::uint8_t* out, const std::string& what)
{
    if (size <= 0)
        return;
    const ByteCount got = GuardedMemory::read(address, size, out);
    if (got != size)
        throw SourceError(what + " reaches unreadable memory at " + hex(address + Address(got)) + " (" +
                          std::to_string(got) + " of " + std::to_string(size) + " bytes read)");
}

// The exporter's type name, as long as a snapshot keeps it.
std::string exporterName(PyObject* object)
{
    std::string type = Py_TYPE(object)->tp_name;
    if (type.size() > CapturedMemory::maximumNameLength)
        type.resize(CapturedMemory::maximumNameLength);
    return type;
}

// Suboffsets: none, all negative (no indirection), or PIL style on axis 0 only. Axis 0's suboffset
// when the rows are reached through pointers.
std::optional<ByteOffset> rowSuboffsetOf(const ExportedBuffer& e, const std::string& type)
{
    if (e.ndim <= 0 || !e.suboffsets)
        return std::nullopt;
    const std::vector<ByteOffset>& sub = *e.suboffsets;
    for (std::size_t d = 1; d < sub.size(); ++d)
        if (sub[d] >= 0)
            throw SourceError("the " + type + " has suboffsets[" + std::to_string(d) +
                              "] = " + std::to_string(sub[d]) +
                              "; a snapshot holds PIL-style buffers with suboffsets on axis 0 only");
    if (!sub.empty() && sub[0] >= 0)
        return sub[0];
    return std::nullopt;
}

// The exporter's layout as Stridescope's exporter would be asked for it, before its block is known.
StridedSourceSpec layoutOf(const ExportedBuffer& e, const std::string& type, bool indirect)
{
    StridedSourceSpec spec;
    spec.format = e.effectiveFormat();
    spec.shape = e.effectiveShape();
    spec.strides = e.effectiveStrides();
    spec.readonly = e.readonly;
    spec.fill = StridedSourceSpec::Fill::Zero; // the captured bytes are the block; nothing is filled
    spec.indirect = indirect;
    if (spec.indirect && spec.shape[0] > 1 && (*spec.strides)[0] != 0 &&
        std::llabs((*spec.strides)[0]) < pointerSize)
        throw SourceError("the " + type + "'s pointer table has stride " +
                          std::to_string((*spec.strides)[0]) + ", less than a pointer (" +
                          std::to_string(pointerSize) +
                          " bytes): its slots overlap, which a snapshot cannot hold");
    return spec;
}

// The checks and the block's layout are the exporter's own (StridedBufferStorage::resolve): with
// no offset and no memory given, the block is the smallest that holds every element, and buf
// sits as far into it as the lowest byte reached lies below buf. Nothing is allocated there.
ResolvedStridedSpec resolvedBlock(const StridedSourceSpec& spec, const ExportedBuffer& e,
                                  const std::string& type)
{
    SourceLimits unbounded;
    unbounded.allocationLimit = std::numeric_limits<ByteCount>::max();
    const ResolvedStridedSpec r = StridedBufferStorage::resolve(spec, unbounded);
    if (r.itemSize != e.itemSize)
        throw SourceError("the " + type + "'s itemsize " + std::to_string(e.itemSize) +
                          " does not match its format " + quotedText(spec.format) + " (" +
                          std::to_string(r.itemSize) + " bytes per item)");
    checkSize(r.memorySize, type);
    return r;
}

// Copies each row of a PIL-style exporter into Stridescope's indirect block `out`.
void copyRows(const ExportedBuffer& e, const ResolvedStridedSpec& r, ByteOffset rowSuboffset,
              const std::string& type, std::uint8_t* out)
{
    // Row i of the exporter: its element [i, 0, ...] is at pointer_i + suboffsets[0]; its span
    // starts rowLead bytes below that, as the row's does in Stridescope's block.
    for (Extent i = 0; i < r.shape[0]; ++i) {
        const Address slot = e.buf + Address(i * r.strides[0]);
        Address pointer = 0;
        if (GuardedMemory::read(slot, pointerSize, &pointer) != pointerSize)
            throw SourceError("the " + type + "'s pointer to row " + std::to_string(i) + " (at " + hex(slot) +
                              ") cannot be read");
        if (pointer == 0)
            throw SourceError("the " + type + "'s pointer to row " + std::to_string(i) + " is NULL");
        const Address rowStart = pointer + Address(rowSuboffset) - Address(r.rowLead);
        copyGuarded(rowStart, r.rowSpan, out + (r.rowsStart + i * r.rowSpan),
                    "row " + std::to_string(i) + " of the " + type);
    }
}

// The block's bytes: the exporter's elements where Stridescope's exporter will look for them.
std::shared_ptr<std::vector<std::uint8_t>> capturedBytes(const ExportedBuffer& e,
                                                         const ResolvedStridedSpec& r,
                                                         std::optional<ByteOffset> rowSuboffset,
                                                         const std::string& type)
{
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(std::size_t(r.memorySize), std::uint8_t(0));
    if (!rowSuboffset)
        copyGuarded(e.buf - Address(r.offset), r.memorySize, bytes->data(), "the " + type + "'s buffer");
    else if (r.rowSpan > 0)
        copyRows(e, r, *rowSuboffset, type, bytes->data());
    return bytes;
}

} // namespace

Scenario SnapshotCapture::capture(PyObject* object)
{
    std::string type = exporterName(object);
    const HeldView held(object);
    const Py_buffer& view = held.view();
    const GuardedViewReader::Copy copy = GuardedViewReader::read(view);
    if (auto why = GuardedViewReader::problem(view, copy, CapturedMemory::captureRequest))
        throw SourceError(*why);
    const ExportedBuffer& e = copy.buffer;
    if (e.ndim > 1 && !e.shape)
        throw SourceError("the " + type + "'s Py_buffer has ndim " + std::to_string(e.ndim) +
                          " but no shape in its answer to PyBUF_FULL_RO");

    const std::optional<ByteOffset> rowSuboffset = rowSuboffsetOf(e, type);
    StridedSourceSpec spec = layoutOf(e, type, rowSuboffset.has_value());
    const ResolvedStridedSpec r = resolvedBlock(spec, e, type);
    auto bytes = capturedBytes(e, r, rowSuboffset, type);

    Scenario scenario;
    scenario.kind = Scenario::SourceKind::Snapshot;
    spec.offset = r.offset;
    spec.memory = r.memorySize;
    spec.fill = StridedSourceSpec{}.fill;
    scenario.strided = std::move(spec);
    scenario.captured.bytes = std::move(bytes);
    scenario.captured.capturedFrom = std::move(type);
    return scenario;
}

} // namespace stridescope
