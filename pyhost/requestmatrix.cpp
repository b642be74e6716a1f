#include "requestmatrix.h"

#include "guardedmemory.h"
#include "guardedviewreader.h"
#include "pythonerrorcapture.h"

#include <cstring>

namespace stridescope {

// core's request table names CPython's flags by value; they must be the same bits.
static_assert(BufferRequest::Writable == PyBUF_WRITABLE && BufferRequest::Format == PyBUF_FORMAT &&
              BufferRequest::ND == PyBUF_ND && BufferRequest::Strides == PyBUF_STRIDES &&
              BufferRequest::CContiguous == PyBUF_C_CONTIGUOUS &&
              BufferRequest::FContiguous == PyBUF_F_CONTIGUOUS &&
              BufferRequest::AnyContiguous == PyBUF_ANY_CONTIGUOUS &&
              BufferRequest::Indirect == PyBUF_INDIRECT &&
              PyBUF_FULL_RO == (BufferRequest::Indirect | BufferRequest::Format) &&
              PyBUF_CONTIG == (BufferRequest::ND | BufferRequest::Writable));

namespace {

// Whether `o` can be treated as an object: its header and its type's header are readable memory.
bool looksLikeObject(PyObject* o)
{
    if (!GuardedMemory::isReadable(reinterpret_cast<Address>(o), ByteCount(sizeof(PyObject))))
        return false;
    PyTypeObject* type = nullptr;
    GuardedMemory::read(reinterpret_cast<Address>(o) + offsetof(PyObject, ob_type), sizeof type, &type);
    return type &&
           GuardedMemory::isReadable(reinterpret_cast<Address>(type), ByteCount(sizeof(PyTypeObject)));
}

} // namespace

std::vector<RequestOutcome> RequestMatrix::run(PyObject* exporter, const std::optional<MemoryBlock>& memory)
{
    std::vector<RequestOutcome> outcomes;
    // Put in view.obj before each call: an exporter that refuses must set it to NULL, and one that
    // leaves it alone leaves this object there (owned here, so whatever the exporter does to it is safe).
    PyObject* sentinel = PyList_New(0);
    if (!sentinel) {
        PyErr_Clear();
        return outcomes;
    }
    for (const BufferRequest& request : BufferRequest::standard()) {
        RequestOutcome out;
        out.request = request;
        Py_buffer view;
        std::memset(&view, 0, sizeof view);
        view.obj = sentinel;
        out.refcountBefore = Py_REFCNT(exporter);
        const int status = PyObject_GetBuffer(exporter, &view, request.flags);
        if (status != 0) {
            out.errorReturnedWithoutException = !PyErr_Occurred();
            if (!out.errorReturnedWithoutException) {
                out.errorIsBufferError = PyErr_ExceptionMatches(PyExc_BufferError);
                const PythonError e = takePythonError();
                out.errorType = e.type;
                out.errorMessage = e.message;
            }
            out.objClearedOnError = view.obj == nullptr;
            out.refcountAfter = Py_REFCNT(exporter);
            outcomes.push_back(std::move(out));
            continue;
        }
        if (PyErr_Occurred())
            PyErr_Clear(); // an exporter that set an exception and returned 0: the view is what counts
        out.refcountHeld = Py_REFCNT(exporter);
        GuardedViewReader::Copy copy = GuardedViewReader::read(view);
        out.view = std::move(copy.buffer);
        out.unreadable = std::move(copy.unreadable);
        out.internalSet = view.internal != nullptr;
        if (memory)
            out.bufOffset = ByteOffset(out.view->buf - memory->base);
        bool releasable = true;
        if (view.obj == exporter) {
            out.obj = RequestOutcome::ObjKind::Exporter;
            out.objType = Py_TYPE(exporter)->tp_name;
        } else if (view.obj == nullptr || view.obj == sentinel) {
            out.obj = RequestOutcome::ObjKind::Null;
            view.obj =
                nullptr; // never set by the exporter: PyBuffer_Release does nothing, as for any consumer
        } else if (looksLikeObject(view.obj)) {
            out.obj = RequestOutcome::ObjKind::Other;
            out.objType = Py_TYPE(view.obj)->tp_name;
        } else {
            out.obj = RequestOutcome::ObjKind::Other;
            out.objType = "pointer to memory that is no object";
            releasable = false; // releasing would follow a garbage type pointer
        }
        if (releasable)
            PyBuffer_Release(&view);
        out.refcountAfter = Py_REFCNT(exporter);
        outcomes.push_back(std::move(out));
    }
    Py_DECREF(sentinel);
    return outcomes;
}

} // namespace stridescope
