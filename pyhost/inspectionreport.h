#pragma once

#include "bytesnapshot.h"
#include "comparisonreport.h"
#include "core/contiguityverdict.h"
#include "core/conversionprediction.h"
#include "core/exportedbuffer.h"
#include "core/memoryviewflags.h"
#include "core/requestoutcome.h"
#include "core/stridedlayout.h"
#include "memoryblock.h"
#include "pythonerror.h"
#include "scenario.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// What the real PyMemoryView_GetContiguous call returned, as plain data.
struct ConversionResult
{
    ConversionPrediction::Outcome outcome = ConversionPrediction::Outcome::Error;
    bool isMemoryview = false; // PyMemoryView_Check(result)
    // PyMemoryView_GET_BASE(result); a copy is a memoryview whose base is new bytes (NewBytes).
    ConversionPrediction::BaseKind baseKind = ConversionPrediction::BaseKind::None;
    std::string baseType;                 // type name of the base, empty for NULL
    std::optional<ExportedBuffer> buffer; // PyMemoryView_GET_BUFFER(result)
    // The result's own memoryview.c_contiguous / f_contiguous, what Python code sees (init_flags),
    // and PyBuffer_IsContiguous on its buffer. They differ for a 1-D view of extent 0 whose stride is
    // not the itemsize; contiguityNote then says why (MemoryviewFlags::disagreement), else it is empty.
    bool cContiguous = false;
    bool fContiguous = false;
    BufferContiguity bufferIsContiguous;
    std::string contiguityNote;
    bool sharesMemory = false;             // the result's bytes lie inside the source's memory
    std::optional<StridedLayout> layout;   // where the result's elements live (its own block for a copy)
    std::optional<std::string> tolistJson; // result.tolist() as JSON; nullopt past the limit or on error
    bool tolistOmitted = false;            // more elements than the tolist limit
    std::string tolistError;               // why tolist() failed (e.g. NotImplementedError for 'hhd')
    std::optional<PythonError> error;      // the exception, when the call raised
    double seconds = 0;                    // time of the call itself
    ByteCount bytesVerified = 0;           // bytes of the copy checked against the source via the copy map
    std::string verifyNote;                // why some or all of the copy was not checked, empty otherwise
};

// A block of memory apart from the source's `memory` that rows of an indirect (PIL-style) buffer
// live in, found by following the exporter's pointers, with its bytes.
struct RowBlock
{
    MemoryBlock block;
    ByteSnapshot bytes; // bytes.start: offset of the block's first byte relative to the source's memory
};

// Everything one inspection found: source, prediction, the real call and whether they agree.
struct InspectionReport
{
    Scenario scenario; // what was inspected; its request is the call that was made
    // The request of the call: the scenario's, held once (BufferProbe::inspect sets it).
    const ConversionRequest& request() const { return scenario.request; }

    std::string sourceType;
    bool sourceIsMemoryview = false;
    bool sourceSupportsBuffer = false;
    std::optional<ExportedBuffer> sourceBuffer; // PyBUF_FULL_RO, as exported
    std::optional<std::pair<std::string, std::string>> exportFailure;
    std::optional<MemoryBlock> memory;       // the block the source points into
    std::vector<RowBlock> rowBlocks;         // indirect: where rows live apart from it
    StridedLayout sourceLayout;              // offsets relative to memory->base
    std::optional<ByteCount> formatItemSize; // calcsize of the format, when it parses
    bool valuesDecodable = false;            // the format describes the item's bytes
    std::string formatNote;                  // why values cannot be decoded, or padding
    ContiguityVerdict cVerdict;
    ContiguityVerdict fVerdict;
    ContiguityVerdict orderVerdict;                           // in the requested order
    std::optional<BufferContiguity> sourceBufferIsContiguous; // the real PyBuffer_IsContiguous on the export
    std::optional<MemoryviewFlags> sourceMemoryviewFlags;     // a memoryview source's own flags
    std::string sourceContiguityNote;                         // why those two differ, else empty
    std::optional<StridedLayout::Overlap> selfOverlap;
    std::optional<std::string> outsideMemory;

    ConversionPrediction prediction;
    bool callMade = true; // false: ProbeOptions::conversionCall was off
    ConversionResult result;

    bool agrees = true;
    std::vector<std::string> disagreements;

    ByteSnapshot sourceBytes;
    ByteSnapshot resultBytes; // copies only
    std::string output;       // captured stdout/stderr of the source
    bool outputTruncated = false;
    std::string pythonVersion;
    // The request matrix (ProbeOptions::requestMatrix): each standard request's answer with its
    // conformance verdicts, in BufferRequest::standard()'s order. requestsChecked says it was run.
    bool requestsChecked = false;
    std::vector<RequestOutcome> requests;
    // The memory the conformance check held the views to, when it was known apart from their claims.
    std::optional<MemoryBlock> requestsMemory;
    // Filled in by the supervisor (gui/supervisor): the worker process the inspection ran in, and
    // which interpreter that was.
    enum class InterpreterUse : std::uint8_t
    {
        Reused,  // had run only data-only scenarios, never user code
        Fresh,   // had run nothing
        Console, // the Console's, which has run the commands typed there (show(obj))
    };
    std::int64_t workerPid = 0;
    InterpreterUse interpreterUse = InterpreterUse::Reused;
    // A comparison scenario (Scenario::compare): this report is the first object's; here the second's and the
    // pair's.
    std::optional<ComparisonReport> comparison;
};

} // namespace stridescope
