// Stridescope's native exporter (_stridescope.StridedBuffer) and the sources built on it, checked
// against what CPython itself sees: memoryview, numpy, PyObject_GetBuffer with every request flag,
// and CPython's reference exporter _testbuffer.ndarray.

#include "pyhost/buffersource.h"
#include "pyhost/memoryviewsource.h"
#include "pyhost/pythoncodesource.h"
#include "pyhost/pythonhost.h"
#include "pyhost/stridedbuffertype.h"
#include "pyhost/stridedsource.h"

#include <pybind11/embed.h>

#include <QtTest>

#include <cstring>
#include <map>
#include <string>

using namespace stridescope;
namespace py = pybind11;

namespace {

// Facts gathered on the Python thread, as text, so assertions run on the test thread.
using Facts = std::map<std::string, std::string>;

// What a layout is, stated by hand for the request-flag rules.
struct LayoutFacts
{
    bool cContiguous = false;
    bool fContiguous = false;
    ByteOffset offset = 0; // where buf sits in the memory block
    QString strides;       // the strides the exporter must report, "6,2"
    QString reference;     // the same layout built by _testbuffer.ndarray (Python expression)
};

struct PilFacts
{
    ByteOffset rowsStart = 0;
    ByteOffset rowSpan = 0;
    ByteOffset lead = 0;
};

} // namespace

Q_DECLARE_METATYPE(stridescope::StridedSourceSpec)
Q_DECLARE_METATYPE(stridescope::SourceLimits)
Q_DECLARE_METATYPE(stridescope::MemoryViewFunction)
Q_DECLARE_METATYPE(LayoutFacts)
Q_DECLARE_METATYPE(PilFacts)

namespace {

template <class F> auto onPython(F job)
{
    return PythonHost::instance().call(std::move(job));
}

std::string describe(py::error_already_set& error)
{
    return py::handle(error.type()).attr("__name__").cast<std::string>() + ": " +
           py::str(error.value()).cast<std::string>();
}

// Runs `code` with `obj` (and `_testbuffer`'s names) bound; returns str() of every entry of the dict `out`.
Facts runCode(py::handle obj, const std::string& code)
{
    py::dict ns;
    ns["__builtins__"] = py::module_::import("builtins");
    ns["obj"] = obj;
    ns["out"] = py::dict();
    py::exec(code, ns);
    Facts facts;
    for (auto item : ns["out"].cast<py::dict>())
        facts[py::str(item.first).cast<std::string>()] = py::str(item.second).cast<std::string>();
    return facts;
}

// Builds a StridedBuffer from `spec` and runs `code` on it. Errors come back as facts["error"].
Facts runWith(const StridedSourceSpec& spec, const std::string& code, const SourceLimits& limits = {})
{
    return onPython([&]() -> Facts {
        try {
            py::object obj = StridedBufferType::create(spec, limits);
            return runCode(obj, code);
        } catch (const SourceError& e) {
            return {{"error", std::string("SourceError: ") + e.what()}};
        } catch (py::error_already_set& e) {
            return {{"error", describe(e)}};
        }
    });
}

// Runs `body(facts)` on the Python thread; a SourceError or a Python exception ends it and comes back
// as facts["error"].
template <class F> Facts factsOnPython(F body)
{
    return onPython([&]() -> Facts {
        Facts r;
        try {
            body(r);
        } catch (const SourceError& e) {
            r["error"] = e.what();
        } catch (py::error_already_set& e) {
            r["error"] = describe(e);
        }
        return r;
    });
}

// Runs Python code with nothing bound but `_stridescope`.
Facts runPython(const std::string& code)
{
    return onPython([&]() -> Facts {
        try {
            return runCode(py::module_::import("_stridescope"), "_stridescope = obj\n" + code);
        } catch (py::error_already_set& e) {
            return {{"error", describe(e)}};
        }
    });
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

StridedSourceSpec spec(std::string format, std::vector<Extent> shape,
                       std::optional<std::vector<ByteOffset>> strides = std::nullopt)
{
    StridedSourceSpec s;
    s.format = std::move(format);
    s.shape = std::move(shape);
    s.strides = std::move(strides);
    return s;
}

template <class F> StridedSourceSpec with(StridedSourceSpec s, F change)
{
    change(s);
    return s;
}

std::string joined(const Py_ssize_t* values, int n)
{
    if (!values)
        return "NULL";
    std::string text;
    for (int i = 0; i < n; ++i)
        text += (i ? "," : "") + std::to_string(values[i]);
    return text;
}

// The keyword arguments of _stridescope.StridedBuffer for `spec`.
py::dict kwargsFor(const StridedSourceSpec& s)
{
    py::dict kw;
    kw["format"] = s.format;
    const auto tupleOf = [](const std::vector<std::int64_t>& values) {
        py::tuple t(values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            t[i] = py::int_(values[i]);
        return t;
    };
    kw["shape"] = tupleOf(s.shape);
    if (s.strides)
        kw["strides"] = tupleOf(*s.strides);
    if (s.offset)
        kw["offset"] = *s.offset;
    if (s.memory)
        kw["memory"] = *s.memory;
    kw["readonly"] = s.readonly;
    kw["indirect"] = s.indirect;
    kw["fill"] = StridedSourceSpec::fillName(s.fill);
    return kw;
}

const char* inspectCode = R"(
import numpy
m = memoryview(obj)
out['shape'] = repr(m.shape)
out['strides'] = repr(m.strides)
out['format'] = m.format
out['itemsize'] = repr(m.itemsize)
out['nbytes'] = repr(m.nbytes)
out['readonly'] = repr(m.readonly)
out['c'] = repr(m.c_contiguous)
out['f'] = repr(m.f_contiguous)
try:
    out['mvlist'] = repr(m.tolist())
except NotImplementedError:
    out['mvlist'] = 'unsupported'
a = numpy.asarray(obj)
out['nplist'] = repr(a.tolist())
out['npshape'] = repr(a.shape)
out['npstrides'] = repr(a.strides)
out['npwriteable'] = repr(a.flags.writeable)
m.release()
del a
out['exports'] = repr(obj.exports)
)";

} // namespace

class TestStridedBuffer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void exportMatchesSpec_data();
    void exportMatchesSpec();
    void memoryMatchesFill_data();
    void memoryMatchesFill();
    void indexFillWraps();
    void requestFlags_data();
    void requestFlags();
    void pilIndirect_data();
    void pilIndirect();
    void memoryViewSources_data();
    void memoryViewSources();
    void stridedSource();
    void offsetGivenOrNot_data();
    void offsetGivenOrNot();
    void badInput_data();
    void badInput();
    void garbageArguments_data();
    void garbageArguments();
    void unknownFillIsNamed();
    void hugeAxisBesideAnEmptyOne();
    void pythonConstructor();
    void fromScenario();
};

void TestStridedBuffer::initTestCase()
{
    QVERIFY2(PythonHost::instance().startupError().empty(), PythonHost::instance().startupError().c_str());
    QVERIFY(PythonHost::instance().call([] { return PythonHost::enableSitePackages(); })); // numpy's path
    const Facts facts = runPython("import numpy, _testbuffer\nout['ok'] = 1\n");
    QCOMPARE(q(facts.count("error") ? facts.at("error") : ""), QString());
}

// ---- what memoryview and numpy see ------------------------------------------------------------

