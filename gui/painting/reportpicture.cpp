#include "reportpicture.h"

#include "inspectorpainter.h"
#include "logicalpainter.h"
#include "memorystrippainter.h"
#include "picturelimits.h"
#include "reportdata.h"
#include "reporttext.h"
#include "resultpainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace stridescope {

namespace {

// A picture made in one go walks a strip byte by byte only up to ReportData::boundedOverviewBytes
// (beyond that it is drawn from samples and says so). The report is borrowed for the call.
std::shared_ptr<const InspectionReport> borrowed(const InspectionReport& report)
{
    return std::shared_ptr<const InspectionReport>(&report, [](const InspectionReport*) {});
}

constexpr qreal margin = 12;
constexpr qreal sectionGap = 10;
// A picture at its natural size is at most this wide; taller content is zoomed out to this height.
const QSizeF naturalSection(1000, 640);

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString shapeText(const std::vector<Extent>& shape)
{
    QStringList parts;
    for (Extent e : shape)
        parts << QString::number(e);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
           (shape.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

// The sections of one picture laid out for a width and per-section height budget.
struct Section
{
    ReportPicture::View view;
    QString title;
    Zoom zoom = 1.0;
    QSizeF content;
    ByteCount bytesPerRow = 0; // memory and result: one value for both strips, 0 to choose
};

QString titleFor(ReportPicture::View view, const ReportData& data)
{
    const InspectionReport& r = data.report();
    switch (view) {
    case ReportPicture::Logical:
        return data.hasSource()
                   ? QStringLiteral("Logical view \u2014 what Python indexes: shape %1, format %2")
                         .arg(shapeText(data.sourceLayout().shape()), ReportText(data).formatText())
                   : QStringLiteral("Logical view");
    case ReportPicture::Memory:
        if (!data.hasSource())
            return QStringLiteral("Source memory");
        // A layout that overreaches its array: that is what the picture must say first.
        if (!r.memory->overreach.empty())
            return QStringLiteral("Source memory \u2014 %1, buf at %2")
                .arg(q(r.memory->overreach), ReportText::offsetText(data.bufOffset()));
        return QStringLiteral("Source memory \u2014 %1 bytes (%2)%3, buf at %4")
            .arg(ReportText::countText(data.blockSize()))
            .arg(q(r.memory->owner),
                 r.rowBlocks.empty()
                     ? QString()
                     : QStringLiteral(", rows in %1 blocks of their own").arg(r.rowBlocks.size()),
                 ReportText::offsetText(data.bufOffset()));
    case ReportPicture::Result:
        return QStringLiteral("Result of %1").arg(q(r.request().callText()));
    case ReportPicture::Inspector:
        return QStringLiteral("Py_buffer fields");
    }
    return {};
}

MemoryStripPainter::Options memoryOptions(ByteCount bytesPerRow)
{
    MemoryStripPainter::Options options;
    options.bytesPerRow = bytesPerRow;
    return options;
}

QSizeF contentSize(ReportPicture::View view, const ReportData& data, const Theme& theme, Zoom zoom,
                   qreal width, ByteCount bytesPerRow)
{
    switch (view) {
    case ReportPicture::Logical:
        return LogicalPainter(data, theme, zoom).size();
    case ReportPicture::Memory:
        return MemoryStripPainter(data, theme, zoom, width, memoryOptions(bytesPerRow)).size();
    case ReportPicture::Result:
        return ResultPainter(data, theme, zoom, width, true, bytesPerRow).size();
    case ReportPicture::Inspector:
        return InspectorPainter(data, theme).size();
    }
    return {};
}

Zoom fitZoom(ReportPicture::View view, const ReportData& data, const Theme& theme, QSizeF available,
             ByteCount bytesPerRow)
{
    switch (view) {
    case ReportPicture::Logical:
        return LogicalPainter::fitZoom(data, theme, available);
    case ReportPicture::Memory:
        return MemoryStripPainter::fitZoom(data, theme, available, memoryOptions(bytesPerRow));
    case ReportPicture::Result:
        return ResultPainter::fitZoom(data, theme, available, 1.0, true, bytesPerRow);
    case ReportPicture::Inspector:
        return 1.0;
    }
    return 1.0;
}

qreal titleHeight(const Theme& theme)
{
    return QFontMetricsF(theme.titleFont()).height() + 6;
}

std::vector<ReportPicture::View> chosen(ReportPicture::Views views)
{
    std::vector<ReportPicture::View> out;
    for (auto v :
         {ReportPicture::Logical, ReportPicture::Memory, ReportPicture::Result, ReportPicture::Inspector})
        if (views.testFlag(v))
            out.push_back(v);
    return out;
}

// Natural layout: every section at its own fitted zoom within naturalSection.
std::vector<Section> naturalLayout(const ReportData& data, ReportPicture::Views views, const Theme& theme)
{
    std::vector<Section> sections;
    for (auto v : chosen(views)) {
        Section s{v, titleFor(v, data)};
        s.zoom = fitZoom(v, data, theme, naturalSection, 0);
        sections.push_back(s);
    }
    // The memory and result strips share one bytes-per-row, chosen from the zooms each fits at alone,
    // then fit again with it (as the window's ByteRowSync does).
    const auto find = [&](ReportPicture::View v) {
        const auto it =
            std::find_if(sections.begin(), sections.end(), [v](const Section& s) { return s.view == v; });
        return it == sections.end() ? nullptr : &*it;
    };
    Section* memory = find(ReportPicture::Memory);
    Section* result = find(ReportPicture::Result);
    if (memory && result) {
        const ByteCount shared = ResultPainter::sharedBytesPerRow(
            data, theme, memory->zoom, naturalSection.width(), result->zoom, naturalSection.width());
        for (Section* s : {memory, result}) {
            s->bytesPerRow = shared;
            s->zoom = fitZoom(s->view, data, theme, naturalSection, shared);
        }
    }
    for (Section& s : sections)
        s.content = contentSize(s.view, data, theme, s.zoom, naturalSection.width(), s.bytesPerRow);
    return sections;
}

QSizeF totalSize(const std::vector<Section>& sections, const Theme& theme)
{
    qreal w = 0, h = margin;
    const QFontMetricsF fm(theme.titleFont());
    for (const Section& s : sections) {
        // A title is cut to the picture's width when drawn (a 62-D shape is long): it does not widen it.
        w = std::max({w, s.content.width(), std::min(fm.horizontalAdvance(s.title), naturalSection.width())});
        h += titleHeight(theme) + s.content.height() + sectionGap;
    }
    return {w + 2 * margin, h - sectionGap + margin};
}

void paintSections(QPainter& painter, const std::vector<Section>& sections, const ReportData& data,
                   const Theme& theme, const HighlightModel::Target& highlight, qreal width)
{
    qreal y = margin;
    for (const Section& s : sections) {
        painter.setFont(theme.titleFont());
        painter.setPen(theme.text());
        painter.drawText(
            QRectF(margin, y, width - 2 * margin, titleHeight(theme)), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetricsF(theme.titleFont()).elidedText(s.title, Qt::ElideRight, width - 2 * margin));
        y += titleHeight(theme);
        painter.save();
        painter.translate(margin, y);
        const QRectF all(QPointF(0, 0), s.content);
        painter.setClipRect(all.adjusted(-1, -1, 1, 1));
        switch (s.view) {
        case ReportPicture::Logical:
            LogicalPainter(data, theme, s.zoom).paint(painter, all, highlight);
            break;
        case ReportPicture::Memory:
            MemoryStripPainter(data, theme, s.zoom, width - 2 * margin, memoryOptions(s.bytesPerRow))
                .paint(painter, all, highlight);
            break;
        case ReportPicture::Result:
            ResultPainter(data, theme, s.zoom, width - 2 * margin, true, s.bytesPerRow)
                .paint(painter, all, highlight);
            break;
        case ReportPicture::Inspector:
            InspectorPainter(data, theme).paint(painter);
            break;
        }
        painter.restore();
        y += s.content.height() + sectionGap;
    }
}

} // namespace

QString ReportPicture::title(View view, const ReportData& data)
{
    return titleFor(view, data);
}

qint64 ReportPicture::mostWrittenValues(double deviceScale)
{
    // A byte cell writes its value from textZoom on; a logical cell from 14 pixels wide and a
    // 7-pixel font (LogicalPainter::showsValues), which needs a cell 7 / 0.55 pixels high.
    const QSizeF byteCell = ByteStripPainter::cellSize() * ByteStripPainter::textZoom();
    const double smallest = std::min(byteCell.width() * byteCell.height(), 14.0 * (7 / 0.55));
    const double logicalPixels = double(PictureLimits::maximumPixels) / (deviceScale * deviceScale);
    return qint64(std::ceil(logicalPixels / std::max(1.0, std::floor(smallest))));
}

QSize ReportPicture::preferredSize(const InspectionReport& report, Views views, const Theme& theme)
{
    const ReportData data(borrowed(report), ReportData::OverviewWait::Bounded);
    const QSizeF s = totalSize(naturalLayout(data, views, theme), theme);
    // Views that cannot fit their natural section would ask for more: the picture has a maximum.
    const auto side = [](qreal length) {
        return int(
            std::clamp<qreal>(std::ceil(length), PictureLimits::minimumSide, PictureLimits::maximumSide));
    };
    return PictureLimits::capped(QSize(side(s.width()), side(s.height())), 1.0);
}

std::pair<qint64, qint64> ReportPicture::stripBytesPerRow(const InspectionReport& report, Views views,
                                                          const Theme& theme)
{
    const ReportData data(borrowed(report), ReportData::OverviewWait::Bounded);
    std::pair<qint64, qint64> out{0, 0};
    for (const Section& s : naturalLayout(data, views, theme)) {
        if (s.view == Memory)
            out.first =
                MemoryStripPainter(data, theme, s.zoom, naturalSection.width(), memoryOptions(s.bytesPerRow))
                    .bytesPerRow();
        else if (s.view == Result)
            out.second =
                ResultPainter(data, theme, s.zoom, naturalSection.width(), true, s.bytesPerRow).bytesPerRow();
    }
    return out;
}

namespace {

// How a picture of `target` size is laid out: the sections at their zooms, the width they are laid
// out for and the scale the whole is drawn at. One function for paint() and notes().
struct Layout
{
    std::vector<Section> sections;
    qreal width = 0;
    qreal scale = 1.0;
};

// Each section's content measured again at `width`, so it is painted at the width its size (and
// its clip) was measured for.
void measureAt(std::vector<Section>& sections, const ReportData& data, const Theme& theme, qreal width)
{
    for (Section& s : sections)
        if (s.view != ReportPicture::Inspector)
            s.content = contentSize(s.view, data, theme, s.zoom, width - 2 * margin, s.bytesPerRow);
}

Layout layoutFor(const ReportData& data, ReportPicture::Views views, const Theme& theme, const QRectF& target)
{
    Layout out;
    out.sections = naturalLayout(data, views, theme);
    QSizeF natural = totalSize(out.sections, theme);
    out.width = std::max(natural.width(), naturalSection.width() + 2 * margin);
    if (natural.width() <= target.width() && natural.height() <= target.height()) {
        // Room to spare: draw at the natural layout, scaled up for print-size targets.
        const qreal scale = std::min(target.width() / out.width, target.height() / natural.height());
        if (scale > 1.5) {
            out.scale = scale;
        } else {
            out.width = target.width();
            measureAt(out.sections, data, theme, out.width);
        }
        return out;
    }
    // Too big: lay the zoomable sections out again for the target, each getting its share of the
    // height; text that still does not fit is scaled down as a whole.
    const qreal fixed = margin * 2 + out.sections.size() * (titleHeight(theme) + sectionGap);
    qreal zoomableHeight = 0, fixedHeight = 0;
    for (const Section& s : out.sections)
        (s.view == ReportPicture::Inspector ? fixedHeight : zoomableHeight) += s.content.height();
    const qreal budget = std::max<qreal>(target.height() - fixed - fixedHeight, 40);
    out.width = target.width();
    for (Section& s : out.sections) {
        if (s.view == ReportPicture::Inspector)
            continue;
        const qreal share = zoomableHeight > 0 ? budget * s.content.height() / zoomableHeight : budget;
        s.zoom = std::min(s.zoom,
                          fitZoom(s.view, data, theme, QSizeF(out.width - 2 * margin, share), s.bytesPerRow));
        s.content = contentSize(s.view, data, theme, s.zoom, out.width - 2 * margin, s.bytesPerRow);
    }
    natural = totalSize(out.sections, theme);
    out.scale = std::min({1.0, target.width() / natural.width(), target.height() / natural.height()});
    if (out.scale < 1.0 && natural.width() > out.width) {
        // Drawn wider than laid out: measured again at that width.
        out.width = natural.width();
        measureAt(out.sections, data, theme, out.width);
        natural = totalSize(out.sections, theme);
        out.width = std::max(out.width, natural.width());
        out.scale = std::min({1.0, target.width() / natural.width(), target.height() / natural.height()});
    }
    return out;
}

} // namespace

QStringList ReportPicture::notes(const InspectionReport& report, Views views, const Theme& theme, QSize size)
{
    const ReportData data(borrowed(report), ReportData::OverviewWait::Bounded);
    QStringList out;
    if (!data.hasSource() || !(views & (Logical | Memory)))
        return out;
    if (size.isEmpty())
        size = preferredSize(report, views, theme);
    const Layout layout = layoutFor(data, views, theme, QRectF(QPointF(0, 0), QSizeF(size)));
    for (const Section& s : layout.sections) {
        if (s.view == Memory &&
            MemoryStripPainter(data, theme, s.zoom, layout.width - 2 * margin, memoryOptions(s.bytesPerRow))
                .isSampled())
            out << QStringLiteral("memory view: %1 (a picture walks a strip's every byte up to %2 bytes; "
                                  "this one has %3; the window draws them all)")
                       .arg(MemoryStripPainter::sampledText(),
                            ReportText::countText(ReportData::boundedOverviewBytes),
                            ReportText::countText(data.displayEnd() - data.displayFirst()));
        if (s.view != Logical)
            continue;
        const LogicalPainter logical(data, theme, s.zoom);
        QString note = logical.aggregationNote();
        const QString small = logical.unreadableNote(layout.scale);
        if (!small.isEmpty())
            note = note.isEmpty() ? small : note + QStringLiteral("; ") + small;
        if (!note.isEmpty())
            out << QStringLiteral("logical view: ") + note;
    }
    return out;
}

void ReportPicture::paint(QPainter& painter, const QRectF& target, const InspectionReport& report,
                          Views views, const Theme& theme, const HighlightModel::Target& highlight)
{
    const ReportData data(borrowed(report), ReportData::OverviewWait::Bounded);
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, theme.background());
    painter.translate(target.topLeft());
    const Layout layout = layoutFor(data, views, theme, target);
    if (layout.scale != 1.0)
        painter.scale(layout.scale, layout.scale);
    paintSections(painter, layout.sections, data, theme, highlight, layout.width);
    painter.restore();
}

} // namespace stridescope
