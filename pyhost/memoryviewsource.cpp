#include "memoryviewsource.h"

#include "stridedbufferstorage.h"
#include "stridedbuffertype.h"

namespace stridescope {

namespace {

// The pending Python exception as a SourceError (and clears it).
SourceError sourceErrorFromPython(const std::string& call)
{
    pybind11::error_already_set error;
    PythonError python;
    python.type = pybind11::handle(error.type()).attr("__name__").cast<std::string>();
    python.message = pybind11::str(error.value()).cast<std::string>();
    return SourceError(call + " failed: " + python.oneLine(), python);
}

} // namespace

MemoryViewSource::MemoryViewSource(StridedSourceSpec spec, MemoryViewFunction function, SourceLimits limits)
    : m_spec(std::move(spec)), m_function(function), m_limits(limits)
{
}

BuiltSource MemoryViewSource::build()
{
    BuiltSource built;
    built.keepAlive = StridedBufferType::create(m_function == MemoryViewFunction::FromMemory
                                                    ? StridedBufferStorage::fromMemoryBlock(m_spec, m_limits)
                                                    : m_spec,
                                                m_limits);
    built.memory = StridedBufferType::memoryOf(built.keepAlive.ptr());
    const MemoryBlock& block = *built.memory;

    PyObject* view = nullptr;
    if (m_function == MemoryViewFunction::FromMemory) {
        view = PyMemoryView_FromMemory(reinterpret_cast<char*>(block.base), block.size,
                                       m_spec.readonly ? PyBUF_READ : PyBUF_WRITE);
        if (!view)
            throw sourceErrorFromPython("PyMemoryView_FromMemory");
    } else {
        // The exporter's own full export carries exactly the spec's fields (with its defaults resolved).
        Py_buffer info;
        if (PyObject_GetBuffer(built.keepAlive.ptr(), &info, PyBUF_FULL_RO) < 0)
            throw sourceErrorFromPython("PyObject_GetBuffer");
        Py_buffer orphan = info;
        orphan.obj = nullptr;                    // what makes PyMemoryView_GET_BASE NULL
        view = PyMemoryView_FromBuffer(&orphan); // copies shape, strides and suboffsets, keeps format
        PyBuffer_Release(&info);
        if (!view)
            throw sourceErrorFromPython("PyMemoryView_FromBuffer");
    }
    built.object = pybind11::reinterpret_steal<pybind11::object>(view);
    return built;
}

} // namespace stridescope
