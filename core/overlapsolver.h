#pragma once

#include "units.h"

#include <optional>
#include <vector>

namespace stridescope {

// Decides exactly whether two distinct elements of a direct strided layout share a byte, without
// visiting pairs of elements: it searches for a non-zero index difference d (|d_i| < shape_i) with
// |sum d_i * stride_i| < itemsize, axis by axis from the largest stride, pruning every branch whose
// remaining axes cannot bring the sum back below itemsize (the bounded problem numpy's
// mem_overlap.c solves). The search is exact; `workLimit` bounds the branches visited.
class OverlapSolver
{
public:
    OverlapSolver(ByteCount itemSize, std::vector<Extent> shape, std::vector<ByteOffset> strides);

    enum class Answer
    {
        Disjoint,
        Overlap,
        TooHard
    };
    Answer solve(std::int64_t workLimit = 5'000'000);
    // For Answer::Overlap: the index difference found (one entry per axis, at least one non-zero).
    const std::vector<Extent>& difference() const { return m_difference; }

private:
    bool search(std::size_t level, __int128 partial, bool anyNonZero);

    ByteCount m_itemSize;
    std::vector<Extent> m_shape;
    std::vector<ByteOffset> m_strides;
    std::vector<std::size_t> m_order;   // axes by decreasing |stride|
    std::vector<__int128> m_reachAfter; // sum of (n_j - 1)|s_j| over the axes after each level
    std::vector<Extent> m_current;
    std::vector<Extent> m_difference;
    std::int64_t m_work = 0;
    std::int64_t m_workLimit = 0;
    bool m_exhausted = false;
};

} // namespace stridescope