void TestStridedBuffer::exportMatchesSpec_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QString>("strides");
    QTest::addColumn<int>("itemsize");
    QTest::addColumn<bool>("readonly");
    QTest::addColumn<bool>("c");
    QTest::addColumn<bool>("f");
    QTest::addColumn<QString>("tolist");
    QTest::addColumn<bool>("memoryviewCanList"); // memoryview only lists native single-character formats

    const QString list23 = "[[0, 1, 2], [3, 4, 5]]";
    QTest::newRow("C 2x3 h") << spec("h", {2, 3}) << "(2, 3)"
                             << "(6, 2)" << 2 << false << true << false << list23 << true;
    QTest::newRow("F 2x3 h") << spec("h", {2, 3}, {{2, 4}}) << "(2, 3)"
                             << "(2, 4)" << 2 << false << false << true << list23 << true;
    QTest::newRow("transposed 3x2 of a C 2x3")
        << spec("h", {3, 2}, {{2, 6}}) << "(3, 2)"
        << "(2, 6)" << 2 << false << false << true << "[[0, 1], [2, 3], [4, 5]]" << true;
    QTest::newRow("rows padded") << spec("h", {2, 3}, {{8, 2}}) << "(2, 3)"
                                 << "(8, 2)" << 2 << false << false << false << list23 << true;
    QTest::newRow("negative strides") << spec("h", {2, 3}, {{-6, -2}}) << "(2, 3)"
                                      << "(-6, -2)" << 2 << false << false << false << list23 << true;
    QTest::newRow("negative outer stride")
        << spec("B", {3, 2}, {{-2, 1}}) << "(3, 2)"
        << "(-2, 1)" << 1 << false << false << false << "[[0, 1], [2, 3], [4, 5]]" << true;
    // Zero strides: elements share bytes, the later element's value wins.
    QTest::newRow("zero outer stride")
        << spec("h", {2, 3}, {{0, 2}}) << "(2, 3)"
        << "(0, 2)" << 2 << false << false << false << "[[3, 4, 5], [3, 4, 5]]" << true;
    QTest::newRow("zero inner stride")
        << spec("h", {2, 3}, {{6, 0}}) << "(2, 3)"
        << "(6, 0)" << 2 << false << false << false << "[[2, 2, 2], [5, 5, 5]]" << true;
    QTest::newRow("0-d") << spec("d", {}) << "()"
                         << "()" << 8 << false << true << true << "0.0" << true;
    QTest::newRow("empty axis") << spec("h", {0, 3}) << "(0, 3)"
                                << "(6, 2)" << 2 << false << true << true << "[]" << true;
    // C strides as CPython computes them: an axis of extent 0 zeroes the strides before it.
    QTest::newRow("empty inner axis") << spec("h", {2, 0}) << "(2, 0)"
                                      << "(0, 2)" << 2 << false << true << true << "[[], []]" << true;
    QTest::newRow("extent-1 axes") << spec("h", {1, 3, 1}) << "(1, 3, 1)"
                                   << "(6, 2, 2)" << 2 << false << true << true << "[[[0], [1], [2]]]"
                                   << true;
    QTest::newRow("extent-1 axis, odd stride")
        << spec("h", {1, 3}, {{100, 2}}) << "(1, 3)"
        << "(100, 2)" << 2 << false << true << true << "[[0, 1, 2]]" << true;
    QTest::newRow("read-only") << with(spec("B", {4}), [](auto& s) { s.readonly = true; }) << "(4,)"
                               << "(1,)" << 1 << true << true << true << "[0, 1, 2, 3]" << true;
    QTest::newRow("offset and spare memory") << with(spec("B", {3}, {{2}}),
                                                     [](auto& s) {
                                                         s.offset = 3;
                                                         s.memory = 16;
                                                     })
                                             << "(3,)"
                                             << "(2,)" << 1 << false << false << false << "[0, 1, 2]" << true;
    QTest::newRow("?") << spec("?", {4}) << "(4,)"
                       << "(1,)" << 1 << false << true << true << "[False, True, False, True]" << true;
    QTest::newRow("<i") << spec("<i", {2, 2}) << "(2, 2)"
                        << "(8, 4)" << 4 << false << true << false << "[[0, 1], [2, 3]]" << false;
    QTest::newRow(">d") << spec(">d", {3}) << "(3,)"
                        << "(8,)" << 8 << false << true << true << "[0.0, 1.0, 2.0]" << false;
    QTest::newRow("hhd") << spec("hhd", {2}) << "(2,)"
                         << "(16,)" << 16 << false << true << true << "[(0, 0, 0.0), (1, 1, 1.0)]" << false;
    QTest::newRow("3s") << spec("3s", {3}) << "(3,)"
                        << "(3,)" << 3 << false << true << true << "[b'abc', b'bcd', b'cde']" << false;
    QTest::newRow("3s transposed") << spec("3s", {2, 2}, {{3, 6}}) << "(2, 2)"
                                   << "(3, 6)" << 3 << false << false << true
                                   << "[[b'abc', b'bcd'], [b'cde', b'def']]" << false;
}

void TestStridedBuffer::exportMatchesSpec()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(QString, shape);
    QFETCH(QString, strides);
    QFETCH(int, itemsize);
    QFETCH(bool, readonly);
    QFETCH(bool, c);
    QFETCH(bool, f);
    QFETCH(QString, tolist);
    QFETCH(bool, memoryviewCanList);

    const Facts facts = runWith(spec, inspectCode);
    QVERIFY2(!facts.count("error"), facts.count("error") ? facts.at("error").c_str() : "");
    qint64 elements = 1;
    for (Extent e : spec.shape)
        elements *= e;
    auto pyBool = [](bool b) { return QString(b ? "True" : "False"); };

    QCOMPARE(q(facts.at("shape")), shape);
    QCOMPARE(q(facts.at("strides")), strides);
    QCOMPARE(q(facts.at("format")), q(spec.format));
    QCOMPARE(q(facts.at("itemsize")), QString::number(itemsize));
    QCOMPARE(q(facts.at("nbytes")), QString::number(elements * itemsize));
    QCOMPARE(q(facts.at("readonly")), pyBool(readonly));
    QCOMPARE(q(facts.at("c")), pyBool(c));
    QCOMPARE(q(facts.at("f")), pyBool(f));
    if (memoryviewCanList)
        QCOMPARE(q(facts.at("mvlist")), tolist);
    else
        QCOMPARE(q(facts.at("mvlist")), QString("unsupported"));
    // numpy reads the same export and must agree with memoryview and with the spec.
    QCOMPARE(q(facts.at("nplist")), tolist);
    QCOMPARE(q(facts.at("npshape")), shape);
    QCOMPARE(q(facts.at("npstrides")), strides);
    QCOMPARE(q(facts.at("npwriteable")), pyBool(!readonly));
    QCOMPARE(q(facts.at("exports")), QString("0"));
}

// ---- the bytes of the memory block --------------------------------------------------------------

void TestStridedBuffer::memoryMatchesFill_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<QString>("hex");

    auto filled = [](StridedSourceSpec s, StridedSourceSpec::Fill fill) {
        s.fill = fill;
        return s;
    };
    QTest::newRow("index <i") << spec("<i", {3}) << "000000000100000002000000";
    QTest::newRow("index >h") << spec(">h", {3}) << "000000010002";
    QTest::newRow("index h (native, little-endian here)") << spec("h", {2}) << "00000100";
    QTest::newRow("index >f") << spec(">f", {2}) << "000000003f800000";
    QTest::newRow("index <e") << spec("<e", {3}) << "0000003c0040";
    QTest::newRow("index hhd (native padding stays 0)") << spec("hhd", {2})
                                                        << "00000000000000000000000000000000"
                                                           "0100010000000000000000000000f03f";
    QTest::newRow("index <Zf") << spec("<Zf", {2})
                               << "0000000000000000"
                                  "0000803f00000000";
    QTest::newRow("index 3s") << spec("3s", {2}) << "616263626364";
    QTest::newRow("index c") << spec("c", {3}) << "616263";
    QTest::newRow("index ?") << spec("?", {3}) << "000100";
    QTest::newRow("index 2p (Pascal string)") << spec("2p", {2}) << "01610162";
    QTest::newRow("index with gaps") << spec("B", {3}, {{2}}) << "0000010002";
    QTest::newRow("index negative stride") << spec("B", {3}, {{-1}}) << "020100";
    QTest::newRow("index overlapping strides") << spec("B", {2, 3}, {{1, 1}}) << "00030405";
    QTest::newRow("index offset and memory") << with(spec("B", {2}), [](auto& s) {
        s.offset = 3;
        s.memory = 6;
    }) << "000000000100";
    QTest::newRow("bytes") << filled(spec("h", {2, 3}, {{8, 2}}), StridedSourceSpec::Fill::Bytes)
                           << "000102030405060708090a0b0c0d";
    QByteArray counting;
    for (int i = 0; i < 258; ++i)
        counting.append(char(i & 0xFF));
    QTest::newRow("bytes over 256") << filled(spec("B", {258}), StridedSourceSpec::Fill::Bytes)
                                    << QString(counting.toHex());
    QTest::newRow("zero") << filled(spec("h", {2, 2}), StridedSourceSpec::Fill::Zero) << "0000000000000000";
}

