#pragma once

#include "../core/units.h"

#include <cstddef>

namespace stridescope {

// How much a probe copies out of Python for the report.
struct ProbeOptions
{
    ByteCount snapshotLimit = ByteCount(64) << 20; // bytes of each memory block copied for the views
    ElementIndex tolistLimit = 65536;              // result.tolist() only up to this many elements
    ElementIndex verifyLimit = ElementIndex(1) << 26; // elements of a copy checked byte by byte
};

} // namespace stridescope
