#include "reportdata.h"

#include <algorithm>
#include <cstring>

namespace stridescope {

namespace {

// Rows of a PIL-style buffer drawn as separate blocks; more are drawn as one plain strip.
constexpr Extent indirectRowLimit = 64;
// The strip widens past the block by at most this much to show elements outside it.
constexpr ByteCount outsideMargin = ByteCount(1) << 20;

} // namespace

ReportData::ReportData(std::shared_ptr<const InspectionReport> report, OverviewWait wait)
    : m_report(std::move(report)), m_wait(wait)
{
    const InspectionReport& r = *m_report;
    m_outcome = r.result.outcome;
    m_hasSource = r.sourceBuffer.has_value() && r.memory.has_value();
    if (!m_hasSource)
        return;
    m_blockSize = r.memory->size;
    // An indirect layout follows the pointer table the probe froze into the report.
    m_source = r.sourceLayout;
    m_count = m_source.elementCount().value_or(0);
    m_sourceOwners = ByteOwnership(m_source);
    m_sourceCoverage = NestedCoverage(m_source);

    if (m_outcome == ConversionPrediction::Outcome::Copy) {
        const std::optional<StridedLayout>& dest =
            r.result.layout ? r.result.layout : r.prediction.resultLayout;
        if (dest && dest->shape() == m_source.shape() && !dest->isIndirect())
            m_copy = dest;
        if (m_copy) {
            m_copyOwners = ByteOwnership(*m_copy);
            m_copyCoverage = NestedCoverage(*m_copy);
        }
    }

    m_displayFirst = 0;
    m_displayEnd = m_blockSize;
    if (auto ext = m_source.extent()) {
        m_displayFirst = std::max(std::min<ByteOffset>(0, ext->first), -outsideMargin);
        m_displayEnd = std::min(std::max(m_blockSize, ext->end), m_blockSize + outsideMargin);
    }

    if (r.valuesDecodable) {
        try {
            m_format = ItemFormat::parse(r.sourceBuffer->effectiveFormat());
        } catch (...) {
            m_format.reset();
        }
        m_fieldLayout = m_format && m_format->hasInnerBoundaries(m_source.itemSize());
    }

    // Drawn as a table with one row per slot when only axis 0 goes through pointers (and there are
    // few rows): the core's rows, each with the reach of the direct tail after it.
    if (m_source.isIndirect() && m_source.rowAxes() == 1 && m_source.shape()[0] <= indirectRowLimit &&
        m_count > 0) {
        const auto tail = m_source.rowTail().extent();
        m_source.visitRows([&](const std::vector<Extent>& prefix, std::optional<ByteOffset> offset) {
            IndirectRow row;
            row.index = prefix[0];
            row.slot = m_source.bufOffset() + prefix[0] * m_source.strides()[0];
            if (offset && tail) {
                row.target = *offset;
                row.first = *offset + tail->first;
                row.end = *offset + tail->end;
            }
            m_indirectRows.push_back(row);
            return true;
        });
    }
}

const StripOverview& ReportData::sourceOverview() const
{
    std::call_once(m_sourceOverviewBuilt, [this] {
        if (m_hasSource) // the strip widened past the block; the block itself is [0, blockSize)
            m_sourceOverview = StripOverview(
                {&m_source, &m_sourceOwners, m_count, m_displayFirst, m_displayEnd, 0, m_blockSize});
        m_sourceOverviewReady = true;
    });
    return m_sourceOverview;
}

const StripOverview* ReportData::sourceOverviewForFrame() const
{
    return sourceOverviewAtHand() ? &sourceOverview() : nullptr;
}

const StripOverview* ReportData::copyOverviewForFrame() const
{
    return copyOverviewAtHand() ? &copyOverview() : nullptr;
}

const StripOverview& ReportData::copyOverview() const
{
    std::call_once(m_copyOverviewBuilt, [this] {
        if (m_copy) // the new bytes object: strip and block are the same bytes
            m_copyOverview =
                StripOverview({&*m_copy, &m_copyOwners, m_count, 0, copyLength(), 0, copyLength()});
        m_copyOverviewReady = true;
    });
    return m_copyOverview;
}

const ByteSnapshot* ReportData::snapshotHolding(ByteOffset byte, ByteCount size) const
{
    const auto holds = [byte, size](const ByteSnapshot& s) {
        const ByteOffset i = byte - s.start;
        return i >= 0 && i + size <= ByteOffset(s.bytes.size());
    };
    if (holds(m_report->sourceBytes))
        return &m_report->sourceBytes;
    for (const RowBlock& b : m_report->rowBlocks)
        if (holds(b.bytes))
            return &b.bytes;
    return nullptr;
}

std::optional<std::pair<ByteOffset, ByteOffset>> ReportData::blockAround(ByteOffset byte) const
{
    if (insideBlock(byte))
        return std::make_pair(ByteOffset(0), ByteOffset(m_blockSize));
    for (const RowBlock& b : m_report->rowBlocks)
        if (byte >= b.bytes.start && byte - b.bytes.start < b.block.size)
            return std::make_pair(b.bytes.start, b.bytes.start + b.block.size);
    return std::nullopt;
}

std::optional<std::uint8_t> ReportData::sourceByte(ByteOffset byte) const
{
    const ByteSnapshot* s = snapshotHolding(byte, 1);
    if (!s)
        return std::nullopt;
    return s->bytes[std::size_t(byte - s->start)];
}

ByteCount ReportData::copyLength() const
{
    if (!m_copy)
        return 0;
    return m_copy->byteLength().value_or(0);
}

std::optional<std::uint8_t> ReportData::copyByte(ByteOffset byte) const
{
    const ByteSnapshot& s = m_report->resultBytes;
    const ByteOffset i = byte - s.start;
    if (i >= 0 && i < ByteOffset(s.bytes.size()))
        return s.bytes[std::size_t(i)];
    if (!m_copy || byte < 0 || byte >= copyLength())
        return std::nullopt;
    const auto owners = m_copyOwners.at(byte);
    if (owners.isGap())
        return std::nullopt;
    const auto dest = copyDestination(owners.first);
    const auto src = elementOffset(owners.first);
    if (!dest || !src)
        return std::nullopt;
    return sourceByte(*src + (byte - *dest));
}

std::optional<ByteOffset> ReportData::elementOffset(ElementIndex element) const
{
    if (element < 0 || element >= m_count)
        return std::nullopt;
    return m_source.elementOffsetAt(element);
}

std::optional<ByteOffset> ReportData::copyDestination(ElementIndex element) const
{
    if (!m_copy || element < 0 || element >= m_count)
        return std::nullopt;
    return m_copy->elementOffsetAt(element);
}

bool ReportData::elementInsideMemory(ElementIndex element) const
{
    const auto off = elementOffset(element);
    if (!off)
        return false;
    const auto block = blockAround(*off);
    return block && *off + m_source.itemSize() <= block->second;
}

QString ReportData::valueText(ElementIndex element) const
{
    const auto off = elementOffset(element);
    if (!m_format || !off)
        return QStringLiteral("?");
    const ByteSnapshot* s = snapshotHolding(*off, m_format->itemSize());
    if (!s)
        return QStringLiteral("?");
    try {
        return QString::fromStdString(m_format->decode(std::span<const unsigned char>(
            s->bytes.data() + (*off - s->start), std::size_t(m_format->itemSize()))));
    } catch (...) {
        return QStringLiteral("?");
    }
}

std::optional<ByteOffset> ReportData::resultBufDelta() const
{
    const InspectionReport& r = *m_report;
    if (!r.result.buffer || !r.sourceBuffer)
        return std::nullopt;
    return ByteOffset(r.result.buffer->buf - r.sourceBuffer->buf);
}

ReportData::Highlight ReportData::resolve(const HighlightModel::Target& target, std::size_t limit) const
{
    Highlight h;
    h.region = target.region;
    if (target.element >= 0 && target.element < m_count) {
        h.elements.push_back(target.element);
        return h;
    }
    if (target.region == HighlightModel::Region::SourceMemory) {
        h.byte = target.byte;
        h.elements = m_sourceOwners.elementsAt(target.byte, limit);
    } else if (target.region == HighlightModel::Region::ResultMemory) {
        h.byte = target.byte;
        h.elements = m_copyOwners.elementsAt(target.byte, limit);
    }
    return h;
}

} // namespace stridescope
