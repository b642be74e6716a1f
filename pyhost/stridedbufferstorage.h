#pragma once

#include "core/contiguityverdict.h"
#include "core/stridedlayout.h"
#include "resolvedstridedspec.h"
#include "sourceerror.h"
#include "sourcelimits.h"
#include "stridedsourcespec.h"

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stridescope {

// Everything a StridedBuffer owns, built from a spec: the checks, the defaults (strides, offset,
// memory size, the pointer table of an indirect buffer), the zeroed block and its fill, as
// StridedBufferType documents them. Plain C++ without Python, so the rules can be tested and fuzzed
// without an interpreter; the Python type only wraps it. The Py_buffer arrays handed to consumers
// point into these vectors, which never change after build(), so any number of exports can share them.
class StridedBufferStorage
{
public:
    // The most axes a buffer may have: PyBUF_MAX_NDIM.
    static constexpr std::size_t maxNdim = 64;

    // Checks `spec` and resolves its defaults without allocating anything: every refusal but the two
    // that need the block (an indirect layout whose pointers lead outside it, a failed allocation).
    // Throws SourceError with a one-line message naming the problem.
    static ResolvedStridedSpec resolve(const StridedSourceSpec& spec, const SourceLimits& limits);

    // resolve(), then allocates and fills the block. Throws SourceError with a one-line message.
    // The block behind a PyMemoryView_FromMemory view of the spec's memory: 1-d 'B' over the
    // spec's memory size, with its fill.
    static StridedSourceSpec fromMemoryBlock(const StridedSourceSpec& spec, const SourceLimits& limits);
    // With `contents` (a snapshot's captured block), the block holds exactly those bytes instead of
    // the spec's fill; there must be as many as the block has (an indirect block's pointer table is
    // then written over them, as always).
    static std::unique_ptr<StridedBufferStorage> build(const StridedSourceSpec& spec,
                                                       const SourceLimits& limits,
                                                       const std::vector<std::uint8_t>* contents = nullptr);

    // The strides of a spec that gives none: C order, and for an indirect buffer axis 0 steps
    // through the pointer table. Products past 64 bits wrap (resolve refuses such shapes first).
    static std::vector<ByteOffset> defaultStrides(const std::vector<Extent>& shape, ByteCount itemSize,
                                                  bool indirect);

    // The pointer table of an indirect buffer, as build() writes it: calls f(slot, row) for each slot
    // inside the block, in the order they are written. Slot i (offset + i * strides[0]) holds the
    // address of row i, which starts at rowsStart + i * rowSpan and has element [i, 0, ...] rowLead
    // bytes in: `row` is that element's offset in the block. With stride 0 every slot is one, and
    // only the last row is written. The snippets and synthetic reports lay out their tables with it.
    static void visitPointerSlots(const ResolvedStridedSpec& r,
                                  const std::function<void(ByteOffset slot, ByteOffset row)>& f);

    static std::string ndimMessage(std::size_t ndim);
    static std::string strideCountMessage(std::size_t given, std::size_t ndim);

    struct FreeDeleter
    {
        void operator()(unsigned char* p) const { std::free(p); }
    };

    std::string format;
    std::string fill; // the spec's, or "snapshot" for a block built from captured bytes
    ByteCount itemSize = 1;
    std::vector<Extent> shape;
    std::vector<ByteOffset> strides;
    std::vector<ByteOffset> suboffsets; // empty unless indirect
    std::unique_ptr<unsigned char, FreeDeleter> memory;
    ByteCount memorySize = 0;
    ByteOffset offset = 0;
    ByteCount length = 0; // product(shape) * itemsize
    bool readonly = false;
    bool indirect = false;
    StridedLayout layout; // the truth about the layout: contiguity and bounds come from core
    ContiguityVerdict cOrder;
    ContiguityVerdict fortranOrder;
    ContiguityVerdict anyOrder;

private:
    StridedBufferStorage() = default;
};

} // namespace stridescope
