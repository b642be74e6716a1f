#include "exportedbuffer.h"

#include "stridedlayout.h"

namespace stridescope {

std::vector<Extent> ExportedBuffer::effectiveShape() const
{
    if (ndim <= 0)
        return {};
    if (shape)
        return *shape;
    if (ndim == 1)
        return {itemSize > 0 ? len / itemSize : 0};
    return {}; // ndim > 1 without shape: not a valid export
}

std::vector<ByteOffset> ExportedBuffer::effectiveStrides() const
{
    if (ndim <= 0)
        return {};
    if (strides)
        return *strides;
    return StridedLayout::cStrides(effectiveShape(), itemSize);
}

} // namespace stridescope
