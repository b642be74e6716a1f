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
        // The row axes go through pointers: the formula starts where the element's row starts and
        // adds the direct tail's steps.
        const int rowAxes = layout.rowAxes();
        const std::vector<Extent> prefix(index.begin(), index.begin() + rowAxes);
        const auto row = layout.rowOffset(index);
        sum = QObject::tr("offset = row %1 at %2")
                  .arg(rowAxes == 1 ? QString::number(index[0]) : indexText(prefix))
                  .arg(row ? QString::number(qint64(*row)) : QStringLiteral("?"));
        for (std::size_t k = std::size_t(rowAxes); k < index.size(); ++k)
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
    if (layout.isIndirect()) {
        // Row by row: only rows whose reach holds the byte are scanned, through their direct tail.
        const StridedLayout tail = layout.rowTail();
        const auto reach = tail.extent();
        const ElementIndex perRow = tail.elementCount().value_or(0);
        if (!reach || perRow == 0)
            return found;
        ElementIndex first = 0, scanned = 0;
        layout.visitRows([&](const std::vector<Extent>&, std::optional<ByteOffset> row) {
            if (row && byte >= *row + reach->first && byte < *row + reach->end)
                for (ElementIndex j = 0; j < perRow && found.size() < limit; ++j) {
                    const auto within = tail.elementOffsetAt(j);
                    if (within && byte >= *row + *within && byte < *row + *within + layout.itemSize())
                        found.push_back(first + j);
                }
            first += perRow;
            scanned += perRow;
            return found.size() < limit && scanned < kScanLimit;
        });
        return found;
    }
    const ElementIndex n = std::min(*count, kScanLimit);
    for (ElementIndex e = 0; e < n && found.size() < limit; ++e) {
        const auto offset = layout.elementOffsetAt(e);
        if (offset && byte >= *offset && byte < *offset + layout.itemSize())
            found.push_back(e);
    }
    return found;
}

} // namespace stridescope
