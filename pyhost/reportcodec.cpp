#include "reportcodec.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <type_traits>

namespace stridescope {

namespace {

// Appends values in native byte order; every field of every struct, in declaration order.
class Writer
{
public:
    std::string bytes;
    int snapshotFd = -1;           // where snapshot bytes go, -1: inline
    std::uint64_t snapshotEnd = 0; // bytes of the file used so far

    template <class T>
    requires std::is_arithmetic_v<T> || std::is_enum_v<T>
    void put(T value)
    {
        const char* p = reinterpret_cast<const char*>(&value);
        bytes.append(p, sizeof value);
    }
    void put(const std::string& s)
    {
        put(std::uint64_t(s.size()));
        bytes.append(s);
    }
    void put(const std::vector<std::uint8_t>& v)
    {
        put(std::uint64_t(v.size()));
        if (!v.empty())
            bytes.append(reinterpret_cast<const char*>(v.data()), v.size());
    }
    template <class T> void put(const std::vector<T>& v)
    {
        put(std::uint64_t(v.size()));
        for (const T& x : v)
            put(x);
    }
    template <class T> void put(const std::optional<T>& o)
    {
        put(bool(o));
        if (o)
            put(*o);
    }
    template <class A, class B> void put(const std::pair<A, B>& p)
    {
        put(p.first);
        put(p.second);
    }