void TestStridedBuffer::memoryMatchesFill()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(QString, hex);

    const Facts facts = onPython([&]() -> Facts {
        try {
            py::object obj = StridedBufferType::create(spec, {});
            Facts f = runCode(obj, "out['hex'] = obj.memory_bytes().hex()\n");
            // The C++ accessor sees the very same block.
            const auto block = StridedBufferType::memoryOf(obj.ptr());
            f["owner"] = block ? block->owner : "none";
            f["aligned"] = block && block->base % 16 == 0 ? "yes" : "no";
            if (block)
                f["cpphex"] = QByteArray(reinterpret_cast<const char*>(block->base), int(block->size))
                                  .toHex()
                                  .toStdString();
            return f;
        } catch (const SourceError& e) {
            return {{"error", e.what()}};
        } catch (py::error_already_set& e) {
            return {{"error", describe(e)}};
        }
    });
    QVERIFY2(!facts.count("error"), facts.count("error") ? facts.at("error").c_str() : "");
    QCOMPARE(q(facts.at("hex")), hex);
    QCOMPARE(q(facts.at("cpphex")), hex);
    QCOMPARE(q(facts.at("owner")), QString("StridedBuffer memory"));
    QCOMPARE(q(facts.at("aligned")), QString("yes"));
}

void TestStridedBuffer::indexFillWraps()
{
    const Facts b = runWith(
        spec("b", {300}), "m = memoryview(obj)\nout['v'] = repr([m[127], m[128], m[200], m[255], m[256]])\n");
    QCOMPARE(q(b.count("v") ? b.at("v") : b.at("error")), QString("[127, -128, -56, -1, 0]"));
    const Facts u = runWith(spec("<H", {70000}), "import numpy\na = numpy.asarray(obj)\nout['v'] = "
                                                 "repr([int(a[65535]), int(a[65536]), int(a[69999])])\n");
    QCOMPARE(q(u.count("v") ? u.at("v") : u.at("error")), QString("[65535, 0, 4463]"));
    const Facts e =
        runWith(spec("e", {2050}),
                "import numpy\na = numpy.asarray(obj)\nout['v'] = repr([float(a[2048]), float(a[2049])])\n");
    QCOMPARE(q(e.count("v") ? e.at("v") : e.at("error")), QString("[2048.0, 2048.0]")); // 2049 rounds to even
}

// ---- every request flag against every kind of layout ----------------------------------------------

namespace {

struct FlagCase
{
    const char* name;
    int flags;
};

const FlagCase flagCases[] = {
    {"PyBUF_SIMPLE", PyBUF_SIMPLE},
    {"PyBUF_WRITABLE", PyBUF_WRITABLE},
    {"PyBUF_FORMAT", PyBUF_FORMAT},
    {"PyBUF_ND", PyBUF_ND},
    {"PyBUF_ND|PyBUF_FORMAT", PyBUF_ND | PyBUF_FORMAT},
    {"PyBUF_ND|PyBUF_WRITABLE", PyBUF_ND | PyBUF_WRITABLE},
    {"PyBUF_STRIDES", PyBUF_STRIDES},
    {"PyBUF_C_CONTIGUOUS", PyBUF_C_CONTIGUOUS},
    {"PyBUF_F_CONTIGUOUS", PyBUF_F_CONTIGUOUS},
    {"PyBUF_ANY_CONTIGUOUS", PyBUF_ANY_CONTIGUOUS},
    {"PyBUF_INDIRECT", PyBUF_INDIRECT},
    {"PyBUF_CONTIG", PyBUF_CONTIG},
    {"PyBUF_CONTIG_RO", PyBUF_CONTIG_RO},
    {"PyBUF_STRIDED", PyBUF_STRIDED},
    {"PyBUF_STRIDED_RO", PyBUF_STRIDED_RO},
    {"PyBUF_RECORDS", PyBUF_RECORDS},
    {"PyBUF_RECORDS_RO", PyBUF_RECORDS_RO},
    {"PyBUF_FULL", PyBUF_FULL},
    {"PyBUF_FULL_RO", PyBUF_FULL_RO},
    {"PyBUF_C_CONTIGUOUS|PyBUF_FORMAT|PyBUF_WRITABLE", PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE},
    {"PyBUF_F_CONTIGUOUS|PyBUF_FORMAT", PyBUF_F_CONTIGUOUS | PyBUF_FORMAT},
    {"PyBUF_ANY_CONTIGUOUS|PyBUF_INDIRECT", PyBUF_ANY_CONTIGUOUS | PyBUF_INDIRECT},
};

bool requested(int flags, int mask)
{
    return (flags & mask) == mask;
}

// The rules of https://docs.python.org/3/c-api/buffer.html, stated independently of the exporter:
// returns "" when the request must succeed, else a word the BufferError message must contain.
QString expectedRefusal(int flags, const StridedSourceSpec& spec, const LayoutFacts& facts)
{
    if (requested(flags, PyBUF_WRITABLE) && spec.readonly)
        return "PyBUF_WRITABLE";
    if (requested(flags, PyBUF_C_CONTIGUOUS) && !facts.cContiguous)
        return "PyBUF_C_CONTIGUOUS";
    if (requested(flags, PyBUF_F_CONTIGUOUS) && !facts.fContiguous)
        return "PyBUF_F_CONTIGUOUS";
    if (requested(flags, PyBUF_ANY_CONTIGUOUS) && !facts.cContiguous && !facts.fContiguous)
        return "PyBUF_ANY_CONTIGUOUS";
    if (!requested(flags, PyBUF_INDIRECT) && spec.indirect)
        return "PyBUF_INDIRECT";
    if (!requested(flags, PyBUF_STRIDES) && !facts.cContiguous)
        return "PyBUF_STRIDES";
    if (!requested(flags, PyBUF_ND) && requested(flags, PyBUF_FORMAT))
        return "PyBUF_FORMAT";
    return {};
}

} // namespace

