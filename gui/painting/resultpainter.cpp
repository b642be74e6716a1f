#include "resultpainter.h"

#include "outcomesummary.h"
#include "reporttext.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QRegularExpression>

#include <algorithm>

namespace stridescope {

namespace {

constexpr qreal padding = 6;
constexpr int bannerFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QFont bodyFont(const Theme& theme)
{
    QFont f = theme.labelFont();
    f.setPixelSize(13);
    return f;
}

} // namespace

ResultPainter::Banner ResultPainter::bannerFor(const ReportData& data, const Theme& theme, bool explain)
{
    const InspectionReport& r = data.report();
    const QString rule = q(r.prediction.rule);
    Banner b;
    QString disagreement;
    if (!r.agrees && !r.disagreements.empty())
        disagreement =
            QStringLiteral("\nStridescope's prediction differs from CPython: ") + q(r.disagreements.front());
    const OutcomeSummary summary = OutcomeSummary::fromReport(r);
    switch (data.outcome()) {
    case ConversionPrediction::Outcome::Alias: {
        b.accent = theme.aliasAccent();
        b.title = summary.verdict();
        b.body = QStringLiteral("Result buf = source buf + %1. %2\nWhy: %3")
                     .arg(data.resultBufDelta().value_or(0))
                     .arg(summary.sharing, rule);
        break;
    }
    case ConversionPrediction::Outcome::Copy: {
        b.accent = theme.copyAccent();
        b.title = summary.verdict();
        b.body = QStringLiteral("%1 Each byte below has the colour of the element copied there.\nWhy: %2")
                     .arg(summary.sharing, rule);
        break;
    }
    case ConversionPrediction::Outcome::Error: {
        const auto& e = r.result.error;
        const QString type = e ? q(e->type) : q(r.prediction.errorType);
        const QString message = e ? q(e->message) : q(r.prediction.errorMessage);
        b.accent = theme.errorAccent();
        b.title = QStringLiteral("ERROR \u2014 %1: %2").arg(type, message);
        // The exception in the title; the refusal in the words of the window's banner, and why.
        b.body = QStringLiteral("%1\nWhy: %2")
                     .arg(summary.kind == OutcomeSummary::Kind::Error ? summary.headline
                                                                      : QStringLiteral("Refused."),
                          rule.isEmpty() ? QStringLiteral("CPython raised the exception above") : rule);
        break;
    }
    }
    if (!explain && data.outcome() != ConversionPrediction::Outcome::Error)
        b.body.clear();
    b.body += disagreement;
    if (b.body.startsWith(QLatin1Char('\n')))
        b.body.remove(0, 1);
    return b;
}

qreal ResultPainter::bannerTextWidth(PixelX width)
{
    // The box is inset by padding on both sides; the text by 12 px inside it (past the accent bar)
    // and 4 px short of its right edge. Measured and drawn at this width, so it stays in its box.
    return std::max<qreal>(width - 2 * padding - 16, 120);
}

PixelX ResultPainter::bannerWidthFor(const Banner& banner, const Theme& theme, PixelX available)
{
    const QFontMetricsF title(theme.titleFont());
    const QFontMetricsF body(bodyFont(theme));
    qreal word = 0;
    for (const QString& w :
         banner.title.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        word = std::max(word, title.horizontalAdvance(w));
    for (const QString& w : banner.body.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        word = std::max(word, body.horizontalAdvance(w));
    // bannerTextWidth() takes the box's insets off again.
    return std::max({available, PixelX(240), std::ceil(word) + 2 * padding + 16 + 1});
}

qreal ResultPainter::bannerHeightFor(const Banner& banner, const Theme& theme, PixelX width)
{
    const QFontMetricsF title(theme.titleFont());
    const QFontMetricsF body(bodyFont(theme));
    const qreal w = bannerTextWidth(width);
    const QRectF t = title.boundingRect(QRectF(0, 0, w, 10000), bannerFlags, banner.title);
    const QRectF b = body.boundingRect(QRectF(0, 0, w, 10000), bannerFlags, banner.body);
    return padding + t.height() + (banner.body.isEmpty() ? 0 : 4 + b.height()) + padding + 4;
}

StripContent ResultPainter::copyContent(const ReportData& data)
{
    StripContent c;
    c.owners = &data.copyOwners();
    c.elementCount = data.elementCount();
    c.itemSize = data.sourceLayout().itemSize();
    c.format = data.hasFieldLayout() ? data.itemFormat() : nullptr;
    c.byteValue = [&data](ByteOffset b) { return data.copyByte(b); };
    c.elementOffset = [&data](ElementIndex e) { return data.copyDestination(e); };
    c.memoryFirst = 0;
    c.memoryEnd = data.copyLength();
    c.bufOffset = 0;
    c.bufLabel = QStringLiteral("buf");
    c.overview = [&data] { return data.copyOverviewForFrame(); };
    if (data.copyCoverage().isValid())
        c.coverage = &data.copyCoverage();
    return c;
}

PixelX ResultPainter::cellsWidth(const ReportData& data, const Theme& theme, PixelX availableWidth)
{
    if (data.outcome() == ConversionPrediction::Outcome::Alias && data.hasSource())
        return MemoryStripPainter::cellsWidth(data, theme, availableWidth);
    if (data.outcome() == ConversionPrediction::Outcome::Copy && data.copyLayout())
        return availableWidth - ByteStripPainter::gutterWidth(0, data.copyLength(), theme) - padding;
    return 0;
}

ByteCount ResultPainter::stripLength(const ReportData& data)
{
    if (data.outcome() == ConversionPrediction::Outcome::Alias && data.hasSource())
        return data.displayEnd() - data.displayFirst();
    if (data.outcome() == ConversionPrediction::Outcome::Copy && data.copyLayout())
        return data.copyLength();
    return 0;
}

ByteCount ResultPainter::sharedBytesPerRow(const ReportData& data, const Theme& theme, Zoom memoryZoom,
                                           PixelX memoryWidth, Zoom resultZoom, PixelX resultWidth)
{
    const qreal cell = ByteStripPainter::cellSize().width();
    std::vector<std::pair<PixelX, PixelX>> strips;
    ByteCount longest = 1;
    if (const PixelX w = MemoryStripPainter::cellsWidth(data, theme, memoryWidth); w > 0) {
        strips.emplace_back(w, cell * memoryZoom);
        longest = std::max(longest, data.displayEnd() - data.displayFirst());
    }
    if (const PixelX w = cellsWidth(data, theme, resultWidth); w > 0) {
        strips.emplace_back(w, cell * resultZoom);
        longest = std::max(longest, stripLength(data));
    }
    if (strips.empty())
        return 0;
    return ByteStripGeometry::sharedBytesPerRow(strips, longest);
}

ByteCount ResultPainter::bytesPerRow() const
{
    if (m_alias)
        return m_alias->bytesPerRow();
    return m_mode == Mode::Copy ? m_copyGeometry.bytesPerRow() : 0;
}

ByteStripPainter::ItemMarks ResultPainter::itemMarks(const QRectF& visible) const
{
    if (m_alias)
        return m_alias->itemMarks(visible.translated(0, -m_aliasTop));
    if (m_mode == Mode::Copy)
        return ByteStripPainter(m_copyGeometry, copyContent(*m_data), m_theme).itemMarks(visible);
    return {};
}

ResultPainter::ResultPainter(const ReportData& data, const Theme& theme, Zoom zoom, PixelX availableWidth,
                             bool explain, ByteCount bytesPerRow)
    : m_data(&data), m_theme(theme), m_width(std::max<PixelX>(availableWidth, 240))
{
    if (!data.hasSource() && data.outcome() != ConversionPrediction::Outcome::Error)
        m_mode = Mode::NoSource;
    else if (data.outcome() == ConversionPrediction::Outcome::Alias)
        m_mode = Mode::Alias;
    else if (data.outcome() == ConversionPrediction::Outcome::Copy && data.copyLayout())
        m_mode = Mode::Copy;
    else
        m_mode = Mode::Error;
    m_banner = bannerFor(data, theme, explain);
    m_width = bannerWidthFor(m_banner, theme, m_width);
    m_bannerHeight = bannerHeightFor(m_banner, theme, m_width);
    m_size = QSizeF(m_width, m_bannerHeight);
    if (m_mode == Mode::Alias && data.hasSource()) {
        MemoryStripPainter::Options options;
        options.legend = false;
        options.bytesPerRow = bytesPerRow;
        const auto delta = data.resultBufDelta().value_or(0);
        if (delta != 0) {
            options.extraMarker = data.bufOffset() + delta;
            options.extraLabel = QStringLiteral("result buf");
        }
        m_alias = std::make_unique<MemoryStripPainter>(data, theme, zoom, availableWidth, options);
        m_aliasTop = m_bannerHeight + QFontMetricsF(theme.labelFont()).height() + 8;
        m_size = QSizeF(std::max(m_width, m_alias->size().width()), m_aliasTop + m_alias->size().height());
    } else if (m_mode == Mode::Copy) {
        const ByteCount len = data.copyLength();
        const PixelX gutter = ByteStripPainter::gutterWidth(0, len, theme);
        const QSizeF cell = ByteStripPainter::cellSize();
        const qreal legend = MemoryStripPainter::legendHeight(theme);
        const ByteCount bpr = bytesPerRow > 0
                                  ? bytesPerRow
                                  : ByteStripGeometry::bytesPerRowFor(cellsWidth(data, theme, availableWidth),
                                                                      cell.width() * zoom, len);
        m_copyGeometry =
            ByteStripGeometry(0, len, bpr, cell, zoom, QPointF(gutter, m_bannerHeight + legend + padding));
        // The colour key is as wide as its words: a narrow view scrolls rather than cut it.
        const qreal key = MemoryStripPainter::paintLegend(nullptr, QRectF(0, 0, 1e6, legend), theme, true);
        m_size = QSizeF(std::max({m_width, gutter + m_copyGeometry.size().width() + padding, key}),
                        m_copyGeometry.rect().bottom() +
                            ByteStripPainter::gutterOverhang(m_copyGeometry, theme) + padding);
    }
}

Zoom ResultPainter::fitZoom(const ReportData& data, const Theme& theme, QSizeF available, Zoom maxZoom,
                            bool explain, ByteCount bytesPerRow)
{
    const Banner banner = bannerFor(data, theme, explain);
    const qreal bannerHeight =
        bannerHeightFor(banner, theme, bannerWidthFor(banner, theme, available.width()));
    const QSizeF rest(available.width(), std::max<qreal>(available.height() - bannerHeight, 20));
    if (data.outcome() == ConversionPrediction::Outcome::Alias && data.hasSource()) {
        MemoryStripPainter::Options options;
        options.legend = false;
        options.bytesPerRow = bytesPerRow;
        const qreal connector = QFontMetricsF(theme.labelFont()).height() + 8;
        return MemoryStripPainter::fitZoom(data, theme, rest - QSizeF(0, connector), options, maxZoom);
    }
    if (data.outcome() == ConversionPrediction::Outcome::Copy && data.copyLayout()) {
        const ByteCount len = data.copyLength();
        const PixelX gutter = ByteStripPainter::gutterWidth(0, len, theme);
        const qreal legend = MemoryStripPainter::legendHeight(theme);
        const QSizeF cell = ByteStripPainter::cellSize();
        const auto fit = [&](qreal height) {
            return ByteStripGeometry::fitZoom(
                0, len, cell, QSizeF(rest.width() - gutter - 2 * padding, height), maxZoom, bytesPerRow);
        };
        // As the memory strip: room for a gutter label that hangs below low rows.
        const Zoom z = fit(rest.height() - legend - 2 * padding);
        const qreal label = ByteStripPainter::gutterLabelHeight(theme);
        return cell.height() * z < label ? fit(rest.height() - legend - 2 * padding - label) : z;
    }
    return maxZoom;
}

QRectF ResultPainter::bannerBox() const
{
    return {padding, padding / 2, m_width - 2 * padding, m_bannerHeight - padding};
}

void ResultPainter::paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
                          PictureCache* cache) const
{
    if (visible.top() < m_bannerHeight) {
        painter.save();
        const QRectF box = bannerBox();
        painter.fillRect(box, m_theme.panel());
        painter.fillRect(QRectF(box.left(), box.top(), 4, box.height()), m_banner.accent);
        const qreal w = bannerTextWidth(m_width);
        painter.setFont(m_theme.titleFont());
        painter.setPen(m_banner.accent);
        const QRectF t = QFontMetricsF(m_theme.titleFont())
                             .boundingRect(QRectF(0, 0, w, 10000), bannerFlags, m_banner.title);
        painter.drawText(QRectF(box.left() + 12, box.top() + padding, w, t.height()), bannerFlags,
                         m_banner.title);
        painter.setFont(bodyFont(m_theme));
        painter.setPen(m_theme.text());
        painter.drawText(QRectF(box.left() + 12, box.top() + padding + t.height() + 4, w, 10000), bannerFlags,
                         m_banner.body);
        painter.restore();
    }
    if (m_alias) {
        // The connector: the strip below is the source's memory itself, not a picture of a copy.
        painter.save();
        painter.setFont(m_theme.labelFont());
        painter.setPen(m_banner.accent);
        const qreal h = m_aliasTop - m_bannerHeight;
        painter.drawText(
            QRectF(padding, m_bannerHeight, m_width, h), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetricsF(m_theme.labelFont())
                .elidedText(
                    QStringLiteral("\u21C5 the source's own memory, not a copy: result buf = source buf + %1")
                        .arg(m_data->resultBufDelta().value_or(0)),
                    Qt::ElideRight, m_width - 2 * padding));
        painter.translate(0, m_aliasTop);
        m_alias->paint(painter, visible.translated(0, -m_aliasTop), target, cache);
        painter.restore();
    } else if (m_mode == Mode::Copy) {
        const qreal legend = MemoryStripPainter::legendHeight(m_theme);
        if (visible.top() < m_bannerHeight + legend)
            MemoryStripPainter::paintLegend(&painter, QRectF(0, m_bannerHeight, m_size.width(), legend),
                                            m_theme, true, m_data->hasFieldLayout());
        ByteStripPainter strip(m_copyGeometry, copyContent(*m_data), m_theme);
        strip.paint(painter, visible, cache);
        strip.paintHighlight(painter, visible, m_data->resolve(target),
                             target.region == HighlightModel::Region::ResultMemory);
    }
}

HighlightModel::Target ResultPainter::targetAt(QPointF point) const
{
    if (m_alias)
        return m_alias->targetAt(point - QPointF(0, m_aliasTop));
    if (m_mode == Mode::Copy) {
        if (auto byte = m_copyGeometry.byteAt(point)) {
            HighlightModel::Target t;
            t.region = HighlightModel::Region::ResultMemory;
            t.byte = *byte;
            return t;
        }
    }
    return {};
}

std::optional<QRectF> ResultPainter::copyByteRect(ByteOffset byte) const
{
    if (m_mode != Mode::Copy || byte < 0 || byte >= m_copyGeometry.end())
        return std::nullopt;
    return m_copyGeometry.byteRect(byte);
}

std::optional<QRectF> ResultPainter::aliasByteRect(ByteOffset byte) const
{
    if (!m_alias)
        return std::nullopt;
    const auto rect = m_alias->byteRect(byte);
    if (!rect)
        return std::nullopt;
    return rect->translated(0, m_aliasTop);
}

} // namespace stridescope
