#pragma once

#include "byteownership.h"
#include "core/itemformat.h"
#include "highlightmodel.h"
#include "nestedcoverage.h"
#include "pyhost/inspectionreport.h"
#include "stripoverview.h"

#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace stridescope {

// A report prepared for drawing, built once per report and shared by every painter: the layouts the
// views walk (an indirect one follows the pointer table frozen in the report), the inverse maps
// byte -> element of the source and of a copy, the bytes and decoded values. ReportText puts it in words.
class ReportData
{
public:
    // One row of a PIL-style buffer: the pointer slot on axis 0 and the bytes its row reaches.
    struct IndirectRow
    {
        Extent index = 0;
        ByteOffset slot = 0;              // where the pointer is stored
        std::optional<ByteOffset> target; // where it points (+ suboffset), nullopt if unreadable
        ByteOffset first = 0;             // bytes the row's elements reach
        ByteOffset end = 0;
    };
    // The elements a highlight target stands for.
    struct Highlight
    {
        std::vector<ElementIndex> elements; // lowest first, capped
        HighlightModel::Region region = HighlightModel::Region::None;
        ByteOffset byte = -1; // the hovered byte, for byte targets
        bool isEmpty() const { return elements.empty() && byte < 0; }
    };

    // Whether a frame that wants an overview (a per-byte walk of the strip) waits for it to be built:
    // Always (tests, benchmarks), Bounded (pictures made in one go, `render` and exports: built up to
    // boundedOverviewBytes, beyond that the strip is drawn from samples and says so), Never (the
    // window: frames are drawn from samples until a pool thread has built it, then drawn again).
    enum class OverviewWait
    {
        Always,
        Bounded,
        Never
    };
    // A strip this long walks in a few milliseconds: the window builds its overview before it shows
    // the report (no sampled frame, no second paint).
    static constexpr ByteCount immediateOverviewBytes = ByteCount(1) << 16;
    // The longest strip `render` walks byte by byte: ~0.1 s at worst (64 owners a byte, two threads).
    static constexpr ByteCount boundedOverviewBytes = ByteCount(1) << 20;

    explicit ReportData(std::shared_ptr<const InspectionReport> report,
                        OverviewWait wait = OverviewWait::Always);
    // The ReportData the views of a window share (InspectionState holds it), so the inverse maps and
    // the overviews of a big buffer are built (and held in memory) once. Its frames never wait for an
    // overview (OverviewWait::Never): MainWindow::refineOverviews builds them on a pool thread.
    static std::shared_ptr<const ReportData> forWindow(std::shared_ptr<const InspectionReport> report)
    {
        return std::make_shared<const ReportData>(std::move(report), OverviewWait::Never);
    }

    const InspectionReport& report() const { return *m_report; }
    std::shared_ptr<const InspectionReport> sharedReport() const { return m_report; }

    // A buffer was exported: there is a layout and a memory block to draw.
    bool hasSource() const { return m_hasSource; }
    const StridedLayout& sourceLayout() const { return m_source; }
    ElementIndex elementCount() const { return m_count; }
    ConversionPrediction::Outcome outcome() const { return m_outcome; }
    // Destination layout of a copy (offsets in the new bytes object), when the result is a copy.
    const std::optional<StridedLayout>& copyLayout() const { return m_copy; }
    const ByteOwnership& sourceOwners() const { return m_sourceOwners; }
    const ByteOwnership& copyOwners() const { return m_copyOwners; }
    // How the elements cover byte ranges of each strip, from the layout's structure (nested layouts).
    const NestedCoverage& sourceCoverage() const { return m_sourceCoverage; }
    const NestedCoverage& copyCoverage() const { return m_copyCoverage; }
    // The looks of every byte of the source strip [displayFirst, displayEnd) and of the copy
    // [0, copyLength), for zoomed-out frames. Built once per report by whichever thread asks first:
    // the window prepares them on a pool thread before it shows the report; `render` and tests
    // build them on the first zoomed-out frame.
    const StripOverview& sourceOverview() const;
    const StripOverview& copyOverview() const;
    // The overview a frame draws from, or nullptr when it is drawn without one: not built yet and
    // this ReportData's frames do not wait (or not for a strip this long).
    const StripOverview* sourceOverviewForFrame() const;
    const StripOverview* copyOverviewForFrame() const;
    // Whether sourceOverviewForFrame() gives one, without building it.
    bool sourceOverviewAtHand() const { return overviewAtHand(m_sourceOverviewReady, sourceStripBytes()); }
    bool copyOverviewAtHand() const { return overviewAtHand(m_copyOverviewReady, copyLength()); }
    // Builds the overviews the views will use, now, on the calling thread (the window does it off the
    // GUI thread). PIL-style pictures draw their small row blocks without one; nested layouts and
    // windows are drawn from their structure (NestedCoverage) and need none.
    void prepareOverviews() const
    {
        if (needsSourceOverview())
            sourceOverview();
        if (needsCopyOverview())
            copyOverview();
    }
    // The same for the strips short enough to walk at once (immediateOverviewBytes): what the window
    // prepares before it shows a report. The longer ones follow on a pool thread (prepareOverviews).
    void prepareImmediateOverviews() const
    {
        if (needsSourceOverview() && sourceStripBytes() <= immediateOverviewBytes)
            sourceOverview();
        if (needsCopyOverview() && copyLength() <= immediateOverviewBytes)
            copyOverview();
    }
    // Every overview the strips draw from is built: no frame is drawn from samples for want of one.
    bool overviewsReady() const
    {
        return (!needsSourceOverview() || m_sourceOverviewReady) &&
               (!needsCopyOverview() || m_copyOverviewReady);
    }
    // True once: the caller builds the missing overviews (the window starts one pool task per report).
    bool claimOverviewBuild() const { return !m_overviewBuildClaimed.exchange(true); }
    ByteCount pointerSize() const { return ByteCount(sizeof(void*)); }

