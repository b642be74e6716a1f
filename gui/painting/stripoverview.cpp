#include "stripoverview.h"

#include "rowbands.h"

#include <algorithm>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace stridescope {

namespace {

// Work is split in this many bands for the threads of RowBands (more bands than threads is harmless).
constexpr int bands = 64;

} // namespace

StripOverview::StripOverview(const Strip& strip) : m_first(strip.first), m_end(strip.end)
{
    if (strip.end <= strip.first)
        return;
    const std::int64_t bytes = strip.end - strip.first;
    while (((bytes - 1) >> m_shift) + 1 > maxEntries)
        ++m_shift;
    const std::int64_t step = std::int64_t(1) << m_shift;
    const std::int64_t entries = (bytes + step - 1) / step;
    allocate(std::size_t(entries));
    // Entries whose first byte lies in the block start as gaps, the others as nothing.
    auto entryOf = [&](ByteOffset byte) {
        return std::clamp<std::int64_t>((byte - strip.first + step - 1) >> m_shift, 0, entries);
    };
    const std::int64_t blockFirst = entryOf(strip.memoryFirst), blockEnd = entryOf(strip.memoryEnd);
    Code* const codes = m_codes.get();
    std::fill(codes, codes + blockFirst, nothing);
    std::fill(codes + blockFirst, codes + std::max(blockFirst, blockEnd), gap);
    std::fill(codes + std::max(blockFirst, blockEnd), codes + entries, nothing);
    if (!strip.layout || !strip.owners || !strip.owners->isValid() || strip.elementCount <= 0)
        return;
    // Walking the elements costs one step per element (and per entry an element covers); asking the
    // inverse map costs a search per entry. Zero-stride axes are left out of the walk: they repeat
    // the same bytes, making every byte they reach shared and leaving its lowest element the one
    // with those indices at 0. Indirect layouts (a pointer per row) and walks longer than a few
    // steps per entry ask instead.
    const Walk plan = planWalk(*strip.layout);
    const std::int64_t perElement = 1 + (strip.layout->itemSize() >> m_shift);
    if (strip.layout->isIndirect() || plan.steps > (4 * entries + 65536) / perElement) {
        RowBands::run(bands, entries,
                      [&](int a, int b) { askOwners(strip, entries * a / bands, entries * b / bands); });
        return;
    }
    if (strip.owners->hasNestedMovingAxes()) {
        // No two walked elements share a byte: bands of them write disjoint entries, side by side.
        const ElementIndex steps = plan.steps;
        RowBands::run(bands, steps,
                      [&](int a, int b) { walkElements(strip, plan, steps * a / bands, steps * b / bands); });
        return;
    }
    // Elements may share bytes: one thread, so two never write an entry at once.
    walkElements(strip, plan, 0, plan.steps);
}

StripOverview::Walk StripOverview::planWalk(const StridedLayout& layout)
{
    Walk plan;
    const int n = layout.ndim();
    ElementIndex weight = 1;
    for (int d = n - 1; d >= 0; --d) {
        const Extent extent = layout.shape()[std::size_t(d)];
        const ByteOffset stride = layout.strides()[std::size_t(d)];
        if (extent > 1 && stride != 0)
            plan.axes.push_back({extent, stride, weight});
        else if (extent > 1)
            plan.repeated = true;
        weight *= extent;
    }
    // Memory order, the smallest |stride| innermost: the writes then sweep the codes instead of
    // jumping (a transpose in C order would miss the cache on every element).
    std::stable_sort(plan.axes.begin(), plan.axes.end(), [](const Walk::Axis& a, const Walk::Axis& b) {
        return std::abs(a.stride) > std::abs(b.stride);
    });
    for (const Walk::Axis& a : plan.axes)
        plan.steps *= a.extent;
    return plan;
}

void StripOverview::allocate(std::size_t entries)
{
    const std::size_t bytes = entries * sizeof(Code);
    void* memory = nullptr;
#ifdef __linux__
    // Tens of MiB touched once: in 2 MiB pages the kernel faults them in a few times instead of
    // thousands (on a virtual machine, 32 MiB in 4 KiB pages cost ~100 ms of page faults).
    constexpr std::size_t hugePage = std::size_t(2) << 20;
    if (bytes >= hugePage) {
        const std::size_t rounded = (bytes + hugePage - 1) / hugePage * hugePage;
        if (posix_memalign(&memory, hugePage, rounded) == 0)
            madvise(memory, rounded, MADV_HUGEPAGE);
        else
            memory = nullptr;
    }
#endif
    if (!memory)
        memory = std::malloc(std::max<std::size_t>(bytes, 1));
    if (!memory)
        throw std::bad_alloc();
    m_codes.reset(static_cast<Code*>(memory));
    m_size = entries;
}

