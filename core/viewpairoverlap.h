#pragma once

#include "stridedlayout.h"

#include <string>
#include <vector>

namespace stridescope {

// Whether two direct strided layouts over the same memory block share a byte, decided exactly
// (np.shares_memory), and whether their byte ranges meet at all (np.may_share_memory). Both offsets
// are relative to the same block. The exact question is a bounded knapsack:
//   bufA - bufB + sum x_i sA_i - sum y_j sB_j  in  [-(itemsizeA - 1), itemsizeB - 1],
// 0 <= x_i < shapeA_i, 0 <= y_j < shapeB_j. Negative coefficients are mirrored (x -> n-1-x) so all
// are positive; a depth-first search from the largest coefficient prunes every branch whose remaining
// axes cannot reach the target range, or whose target holds no multiple of their gcd (interleaved
// views like a[::2] and a[1::2] are disjoint at the first node). The search is exhaustive, so
// Disjoint and Shared are exact; `workLimit` bounds the nodes visited and Undecided says why.
class ViewPairOverlap
{
public:
    enum class Verdict
    {
        Disjoint,
        Shared,
        Undecided
    };

    struct Result
    {
        Verdict verdict = Verdict::Disjoint;
        // np.may_share_memory: the [lowest, highest + itemsize) byte ranges of the two intersect
        // (false when either has no elements).
        bool rangesMeet = false;
        // For Shared: an element of each that share a byte (multi-indices into a and b).
        std::vector<Extent> indexA;
        std::vector<Extent> indexB;
        // For Undecided: why (work limit reached, a layout with suboffsets).
        std::string reason;
        std::int64_t work = 0; // search nodes visited
    };

    static constexpr std::int64_t defaultWorkLimit = 5'000'000;
    static Result decide(const StridedLayout& a, const StridedLayout& b,
                         std::int64_t workLimit = defaultWorkLimit);
    static const char* verdictName(Verdict verdict);
};

} // namespace stridescope
