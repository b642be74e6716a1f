// The probe and the buffer sources against the real interpreter: every source honours the same
// contract, and the probe reports what CPython did (memory, GET_BASE, errors, snapshots).
#include "pyhost/bufferprobe.h"
#include "pyhost/inspector.h"
#include "pyhost/memorydiscovery.h"
#include "pyhost/pythonhost.h"
#include "tests/support/separaterowscode.h"

#include <pybind11/eval.h>

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <thread>

using namespace stridescope;
namespace py = pybind11;

namespace {

Scenario python(const std::string& code, char order = 'C', bool write = false)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = code;
    s.request.order = order;
    s.request.bufferType = write ? ConversionRequest::BufferType::Write : ConversionRequest::BufferType::Read;
    return s;
}

Scenario strided(std::vector<Extent> shape, std::optional<std::vector<ByteOffset>> strides = std::nullopt,
                 const std::string& format = "B")
{
    Scenario s;
    s.strided.format = format;
    s.strided.shape = std::move(shape);
    s.strided.strides = std::move(strides);
    return s;
}

InspectionReport inspect(const Scenario& s, Inspector::Options options = {})
{
    return PythonHost::instance().call([s, options] { return Inspector::run(s, options); });
}

// What a built source's export looks like, read on the Python thread.
struct ContractFacts
{
    bool supportsBuffer = false;
    bool lenMatchesShape = false;
    bool memoryHoldsEveryElement = true;
    bool memoryKnown = false;
    ByteCount memorySize = -1;
    bool exportSurvivesTheSource = false;
};

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(PythonHost::instance().startupError().empty()); }

    // One contract, every kind of source.
    void everySourceHonoursTheContract_data()
    {
        // memorySize: the bytes of the block that holds the elements, as the source or discovery
        // reports it; a wrong block, or none, fails the row.
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<ByteCount>("memorySize");
        QTest::newRow("strided C") << strided({3, 4}, std::nullopt, "h") << ByteCount(24);
        QTest::newRow("strided negative") << strided({5}, std::vector<ByteOffset>{-4}, "i") << ByteCount(20);
        // Three row pointers, then the 12 bytes of the rows.
        QTest::newRow("strided indirect") << [] {
            auto s = strided({3, 4});
            s.strided.indirect = true;
            return s;
        }() << ByteCount(3 * 8 + 12);
        // The slice's memory is the whole arange it views.
        QTest::newRow("python numpy")
            << python("np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]") << ByteCount(24);
        QTest::newRow("python bytes") << python("b'abcdef'") << ByteCount(6);
        Scenario fromMemory = strided({}, std::nullopt);
        fromMemory.kind = Scenario::SourceKind::Memory;
        fromMemory.memoryFunction = MemoryViewFunction::FromMemory;
        fromMemory.strided.memory = 16;
        QTest::newRow("FromMemory") << fromMemory << ByteCount(16);
        Scenario fromBuffer = strided({4, 3}, std::vector<ByteOffset>{1, 4});
        fromBuffer.kind = Scenario::SourceKind::Memory;
        fromBuffer.memoryFunction = MemoryViewFunction::FromBuffer;
        QTest::newRow("FromBuffer") << fromBuffer << ByteCount(12);
    }
    void everySourceHonoursTheContract()
    {
        QFETCH(Scenario, scenario);
        ContractFacts facts = PythonHost::instance().call([scenario] {
            ContractFacts f;
            py::object keep;
            {
                auto source = BufferSource::fromScenario(scenario, {});
                BuiltSource built = source->build();
                f.supportsBuffer = PyObject_CheckBuffer(built.object.ptr());
                Py_buffer view;
                if (PyObject_GetBuffer(built.object.ptr(), &view, PyBUF_FULL_RO) == 0) {
                    Py_ssize_t n = 1;
                    for (int d = 0; d < view.ndim; ++d)
                        n *= view.shape ? view.shape[d] : view.len / view.itemsize;
                    f.lenMatchesShape = view.len == n * view.itemsize;
                    // Every element's address, following suboffsets (PIL-style rows) where there are
                    // any, lies inside the memory the source says it built; a source that does not
                    // say (Python code) must have memory that discovery attributes to a real owner.
                    std::vector<Address> addresses;
                    for (Py_ssize_t i = 0; i < n; ++i) {
                        Py_ssize_t rest = i;
                        std::vector<Py_ssize_t> index(size_t(std::max(view.ndim, 0)));
                        for (int d = view.ndim - 1; d >= 0; --d) {
                            index[size_t(d)] = rest % view.shape[d];
                            rest /= view.shape[d];
                        }
                        const char* p = static_cast<const char*>(view.buf);
                        for (int d = 0; d < view.ndim; ++d) {
                            p += index[size_t(d)] * (view.strides ? view.strides[d] : view.itemsize);
                            if (view.suboffsets && view.suboffsets[d] >= 0)
                                p = *reinterpret_cast<char* const*>(p) + view.suboffsets[d];
                        }
                        addresses.push_back(reinterpret_cast<Address>(p));
                    }
                    std::optional<MemoryBlock> memory = built.memory;
                    if (!memory && !addresses.empty() && !view.suboffsets) {
                        const auto [lo, hi] = std::minmax_element(addresses.begin(), addresses.end());
                        memory = MemoryDiscovery::find(built.object.ptr(), view,
                                                       std::make_pair(*lo, *hi + Address(view.itemsize)));
                    }
                    f.memoryKnown = memory.has_value();
                    if (memory)
                        f.memorySize = memory->size;
                    for (Address a : addresses)
                        if (!memory || a < memory->base || a + view.itemsize > memory->base + memory->size)
                            f.memoryHoldsEveryElement = false;
                    PyBuffer_Release(&view);
                } else {
                    PyErr_Clear();
                }
                keep = built.object;
                if (built.keepAlive)
                    keep = py::make_tuple(built.object, built.keepAlive);
            }
            // The source object is gone; what it built must still export and read correctly.
            py::object target = py::isinstance<py::tuple>(keep) ? keep.cast<py::tuple>()[0] : keep;
            try {
                f.exportSurvivesTheSource =
                    !py::memoryview(target).attr("tobytes")().cast<std::string>().empty() ||
                    py::len(py::memoryview(target)) == 0;
            } catch (const py::error_already_set&) {
                f.exportSurvivesTheSource = false;
            }
            return f;
        });
        QVERIFY(facts.supportsBuffer);
        QVERIFY(facts.lenMatchesShape);
        QVERIFY(facts.memoryKnown);
        QVERIFY(facts.memoryHoldsEveryElement);
        QFETCH(ByteCount, memorySize);
        QCOMPARE(facts.memorySize, memorySize);
        QVERIFY(facts.exportSurvivesTheSource);
    }

    void numpyMemoryIsTheBaseArray()
    {
        InspectionReport r = inspect(python("a = np.arange(24, dtype=np.uint8)\na[2:10:2]"));
        QVERIFY(r.memory);
        QCOMPARE(r.memory->size, 24);
        QCOMPARE(r.sourceLayout.bufOffset(), 2);
        QVERIFY2(r.memory->owner.find("numpy.ndarray") != std::string::npos, r.memory->owner.c_str());
        QCOMPARE(r.sourceBytes.bytes.size(), std::size_t(24));
        QCOMPARE(int(r.sourceBytes.bytes[5]), 5);
        QVERIFY(r.agrees);
    }

    void memoryviewSliceSeesTheWholeBytesObject()
    {
        InspectionReport r = inspect(python("memoryview(b'abcdefgh')[2:6:2]"));
        QCOMPARE(r.memory->size, 8);
        QCOMPARE(r.sourceLayout.bufOffset(), 2);
        QVERIFY(r.sourceIsMemoryview);
        QCOMPARE(r.result.outcome, ConversionPrediction::Outcome::Copy);
        QCOMPARE(r.result.baseKind, ConversionPrediction::BaseKind::NewBytes);
        QCOMPARE(r.resultBytes.bytes, (std::vector<std::uint8_t>{'c', 'e'}));
    }

    // memoryview.c_contiguous (init_flags) and PyBuffer_IsContiguous disagree for a 1-D view of
    // extent 0 whose stride is not the itemsize. The report gives both, as CPython does, and why.
    void memoryviewFlagsAreWhatPythonSees_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<bool>("sourceIsMemoryview");
        QTest::addColumn<bool>("flagC"); // memoryview.c_contiguous of the result (and of a memoryview source)
        QTest::addColumn<bool>("bufferC"); // PyBuffer_IsContiguous(result, 'C')
        QTest::addColumn<bool>("bufferF");
        QTest::newRow("memoryview slice, extent 0, stride 2")
            << python("memoryview(bytearray(8))[::2][:0]") << true << false << true << true;
        QTest::newRow("strided, extent 0, stride 3")
            << strided({0}, std::vector<ByteOffset>{3}) << false << false << true << true;
        QTest::newRow("strided, extent 0, stride 1")
            << strided({0}, std::vector<ByteOffset>{1}) << false << true << true << true;
        QTest::newRow("2-D, extent 0, odd strides")
            << strided({0, 3}, std::vector<ByteOffset>{5, 7}) << false << true << true << true;
        QTest::newRow("memoryview of a C array")
            << python("memoryview(bytearray(6)).cast('B', (2, 3))") << true << true << true << false;
    }

    void memoryviewFlagsAreWhatPythonSees()
    {
        QFETCH(Scenario, scenario);
        QFETCH(bool, sourceIsMemoryview);
        QFETCH(bool, flagC);
        QFETCH(bool, bufferC);
        QFETCH(bool, bufferF);
        const InspectionReport r = inspect(scenario);
        QVERIFY2(r.agrees, r.disagreements.empty() ? "" : r.disagreements.front().c_str());
        QCOMPARE(r.result.outcome, ConversionPrediction::Outcome::Alias);
        QCOMPARE(r.result.cContiguous, flagC);
        QCOMPARE(r.result.bufferIsContiguous.c, bufferC);
        QCOMPARE(r.result.bufferIsContiguous.f, bufferF);
        QCOMPARE(r.result.bufferIsContiguous.any, bufferC || bufferF);
        QCOMPARE(r.result.contiguityNote.empty(), flagC == bufferC);
        if (flagC != bufferC)
            QCOMPARE(
                r.result.contiguityNote.substr(0, 160),
                std::string(
                    "memoryview.c_contiguous is False while PyBuffer_IsContiguous(view, 'C') is 1, "
                    "and memoryview.f_contiguous is False while PyBuffer_IsContiguous(view, 'F') is 1: "));
        QVERIFY(r.sourceBufferIsContiguous);
        QCOMPARE(r.sourceBufferIsContiguous->c, bufferC);
        QCOMPARE(bool(r.sourceMemoryviewFlags), sourceIsMemoryview);
        if (sourceIsMemoryview) {
            QCOMPARE(r.sourceMemoryviewFlags->cContiguous, flagC);
            QCOMPARE(r.sourceContiguityNote, r.result.contiguityNote);
        }
    }

    void releasedMemoryviewIsAnExportFailure()
    {
        InspectionReport r = inspect(python("m = memoryview(b'abc')\nm.release()\nm"));
        QVERIFY(r.exportFailure);
        QCOMPARE(r.exportFailure->first, std::string("ValueError"));
        QCOMPARE(r.result.error->message, std::string("operation forbidden on released memoryview object"));
        QCOMPARE(r.prediction.outcome, ConversionPrediction::Outcome::Error);
        QVERIFY(r.agrees);
    }

    void unknownFormatNeverStopsAnInspection()
    {
        InspectionReport r = inspect(python("import ctypes\n(ctypes.POINTER(ctypes.c_int) * 3)()", 'F'));
        QVERIFY(!r.valuesDecodable);
        QVERIFY2(r.formatNote.find("unknown format code '&'") != std::string::npos, r.formatNote.c_str());
        QCOMPARE(r.sourceLayout.itemSize(), 8); // the exporter's itemsize is the authority
        QCOMPARE(r.result.outcome, ConversionPrediction::Outcome::Alias);
        QVERIFY(r.agrees);
        // A C struct's trailing padding is fine: values can still be decoded.
        InspectionReport padded = inspect(python("import ctypes\nclass S(ctypes.Structure):\n    _fields_ = "
                                                 "[('a', ctypes.c_int), ('b', ctypes.c_char)]\n(S * 2)()"));
        QVERIFY(padded.valuesDecodable);
        QVERIFY2(padded.formatNote.find("padding") != std::string::npos, padded.formatNote.c_str());
    }

    // Issue 9: fill 'index' was ignored for FromMemory (16 zeros): the 0-d spec filled one item.
    void fromMemoryIsFilledAsTheBytesItViews_data()
    {
        QTest::addColumn<QByteArray>("fill");
        QTest::addColumn<bool>("withShape");
        QTest::newRow("index") << QByteArray("index") << false;
        QTest::newRow("bytes") << QByteArray("bytes") << false;
        QTest::newRow("zero") << QByteArray("zero") << false;
        QTest::newRow("index, shape given") << QByteArray("index") << true;
    }
    void fromMemoryIsFilledAsTheBytesItViews()
    {
        QFETCH(QByteArray, fill);
        QFETCH(bool, withShape);
        Scenario s =
            strided(withShape ? std::vector<Extent>{2, 2} : std::vector<Extent>{}, std::nullopt, "i");
        s.kind = Scenario::SourceKind::Memory;
        s.memoryFunction = MemoryViewFunction::FromMemory;
        s.strided.memory = 300; // past 255: byte k holds k mod 256
        s.strided.fill = *StridedSourceSpec::parseFill(fill.toStdString());
        InspectionReport r = inspect(s);
        QVERIFY(r.memory);
        QCOMPARE(r.memory->size, 300);
        QCOMPARE(r.sourceLayout.itemSize(), 1); // the view is 1-d unsigned bytes over the whole block
        QCOMPARE(r.sourceLayout.shape(), (std::vector<Extent>{300}));
        QCOMPARE(r.sourceBytes.bytes.size(), std::size_t(300));
        for (std::size_t k = 0; k < 300; ++k)
            QCOMPARE(int(r.sourceBytes.bytes[k]), fill == "zero" ? 0 : int(k % 256));
        QCOMPARE(r.result.baseKind, ConversionPrediction::BaseKind::Null);
    }

    void broadcastOverlapsAndIsReadOnly()
    {
        InspectionReport r =
            inspect(python("np.broadcast_to(np.arange(4, dtype=np.uint8), (3, 4))", 'C', true));
        QVERIFY(r.selfOverlap);
        QCOMPARE(r.result.error->type, std::string("BufferError"));
        QCOMPARE(r.result.error->message, std::string("underlying buffer is not writable"));
        QCOMPARE(r.memory->size, 4);
        QVERIFY(r.agrees);
    }

    // The report outlives the exporter: an indirect layout must not read the freed pointer table.
    void indirectLayoutOutlivesTheSource()
    {
        Scenario s = strided({3, 4});
        s.strided.indirect = true;
        InspectionReport r = inspect(s);
        QVERIFY(r.sourceLayout.isIndirect());
        // Free the exporter's memory and reuse it, then walk the layout again.
        PythonHost::instance().call(
            [] { py::exec("import gc; gc.collect(); junk = [bytearray(64) for _ in range(1000)]"); });
        for (ElementIndex e = 0; e < 12; ++e) {
            auto offset = r.sourceLayout.elementOffsetAt(e);
            QVERIFY(offset);
            QVERIFY(*offset >= 0 && *offset < r.memory->size);
            QCOMPARE(int(r.sourceBytes.bytes[std::size_t(*offset)]), int(e)); // fill "index"
        }
    }

    // Indirect buffers of any exporter: the probe follows the pointers the exporter holds to the
    // table's block and the rows' blocks, so every element's bytes are in the report.
    void foreignIndirectBuffersAreFollowed_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("rowBlocks"); // blocks of rows apart from the table's
        QTest::newRow("_testbuffer ND_PIL")
            << "from _testbuffer import *\nndarray(list(range(12)), shape=[3, 4], flags=ND_WRITABLE|ND_PIL)"
            << 0;
        QTest::newRow("StridedBuffer built in code")
            << "import _stridescope\n_stridescope.StridedBuffer('B', (3, 4), indirect=True)" << 0;
        // Rows in three separate allocations, reached through a table in a fourth: a Py_buffer built
        // with ctypes and handed to PyMemoryView_FromBuffer.
        QTest::newRow("rows in blocks of their own")
            << QString::fromStdString(testcode::separateRowsCode) << 3;
    }

    void foreignIndirectBuffersAreFollowed()
    {
        QFETCH(QString, code);
        QFETCH(int, rowBlocks);
        const InspectionReport r = inspect(python(code.toStdString()));
        QVERIFY(r.sourceLayout.isIndirect());
        QVERIFY(r.memory);
        // buf is the pointer table's start, inside the block found for it (not "memory + -24").
        QCOMPARE(r.sourceLayout.bufOffset(), 0);
        QVERIFY(r.memory->size >= 24);
        QCOMPARE(int(r.rowBlocks.size()), rowBlocks);
        QVERIFY2(!r.outsideMemory, r.outsideMemory.value_or("").c_str());
        // Every element's byte is in a snapshot of the report, and holds its value.
        for (ElementIndex e = 0; e < 12; ++e) {
            const auto offset = r.sourceLayout.elementOffsetAt(e);
            QVERIFY(offset);
            std::optional<int> value;
            if (*offset >= 0 && *offset < ByteOffset(r.sourceBytes.bytes.size()))
                value = r.sourceBytes.bytes[std::size_t(*offset)];
            for (const RowBlock& b : r.rowBlocks)
                if (*offset >= b.bytes.start && *offset < b.bytes.start + ByteOffset(b.bytes.bytes.size()))
                    value = b.bytes.bytes[std::size_t(*offset - b.bytes.start)];
            QVERIFY2(value,
                     qPrintable(QStringLiteral("element %1 at %2 is in no snapshot").arg(e).arg(*offset)));
            QCOMPARE(*value, int(e));
        }
        // The copy CPython made is checked byte for byte, the rows in their own blocks too.
        QCOMPARE(r.result.outcome, ConversionPrediction::Outcome::Copy);
        QCOMPARE(r.result.bytesVerified, 12);
        QVERIFY2(r.result.verifyNote.empty(), r.result.verifyNote.c_str());
        QVERIFY(r.agrees);
        // Without pictures (`inspect`: no snapshots) the rows are still found and the copy checked.
        Inspector::Options bare;
        bare.probe.snapshotLimit = 0;
        const InspectionReport plain = inspect(python(code.toStdString()), bare);
        QCOMPARE(int(plain.rowBlocks.size()), rowBlocks);
        QCOMPARE(plain.result.bytesVerified, 12);
        // The rows' blocks share the snapshot limit with the table's block: never more bytes in all.
        Inspector::Options small;
        small.probe.snapshotLimit = 26;
        const InspectionReport capped = inspect(python(code.toStdString()), small);
        std::size_t held = capped.sourceBytes.bytes.size();
        for (const RowBlock& b : capped.rowBlocks)
            held += b.bytes.bytes.size();
        QVERIFY(held <= 26);
    }

    void picturesTakeOnlyTheBytesTheyCanWriteOut()
    {
        // `render` (drawableBytes): a block or copy larger than a picture can write out is drawn
        // zoomed out, so none of its bytes are copied; a small block is copied whole, as before.
        Inspector::Options options;
        options.probe.drawableBytes = 1000;
        const InspectionReport big =
            inspect(python("np.arange(4096, dtype=np.uint8).reshape(64, 64).T"), options);
        QCOMPARE(big.result.outcome, ConversionPrediction::Outcome::Copy);
        QCOMPARE(big.sourceBytes.bytes.size(), std::size_t(0));
        QCOMPARE(big.resultBytes.bytes.size(), std::size_t(0));
        QCOMPARE(big.sourceBytes.blockSize, 4096);
        QCOMPARE(big.result.bytesVerified, 4096); // the copy is still checked in full
        const InspectionReport small =
            inspect(python("np.arange(900, dtype=np.uint8).reshape(30, 30).T"), options);
        QCOMPARE(small.sourceBytes.bytes.size(), std::size_t(900));
        QCOMPARE(small.resultBytes.bytes.size(), std::size_t(900));
        // Few elements in a big block: the logical view writes their values, so the bytes they
        // reach are copied (and only those), each at its place in the block.
        const InspectionReport sparse = inspect(
            python("np.arange(1 << 16, dtype=np.uint16).reshape(256, 256)[100:116:5, 40:200:50]"), options);
        const StridedLayout& layout = sparse.sourceLayout;
        const auto reach = layout.extent();
        QVERIFY(reach);
        QCOMPARE(sparse.sourceBytes.start, reach->first);
        QCOMPARE(ByteOffset(sparse.sourceBytes.bytes.size()), reach->end - reach->first);
        QVERIFY(ByteOffset(sparse.sourceBytes.bytes.size()) < sparse.sourceBytes.blockSize);
        for (ElementIndex e = 0; e < *layout.elementCount(); ++e) {
            const ByteOffset at = *layout.elementOffsetAt(e) - sparse.sourceBytes.start;
            std::uint16_t value = 0;
            std::memcpy(&value, sparse.sourceBytes.bytes.data() + at, 2);
            const auto index = layout.unravel(e);
            QCOMPARE(int(value), int((100 + 5 * index[0]) * 256 + 40 + 50 * index[1]));
        }
    }

    void snapshotsAndTolistAreCapped()
    {
        Inspector::Options options;
        options.probe.snapshotLimit = 16;
        options.probe.tolistLimit = 10;
        InspectionReport r = inspect(python("np.zeros((8, 8), dtype=np.uint8).T"), options);
        QCOMPARE(r.sourceBytes.bytes.size(), std::size_t(16));
        QVERIFY(r.sourceBytes.truncated);
        QCOMPARE(r.sourceBytes.blockSize, 64);
        QVERIFY(r.result.tolistOmitted);
        QVERIFY(!r.result.tolistJson);
        QCOMPARE(r.result.bytesVerified, 64); // verification is not capped by the snapshot
    }

    // The JSON of result.tolist() is what json.dumps(tolist, default=repr) writes, for every kind of
    // value a memoryview gives back; NaN and the infinities become strings (JSON has none).
    void tolistJsonIsWhatJsonDumpsWrites_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("expected"); // empty: json.dumps of the same tolist()
        QTest::newRow("uint8 2-d") << "np.arange(6, dtype=np.uint8).reshape(2, 3).T"
                                   << "";
        QTest::newRow("int64 negative") << "np.array([-2**63, 2**63 - 1, 0])"
                                        << "";
        QTest::newRow("uint64 big") << "np.array([2**64 - 1], dtype=np.uint64)"
                                    << "";
        QTest::newRow("float64") << "np.array([0.1, -2.5e-300, 1e300, -0.0])"
                                 << "";
        QTest::newRow("float32") << "np.array([0.1, 3.4e38], dtype=np.float32)"
                                 << "";
        QTest::newRow("bool") << "np.array([True, False])"
                              << "";
        QTest::newRow("format c") << "memoryview(b'a\"\\\\\\n\\x00\\xff').cast('c')"
                                  << "";
        QTest::newRow("0-d") << "np.array(7, dtype=np.int16)"
                             << "";
        QTest::newRow("empty") << "np.zeros((2, 0))"
                               << "";
        QTest::newRow("nan and infinities") << "np.array([np.nan, np.inf, -np.inf, 1.5])"
                                            << "[\"NaN\",\"Infinity\",\"-Infinity\",1.5]";
    }
    void tolistJsonIsWhatJsonDumpsWrites()
    {
        QFETCH(QString, code);
        QFETCH(QString, expected);
        const InspectionReport r = inspect(python(code.toStdString()));
        QVERIFY2(r.result.tolistJson, r.result.tolistError.c_str());
        if (expected.isEmpty()) {
            expected = QString::fromStdString(PythonHost::instance().call([&] {
                py::dict scope;
                scope["np"] = py::module_::import("numpy");
                const std::string program =
                    "import json\nm = memoryview(" + code.toStdString() +
                    ")\nout = json.dumps(m.tolist(), default=repr, separators=(',', ':'))";
                py::exec(program, scope);
                return scope["out"].cast<std::string>();
            }));
        }
        QCOMPARE(QString::fromStdString(*r.result.tolistJson), expected);
    }

    // How CPython copies (copy_buffer): element by element needs a buffer of one row, which
    // tracemalloc sees as PyMem_Malloc'd memory beyond the result; a copy of whole rows needs none.
    // The rows here are 64 KiB, far more than anything else the call allocates.
    void copyMethodIsTheOneCPythonUses_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<char>("order");
        QTest::addColumn<bool>("elementByElement");
        QTest::newRow("transpose") << "np.zeros((65536, 4), dtype=np.uint8).T" << 'C' << true;
        QTest::newRow("every other row") << "np.zeros((8, 65536), dtype=np.uint8)[::2]" << 'C' << false;
        QTest::newRow("every other row, 'A'") << "np.zeros((8, 65536), dtype=np.uint8)[::2]" << 'A' << false;
        QTest::newRow("C array asked for 'F'") << "np.zeros((4, 65536), dtype=np.uint8)" << 'F' << true;
        QTest::newRow("reversed") << "np.zeros(65536, dtype=np.uint8)[::-1]" << 'C' << true;
        QTest::newRow("every other item") << "np.zeros(131072, dtype=np.uint8)[::2]" << 'C' << true;
        QTest::newRow("float64 rows") << "np.zeros((8, 8192))[::2]" << 'C' << false;
    }
    void copyMethodIsTheOneCPythonUses()
    {
        QFETCH(QString, code);
        QFETCH(char, order);
        QFETCH(bool, elementByElement);
        const InspectionReport r = inspect(python(code.toStdString(), order));
        QCOMPARE(r.prediction.outcome, ConversionPrediction::Outcome::Copy);
        QCOMPARE(r.prediction.copyMethod, elementByElement
                                              ? ConversionPrediction::CopyMethod::ElementByElement
                                              : ConversionPrediction::CopyMethod::WholeRows);
        const auto [extra, row] = PythonHost::instance().call([&] {
            py::dict scope;
            scope["np"] = py::module_::import("numpy");
            py::exec("import tracemalloc, _testbuffer\n"
                     "a = " +
                         code.toStdString() +
                         "\n"
                         "tracemalloc.start()\n"
                         "before = tracemalloc.get_traced_memory()[0]\n"
                         "result = _testbuffer.get_contiguous(a, _testbuffer.PyBUF_READ, '" +
                         std::string(1, order) +
                         "')\n"
                         "extra = tracemalloc.get_traced_memory()[1] - before - len(result.tobytes())\n"
                         "tracemalloc.stop()\n"
                         "row = a.shape[-1] * a.itemsize\n",
                     scope);
            return std::pair{scope["extra"].cast<long>(), scope["row"].cast<long>()};
        });
        QVERIFY2((extra >= row) == elementByElement,
                 qPrintable(QStringLiteral("beyond the result, the copy allocated %1 bytes; a row is %2")
                                .arg(extra)
                                .arg(row)));
    }

    void interruptStopsAnInspectionWithinASecond()
    {
        auto future =
            PythonHost::instance().submit([] { return Inspector::run(python("while True: pass"), {}); });
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QElapsedTimer timer;
        timer.start();
        PythonHost::instance().interrupt();
        QCOMPARE(future.wait_for(std::chrono::milliseconds(1500)), std::future_status::ready);
        QVERIFY(timer.elapsed() < 1000);
        try {
            future.get();
            QFAIL("an interrupted source must not produce a report");
        } catch (const SourceError& e) {
            QVERIFY2(std::string(e.what()).find("interrupted") != std::string::npos, e.what());
        }
        QVERIFY(inspect(python("b'ok'")).agrees); // the host is usable again
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
