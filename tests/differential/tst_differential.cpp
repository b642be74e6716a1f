// Randomized differential test: thousands of random layouts, built by three independent exporters
// (Stridescope's native one, CPython's own _testbuffer.ndarray, numpy arrays laid over a base
// buffer), each asked a random PyMemoryView_GetContiguous request. Core's prediction, contiguity and copy map
// must agree with the real call and the bytes it copied. The seed is printed; STRIDESCOPE_SEED replays a run.
#include "core/stridedlayout.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"

#include <QTest>

#include <map>
#include <random>
#include <sstream>

using namespace stridescope;

namespace {

quint64 seedFromEnvironment()
{
    bool ok = false;
    const quint64 seed = qEnvironmentVariable("STRIDESCOPE_SEED").toULongLong(&ok);
    return ok ? seed : quint64(std::random_device{}()) << 32 | std::random_device{}();
}

struct FormatChoice
{
    const char* format;
    ByteCount itemSize;
};

// Formats with the item sizes struct.calcsize gives on x86_64.
const FormatChoice formats[] = {{"B", 1},
                                {"b", 1},
                                {"h", 2},
                                {"<i", 4},
                                {"d", 8},
                                {"?", 1},
                                {"e", 2},
                                {"3s", 3},
                                {"hhd", 16},
                                {">q", 8},
                                {"T{<h:x:<d:y:}", 10}};

class LayoutGenerator
{
public:
    explicit LayoutGenerator(quint64 seed) : m_rng(seed) {}

    int pick(int n) { return int(m_rng() % std::uint64_t(n)); }
    bool chance(int percent) { return pick(100) < percent; }

    std::vector<Extent> shape(int maxDim)
    {
        std::vector<Extent> s(std::size_t(pick(maxDim + 1)));
        for (auto& e : s)
            e = chance(10) ? 0 : chance(25) ? 1 : Extent(pick(5) + 1);
        return s;
    }

    // Strides in whole items (for exporters that need them) or any bytes.
    std::vector<ByteOffset> strides(const std::vector<Extent>& shape, ByteCount itemSize, bool wholeItems)
    {
        const int mode = pick(6);
        if (mode == 0)
            return StridedLayout::cStrides(shape, itemSize);
        if (mode == 1)
            return StridedLayout::fortranStrides(shape, itemSize);
        if (mode == 2) { // a permutation of C strides: transposes
            auto c = StridedLayout::cStrides(shape, itemSize);
            std::vector<ByteOffset> s(shape.size());
            std::vector<std::size_t> perm(shape.size());
            std::iota(perm.begin(), perm.end(), 0);
            std::shuffle(perm.begin(), perm.end(), m_rng);
            for (std::size_t i = 0; i < perm.size(); ++i)
                s[i] = c[perm[i]];
            return s;
        }
        std::vector<ByteOffset> s(shape.size());
        for (auto& x : s) {
            // random, negative, zero and overlapping strides
            const ByteOffset items = ByteOffset(pick(13)) - 6;
            x = wholeItems ? items * itemSize : items * itemSize + (chance(30) ? pick(int(itemSize) + 1) : 0);
        }
        if (mode == 3 && !s.empty()) // slices of C strides (every other element)
            for (std::size_t i = 0; i < s.size(); ++i)
                s[i] = StridedLayout::cStrides(shape, itemSize)[i] * (chance(50) ? 2 : -1);
        return s;
    }

    ConversionRequest request()
    {
        ConversionRequest r;
        r.bufferType =
            chance(50) ? ConversionRequest::BufferType::Read : ConversionRequest::BufferType::Write;
        r.order = "CFA"[pick(3)];
        return r;
    }

    std::mt19937_64& rng() { return m_rng; }

private:
    std::mt19937_64 m_rng;
};

std::string pyList(const std::vector<std::int64_t>& v)
{
    std::ostringstream s;
    s << "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s << (i ? ", " : "") << v[i];
    s << "]";
    return s.str();
}

std::string describe(const Scenario& s)
{
    std::ostringstream d;
    if (s.kind == Scenario::SourceKind::Python) {
        d << "code: " << s.code;
    } else {
        d << "format " << s.strided.format << " shape " << pyList(s.strided.shape) << " strides "
          << (s.strided.strides ? pyList(*s.strided.strides) : "C") << " readonly " << s.strided.readonly
          << " indirect " << s.strided.indirect;
    }
    d << " request " << s.request.cExpression();
    return d.str();
}

} // namespace

class TestDifferential : public QObject
{
    Q_OBJECT

    quint64 m_seed = 0;
    std::map<std::string, int> m_outcomes;

    // Runs one scenario through the probe; every disagreement is a failure that names the layout.
    bool check(const Scenario& scenario, int trial)
    {
        InspectionReport report;
        try {
            report = PythonHost::instance().call([&] { return Inspector::run(scenario, {}); });
        } catch (const std::exception& e) {
            qWarning("trial %d (seed %llu): the source was refused: %s\n  %s", trial, m_seed, e.what(),
                     describe(scenario).c_str());
            return false;
        }
        ++m_outcomes[ConversionPrediction::outcomeName(report.result.outcome)];
        if (!report.agrees) {
            std::string all;
            for (const auto& d : report.disagreements)
                all += "\n  - " + d;
            qWarning("trial %d (seed %llu): %s%s", trial, m_seed, describe(scenario).c_str(), all.c_str());
            return false;
        }
        if (report.result.outcome == ConversionPrediction::Outcome::Copy &&
            report.result.bytesVerified != report.result.buffer->len) {
            qWarning("trial %d (seed %llu): only %lld of %lld copied bytes verified: %s", trial, m_seed,
                     qlonglong(report.result.bytesVerified), qlonglong(report.result.buffer->len),
                     describe(scenario).c_str());
            return false;
        }
        return true;
    }

