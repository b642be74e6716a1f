#include "viewpairoverlap.h"

#include <algorithm>
#include <utility>

namespace stridescope {

namespace {

__int128 floorDiv(__int128 a, __int128 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}
__int128 ceilDiv(__int128 a, __int128 b)
{
    return -floorDiv(-a, b);
}
__int128 gcd128(__int128 a, __int128 b)
{
    while (b != 0)
        a = std::exchange(b, a % b);
    return a;
}

// Beyond this, sums of coefficient x extent could overflow 128 bits: no real memory is that large.
constexpr __int128 kReachCap = __int128(1) << 120;

// One axis of either layout as a term coefficient * x, x in [0, maxIndex]. `mirrored`: the stride
// was negative and x counts from the far end.
struct Term
{
    __int128 coefficient = 0;
    __int128 maxIndex = 0;
    bool ofA = true;
    std::size_t axis = 0;
    bool mirrored = false;
};

class Search
{
public:
    Search(std::vector<Term> terms, __int128 low, __int128 high, std::int64_t workLimit)
        : m_terms(std::move(terms)), m_low(low), m_high(high), m_workLimit(workLimit)
    {
        std::stable_sort(m_terms.begin(), m_terms.end(),
                         [](const Term& x, const Term& y) { return x.coefficient > y.coefficient; });
        const std::size_t n = m_terms.size();
        m_reachAfter.assign(n + 1, 0);
        m_gcdAfter.assign(n + 1, 0);
        for (std::size_t k = n; k-- > 0;) {
            m_reachAfter[k] = m_reachAfter[k + 1] + m_terms[k].coefficient * m_terms[k].maxIndex;
            m_gcdAfter[k] = gcd128(m_gcdAfter[k + 1], m_terms[k].coefficient);
        }
        m_values.assign(n, 0);
    }

    // true: found; false with exhausted(): gave up; false otherwise: no solution.
    bool run() { return visit(0, 0); }
    bool exhausted() const { return m_exhausted; }
    std::int64_t work() const { return m_work; }
    const std::vector<Term>& terms() const { return m_terms; }
    const std::vector<__int128>& values() const { return m_values; }

private:
    // Can the terms from `level` on sum to a value in [low - partial, high - partial]?
    bool feasible(std::size_t level, __int128 partial) const
    {
        const __int128 lo = std::max<__int128>(m_low - partial, 0);
        const __int128 hi = std::min(m_high - partial, m_reachAfter[level]);
        if (lo > hi)
            return false;
        const __int128 g = m_gcdAfter[level];
        if (g == 0)
            return lo == 0; // no terms left: the sum is 0
        return ceilDiv(lo, g) <= floorDiv(hi, g);
    }

    bool visit(std::size_t level, __int128 partial)
    {
        if (++m_work > m_workLimit) {
            m_exhausted = true;
            return false;
        }
        if (!feasible(level, partial))
            return false;
        if (level == m_terms.size())
            return true;
        const Term& t = m_terms[level];
        // x * c must leave a remainder the later terms can cover: [low - partial - reachAfter, high -
        // partial].
        const __int128 lo =
            std::max<__int128>(ceilDiv(m_low - partial - m_reachAfter[level + 1], t.coefficient), 0);
        const __int128 hi = std::min(floorDiv(m_high - partial, t.coefficient), t.maxIndex);
        for (__int128 x = lo; x <= hi; ++x) {
            m_values[level] = x;
            if (visit(level + 1, partial + x * t.coefficient))
                return true;
            if (m_exhausted)
                return false;
        }
        return false;
    }

    std::vector<Term> m_terms;
    __int128 m_low;
    __int128 m_high;
    std::vector<__int128> m_reachAfter;
    std::vector<__int128> m_gcdAfter;
    std::vector<__int128> m_values;
    std::int64_t m_work = 0;
    std::int64_t m_workLimit;
    bool m_exhausted = false;
};

} // namespace

const char* ViewPairOverlap::verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Disjoint:
        return "disjoint";
    case Verdict::Shared:
        return "shared";
    case Verdict::Undecided:
        return "undecided";
    }
    return "undecided";
}

ViewPairOverlap::Result ViewPairOverlap::decide(const StridedLayout& a, const StridedLayout& b,
                                                std::int64_t workLimit)
{
    Result result;
    const auto rangeA = a.extent();
    const auto rangeB = b.extent();
    if (!rangeA || !rangeB)
        return result; // an empty layout reaches no byte
    result.rangesMeet = rangeA->first < rangeB->end && rangeB->first < rangeA->end;
    if (!result.rangesMeet)
        return result;
    if (a.isIndirect() || b.isIndirect()) {
        result.verdict = Verdict::Undecided;
        result.reason = "a layout with suboffsets: only the byte ranges are compared";
        return result;
    }

    // bufA - bufB + sum terms in [-(itemsizeA - 1), itemsizeB - 1]; the constant moves to the bounds.
    __int128 constant = __int128(a.bufOffset()) - b.bufOffset();
    std::vector<Term> terms;
    __int128 reach = 0;
    auto addAxes = [&](const StridedLayout& layout, bool ofA) {
        for (std::size_t d = 0; d < layout.shape().size(); ++d) {
            const __int128 n = layout.shape()[d];
            __int128 c = ofA ? __int128(layout.strides()[d]) : -__int128(layout.strides()[d]);
            if (n <= 1 || c == 0)
                continue;
            Term t{c, n - 1, ofA, d, false};
            if (c < 0) { // c*x = c*(n-1) + |c|*(n-1-x)
                constant += c * (n - 1);
                t.coefficient = -c;
                t.mirrored = true;
            }
            reach += t.coefficient * t.maxIndex;
            if (reach > kReachCap)
                return false;
            terms.push_back(t);
        }
        return true;
    };
    if (!addAxes(a, true) || !addAxes(b, false)) {
        result.verdict = Verdict::Undecided;
        result.reason = "the layouts reach more than 2^120 bytes";
        return result;
    }
    Search search(std::move(terms), -(__int128(a.itemSize()) - 1) - constant,
                  __int128(b.itemSize()) - 1 - constant, workLimit);
    const bool found = search.run();
    result.work = search.work();
    if (search.exhausted()) {
        result.verdict = Verdict::Undecided;
        result.reason =
            "gave up after " + std::to_string(workLimit) + " search steps (as np.shares_memory's max_work)";
        return result;
    }
    if (!found)
        return result;
    result.verdict = Verdict::Shared;
    result.indexA.assign(a.shape().size(), 0);
    result.indexB.assign(b.shape().size(), 0);
    for (std::size_t k = 0; k < search.terms().size(); ++k) {
        const Term& t = search.terms()[k];
        const __int128 x = t.mirrored ? t.maxIndex - search.values()[k] : search.values()[k];
        (t.ofA ? result.indexA : result.indexB)[t.axis] = Extent(x);
    }
    return result;
}

} // namespace stridescope
