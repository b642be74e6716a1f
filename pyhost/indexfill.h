#pragma once

#include "core/itemformat.h"
#include "core/stridedlayout.h"
#include "stridedbufferstorage.h"

namespace stridescope {

// The 'index' fill of a StridedBuffer: the element at C-order position k holds k in each of its
// fields (integers and 'P' k modulo 2^bits, floats and complex numbers k, '?' k modulo 2, characters
// letters from 'a' + k), its pad bytes 0. Where elements share bytes, C order decides which value the
// bytes keep.
class IndexFill
{
public:
    // Writes the fill into the block of `s` (whose layout resolve() checked, and whose fill work
    // StridedBufferStorage bounded); `rows` reads an indirect buffer's pointer slots.
    static void write(StridedBufferStorage& s, const ItemFormat& format,
                      const StridedLayout::PointerReader& rows);
};

} // namespace stridescope
