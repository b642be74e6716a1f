#pragma once

#include "memoryblock.h"
#include "../core/stridedlayout.h"

#include <Python.h>

#include <optional>

namespace stridescope {

// Finds the block of memory a Python buffer points into when its source does not say: the buffer
// of the object behind a memoryview, or of the array at the root of a numpy .base chain, when that
// block holds every byte the buffer reaches. When that object's memory holds `buf` but not every
// byte (a lying layout), its block, with `overreach` saying so. Otherwise the buffer's own extent.
class MemoryDiscovery
{
public:
    // `view` is the object's PyBUF_FULL_RO export; `reach` the bytes its elements reach, as absolute
    // addresses (nullopt when it reaches none). GIL held.
    static MemoryBlock find(PyObject* object, const Py_buffer& view,
                            std::optional<std::pair<Address, Address>> reach);
    // The owner named when no object could be found that owns the bytes: the block is just them.
    static constexpr const char* reachOnlyOwner = "the bytes the buffer reaches";
};

} // namespace stridescope