    void writeShared(const std::vector<std::uint8_t>& data)
    {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n =
                ::pwrite(snapshotFd, data.data() + done, data.size() - done, off_t(snapshotEnd + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw WireError("a snapshot could not be written to the shared memory");
            done += std::size_t(n);
        }
        snapshotEnd += data.size();
    }

    void put(const ConversionRequest& r) { put(r.bufferType), put(r.order); }
    void put(const StridedSourceSpec& s)
    {
        put(s.format), put(s.shape), put(s.strides), put(s.offset), put(s.memory), put(s.readonly);
        put(s.indirect), put(s.fill);
    }
    void put(const CapturedMemory& c) { put(c.data()), put(c.capturedFrom), put(c.capturedWith); }
    void put(const Scenario& s)
    {
        put(s.kind), put(s.strided), put(s.memoryFunction), put(s.code), put(s.importPath), put(s.captured),
            put(s.request), put(s.path), put(s.member);
        put(s.compare);
    }
    void put(const ScenarioComparison& c) { put(c.firstName), put(c.secondName), put(c.secondRequest); }
    void put(const ComparisonReport& c)
    {
        put(c.firstName), put(c.secondName), put(c.notCompared), put(c.sameBlock), put(c.secondShift);
        put(c.verdict), put(c.rangesMeet), put(c.firstIndex), put(c.secondIndex), put(c.undecided);
        put(c.bothBytes), put(c.onlyFirstBytes), put(c.onlySecondBytes), put(c.notCounted);
        put(bool(c.second));
        if (c.second)
            put(*c.second);
    }
    void put(const ReportCodec::Ready& r) { put(r.pythonVersion), put(r.startupError); }
    void put(const ReportCodec::InspectRequest& r) { put(r.scenario), put(r.options); }
    void put(const ReportCodec::ConsoleStart& c) { put(c.scenario), put(c.options), put(c.runScenario); }
    void put(const ConsoleAnswer& a) { put(a.ok), put(a.message); }
    void put(const Inspector::Options& o)
    {
        put(o.limits.allocationLimit), put(std::uint64_t(o.limits.outputLimit));
        put(o.probe.snapshotLimit), put(o.probe.drawableBytes), put(o.probe.tolistLimit),
            put(o.probe.copyLimit);
        put(o.probe.requestMatrix), put(o.probe.conversionCall);
    }
    void put(const PythonError& e) { put(e.type), put(e.message), put(e.traceback), put(e.line); }
    void put(const ExportedBuffer& e)
    {
        put(e.buf), put(e.len), put(e.itemSize), put(e.readonly), put(e.ndim), put(e.format), put(e.shape);
        put(e.strides), put(e.suboffsets);
    }
    void put(const BufferRequest& b) { put(b.name), put(b.flags); }
    void put(const ConformanceVerdict& v) { put(v.rule), put(v.result), put(v.quote), put(v.detail); }
    void put(const RequestOutcome& o)
    {
        put(o.request), put(o.view), put(o.unreadable), put(o.bufOffset), put(o.obj), put(o.objType);
        put(o.internalSet), put(o.errorType), put(o.errorMessage), put(o.errorIsBufferError);
        put(o.errorReturnedWithoutException), put(o.objClearedOnError), put(o.refcountBefore),
            put(o.refcountHeld);
        put(o.refcountAfter), put(o.verdicts);
    }
    void put(const MemoryBlock& m) { put(m.base), put(m.size), put(m.owner), put(m.overreach); }
    void put(const RowBlock& b) { put(b.block), put(b.bytes); }
    void put(const StridedLayout& l)
    {
        put(l.itemSize()), put(l.shape()), put(l.strides()), put(l.bufOffset()), put(l.memorySize());
        put(l.suboffsets());
        if (l.isIndirect()) {
            // Reports carry frozen tables only (BufferProbe freezes every indirect layout it keeps).
            const StridedLayout::PointerTable empty;
            const StridedLayout::PointerTable& table = l.pointerTable() ? *l.pointerTable() : empty;
            put(std::uint64_t(table.size()));
            for (const auto& [slot, target] : table)
                put(slot), put(target);
        }
    }
    void put(const BufferContiguity& b) { put(b.c), put(b.f), put(b.any); }
    void put(const MemoryviewFlags& m) { put(m.cContiguous), put(m.fContiguous); }
    void put(const ContiguityVerdict& v)
    {
        put(v.order), put(v.contiguous), put(v.breakingAxis), put(v.neededStride), put(v.explanation);
    }
    void put(const StridedLayout::Overlap& o) { put(o.first), put(o.second); }
    void put(const ConversionPrediction& p)
    {
        put(p.outcome), put(p.errorType), put(p.errorMessage), put(p.rule), put(p.verdict),
            put(p.resultLayout);
        put(p.resultLength), put(p.resultReadonly), put(p.aliasBaseKind), put(p.copyMethod),
            put(p.copyMethodReason);
    }
    void put(const ConversionResult& r)
    {
        put(r.outcome), put(r.isMemoryview), put(r.baseKind), put(r.baseType), put(r.buffer),
            put(r.cContiguous);
        put(r.fContiguous), put(r.bufferIsContiguous), put(r.contiguityNote), put(r.sharesMemory),
            put(r.layout), put(r.tolistJson), put(r.tolistOmitted);
        put(r.tolistError), put(r.error), put(r.seconds), put(r.bytesVerified), put(r.verifyNote);
    }
    void put(const ByteSnapshot& s)
    {
        put(s.start);
        if (snapshotFd < 0) {
            put(s.bytes);
        } else {
            put(snapshotEnd), put(std::uint64_t(s.bytes.size()));
            writeShared(s.bytes);
        }
        put(s.blockSize), put(s.truncated), put(s.unreadable);
    }
    void put(const InspectionReport& r)
    {
        put(r.scenario), put(r.sourceType), put(r.sourceIsMemoryview), put(r.sourceSupportsBuffer);
        put(r.sourceBuffer), put(r.exportFailure), put(r.memory), put(r.rowBlocks), put(r.sourceLayout);
        put(r.formatItemSize);
        put(r.valuesDecodable), put(r.formatNote), put(r.cVerdict), put(r.fVerdict), put(r.orderVerdict);
        put(r.sourceBufferIsContiguous), put(r.sourceMemoryviewFlags), put(r.sourceContiguityNote);
        put(r.selfOverlap), put(r.outsideMemory), put(r.prediction), put(r.result), put(r.agrees);
        put(r.disagreements), put(r.sourceBytes), put(r.resultBytes), put(r.output), put(r.outputTruncated);
        put(r.pythonVersion), put(r.callMade), put(r.requestsChecked), put(r.requests), put(r.requestsMemory);
        put(r.comparison);
    }
};

// Reads what Writer wrote; every length is checked against what is left before it is used.
class Reader
{
public:
    explicit Reader(std::string_view bytes, int snapshotFd = -1, ByteCount maxSnapshot = -1)
        : m_bytes(bytes), m_snapshotFd(snapshotFd), m_maxSnapshot(maxSnapshot)
    {
    }

