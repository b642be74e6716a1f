#include "comparisonpicture.h"

#include "reporttext.h"

#include "comparisonsummary.h"
#include "core/pairbytereach.h"
#include "pyhost/inspectionreport.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace stridescope {

namespace {

constexpr qreal margin = 12;
constexpr qreal gap = 12;
// Each object's views are a band the full width of the picture, one under the other: at the width
// ReportPicture lays a picture out for, so they are drawn at their natural size, as `render` draws one.
constexpr qreal bandWidth = 1036;
constexpr qreal bandMostHeight = 640;
constexpr qreal frameWidth = 3;
constexpr qreal legendSwatch = 14;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

qreal lineHeight(const QFont& font)
{
    return QFontMetricsF(font).height() + 4;
}

// The cells of one run of bytes: the union of the reach bits of each cell's bytes.
std::vector<std::uint8_t> cellsOf(const std::vector<std::uint8_t>& reach, ByteCount bytesPerCell)
{
    std::vector<std::uint8_t> cells(std::size_t((ByteCount(reach.size()) + bytesPerCell - 1) / bytesPerCell),
                                    0);
    for (std::size_t i = 0; i < reach.size(); ++i)
        cells[i / std::size_t(bytesPerCell)] |= reach[i];
    return cells;
}

// One layout's bytes over its own span, marked `mark` (PairByteReach of it with itself marks Both).
std::vector<std::uint8_t> ownReach(const StridedLayout& layout, std::uint8_t mark, ByteOffset* start)
{
    const PairByteReach self = PairByteReach::compute(layout, layout, ComparisonPicture::maximumBytes);
    std::vector<std::uint8_t> reach = self.reach();
    for (std::uint8_t& r : reach)
        r = r ? mark : 0;
    *start = self.spanStart();
    return reach;
}

} // namespace

struct ComparisonPicture::Layout
{
    qreal width = 0;
    qreal height = 0;
    qreal verdictY = 0;
    qreal bytesY = 0;
    qreal stripTitleY = 0;
    qreal legendY = 0;
    qreal stripY = 0;
    int cellsPerRow = 32;
    QSizeF cell;
    qreal labelWidth = 0;
    qreal segmentGap = 0; // the line between two runs that lie apart
    QRectF bands[2];
};

bool ComparisonPicture::applies(const InspectionReport& report)
{
    return report.comparison && report.comparison->second;
}