void TestStridedBuffer::requestFlags_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<LayoutFacts>("facts");
    QTest::addColumn<int>("flags");

    const auto ro = [](StridedSourceSpec s) {
        s.readonly = true;
        return s;
    };
    const auto pil = [](StridedSourceSpec s) {
        s.indirect = true;
        return s;
    };
    const std::vector<std::tuple<const char*, StridedSourceSpec, LayoutFacts>> layouts = {
        {"C",
         spec("h", {2, 3}),
         {true, false, 0, "6,2", "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_WRITABLE)"}},
        {"C bytes",
         spec("B", {2, 3}),
         {true, false, 0, "3,1", "ndarray(list(range(6)), shape=[2,3], format='B', flags=ND_WRITABLE)"}},
        {"F",
         spec("h", {2, 3}, {{2, 4}}),
         {false, true, 0, "2,4",
          "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_WRITABLE|ND_FORTRAN)"}},
        {"rows padded",
         spec("h", {2, 3}, {{8, 2}}),
         {false, false, 0, "8,2",
          "ndarray(list(range(8)), shape=[2,3], strides=[8,2], format='h', flags=ND_WRITABLE)"}},
        {"negative",
         spec("h", {2, 3}, {{-6, -2}}),
         {false, false, 10, "-6,-2",
          "ndarray(list(range(6)), shape=[2,3], strides=[-6,-2], offset=10, format='h', flags=ND_WRITABLE)"}},
        {"zero stride",
         spec("h", {2, 3}, {{0, 2}}),
         {false, false, 0, "0,2",
          "ndarray(list(range(3)), shape=[2,3], strides=[0,2], format='h', flags=ND_WRITABLE)"}},
        {"0-d", spec("h", {}), {true, true, 0, "", "ndarray(7, shape=[], format='h', flags=ND_WRITABLE)"}},
        {"empty",
         spec("h", {0, 3}),
         {true, true, 0, "6,2", "ndarray([0], shape=[0,3], format='h', flags=ND_WRITABLE)"}},
        {"extent-1 odd stride",
         spec("h", {1, 3}, {{100, 2}}),
         {true, true, 0, "100,2",
          "ndarray(list(range(3)), shape=[1,3], strides=[100,2], format='h', flags=ND_WRITABLE)"}},
        {"read-only C",
         ro(spec("h", {2, 3})),
         {true, false, 0, "6,2", "ndarray(list(range(6)), shape=[2,3], format='h')"}},
        {"read-only F",
         ro(spec("h", {2, 3}, {{2, 4}})),
         {false, true, 0, "2,4", "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_FORTRAN)"}},
        {"PIL",
         pil(spec("h", {2, 3})),
         {false, false, 0, "8,2",
          "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_WRITABLE|ND_PIL)"}},
        {"PIL read-only",
         ro(pil(spec("h", {2, 3}))),
         {false, false, 0, "8,2", "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_PIL)"}},
    };
    for (const auto& [name, s, facts] : layouts) {
        for (const FlagCase& flag : flagCases)
            QTest::addRow("%s / %s", name, flag.name) << s << facts << flag.flags;
    }
}

void TestStridedBuffer::requestFlags()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(LayoutFacts, facts);
    QFETCH(int, flags);

    const Facts got = onPython([&]() -> Facts {
        Facts r;
        try {
            py::object obj = StridedBufferType::create(spec, {});
            const auto block = StridedBufferType::memoryOf(obj.ptr());
            const Py_ssize_t refs = Py_REFCNT(obj.ptr());
            Py_buffer view;
            std::memset(&view, 0xAB, sizeof view); // garbage in: the exporter must set every field
            if (PyObject_GetBuffer(obj.ptr(), &view, flags) < 0) {
                py::error_already_set error;
                r["outcome"] = "refused";
                r["error"] = describe(error);
                r["objNull"] = view.obj == nullptr ? "yes" : "no";
            } else {
                r["outcome"] = "accepted";
                r["bufOffset"] = std::to_string(reinterpret_cast<std::uintptr_t>(view.buf) - block->base);
                r["len"] = std::to_string(view.len);
                r["itemsize"] = std::to_string(view.itemsize);
                r["readonly"] = std::to_string(view.readonly);
                r["format"] = view.format ? view.format : "NULL";
                r["ndim"] = std::to_string(view.ndim);
                r["shape"] = joined(view.shape, view.ndim);
                r["strides"] = joined(view.strides, view.ndim);
                r["suboffsets"] = joined(view.suboffsets, view.ndim);
                r["objIsSelf"] = view.obj == obj.ptr() ? "yes" : "no";
                r["refAdded"] = std::to_string(Py_REFCNT(obj.ptr()) - refs);
                r["C"] = std::to_string(PyBuffer_IsContiguous(&view, 'C'));
                r["F"] = std::to_string(PyBuffer_IsContiguous(&view, 'F'));
                r["exportsDuring"] = py::str(obj.attr("exports")).cast<std::string>();
                PyBuffer_Release(&view);
                r["exportsAfter"] = py::str(obj.attr("exports")).cast<std::string>();
                r["refAfter"] = std::to_string(Py_REFCNT(obj.ptr()) - refs);
            }
            // CPython's reference exporter with the same layout, and _testbuffer as a consumer of ours.
            const std::string code = "from _testbuffer import *\n"
                                     "ref = " +
                                     facts.reference.toStdString() +
                                     "\n"
                                     "def attempt(exporter):\n"
                                     "    try:\n"
                                     "        ndarray(exporter, getbuf=" +
                                     std::to_string(flags) +
                                     ")\n"
                                     "        return 'accepted'\n"
                                     "    except BufferError:\n"
                                     "        return 'refused'\n"
                                     "out['reference'] = attempt(ref)\n"
                                     "out['consumer'] = attempt(obj)\n";
            for (const auto& [k, v] : runCode(obj, code))
                r[k] = v;
        } catch (const SourceError& e) {
            r["setup"] = e.what();
        } catch (py::error_already_set& e) {
            r["setup"] = describe(e);
        }
        return r;
    });
    QVERIFY2(!got.count("setup"), got.count("setup") ? got.at("setup").c_str() : "");

    const QString refusal = expectedRefusal(flags, spec, facts);
    const QString outcome = refusal.isEmpty() ? "accepted" : "refused";
    QCOMPARE(q(got.at("outcome")), outcome);
    QCOMPARE(q(got.at("reference")), outcome); // _testbuffer.ndarray decides the same
    QCOMPARE(q(got.at("consumer")), outcome);
    if (!refusal.isEmpty()) {
        QVERIFY2(q(got.at("error")).startsWith("BufferError: "), got.at("error").c_str());
        QVERIFY2(q(got.at("error")).contains(refusal), got.at("error").c_str());
        QCOMPARE(q(got.at("objNull")), QString("yes"));
        return;
    }
    qint64 elements = 1;
    for (Extent e : spec.shape)
        elements *= e;
    const int itemsize = spec.format == "B" ? 1 : 2;
    const bool nd = requested(flags, PyBUF_ND);
    QString shape;
    for (std::size_t i = 0; i < spec.shape.size(); ++i)
        shape += (i ? "," : "") + QString::number(spec.shape[i]);
    QCOMPARE(q(got.at("bufOffset")), QString::number(facts.offset));
    QCOMPARE(q(got.at("len")), QString::number(elements * itemsize));
    QCOMPARE(q(got.at("itemsize")), QString::number(itemsize)); // the real item size, even without a format
    QCOMPARE(q(got.at("readonly")), QString(spec.readonly ? "1" : "0"));
    QCOMPARE(q(got.at("format")), requested(flags, PyBUF_FORMAT) ? q(spec.format) : QString("NULL"));
    QCOMPARE(q(got.at("ndim")), QString::number(nd ? int(spec.shape.size()) : 1));
    // A 0-d buffer has no shape or strides arrays at all (the docs: they MUST be NULL).
    const bool scalar = spec.shape.empty();
    QCOMPARE(q(got.at("shape")), nd && !scalar ? shape : QString("NULL"));
    QCOMPARE(q(got.at("strides")),
             requested(flags, PyBUF_STRIDES) && !scalar ? facts.strides : QString("NULL"));
    QCOMPARE(q(got.at("suboffsets")), spec.indirect ? QString("0,-1") : QString("NULL"));
    QCOMPARE(q(got.at("objIsSelf")), QString("yes"));
    QCOMPARE(q(got.at("refAdded")), QString("1"));
    QCOMPARE(q(got.at("refAfter")), QString("0"));
    QCOMPARE(q(got.at("exportsDuring")), QString("1"));
    QCOMPARE(q(got.at("exportsAfter")), QString("0"));
    // What the consumer got is as contiguous as the layout says (never, with suboffsets).
    QCOMPARE(q(got.at("C")), QString(facts.cContiguous && !spec.indirect ? "1" : "0"));
    if (nd)
        QCOMPARE(q(got.at("F")), QString(facts.fContiguous && !spec.indirect ? "1" : "0"));
}

// ---- PIL-style indirection ---------------------------------------------------------------------------