    // Runs `trials` scenarios from `make` (stopping after 10 failures), counts outcomes in
    // m_outcomes, prints them, and returns how many trials disagreed.
    template <class MakeScenario>
    int runTrials(const char* exporter, quint64 seed, int trials, MakeScenario make)
    {
        LayoutGenerator gen(seed);
        m_outcomes.clear();
        int failures = 0;
        for (int trial = 0; trial < trials && failures < 10; ++trial) {
            Scenario s = make(gen);
            s.request = gen.request();
            if (!check(s, trial))
                ++failures;
        }
        qInfo("%s outcomes: alias %d, copy %d, error %d", exporter, m_outcomes["alias"], m_outcomes["copy"],
              m_outcomes["error"]);
        return failures;
    }

private slots:
    void initTestCase()
    {
        m_seed = seedFromEnvironment();
        qInfo("seed %llu (replay with STRIDESCOPE_SEED=%llu)", m_seed, m_seed);
        QVERIFY(PythonHost::instance().startupError().empty());
    }

    void nativeExporter()
    {
        const int failures = runTrials("native exporter", m_seed, 10000, [](LayoutGenerator& gen) {
            Scenario s;
            s.kind = Scenario::SourceKind::Strided;
            const FormatChoice f = formats[gen.pick(int(std::size(formats)))];
            s.strided.format = f.format;
            s.strided.shape = gen.shape(5);
            s.strided.readonly = gen.chance(25);
            s.strided.indirect = !s.strided.shape.empty() && gen.chance(10);
            s.strided.fill = StridedSourceSpec::Fill::Index;
            if (!s.strided.indirect || gen.chance(50)) {
                auto strides = gen.strides(s.strided.shape, f.itemSize, false);
                if (s.strided.indirect && !strides.empty())
                    strides[0] = ByteOffset(sizeof(void*)) * (gen.chance(80) ? 1 : 2);
                s.strided.strides = strides;
            }
            return s; // memory and offset stay default: the exporter sizes the block and places buf
        });
        QCOMPARE(failures, 0);
        // The random layouts reach every branch.
        QVERIFY(m_outcomes["alias"] > 500 && m_outcomes["copy"] > 500 && m_outcomes["error"] > 500);
    }

    // CPython's own test exporter (Modules/_testbuffer.c, from libpython3.11-testsuite).
    void testbufferExporter()
    {
        const int failures = runTrials("_testbuffer", m_seed ^ 0x5eed, 1500, [](LayoutGenerator& gen) {
            const char* fmts[] = {"B", "h", "i", "d", "q"};
            const ByteCount sizes[] = {1, 2, 4, 8, 8};
            const int fi = gen.pick(5);
            auto shape = gen.shape(4);
            auto strides = gen.strides(shape, sizes[fi], true);
            StridedLayout layout(sizes[fi], shape, strides);
            auto ext = layout.extent();
            // ndarray wants the memory as a list of items and buf's offset into it, in bytes.
            const ByteOffset lo = ext ? ext->first : 0;
            const ByteCount span = ext ? ext->end - ext->first : 0;
            const Extent items = std::max<Extent>(span / sizes[fi], 1);
            std::ostringstream code;
            code << "from _testbuffer import ndarray, ND_WRITABLE, ND_PIL\n"
                 << "flags = " << (gen.chance(70) ? "ND_WRITABLE" : "0")
                 << (shape.size() > 0 && gen.chance(15) && layout.elementCount().value_or(0) > 0 ? " | ND_PIL"
                                                                                                 : "")
                 << "\n"
                 << "ndarray([i % 100 for i in range(" << items << ")], shape=" << pyList(shape)
                 << ", strides=" << pyList(strides) << ", offset=" << -lo << ", format='" << fmts[fi]
                 << "', flags=flags)";
            Scenario s;
            s.kind = Scenario::SourceKind::Python;
            s.code = code.str();
            return s;
        });
        QCOMPARE(failures, 0);
        QVERIFY(m_outcomes["copy"] > 100 && m_outcomes["alias"] > 100);
    }

    // numpy arrays laid over a base buffer with explicit offset and strides.
    void numpyExporter()
    {
        const int failures = runTrials("numpy", m_seed ^ 0xabcdef, 1500, [](LayoutGenerator& gen) {
            const char* dtypes[] = {"uint8", "int16", "float64", "int32"};
            const ByteCount sizes[] = {1, 2, 8, 4};
            const int di = gen.pick(4);
            auto shape = gen.shape(4);
            auto strides = gen.strides(shape, sizes[di], false);
            StridedLayout layout(sizes[di], shape, strides);
            auto ext = layout.extent();
            const ByteOffset lo = ext ? ext->first : 0;
            const ByteCount span = ext ? ext->end - ext->first : 1;
            std::ostringstream code;
            code << "base = np.arange(" << span + 16 << ", dtype=np.uint8)\n"
                 << "v = np.ndarray(shape=" << pyList(shape) << ", dtype=np." << dtypes[di]
                 << ", buffer=base, offset=" << -lo << ", strides=" << pyList(strides) << ")\n"
                 << (gen.chance(25) ? "v.flags.writeable = False\n" : "") << "v";
            Scenario s;
            s.kind = Scenario::SourceKind::Python;
            s.code = code.str();
            return s;
        });
        QCOMPARE(failures, 0);
        QVERIFY(m_outcomes["copy"] > 100 && m_outcomes["alias"] > 100);
    }
};

QTEST_GUILESS_MAIN(TestDifferential)
#include "tst_differential.moc"
