#include "offsetformula.h"

#include <QObject>
#include <QStringList>

namespace stridescope {

QString OffsetFormula::indexText(const std::vector<Extent>& index)
{
    QStringList parts;
    for (Extent i : index)
        parts << QString::number(i);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString OffsetFormula::forElement(const StridedLayout& layout, ElementIndex element)
{
    const auto count = layout.elementCount();
    if (!count || element < 0 || element >= *count)
        return {};
    const std::vector<Extent> index = layout.unravel(element);
    const auto offset = layout.elementOffset(index);
    if (!offset)
        return QObject::tr("element %1 %2: its row pointer leads outside the memory")
            .arg(element)
            .arg(indexText(index));
    QString sum;
    if (layout.isIndirect()) {
        // Axis 0 goes through a pointer: the formula starts at the row the pointer leads to.
        const std::vector<Extent> rowStart = [&] {
            std::vector<Extent> r(index.size(), 0);
            r[0] = index[0];
            return r;
        }();
        sum = QObject::tr("offset = row %1 at %2")
                  .arg(index[0])
                  .arg(layout.elementOffset(rowStart).value_or(-1));
        for (std::size_t k = 1; k < index.size(); ++k)
            sum += QStringLiteral(" + %1·%2").arg(index[k]).arg(layout.strides()[k]);
    } else {
        sum = QStringLiteral("offset = %1").arg(layout.bufOffset());
        for (std::size_t k = 0; k < index.size(); ++k) {
            const ByteOffset stride = layout.strides()[k];
            sum += stride < 0 ? QStringLiteral(" + %1·(%2)").arg(index[k]).arg(stride)
                              : QStringLiteral(" + %1·%2").arg(index[k]).arg(stride);
        }
    }
    return QObject::tr("element %1 %2: %3 = %4").arg(element).arg(indexText(index), sum).arg(*offset);
}

std::vector<ElementIndex> OffsetFormula::elementsAtByte(const StridedLayout& layout, ByteOffset byte,
                                                        std::size_t limit)
{
    std::vector<ElementIndex> found;
    const auto count = layout.elementCount();
    // A scan, bounded: hovering must stay instant even on a huge buffer.
    constexpr ElementIndex kScanLimit = 1 << 20;
    if (!count)
        return found;
    const ElementIndex n = std::min(*count, kScanLimit);
    for (ElementIndex e = 0; e < n && found.size() < limit; ++e) {
        const auto offset = layout.elementOffsetAt(e);
        if (offset && byte >= *offset && byte < *offset + layout.itemSize())
            found.push_back(e);
    }
    return found;
}

} // namespace stridescope
