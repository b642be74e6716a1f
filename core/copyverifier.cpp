#include "copyverifier.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace stridescope {

namespace {

// The walk of a direct copy: the element at outer index o, tile-axis index i and inner index j sits
// at source + o.src + i * a.source + j * b.source, and lands at destination + o.dst + i * a.dest + j *
// b.dest. b is the axis with the smallest destination stride (the copy's contiguous axis), a the remaining
// axis with the smallest source stride; the outer axes are everything else.
struct Axis
{
    Extent extent = 1;
    ByteOffset source = 0;
    ByteOffset destination = 0;
};

struct Walk
{
    ByteCount item = 1;
    ByteOffset source0 = 0;
    ByteOffset destination0 = 0;
    std::vector<Axis> outer; // C order among themselves
    Axis a;
    Axis b;
    ElementIndex outerCount = 1;
    // Both sides contiguous along b: a whole run of b is one memcmp, no tiling needed.
    bool rows = false;
};

// Tiles of kTile x kTile elements keep a tile's source lines and destination lines in L1/L2 at once:
// for a transposed uint8 array, 64 source cache lines and 64 destination lines.
constexpr Extent kTile = 64;

template <int K> inline bool sameItem(const std::uint8_t* s, const std::uint8_t* d, ByteCount item)
{
    if constexpr (K == 1)
        return *s == *d;
    else if constexpr (K == 2 || K == 4 || K == 8) {
        using Word = std::conditional_t<K == 2, std::uint16_t,
                                        std::conditional_t<K == 4, std::uint32_t, std::uint64_t>>;
        Word x, y;
        std::memcpy(&x, s, K);
        std::memcpy(&y, d, K);
        return x == y;
    } else
        return std::memcmp(s, d, std::size_t(item)) == 0;
}

// Compares the elements of work units [first, end): a unit is one outer index times one tile of
// axis a. Returns false as soon as one element differs (or another thread found one).
template <int K>
bool compareUnits(const Walk& w, const std::uint8_t* source, const std::uint8_t* destination,
                  ElementIndex first, ElementIndex end, const std::atomic<bool>& stop)
{
    const Extent tilesA = (w.a.extent + kTile - 1) / kTile;
    const Extent tileB = w.rows ? w.b.extent : kTile;
    std::vector<Extent> index(w.outer.size());
    for (ElementIndex unit = first; unit < end; ++unit) {
        if (stop.load(std::memory_order_relaxed))
            return false;
        ElementIndex o = unit / tilesA;
        const Extent i0 = (unit % tilesA) * kTile;
        const Extent i1 = std::min(w.a.extent, i0 + kTile);
        ByteOffset so = w.source0, dof = w.destination0;
        for (std::size_t d = w.outer.size(); d-- > 0;) {
            const Extent k = o % w.outer[d].extent;
            o /= w.outer[d].extent;
            so += k * w.outer[d].source;
            dof += k * w.outer[d].destination;
        }
        for (Extent j0 = 0; j0 < w.b.extent; j0 += tileB) {
            const Extent j1 = std::min(w.b.extent, j0 + tileB);
            for (Extent i = i0; i < i1; ++i) {
                const std::uint8_t* s = source + so + i * w.a.source + j0 * w.b.source;
                const std::uint8_t* d = destination + dof + i * w.a.destination + j0 * w.b.destination;
                if (w.rows) {
                    if (std::memcmp(s, d, std::size_t((j1 - j0) * w.item)) != 0)
                        return false;
                    continue;
                }
                bool same = true;
                for (Extent j = j0; j < j1; ++j, s += w.b.source, d += w.b.destination)
                    same &= sameItem<K>(s, d, w.item);
                if (!same)
                    return false;
            }
        }
    }
    return true;
}

bool compareRange(const Walk& w, const std::uint8_t* source, const std::uint8_t* destination,
                  ElementIndex first, ElementIndex end, const std::atomic<bool>& stop)
{
    switch (w.item) {
    case 1:
        return compareUnits<1>(w, source, destination, first, end, stop);
    case 2:
        return compareUnits<2>(w, source, destination, first, end, stop);
    case 4:
        return compareUnits<4>(w, source, destination, first, end, stop);
    case 8:
        return compareUnits<8>(w, source, destination, first, end, stop);
    default:
        return compareUnits<0>(w, source, destination, first, end, stop);
    }
}

bool inside(const StridedLayout& layout, ByteCount size)
{
    const auto extent = layout.extent();
    return size >= 0 && extent && extent->first >= 0 && extent->end <= size;
}

} // namespace