void TestStridedBuffer::pilIndirect_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<QString>("tolist");
    QTest::addColumn<PilFacts>("pil");
    QTest::addColumn<QString>("reference"); // _testbuffer's PIL ndarray with the same tolist, "" if none

    const auto pil = [](StridedSourceSpec s) {
        s.indirect = true;
        return s;
    };
    const QString list23 = "[[0, 1, 2], [3, 4, 5]]";
    // table: 2 pointers = 16 bytes; rows of 3 shorts = 6 bytes each.
    QTest::newRow("2x3 h") << pil(spec("h", {2, 3})) << list23 << PilFacts{16, 6, 0}
                           << "ndarray(list(range(6)), shape=[2,3], format='h', flags=ND_PIL)";
    QTest::newRow("negative inner stride")
        << pil(spec("h", {2, 3}, {{8, -2}})) << list23 << PilFacts{16, 6, 4} << "";
    // The table runs backwards: buf at slot 0 = byte 8, slot 1 at byte 0.
    QTest::newRow("negative table stride")
        << pil(spec("h", {2, 3}, {{-8, 2}})) << list23 << PilFacts{16, 6, 0} << "";
    QTest::newRow("sparse table, padded row")
        << pil(spec("h", {2, 3}, {{16, 4}})) << list23 << PilFacts{24, 10, 0} << "";
    QTest::newRow("1-d i") << pil(spec("i", {3})) << "[0, 1, 2]" << PilFacts{24, 4, 0}
                           << "ndarray([0, 1, 2], shape=[3], format='i', flags=ND_PIL)";
    QTest::newRow("3-d B") << pil(spec("B", {2, 2, 2})) << "[[[0, 1], [2, 3]], [[4, 5], [6, 7]]]"
                           << PilFacts{16, 4, 0}
                           << "ndarray(list(range(8)), shape=[2,2,2], format='B', flags=ND_PIL)";
    QTest::newRow("F-ordered rows") << pil(spec("B", {2, 2, 3}, {{8, 1, 2}}))
                                    << "[[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]]"
                                    << PilFacts{16, 6, 0} << "";
    QTest::newRow("empty rows") << pil(spec("h", {2, 0})) << "[[], []]" << PilFacts{16, 0, 0} << "";
    QTest::newRow("read-only") << with(pil(spec("h", {2, 3})), [](auto& s) { s.readonly = true; }) << list23
                               << PilFacts{16, 6, 0} << "";
}

void TestStridedBuffer::pilIndirect()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(QString, tolist);
    QFETCH(PilFacts, pil);
    QFETCH(QString, reference);

    const Facts got = factsOnPython([&](Facts& r) {
        py::object obj = StridedBufferType::create(spec, {});
        const MemoryBlock block = *StridedBufferType::memoryOf(obj.ptr());
        Py_buffer view;
        if (PyObject_GetBuffer(obj.ptr(), &view, PyBUF_FULL_RO) < 0)
            throw py::error_already_set();
        r["C"] = std::to_string(PyBuffer_IsContiguous(&view, 'C'));
        r["F"] = std::to_string(PyBuffer_IsContiguous(&view, 'F'));
        r["A"] = std::to_string(PyBuffer_IsContiguous(&view, 'A'));
        r["suboffsets"] = joined(view.suboffsets, view.ndim);
        // Follow the pointers by hand: pointer i must be where the documented scheme puts it, and
        // element k reached through it must hold k.
        std::string pointers, values;
        const Py_ssize_t rows = view.shape[0];
        Py_ssize_t inner = 1;
        for (int d = 1; d < view.ndim; ++d)
            inner *= view.shape[d];
        for (Py_ssize_t i = 0; i < rows; ++i) {
            const char* slot = static_cast<const char*>(view.buf) + i * view.strides[0];
            const char* row = nullptr;
            std::memcpy(&row, slot, sizeof row);
            const auto expected = block.base + Address(pil.rowsStart + i * pil.rowSpan + pil.lead);
            pointers += reinterpret_cast<std::uintptr_t>(row) == expected ? "ok " : "WRONG ";
            for (Py_ssize_t e = 0; e < inner; ++e) {
                const char* p = row + view.suboffsets[0];
                Py_ssize_t rest = e;
                for (int d = view.ndim - 1; d >= 1; --d) {
                    p += (rest % view.shape[d]) * view.strides[d];
                    rest /= view.shape[d];
                }
                long long value = 0;
                if (view.itemsize == 1)
                    value = *reinterpret_cast<const unsigned char*>(p);
                if (view.itemsize == 2)
                    value = *reinterpret_cast<const short*>(p);
                if (view.itemsize == 4)
                    value = *reinterpret_cast<const int*>(p);
                values += std::to_string(value) + (value == i * inner + e ? " " : "! ");
                const auto address = reinterpret_cast<std::uintptr_t>(p);
                if (address < block.base || address + view.itemsize > block.base + block.size)
                    values += "OUTSIDE ";
            }
        }
        PyBuffer_Release(&view);
        r["pointers"] = pointers;
        r["values"] = values;
        std::string code = "m = memoryview(obj)\n"
                           "out['tolist'] = repr(m.tolist())\n"
                           "out['readonly'] = repr(m.readonly)\n"
                           "m.release()\n";
        if (!reference.isEmpty())
            code += "from _testbuffer import *\nout['reference'] = repr((" + reference.toStdString() +
                    ").tolist())\n";
        for (const auto& [k, v] : runCode(obj, code))
            r[k] = v;
        r["exports"] = py::str(obj.attr("exports")).cast<std::string>();
    });
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("tolist")), tolist);
    QCOMPARE(q(got.at("readonly")), QString(spec.readonly ? "True" : "False"));
    QCOMPARE(q(got.at("C")), QString("0"));
    QCOMPARE(q(got.at("F")), QString("0"));
    QCOMPARE(q(got.at("A")), QString("0"));
    QCOMPARE(q(got.at("suboffsets")).section(',', 0, 0), QString("0"));
    QVERIFY2(!q(got.at("pointers")).contains("WRONG"), got.at("pointers").c_str());
    QVERIFY2(!q(got.at("values")).contains("!") && !q(got.at("values")).contains("OUTSIDE"),
             got.at("values").c_str());
    if (!reference.isEmpty())
        QCOMPARE(q(got.at("reference")), tolist);
    QCOMPARE(q(got.at("exports")), QString("0"));
}

// ---- memoryviews over C memory ----------------------------------------------------------------------

void TestStridedBuffer::memoryViewSources_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<MemoryViewFunction>("function");

    const auto ro = [](StridedSourceSpec s) {
        s.readonly = true;
        return s;
    };
    const auto pil = [](StridedSourceSpec s) {
        s.indirect = true;
        return s;
    };
    QTest::newRow("FromMemory C") << spec("h", {2, 3}) << MemoryViewFunction::FromMemory;
    QTest::newRow("FromMemory padded, bytes")
        << with(spec("h", {2, 3}, {{8, 2}}), [](auto& s) { s.fill = StridedSourceSpec::Fill::Bytes; })
        << MemoryViewFunction::FromMemory;
    QTest::newRow("FromMemory read-only") << ro(spec("B", {5})) << MemoryViewFunction::FromMemory;
    QTest::newRow("FromMemory empty") << spec("B", {0}) << MemoryViewFunction::FromMemory;
    QTest::newRow("FromBuffer C") << spec("h", {2, 3}) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer transposed") << spec("h", {3, 2}, {{2, 6}}) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer negative") << spec("h", {2, 3}, {{-6, -2}}) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer zero stride") << spec("h", {2, 3}, {{0, 2}}) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer read-only") << ro(spec("h", {2, 3})) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer 0-d") << spec("d", {}) << MemoryViewFunction::FromBuffer;
    QTest::newRow("FromBuffer indirect") << pil(spec("h", {2, 3})) << MemoryViewFunction::FromBuffer;
}

