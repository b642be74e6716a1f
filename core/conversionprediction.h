#pragma once

#include "contiguityverdict.h"
#include "conversionrequest.h"
#include "exportedbuffer.h"
#include "stridedlayout.h"

#include <cstdint>
#include <optional>
#include <string>

namespace stridescope {

// What CPython will do for PyMemoryView_GetContiguous(obj, buffertype, order), decided from the
// facts about the object alone (Objects/memoryobject.c), with the rule that decided it.
struct ConversionPrediction
{
    enum class Outcome
    {
        Alias,
        Copy,
        Error
    };

    // What the predictor needs to know about the object passed.
    struct Source
    {
        std::string typeName;
        bool supportsBuffer = true;
        // The exporter refused a PyBUF_FULL_RO request (type and message of its exception).
        std::optional<std::pair<std::string, std::string>> exportFailure;
        ExportedBuffer exported; // valid when supportsBuffer && !exportFailure
        StridedLayout layout;    // the layout a memoryview sees (shape and strides reconstructed)
        // PyMemoryView_FromObject views obj itself, except when obj is a memoryview: the new view
        // shares its managed buffer, whose exporter may be NULL (PyMemoryView_FromMemory/FromBuffer).
        enum class Viewed
        {
            Object,             // any exporter but a memoryview: GET_BASE of an alias is obj
            MemoryviewExporter, // a memoryview: GET_BASE of an alias is the object it views
            MemoryviewOfNothing // a memoryview whose exporter is NULL: GET_BASE of an alias is NULL
        };
        Viewed viewed = Viewed::Object;
        std::string viewedType; // MemoryviewExporter: the type name of the object the memoryview views
    };

    Outcome outcome = Outcome::Error;
    std::string errorType;     // "TypeError", "BufferError", "ValueError"
    std::string errorMessage;  // the exact message CPython raises
    std::string rule;          // the rule that decided, in words
    ContiguityVerdict verdict; // contiguity in the requested order
    // For Copy: the layout of the new bytes object (format and shape kept, C or Fortran strides).
    std::optional<StridedLayout> resultLayout;
    ByteCount resultLength = 0; // Py_buffer.len of the result
    bool resultReadonly = true;
    // For Copy: how CPython's copy moves the bytes (copy_buffer in Objects/memoryobject.c). When
    // the last axis is contiguous on both sides (stride == itemsize, no suboffsets), each row is
    // one memcpy; otherwise every element is copied on its own, through a buffer of one row.
    enum class CopyMethod
    {
        None,
        WholeRows,
        ElementByElement
    };
    CopyMethod copyMethod = CopyMethod::None;
    std::string copyMethodReason; // why, in words ("its last axis has a stride of 4,096 bytes ...")

    // What PyMemoryView_GET_BASE(result) is. It tells a copy (NewBytes) from an alias.
    enum class BaseKind : std::uint8_t
    {
        None,       // no result: the call raised, or was not made
        Source,     // the object passed
        Underlying, // the object behind a memoryview passed
        NewBytes,   // the new bytes object a copy lives in
        Null,       // NULL: no object exports the memory (PyMemoryView_FromMemory / FromBuffer)
        Other,      // any other object
    };
    // For Alias: what GET_BASE of the result will be (Source, Underlying or Null).
    BaseKind aliasBaseKind = BaseKind::None;

    static ConversionPrediction predict(const Source& source, const ConversionRequest& request);
    static std::string outcomeName(Outcome outcome);      // "alias", "copy", "error"
    static std::string copyMethodName(CopyMethod method); // "whole_rows", "element_by_element", "none"
    // How a copy moved the bytes, in words: "row by row", "element by element"; "" for None.
    static std::string copyMethodWords(CopyMethod method);
    // The name the reports (JSON `result.base`, the text report, the Inspector) give a BaseKind:
    // "source", "underlying", "new_bytes", "null", "other"; "" for None.
    static std::string baseKindName(BaseKind kind);
};

} // namespace stridescope
