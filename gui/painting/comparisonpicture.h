#pragma once

#include "reportpicture.h"

#include "core/units.h"
#include "gui/style/theme.h"

#include <QRectF>
#include <QSize>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QPainter;

namespace stridescope {

struct InspectionReport;

// The picture of a comparison scenario (InspectionReport::comparison): the sentence `inspect`
// prints about whether the two objects share memory, with the byte counts; ONE strip of the memory
// they point into, each byte in the colour of the object that reaches it (both: hatched in both
// colours); and each object's chosen views (logical grid, result) in a band framed in its colour,
// the second's under the first's.
// Built once per report from the report's plain data (no Python); the per-byte work is bounded by
// maximumBytes, the cells drawn by maximumCells.
class ComparisonPicture
{
public:
    // The most bytes the strip walks (the span both cover, or the two spans apart); past it the strip
    // is left out and the picture says so (the counts in the sentence come from the report).
    static constexpr ByteCount maximumBytes = ByteCount(1) << 20;
    // The most cells the strip draws; a longer strip draws one cell per several bytes.
    static constexpr ByteCount maximumCells = 1024;

    ComparisonPicture(std::shared_ptr<const InspectionReport> report, ReportPicture::Views views,
                      const Theme& theme);

    // The report holds a comparison: otherwise the picture is the first object's alone (ReportPicture).
    static bool applies(const InspectionReport& report);

    QSize preferredSize() const;
    // What the picture aggregates or leaves out, one sentence each.
    QStringList notes() const;
    // The findings in words: "Shares memory: YES (np.shares_memory True): …" and the byte counts.
    QString verdictLine() const;
    QString bytesLine() const;
    void paint(QPainter& painter, const QRectF& target) const;

    // Where the cell of the strip holding `byte` (an offset in the first object's memory) is drawn
    // when the picture is painted into `target`; nullopt when no cell holds it.
    std::optional<QRectF> cellRect(ByteOffset byte, const QRectF& target) const;
    // Bytes per cell of the strip (1 when every byte has its own), 0 when there is no strip.
    ByteCount bytesPerCell() const { return m_segments.empty() ? 0 : m_bytesPerCell; }

private:
    // A run of the strip: cells from `start` (first object's memory), each the union of the reach
    // (PairByteReach::Reach bits) of its bytes.
    struct Segment
    {
        ByteOffset start = 0;
        ByteCount bytes = 0;
        std::vector<std::uint8_t> cells;
    };
    struct Layout; // where each part is drawn, at scale 1 from the origin
    Layout layout() const;
    qreal fitScale(const QRectF& target) const;
    void paintStrip(QPainter& painter, const Layout& layout) const;
    void paintBand(QPainter& painter, int which, const QRectF& frame) const;
    void paintLegend(QPainter& painter, QPointF at) const;

    std::shared_ptr<const InspectionReport> m_report;
    ReportPicture::Views m_bandViews;
    bool m_drawStrip = true;
    Theme m_theme;
    std::vector<Segment> m_segments;
    ByteCount m_bytesPerCell = 1;
    QString m_stripNote; // why there is no strip, or what it aggregates
};

} // namespace stridescope
