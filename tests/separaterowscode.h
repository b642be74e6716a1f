#pragma once

// Shared by tst_probe and tst_supervisor: Python code for another exporter's indirect buffer whose
// rows are not beside its pointer table.
namespace stridescope::testcode {

// An indirect buffer whose three rows live in separate allocations (4 KiB apart at least), reached
// through a pointer table in a fourth: a Py_buffer built with ctypes, wrapped by
// PyMemoryView_FromBuffer. The parts stay alive in sys for the inspection.
inline constexpr const char* separateRowsCode = R"(import ctypes, sys
P = ctypes.c_ssize_t
class Py_buffer(ctypes.Structure):
    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p), ('len', P), ('itemsize', P),
                ('readonly', ctypes.c_int), ('ndim', ctypes.c_int), ('format', ctypes.c_char_p),
                ('shape', ctypes.POINTER(P)), ('strides', ctypes.POINTER(P)),
                ('suboffsets', ctypes.POINTER(P)), ('internal', ctypes.c_void_p)]
rows = [(ctypes.c_uint8 * 4096)() for _ in range(3)]
for i, r in enumerate(rows):
    for j in range(4):
        r[j] = 4 * i + j
table = (ctypes.c_void_p * 3)(*[ctypes.addressof(r) for r in rows])
shape, strides, sub = (P * 2)(3, 4), (P * 2)(8, 1), (P * 2)(0, -1)
fmt = ctypes.c_char_p(b'B')
view = Py_buffer(ctypes.addressof(table), None, 12, 1, 0, 2, fmt, shape, strides, sub, None)
fromBuffer = ctypes.pythonapi.PyMemoryView_FromBuffer
fromBuffer.restype, fromBuffer.argtypes = ctypes.py_object, [ctypes.c_void_p]
sys.stridescope_keep = (rows, table, shape, strides, sub, fmt, view)
fromBuffer(ctypes.addressof(view))
)";

} // namespace stridescope::testcode