void TestStridedBuffer::memoryViewSources()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(MemoryViewFunction, function);

    const Facts got = factsOnPython([&](Facts& r) {
        BuiltSource built = MemoryViewSource(spec, function, {}).build();
        r["isMemoryview"] = PyMemoryView_Check(built.object.ptr()) ? "yes" : "no";
        r["baseNull"] = PyMemoryView_Check(built.object.ptr()) && !PyMemoryView_GET_BASE(built.object.ptr())
                            ? "yes"
                            : "no";
        r["keepAliveIsStridedBuffer"] = StridedBufferType::check(built.keepAlive.ptr()) ? "yes" : "no";
        const auto owner = StridedBufferType::memoryOf(built.keepAlive.ptr());
        r["sameBlock"] = built.memory && owner && built.memory->base == owner->base &&
                                 built.memory->size == owner->size &&
                                 built.memory->owner == "StridedBuffer memory"
                             ? "yes"
                             : "no";
        py::dict ns;
        ns["__builtins__"] = py::module_::import("builtins");
        ns["view"] = built.object;
        ns["owner"] = built.keepAlive;
        ns["from_memory"] = function == MemoryViewFunction::FromMemory;
        ns["out"] = py::dict();
        py::exec(R"(
def facts(m):
    return (m.format, m.itemsize, m.ndim, m.shape, m.strides, m.suboffsets, m.readonly, m.nbytes, m.tolist())
out['view'] = facts(view)
if from_memory:
    out['expected'] = ('B', 1, 1, (owner.memory_size,), (1,), (), owner.readonly, owner.memory_size,
                       list(owner.memory_bytes()))
else:
    with memoryview(owner) as m:
        out['expected'] = facts(m)
)",
                 ns);
        for (auto item : ns["out"].cast<py::dict>())
            r[py::str(item.first).cast<std::string>()] = py::repr(item.second).cast<std::string>();
    });
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("isMemoryview")), QString("yes"));
    QCOMPARE(q(got.at("baseNull")), QString("yes"));
    QCOMPARE(q(got.at("keepAliveIsStridedBuffer")), QString("yes"));
    QCOMPARE(q(got.at("sameBlock")), QString("yes"));
    QCOMPARE(q(got.at("view")), q(got.at("expected")));
    if (function == MemoryViewFunction::FromMemory) // the whole block as bytes
        QVERIFY2(q(got.at("view")).startsWith("('B', 1, 1, "), got.at("view").c_str());
    else
        QVERIFY2(q(got.at("view")).startsWith("('" + q(spec.format) + "'"), got.at("view").c_str());
}

void TestStridedBuffer::stridedSource()
{
    const Facts got = factsOnPython([&](Facts& r) {
        BuiltSource built = StridedSource(spec("h", {2, 3}, {{-6, -2}}), {}).build();
        r["isStridedBuffer"] = StridedBufferType::check(built.object.ptr()) ? "yes" : "no";
        r["keepAlive"] = built.keepAlive ? "set" : "none";
        r["owner"] = built.memory ? built.memory->owner : "none";
        r["size"] = built.memory ? std::to_string(built.memory->size) : "none";
        r["base"] =
            built.memory && built.memory->base == py::int_(built.object.attr("address")).cast<Address>()
                ? "same"
                : "other";
        r["checkOther"] = StridedBufferType::check(py::bytes("ab").ptr()) ? "yes" : "no";
        r["memoryOfOther"] = StridedBufferType::memoryOf(Py_None) ? "some" : "none";
        r["checkNull"] = StridedBufferType::check(nullptr) ? "yes" : "no";
    });
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("isStridedBuffer")), QString("yes"));
    QCOMPARE(q(got.at("keepAlive")), QString("none"));
    QCOMPARE(q(got.at("owner")), QString("StridedBuffer memory"));
    QCOMPARE(q(got.at("size")), QString("12"));
    QCOMPARE(q(got.at("base")), QString("same"));
    QCOMPARE(q(got.at("checkOther")), QString("no"));
    QCOMPARE(q(got.at("memoryOfOther")), QString("none"));
    QCOMPARE(q(got.at("checkNull")), QString("no"));
}

// ---- offset: not given, or given ---------------------------------------------------------------

void TestStridedBuffer::offsetGivenOrNot_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<QString>("call"); // the same buffer built by Python code
    QTest::addColumn<int>("offset");   // where buf sits; -1 when the layout is refused
    QTest::addColumn<QString>("tolist");
    QTest::addColumn<QStringList>("refusal"); // words the refusal must contain

    const auto at = [](StridedSourceSpec s, ByteOffset offset) {
        s.offset = offset;
        return s;
    };
    const auto pil = [](StridedSourceSpec s) {
        s.indirect = true;
        return s;
    };
    const StridedSourceSpec reversed = spec("B", {4}, {{-1}});
    const QString reversedCall = "StridedBuffer(shape=4, strides=[-1]";
    // Not given: buf moves up just far enough that the lowest element is byte 0.
    const QStringList none;
    QTest::newRow("negative stride, not given")
        << reversed << reversedCall + ")" << 3 << "[0, 1, 2, 3]" << none;
    QTest::newRow("negative stride, None")
        << reversed << reversedCall + ", offset=None)" << 3 << "[0, 1, 2, 3]" << none;
    QTest::newRow("negative stride, 3")
        << at(reversed, 3) << reversedCall + ", offset=3)" << 3 << "[0, 1, 2, 3]" << none;
    // Given as 0: used as is, so element 1 would be byte -1, refused like any layout outside its memory.
    QTest::newRow("negative stride, 0")
        << at(reversed, 0) << reversedCall + ", offset=0)" << -1 << QString()
        << QStringList{"the layout reaches outside its memory", "axis 0", "before the start"};
    QTest::newRow("positive stride, 0")
        << at(spec("B", {4}), 0) << "StridedBuffer(shape=4, offset=0)" << 0 << "[0, 1, 2, 3]" << none;
    // The pointer table the same way: slot 1 sits 8 bytes below slot 0 (refusals of a pointer name
    // the element that goes through it).
    const StridedSourceSpec table = pil(spec("h", {2, 3}, {{-8, 2}}));
    const QString tableCall = "StridedBuffer(format='h', shape=(2, 3), strides=(-8, 2), indirect=True";
    QTest::newRow("negative table stride, not given")
        << table << tableCall + ")" << 8 << "[[0, 1, 2], [3, 4, 5]]" << none;
    QTest::newRow("negative table stride, 8")
        << at(table, 8) << tableCall + ", offset=8)" << 8 << "[[0, 1, 2], [3, 4, 5]]" << none;
    QTest::newRow("negative table stride, 0")
        << at(table, 0) << tableCall + ", offset=0)" << -1 << QString()
        << QStringList{"the layout reaches outside its memory", "element (1, 0)", "pointer"};
}

void TestStridedBuffer::offsetGivenOrNot()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(QString, call);
    QFETCH(int, offset);
    QFETCH(QString, tolist);
    QFETCH(QStringList, refusal);

    const std::string look = "def look(b):\n"
                             "    m = memoryview(b)\n"
                             "    out['offset'] = repr(b.offset)\n"
                             "    out['tolist'] = repr(m.tolist())\n"
                             "    m.release()\n";
    const Facts cpp = runWith(spec, look + "look(obj)\n");
    const Facts python =
        runPython("from _stridescope import StridedBuffer\n" + look + "try:\n    b = " + call.toStdString() +
                  "\nexcept ValueError as e:\n"
                  "    out['error'] = 'ValueError: ' + str(e)\n"
                  "else:\n"
                  "    look(b)\n");
    if (offset < 0) {
        QVERIFY2(cpp.count("error"),
                 qPrintable("built with offset " + q(cpp.count("offset") ? cpp.at("offset") : "?")));
        const QString message = q(cpp.at("error"));
        for (const QString& word : refusal)
            QVERIFY2(message.contains(word), qPrintable("'" + word + "' missing from: " + message));
        QVERIFY2(python.count("error"), qPrintable("Python built it with offset " +
                                                   q(python.count("offset") ? python.at("offset") : "?")));
        QCOMPARE(q(python.at("error")), QString(message).replace("SourceError: ", "ValueError: "));
        return;
    }
    for (const Facts& got : {cpp, python}) {
        QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
        QCOMPARE(q(got.at("offset")), QString::number(offset));
        QCOMPARE(q(got.at("tolist")), tolist);
    }
}

