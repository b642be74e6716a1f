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
    m_shift = shiftFor(bytes);
    const std::int64_t step = std::int64_t(1) << m_shift;
    const std::int64_t entries = (bytes + step - 1) / step;
    m_codes.reset(static_cast<Code*>(allocate(std::size_t(entries) * sizeof(Code))));
    m_size = std::size_t(entries);
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
    } else if (m_shift == 0 && strip.owners->hasNestedMovingAxes()) {
        // No two walked elements share a byte: bands of them write disjoint entries, side by side.
        const ElementIndex steps = plan.steps;
        RowBands::run(bands, steps,
                      [&](int a, int b) { walkElements(strip, plan, steps * a / bands, steps * b / bands); });
    } else {
        // Elements may share bytes, or (with a shift) an entry: one thread, so two never write at once.
        if (m_shift > 0)
            m_covered.assign(std::size_t(entries), 0);
        walkElements(strip, plan, 0, plan.steps);
        for (std::int64_t i = 0; m_shift > 0 && i < entries; ++i) {
            Code& code = codes[i];
            const Code value = code & valueMask;
            if (value != outside && value >= gap)
                continue;
            const std::int64_t size = std::min(step, bytes - i * step);
            if (m_covered[std::size_t(i)] < size)
                code |= partialBit;
            else if (m_covered[std::size_t(i)] > size) // more element bytes than bytes: some are shared
                code |= sharedBit;
        }
        m_covered = {};
    }
    summarise();
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

void* StripOverview::allocate(std::size_t bytes)
{
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
    return memory;
}

template <class Visit>
void StripOverview::visitInWalkOrder(const Walk& plan, ByteOffset base, ElementIndex begin, ElementIndex end,
                                     Visit&& visit)
{
    const int n = int(plan.axes.size());
    if (n == 0) { // every axis has extent 1 or stride 0: one place, reached by element 0 (and repeats)
        visit(base, 0);
        return;
    }
    WalkPosition at = walkPosition(plan, base, begin);
    const Walk::Axis inner = plan.axes[std::size_t(n - 1)];
    for (ElementIndex p = begin; p < end;) {
        // A run along the innermost axis, then an odometer step on the others.
        const Extent from = at.index[std::size_t(n - 1)];
        const Extent run = std::min<ElementIndex>(inner.extent - from, end - p);
        for (Extent j = 0; j < run; ++j)
            visit(at.offset + j * inner.stride, at.element + j * inner.weight);
        p += run;
        if (p >= end)
            break;
        at.offset -= from * inner.stride;
        at.element -= from * inner.weight;
        at.index[std::size_t(n - 1)] = 0;
        for (int k = n - 2; k >= 0; --k) {
            const Walk::Axis& a = plan.axes[std::size_t(k)];
            at.offset += a.stride;
            at.element += a.weight;
            if (++at.index[std::size_t(k)] < a.extent)
                break;
            at.offset -= a.extent * a.stride;
            at.element -= a.extent * a.weight;
            at.index[std::size_t(k)] = 0;
        }
    }
}

StripOverview::WalkPosition StripOverview::walkPosition(const Walk& plan, ByteOffset base, ElementIndex step)
{
    const int n = int(plan.axes.size());
    WalkPosition at{std::vector<Extent>(std::size_t(n), 0), base, 0};
    ElementIndex rest = step;
    for (int k = n - 1; k >= 0; --k) {
        const Walk::Axis& a = plan.axes[std::size_t(k)];
        at.index[std::size_t(k)] = rest % a.extent;
        rest /= a.extent;
        at.offset += at.index[std::size_t(k)] * a.stride;
        at.element += at.index[std::size_t(k)] * a.weight;
    }
    return at;
}

namespace {

// Marks the entries whose first byte lies in an element's bytes. Elements come in memory order,
// not C order: where several reach an entry, the lowest palette position (the lowest element)
// is kept and the entry is marked shared.
class ElementMarker
{
public:
    using Code = StripOverview::Code;

