#pragma once

#include "buffersource.h"
#include "memoryblock.h"
#include "stridedsourcespec.h"

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace stridescope {

// Stridescope's own buffer exporter: the Python type `_stridescope.StridedBuffer` in the processes that
// embed Python (PythonHost builds `_stridescope` in), `stridescope.StridedBuffer` in the `stridescope`
// extension module; written with the raw C API (PyBufferProcs) because it must honour every request
// flag a consumer passes, which pybind11's def_buffer does not. Python code can build one too:
//
//     _stridescope.StridedBuffer(format='B', shape=(), strides=None, offset=None, readonly=False,
//                                indirect=False, fill='index', memory=None)
//
// The object owns one block of memory (zeroed, 16-byte aligned, at most SourceLimits::allocationLimit
// bytes) and exports `buf = block + offset` with exactly the shape, strides and suboffsets asked for.
// A layout that would reach outside the block is refused before anything is exported.
//
// Defaults
//   strides  C strides of the shape (for indirect buffers: sizeof(void*) for axis 0, C strides of
//            shape[1:] for the others).
//   offset   the smallest that keeps every element inside: 0, unless negative strides reach below
//            buf; then buf moves up just far enough that the lowest byte reached is byte 0. A given
//            offset is used as is: an explicit 0 with negative strides is refused like any layout
//            that leaves its block.
//   memory   the smallest block that holds every element (and, when indirect, the table and rows).
//
// Indirect (PIL-style) buffers, indirect=True: suboffsets = [0, -1, -1, ...]. Axis 0 goes through a
// table of pointers, one per row; the block is laid out as
//
//     [ ...offset... | pointer table | row 0 | row 1 | ... | row n0-1 ]
//
//   - slot i of the table is at block + offset + i * strides[0] (a native void*, unaligned if the
//     stride says so); with the default offset the table starts at byte 0, whatever the sign of
//     strides[0].
//   - the rows follow the table with no padding: rowsStart = one past the last byte of the table.
//     Each row is the smallest span that holds the elements of axes 1..n-1 with their strides:
//     rowSpan = (highest byte reached - lowest byte reached) of that sub-layout.
//   - pointer i = block + rowsStart + i * rowSpan + lead, where lead = -(lowest byte the inner axes
//     reach relative to the row's first element) (0 unless an inner stride is negative). So element
//     [i, j, k, ...] is at pointer_i + 0 (suboffset 0) + j*strides[1] + k*strides[2] + ..., and
//     every row stays inside its own span.
//   Slots are written in order i = 0, 1, ...: with overlapping slots (|strides[0]| < sizeof(void*))
//   a later slot clobbers an earlier one and the buffer is refused (a pointer leads outside the
//   block); with strides[0] == 0 every row reads the last slot written, i.e. row n0-1.
//
// Fill
//   "index": the element at C-order position k holds k in every numeric field (integers truncated
//            modulo 2^bits, floats k, '?' k % 2, complex k+0j, 'c' / 's' / 'p' / 'u' / 'w' the ASCII
//            letters cycling from 'a' + k, pad bytes 0), in the field's byte order. Where strides make
//            elements overlap, later elements overwrite earlier ones.
//   "bytes": every byte of the block holds (its offset in the block) & 0xFF, except the pointer table.
//   "zero":  the block stays zero (apart from the pointer table).
//
// Format 'O' (object pointers) is refused: the items would be pointers to nothing.
class StridedBufferType
{
public:
    StridedBufferType() = delete;

    // Builds a StridedBuffer. Needs the GIL. Throws SourceError with a one-line message naming the
    // problem on bad input (the same messages Python gets as ValueError).
    // With `contents`, the block holds those bytes instead of the fill (StridedBufferStorage::build).
    static pybind11::object create(const StridedSourceSpec& spec, const SourceLimits& limits,
                                   const std::vector<std::uint8_t>* contents = nullptr);

    // Whether `object` is a StridedBuffer (exactly; the type cannot be subclassed).
    static bool check(PyObject* object);
    // The block a StridedBuffer owns; nullopt for any other object.
    static std::optional<MemoryBlock> memoryOf(PyObject* object);

    // Limits for StridedBuffer objects that Python code builds itself (default SourceLimits()).
    // Set by whoever runs user code with limits of its own; needs the GIL.
    static void setPythonLimits(const SourceLimits& limits);
    static SourceLimits pythonLimits();

    // The type object (imports the module that holds it the first time). Needs the GIL.
    static PyTypeObject* type();

    // Creates the type as `qualifiedName` (a string literal, "module.StridedBuffer") and adds it to
    // `module` as StridedBuffer: the module's init function calls it. One module per process holds it.
    static void addTo(pybind11::module_& module, const char* qualifiedName);
    // The module built into the processes that embed Python (pyhost/pythonhost.cpp).
    static constexpr const char* embeddedModuleName = "_stridescope";
};

} // namespace stridescope