// ---- bad input ----------------------------------------------------------------------------------------

void TestStridedBuffer::badInput_data()
{
    QTest::addColumn<StridedSourceSpec>("spec");
    QTest::addColumn<SourceLimits>("limits");
    QTest::addColumn<QStringList>("words"); // the message must name the problem

    const SourceLimits defaults;
    const auto pil = [](StridedSourceSpec s) {
        s.indirect = true;
        return s;
    };
    QTest::newRow("unknown format") << spec("hz", {2}) << defaults << QStringList{"'hz'", "'z'"};
    QTest::newRow("empty format") << spec("", {2}) << defaults << QStringList{"empty format"};
    QTest::newRow("object format") << spec("O", {2}) << defaults << QStringList{"'O'"};
    QTest::newRow("item size 0") << spec("0s", {2}) << defaults << QStringList{"'0s'", "item size 0"};
    QTest::newRow("negative extent") << spec("h", {2, -3}) << defaults
                                     << QStringList{"axis 1", "negative", "-3"};
    QTest::newRow("ndim 65") << spec("B", std::vector<Extent>(65, 1)) << defaults
                             << QStringList{"ndim 65 exceeds 64 (PyBUF_MAX_NDIM)"};
    QTest::newRow("element count overflows")
        << spec("B", {Extent(1) << 32, Extent(1) << 32}) << defaults << QStringList{"2^63 elements"};
    QTest::newRow("byte length overflows") << spec("q", {Extent(1) << 31, Extent(1) << 31}) << defaults
                                           << QStringList{"2^63 bytes", "item size (8)"};
    QTest::newRow("stride reach overflows")
        << spec("B", {3}, {{ByteOffset(1) << 62}}) << defaults << QStringList{"axis 0", "overflows"};
    QTest::newRow("wrong stride count")
        << spec("h", {2, 3}, {{2}}) << defaults << QStringList{"1 stride given for ndim 2"};
    QTest::newRow("strides past the end")
        << with(spec("h", {4}, {{2}}), [](auto& s) { s.memory = 6; }) << defaults
        << QStringList{"axis 0", "past the end", "6-byte memory"};
    QTest::newRow("strides past the end, axis 1")
        << with(spec("h", {2, 3}, {{6, 4}}), [](auto& s) { s.memory = 12; }) << defaults
        << QStringList{"axis 1", "past the end"};
    QTest::newRow("negative strides before the start")
        << with(spec("h", {3}, {{-2}}), [](auto& s) { s.offset = 2; }) << defaults
        << QStringList{"axis 0", "before the start"};
    QTest::newRow("offset outside memory") << with(spec("B", {0}), [](auto& s) {
        s.offset = 10;
        s.memory = 4;
    }) << defaults << QStringList{"offset 10", "outside"};
    QTest::newRow("negative memory") << with(spec("B", {0}), [](auto& s) { s.memory = -1; }) << defaults
                                     << QStringList{"-1", "negative"};
    QTest::newRow("over the allocation limit") << spec("B", {2000}) << SourceLimits{1000, 1 << 20}
                                               << QStringList{"2000 bytes", "1000 bytes", "--max-memory"};
    QTest::newRow("over the default limit")
        << spec("B", {Extent(1) << 31}) << defaults
        << QStringList{"2147483648 bytes", "1073741824 bytes", "--max-memory"};
    QTest::newRow("indirect 0-d") << pil(spec("B", {})) << defaults
                                  << QStringList{"indirect needs at least one axis"};
    QTest::newRow("indirect memory too small") << with(pil(spec("h", {2, 3})), [](auto& s) { s.memory = 20; })
                                               << defaults << QStringList{"outside", "20-byte memory"};
    QTest::newRow("indirect table slots overlap")
        << pil(spec("h", {2, 3}, {{4, 2}})) << defaults << QStringList{"pointer", "outside"};
    QTest::newRow("index fill of a heavily overlapping layout")
        << spec("B", {Extent(1) << 13, Extent(1) << 13}, {{1, 1}}) << defaults
        << QStringList{"fill 'index'", "fill='bytes'"};
    // Issue 8: the item size wrapped to 1 and the fill wrote 1000 bytes into a 1-byte block
    // (malloc(): invalid size); the second one crashed with SIGSEGV.
    QTest::newRow("format whose item size wraps to 1")
        << spec("1000s9223372036854775807x9223372036854774810x", {1}) << defaults
        << QStringList{"'1000s9223372036854775807x9223372036854774810x'",
                       "item size exceeds 2147483647 bytes"};
    QTest::newRow("format whose string counts wrap")
        << spec("9223372036854775807s9223372036854775807s3x", {1}) << defaults
        << QStringList{"item size exceeds 2147483647 bytes"};
    // Issue 8: 10^12 empty records hung the parser; now they are size 0 at once.
    QTest::newRow("10^12 empty records")
        << spec("1000000000000T{}", {1}) << defaults << QStringList{"'1000000000000T{}'", "item size 0"};
    std::string nested;
    for (int i = 0; i < 40000; ++i)
        nested += "T{";
    nested += "B" + std::string(40000, '}');
    QTest::newRow("records nested 40000 deep")
        << spec(nested, {1}) << defaults << QStringList{"at most 8192 are read"};
    const std::string deep = [] {
        std::string text;
        for (int i = 0; i < 2000; ++i)
            text += "T{";
        return text + "B" + std::string(2000, '}');
    }();
    QTest::newRow("records nested 2000 deep")
        << spec(deep, {1}) << defaults << QStringList{"records nest deeper than 64 levels"};
    // The fill's work is bounded by what it writes, not by the elements it visits: 2^20 items of
    // 64 KiB one byte apart would write 137 GB; 1000 fields in each of 2^24 elements, 1.7e10 fields.
    QTest::newRow("index fill of big items a byte apart")
        << spec("65536s", {Extent(1) << 20}, {{1}}) << defaults
        << QStringList{"fill 'index'", "65536 bytes", "fill='bytes'"};
    QTest::newRow("index fill of many fields a byte apart")
        << spec("1000B", {Extent(1) << 24}, {{1}}) << defaults
        << QStringList{"fill 'index'", "1000 fields", "fill='bytes'"};
}

void TestStridedBuffer::badInput()
{
    QFETCH(StridedSourceSpec, spec);
    QFETCH(SourceLimits, limits);
    QFETCH(QStringList, words);

    const Facts got = onPython([&]() -> Facts {
        Facts r;
        try {
            StridedBufferType::create(spec, limits);
            r["cpp"] = "built";
        } catch (const SourceError& e) {
            r["cpp"] = e.what();
        } catch (py::error_already_set& e) {
            r["cpp"] = "Python error " + describe(e);
        }
        // Python code building the same buffer gets the same message, as a ValueError.
        const SourceLimits saved = StridedBufferType::pythonLimits();
        StridedBufferType::setPythonLimits(limits);
        try {
            py::module_::import("_stridescope").attr("StridedBuffer")(**kwargsFor(spec));
            r["python"] = "built";
        } catch (py::error_already_set& e) {
            r["python"] = describe(e);
        }
        StridedBufferType::setPythonLimits(saved);
        return r;
    });
    const QString cpp = q(got.at("cpp"));
    for (const QString& word : words)
        QVERIFY2(cpp.contains(word), qPrintable("'" + word + "' missing from: " + cpp));
    QCOMPARE(q(got.at("python")), "ValueError: " + cpp);
}