    ElementMarker(const StripOverview::Strip& strip, bool repeated, int shift, std::size_t size, Code* codes,
                  std::uint16_t* covered)
        : m_strip(strip), m_scale(Theme::paletteScale(strip.elementCount)),
          m_itemSize(strip.layout->itemSize()), m_shift(shift), m_step(std::int64_t(1) << shift),
          m_last(std::int64_t(size) - 1), m_repeated(repeated ? StripOverview::sharedBit : Code(0)),
          m_codes(codes), m_covered(covered)
    {
    }

    // Byte by byte without a shift; entry by entry with one.
    void mark(ByteOffset offset, ElementIndex element) const;

private:
    bool inBlock(ByteOffset byte) const { return byte >= m_strip.memoryFirst && byte < m_strip.memoryEnd; }
    void markBytes(ByteOffset lo, ByteOffset hi, Code colour) const;
    // With a shift: every entry the element touches, counting the bytes it covers there; the
    // entry's first byte says whether it lies in the block.
    void markEntries(ByteOffset lo, ByteOffset hi, Code colour) const;

    const StripOverview::Strip& m_strip;
    const double m_scale;
    const ByteCount m_itemSize;
    const int m_shift;
    const std::int64_t m_step;
    const std::int64_t m_last;
    const Code m_repeated;
    Code* const m_codes;
    std::uint16_t* const m_covered; // with a shift: element bytes per entry
};

inline void ElementMarker::mark(ByteOffset offset, ElementIndex element) const
{
    const ByteOffset lo = std::max(offset, m_strip.first);
    const ByteOffset hi = std::min(offset + m_itemSize, m_strip.end);
    if (lo >= hi)
        return;
    const Code colour = Code(Theme::paletteIndex(element, m_scale));
    if (m_shift == 0)
        markBytes(lo, hi, colour);
    else
        markEntries(lo, hi, colour);
}

inline void ElementMarker::markBytes(ByteOffset lo, ByteOffset hi, Code colour) const
{
    using O = StripOverview;
    for (std::int64_t i = lo - m_strip.first; i < hi - m_strip.first; ++i) {
        const ByteOffset byte = m_strip.first + i;
        Code& code = m_codes[i];
        const Code was = code & Code(~O::sharedBit);
        if (was < O::gap)
            code = Code(std::min(was, colour) | O::sharedBit);
        else if (was == O::outside)
            code |= O::sharedBit;
        else
            code = Code((inBlock(byte) ? colour : O::outside) | m_repeated);
    }
}

inline void ElementMarker::markEntries(ByteOffset lo, ByteOffset hi, Code colour) const
{
    using O = StripOverview;
    const std::int64_t i0 = (lo - m_strip.first) >> m_shift; // shifts: no division per element
    const std::int64_t i1 = std::min(m_last, (hi - 1 - m_strip.first) >> m_shift);
    for (std::int64_t i = i0; i <= i1; ++i) {
        const ByteOffset entryFirst = m_strip.first + i * m_step;
        const ByteOffset covered = std::min(hi, entryFirst + m_step) - std::max(lo, entryFirst);
        std::uint16_t& count = m_covered[std::size_t(i)];
        count = std::uint16_t(std::min<ByteOffset>(0xFFFF, count + covered));
        Code& code = m_codes[i];
        const Code was = code & O::valueMask;
        if (was < O::gap)
            code = Code(std::min(was, colour) | (code & O::sharedBit) | m_repeated);
        else if (was != O::outside)
            code = Code((inBlock(entryFirst) ? colour : O::outside) | m_repeated);
    }
}

} // namespace

void StripOverview::walkElements(const Strip& strip, const Walk& plan, ElementIndex begin, ElementIndex end)
{
    if (begin >= end)
        return;
    const ElementMarker marker(strip, plan.repeated, m_shift, m_size, m_codes.get(), m_covered.data());
    visitInWalkOrder(plan, strip.layout->bufOffset(), begin, end,
                     [&](ByteOffset offset, ElementIndex element) { marker.mark(offset, element); });
}

