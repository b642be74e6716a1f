#include "nestedcoverage.h"

#include <algorithm>
#include <cstdlib>

namespace stridescope {

NestedCoverage::NestedCoverage(const StridedLayout& layout) : m_itemSize(layout.itemSize())
{
    const auto count = layout.elementCount();
    if (layout.isIndirect() || !count || *count == 0 || m_itemSize <= 0)
        return;
    const int n = layout.ndim();
    ElementIndex weight = 1;
    m_base = layout.bufOffset();
    for (int d = n - 1; d >= 0; --d) {
        const Extent extent = layout.shape()[std::size_t(d)];
        const ByteOffset stride = layout.strides()[std::size_t(d)];
        if (extent > 1 && stride == 0)
            m_repeated = true;
        else if (extent > 1) {
            Axis a;
            a.step = std::abs(stride);
            a.extent = extent;
            a.weight = weight;
            a.flipped = stride < 0;
            if (a.flipped)
                m_base += (extent - 1) * stride;
            m_axes.push_back(a);
        }
        weight *= extent;
    }
    std::stable_sort(m_axes.begin(), m_axes.end(), [](const Axis& a, const Axis& b) { return a.step > b.step; });
    // Nested: each step spans the reach of the smaller axes plus an item (ByteOwnership's test).
    ByteOffset reach = m_itemSize;
    ElementIndex inner = 1;
    __int128 innerSum = 0;
    ByteOffset far = 0;
    ElementIndex farElement = 0;
    for (auto it = m_axes.rbegin(); it != m_axes.rend(); ++it) {
        if (it->step < reach)
            return;
        it->inner = inner;
        it->reciprocal = 1.0 / double(it->step);
        it->innerSum = innerSum;
        // Under this axis: extent times the later axes' elements, each digit adding its contribution
        // to every one of them.
        innerSum = innerSum * it->extent + __int128(inner) * digitSum(*it, it->extent);
        inner *= it->extent;
        far += (it->extent - 1) * it->step;
        farElement += elementOf(*it, it->extent - 1);
        it->far = far;
        it->farElement = farElement;
        reach += (it->extent - 1) * it->step;
    }
    // Every sum below() forms is at most (elements) x (largest element + 1) x (item size): in 64 bits
    // when that fits with room to spare (16.7 M elements: 2^48), else in 128.
    const __int128 bound = __int128(inner) * (__int128(weight) + 1) * m_itemSize;
    m_narrow = bound < (__int128(1) << 61);
    m_valid = true;
}

__int128 NestedCoverage::digitSum(const Axis& a, Extent q)
{
    const __int128 triangle = __int128(q) * (q - 1) / 2;
    return __int128(a.weight) * (a.flipped ? __int128(q) * (a.extent - 1) - triangle : triangle);
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
    std::int64_t count = 0;
    Sum sum = 0;
    ElementIndex element = 0; // the contributions of the digits fixed so far
    ByteOffset lastRest = -1; // y minus the offset of the last element counted
    ElementIndex lastElement = 0;
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
            const Sum triangle = Sum(t) * (t - 1) / 2;
            const Sum digits = Sum(a.weight) * (a.flipped ? Sum(t) * (a.extent - 1) - triangle : triangle);
            sum += Sum(t) * a.inner * element + Sum(a.inner) * digits + Sum(t) * Sum(a.innerSum);
        }
        if (q >= a.extent) { // the whole subtree lies below y: its last element is the last one
            lastRest = rest - a.far;
            lastElement = element + a.farElement;
            whole = true;
            break;
        }
        element += elementOf(a, q);
        rest -= q * a.step;
    }
    if (!whole) {
        count += 1; // the element on y's digits: its offset is y - rest <= y
        sum += element;
        lastRest = rest;
        lastElement = element;
    }
    // The last element's bytes at or past `position` are not below it.
    const std::int64_t overhang = lastRest < m_itemSize ? m_itemSize - 1 - lastRest : 0;
    p.bytes = count * m_itemSize - overhang;
    p.elementSum = __int128(sum * m_itemSize - Sum(overhang) * lastElement);
    return p;
}

} // namespace stridescope