    template <class T>
    requires std::is_arithmetic_v<T> || std::is_enum_v<T>
    void get(T& value)
    {
        need(sizeof value);
        std::memcpy(&value, m_bytes.data() + m_pos, sizeof value);
        m_pos += sizeof value;
    }
    void get(bool& value)
    {
        std::uint8_t b = 0;
        get(b);
        if (b > 1)
            throw WireError("a malformed flag in a message");
        value = b;
    }
    void get(std::string& s)
    {
        const std::size_t n = length(1);
        s.assign(m_bytes.data() + m_pos, n);
        m_pos += n;
    }
    void get(std::vector<std::uint8_t>& v)
    {
        const std::size_t n = length(1);
        v.resize(n);
        if (n > 0) // an empty vector's data() may be null, which memcpy must not see
            std::memcpy(v.data(), m_bytes.data() + m_pos, n);
        m_pos += n;
    }
    template <class T> void get(std::vector<T>& v)
    {
        const std::size_t n = length(1);
        v.clear();
        v.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            T x{};
            get(x);
            v.push_back(std::move(x));
        }
    }
    template <class T> void get(std::optional<T>& o)
    {
        bool present = false;
        get(present);
        o.reset();
        if (present) {
            T x{};
            get(x);
            o = std::move(x);
        }
    }
    template <class A, class B> void get(std::pair<A, B>& p)
    {
        get(p.first);
        get(p.second);
    }

