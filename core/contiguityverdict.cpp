#include "contiguityverdict.h"

#include "stridedlayout.h"

namespace stridescope {

namespace {

std::string orderName(char order)
{
    return order == 'C' ? "C-contiguous" : order == 'F' ? "Fortran-contiguous" : "contiguous in any order";
}

// One direction of Objects/abstract.c _IsCContiguous / _IsFortranContiguous: walking the axes from
// the fastest-varying one, each axis of extent > 1 must have a stride equal to itemsize times the
// extents already walked.
ContiguityVerdict walk(const StridedLayout& layout, char order)
{
    ContiguityVerdict v;
    v.order = order;
    const int n = layout.ndim();
    ByteOffset expected = layout.itemSize();
    for (int k = 0; k < n; ++k) {
        const int axis = order == 'C' ? n - 1 - k : k;
        const Extent dim = layout.shape()[axis];
        if (dim > 1 && layout.strides()[axis] != expected) {
            v.contiguous = false;
            v.breakingAxis = axis;
            v.neededStride = expected;
            v.explanation = "not " + orderName(order) + ": axis " + std::to_string(axis) + " (extent " +
                            std::to_string(dim) + ") has stride " + std::to_string(layout.strides()[axis]) +
                            " but " + (order == 'C' ? "C" : "Fortran") + " order needs " +
                            std::to_string(expected) + " (itemsize " + std::to_string(layout.itemSize()) +
                            (k == 0 ? ")"
                                    : " times the extents of the axes " +
                                          std::string(order == 'C' ? "after" : "before") + " it)");
            return v;
        }
        expected = ByteOffset(std::uint64_t(expected) * std::uint64_t(dim));
    }
    v.contiguous = true;
    v.explanation = orderName(order) + ": every axis of extent > 1 has the stride " +
                    (order == 'C' ? std::string("C") : std::string("Fortran")) +
                    " order needs (axes of extent 1 are ignored)";
    return v;
}

} // namespace

ContiguityVerdict ContiguityVerdict::check(const StridedLayout& layout, ByteCount byteLength, char order)
{
    ContiguityVerdict v;
    v.order = order;
    if (layout.isIndirect()) {
        v.explanation =
            "not " + orderName(order) +
            ": the buffer has suboffsets (PIL-style indirection), and CPython never treats such a "
            "buffer as contiguous";
        return v;
    }
    if (byteLength == 0) {
        v.contiguous = true;
        v.explanation = orderName(order) + ": len is 0 (an axis of extent 0), and an empty buffer is "
                                           "contiguous in every order";
        return v;
    }
    if (layout.ndim() == 0) {
        v.contiguous = true;
        v.explanation = orderName(order) + ": a 0-d buffer (a single item) is always contiguous";
        return v;
    }
    if (order == 'A') {
        ContiguityVerdict c = walk(layout, 'C');
        ContiguityVerdict f = walk(layout, 'F');
        if (c.contiguous || f.contiguous) {
            v.contiguous = true;
            v.explanation = "contiguous in any order: it is " +
                            std::string(c.contiguous && f.contiguous ? "both C- and Fortran-contiguous"
                                        : c.contiguous               ? "C-contiguous"
                                                                     : "Fortran-contiguous");
            return v;
        }
        v.breakingAxis = c.breakingAxis;
        v.neededStride = c.neededStride;
        v.explanation =
            "neither C- nor Fortran-contiguous: " + c.explanation.substr(4) + "; " + f.explanation.substr(4);
        return v;
    }
    return walk(layout, order);
}

} // namespace stridescope
