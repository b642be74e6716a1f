#pragma once

#include "contiguityverdict.h"
#include "conversionrequest.h"
#include "exportedbuffer.h"
#include "stridedlayout.h"

#include <optional>
#include <string>

namespace stridescope {

// What CPython will do for PyMemoryView_GetContiguous(obj, buffertype, order), decided from the
// facts about the object alone (Objects/memoryobject.c), with the rule that decided it.
struct ConversionPrediction
{
    enum class Outcome { Alias, Copy, Error };

    // What the predictor needs to know about the object passed.
    struct Source
    {
        std::string typeName;
        bool supportsBuffer = true;
        // The exporter refused a PyBUF_FULL_RO request (type and message of its exception).
        std::optional<std::pair<std::string, std::string>> exportFailure;
        ExportedBuffer exported;   // valid when supportsBuffer && !exportFailure
        StridedLayout layout;      // the layout a memoryview sees (shape and strides reconstructed)
    };

    Outcome outcome = Outcome::Error;
    std::string errorType;         // "TypeError", "BufferError", "ValueError"
    std::string errorMessage;      // the exact message CPython raises
    std::string rule;              // the rule that decided, in words
    ContiguityVerdict verdict;     // contiguity in the requested order
    // For Copy: the layout of the new bytes object (format and shape kept, C or Fortran strides).
    std::optional<StridedLayout> resultLayout;
    ByteCount resultLength = 0;    // Py_buffer.len of the result
    bool resultReadonly = true;

    static ConversionPrediction predict(const Source& source, const ConversionRequest& request);
    static std::string outcomeName(Outcome outcome); // "alias", "copy", "error"
};

} // namespace stridescope
