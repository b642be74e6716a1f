#pragma once

#include "core/itemformat.h"
#include "core/stridedlayout.h"

#include <vector>

namespace stridescope {

// A StridedSourceSpec that passed every check that needs no memory, with its defaults filled in:
// the strides, the offset of buf, the size of the block and (indirect) where the rows go. Made by
// StridedBufferStorage::resolve, the one place these rules live; build() allocates and fills from
// it, the snippets reproduce it.
struct ResolvedStridedSpec
{
    ItemFormat format;
    ByteCount itemSize = 1;
    std::vector<Extent> shape;
    std::vector<ByteOffset> strides; // indirect: strides[0] steps through the pointer table
    ByteOffset offset = 0;           // of buf in the block (indirect: of the pointer table)
    ByteCount memorySize = 0;        // the whole block
    ByteCount length = 0;            // product(shape) * itemSize
    bool indirect = false;
    // Indirect: the rows follow the table, one span each; row i starts at rowsStart + i * rowSpan,
    // and its element [i, 0, ...] sits rowLead bytes into that span (negative inner strides).
    ByteOffset rowsStart = 0;
    ByteCount rowSpan = 0;
    ByteOffset rowLead = 0;
    // Direct layouts: the layout in its block, already checked to stay inside. Indirect ones are
    // checked by build() once the pointer table is written, since core follows every pointer.
    StridedLayout layout;
};

} // namespace stridescope
