#include "copymap.h"

#include <algorithm>
#include <numeric>

namespace stridescope {

CopyMap::CopyMap(StridedLayout source, StridedLayout destination)
    : m_source(std::move(source)), m_destination(std::move(destination))
{
    m_count = m_source.elementCount().value_or(0);
}

CopyMap::Entry CopyMap::at(ElementIndex element) const
{
    Entry entry;
    entry.element = element;
    const auto index = m_source.unravel(element);
    entry.source = m_source.elementOffset(index);
    ByteOffset dest = 0;
    for (std::size_t d = 0; d < index.size(); ++d)
        dest += index[d] * m_destination.strides()[d];
    entry.destination = dest;
    return entry;
}

ElementIndex CopyMap::elementAtDestination(ByteOffset destinationByte) const
{
    const ByteCount itemSize = m_destination.itemSize();
    ByteCount length = 0; // a lying exporter's shape may hold more than 2^63 bytes
    if (m_count == 0 || itemSize <= 0 || destinationByte < 0 ||
        (!__builtin_mul_overflow(m_count, itemSize, &length) && destinationByte >= length))
        return -1;
    // The destination is contiguous: peel the index off axis by axis, largest stride first.
    // Axes of extent 1 are skipped: their stride may equal a neighbour's.
    const int n = m_destination.ndim();
    std::vector<int> axes(n);
    std::iota(axes.begin(), axes.end(), 0);
    std::stable_sort(axes.begin(), axes.end(),
                     [&](int a, int b) { return m_destination.strides()[a] > m_destination.strides()[b]; });
    std::vector<Extent> index(n, 0);
    ByteOffset rest = destinationByte - destinationByte % itemSize;
    for (int axis : axes) {
        if (m_destination.shape()[axis] <= 1)
            continue;
        index[axis] = rest / m_destination.strides()[axis];
        rest %= m_destination.strides()[axis];
    }
    ElementIndex linear = 0;
    for (int d = 0; d < n; ++d)
        linear = linear * m_destination.shape()[d] + index[d];
    return linear;
}

} // namespace stridescope
