#include "overlapsolver.h"

#include <algorithm>
#include <numeric>

namespace stridescope {

namespace {
__int128 abs128(__int128 v)
{
    return v < 0 ? -v : v;
}
} // namespace

OverlapSolver::OverlapSolver(ByteCount itemSize, std::vector<Extent> shape, std::vector<ByteOffset> strides)
    : m_itemSize(itemSize), m_shape(std::move(shape)), m_strides(std::move(strides))
{
}

OverlapSolver::Answer OverlapSolver::solve(std::int64_t workLimit)
{
    const std::size_t n = m_shape.size();
    m_difference.assign(n, 0);
    m_current.assign(n, 0);
    if (m_itemSize <= 0)
        return Answer::Disjoint;
    for (Extent e : m_shape)
        if (e == 0)
            return Answer::Disjoint;
    // A zero stride on an axis of extent > 1 repeats an element: the cheapest witness.
    for (std::size_t i = 0; i < n; ++i) {
        if (m_shape[i] > 1 && m_strides[i] == 0) {
            m_difference[i] = 1;
            return Answer::Overlap;
        }
    }
    m_order.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (m_shape[i] > 1)
            m_order.push_back(i);
    std::stable_sort(m_order.begin(), m_order.end(), [&](std::size_t a, std::size_t b) {
        return abs128(m_strides[a]) > abs128(m_strides[b]);
    });
    m_reachAfter.assign(m_order.size() + 1, 0);
    for (std::size_t k = m_order.size(); k-- > 0;) {
        std::size_t axis = m_order[k];
        m_reachAfter[k] = m_reachAfter[k + 1] + __int128(m_shape[axis] - 1) * abs128(m_strides[axis]);
    }
    m_work = 0;
    m_workLimit = workLimit;
    m_exhausted = false;
    if (search(0, 0, false))
        return Answer::Overlap;
    return m_exhausted ? Answer::TooHard : Answer::Disjoint;
}

// Chooses d for the axis at `level` so that |partial + d*s| can still be brought under itemsize
// by the axes after it. By symmetry (d and -d) the first non-zero choice is taken positive.
bool OverlapSolver::search(std::size_t level, __int128 partial, bool anyNonZero)
{
    if (++m_work > m_workLimit) {
        m_exhausted = true;
        return false;
    }
    if (level == m_order.size()) {
        if (anyNonZero && abs128(partial) < m_itemSize) {
            m_difference = m_current;
            return true;
        }
        return false;
    }
    const std::size_t axis = m_order[level];
    const __int128 s = abs128(m_strides[axis]);
    const __int128 slack = m_reachAfter[level + 1] + m_itemSize - 1; // |partial + d*s| <= slack needed
    const __int128 maxD = m_shape[axis] - 1;
    // d in [ceil((-slack - partial)/s), floor((slack - partial)/s)]
    auto floorDiv = [](__int128 a, __int128 b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
    __int128 lo = -floorDiv(slack + partial, s);
    __int128 hi = floorDiv(slack - partial, s);
    lo = std::max(lo, anyNonZero ? -maxD : __int128(0));
    hi = std::min(hi, maxD);
    // Try values nearest to cancelling `partial` first: overlaps are found sooner.
    __int128 centre = partial >= 0 ? -floorDiv(partial, s) : floorDiv(-partial, s);
    centre = std::clamp(centre, lo, hi);
    for (__int128 step = 0;; ++step) {
        bool tried = false;
        for (__int128 d : {centre + step, centre - step - 1}) {
            if (d < lo || d > hi)
                continue;
            tried = true;
            // Flipping an axis mirrors its index range, so the search runs on |stride|; the witness
            // is flipped back for negative strides.
            m_current[axis] = Extent(m_strides[axis] < 0 ? -d : d);
            if (search(level + 1, partial + d * s, anyNonZero || d != 0))
                return true;
            if (m_exhausted)
                return false;
        }
        if (!tried && centre + step > hi && centre - step - 1 < lo)
            break;
    }
    m_current[axis] = 0;
    return false;
}

} // namespace stridescope