void TestStridedBuffer::garbageArguments_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("error");

    QTest::newRow("format not a str") << "StridedBuffer(format=3)"
                                      << "TypeError";
    QTest::newRow("format with NUL") << "StridedBuffer(format='B\\0')"
                                     << "ValueError";
    QTest::newRow("shape a str") << "StridedBuffer(shape='ab')"
                                 << "TypeError";
    QTest::newRow("shape None") << "StridedBuffer(shape=None)"
                                << "TypeError";
    QTest::newRow("shape an object") << "StridedBuffer(shape=object())"
                                     << "TypeError";
    QTest::newRow("shape of floats") << "StridedBuffer(shape=[1.5])"
                                     << "TypeError";
    QTest::newRow("shape negative") << "StridedBuffer(shape=[-1])"
                                    << "ValueError";
    QTest::newRow("shape too big for 64 bits") << "StridedBuffer(shape=[2**70])"
                                               << "ValueError";
    QTest::newRow("shape product overflows") << "StridedBuffer(shape=[2**62, 2**62])"
                                             << "ValueError";
    QTest::newRow("shape with 100 axes") << "StridedBuffer(shape=range(100))"
                                         << "ValueError";
    QTest::newRow("shape a generator") << "StridedBuffer(shape=(i for i in range(3)))"
                                       << "TypeError";
    QTest::newRow("strides of str") << "StridedBuffer(shape=[2], strides=['x'])"
                                    << "TypeError";
    QTest::newRow("a million strides") << "StridedBuffer(shape=[2], strides=list(range(10**6)))"
                                       << "ValueError";
    QTest::newRow("too few strides") << "StridedBuffer(shape=[2, 3], strides=[1])"
                                     << "ValueError";
    QTest::newRow("offset a str") << "StridedBuffer(shape=[2], offset='a')"
                                  << "TypeError";
    QTest::newRow("offset negative") << "StridedBuffer(shape=[2], offset=-1)"
                                     << "ValueError";
    QTest::newRow("memory negative") << "StridedBuffer(memory=-1)"
                                     << "ValueError";
    QTest::newRow("memory huge") << "StridedBuffer(memory=2**62)"
                                 << "ValueError";
    QTest::newRow("memory a float") << "StridedBuffer(memory=1.0)"
                                    << "TypeError";
    QTest::newRow("fill None") << "StridedBuffer(fill=None)"
                               << "TypeError";
    QTest::newRow("fill unknown") << "StridedBuffer(fill='noise')"
                                  << "ValueError";
    QTest::newRow("too many positionals")
        << "StridedBuffer('B', (1,), None, 0, None, False, False, 'index', 9)"
        << "TypeError";
    QTest::newRow("unknown keyword") << "StridedBuffer(bogus=1)"
                                     << "TypeError";
    QTest::newRow("indirect 0-d") << "StridedBuffer(indirect=True)"
                                  << "ValueError";
}

void TestStridedBuffer::garbageArguments()
{
    QFETCH(QString, call);
    QFETCH(QString, error);

    const Facts got = runPython("from _stridescope import StridedBuffer\n"
                                "try:\n"
                                "    " +
                                call.toStdString() +
                                "\n"
                                "    out['raised'] = 'nothing'\n"
                                "except Exception as e:\n"
                                "    out['raised'] = type(e).__name__\n"
                                "    out['message'] = str(e)\n");
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QVERIFY2(q(got.at("raised")) == error,
             qPrintable(q(got.at("raised")) + ": " + q(got.count("message") ? got.at("message") : "")));
    QVERIFY(!q(got.at("message")).isEmpty());
}

// A fill is a name only where it is given: StridedBuffer(fill=...) refuses an unknown one in one
// line that names it and the three it can be, as a scenario file's reader does.
void TestStridedBuffer::unknownFillIsNamed()
{
    const Facts got = runPython("from _stridescope import StridedBuffer\n"
                                "try:\n"
                                "    StridedBuffer('B', (2,), fill='random')\n"
                                "except ValueError as e:\n"
                                "    out['message'] = str(e)\n"
                                "out['bytes'] = StridedBuffer('B', (2,), fill='bytes').fill\n");
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("message")), QStringLiteral("unknown fill 'random': use 'index', 'bytes' or 'zero'"));
    QCOMPARE(q(got.at("bytes")), QStringLiteral("bytes"));
}

// Issue 8: an indirect buffer's pointer table was written slot by slot for every index of axis 0,
// even past the block: with shape (2^40, 0) that is 2^40 iterations for a buffer with no elements.
void TestStridedBuffer::hugeAxisBesideAnEmptyOne()
{
    QElapsedTimer timer;
    timer.start();
    const Facts got = runPython(R"(
from _stridescope import StridedBuffer
b = StridedBuffer(shape=(2**40, 0), indirect=True, memory=64)
m = memoryview(b)
out['built'] = repr((m.shape, m.nbytes, b.memory_size, b.suboffsets))
)");
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("built")), QString("((1099511627776, 0), 0, 64, (0, -1))"));
    QVERIFY2(timer.elapsed() < 5000, "building it took more than 5 s");
}

void TestStridedBuffer::pythonConstructor()
{
    const Facts got = runPython(R"(
from _stridescope import StridedBuffer
b = StridedBuffer()
m = memoryview(b)
out['default'] = repr((m.format, m.ndim, m.shape, m.tolist(), m.readonly, b.memory_size))
m.release()
# offset 0 with negative strides: buf moves up so the lowest byte is byte 0
n = StridedBuffer(format='h', shape=(2, 3), strides=(-6, -2))
out['negative'] = repr((n.offset, n.memory_size, n.nbytes, n.itemsize, n.shape, n.strides, n.suboffsets))
p = StridedBuffer(format='h', shape=[2, 3], indirect=True, readonly=True, fill='zero')
out['pil'] = repr((p.offset, p.memory_size, p.suboffsets, p.strides, p.readonly, p.indirect, p.fill))
out['repr'] = repr(StridedBuffer(format='<i', shape=5, strides=[-4], readonly=True))
out['type'] = repr((type(b).__module__, type(b).__name__))
try:
    class Sub(StridedBuffer):
        pass
    out['subclass'] = 'allowed'
except TypeError:
    out['subclass'] = 'refused'
w = StridedBuffer(shape=(3,))
with memoryview(w) as mw:
    mw[1] = 42
out['written'] = repr(list(w.memory_bytes()))
)");
    QVERIFY2(!got.count("error"), got.count("error") ? got.at("error").c_str() : "");
    QCOMPARE(q(got.at("default")), QString("('B', 0, (), 0, False, 1)"));
    QCOMPARE(q(got.at("negative")), QString("(10, 12, 12, 2, (2, 3), (-6, -2), None)"));
    QCOMPARE(q(got.at("pil")), QString("(0, 28, (0, -1), (8, 2), True, True, 'zero')"));
    QCOMPARE(
        q(got.at("repr")),
        QString("StridedBuffer(format='<i', shape=(5,), strides=(-4,), offset=16, memory=20, readonly=True, "
                "fill='index')"));
    QCOMPARE(q(got.at("type")), QString("('_stridescope', 'StridedBuffer')"));
    QCOMPARE(q(got.at("subclass")), QString("refused"));
    QCOMPARE(q(got.at("written")), QString("[0, 42, 2]"));
}

void TestStridedBuffer::fromScenario()
{
    Scenario strided;
    strided.kind = Scenario::SourceKind::Strided;
    strided.strided = spec("h", {2, 3});
    auto a = BufferSource::fromScenario(strided, {});
    auto* s = dynamic_cast<StridedSource*>(a.get());
    QVERIFY(s);
    QCOMPARE(q(s->spec().format), QString("h"));

    Scenario memory;
    memory.kind = Scenario::SourceKind::Memory;
    memory.strided = spec("B", {4});
    memory.memoryFunction = MemoryViewFunction::FromMemory;
    auto b = BufferSource::fromScenario(memory, {});
    auto* m = dynamic_cast<MemoryViewSource*>(b.get());
    QVERIFY(m);
    QVERIFY(m->function() == MemoryViewFunction::FromMemory);

    Scenario python;
    python.kind = Scenario::SourceKind::Python;
    python.code = "obj = b'abc'";
    auto c = BufferSource::fromScenario(python, {});
    QVERIFY(dynamic_cast<PythonCodeSource*>(c.get()));
}

QTEST_GUILESS_MAIN(TestStridedBuffer)
#include "tst_stridedbuffer.moc"
