#pragma once

#include "pyhost/inspectionreport.h"

#include <QString>

#include <memory>

namespace stridescope {

// The report the pictures draw when one request of the matrix is chosen: the inspection's report,
// with the source replaced by the view that request returned, over the same memory and bytes. A
// view without shape (PyBUF_SIMPLE, PyBUF_WRITABLE, PyBUF_FORMAT) is drawn as the consumer must
// read it, `len` unsigned bytes from buf; one without strides in C order. The call's result stays
// as it was: it is the call's, not the request's. Built from copied fields only, no Python.
class RequestViewReport
{
public:
    // nullptr, with `whyNot` set, when there is no view to draw: the request raised, a field could
    // not be read, or its suboffsets are not the PyBUF_FULL_RO view's (the only pointers the probe
    // followed).
    static std::shared_ptr<const InspectionReport> make(const std::shared_ptr<const InspectionReport>& report,
                                                        std::size_t request, QString* whyNot);
};

} // namespace stridescope
