#include "inspectorpainter.h"

#include "pythontext.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace stridescope {

namespace {

constexpr qreal padding = 8;
constexpr qreal columnGap = 24;
constexpr int maxCellChars = 48;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString clip(QString s)
{
    return s.size() > maxCellChars ? s.left(maxCellChars - 1) + QChar(0x2026) : s;
}

QString dash()
{
    return QStringLiteral("\u2014");
}

// A field of a buffer, a dash when there is no buffer.
template <class Get> QString field(const std::optional<ExportedBuffer>& b, Get get)
{
    return b ? get(*b) : dash();
}

// Where buf points, relative to the memory block (a copy's: to its new bytes).
QString bufText(const ReportData& data, bool result)
{
    if (!result)
        return data.report().sourceBuffer ? QStringLiteral("memory + %1").arg(data.bufOffset()) : dash();
    if (!data.report().result.buffer)
        return dash();
    if (data.outcome() == ConversionPrediction::Outcome::Copy)
        return QStringLiteral("new bytes + 0");
    const auto delta = data.resultBufDelta();
    return delta ? QStringLiteral("memory + %1").arg(data.bufOffset() + *delta) : QStringLiteral("?");
}

QString resultTypeText(const InspectionReport& r)
{
    if (r.result.isMemoryview)
        return QStringLiteral("memoryview");
    return r.result.error ? QStringLiteral("(raised %1)").arg(q(r.result.error->type)) : dash();
}

QString baseText(const InspectionReport& r)
{
    if (r.result.baseKind == ConversionPrediction::BaseKind::None)
        return dash();
    return QStringLiteral("%1 (%2)").arg(q(ConversionPrediction::baseKindName(r.result.baseKind)),
                                         r.result.baseType.empty() ? QStringLiteral("NULL")
                                                                   : q(r.result.baseType));
}

// Two flags as "a / b", each in `words`.
template <class Words> QString flagPair(bool a, bool b, Words words)
{
    return QStringLiteral("%1 / %2").arg(words(a), words(b));
}

QString yesNo(bool v)
{
    return v ? QStringLiteral("yes") : QStringLiteral("no");
}

QString pyBool(bool v)
{
    return v ? QStringLiteral("True") : QStringLiteral("False");
}

} // namespace

InspectorPainter::InspectorPainter(const ReportData& data, const Theme& theme) : m_theme(theme)
{
    m_rows.push_back({QStringLiteral(""), QStringLiteral("source"), QStringLiteral("result")});
    addIdentityRows(data);
    addFieldRows(data.report());
    addContiguityRows(data.report());
    measure(theme);
}

void InspectorPainter::addIdentityRows(const ReportData& data)
{
    const InspectionReport& r = data.report();
    m_rows.push_back({QStringLiteral("type"), q(r.sourceType), resultTypeText(r)});
    m_rows.push_back({QStringLiteral("buf"), bufText(data, false), bufText(data, true)});
    m_rows.push_back({QStringLiteral("obj / GET_BASE"), q(r.sourceType), baseText(r)});
}

template <class Get>
void InspectorPainter::addFieldRow(const QString& name, const InspectionReport& r, Get get)
{
    m_rows.push_back({name, field(r.sourceBuffer, get), field(r.result.buffer, get)});
}

void InspectorPainter::addFieldRows(const InspectionReport& r)
{
    addFieldRow(QStringLiteral("len"), r, [](const ExportedBuffer& b) { return QString::number(b.len); });
    addFieldRow(QStringLiteral("itemsize"), r,
                [](const ExportedBuffer& b) { return QString::number(b.itemSize); });
    addFieldRow(QStringLiteral("readonly"), r,
                [](const ExportedBuffer& b) { return QString::number(b.readonly); });
    addFieldRow(QStringLiteral("ndim"), r, [](const ExportedBuffer& b) { return QString::number(b.ndim); });
    addFieldRow(QStringLiteral("format"), r, [](const ExportedBuffer& b) {
        return b.format ? QStringLiteral("'%1'").arg(q(*b.format)) : QStringLiteral("NULL");
    });
    addFieldRow(QStringLiteral("shape"), r,
                [](const ExportedBuffer& b) { return PythonText::tuple(b.shape); });
    addFieldRow(QStringLiteral("strides"), r,
                [](const ExportedBuffer& b) { return PythonText::tuple(b.strides); });
    addFieldRow(QStringLiteral("suboffsets"), r,
                [](const ExportedBuffer& b) { return PythonText::tuple(b.suboffsets); });
}

void InspectorPainter::addContiguityRows(const InspectionReport& r)
{
    const bool source = r.sourceBuffer.has_value(), result = r.result.buffer.has_value();
    m_rows.push_back(
        {QStringLiteral("IsContiguous C/F"),
         source ? flagPair(r.cVerdict.contiguous, r.fVerdict.contiguous, yesNo) : dash(),
         result ? flagPair(r.result.bufferIsContiguous.c, r.result.bufferIsContiguous.f, yesNo) : dash()});
    // What Python code reads (memoryview's init_flags): differs for a 1-D view of extent 0.
    const auto& flags = r.sourceMemoryviewFlags;
    m_rows.push_back({QStringLiteral("c_/f_contiguous"),
                      flags ? flagPair(flags->cContiguous, flags->fContiguous, pyBool) : dash(),
                      result ? flagPair(r.result.cContiguous, r.result.fContiguous, pyBool) : dash()});
}

void InspectorPainter::measure(const Theme& theme)
{
    const QFontMetricsF fm(theme.monoFont());
    m_line = fm.height() + 3;
    for (Row& row : m_rows) {
        row.source = clip(row.source);
        row.result = clip(row.result);
        m_columns[0] = std::max(m_columns[0], fm.horizontalAdvance(row.field));
        m_columns[1] = std::max(m_columns[1], fm.horizontalAdvance(row.source));
        m_columns[2] = std::max(m_columns[2], fm.horizontalAdvance(row.result));
    }
    m_size = QSizeF(2 * padding + m_columns[0] + m_columns[1] + m_columns[2] + 2 * columnGap,
                    2 * padding + m_rows.size() * m_line);
}

void InspectorPainter::paint(QPainter& painter) const
{
    painter.save();
    painter.setFont(m_theme.monoFont());
    qreal y = padding;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows[i];
        if (i % 2 == 1)
            painter.fillRect(QRectF(padding / 2, y, m_size.width() - padding, m_line), m_theme.panel());
        qreal x = padding;
        const QString texts[3] = {row.field, row.source, row.result};
        for (int c = 0; c < 3; ++c) {
            painter.setPen(c == 0 || i == 0 ? m_theme.mutedText() : m_theme.text());
            painter.drawText(QRectF(x, y, m_columns[c] + 2, m_line), Qt::AlignLeft | Qt::AlignVCenter,
                             texts[c]);
            x += m_columns[c] + columnGap;
        }
        y += m_line;
    }
    painter.restore();
}

} // namespace stridescope
