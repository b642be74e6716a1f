#pragma once

// Python code for PIL-style buffers of "another exporter": a Py_buffer built with ctypes (shape
// (3, 4), format 'B', strides (8, 1), suboffsets (0, -1)) and wrapped by PyMemoryView_FromBuffer.
// Shared by tst_probe, tst_supervisor and tst_cli.
#include <string>

namespace stridescope::testcode {

// `rowsAndTable` defines `rows` (what the pointers lead to) and `table` (three pointers); the parts
// stay alive in sys for the inspection.
inline std::string pilTableCode(const std::string& rowsAndTable)
{
    return R"(import ctypes, sys
P = ctypes.c_ssize_t
class Py_buffer(ctypes.Structure):
    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p), ('len', P), ('itemsize', P),
                ('readonly', ctypes.c_int), ('ndim', ctypes.c_int), ('format', ctypes.c_char_p),
                ('shape', ctypes.POINTER(P)), ('strides', ctypes.POINTER(P)),
                ('suboffsets', ctypes.POINTER(P)), ('internal', ctypes.c_void_p)]
)" + rowsAndTable +
           R"(
shape, strides, sub = (P * 2)(3, 4), (P * 2)(8, 1), (P * 2)(0, -1)
fmt = ctypes.c_char_p(b'B')
view = Py_buffer(ctypes.addressof(table), None, 12, 1, 0, 2, fmt, shape, strides, sub, None)
fromBuffer = ctypes.pythonapi.PyMemoryView_FromBuffer
fromBuffer.restype, fromBuffer.argtypes = ctypes.py_object, [ctypes.c_void_p]
sys.stridescope_keep = (rows, table, shape, strides, sub, fmt, view)
fromBuffer(ctypes.addressof(view))
)";
}

// The three rows live in separate allocations (4 KiB apart at least), the table in a fourth.
inline const std::string separateRowsCode =
    pilTableCode(R"(rows = [(ctypes.c_uint8 * 4096)() for _ in range(3)]
for i, r in enumerate(rows):
    for j in range(4):
        r[j] = 4 * i + j
table = (ctypes.c_void_p * 3)(*[ctypes.addressof(r) for r in rows])
)");

} // namespace stridescope::testcode
