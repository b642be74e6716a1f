#pragma once

#include "core/units.h"

#include <cstddef>

namespace stridescope {

// How much a probe copies out of Python for the report.
struct ProbeOptions
{
    ByteCount snapshotLimit = ByteCount(64) << 20; // bytes of each memory block copied for the views
    // The most bytes (or elements) a picture can draw with their values written; -1: no such bound
    // (the window, which zooms in anywhere). A block or copy larger than this is drawn zoomed out,
    // no byte value written, so none of it is copied, except the bytes of its elements when there are
    // at most this many (the logical view may write their values). `render` sets it.
    ByteCount drawableBytes = -1;
    ElementIndex tolistLimit = 65536; // result.tolist() only up to this many elements
    // A copy the prediction says would be larger is refused before the call (SourceError); -1: no
    // limit. Inspector sets it to the allocation limit (--max-memory).
    ByteCount copyLimit = -1;
    // Ask the source for every standard buffer request and check each answer against the buffer
    // protocol's rules (RequestMatrix, ConformanceCheck): `stridescope requests`. Off for `inspect`.
    bool requestMatrix = false;
    // Make the PyMemoryView_GetContiguous call (and the copy it may make). `stridescope requests` needs
    // only the matrix: it turns this off, so a copy that would be refused cannot cost it the matrix.
    bool conversionCall = true;
};

} // namespace stridescope