    ByteCount blockSize() const { return m_blockSize; }
    // The source strip's range: the block, widened to show elements that lie outside it.
    ByteOffset displayFirst() const { return m_displayFirst; }
    ByteOffset displayEnd() const { return m_displayEnd; }
    bool insideBlock(ByteOffset byte) const { return byte >= 0 && byte < m_blockSize; }
    // The block holding a byte, [first, end) relative to the source's block: that block itself or a
    // block an indirect buffer's rows live in apart from it (InspectionReport::rowBlocks).
    std::optional<std::pair<ByteOffset, ByteOffset>> blockAround(ByteOffset byte) const;
    std::optional<std::uint8_t> sourceByte(ByteOffset byte) const;
    // A byte of the copy: from the result snapshot, else from the source through the copy map.
    std::optional<std::uint8_t> copyByte(ByteOffset byte) const;
    ByteCount copyLength() const;

    std::optional<ByteOffset> elementOffset(ElementIndex element) const;
    std::optional<ByteOffset> copyDestination(ElementIndex element) const;
    bool elementInsideMemory(ElementIndex element) const;
    std::vector<Extent> unravel(ElementIndex element) const { return m_source.unravel(element); }
    // The value as tolist() shows it, "?" when it cannot be decoded (format, outside the snapshot).
    QString valueText(ElementIndex element) const;
    // The item's format when it describes the item's bytes (nullptr otherwise).
    const ItemFormat* itemFormat() const { return m_format ? &*m_format : nullptr; }
    // The item has parts to tell apart (several fields, or padding): the strips draw field boundaries
    // and shade padding, the hover names the part.
    bool hasFieldLayout() const { return m_fieldLayout; }
    // Bytes of buf relative to the block, and of a result relative to the source's buf.
    ByteOffset bufOffset() const { return m_source.bufOffset(); }
    std::optional<ByteOffset> resultBufDelta() const;

    const std::vector<IndirectRow>& indirectRows() const { return m_indirectRows; }

    Highlight resolve(const HighlightModel::Target& target, std::size_t limit = 1024) const;

private:
    bool needsSourceOverview() const
    {
        return m_hasSource && m_indirectRows.empty() && !m_sourceCoverage.isValid();
    }
    bool needsCopyOverview() const { return m_copy.has_value() && !m_copyCoverage.isValid(); }
    ByteCount sourceStripBytes() const { return m_displayEnd - m_displayFirst; }
    bool overviewAtHand(const std::atomic<bool>& ready, ByteCount bytes) const
    {
        return ready || m_wait == OverviewWait::Always ||
               (m_wait == OverviewWait::Bounded && bytes <= boundedOverviewBytes);
    }
    // The snapshot (of the source's block or of a row block) that holds [byte, byte + size).
    const ByteSnapshot* snapshotHolding(ByteOffset byte, ByteCount size) const;

    std::shared_ptr<const InspectionReport> m_report;
    bool m_hasSource = false;
    StridedLayout m_source;
    ElementIndex m_count = 0;
    ConversionPrediction::Outcome m_outcome = ConversionPrediction::Outcome::Error;
    std::optional<StridedLayout> m_copy;
    ByteOwnership m_sourceOwners;
    ByteOwnership m_copyOwners;
    NestedCoverage m_sourceCoverage;
    NestedCoverage m_copyCoverage;
    ByteCount m_blockSize = 0;
    ByteOffset m_displayFirst = 0;
    ByteOffset m_displayEnd = 0;
    std::optional<ItemFormat> m_format;
    bool m_fieldLayout = false;
    std::vector<IndirectRow> m_indirectRows;
    OverviewWait m_wait = OverviewWait::Always;
    mutable std::atomic<bool> m_sourceOverviewReady = false;
    mutable std::atomic<bool> m_copyOverviewReady = false;
    mutable std::atomic<bool> m_overviewBuildClaimed = false;
    mutable std::once_flag m_sourceOverviewBuilt;
    mutable std::once_flag m_copyOverviewBuilt;
    mutable StripOverview m_sourceOverview;
    mutable StripOverview m_copyOverview;
};

} // namespace stridescope