    void get(ConversionRequest& r) { get(r.bufferType), get(r.order); }
    void get(StridedSourceSpec& s)
    {
        get(s.format), get(s.shape), get(s.strides), get(s.offset), get(s.memory), get(s.readonly);
        get(s.indirect), get(s.fill);
    }
    void get(CapturedMemory& c)
    {
        std::vector<std::uint8_t> bytes;
        get(bytes);
        c.bytes =
            bytes.empty() ? nullptr : std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
        get(c.capturedFrom), get(c.capturedWith);
    }
    void get(Scenario& s)
    {
        get(s.kind), get(s.strided), get(s.memoryFunction), get(s.code), get(s.importPath), get(s.captured),
            get(s.request), get(s.path), get(s.member);
        get(s.compare);
    }
    void get(ScenarioComparison& c) { get(c.firstName), get(c.secondName), get(c.secondRequest); }
    void get(ComparisonReport& c)
    {
        get(c.firstName), get(c.secondName), get(c.notCompared), get(c.sameBlock), get(c.secondShift);
        get(c.verdict), get(c.rangesMeet), get(c.firstIndex), get(c.secondIndex), get(c.undecided);
        get(c.bothBytes), get(c.onlyFirstBytes), get(c.onlySecondBytes), get(c.notCounted);
        bool hasSecond = false;
        get(hasSecond);
        if (hasSecond) {
            // The second object's report holds no comparison of its own: one level, never deeper.
            if (m_inComparison)
                throw WireError("a comparison inside a comparison");
            auto second = std::make_shared<InspectionReport>();
            m_inComparison = true;
            get(*second);
            m_inComparison = false;
            c.second = std::move(second);
        }
    }
    void get(ReportCodec::Ready& r) { get(r.pythonVersion), get(r.startupError); }
    void get(ReportCodec::InspectRequest& r) { get(r.scenario), get(r.options); }
    void get(ReportCodec::ConsoleStart& c) { get(c.scenario), get(c.options), get(c.runScenario); }
    void get(ConsoleAnswer& a) { get(a.ok), get(a.message); }
    void get(Inspector::Options& o)
    {
        std::uint64_t outputLimit = 0;
        get(o.limits.allocationLimit), get(outputLimit);
        o.limits.outputLimit = std::size_t(outputLimit);
        get(o.probe.snapshotLimit), get(o.probe.drawableBytes), get(o.probe.tolistLimit),
            get(o.probe.copyLimit);
        get(o.probe.requestMatrix), get(o.probe.conversionCall);
    }
    void get(PythonError& e) { get(e.type), get(e.message), get(e.traceback), get(e.line); }
    void get(ExportedBuffer& e)
    {
        get(e.buf), get(e.len), get(e.itemSize), get(e.readonly), get(e.ndim), get(e.format), get(e.shape);
        get(e.strides), get(e.suboffsets);
    }
    void get(BufferRequest& b) { get(b.name), get(b.flags); }
    void get(ConformanceVerdict& v)
    {
        get(v.rule), get(v.result), get(v.quote), get(v.detail);
        if (v.result != ConformanceVerdict::Result::Pass && v.result != ConformanceVerdict::Result::Fail &&
            v.result != ConformanceVerdict::Result::Undecided)
            throw WireError("a malformed verdict in a message");
    }
    void get(RequestOutcome& o)
    {
        get(o.request), get(o.view), get(o.unreadable), get(o.bufOffset), get(o.obj), get(o.objType);
        get(o.internalSet), get(o.errorType), get(o.errorMessage), get(o.errorIsBufferError);
        get(o.errorReturnedWithoutException), get(o.objClearedOnError), get(o.refcountBefore),
            get(o.refcountHeld);
        get(o.refcountAfter), get(o.verdicts);
        if (o.obj != RequestOutcome::ObjKind::Exporter && o.obj != RequestOutcome::ObjKind::Null &&
            o.obj != RequestOutcome::ObjKind::Other)
            throw WireError("a malformed request outcome in a message");
    }
    void get(MemoryBlock& m) { get(m.base), get(m.size), get(m.owner), get(m.overreach); }
    void get(RowBlock& b) { get(b.block), get(b.bytes); }
    void get(StridedLayout& l)
    {
        ByteCount itemSize = 0, memorySize = 0;
        std::vector<Extent> shape;
        std::vector<ByteOffset> strides;
        ByteOffset bufOffset = 0;
        std::optional<std::vector<ByteOffset>> suboffsets;
        get(itemSize), get(shape), get(strides), get(bufOffset), get(memorySize), get(suboffsets);
        if (strides.size() != shape.size())
            throw WireError("a layout whose strides do not match its shape");
        l = StridedLayout(itemSize, std::move(shape), std::move(strides), bufOffset, memorySize);
        if (suboffsets) {
            StridedLayout::PointerTable table;
            const std::size_t n = length(sizeof(ByteOffset) + 1);
            for (std::size_t i = 0; i < n; ++i) {
                ByteOffset slot = 0;
                std::optional<ByteOffset> target;
                get(slot), get(target);
                table.emplace(slot, target);
            }
            l.setFrozenSuboffsets(std::move(*suboffsets), std::move(table));
        }
    }
    void get(BufferContiguity& b) { get(b.c), get(b.f), get(b.any); }
    void get(MemoryviewFlags& m) { get(m.cContiguous), get(m.fContiguous); }
    void get(ContiguityVerdict& v)
    {
        get(v.order), get(v.contiguous), get(v.breakingAxis), get(v.neededStride), get(v.explanation);
    }
    void get(StridedLayout::Overlap& o) { get(o.first), get(o.second); }
    void get(ConversionPrediction& p)
    {
        get(p.outcome), get(p.errorType), get(p.errorMessage), get(p.rule), get(p.verdict),
            get(p.resultLayout);
        get(p.resultLength), get(p.resultReadonly), get(p.aliasBaseKind), get(p.copyMethod),
            get(p.copyMethodReason);
    }
    void get(ConversionResult& r)
    {
        get(r.outcome), get(r.isMemoryview), get(r.baseKind), get(r.baseType), get(r.buffer),
            get(r.cContiguous);
        get(r.fContiguous), get(r.bufferIsContiguous), get(r.contiguityNote), get(r.sharesMemory),
            get(r.layout), get(r.tolistJson), get(r.tolistOmitted);
        get(r.tolistError), get(r.error), get(r.seconds), get(r.bytesVerified), get(r.verifyNote);
    }
    void get(ByteSnapshot& s)
    {
        get(s.start);
        const auto checkSize = [this](std::uint64_t size) {
            if (m_maxSnapshot >= 0 && size > std::uint64_t(m_maxSnapshot))
                throw WireError("a snapshot larger than the " + std::to_string(m_maxSnapshot) +
                                " bytes asked for");
        };
        if (m_snapshotFd < 0) {
            get(s.bytes);
            checkSize(s.bytes.size());
        } else {
            std::uint64_t offset = 0, size = 0;
            get(offset), get(size);
            checkSize(size);
            readShared(offset, size, s.bytes);
        }
        get(s.blockSize), get(s.truncated), get(s.unreadable);
    }
    void get(InspectionReport& r)
    {
        get(r.scenario), get(r.sourceType), get(r.sourceIsMemoryview), get(r.sourceSupportsBuffer);
        get(r.sourceBuffer), get(r.exportFailure), get(r.memory), get(r.rowBlocks), get(r.sourceLayout);
        get(r.formatItemSize);
        get(r.valuesDecodable), get(r.formatNote), get(r.cVerdict), get(r.fVerdict), get(r.orderVerdict);
        get(r.sourceBufferIsContiguous), get(r.sourceMemoryviewFlags), get(r.sourceContiguityNote);
        get(r.selfOverlap), get(r.outsideMemory), get(r.prediction), get(r.result), get(r.agrees);
        get(r.disagreements), get(r.sourceBytes), get(r.resultBytes), get(r.output), get(r.outputTruncated);
        get(r.pythonVersion), get(r.callMade), get(r.requestsChecked), get(r.requests), get(r.requestsMemory);
        get(r.comparison);
    }

