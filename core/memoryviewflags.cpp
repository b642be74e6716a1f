#include "memoryviewflags.h"

#include "contiguityverdict.h"
#include "stridedlayout.h"

namespace stridescope {

namespace {

StridedLayout layoutOf(const ExportedBuffer& view)
{
    StridedLayout layout(view.itemSize, view.effectiveShape(), view.effectiveStrides());
    return layout;
}

const char* pythonBool(bool b)
{
    return b ? "True" : "False";
}

} // namespace

BufferContiguity BufferContiguity::of(const ExportedBuffer& view)
{
    // PyBuffer_IsContiguous answers 0 for any view with suboffsets before it looks at the strides.
    if (view.suboffsets)
        return {};
    const StridedLayout layout = layoutOf(view);
    BufferContiguity b;
    b.c = ContiguityVerdict::check(layout, view.len, 'C').contiguous;
    b.f = ContiguityVerdict::check(layout, view.len, 'F').contiguous;
    b.any = b.c || b.f;
    return b;
}

MemoryviewFlags MemoryviewFlags::of(const ExportedBuffer& view)
{
    MemoryviewFlags flags;
    if (view.suboffsets) // _Py_MEMORYVIEW_PIL clears both
        return flags;
    if (view.ndim == 0) {
        flags.cContiguous = flags.fContiguous = true;
    } else if (view.ndim == 1) {
        const auto shape = view.effectiveShape();
        const auto strides = view.effectiveStrides();
        flags.cContiguous = flags.fContiguous =
            !shape.empty() && !strides.empty() && (shape[0] == 1 || strides[0] == view.itemSize);
    } else {
        const BufferContiguity b = BufferContiguity::of(view);
        flags.cContiguous = b.c;
        flags.fContiguous = b.f;
    }
    return flags;
}

std::string MemoryviewFlags::disagreement(const ExportedBuffer& view, const MemoryviewFlags& flags,
                                          const BufferContiguity& buffer)
{
    if (flags.cContiguous == buffer.c && flags.fContiguous == buffer.f)
        return {};
    std::string which;
    const auto differs = [&which](const char* flag, bool value, char order, bool buffer) {
        which += std::string(which.empty() ? "" : ", and ") + "memoryview." + flag + " is " +
                 pythonBool(value) + " while PyBuffer_IsContiguous(view, '" + order + "') is " +
                 (buffer ? "1" : "0");
    };
    if (flags.cContiguous != buffer.c)
        differs("c_contiguous", flags.cContiguous, 'C', buffer.c);
    if (flags.fContiguous != buffer.f)
        differs("f_contiguous", flags.fContiguous, 'F', buffer.f);
    std::string why;
    const auto shape = view.effectiveShape();
    const auto strides = view.effectiveStrides();
    if (view.ndim == 1 && !view.suboffsets && !shape.empty() && !strides.empty()) {
        why = ": for a 1-D view memoryview sets its flags (init_flags in memoryobject.c) only when "
              "shape[0] == 1 or strides[0] == itemsize, and here shape[0] is " +
              std::to_string(shape[0]) + " and strides[0] is " + std::to_string(strides[0]) +
              " with itemsize " + std::to_string(view.itemSize);
        if (view.len == 0)
            why += ", while PyBuffer_IsContiguous calls any buffer of len 0 contiguous";
    } else {
        why = ": memoryview's init_flags and PyBuffer_IsContiguous read this view differently";
    }
    return which + why;
}

} // namespace stridescope
