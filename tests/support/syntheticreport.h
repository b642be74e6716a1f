#pragma once

#include "pyhost/inspectionreport.h"

#include <memory>
#include <string>
#include <vector>

namespace stridescope {

// An InspectionReport made from core alone, as the probe would fill it for a Stridescope
// StridedBuffer, without an interpreter: the layout, a memory snapshot filled like the "index" or
// "bytes" fill, the prediction, and a result that mirrors it. For tests, benchmarks and pictures
// that must not depend on Python.
class SyntheticReport
{
public:
    struct Spec
    {
        std::string format = "B";
        std::vector<Extent> shape;
        std::vector<ByteOffset> strides; // empty: C strides (indirect: a nonzero strides[0] becomes 8)
        ByteOffset offset = -1;          // -1: the smallest that keeps every element inside
        ByteCount memory = -1;           // -1: the smallest block that holds every element
        bool readonly = false;
        bool indirect = false; // PIL style: axis 0 through a table of pointers
        bool byteFill = false; // byte k holds k mod 256 (else element k holds k)
        // False: the report holds no bytes, as `render` takes a block too large for its picture to
        // write out (ProbeOptions::drawableBytes); a 268 M-element report then needs no 268 MB.
        // PIL-style layouts keep their block (the pointer table is drawn from it).
        bool bytes = true;
        ConversionRequest request;
    };

    // The spec's defaults and checks are the exporter's (StridedBufferStorage::resolve): a spec it
    // refuses throws its SourceError.
    static std::shared_ptr<InspectionReport> make(const Spec& spec);
};

} // namespace stridescope
