#include "objectinspector.h"

#include "bufferprobe.h"
#include "stridedbuffertype.h"

namespace stridescope {

InspectionReport ObjectInspector::run(pybind11::handle object, const ConversionRequest& request,
                                      const Inspector::Options& options, std::optional<MemoryBlock> memory)
{
    BuiltSource built;
    built.object = pybind11::reinterpret_borrow<pybind11::object>(object);
    built.memory = memory ? memory : StridedBufferType::memoryOf(object.ptr());
    return BufferProbe::inspect(built, request, Inspector::probeOptions(options));
}

} // namespace stridescope