ComparisonPicture::ComparisonPicture(std::shared_ptr<const InspectionReport> report,
                                     ReportPicture::Views views, const Theme& theme)
    : m_report(std::move(report)),
      m_bandViews(views & (ReportPicture::Logical | ReportPicture::Result | ReportPicture::Inspector)),
      m_drawStrip(views.testFlag(ReportPicture::Memory)), m_theme(theme)
{
    if (!m_drawStrip || !applies(*m_report))
        return;
    const ComparisonReport& c = *m_report->comparison;
    if (!c.notCompared.empty()) {
        m_stripNote = QStringLiteral("no memory strip: ") + q(c.notCompared);
        return;
    }
    // The second's layout in the first's memory coordinates (ComparisonInspector checked the sum fits).
    const StridedLayout& a = m_report->sourceLayout;
    const StridedLayout& s = c.second->sourceLayout;
    const StridedLayout b(s.itemSize(), s.shape(), s.strides(), c.secondShift + s.bufOffset());
    const PairByteReach pair = PairByteReach::compute(a, b, maximumBytes);
    if (!pair.counted()) {
        m_stripNote = QStringLiteral("no memory strip: the two objects span %1").arg(q(pair.refusal()));
        m_stripNote.replace(QStringLiteral(": bytes are not counted"),
                            QStringLiteral(" (the counts above are exact)"));
        return;
    }
    std::vector<std::pair<ByteOffset, std::vector<std::uint8_t>>> runs;
    if (!pair.reach().empty()) {
        runs.emplace_back(pair.spanStart(), pair.reach());
    } else {
        // Ranges that do not meet: each object's bytes over its own span, one run apart from the other.
        for (const auto& [layout, mark] :
             {std::pair{&a, PairByteReach::First}, std::pair{&b, PairByteReach::Second}}) {
            ByteOffset start = 0;
            std::vector<std::uint8_t> reach = ownReach(*layout, mark, &start);
            if (!reach.empty())
                runs.emplace_back(start, std::move(reach));
        }
    }
    // In address order: a run before another is drawn above it.
    std::sort(runs.begin(), runs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    ByteCount total = 0;
    for (const auto& run : runs)
        total += ByteCount(run.second.size());
    m_bytesPerCell = std::max<ByteCount>(1, (total + maximumCells - 1) / maximumCells);
    for (auto& [start, reach] : runs)
        m_segments.push_back({start, ByteCount(reach.size()), cellsOf(reach, m_bytesPerCell)});
    if (m_bytesPerCell > 1)
        m_stripNote = QStringLiteral("each cell of the memory strip stands for %1 bytes (%2 bytes in all): a "
                                     "cell is hatched when some byte of it is reached by both")
                          .arg(m_bytesPerCell)
                          .arg(ReportText::countText(total));
}

QString ComparisonPicture::verdictLine() const
{
    return QStringLiteral("Shares memory: ") + ComparisonSummary::verdict(*m_report->comparison);
}

QString ComparisonPicture::bytesLine() const
{
    const ComparisonReport& c = *m_report->comparison;
    if (!c.notCompared.empty())
        return {};
    return QStringLiteral("Bytes: %1 \u00b7 ranges %2 \u00b7 %3")
        .arg(ComparisonSummary::bytes(c), ComparisonSummary::ranges(c), ComparisonSummary::memory(c));
}

QStringList ComparisonPicture::notes() const
{
    QStringList out;
    if (!m_stripNote.isEmpty())
        out << m_stripNote;
    return out;
}

ComparisonPicture::Layout ComparisonPicture::layout() const
{
    Layout l;
    l.width = 2 * margin + bandWidth;
    qreal y = margin;
    l.verdictY = y;
    y += lineHeight(m_theme.titleFont());
    l.bytesY = y;
    y += lineHeight(m_theme.labelFont()) + gap / 2;
    ByteCount cells = 0;
    for (const Segment& s : m_segments)
        cells += ByteCount(s.cells.size());
    if (m_drawStrip) {
        l.stripTitleY = y;
        y += lineHeight(m_theme.titleFont());
        l.legendY = y;
        y += legendSwatch + 8;
        l.stripY = y;
        l.cellsPerRow = cells <= 256 ? 32 : 64;
        l.cell = cells <= 256 ? QSizeF(24, 24) : QSizeF(14, 16);
        l.labelWidth = QFontMetricsF(m_theme.monoFont()).horizontalAdvance(QStringLiteral("+0x000000")) + 8;
        l.segmentGap = lineHeight(m_theme.labelFont()) + 4;
        for (std::size_t i = 0; i < m_segments.size(); ++i) {
            const auto rows = (qint64(m_segments[i].cells.size()) + l.cellsPerRow - 1) / l.cellsPerRow;
            y += rows * l.cell.height() + (i + 1 < m_segments.size() ? l.segmentGap : 0);
        }
        if (!m_stripNote.isEmpty())
            y += lineHeight(m_theme.labelFont());
        y += gap;
    }
    if (m_bandViews) {
        const InspectionReport* reports[2] = {m_report.get(), m_report->comparison->second.get()};
        const qreal header = lineHeight(m_theme.titleFont()) + 4;
        for (int i = 0; i < 2; ++i) {
            const QSize preferred = ReportPicture::preferredSize(*reports[i], m_bandViews, m_theme);
            const qreal scale =
                std::min<qreal>(1.0, (bandWidth - 2 * frameWidth) / std::max(1, preferred.width()));
            const qreal height = std::min(bandMostHeight, preferred.height() * scale);
            l.bands[i] = QRectF(margin, y, bandWidth, header + height + frameWidth);
            y += l.bands[i].height() + (i == 0 ? gap : 0);
        }
    }
    l.height = y + margin;
    return l;
}

QSize ComparisonPicture::preferredSize() const
{
    const Layout l = layout();
    return QSize(int(std::ceil(l.width)), int(std::ceil(l.height)));
}

qreal ComparisonPicture::fitScale(const QRectF& target) const
{
    // A window larger than the picture draws it at most half as large again: cells stay cells.
    const QSize natural = preferredSize();
    return std::min({1.5, target.width() / natural.width(), target.height() / natural.height()});
}

std::optional<QRectF> ComparisonPicture::cellRect(ByteOffset byte, const QRectF& target) const
{
    const Layout l = layout();
    const qreal scale = fitScale(target);
    qreal y = l.stripY;
    for (const Segment& s : m_segments) {
        const auto rows = (qint64(s.cells.size()) + l.cellsPerRow - 1) / l.cellsPerRow;
        if (byte >= s.start && byte < s.start + s.bytes) {
            const qint64 cell = (byte - s.start) / m_bytesPerCell;
            const QRectF local(margin + l.labelWidth + (cell % l.cellsPerRow) * l.cell.width(),
                               y + (cell / l.cellsPerRow) * l.cell.height(), l.cell.width(), l.cell.height());
            return QRectF(target.topLeft() + local.topLeft() * scale, local.size() * scale);
        }
        y += rows * l.cell.height() + l.segmentGap;
    }
    return std::nullopt;
}

void ComparisonPicture::paintLegend(QPainter& painter, QPointF at) const
{
    const ComparisonReport& c = *m_report->comparison;
    const QString a = q(c.firstName), b = q(c.secondName);
    const QFontMetricsF fm(m_theme.labelFont());
    painter.setFont(m_theme.labelFont());
    const auto swatch = [&](std::uint8_t reach, const QString& text) {
        const QRectF box(at, QSizeF(legendSwatch, legendSwatch));
        painter.fillRect(box, reach == PairByteReach::Both     ? m_theme.objectColour(0)
                              : reach == PairByteReach::First  ? m_theme.objectColour(0)
                              : reach == PairByteReach::Second ? m_theme.objectColour(1)
                                                               : m_theme.gap());
        if (reach == PairByteReach::Both) {
            painter.save();
            painter.setClipRect(box);
            painter.setPen(QPen(m_theme.objectColour(1), 3));
            for (qreal x = box.left() - box.height(); x < box.right(); x += 7)
                painter.drawLine(QPointF(x, box.bottom()), QPointF(x + box.height(), box.top()));
            painter.restore();
        }
        painter.setPen(m_theme.grid());
        painter.drawRect(box);
        painter.setPen(m_theme.text());
        painter.drawText(QPointF(at.x() + legendSwatch + 5, at.y() + legendSwatch - 3), text);
        at.rx() += legendSwatch + 5 + fm.horizontalAdvance(text) + 18;
    };
    swatch(PairByteReach::First, QStringLiteral("only '%1'").arg(a));
    swatch(PairByteReach::Second, QStringLiteral("only '%1'").arg(b));
    swatch(PairByteReach::Both, QStringLiteral("both (hatched in both colours)"));
    swatch(PairByteReach::None, QStringLiteral("neither"));
}

void ComparisonPicture::paintStrip(QPainter& painter, const Layout& l) const
{
    const ComparisonReport& c = *m_report->comparison;
    const QColor first = m_theme.objectColour(0), second = m_theme.objectColour(1);
    const qreal stripe = l.cell.width() >= 12 ? 3 : 2;
    qreal y = l.stripY;
    painter.setFont(m_theme.monoFont());
    const QFontMetricsF mono(m_theme.monoFont());
    for (std::size_t i = 0; i < m_segments.size(); ++i) {
        const Segment& s = m_segments[i];
        const auto rows = (qint64(s.cells.size()) + l.cellsPerRow - 1) / l.cellsPerRow;
        for (qint64 row = 0; row < rows; ++row) {
            const qreal top = y + row * l.cell.height();
            painter.setPen(m_theme.mutedText());
            painter.drawText(QRectF(margin, top, l.labelWidth - 8, l.cell.height()),
                             Qt::AlignRight | Qt::AlignVCenter,
                             ReportText::offsetText(s.start + row * l.cellsPerRow * m_bytesPerCell));
            const qint64 end = std::min<qint64>(qint64(s.cells.size()), (row + 1) * l.cellsPerRow);
            for (qint64 cell = row * l.cellsPerRow; cell < end; ++cell) {
                const QRectF box(margin + l.labelWidth + (cell % l.cellsPerRow) * l.cell.width(), top,
                                 l.cell.width(), l.cell.height());
                const std::uint8_t reach = s.cells[std::size_t(cell)];
                painter.fillRect(box, reach & PairByteReach::First    ? first
                                      : reach & PairByteReach::Second ? second
                                                                      : m_theme.gap());
                if (reach == PairByteReach::Both) {
                    // Stripes of the second's colour over the first's: lines, so SVG and PDF keep them.
                    painter.save();
                    painter.setClipRect(box);
                    painter.setPen(QPen(second, stripe, Qt::SolidLine, Qt::FlatCap));
                    const qreal step = stripe * 2.4;
                    for (qreal x = std::floor((box.left() - box.height()) / step) * step; x < box.right();
                         x += step)
                        painter.drawLine(QPointF(x, box.bottom()), QPointF(x + box.height(), box.top()));
                    painter.restore();
                }
            }
            painter.setPen(QPen(m_theme.grid(), 0));
            painter.setBrush(Qt::NoBrush);
            for (qint64 cell = row * l.cellsPerRow; cell < end; ++cell)
                painter.drawRect(QRectF(margin + l.labelWidth + (cell % l.cellsPerRow) * l.cell.width(), top,
                                        l.cell.width(), l.cell.height()));
        }
        y += rows * l.cell.height();
        if (i + 1 < m_segments.size()) {
            const Segment& next = m_segments[i + 1];
            painter.setFont(m_theme.labelFont());
            painter.setPen(m_theme.mutedText());
            painter.drawText(
                QRectF(margin + l.labelWidth, y, l.width - 2 * margin - l.labelWidth, l.segmentGap),
                Qt::AlignLeft | Qt::AlignVCenter,
                QStringLiteral(
                    "\u22ee the byte ranges of '%1' and '%2' do not meet: %3 bytes lie between them")
                    .arg(q(c.firstName), q(c.secondName))
                    .arg(ReportText::countText(next.start - (s.start + s.bytes))));
            painter.setFont(m_theme.monoFont());
            y += l.segmentGap;
        }
    }
    if (!m_stripNote.isEmpty()) {
        painter.setFont(m_theme.labelFont());
        painter.setPen(m_theme.mutedText());
        painter.drawText(
            QRectF(margin, y, l.width - 2 * margin, lineHeight(m_theme.labelFont())),
            Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetricsF(m_theme.labelFont()).elidedText(m_stripNote, Qt::ElideRight, l.width - 2 * margin));
    }
}

void ComparisonPicture::paintBand(QPainter& painter, int which, const QRectF& frame) const
{
    const ComparisonReport& c = *m_report->comparison;
    const InspectionReport& report = which == 0 ? *m_report : *c.second;
    const QColor colour = m_theme.objectColour(which);
    const qreal header = lineHeight(m_theme.titleFont()) + 4;
    painter.fillRect(QRectF(frame.topLeft(), QSizeF(frame.width(), header)), colour);
    painter.setPen(QPen(colour, frameWidth));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(frame.adjusted(frameWidth / 2, frameWidth / 2, -frameWidth / 2, -frameWidth / 2));
    painter.setFont(m_theme.titleFont());
    painter.setPen(m_theme.textOn(colour));
    const QString name = q(which == 0 ? c.firstName : c.secondName);
    const QString title = QStringLiteral("'%1' \u2014 %2").arg(name, q(report.sourceType));
    painter.drawText(
        QRectF(frame.left() + 8, frame.top(), frame.width() - 16, header), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(m_theme.titleFont()).elidedText(title, Qt::ElideRight, frame.width() - 16));
    const QRectF content(frame.left() + frameWidth, frame.top() + header, frame.width() - 2 * frameWidth,
                         frame.height() - header - frameWidth);
    ReportPicture::paint(painter, content, report, m_bandViews, m_theme);
}

void ComparisonPicture::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, m_theme.background());
    if (!applies(*m_report)) {
        painter.restore();
        return;
    }
    const ComparisonReport& c = *m_report->comparison;
    const Layout l = layout();
    painter.translate(target.topLeft());
    const qreal scale = fitScale(target);
    painter.scale(scale, scale);
    const qreal textWidth = l.width - 2 * margin;
    const QColor verdictColour = c.notCompared.empty() && c.verdict == ViewPairOverlap::Verdict::Shared
                                     ? m_theme.aliasAccent()
                                     : m_theme.text();
    painter.setFont(m_theme.titleFont());
    painter.setPen(verdictColour);
    painter.drawText(QRectF(margin, l.verdictY, textWidth, lineHeight(m_theme.titleFont())),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(m_theme.titleFont()).elidedText(verdictLine(), Qt::ElideRight, textWidth));
    painter.setFont(m_theme.labelFont());
    painter.setPen(m_theme.text());
    painter.drawText(QRectF(margin, l.bytesY, textWidth, lineHeight(m_theme.labelFont())),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetricsF(m_theme.labelFont()).elidedText(bytesLine(), Qt::ElideRight, textWidth));
    if (m_drawStrip) {
        painter.setFont(m_theme.titleFont());
        painter.setPen(m_theme.text());
        QString title =
            QStringLiteral(
                "The memory '%1' and '%2' point into \u2014 offsets from the start of the memory of '%1'")
                .arg(q(c.firstName), q(c.secondName));
        if (m_bytesPerCell > 1 && !m_segments.empty())
            title += QStringLiteral(", %1 bytes a cell").arg(m_bytesPerCell);
        painter.drawText(QRectF(margin, l.stripTitleY, textWidth, lineHeight(m_theme.titleFont())),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         QFontMetricsF(m_theme.titleFont()).elidedText(title, Qt::ElideRight, textWidth));
        paintLegend(painter, QPointF(margin + l.labelWidth, l.legendY));
        paintStrip(painter, l);
    }
    if (m_bandViews)
        for (int i = 0; i < 2; ++i)
            paintBand(painter, i, l.bands[i]);
    painter.restore();
}

} // namespace stridescope