    void finish() const
    {
        if (m_pos != m_bytes.size())
            throw WireError("a message has " + std::to_string(m_bytes.size() - m_pos) + " bytes left over");
    }

private:
    void need(std::size_t n) const
    {
        if (n > m_bytes.size() - m_pos)
            throw WireError("a message is cut short");
    }
    // A count of items of at least `minItemSize` bytes each: never more than the bytes left hold.
    std::size_t length(std::size_t minItemSize)
    {
        std::uint64_t n = 0;
        get(n);
        if (n > (m_bytes.size() - m_pos) / minItemSize)
            throw WireError("a message holds a length longer than itself");
        return std::size_t(n);
    }

    void readShared(std::uint64_t offset, std::uint64_t size, std::vector<std::uint8_t>& out) const
    {
        struct stat info
        {
        };
        if (::fstat(m_snapshotFd, &info) != 0 || offset > std::uint64_t(info.st_size) ||
            size > std::uint64_t(info.st_size) - offset)
            throw WireError("a snapshot lies outside the shared memory");
        out.resize(std::size_t(size));
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n =
                ::pread(m_snapshotFd, out.data() + done, std::size_t(size) - done, off_t(offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw WireError("a snapshot could not be read from the shared memory");
            done += std::size_t(n);
        }
    }

    std::string_view m_bytes;
    std::size_t m_pos = 0;
    int m_snapshotFd = -1;
    ByteCount m_maxSnapshot = -1;
    bool m_inComparison = false; // reading a comparison's second report
};

template <class T> T decodeValue(std::string_view payload, int snapshotFd = -1, ByteCount maxSnapshot = -1)
{
    Reader r(payload, snapshotFd, maxSnapshot);
    T value{};
    r.get(value);
    r.finish();
    return value;
}

std::string encodeValue(const auto& value, int snapshotFd = -1)
{
    Writer w;
    w.snapshotFd = snapshotFd;
    w.put(value);
    return std::move(w.bytes);
}

} // namespace

std::string ReportCodec::encode(const Ready& ready)
{
    return encodeValue(ready);
}

std::string ReportCodec::encode(const InspectRequest& request)
{
    return encodeValue(request);
}

std::string ReportCodec::encode(const ConsoleStart& start)
{
    return encodeValue(start);
}

std::string ReportCodec::encode(const ConsoleAnswer& answer)
{
    return encodeValue(answer);
}

std::string ReportCodec::encodeText(const std::string& text)
{
    return encodeValue(text);
}

std::string ReportCodec::encodeTexts(const std::vector<std::string>& texts)
{
    return encodeValue(texts);
}

std::string ReportCodec::encode(const InspectionReport& report, int snapshotFd)
{
    if (snapshotFd >= 0 && ::ftruncate(snapshotFd, 0) != 0) // the last report's bytes are not kept
        throw WireError("the shared memory could not be reset");
    return encodeValue(report, snapshotFd);
}

std::string ReportCodec::encode(const SourceError& error)
{
    Writer w;
    w.put(std::string(error.what())), w.put(error.python), w.put(error.output), w.put(error.outputTruncated);
    return std::move(w.bytes);
}

ReportCodec::Ready ReportCodec::decodeReady(std::string_view payload)
{
    return decodeValue<Ready>(payload);
}

ReportCodec::InspectRequest ReportCodec::decodeInspectRequest(std::string_view payload)
{
    return decodeValue<InspectRequest>(payload);
}

InspectionReport ReportCodec::decodeReport(std::string_view payload, int snapshotFd,
                                           ByteCount maxSnapshotBytes)
{
    return decodeValue<InspectionReport>(payload, snapshotFd, maxSnapshotBytes);
}

SourceError ReportCodec::decodeSourceError(std::string_view payload)
{
    Reader r(payload);
    std::string message, output;
    std::optional<PythonError> python;
    bool truncated = false;
    r.get(message), r.get(python), r.get(output), r.get(truncated);
    r.finish();
    return SourceError(message, std::move(python), std::move(output), truncated);
}

ReportCodec::ConsoleStart ReportCodec::decodeConsoleStart(std::string_view payload)
{
    return decodeValue<ConsoleStart>(payload);
}

ConsoleAnswer ReportCodec::decodeConsoleAnswer(std::string_view payload)
{
    return decodeValue<ConsoleAnswer>(payload);
}

std::string ReportCodec::decodeText(std::string_view payload)
{
    return decodeValue<std::string>(payload);
}

std::vector<std::string> ReportCodec::decodeTexts(std::string_view payload)
{
    return decodeValue<std::vector<std::string>>(payload);
}

} // namespace stridescope
