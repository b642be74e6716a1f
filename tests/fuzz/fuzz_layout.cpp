// libFuzzer target: the layout analysis a strided scenario goes through, without Python:
// spec -> StridedBufferStorage::resolve (checks, defaults) and build (allocation, fill) -> self-overlap,
// contiguity, the prediction of PyMemoryView_GetContiguous and its copy map. Every element the
// analysis places is read from the block, so AddressSanitizer sees any offset outside it.
//
// Input: text, one field per line (a missing or "-" line keeps the default):
//   format          e.g. "<hd"
//   shape           comma-separated integers, e.g. "3,4"
//   strides         comma-separated integers
//   offset          an integer
//   memory          an integer
//   flags           letters: i indirect, r readonly, b fill 'bytes', z fill 'zero' (default 'index')
#include "core/conversionprediction.h"
#include "core/copymap.h"
#include "core/itemformat.h"
#include "pyhost/stridedbufferstorage.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace stridescope;

namespace {

std::vector<std::int64_t> integers(std::string_view text)
{
    std::vector<std::int64_t> values;
    std::size_t p = 0;
    while (p < text.size() && values.size() <= StridedBufferStorage::maxNdim + 1) {
        std::int64_t v = 0;
        auto [ptr, ec] = std::from_chars(text.data() + p, text.data() + text.size(), v);
        if (ec == std::errc())
            values.push_back(v);
        p = ec == std::errc() ? std::size_t(ptr - text.data()) : p + 1;
        while (p < text.size() && (text[p] == ',' || text[p] == ' '))
            ++p;
    }
    return values;
}

bool given(std::string_view line)
{
    return !line.empty() && line != "-";
}

// Reads the first and the last byte of the element at `offset`: outside the block, ASan stops the
// run. (Not every byte: items may be 64 KiB, and the harness must stay fast.)
unsigned touch(const StridedBufferStorage& s, std::optional<ByteOffset> offset)
{
    if (!offset)
        return 0;
    if (*offset < 0 || *offset > s.memorySize - s.itemSize)
        std::abort(); // the storage accepted a layout that leaves its block
    return s.memory.get()[*offset] + s.memory.get()[*offset + s.itemSize - 1];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> lines;
    for (std::size_t p = 0; p <= input.size() && lines.size() < 6;) {
        const std::size_t end = std::min(input.find('\n', p), input.size());
        lines.push_back(input.substr(p, end - p));
        p = end + 1;
    }
    lines.resize(6);

    StridedSourceSpec spec;
    if (given(lines[0]))
        spec.format = std::string(lines[0]);
    if (given(lines[1]))
        spec.shape = integers(lines[1]);
    if (given(lines[2]))
        spec.strides = integers(lines[2]);
    if (given(lines[3]))
        if (auto v = integers(lines[3]); !v.empty())
            spec.offset = v.front();
    if (given(lines[4]))
        if (auto v = integers(lines[4]); !v.empty())
            spec.memory = v.front();
    spec.indirect = lines[5].find('i') != std::string_view::npos;
    spec.readonly = lines[5].find('r') != std::string_view::npos;
    if (lines[5].find('b') != std::string_view::npos)
        spec.fill = StridedSourceSpec::Fill::Bytes;
    else if (lines[5].find('z') != std::string_view::npos)
        spec.fill = StridedSourceSpec::Fill::Zero;

    // 1 MiB blocks keep each run fast; the rules do not depend on the limit.
    const SourceLimits limits{ByteCount(1) << 20, std::size_t(1) << 20};
    // resolve() is the rule the snippets use without a block: it refuses what build() refuses, with
    // the same line (but an indirect layout whose pointers lead outside, which needs the table),
    // and resolves the same defaults.
    std::optional<ResolvedStridedSpec> resolved;
    std::string refusal;
    try {
        resolved = StridedBufferStorage::resolve(spec, limits);
    } catch (const SourceError& e) {
        refusal = e.what();
    }
    std::unique_ptr<StridedBufferStorage> storage;
    try {
        storage = StridedBufferStorage::build(spec, limits);
    } catch (const SourceError& e) {
        if (std::string_view(e.what()).empty() || (resolved ? !spec.indirect : refusal != e.what()))
            std::abort();
        return 0;
    }
    const StridedBufferStorage& s = *storage;
    if (!resolved || resolved->offset != s.offset || resolved->memorySize != s.memorySize ||
        resolved->strides != s.strides || resolved->length != s.length)
        std::abort();
    const StridedLayout& layout = s.layout;
    if (layout.outsideMemoryReason() || s.memorySize > limits.allocationLimit)
        std::abort();

    constexpr ElementIndex visited = 4096; // elements checked per run
    const ElementIndex count = layout.elementCount().value_or(0);
    unsigned sum = 0;
    for (ElementIndex e = 0; e < std::min(count, visited); ++e)
        sum += touch(s, layout.elementOffsetAt(e));
    if (count > visited)
        sum += touch(s, layout.elementOffsetAt(count - 1));
    if (const auto overlap = layout.findSelfOverlap()) {
        sum += touch(s, layout.elementOffset(overlap->first));
        sum += touch(s, layout.elementOffset(overlap->second));
    }
    if (const auto format = ItemFormat::parse(s.format); format && count > 0 && s.itemSize <= (1 << 16)) {
        const auto first = layout.elementOffsetAt(0);
        (void)format->decode({s.memory.get() + *first, std::size_t(s.itemSize)});
    }

    ConversionPrediction::Source source;
    source.typeName = "StridedBuffer";
    source.exported.len = s.length;
    source.exported.itemSize = s.itemSize;
    source.exported.readonly = s.readonly;
    source.exported.ndim = int(s.shape.size());
    source.exported.format = s.format;
    source.exported.shape = s.shape;
    source.exported.strides = s.strides;
    if (s.indirect)
        source.exported.suboffsets = s.suboffsets;
    source.layout = layout;
    for (auto type : {ConversionRequest::BufferType::Read, ConversionRequest::BufferType::Write}) {
        for (char order : {'C', 'F', 'A'}) {
            ConversionRequest request;
            request.bufferType = type;
            request.order = order;
            const auto p = ConversionPrediction::predict(source, request);
            if (p.outcome != ConversionPrediction::Outcome::Copy)
                continue;
            if (!p.resultLayout || p.resultLength != s.length)
                std::abort();
            const CopyMap map(layout, *p.resultLayout);
            map.visit(0, visited, [&](const CopyMap::Entry& entry) {
                sum += touch(s, entry.source);
                if (entry.destination < 0 || entry.destination > s.length - s.itemSize ||
                    map.elementAtDestination(entry.destination) != entry.element)
                    std::abort(); // the copy lands inside the new object, and the inverse finds it
                return true;
            });
        }
    }
    static volatile unsigned sink;
    sink = sum; // keeps the reads
    return 0;
}
