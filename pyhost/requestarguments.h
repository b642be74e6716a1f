#pragma once

#include "core/conversionrequest.h"

#include <pybind11/pybind11.h>

namespace stridescope {

// The `buffertype` and `order` arguments of the Python functions that inspect an object
// (stridescope.inspect, save, the console's show): "read"/"write" and "C"/"F"/"A". None keeps the
// default's. TypeError for a non-str, ValueError naming the allowed values otherwise. GIL held.
ConversionRequest requestArguments(pybind11::handle buffertype, pybind11::handle order,
                                   const ConversionRequest& defaults = {});

} // namespace stridescope