void StripOverview::askOwners(const Strip& strip, std::int64_t begin, std::int64_t end)
{
    const double scale = Theme::paletteScale(strip.elementCount);
    const std::int64_t step = std::int64_t(1) << m_shift;
    for (std::int64_t i = begin; i < end; ++i) {
        // The entry's first byte, and with a shift its last: one owned and one not makes it partial.
        const ByteOffset byte = m_first + i * step;
        auto owners = strip.owners->at(byte);
        bool partial = false;
        if (step > 1) {
            const auto last = strip.owners->at(std::min(byte + step, m_end) - 1);
            partial = owners.isGap() != last.isGap();
            if (owners.isGap() || (!last.isGap() && last.first < owners.first))
                owners = last;
        }
        if (owners.isGap())
            continue;
        const bool inside = byte >= strip.memoryFirst && byte < strip.memoryEnd;
        Code code = inside ? Code(Theme::paletteIndex(owners.first, scale)) : outside;
        if (owners.isShared())
            code |= sharedBit;
        if (partial)
            code |= partialBit;
        m_codes[std::size_t(i)] = code;
    }
}

std::size_t StripOverview::memoryUse() const
{
    std::size_t bytes = m_size * sizeof(Code);
    for (const Level& level : m_levels)
        bytes += level.size * sizeof(Summary);
    return bytes;
}

void StripOverview::summarise()
{
    // Level 0 from the codes, 8 entries a summary; each next level from pairs of the one before.
    // Shares are counted in half entries (a partial entry is half element, half gap).
    const std::int64_t entries = std::int64_t(m_size);
    constexpr std::int64_t run = std::int64_t(1) << firstSummaryLevel;
    if (entries < 2 * run)
        return; // a frame never has that many entries per pixel
    auto makeLevel = [](std::size_t size) {
        Level level;
        level.data.reset(static_cast<Summary*>(allocate(size * sizeof(Summary))));
        level.size = size;
        return level;
    };
    Level level = makeLevel(std::size_t((entries + run - 1) / run));
    const std::int64_t summaries = std::int64_t(level.size);
    const Code* const codes = m_codes.get();
    RowBands::run(bands, entries, [&](int a, int b) {
        for (std::int64_t k = summaries * a / bands; k < summaries * b / bands; ++k) {
            std::int64_t inside = 0, outsideCount = 0, gapCount = 0, total = 0, positions = 0;
            Code shared = 0;
            for (std::int64_t i = k * run; i < std::min(entries, (k + 1) * run); ++i) {
                const Code code = codes[i];
                const Code value = code & valueMask;
                const std::int64_t element = (code & partialBit) ? 1 : 2;
                shared |= code & sharedBit;
                total += 2;
                if (value < gap) {
                    inside += element;
                    positions += value * element;
                    gapCount += 2 - element;
                } else if (value == outside) {
                    outsideCount += element;
                    gapCount += 2 - element;
                } else if (value == gap) {
                    gapCount += 2;
                }
            }
            Summary& s = level.data[std::size_t(k)];
            s.element = std::uint8_t((255 * (inside + outsideCount) + total / 2) / total);
            s.gap =
                std::uint8_t(std::min<std::int64_t>(255 - s.element, (255 * gapCount + total / 2) / total));
            const Code mean = inside + outsideCount == 0 ? nothing
                              : outsideCount > inside    ? outside
                                                         : Code((positions + inside / 2) / inside);
            s.code = Code(mean | shared);
        }
    });
    m_levels.push_back(std::move(level));
    while (m_levels.back().size > 1) {
        const Level& below = m_levels.back();
        Level next = makeLevel((below.size + 1) / 2);
        for (std::size_t k = 0; k < next.size; ++k) {
            const Summary& a = below.data[2 * k];
            const Summary& b = 2 * k + 1 < below.size ? below.data[2 * k + 1] : a;
            Summary& s = next.data[k];
            s.element = std::uint8_t((a.element + b.element + 1) / 2);
            s.gap = std::uint8_t(std::min(255 - s.element, (a.gap + b.gap + 1) / 2));
            const Code va = a.code & valueMask, vb = b.code & valueMask;
            Code mean = a.element >= b.element ? va : vb;
            if (a.element > 0 && b.element > 0 && va < gap && vb < gap)
                mean = Code((va * a.element + vb * b.element + (a.element + b.element) / 2) /
                            (a.element + b.element));
            s.code = Code(mean | ((a.code | b.code) & sharedBit));
        }
        m_levels.push_back(std::move(next));
    }
}

} // namespace stridescope
