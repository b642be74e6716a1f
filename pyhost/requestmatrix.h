#pragma once

#include "core/requestoutcome.h"
#include "memoryblock.h"

#include <Python.h>

#include <optional>
#include <vector>

namespace stridescope {

// Asks an exporter for each standard buffer request (BufferRequest::standard) with PyObject_GetBuffer
// and copies out what it returned or raised, with its reference count around the call; each view is
// released with PyBuffer_Release. The exporter may lie: every array and the format are read through
// GuardedMemory, and ndim is checked (0..64) before any array is read. Runs on the Python thread,
// GIL held. The outcomes carry no verdicts yet (ConformanceCheck gives them).
class RequestMatrix
{
public:
    // `memory`: the block the probe found the exporter's buffer in; each view's buf is given relative
    // to it (RequestOutcome::bufOffset).
    static std::vector<RequestOutcome> run(PyObject* exporter, const std::optional<MemoryBlock>& memory);
};

} // namespace stridescope
