#pragma once

#include "bufferrequest.h"
#include "conformanceverdict.h"
#include "exportedbuffer.h"
#include "units.h"

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// What an exporter did with one PyObject_GetBuffer request: the view it filled in (every field, as
// plain data) or the exception it raised, the exporter's reference count around it, and the verdicts
// of the conformance check (ConformanceCheck).
struct RequestOutcome
{
    BufferRequest request;

    // The view, when the call returned 0. Arrays the exporter left NULL are nullopt; an array or
    // format whose pointer was set but could not be read (or an ndim outside 0..64, so no array was
    // read) is nullopt too and named in `unreadable`.
    std::optional<ExportedBuffer> view;
    std::vector<std::string> unreadable; // "format", "shape", "strides", "suboffsets"
    std::optional<ByteOffset> bufOffset; // buf relative to the memory the probe found, when there is one
    enum class ObjKind
    {
        Exporter,
        Null,
        Other
    };
    ObjKind obj = ObjKind::Null;
    std::string objType;      // type name of view.obj, empty for NULL
    bool internalSet = false; // view.internal != NULL

    // The exception, when the call returned -1.
    std::string errorType;
    std::string errorMessage;
    bool errorIsBufferError = false;            // the exception is a BufferError (or a subclass)
    bool errorReturnedWithoutException = false; // -1 with no exception set
    bool objClearedOnError = true;              // view.obj was NULL after the failed call

    // The exporter's reference count before the call, while the view was held, after PyBuffer_Release.
    std::int64_t refcountBefore = 0;
    std::int64_t refcountHeld = 0;
    std::int64_t refcountAfter = 0;

    std::vector<ConformanceVerdict> verdicts;

    bool raised() const { return !view; }
    // The fields of this view that differ from `reference`'s (the PyBUF_FULL_RO view): "buf", "len",
    // "itemsize", "readonly", "ndim", "format", "shape", "strides", "suboffsets", "obj"; or
    // {"outcome"} when one raised and the other did not.
    std::vector<std::string> differencesFrom(const RequestOutcome& reference) const;
    bool broken() const;    // some verdict is Fail
    bool undecided() const; // some verdict is Undecided
};

} // namespace stridescope
