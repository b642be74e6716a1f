#include "conversionprediction.h"

namespace stridescope {

std::string ConversionPrediction::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Alias:
        return "alias";
    case Outcome::Copy:
        return "copy";
    case Outcome::Error:
        return "error";
    }
    return "error";
}

std::string ConversionPrediction::copyMethodName(CopyMethod method)
{
    switch (method) {
    case CopyMethod::WholeRows:
        return "whole_rows";
    case CopyMethod::ElementByElement:
        return "element_by_element";
    case CopyMethod::None:
        return "none";
    }
    return "none";
}

std::string ConversionPrediction::copyMethodWords(CopyMethod method)
{
    switch (method) {
    case CopyMethod::WholeRows:
        return "row by row";
    case CopyMethod::ElementByElement:
        return "element by element";
    case CopyMethod::None:
        return "";
    }
    return "";
}

std::string ConversionPrediction::baseKindName(BaseKind kind)
{
    switch (kind) {
    case BaseKind::None:
        return "";
    case BaseKind::Source:
        return "source";
    case BaseKind::Underlying:
        return "underlying";
    case BaseKind::NewBytes:
        return "new_bytes";
    case BaseKind::Null:
        return "null";
    case BaseKind::Other:
        return "other";
    }
    return "other";
}

namespace {

// copy_buffer: last_dim_is_contiguous(dest, src) decides between one memcpy per row (copy_base
// with mem == NULL) and an element-by-element copy through a row buffer.
void decideCopyMethod(ConversionPrediction& p, const StridedLayout& source)
{
    const std::size_t ndim = source.shape().size();
    if (ndim == 0 || !p.resultLayout)
        return;
    const std::size_t last = ndim - 1;
    const ByteCount itemSize = source.itemSize();
    const bool sourceIndirect = source.isIndirect() && (*source.suboffsets())[last] >= 0;
    const ByteOffset sourceStride = source.strides()[last];
    const ByteOffset resultStride = p.resultLayout->strides()[last];
    const std::string rowBytes = std::to_string(ByteOffset(source.shape()[last]) * itemSize);
    if (sourceIndirect) {
        p.copyMethod = ConversionPrediction::CopyMethod::ElementByElement;
        p.copyMethodReason = "its last axis is reached through pointers (suboffsets)";
    } else if (sourceStride != itemSize) {
        p.copyMethod = ConversionPrediction::CopyMethod::ElementByElement;
        p.copyMethodReason = "its last axis has a stride of " + std::to_string(sourceStride) +
                             " bytes, not the item size (" + std::to_string(itemSize) +
                             "), so each element is a memory access of its own";
    } else if (resultStride != itemSize) {
        p.copyMethod = ConversionPrediction::CopyMethod::ElementByElement;
        p.copyMethodReason = "the Fortran-ordered copy's last axis has a stride of " +
                             std::to_string(resultStride) + " bytes, so each element is written on its own";
    } else {
        p.copyMethod = ConversionPrediction::CopyMethod::WholeRows;
        p.copyMethodReason =
            "its last axis is contiguous, so each row of " + rowBytes + " bytes is one memcpy";
    }
}

} // namespace

// Mirrors PyMemoryView_GetContiguous in Objects/memoryobject.c, branch by branch and in the same order.
ConversionPrediction ConversionPrediction::predict(const Source& source, const ConversionRequest& request)
{
    ConversionPrediction p;
    auto fail = [&](std::string type, std::string message, std::string rule) {
        p.outcome = Outcome::Error;
        p.errorType = std::move(type);
        p.errorMessage = std::move(message);
        p.rule = std::move(rule);
        return p;
    };

    // PyMemoryView_FromObject(obj)
    if (!source.supportsBuffer)
        return fail(
            "TypeError", "memoryview: a bytes-like object is required, not '" + source.typeName + "'",
            "the object does not support the buffer protocol, so PyMemoryView_FromObject fails before "
            "anything else is checked");
    if (source.exportFailure)
        return fail(source.exportFailure->first, source.exportFailure->second,
                    "the exporter refused the PyBUF_FULL_RO request PyMemoryView_FromObject makes");
    if (source.exported.ndim > 64)
        return fail("ValueError", "memoryview: number of dimensions must not exceed 64",
                    "a memoryview holds at most 64 (PyBUF_MAX_NDIM) dimensions");

    const bool write = request.bufferType == ConversionRequest::BufferType::Write;
    if (write && source.exported.readonly)
        return fail("BufferError", "underlying buffer is not writable",
                    "PyBUF_WRITE was asked of a read-only buffer; this is checked before contiguity");

    p.verdict = ContiguityVerdict::check(source.layout, source.exported.len, request.order);
    if (p.verdict.contiguous) {
        p.outcome = Outcome::Alias;
        p.resultLength = source.exported.len;
        p.resultReadonly = source.exported.readonly;
        std::string base;
        switch (source.viewed) {
        case Source::Viewed::Object:
            p.aliasBaseKind = BaseKind::Source;
            base = "GET_BASE is the object itself";
            break;
        case Source::Viewed::MemoryviewExporter:
            p.aliasBaseKind = BaseKind::Underlying;
            base = "GET_BASE is the " +
                   (source.viewedType.empty() ? std::string("object") : source.viewedType) +
                   " the memoryview views, not the memoryview";
            break;
        case Source::Viewed::MemoryviewOfNothing:
            p.aliasBaseKind = BaseKind::Null;
            base = "GET_BASE is NULL, since no object exports the memory the memoryview was made over";
            break;
        }
        p.rule = "already " + p.verdict.explanation +
                 ", so the result is a memoryview on the same memory "
                 "(no copy; " +
                 base + ")";
        return p;
    }
    if (write)
        return fail("BufferError", "writable contiguous buffer requested for a non-contiguous object.",
                    "PyBUF_WRITE needs the original memory, but the buffer is " + p.verdict.explanation +
                        ", and a copy could not be written through");

    const auto& shape = source.layout.shape();
    const ByteCount itemSize = source.layout.itemSize();
    const char destOrder = request.copyOrder();
    auto strides = destOrder == 'C' ? StridedLayout::cStrides(shape, itemSize)
                                    : StridedLayout::fortranStrides(shape, itemSize);
    p.outcome = Outcome::Copy;
    p.resultLength = source.exported.len;
    p.resultReadonly = true;
    p.resultLayout = StridedLayout(itemSize, shape, std::move(strides), 0, source.exported.len);
    p.rule = "the buffer is " + p.verdict.explanation +
             "; PyBUF_READ allows a copy, so the elements are copied " + request.copyOrderWords() +
             " into a new read-only bytes object (GET_BASE is that bytes object)";
    decideCopyMethod(p, source.layout);
    return p;
}

} // namespace stridescope
