#include "reporttext.h"

#include <QObject>
#include <QStringList>

namespace stridescope {

namespace {

QString strideText(ByteOffset stride)
{
    return stride < 0 ? QStringLiteral("(%1)").arg(stride) : QString::number(stride);
}

} // namespace

QString ReportText::indexText(const std::vector<Extent>& index)
{
    QStringList parts;
    for (Extent i : index)
        parts << QString::number(i);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString ReportText::stepCaption(const CopySteps::Step& step, ElementIndex count)
{
    const QString source = step.source ? QObject::tr("source offset %1").arg(*step.source)
                                       : QObject::tr("a source pointer that cannot be followed");
    return QObject::tr("step %1 of %2 · element %3: %4 → result offset %5")
        .arg(step.step + 1)
        .arg(count)
        .arg(indexText(step.index), source)
        .arg(step.result);
}

QString ReportText::offsetText(ByteOffset offset)
{
    const QString hex = QString::number(qAbs(offset), 16).toUpper().rightJustified(4, QLatin1Char('0'));
    return (offset < 0 ? QStringLiteral("-0x") : QStringLiteral("+0x")) + hex;
}

QString ReportText::countText(qint64 count)
{
    QString digits = QString::number(qAbs(count));
    for (int i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return count < 0 ? QLatin1Char('-') + digits : digits;
}

QString ReportText::formatText() const
{
    const InspectionReport& report = m_data.report();
    if (!report.sourceBuffer)
        return {};
    return QStringLiteral("'%1', itemsize %2")
        .arg(QString::fromStdString(report.sourceBuffer->effectiveFormat()))
        .arg(m_data.sourceLayout().itemSize());
}

QString ReportText::offsetFormula(ElementIndex element) const
{
    const StridedLayout& source = m_data.sourceLayout();
    if (element < 0 || element >= m_data.elementCount())
        return {};
    const auto index = source.unravel(element);
    const auto offset = m_data.elementOffset(element);
    const QChar dot(0x00B7);
    const auto& sub = source.suboffsets();
    QString expr = QString::number(source.bufOffset());
    ByteOffset sum = source.bufOffset();
    QString pointers;
    for (int d = 0; d < source.ndim(); ++d) {
        expr += QStringLiteral(" + %1%2%3").arg(index[d]).arg(dot).arg(strideText(source.strides()[d]));
        sum += index[d] * source.strides()[d];
        if (sub && (*sub)[d] >= 0) {
            // A slot: the sum so far is where a pointer is stored. Where it leads is the row start,
            // i.e. the offset of this element with every later index at 0.
            std::vector<Extent> rowStart(index.begin(), index.begin() + d + 1);
            rowStart.resize(index.size(), 0);
            const auto start = source.elementOffset(rowStart);
            expr = QStringLiteral("*(%1)").arg(expr);
            if ((*sub)[d] != 0)
                expr += QStringLiteral(" + %1").arg((*sub)[d]);
            pointers += QStringLiteral(", the pointer at %1 leads to %2")
                            .arg(sum)
                            .arg(start ? QString::number(*start - (*sub)[d]) : QStringLiteral("?"));
            sum = start.value_or(0);
        }
    }
    return QStringLiteral("offset = %1 = %2%3")
        .arg(expr, offset ? QString::number(*offset) : QStringLiteral("?"), pointers);
}

QString ReportText::placeText(ByteOffset byteInItem) const
{
    if (!m_data.hasFieldLayout()) // then the item's format describes its bytes
        return {};
    const ItemFormat& format = *m_data.itemFormat();
    const auto range = [](ByteOffset first, ByteCount size) {
        return size == 1 ? QStringLiteral("byte %1").arg(first)
                         : QStringLiteral("bytes %1\u2013%2").arg(first).arg(first + size - 1);
    };
    const ItemPlace place = format.placeOf(byteInItem, m_data.sourceLayout().itemSize());
    if (place.field >= 0) {
        const FormatField& f = format.fields()[std::size_t(place.field)];
        return QStringLiteral("field %1 (%2, %3) %4")
            .arg(f.name.empty() ? QString::number(place.field) : QString::fromStdString(f.name),
                 QString::fromStdString(f.codeText()), QString::fromStdString(f.typeName()),
                 range(f.offset, f.size));
    }
    if (place.isPadding())
        return QStringLiteral("padding ") + range(place.padding.offset, place.padding.size);
    return {};
}

QString ReportText::describe(const HighlightModel::Target& target) const
{
    if (target.element >= 0 && target.element < m_data.elementCount()) {
        QString text = QStringLiteral("element %1: %2")
                           .arg(indexText(m_data.unravel(target.element)), offsetFormula(target.element));
        if (!m_data.elementInsideMemory(target.element))
            text += QStringLiteral(" (outside the memory block)");
        return text;
    }
    if (target.region == HighlightModel::Region::None || target.byte < 0)
        return {};
    const bool result = target.region == HighlightModel::Region::ResultMemory;
    const ByteOwnership& owners = result ? m_data.copyOwners() : m_data.sourceOwners();
    const QString where =
        (result ? QStringLiteral("copy byte %1") : QStringLiteral("byte %1")).arg(offsetText(target.byte));
    const auto elements = owners.elementsAt(target.byte, 4);
    const auto found = owners.at(target.byte, ByteOwnership::describeLimit);
    const auto count = found.count;
    if (elements.empty())
        return where + QStringLiteral(": a gap, no element reaches it");
    QStringList names;
    for (ElementIndex e : elements)
        names << indexText(m_data.unravel(e));
    if (count == 1) {
        const auto off = result ? m_data.copyDestination(elements[0]) : m_data.elementOffset(elements[0]);
        const ByteOffset inItem = off ? target.byte - *off : 0;
        // A record's byte: which field, or which padding, it is ("; field b (d, float64) bytes 8–15").
        const QString place = off ? placeText(inItem) : QString();
        return QStringLiteral("%1: byte %2 of element %3%4 (%5)")
            .arg(where)
            .arg(inItem)
            .arg(names[0], place.isEmpty() ? QString() : QStringLiteral("; ") + place,
                 result ? QStringLiteral("copied from the source") : offsetFormula(elements[0]));
    }
    const QString many = count >= ByteOwnership::saturated ? QStringLiteral("very many")
                         : found.atLeast                   ? QStringLiteral("at least %1").arg(count)
                                                           : QString::number(count);
    return QStringLiteral("%1: shared by %2 elements: %3%4")
        .arg(where, many, names.join(QStringLiteral(", ")),
             count > elements.size() ? QStringLiteral(", ...") : QString());
}

} // namespace stridescope
