#include "byteownership.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace stridescope {

namespace {

ByteOffset floorDiv(ByteOffset a, ByteOffset b)
{
    const ByteOffset q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

ByteOffset ceilDiv(ByteOffset a, ByteOffset b)
{
    return -floorDiv(-a, b);
}

// Indirect layouts past this many rows are not indexed: the picture shows them as gaps.
constexpr ElementIndex indirectRowLimit = ElementIndex(1) << 22;
// A query gives up after this many search steps (heavily self-overlapping layouts only).
constexpr int searchBudget = 4096;

} // namespace

ByteOwnership::ByteOwnership(const StridedLayout& layout)
    : m_itemSize(layout.itemSize()), m_bufOffset(layout.bufOffset())
{
    const auto count = layout.elementCount();
    if (!count || *count == 0 || m_itemSize <= 0)
        return;
    m_valid = true;
    if (layout.isIndirect()) {
        m_indirect = true;
        const StridedLayout tail = layout.rowTail();
        const auto reach = tail.extent();
        const ElementIndex perRow = tail.elementCount().value_or(0);
        if (!reach || perRow <= 0 || *count / perRow > indirectRowLimit)
            return;
        m_tail = std::make_shared<const ByteOwnership>(tail);
        m_tailReach = *reach;
        m_rows.reserve(std::size_t(*count / perRow));
        ElementIndex first = 0;
        layout.visitRows([&](const std::vector<Extent>&, std::optional<ByteOffset> offset) {
            if (offset)
                m_rows.emplace_back(*offset, first);
            first += perRow;
            return true;
        });
        std::sort(m_rows.begin(), m_rows.end());
        return;
    }
    const int n = layout.ndim();
    ElementIndex weight = 1;
    std::vector<Axis> axes(n);
    for (int d = n - 1; d >= 0; --d) {
        axes[d].stride = layout.strides()[d];
        axes[d].extent = layout.shape()[d];
        axes[d].weight = weight;
        weight *= layout.shape()[d];
    }
    for (const Axis& a : axes) {
        if (a.extent <= 1)
            continue;
        if (a.stride == 0) {
            m_freeAxes.push_back(a);
            m_multiplicity = std::min(saturated, m_multiplicity * a.extent);
        } else {
            m_axes.push_back(a);
        }
    }
    if (m_axes.size() > 64) { // more than a memoryview allows: no inverse
        m_valid = false;
        return;
    }
    std::stable_sort(m_axes.begin(), m_axes.end(),
                     [](const Axis& a, const Axis& b) { return std::abs(a.stride) > std::abs(b.stride); });
    // The nested test: with negative strides flipped, every stride must exceed the reach of the
    // smaller axes plus an item. Then offsets are a mixed-radix number and the owner is unique.
    m_nested = true;
    m_nestedBase = m_bufOffset;
    ByteOffset smallerReach = m_itemSize;
    for (auto it = m_axes.rbegin(); it != m_axes.rend(); ++it) {
        const ByteOffset s = std::abs(it->stride);
        if (s < smallerReach)
            m_nested = false;
        smallerReach += (it->extent - 1) * s;
        it->reciprocal = 1.0 / double(s);
        if (it->stride < 0) {
            it->flipped = true;
            m_nestedBase += (it->extent - 1) * it->stride;
        }
    }
    ByteOffset divisor = 0;
    for (auto it = m_axes.rbegin(); it != m_axes.rend(); ++it)
        it->gcd = divisor = std::gcd(divisor, std::abs(it->stride));
    ByteOffset low = 0, high = 0;
    for (auto it = m_axes.rbegin(); it != m_axes.rend(); ++it) {
        const ByteOffset reach = (it->extent - 1) * it->stride;
        (reach < 0 ? low : high) += reach;
        it->reachLow = low;
        it->reachHigh = high;
    }
}

template <class F> bool ByteOwnership::search(ByteOffset byte, F&& found, const ElementIndex* below) const
{
    // Element offsets o with o <= byte < o + itemsize, relative to buf: o in [lo, hi].
    const ByteOffset lo = byte - m_bufOffset - m_itemSize + 1;
    const ByteOffset hi = byte - m_bufOffset;
    const int n = int(m_axes.size());
    if (n == 0) {
        if (lo <= 0 && 0 <= hi)
            found(ElementIndex(0));
        return true;
    }
    if (lo > m_axes[0].reachHigh || hi < m_axes[0].reachLow)
        return true;
    // Depth-first over the axes; each level keeps its index range and current index.
    struct Level
    {
        Extent index = 0;
        Extent last = -1;
        ByteOffset partial = 0;
        ElementIndex linear = 0;
    };
    Level levels[64];
    int budget = searchBudget;
    auto enter = [&](int k, ByteOffset partial, ElementIndex linear) {
        const Axis& a = m_axes[k];
        // From here the offsets step by the gcd of the strides left: none may land in [lo, hi]
        // (every odd byte of a layout with even strides), and then no index needs trying.
        if (floorDiv(hi - partial, a.gcd) * a.gcd < lo - partial) {
            levels[k] = {0, -1, partial, linear};
            return;
        }
        const ByteOffset restLow = k + 1 < n ? m_axes[k + 1].reachLow : 0;
        const ByteOffset restHigh = k + 1 < n ? m_axes[k + 1].reachHigh : 0;
        // partial + i*stride + [restLow, restHigh] must meet [lo, hi].
        const ByteOffset a0 = lo - partial - restHigh;
        const ByteOffset b0 = hi - partial - restLow;
        Extent first, last;
        if (a.stride > 0) {
            first = ceilDiv(a0, a.stride);
            last = floorDiv(b0, a.stride);
        } else {
            first = ceilDiv(b0, a.stride);
            last = floorDiv(a0, a.stride);
        }
        levels[k] = {std::max<Extent>(first, 0), std::min<Extent>(last, a.extent - 1), partial, linear};
    };
    enter(0, 0, 0);
    int k = 0;
    while (k >= 0) {
        if (--budget < 0)
            return false;
        Level& level = levels[k];
        // Indices only add to the C-order position: past the bound, the rest of this level is too.
        if (below && level.linear + level.index * m_axes[k].weight >= *below)
            level.index = level.last + 1;
        if (level.index > level.last) {
            --k;
            if (k >= 0)
                ++levels[k].index;
            continue;
        }
        const Axis& a = m_axes[k];
        const ByteOffset partial = level.partial + level.index * a.stride;
        const ElementIndex linear = level.linear + level.index * a.weight;
        if (k + 1 == n) {
            if (partial >= lo && partial <= hi && !found(linear))
                return false;
            ++level.index;
            continue;
        }
        ++k;
        enter(k, partial, linear);
    }
    return true;
}

template <class F> bool ByteOwnership::forRowsAt(ByteOffset byte, F&& f) const
{
    if (!m_tail)
        return true;
    // A row starting at r reaches [r + first, r + end): it holds `byte` when r lies in
    // (byte - end, byte - first].
    auto it = std::lower_bound(m_rows.begin(), m_rows.end(),
                               std::make_pair(byte - m_tailReach.end + 1, ElementIndex(-1)));
    // Rows through one slot (stride 0) all start at one place: a byte is then searched in at most
    // searchBudget of them, and the caller's answer is a lower bound.
    int budget = searchBudget;
    for (; it != m_rows.end() && it->first <= byte - m_tailReach.first; ++it)
        if (--budget < 0 || !f(*it))
            return budget >= 0;
    return true;
}

ByteOwnership::Owners ByteOwnership::searchOwners(ByteOffset byte, ElementIndex countLimit) const
{
    Owners owners;
    if (!m_valid)
        return owners;
    if (m_indirect) {
        owners.atLeast = !forRowsAt(byte, [&](const std::pair<ByteOffset, ElementIndex>& row) {
            const Owners inRow = m_tail->at(byte - row.first, countLimit);
            if (inRow.isGap())
                return true;
            const ElementIndex e = row.second + inRow.first;
            owners.first = owners.count == 0 ? e : std::min(owners.first, e);
            owners.count = std::min(saturated, owners.count + inRow.count);
            owners.atLeast = owners.atLeast || inRow.atLeast;
            return true;
        }) || owners.atLeast;
        return owners;
    }
    const bool complete = search(byte, [&](ElementIndex e) {
        owners.first = owners.count == 0 ? e : std::min(owners.first, e);
        owners.count = std::min(saturated, owners.count + m_multiplicity);
        return owners.count < countLimit;
    });
    if (!complete && owners.count > 0) {
        // The count stopped early, so a lower element may be unseen: search again for elements below
        // the lowest found, pruning every branch that cannot go lower (branch and bound).
        owners.atLeast = true;
        search(
            byte,
            [&](ElementIndex e) {
                owners.first = std::min(owners.first, e);
                return true;
            },
            &owners.first);
    }
    return owners;
}

std::vector<ElementIndex> ByteOwnership::elementsAt(ByteOffset byte, std::size_t limit) const
{
    std::vector<ElementIndex> out;
    if (!m_valid || limit == 0)
        return out;
    if (m_indirect) {
        forRowsAt(byte, [&](const std::pair<ByteOffset, ElementIndex>& row) {
            for (ElementIndex e : m_tail->elementsAt(byte - row.first, limit))
                out.push_back(row.second + e);
            return true;
        });
    } else {
        // The lowest `limit` elements: a max-heap of the lowest seen, whose top bounds the search.
        std::vector<ElementIndex> lowest;
        ElementIndex bound = std::numeric_limits<ElementIndex>::max();
        auto keep = [&](ElementIndex e) {
            if (lowest.size() < limit) {
                lowest.push_back(e);
                std::push_heap(lowest.begin(), lowest.end());
            } else if (e < lowest.front()) {
                std::pop_heap(lowest.begin(), lowest.end());
                lowest.back() = e;
                std::push_heap(lowest.begin(), lowest.end());
            } else {
                return false;
            }
            if (lowest.size() == limit)
                bound = lowest.front();
            return true;
        };
        search(
            byte,
            [&](ElementIndex e) {
                keep(e);
                return true;
            },
            &bound);
        std::vector<ElementIndex> bases = lowest; // elements with every zero-stride index at 0
        std::sort(bases.begin(), bases.end());
        lowest.clear();
        bound = std::numeric_limits<ElementIndex>::max();
        // Every combination of the zero-stride axes reaches the same byte. Expanding the smallest
        // weight first lists a base's combinations in ascending order, so a base stops at the bound.
        for (ElementIndex base : bases) {
            if (lowest.size() == limit && base >= lowest.front())
                break; // the bases ascend: this one and the rest only give higher elements
            std::vector<ElementIndex> expanded{base};
            for (auto f = m_freeAxes.rbegin(); f != m_freeAxes.rend(); ++f) {
                const std::size_t n = expanded.size();
                for (Extent i = 1; i < f->extent && expanded.size() < limit; ++i)
                    for (std::size_t j = 0; j < n && expanded.size() < limit; ++j)
                        expanded.push_back(expanded[j] + i * f->weight);
            }
            for (ElementIndex e : expanded)
                if (!keep(e))
                    break;
        }
        out = std::move(lowest);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

} // namespace stridescope
