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

} // namespace

InspectorPainter::InspectorPainter(const ReportData& data, const Theme& theme) : m_theme(theme)
{
    const InspectionReport& r = data.report();
    const auto& s = r.sourceBuffer;
    const auto& res = r.result.buffer;
    const bool copy = data.outcome() == ConversionPrediction::Outcome::Copy;
    auto bufText = [&](bool result) -> QString {
        if (!result)
            return s ? QStringLiteral("memory + %1").arg(data.bufOffset()) : QStringLiteral("\u2014");
        if (!res)
            return QStringLiteral("\u2014");
        if (copy)
            return QStringLiteral("new bytes + 0");
        const auto delta = data.resultBufDelta();
        return delta ? QStringLiteral("memory + %1").arg(data.bufOffset() + *delta) : QStringLiteral("?");
    };
    auto field = [&](const std::optional<ExportedBuffer>& b, auto get) -> QString {
        return b ? get(*b) : QStringLiteral("\u2014");
    };
    m_rows.push_back({QStringLiteral(""), QStringLiteral("source"), QStringLiteral("result")});
    m_rows.push_back({QStringLiteral("type"), q(r.sourceType),
                      r.result.isMemoryview
                          ? QStringLiteral("memoryview")
                          : (r.result.error ? QStringLiteral("(raised %1)").arg(q(r.result.error->type))
                                            : QStringLiteral("\u2014"))});
    m_rows.push_back({QStringLiteral("buf"), bufText(false), bufText(true)});
    m_rows.push_back({QStringLiteral("obj / GET_BASE"), q(r.sourceType),
                      r.result.baseKind == ConversionPrediction::BaseKind::None
                          ? QStringLiteral("\u2014")
                          : QStringLiteral("%1 (%2)").arg(
                                q(ConversionPrediction::baseKindName(r.result.baseKind)),
                                r.result.baseType.empty() ? QStringLiteral("NULL") : q(r.result.baseType))});
    m_rows.push_back({QStringLiteral("len"),
                      field(s, [](const ExportedBuffer& b) { return QString::number(b.len); }),
                      field(res, [](const ExportedBuffer& b) { return QString::number(b.len); })});
    m_rows.push_back({QStringLiteral("itemsize"),
                      field(s, [](const ExportedBuffer& b) { return QString::number(b.itemSize); }),
                      field(res, [](const ExportedBuffer& b) { return QString::number(b.itemSize); })});
    m_rows.push_back({QStringLiteral("readonly"),
                      field(s, [](const ExportedBuffer& b) { return QString::number(b.readonly); }),
                      field(res, [](const ExportedBuffer& b) { return QString::number(b.readonly); })});
    m_rows.push_back({QStringLiteral("ndim"),
                      field(s, [](const ExportedBuffer& b) { return QString::number(b.ndim); }),
                      field(res, [](const ExportedBuffer& b) { return QString::number(b.ndim); })});
    auto format = [](const ExportedBuffer& b) {
        return b.format ? QStringLiteral("'%1'").arg(q(*b.format)) : QStringLiteral("NULL");
    };
    m_rows.push_back({QStringLiteral("format"), field(s, format), field(res, format)});
    m_rows.push_back({QStringLiteral("shape"),
                      field(s, [](const ExportedBuffer& b) { return PythonText::tuple(b.shape); }),
                      field(res, [](const ExportedBuffer& b) { return PythonText::tuple(b.shape); })});
    m_rows.push_back({QStringLiteral("strides"),
                      field(s, [](const ExportedBuffer& b) { return PythonText::tuple(b.strides); }),
                      field(res, [](const ExportedBuffer& b) { return PythonText::tuple(b.strides); })});
    m_rows.push_back({QStringLiteral("suboffsets"),
                      field(s, [](const ExportedBuffer& b) { return PythonText::tuple(b.suboffsets); }),
                      field(res, [](const ExportedBuffer& b) { return PythonText::tuple(b.suboffsets); })});
    auto yesNo = [](bool v) { return v ? QStringLiteral("yes") : QStringLiteral("no"); };
    const auto pyBool = [](bool v) { return v ? QStringLiteral("True") : QStringLiteral("False"); };
    m_rows.push_back(
        {QStringLiteral("IsContiguous C/F"),
         s ? QStringLiteral("%1 / %2").arg(yesNo(r.cVerdict.contiguous), yesNo(r.fVerdict.contiguous))
           : QStringLiteral("\u2014"),
         res ? QStringLiteral("%1 / %2").arg(yesNo(r.result.bufferIsContiguous.c),
                                             yesNo(r.result.bufferIsContiguous.f))
             : QStringLiteral("\u2014")});
    // What Python code reads (memoryview's init_flags): differs for a 1-D view of extent 0.
    m_rows.push_back(
        {QStringLiteral("c_/f_contiguous"),
         r.sourceMemoryviewFlags ? QStringLiteral("%1 / %2").arg(pyBool(r.sourceMemoryviewFlags->cContiguous),
                                                                 pyBool(r.sourceMemoryviewFlags->fContiguous))
                                 : QStringLiteral("\u2014"),
         res ? QStringLiteral("%1 / %2").arg(pyBool(r.result.cContiguous), pyBool(r.result.fContiguous))
             : QStringLiteral("\u2014")});

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