CopyVerifier::Result CopyVerifier::verify(const CopyMap& map, const std::uint8_t* source,
                                          const std::uint8_t* destination, ByteCount destinationSize,
                                          int threads)
{
    const StridedLayout& from = map.source();
    const StridedLayout& to = map.destination();
    const ElementIndex count = map.size();
    if (count <= 0)
        return {};
    if (from.isIndirect() || to.isIndirect() || !inside(from, from.memorySize()) ||
        !inside(to, destinationSize))
        return verifyElementwise(map, source, destination, destinationSize);

    Walk w;
    w.item = from.itemSize();
    const CopyMap::Entry origin = map.at(0);
    w.source0 = *origin.source;
    w.destination0 = origin.destination;
    std::vector<int> moving;
    for (int d = 0; d < from.ndim(); ++d)
        if (from.shape()[std::size_t(d)] > 1)
            moving.push_back(d);
    auto axis = [&](int d) {
        return Axis{from.shape()[std::size_t(d)], from.strides()[std::size_t(d)],
                    to.strides()[std::size_t(d)]};
    };
    auto smallest = [&](auto stride, int skip) {
        int best = -1;
        for (int d : moving)
            if (d != skip && (best < 0 || std::llabs(stride(d)) <= std::llabs(stride(best))))
                best = d;
        return best;
    };
    const int b = smallest([&](int d) { return to.strides()[std::size_t(d)]; }, -1);
    const int a = smallest([&](int d) { return from.strides()[std::size_t(d)]; }, b);
    if (b >= 0)
        w.b = axis(b);
    if (a >= 0)
        w.a = axis(a);
    for (int d : moving)
        if (d != a && d != b) {
            w.outer.push_back(axis(d));
            w.outerCount *= axis(d).extent;
        }
    w.rows = w.b.source == w.item && w.b.destination == w.item;

    const ElementIndex units = w.outerCount * ((w.a.extent + kTile - 1) / kTile);
    if (threads <= 0)
        threads = count * w.item >= parallelBytes
                      ? int(std::clamp(std::thread::hardware_concurrency(), 1u, 8u))
                      : 1;
    threads = int(std::clamp<ElementIndex>(threads, 1, units));
    std::atomic<bool> stop{false};
    std::atomic<bool> differs{false};
    auto run = [&](int t) {
        const ElementIndex first = units * t / threads;
        const ElementIndex end = units * (t + 1) / threads;
        if (!compareRange(w, source, destination, first, end, stop) && !stop.exchange(true))
            differs = true;
    };
    std::vector<std::thread> helpers;
    for (int t = 1; t < threads; ++t)
        helpers.emplace_back(run, t);
    run(0);
    for (auto& h : helpers)
        h.join();
    // Which element differs first, in C order, is worth the slow walk: it only happens on failure.
    if (differs)
        return verifyElementwise(map, source, destination, destinationSize);
    return Result{count, count * w.item, 0, -1};
}

CopyVerifier::Result CopyVerifier::verifyElementwise(const CopyMap& map, const std::uint8_t* source,
                                                     const std::uint8_t* destination,
                                                     ByteCount destinationSize)
{
    Result result;
    const StridedLayout& from = map.source();
    const ByteCount item = from.itemSize();
    map.visit(0, map.size(), [&](const CopyMap::Entry& entry) {
        if (entry.source && !from.elementInside(*entry.source)) {
            ++result.outside;
            return true;
        }
        if (!entry.source || entry.destination < 0 || entry.destination + item > destinationSize ||
            std::memcmp(source + *entry.source, destination + entry.destination, std::size_t(item)) != 0) {
            result.firstMismatch = entry.element;
            return false;
        }
        ++result.checked;
        result.bytesVerified += item;
        return true;
    });
    return result;
}

} // namespace stridescope
