#pragma once

#include "core/exportedbuffer.h"
#include "core/stridedlayout.h"
#include "memoryblock.h"

#include <Python.h>

#include <optional>
#include <vector>

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

    // The memory of an indirect (PIL-style) buffer, found by following the pointers the exporter
    // really holds: the bytes its pointer slots occupy and the bytes each row reaches, grouped into
    // blocks where they lie next to each other (a gap of at most kAdjacentGap bytes).
    struct IndirectMemory
    {
        MemoryBlock table;                  // the block holding buf and the table (and rows beside it)
        std::vector<MemoryBlock> rowBlocks; // blocks of rows that live apart from the table, by address
        bool rowsLeftOut = false;           // more separate blocks than kRowBlockLimit: the rest are not kept
    };
    static constexpr ByteCount kAdjacentGap = 64;
    static constexpr std::size_t kRowBlockLimit = 64;
    // `e`: the buffer's export (with suboffsets); `readSlot` reads the pointer stored at an absolute
    // address (through GuardedMemory) and returns where it points, nullopt when unreadable or NULL.
    // At most `rowLimit` rows are followed.
    static IndirectMemory findIndirect(const ExportedBuffer& e, const StridedLayout::PointerReader& readSlot,
                                       ElementIndex rowLimit);
};

} // namespace stridescope
