#pragma once

#include "requestoutcome.h"
#include "units.h"

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// Checks every answer of an exporter to the standard buffer requests against the rules of CPython's
// documentation (Doc/c-api/buffer.rst: "Buffer structure", "Buffer request types",
// PyObject_GetBuffer, PyBuffer_Release), quoting the rule each verdict stands on. A rule that the
// facts at hand cannot decide is Undecided, never Pass.
class ConformanceCheck
{
public:
    // The memory the exporter owns, when it is known apart from what its views claim (Stridescope's
    // own exporter, the array at the root of a numpy base chain, what a memoryview wraps).
    struct ExporterMemory
    {
        Address base = 0;
        ByteCount size = 0;
        std::string owner;
    };

    // Fills in `verdicts` of each outcome. The PyBUF_FULL_RO outcome, when present, is the view the
    // others are compared with (the same elements, the same choice of read-only).
    static void check(std::vector<RequestOutcome>& outcomes, const std::optional<ExporterMemory>& memory);

    // Whether no verdict of any outcome is Fail.
    static bool conforms(const std::vector<RequestOutcome>& outcomes);
};

} // namespace stridescope
