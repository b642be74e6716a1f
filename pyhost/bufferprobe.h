#pragma once

#include "buffersource.h"
#include "inspectionreport.h"
#include "probeoptions.h"

namespace stridescope {

// Makes the real PyMemoryView_GetContiguous call on a built source and compares it with the core
// prediction. Reads the source's Py_buffer, asks core what should happen, calls CPython, copies out
// what the result holds, and lists every disagreement. Runs on the Python thread, GIL held.
class BufferProbe
{
public:
    static InspectionReport inspect(const BuiltSource& source, const ConversionRequest& request,
                                    const ProbeOptions& options = {});
};

} // namespace stridescope
