#pragma once

#include "inspector.h"

#include <pybind11/pybind11.h>

namespace stridescope {

// The inspection of an object that already exists in the running interpreter: the `stridescope`
// extension module inspects its caller's objects. Inspector's probe with no scenario and nothing
// built; Stridescope's own StridedBuffer brings its memory block, as StridedSource does. GIL held;
// throws SourceError where Inspector::run would after building the source. (Apart from Inspector,
// so that the extension module links none of the sources that run user code.)
class ObjectInspector
{
public:
    // `memory`: the block the object points into when its maker knows it (a scenario's source);
    // otherwise found as the probe finds it.
    static InspectionReport run(pybind11::handle object, const ConversionRequest& request,
                                const Inspector::Options& options,
                                std::optional<MemoryBlock> memory = std::nullopt);
};

} // namespace stridescope
