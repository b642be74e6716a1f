#pragma once

#include "pyhost/comparisonreport.h"

#include <QString>

namespace stridescope {

// The words of a comparison's findings, one sentence per fact: `inspect` prints them under "Shares
// memory" and the side-by-side picture writes them above the memory both objects point into.
class ComparisonSummary
{
public:
    // "YES (np.shares_memory True): element (0,) of 'a' and element (0,) of 'b' share bytes", NO ...,
    // UNDECIDED: why; or "not compared: why".
    static QString verdict(const ComparisonReport& comparison);
    // "meet (np.may_share_memory True)" or "apart (np.may_share_memory False)".
    static QString ranges(const ComparisonReport& comparison);
    // "6 reached by both, 6 only by 'a', 0 only by 'b'", or why they were not counted.
    static QString bytes(const ComparisonReport& comparison);
    // "both point into the same block" or where the second's block lies.
    static QString memory(const ComparisonReport& comparison);
};

} // namespace stridescope
