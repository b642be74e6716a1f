#include "conformancecheck.h"

#include "contiguityverdict.h"
#include "itemformat.h"
#include "quotedtext.h"
#include "stridedlayout.h"

#include <algorithm>

namespace stridescope {

namespace {

using Result = ConformanceVerdict::Result;

// The documentation's words (Doc/c-api/buffer.rst), quoted by the verdicts that stand on them.
constexpr const char* kFormatRule = "PyBUF_FORMAT: Controls the format field. If set, this field MUST be "
                                    "filled in correctly. Otherwise, this "
                                    "field MUST be NULL.";
constexpr const char* kItemsizeRule =
    "itemsize: Item size in bytes of a single element. Same as the value of struct.calcsize() called on "
    "non-NULL format values.";
constexpr const char* kNdimRule = "The macro PyBUF_MAX_NDIM limits the maximum number of dimensions to 64. "
                                  "Exporters MUST respect this limit";
constexpr const char* kScalarRule =
    "ndim: If it is 0, buf points to a single item representing a scalar. In this "
    "case, shape, strides and suboffsets MUST be NULL.";
constexpr const char* kShapeValuesRule = "shape: Shape values are restricted to shape[n] >= 0.";
constexpr const char* kLenRule =
    "shape: Note that shape[0] * ... * shape[ndim-1] * itemsize MUST be equal to len.";
constexpr const char* kLenWithoutShapeRule =
    "len: product(shape) * itemsize. [...] For non-contiguous arrays, it is the length that the logical "
    "structure would have if it were copied to a contiguous representation.";
constexpr const char* kAllNegativeSuboffsetsRule = "suboffsets: If all suboffsets are negative (i.e. no "
                                                   "de-referencing is needed), then this field must be NULL";
constexpr const char* kWritableRule = "PyBUF_WRITABLE: Controls the readonly field. If set, the exporter "
                                      "MUST provide a writable buffer or else "
                                      "report failure. Otherwise, the exporter MAY provide either a "
                                      "read-only or writable buffer, but the choice "
                                      "MUST be consistent for all consumers.";
constexpr const char* kObjRule =
    "PyObject_GetBuffer: On success, fill in view, set view->obj to a new reference to exporter and return "
    "0. "
    "In the case of chained buffer providers that redirect requests to a single object, view->obj MAY refer "
    "to this object instead of exporter";
constexpr const char* kObjNullRule =
    "obj: As a special case, for temporary buffers that are wrapped by PyMemoryView_FromBuffer() or "
    "PyBuffer_FillInfo() this field is NULL. In general, exporting objects MUST NOT use this scheme.";
constexpr const char* kRefusalRule =
    "PyObject_GetBuffer: If the exporter cannot provide a buffer of the exact type, it MUST raise "
    "PyExc_BufferError, set view->obj to NULL and return -1.";
constexpr const char* kReleaseRule = "PyBuffer_Release: Release the buffer view and release the strong "
                                     "reference (i.e. decrement the reference "
                                     "count) to the view's supporting object, view->obj.";
constexpr const char* kBufRule =
    "buf: A pointer to the start of the logical structure described by the buffer fields. This can be any "
    "location within the underlying physical memory block of the exporter.";
constexpr const char* kSameElementsRule =
    "Buffer request types: All Py_buffer fields are unambiguously defined by the request type.";
constexpr const char* kNoStridesRule =
    "contiguity requests: C or Fortran contiguity can be explicitly requested, "
    "with and without stride information. Without stride information, the "
    "buffer must be C-contiguous.";

// Reference counts at or past this are immortal objects' (CPython 3.12+): they do not move.
constexpr std::int64_t kImmortalRefcount = std::int64_t(1) << 30;

// The row of the documentation's table of shape, strides and suboffsets the request falls in.
std::string structureRow(const BufferRequest& r)
{
    std::string row = "Buffer request types, shape, strides, suboffsets: ";
    if (r.asks(BufferRequest::Indirect))
        return row + "PyBUF_INDIRECT | shape yes | strides yes | suboffsets if needed";
    if (r.asks(BufferRequest::Strides))
        return row + "PyBUF_STRIDES | shape yes | strides yes | suboffsets NULL";
    if (r.asks(BufferRequest::ND))
        return row + "PyBUF_ND | shape yes | strides NULL | suboffsets NULL";
    return row + "PyBUF_SIMPLE | shape NULL | strides NULL | suboffsets NULL";
}

std::string contiguityRow(char order)
{
    const std::string row = "contiguity requests: ";
    if (order == 'C')
        return row + "PyBUF_C_CONTIGUOUS | shape yes | strides yes | suboffsets NULL | contig C";
    if (order == 'F')
        return row + "PyBUF_F_CONTIGUOUS | shape yes | strides yes | suboffsets NULL | contig F";
    return row + "PyBUF_ANY_CONTIGUOUS | shape yes | strides yes | suboffsets NULL | contig C or F";
}

template <class T> std::string listText(const std::vector<T>& v)
{
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
}

bool isUnreadable(const RequestOutcome& o, const char* field)
{
    return std::find(o.unreadable.begin(), o.unreadable.end(), field) != o.unreadable.end();
}

// Whether the exporter set the field (a readable array, or a pointer that could not be read).
bool present(const RequestOutcome& o, const std::optional<std::vector<std::int64_t>>& array,
             const char* field)
{
    return array.has_value() || isUnreadable(o, field);
}

// Whether the view's fields can be laid out at all: ndim in range, its arrays read, a positive
// itemsize, a shape for more than one axis, no negative extent.
bool describable(const RequestOutcome& o)
{
    const ExportedBuffer& v = *o.view;
    if (v.ndim < 0 || v.ndim > 64 || v.itemSize <= 0 || v.len < 0)
        return false;
    for (const char* f : {"shape", "strides", "suboffsets"})
        if (isUnreadable(o, f))
            return false;
    if (v.ndim > 1 && !v.shape)
        return false;
    return !v.shape || std::none_of(v.shape->begin(), v.shape->end(), [](Extent e) { return e < 0; });
}

// A view without shape, from a request without PyBUF_ND or with ndim 1, is a sequence of len bytes
// ("If shape is NULL as a result of a PyBUF_SIMPLE or a PyBUF_WRITABLE request, the consumer must
// disregard itemsize and assume itemsize == 1"; numpy answers PyBUF_SIMPLE with ndim 0).
bool isByteSequence(const RequestOutcome& o)
{
    return !o.view->shape && (o.view->ndim != 0 || !o.request.asks(BufferRequest::ND));
}

// The view's elements as a layout (direct only), buf at `bufOffset`.
StridedLayout layoutOf(const RequestOutcome& o, ByteOffset bufOffset, ByteCount memorySize)
{
    const ExportedBuffer& v = *o.view;
    if (isByteSequence(o))
        return StridedLayout(1, {v.len}, {1}, bufOffset, memorySize);
    return StridedLayout(v.itemSize, v.effectiveShape(), v.effectiveStrides(), bufOffset, memorySize);
}

class Verdicts
{
public:
    explicit Verdicts(std::vector<ConformanceVerdict>& out) : m_out(out) {}
    void pass(std::string rule, std::string quote, std::string detail)
    {
        add(std::move(rule), Result::Pass, std::move(quote), std::move(detail));
    }
    void fail(std::string rule, std::string quote, std::string detail)
    {
        add(std::move(rule), Result::Fail, std::move(quote), std::move(detail));
    }
    void undecided(std::string rule, std::string quote, std::string detail)
    {
        add(std::move(rule), Result::Undecided, std::move(quote), std::move(detail));
    }
    void verdict(bool ok, std::string rule, std::string quote, std::string passed, std::string failed)
    {
        if (ok)
            pass(std::move(rule), std::move(quote), std::move(passed));
        else
            fail(std::move(rule), std::move(quote), std::move(failed));
    }

private:
    void add(std::string rule, Result r, std::string quote, std::string detail)
    {
        m_out.push_back({std::move(rule), r, std::move(quote), std::move(detail)});
    }
    std::vector<ConformanceVerdict>& m_out;
};

void checkReferences(const RequestOutcome& o, Verdicts& out)
{
    const std::string counts =
        std::to_string(o.refcountBefore) + " before the request, " +
        (o.raised() ? "" : std::to_string(o.refcountHeld) + " while the view was held, ") +
        std::to_string(o.refcountAfter) + (o.raised() ? " after it failed" : " after PyBuffer_Release");
    if (o.refcountBefore >= kImmortalRefcount) {
        out.undecided("release", kReleaseRule,
                      "the exporter is immortal (reference count " + std::to_string(o.refcountBefore) +
                          "): its count does not move");
        return;
    }
    const std::int64_t leaked = o.refcountAfter - o.refcountBefore;
    out.verdict(leaked == 0, "release", o.raised() ? kRefusalRule : kReleaseRule,
                "the exporter's reference count is back where it was (" + counts + ")",
                "the exporter's reference count is " + counts + ": " +
                    (leaked > 0 ? std::to_string(leaked) + " reference" + (leaked == 1 ? "" : "s") + " leaked"
                                : std::to_string(-leaked) + " reference" + (leaked == -1 ? "" : "s") +
                                      " too many released"));
}

void checkRefusal(const RequestOutcome& o, Verdicts& out)
{
    const std::string raised = o.errorType + (o.errorMessage.empty() ? "" : ": " + o.errorMessage);
    if (o.errorReturnedWithoutException)
        out.fail("refusal", kRefusalRule, "the exporter returned -1 without setting an exception");
    else
        out.verdict(o.errorIsBufferError, "refusal", kRefusalRule, "refused with " + raised,
                    "refused with " + raised + ", which is not a BufferError");
    // "set view->obj to NULL" is not checked: CPython's own PyBuffer_FillInfo (bytes, mmap, ...) leaves
    // it as it was on a refusal, and no consumer reads it after -1. objClearedOnError records it.
    checkReferences(o, out);
}

void checkFormat(const RequestOutcome& o, Verdicts& out)
{
    const ExportedBuffer& v = *o.view;
    const bool asked = o.request.asks(BufferRequest::Format);
    if (isUnreadable(o, "format")) {
        out.fail("format", kFormatRule, "format points to memory that cannot be read as a string");
        return;
    }
    if (!asked) {
        out.verdict(!v.format, "format", kFormatRule, "format is NULL",
                    "format is " + quotedText(v.format.value_or("")) +
                        " though PyBUF_FORMAT was not requested");
        return;
    }
    if (!v.format) {
        out.fail("format", kFormatRule, "format is NULL though PyBUF_FORMAT was requested");
        return;
    }
    out.pass("format", kFormatRule, "format is " + quotedText(*v.format));
    std::string error;
    const auto parsed = ItemFormat::parse(*v.format, &error);
    if (!parsed) {
        out.undecided("itemsize", kItemsizeRule, "Stridescope cannot read the format: " + error);
        return;
    }
    out.verdict(parsed->itemSize() == v.itemSize, "itemsize", kItemsizeRule,
                "itemsize " + std::to_string(v.itemSize) + " is struct.calcsize(" + quotedText(*v.format) +
                    ")",
                "itemsize is " + std::to_string(v.itemSize) + " but struct.calcsize(" +
                    quotedText(*v.format) + ") is " + std::to_string(parsed->itemSize()));
}

// shape, strides and suboffsets against the request's row of the table (and ndim's rules).
void checkStructure(const RequestOutcome& o, Verdicts& out)
{
    const ExportedBuffer& v = *o.view;
    const BufferRequest& r = o.request;
    if (v.ndim < 0 || v.ndim > 64) {
        out.fail("ndim", kNdimRule,
                 "ndim is " + std::to_string(v.ndim) + "; shape, strides and suboffsets were not read");
        return;
    }
    const bool scalar = v.ndim == 0;
    struct Field
    {
        const char* name;
        const std::optional<std::vector<std::int64_t>>& array;
        bool wanted;
    };
    const Field fields[] = {{"shape", v.shape, r.asks(BufferRequest::ND)},
                            {"strides", v.strides, r.asks(BufferRequest::Strides)},
                            {"suboffsets", v.suboffsets, false}};
    for (const Field& f : fields) {
        const bool set = present(o, f.array, f.name);
        const std::string name = f.name;
        if (isUnreadable(o, f.name)) {
            out.fail(name, "shape / strides / suboffsets: An array of Py_ssize_t of length ndim.",
                     name + " points to memory that cannot be read as " + std::to_string(v.ndim) + " values");
            continue;
        }
        if (scalar) {
            out.verdict(!set, name, kScalarRule, name + " is NULL for ndim 0",
                        name + " is set though ndim is 0");
            continue;
        }
        if (name == "suboffsets") {
            if (!set) {
                out.pass(name, structureRow(r), "suboffsets is NULL");
            } else if (!r.asks(BufferRequest::Indirect)) {
                out.fail(name, structureRow(r),
                         "suboffsets is " + listText(*f.array) + " though PyBUF_INDIRECT was not requested");
            } else {
                const bool anyFollowed =
                    std::any_of(f.array->begin(), f.array->end(), [](std::int64_t s) { return s >= 0; });
                out.verdict(anyFollowed, name, kAllNegativeSuboffsetsRule,
                            "suboffsets is " + listText(*f.array),
                            "suboffsets is " + listText(*f.array) + ": every entry is negative");
            }
            continue;
        }
        if (f.wanted != set) {
            out.fail(name, structureRow(r),
                     set ? name + " is " + listText(*f.array) + " though " + r.name + " does not ask for it"
                         : name + " is NULL though " + r.name + " asks for it");
            continue;
        }
        out.pass(name, structureRow(r), set ? name + " is " + listText(*f.array) : name + " is NULL");
        if (name == "shape" && set &&
            std::any_of(f.array->begin(), f.array->end(), [](std::int64_t e) { return e < 0; }))
            out.fail("shape", kShapeValuesRule, "shape is " + listText(*f.array));
    }
}

void checkLength(const RequestOutcome& o, const RequestOutcome* reference, Verdicts& out)
{
    const ExportedBuffer& v = *o.view;
    if (!describable(o)) {
        out.undecided("len", kLenRule, "the view's shape cannot be read, so len cannot be checked");
        return;
    }
    if (!isByteSequence(o)) {
        const StridedLayout layout(v.itemSize, v.effectiveShape(), {}, 0, -1);
        const auto expected = layout.byteLength();
        if (!expected) {
            out.fail("len", kLenRule, "product(shape) * itemsize overflows");
            return;
        }
        out.verdict(*expected == v.len, "len", kLenRule,
                    "len " + std::to_string(v.len) + " = product(shape) * itemsize",
                    "len is " + std::to_string(v.len) + " but product" + listText(v.effectiveShape()) +
                        " * " + std::to_string(v.itemSize) + " is " + std::to_string(*expected));
        return;
    }
    if (!reference || !reference->view) {
        out.undecided(
            "len", kLenWithoutShapeRule,
            "the view has no shape and there is no PyBUF_FULL_RO view whose shape gives the length");
        return;
    }
    out.verdict(v.len == reference->view->len, "len", kLenWithoutShapeRule,
                "len " + std::to_string(v.len) + " is the PyBUF_FULL_RO view's",
                "len is " + std::to_string(v.len) + " but the PyBUF_FULL_RO view describes " +
                    std::to_string(reference->view->len) + " bytes");
}

void checkWritable(const RequestOutcome& o, const RequestOutcome* reference, Verdicts& out)
{
    const ExportedBuffer& v = *o.view;
    if (o.request.asks(BufferRequest::Writable)) {
        out.verdict(!v.readonly, "writable", kWritableRule, "the view is writable",
                    "the view is read-only though " + o.request.name + " asks for a writable one");
        return;
    }
    if (!reference || !reference->view || reference == &o)
        return;
    out.verdict(
        v.readonly == reference->view->readonly, "writable", kWritableRule,
        std::string("the view is ") + (v.readonly ? "read-only" : "writable") + ", as the PyBUF_FULL_RO view",
        std::string("the view is ") + (v.readonly ? "read-only" : "writable") +
            " but the PyBUF_FULL_RO view is " + (reference->view->readonly ? "read-only" : "writable"));
}

void checkContiguity(const RequestOutcome& o, Verdicts& out)
{
    const char order = o.request.contiguityOrder();
    if (!order)
        return;
    const ExportedBuffer& v = *o.view;
    if (!describable(o)) {
        out.undecided("contiguity", contiguityRow(order), "the view's shape or strides cannot be read");
        return;
    }
    StridedLayout layout = layoutOf(o, 0, -1);
    if (v.suboffsets)
        layout.setSuboffsets(*v.suboffsets, {});
    const ContiguityVerdict c = ContiguityVerdict::check(layout, v.len, order);
    out.verdict(c.contiguous, "contiguity", contiguityRow(order), c.explanation,
                "the view is " + c.explanation);
}

void checkObj(const RequestOutcome& o, Verdicts& out)
{
    switch (o.obj) {
    case RequestOutcome::ObjKind::Null:
        out.fail("obj", kObjNullRule, "view->obj is NULL");
        return;
    case RequestOutcome::ObjKind::Other:
        out.undecided("obj", kObjRule,
                      "view->obj is a " + o.objType +
                          ", not the exporter: right only if the exporter redirects "
                          "requests to it, which Stridescope cannot know");
        return;
    case RequestOutcome::ObjKind::Exporter:
        break;
    }
    if (o.refcountBefore >= kImmortalRefcount) {
        out.undecided("obj", kObjRule,
                      "view->obj is the exporter, which is immortal: whether the view holds a "
                      "reference of its own cannot be seen");
        return;
    }
    out.verdict(o.refcountHeld > o.refcountBefore, "obj", kObjRule,
                "view->obj is the exporter, with a reference of its own (" +
                    std::to_string(o.refcountBefore) + " -> " + std::to_string(o.refcountHeld) + ")",
                "view->obj is the exporter but its reference count did not rise (" +
                    std::to_string(o.refcountBefore) + " before, " + std::to_string(o.refcountHeld) +
                    " while the view was held): PyBuffer_Release will drop a reference the view never took");
}

void checkMemory(const RequestOutcome& o, const std::optional<ConformanceCheck::ExporterMemory>& memory,
                 Verdicts& out)
{
    const ExportedBuffer& v = *o.view;
    if (!memory) {
        out.undecided("memory", kBufRule,
                      "Stridescope knows this exporter's memory only from what its views claim");
        return;
    }
    if (!describable(o)) {
        out.undecided("memory", kBufRule, "the view's shape or strides cannot be read");
        return;
    }
    if (v.suboffsets) {
        out.undecided("memory", kBufRule,
                      "the view's elements are reached through pointers, which this check does not follow");
        return;
    }
    const StridedLayout layout = layoutOf(o, ByteOffset(v.buf - memory->base), memory->size);
    const auto count = layout.elementCount();
    if (count && *count == 0) {
        out.pass("memory", kBufRule, "the view has no elements");
        return;
    }
    const auto why = layout.outsideMemoryReason();
    const std::string where = memory->owner + " (" + std::to_string(memory->size) + " bytes)";
    out.verdict(!why, "memory", kBufRule, "buf and every element lie inside " + where,
                why ? *why + ", " + where : std::string());
}

// Views that go through pointers: the same fields or undecided (the pointers are not followed).
void checkIndirectElements(const ExportedBuffer& v, const ExportedBuffer& ref, const char* rule,
                           Verdicts& out)
{
    const bool same = v.buf == ref.buf && v.suboffsets == ref.suboffsets && v.shape == ref.shape &&
                      v.effectiveStrides() == ref.effectiveStrides() && v.itemSize == ref.itemSize;
    if (same)
        out.pass("elements", rule, "the same buf, shape, strides and suboffsets as the PyBUF_FULL_RO view");
    else
        out.undecided("elements", rule,
                      "one of the views goes through pointers and they differ; Stridescope does not follow "
                      "the pointers to compare the elements");
}

// A sequence of len bytes from buf: the reference's elements in C order, byte after byte.
void checkByteSequenceElements(const ExportedBuffer& v, const ExportedBuffer& ref,
                               const StridedLayout& theirs, const char* rule, Verdicts& out)
{
    if (v.len != ref.len) {
        out.fail("elements", rule,
                 "the view holds " + std::to_string(v.len) + " bytes, the PyBUF_FULL_RO view " +
                     std::to_string(ref.len));
        return;
    }
    const auto refCount = theirs.elementCount();
    if (v.len == 0 || (refCount && *refCount == 0)) {
        out.pass("elements", rule, "both views are empty");
        return;
    }
    const ContiguityVerdict c = ContiguityVerdict::check(theirs, ref.len, 'C');
    if (!c.contiguous) {
        out.fail("elements", rule,
                 "the view is " + std::to_string(v.len) +
                     " bytes from buf, but the exporter's elements (its "
                     "PyBUF_FULL_RO view) are " +
                     c.explanation + ": the request should have been refused");
        return;
    }
    out.verdict(v.buf == ref.buf, "elements", rule,
                "the bytes of the PyBUF_FULL_RO view's elements, in C order",
                "the bytes start " + std::to_string(std::int64_t(v.buf - ref.buf)) +
                    " bytes away from the PyBUF_FULL_RO view's buf");
}

// How two direct layouts of one shape differ in the addresses they reach (empty: they reach the
// same ones). They reach the same addresses iff buf and the strides of every axis longer than 1
// agree (the address is affine in the index).
std::string addressDifference(const ExportedBuffer& v, const ExportedBuffer& ref, const StridedLayout& mine,
                              const StridedLayout& theirs)
{
    if (v.buf != ref.buf)
        return "buf lies " + std::to_string(std::int64_t(v.buf - ref.buf)) +
               " bytes away from the PyBUF_FULL_RO view's";
    for (int d = 0; d < mine.ndim(); ++d)
        if (mine.shape()[std::size_t(d)] > 1 &&
            mine.strides()[std::size_t(d)] != theirs.strides()[std::size_t(d)])
            return std::string(v.strides ? "strides " : "the C strides a view without strides implies, ") +
                   listText(mine.strides()) + ", differ from the PyBUF_FULL_RO view's " +
                   listText(theirs.strides()) + " on axis " + std::to_string(d);
    return {};
}

// The view describes the same elements, at the same addresses, as the PyBUF_FULL_RO view.
void checkSameElements(const RequestOutcome& o, const RequestOutcome* reference, Verdicts& out)
{
    const bool withoutStrides = !o.request.asks(BufferRequest::Strides);
    const char* rule = withoutStrides ? kNoStridesRule : kSameElementsRule;
    if (!reference || !reference->view) {
        out.undecided("elements", rule,
                      "PyBUF_FULL_RO raised, so there is no view to compare the elements with");
        return;
    }
    if (!describable(o) || !describable(*reference)) {
        out.undecided("elements", rule,
                      "the shape or strides of this view or of the PyBUF_FULL_RO view cannot be read");
        return;
    }
    const ExportedBuffer& v = *o.view;
    const ExportedBuffer& ref = *reference->view;
    if (v.suboffsets || ref.suboffsets)
        return checkIndirectElements(v, ref, rule, out);
    const StridedLayout mine = layoutOf(o, 0, -1);
    const StridedLayout theirs = layoutOf(*reference, 0, -1);
    if (isByteSequence(o))
        return checkByteSequenceElements(v, ref, theirs, rule, out);
    if (mine.shape() != theirs.shape() || v.itemSize != ref.itemSize) {
        out.fail("elements", rule,
                 "shape " + listText(mine.shape()) + " and itemsize " + std::to_string(v.itemSize) +
                     " differ from the PyBUF_FULL_RO view's " + listText(theirs.shape()) + " and " +
                     std::to_string(ref.itemSize));
        return;
    }
    if (const auto refCount = theirs.elementCount(); refCount && *refCount == 0) {
        out.pass("elements", rule, "both views are empty");
        return;
    }
    std::string difference = addressDifference(v, ref, mine, theirs);
    if (!difference.empty() && withoutStrides)
        difference += ": the exporter's elements are " +
                      ContiguityVerdict::check(theirs, ref.len, 'C').explanation +
                      ", so the request should have been refused";
    out.verdict(difference.empty(), "elements", rule,
                "the same elements at the same addresses as the PyBUF_FULL_RO view", difference);
}

} // namespace

void ConformanceCheck::check(std::vector<RequestOutcome>& outcomes,
                             const std::optional<ExporterMemory>& memory)
{
    const RequestOutcome* reference = nullptr;
    for (const RequestOutcome& o : outcomes)
        if (o.request.name == BufferRequest::referenceName)
            reference = &o;
    for (RequestOutcome& o : outcomes) {
        o.verdicts.clear();
        Verdicts out(o.verdicts);
        if (o.raised()) {
            checkRefusal(o, out);
            continue;
        }
        checkStructure(o, out);
        checkFormat(o, out);
        checkLength(o, reference, out);
        checkWritable(o, reference, out);
        checkContiguity(o, out);
        checkObj(o, out);
        checkReferences(o, out);
        checkMemory(o, memory, out);
        if (&o != reference)
            checkSameElements(o, reference, out);
    }
}

bool ConformanceCheck::conforms(const std::vector<RequestOutcome>& outcomes)
{
    return std::none_of(outcomes.begin(), outcomes.end(), [](const RequestOutcome& o) { return o.broken(); });
}

} // namespace stridescope
