#pragma once

#include "core/units.h"
#include "core/viewpairoverlap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

struct InspectionReport;

// A comparison scenario's findings beside the first object's report: the second object's own
// inspection, and what the two FULL_RO views share, in the first object's memory coordinates.
struct ComparisonReport
{
    std::string firstName;
    std::string secondName;
    std::shared_ptr<const InspectionReport> second;

    // Set when both views' memory is known, so their bytes can be compared by address; otherwise
    // `notCompared` says why and nothing below is meaningful.
    std::string notCompared;
    bool sameBlock = false;     // both point into the same memory block
    ByteOffset secondShift = 0; // add to the second layout's offsets: first's block coordinates
    ViewPairOverlap::Verdict verdict = ViewPairOverlap::Verdict::Disjoint; // np.shares_memory
    bool rangesMeet = false;                                               // np.may_share_memory
    std::vector<Extent> firstIndex; // Shared: an element of each that share a byte
    std::vector<Extent> secondIndex;
    std::string undecided; // Undecided: why
    // Bytes both reach, only the first, only the second (PairByteReach); nullopt past its limit,
    // with the reason in `notCounted`.
    std::optional<ByteCount> bothBytes;
    std::optional<ByteCount> onlyFirstBytes;
    std::optional<ByteCount> onlySecondBytes;
    std::string notCounted;
};

} // namespace stridescope
