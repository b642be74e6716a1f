#pragma once

#include "../core/units.h"

#include <cstddef>

namespace stridescope {

// How much a probe copies out of Python for the report.
struct ProbeOptions
{
    ByteCount snapshotLimit = ByteCount(64) << 20; // bytes of each memory block copied for the views
    ElementIndex tolistLimit = 65536;              // result.tolist() only up to this many elements
    // A copy the prediction says would be larger is refused before the call (SourceError); -1: no
    // limit. Inspector sets it to the allocation limit (--max-memory).
    ByteCount copyLimit = -1;
};

} // namespace stridescope