void StripOverview::walkElements(const Strip& strip, const Walk& plan, ElementIndex begin, ElementIndex end)
{
    if (begin >= end)
        return;
    const StridedLayout& layout = *strip.layout;
    const double scale = Theme::paletteScale(strip.elementCount);
    const ByteCount itemSize = layout.itemSize();
    const std::int64_t step = std::int64_t(1) << m_shift;
    const std::int64_t last = std::int64_t(m_size) - 1;
    const Code repeated = plan.repeated ? sharedBit : Code(0);
    Code* const codes = m_codes.get();
    // Marks the entries whose first byte lies in the element's bytes. Elements come in memory order,
    // not C order: where several reach an entry, the lowest palette position (the lowest element)
    // is kept and the entry is marked shared.
    auto mark = [&](ByteOffset offset, ElementIndex element) {
        const ByteOffset lo = std::max(offset, m_first);
        const ByteOffset hi = std::min(offset + itemSize, m_end);
        if (lo >= hi)
            return;
        const std::int64_t i0 = (lo - m_first + step - 1) >> m_shift; // shifts: no division per element
        const std::int64_t i1 = std::min(last, (hi - 1 - m_first) >> m_shift);
        const Code colour = Code(Theme::paletteIndex(element, scale));
        for (std::int64_t i = i0; i <= i1; ++i) {
            const ByteOffset byte = m_first + i * step;
            Code& code = codes[i];
            const Code was = code & Code(~sharedBit);
            if (was < gap)
                code = Code(std::min(was, colour) | sharedBit);
            else if (was == outside)
                code |= sharedBit;
            else
                code =
                    Code((byte >= strip.memoryFirst && byte < strip.memoryEnd ? colour : outside) | repeated);
        }
    };
    const int n = int(plan.axes.size());
    if (n == 0) { // every axis has extent 1 or stride 0: one place, reached by element 0 (and repeats)
        mark(layout.bufOffset(), 0);
        return;
    }
    // Position `begin` in walk order, as an index per axis, an offset and a C-order element.
    std::vector<Extent> index(std::size_t(n), 0);
    ByteOffset offset = layout.bufOffset();
    ElementIndex element = 0;
    ElementIndex rest = begin;
    for (int k = n - 1; k >= 0; --k) {
        const Walk::Axis& a = plan.axes[std::size_t(k)];
        index[std::size_t(k)] = rest % a.extent;
        rest /= a.extent;
        offset += index[std::size_t(k)] * a.stride;
        element += index[std::size_t(k)] * a.weight;
    }
    const Walk::Axis inner = plan.axes[std::size_t(n - 1)];
    for (ElementIndex p = begin; p < end;) {
        // A run along the innermost axis, then an odometer step on the others.
        const Extent from = index[std::size_t(n - 1)];
        const Extent run = std::min<ElementIndex>(inner.extent - from, end - p);
        for (Extent j = 0; j < run; ++j)
            mark(offset + j * inner.stride, element + j * inner.weight);
        p += run;
        if (p >= end)
            break;
        offset -= from * inner.stride;
        element -= from * inner.weight;
        index[std::size_t(n - 1)] = 0;
        for (int k = n - 2; k >= 0; --k) {
            const Walk::Axis& a = plan.axes[std::size_t(k)];
            offset += a.stride;
            element += a.weight;
            if (++index[std::size_t(k)] < a.extent)
                break;
            offset -= a.extent * a.stride;
            element -= a.extent * a.weight;
            index[std::size_t(k)] = 0;
        }
    }
}

void StripOverview::askOwners(const Strip& strip, std::int64_t begin, std::int64_t end)
{
    const double scale = Theme::paletteScale(strip.elementCount);
    for (std::int64_t i = begin; i < end; ++i) {
        const ByteOffset byte = m_first + (i << m_shift);
        const auto owners = strip.owners->at(byte);
        if (owners.isGap())
            continue;
        const bool inside = byte >= strip.memoryFirst && byte < strip.memoryEnd;
        const Code code = inside ? Code(Theme::paletteIndex(owners.first, scale)) : outside;
        m_codes[std::size_t(i)] = owners.isShared() ? Code(code | sharedBit) : code;
    }
}

} // namespace stridescope
