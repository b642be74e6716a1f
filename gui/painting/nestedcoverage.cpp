#include "nestedcoverage.h"

#include <algorithm>
#include <cstdlib>

namespace stridescope {

NestedCoverage::NestedCoverage(const StridedLayout& layout) : m_itemSize(layout.itemSize())
{
    const auto count = layout.elementCount();
    if (layout.isIndirect() || !count || *count == 0 || m_itemSize <= 0)
        return;
    addVirtualAxes(movingAxes(layout));
    mergeHops();
    const std::optional<ElementIndex> digits = nestAxes();
    if (!digits)
        return;
    // Every sum below() forms is at most (digits) x (largest element + 1) x (item size): in 64 bits
    // when that fits with room to spare (16.7 M elements: 2^48), else in 128.
    const __int128 bound = __int128(*digits) * (__int128(*count) + 1) * m_itemSize;
    m_narrow = bound < (__int128(1) << 61);
    m_valid = true;
}

std::vector<NestedCoverage::MovingAxis> NestedCoverage::movingAxes(const StridedLayout& layout)
{
    std::vector<MovingAxis> moving;
    ElementIndex weight = 1;
    m_base = layout.bufOffset();
    for (int d = layout.ndim() - 1; d >= 0; --d) {
        const Extent extent = layout.shape()[std::size_t(d)];
        const ByteOffset stride = layout.strides()[std::size_t(d)];
        if (extent > 1 && stride == 0) {
            m_repeated = true;
        } else if (extent > 1) {
            const bool flipped = stride < 0;
            if (flipped)
                m_base += (extent - 1) * stride;
            moving.push_back(
                {std::abs(stride), extent, flipped ? (extent - 1) * weight : 0, flipped ? -weight : weight});
        }
        weight *= extent;
    }
    std::stable_sort(moving.begin(), moving.end(),
                     [](const MovingAxis& a, const MovingAxis& b) { return a.step > b.step; });
    return moving;
}

void NestedCoverage::addVirtualAxes(const std::vector<MovingAxis>& moving)
{
    for (std::size_t i = 0; i < moving.size();) {
        std::size_t j = i;
        while (j < moving.size() && moving[j].step == moving[i].step)
            ++j;
        addVirtualAxis({moving.begin() + std::ptrdiff_t(i), moving.begin() + std::ptrdiff_t(j)});
        i = j;
    }
}

void NestedCoverage::addVirtualAxis(std::vector<MovingAxis> group)
{
    // Axes of one step make one virtual axis: its digit is the sum of theirs. The lowest element on a
    // digit fills the axes cheapest slope first (a greedy fill is optimal for a sum of linear costs
    // under a total), one piece of digits per axis.
    std::stable_sort(group.begin(), group.end(),
                     [](const MovingAxis& a, const MovingAxis& b) { return a.slope < b.slope; });
    Axis a;
    a.step = group.front().step;
    a.pieceFirst = int(m_pieces.size());
    a.pieceCount = int(group.size());
    a.window = group.size() > 1;
    ElementIndex value = 0;
    for (const MovingAxis& m : group)
        value += m.first;
    Extent start = 0;
    for (std::size_t k = 0; k < group.size(); ++k) {
        const MovingAxis& m = group[k];
        // The last piece also holds the last digit.
        m_pieces.push_back({start, m.extent - 1 + (k + 1 == group.size() ? 1 : 0), value, m.slope});
        value += m.slope * (m.extent - 1);
        start += m.extent - 1;
    }
    a.extent = start + 1;
    m_windows = m_windows || a.window;
    m_axes.push_back(a);
}

void NestedCoverage::mergeHops()
{
    // Hops: a single axis of step t * s right above a single axis of step s, with t below the
    // window's extent (so windows overlap and every digit is reached).
    for (std::size_t k = 0; k + 1 < m_axes.size(); ++k) {
        const Axis& outer = m_axes[k];
        const Axis& inner = m_axes[k + 1];
        if (outer.window || inner.window || outer.hop || inner.hop || outer.step % inner.step != 0)
            continue;
        if (outer.step / inner.step >= inner.extent)
            continue; // apart, or touching: nested as they are
        m_windows = true;
        m_axes[k] = hopAxis(outer, inner);
        m_axes.erase(m_axes.begin() + std::ptrdiff_t(k + 1));
    }
}

NestedCoverage::Axis NestedCoverage::hopAxis(const Axis& outer, const Axis& inner) const
{
    const Extent t = outer.step / inner.step;
    const Piece& po = m_pieces[std::size_t(outer.pieceFirst)];
    const Piece& pi = m_pieces[std::size_t(inner.pieceFirst)];
    Axis a;
    a.step = inner.step;
    a.hop = true;
    a.window = true;
    a.hopT = t;
    a.hopN = outer.extent;
    a.hopW = inner.extent;
    a.hopFirst = po.value + pi.value;
    a.hopSlope = pi.slope;
    a.hopD = po.slope - t * pi.slope;
    a.extent = t * (outer.extent - 1) + inner.extent;
    a.pieceFirst = outer.pieceFirst;
    a.pieceCount = 1;
    return a;
}

std::optional<ElementIndex> NestedCoverage::nestAxes()
{
    // Nested: each step spans the reach of the smaller axes plus an item (ByteOwnership's test, on the
    // virtual axes).
    ByteOffset reach = m_itemSize;
    ElementIndex inner = 1, innerUnshared = 1;
    __int128 innerSum = 0;
    ByteOffset far = 0;
    ElementIndex farElement = 0;
    for (auto it = m_axes.rbegin(); it != m_axes.rend(); ++it) {
        if (it->step < reach)
            return std::nullopt;
        it->inner = inner;
        it->innerUnshared = innerUnshared;
        it->reciprocal = 1.0 / double(it->step);
        it->innerSum = innerSum;
        // Under this axis: extent times the later axes' elements, each digit adding its contribution
        // to every one of them.
        innerSum = innerSum * it->extent + __int128(inner) * digitSum<__int128>(*it, it->extent);
        inner *= it->extent;
        innerUnshared *= unsharedDigits(*it, it->extent);
        far += (it->extent - 1) * it->step;
        farElement += elementOf(*it, it->extent - 1);
        it->far = far;
        it->farElement = farElement;
        reach += (it->extent - 1) * it->step;
    }
    return inner;
}

namespace {

// Sum of floor(m / t) for m in [0, x].
__int128 floorSum(Extent x, Extent t)
{
    if (x < 0)
        return 0;
    const __int128 a = x / t, b = x % t;
    return __int128(t) * a * (a - 1) / 2 + a * (b + 1);
}

} // namespace

Extent NestedCoverage::firstWindow(const Axis& a, Extent k)
{
    const Extent m = k - a.hopW + 1; // ceil(m / t) for m > 0
    return m > 0 ? (m + a.hopT - 1) / a.hopT : 0;
}

Extent NestedCoverage::lastWindow(const Axis& a, Extent k)
{
    return std::min(a.hopN - 1, k / a.hopT);
}

__int128 NestedCoverage::firstWindowSum(const Axis& a, Extent q)
{
    // Sum of ceil(m / t) for m in [1, q - w]: each is floor((m - 1) / t) + 1.
    const Extent m = q - a.hopW;
    return m > 0 ? m + floorSum(m - 1, a.hopT) : 0;
}

__int128 NestedCoverage::lastWindowSum(const Axis& a, Extent q)
{
    const Extent capped = a.hopT * a.hopN; // from here on, the last window is the last one
    if (q <= capped)
        return floorSum(q - 1, a.hopT);
    return floorSum(capped - 1, a.hopT) + __int128(q - capped) * (a.hopN - 1);
}

bool NestedCoverage::oneOwner(const Axis& a, Extent k)
{
    if (!a.window)
        return true;
    if (!a.hop)
        return k == 0 || k == a.extent - 1;
    return firstWindow(a, k) == lastWindow(a, k);
}

Extent NestedCoverage::unsharedDigits(const Axis& a, Extent q)
{
    if (!a.window)
        return q;
    if (!a.hop)
        return Extent(q > 0) + Extent(q >= a.extent);
    // The first t digits and the last t lie in one window each; between them (every window holding
    // a digit is neither the first nor the last) digit k = t*x + r lies in 1 + floor((w - 1 - r) / t)
    // windows: one when r >= w - t.
    const Extent t = a.hopT, w = a.hopW;
    Extent count = std::min(q, t) + std::max<Extent>(0, q - (a.extent - t));
    const Extent c = w - t;
    auto residues = [&](Extent x) { return c >= t ? 0 : x / t * (t - c) + std::max<Extent>(0, x % t - c); };
    const Extent middleEnd = std::min(q, t * (a.hopN - 1));
    if (middleEnd > w)
        count += residues(middleEnd) - residues(w);
    return count;
}

ElementIndex NestedCoverage::elementOf(const Axis& a, Extent t) const
{
    if (a.hop)
        return a.hopFirst + a.hopSlope * t + a.hopD * (a.hopD > 0 ? firstWindow(a, t) : lastWindow(a, t));
    const Piece* p = &m_pieces[std::size_t(a.pieceFirst)];
    for (const Piece* last = p + a.pieceCount - 1; p < last && t >= p->start + p->length;)
        ++p;
    return p->value + p->slope * (t - p->start);
}

template <class Sum> Sum NestedCoverage::digitSum(const Axis& a, Extent q) const
{
    if (a.hop) {
        const __int128 windows = a.hopD > 0 ? firstWindowSum(a, q) : lastWindowSum(a, q);
        return Sum(__int128(q) * a.hopFirst + __int128(a.hopSlope) * (__int128(q) * (q - 1) / 2) +
                   __int128(a.hopD) * windows);
    }
    Sum sum = 0;
    const Piece* p = &m_pieces[std::size_t(a.pieceFirst)];
    for (const Piece* end = p + a.pieceCount; p < end && p->start < q; ++p) {
        const Extent length = std::min(q, p->start + p->length) - p->start;
        sum += Sum(length) * p->value + Sum(p->slope) * (Sum(length) * (length - 1) / 2);
    }
    return sum;
}

NestedCoverage::Prefix NestedCoverage::below(ByteOffset position) const
{
    if (!m_valid)
        return {};
    return m_narrow ? belowIn<std::int64_t>(position) : belowIn<__int128>(position);
}

template <class Sum> NestedCoverage::Prefix NestedCoverage::belowIn(ByteOffset position) const
{
    Prefix p;
    // Elements whose offset is at most the last byte y = position - 1, digit by digit: every digit
    // below y's on an axis counts its whole subtree; then on into y's digit. The element found last
    // is the one with the largest offset <= y; it may reach past y (overhang).
    ByteOffset rest = position - 1 - m_base;
    if (rest < 0)
        return p;
    std::int64_t count = 0, unshared = 0;
    Sum sum = 0;
    ElementIndex element = 0; // the contributions of the digits fixed so far
    ByteOffset lastRest = -1; // y minus the offset of the last element counted
    ElementIndex lastElement = 0;
    bool single = true;      // the digits fixed so far have one owner each
    bool lastSingle = false; // so has the last element counted
    bool whole = false;
    for (const Axis& a : m_axes) {
        // rest / step by a multiply, corrected by one step where rounding missed.
        ByteOffset q = ByteOffset(double(rest) * a.reciprocal);
        if (q * a.step > rest)
            --q;
        else if ((q + 1) * a.step <= rest)
            ++q;
        const Extent t = std::min<ByteOffset>(q, a.extent);
        if (t > 0) {
            count += t * a.inner;
            if (single)
                unshared += unsharedDigits(a, t) * a.innerUnshared;
            sum += Sum(t) * a.inner * element + Sum(a.inner) * digitSum<Sum>(a, t) + Sum(t) * Sum(a.innerSum);
        }
        if (q >= a.extent) { // the whole subtree lies below y: its last element is the last one
            lastRest = rest - a.far;
            lastElement = element + a.farElement;
            lastSingle = single;
            whole = true;
            break;
        }
        element += elementOf(a, q);
        single = single && oneOwner(a, q);
        rest -= q * a.step;
    }
    if (!whole) {
        count += 1; // the element on y's digits: its offset is y - rest <= y
        unshared += single;
        sum += element;
        lastRest = rest;
        lastElement = element;
        lastSingle = single;
    }
    // The last element's bytes at or past `position` are not below it.
    const std::int64_t overhang = lastRest < m_itemSize ? m_itemSize - 1 - lastRest : 0;
    p.bytes = count * m_itemSize - overhang;
    p.elementSum = __int128(sum * m_itemSize - Sum(overhang) * lastElement);
    p.unshared = m_repeated ? 0 : unshared * m_itemSize - (lastSingle ? overhang : 0);
    return p;
}

} // namespace stridescope
