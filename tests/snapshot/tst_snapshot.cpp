// Snapshot sources (stridescope.save): any exporter's layout and bytes captured by SnapshotCapture,
// written to a scenario file and read back, then exported again by Stridescope's own exporter. For
// real exporters (numpy, bytes, array.array, memoryview, _testbuffer's ND_PIL, Stridescope's own
// indirect buffer) the snapshot must inspect as the original does: the same outcome, layout, element
// values and result bytes. Lying exporters and hostile files get one line each, never a crash.
// Python's headers first: Qt's `slots` macro must not reach them.
#include "pyhost/buffersource.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"
#include "pyhost/snapshotcapture.h"

#include <pybind11/eval.h>

#include "gui/scenario/scenariofile.h"
#include "tests/support/binaryrun.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace stridescope;
namespace py = pybind11;

namespace {

template <class F> auto onPython(F job)
{
    return PythonHost::instance().call(std::move(job));
}

// Test code sees numpy as np, _testbuffer, _stridescope and the test build's exporters.
const std::string kPrelude = "import sys\nsys.path.insert(0, '" STRIDESCOPE_TEST_EXPORTERS_DIR "')\n"
                             "import numpy as np, array, ctypes, _testbuffer, _stridescope\n";

py::object evaluate(const std::string& setup, const std::string& expression)
{
    py::dict ns;
    ns["__builtins__"] = py::module_::import("builtins");
    py::exec(kPrelude + setup, ns);
    return py::eval(expression, ns);
}

// The snapshot of `expression`, or the one-line refusal ("SourceError: ...").
struct Captured
{
    std::optional<Scenario> scenario;
    std::string error;
};

Captured capture(const std::string& setup, const std::string& expression)
{
    return onPython([&]() -> Captured {
        try {
            return {SnapshotCapture::capture(evaluate(setup, expression).ptr()), {}};
        } catch (const SourceError& e) {
            return {std::nullopt, std::string("SourceError: ") + e.what()};
        }
    });
}

Scenario python(const std::string& setup, const std::string& expression, ConversionRequest request)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = kPrelude + setup + "\n" + expression;
    s.request = request;
    return s;
}

InspectionReport inspect(const Scenario& s)
{
    return onPython([&] { return Inspector::run(s, {}); });
}

// What Python sees of an object: its elements' bytes (memoryview.tobytes(), through every suboffset)
// and those of PyMemoryView_GetContiguous(obj, request) (or the exception's type).
struct Seen
{
    std::string elements;
    std::string result;
};

Seen seen(py::handle object, const ConversionRequest& request)
{
    Seen s;
    s.elements = py::bytes(py::module_::import("builtins").attr("memoryview")(object).attr("tobytes")());
    PyObject* result = PyMemoryView_GetContiguous(
        object.ptr(), request.bufferType == ConversionRequest::BufferType::Read ? PyBUF_READ : PyBUF_WRITE,
        request.order);
    if (!result) {
        py::error_already_set error;
        s.result = "raised " + py::handle(error.type()).attr("__name__").cast<std::string>();
        return s;
    }
    s.result = py::bytes(py::reinterpret_steal<py::object>(result).attr("tobytes")());
    return s;
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

const char* outcomeName(ConversionPrediction::Outcome o)
{
    switch (o) {
    case ConversionPrediction::Outcome::Alias:
        return "alias";
    case ConversionPrediction::Outcome::Copy:
        return "copy";
    case ConversionPrediction::Outcome::Error:
        return "error";
    }
    return "?";
}

} // namespace

class TestSnapshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(PythonHost::instance().startupError().empty(),
                 PythonHost::instance().startupError().c_str());
        QVERIFY(onPython([] { return PythonHost::enableSitePackages(); }));
    }

    void sameAsTheOriginal_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("indirect");
        QTest::newRow("numpy C") << ""
                                 << "np.arange(12, dtype=np.int16).reshape(3, 4)" << false;
        QTest::newRow("numpy transposed") << ""
                                          << "np.arange(12, dtype='>i4').reshape(3, 4).T" << false;
        QTest::newRow("numpy negative slice")
            << ""
            << "np.arange(40, dtype=np.float64).reshape(5, 8)[::-2, 1::3]" << false;
        QTest::newRow("numpy sliding window") << ""
                                              << "np.lib.stride_tricks.as_strided(np.arange(10, "
                                                 "dtype=np.uint8)[2:], shape=(6, 3), strides=(1, 1))"
                                              << false;
        QTest::newRow("numpy record, padding")
            << "a = np.zeros(4, dtype=np.dtype([('a', '<i2'), ('b', '<f8')], align=True))\n"
               "a['a'] = [1, -2, 3, -4]\na['b'] = [0.5, 1.5, 2.5, 3.5]\n"
            << "a[::-1]" << false;
        QTest::newRow("numpy 0-d") << ""
                                   << "np.array(3.25)" << false;
        QTest::newRow("numpy empty") << ""
                                     << "np.zeros((0, 3), np.int8)" << false;
        QTest::newRow("numpy read-only") << "a = np.arange(6, dtype=np.uint16).reshape(2, 3)[:, ::2]\n"
                                            "a.flags.writeable = False\n"
                                         << "a" << false;
        QTest::newRow("bytes") << ""
                               << "b'hello, world'" << false;
        QTest::newRow("array.array") << ""
                                     << "array.array('d', [1.5, 2.5, -3.0])" << false;
        QTest::newRow("memoryview slice") << ""
                                          << "memoryview(bytearray(range(20)))[::-3]" << false;
        QTest::newRow("memoryview cast")
            << ""
            << "memoryview(bytearray(range(24))).cast('i', (2, 3))[::-1]" << false;
        QTest::newRow("_testbuffer ND_PIL")
            << ""
            << "_testbuffer.ndarray(list(range(24)), shape=[2, 3, 4], format='h', flags=_testbuffer.ND_PIL)"
            << true;
        QTest::newRow("_testbuffer ND_PIL sliced") << ""
                                                   << "_testbuffer.ndarray(list(range(12)), shape=[3, 4], "
                                                      "format='i', flags=_testbuffer.ND_PIL)[::-1, 1::2]"
                                                   << true;
        QTest::newRow("StridedBuffer indirect")
            << ""
            << "_stridescope.StridedBuffer('h', (3, 4), strides=(8, -2), indirect=True)" << true;
        QTest::newRow("StridedBuffer indirect, table reversed")
            << ""
            << "_stridescope.StridedBuffer('<i', (4, 2), strides=(-8, 4), indirect=True, readonly=True)"
            << true;
    }

    // Inspected directly and through its snapshot (written to a file and read back), the object gives
    // the same outcome for every request, the same layout, element values and result bytes.
    void sameAsTheOriginal()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expression);
        QFETCH(bool, indirect);
        const Captured captured = capture(setup.toStdString(), expression.toStdString());
        QVERIFY2(captured.scenario, captured.error.c_str());
        QCOMPARE(captured.scenario->kind, Scenario::SourceKind::Snapshot);
        QCOMPARE(captured.scenario->strided.indirect, indirect);
        QString error;
        const auto read = ScenarioFile::parse(ScenarioFile::toJson(*captured.scenario), &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(*read == *captured.scenario);

        for (const char* request : {"read C", "read F", "read A", "write C"}) {
            ConversionRequest r;
            r.bufferType = request[0] == 'r' ? ConversionRequest::BufferType::Read
                                             : ConversionRequest::BufferType::Write;
            r.order = request[std::strlen(request) - 1];
            Scenario snapshot = *read;
            snapshot.request = r;
            const InspectionReport original =
                inspect(python(setup.toStdString(), expression.toStdString(), r));
            const InspectionReport copy = inspect(snapshot);
            QVERIFY(original.sourceBuffer && copy.sourceBuffer);
            const ExportedBuffer& a = *original.sourceBuffer;
            const ExportedBuffer& b = *copy.sourceBuffer;
            QCOMPARE(b.effectiveFormat(), a.effectiveFormat());
            QCOMPARE(b.itemSize, a.itemSize);
            QCOMPARE(b.ndim, a.ndim);
            QCOMPARE(b.effectiveShape(), a.effectiveShape());
            QCOMPARE(b.effectiveStrides(), a.effectiveStrides());
            QCOMPARE(b.readonly, a.readonly);
            QCOMPARE(bool(b.suboffsets), indirect);
            QVERIFY2(original.result.outcome == copy.result.outcome,
                     qPrintable(QStringLiteral("%1: %2 directly, %3 from the snapshot")
                                    .arg(request, outcomeName(original.result.outcome),
                                         outcomeName(copy.result.outcome))));
            QCOMPARE(copy.prediction.outcome, original.prediction.outcome);
            QVERIFY(copy.agrees);
            QCOMPARE(copy.result.tolistJson, original.result.tolistJson);
            if (original.result.buffer && copy.result.buffer) {
                QCOMPARE(copy.result.buffer->effectiveShape(), original.result.buffer->effectiveShape());
                QCOMPARE(copy.result.buffer->effectiveStrides(), original.result.buffer->effectiveStrides());
            }
            // The memory block is named after where its bytes came from.
            QVERIFY(copy.memory);
            QVERIFY2(copy.memory->owner.find(captured.scenario->captured.capturedFrom) != std::string::npos,
                     copy.memory->owner.c_str());

            // Python's own view of both objects: every element's bytes and the call's result.
            const auto both = onPython([&] {
                const py::object object = evaluate(setup.toStdString(), expression.toStdString());
                const BuiltSource built = BufferSource::fromScenario(snapshot, {})->build();
                return std::make_pair(seen(object, r), seen(built.object, r));
            });
            QCOMPARE(both.second.elements, both.first.elements);
            QCOMPARE(both.second.result, both.first.result);
        }
    }

    // What cannot be captured is one line naming why: no crash, no guess.
    void refused_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("no buffer") << ""
                                   << "3"
                                   << "int gave no buffer for PyBUF_FULL_RO: TypeError";
        QTest::newRow("too large") << ""
                                   << "np.zeros(8 * 2**20 + 1, np.uint8)"
                                   << "span 8388609 bytes; a snapshot holds at most 8388608 bytes (8 MiB)";
        QTest::newRow("lying as_strided")
            << ""
            << "np.lib.stride_tricks.as_strided(np.zeros(10, np.uint8), shape=(10**9,), strides=(1,))"
            << "span 1000000000 bytes";
        QTest::newRow("wild shape") << "import misbehaving_exporters\n"
                                    << "misbehaving_exporters.WildPointers(1, always='shape')"
                                    << "Py_buffer.shape points to unreadable memory (0x10)";
        QTest::newRow("wild format") << "import misbehaving_exporters\n"
                                     << "misbehaving_exporters.WildPointers(1, always='format')"
                                     << "Py_buffer.format points to unreadable memory (0x10)";
        QTest::newRow("wild ndim") << "import misbehaving_exporters\n"
                                   << "misbehaving_exporters.WildPointers(65, always='ndim')"
                                   << "65";
        QTest::newRow("unmapped memory") << ""
                                         << "(ctypes.c_char * 64).from_address(16)"
                                         << "reaches unreadable memory at 0x10 (0 of 64 bytes read)";
        // Py_buffers filled in by hand and wrapped by PyMemoryView_FromBuffer: suboffsets on axis 1,
        // and a PIL table whose slots overlap.
        const QString byHand =
            "class Py_buffer(ctypes.Structure):\n"
            "    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.py_object), ('len', "
            "ctypes.c_ssize_t),\n"
            "                ('itemsize', ctypes.c_ssize_t), ('readonly', ctypes.c_int), ('ndim', "
            "ctypes.c_int),\n"
            "                ('format', ctypes.c_char_p), ('shape', ctypes.POINTER(ctypes.c_ssize_t)),\n"
            "                ('strides', ctypes.POINTER(ctypes.c_ssize_t)),\n"
            "                ('suboffsets', ctypes.POINTER(ctypes.c_ssize_t)), ('internal', "
            "ctypes.c_void_p)]\n"
            "block = ctypes.create_string_buffer(64)\n"
            "def by_hand(shape, strides, suboffsets):\n"
            "    global keep\n"
            "    n = len(shape)\n"
            "    keep = [(ctypes.c_ssize_t * n)(*a) for a in (shape, strides, suboffsets)]\n"
            "    view = Py_buffer(buf=ctypes.addressof(block), obj=None, len=shape[0] * shape[1], "
            "itemsize=1,\n"
            "                     readonly=1, ndim=n, format=b'B', shape=keep[0], strides=keep[1], "
            "suboffsets=keep[2])\n"
            "    f = ctypes.pythonapi.PyMemoryView_FromBuffer\n"
            "    f.restype = ctypes.py_object\n"
            "    f.argtypes = (ctypes.POINTER(Py_buffer),)\n"
            "    return f(ctypes.byref(view))\n";
        QTest::newRow("suboffsets on axis 1") << byHand << "by_hand((2, 2), (2, 8), (-1, 0))"
                                              << "suboffsets[1] = 0; a snapshot holds PIL-style buffers with "
                                                 "suboffsets on axis 0 only";
        QTest::newRow("overlapping pointer table")
            << byHand << "by_hand((3, 2), (4, 1), (0, -1))"
            << "pointer table has stride 4, less than a pointer (8 bytes)";
        QTest::newRow("NULL row pointer") << byHand << "by_hand((2, 2), (8, 1), (0, -1))"
                                          << "pointer to row 0 is NULL";
    }

    void refused()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expression);
        QFETCH(QString, message);
        const Captured captured = capture(setup.toStdString(), expression.toStdString());
        QVERIFY(!captured.scenario);
        QVERIFY2(q(captured.error).contains(message), captured.error.c_str());
        QVERIFY2(!q(captured.error).contains('\n'), captured.error.c_str());
    }

    // A snapshot file from anyone: every bad field is one line naming it.
    void hostileFile_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        const QString layout =
            R"("kind": "snapshot", "format": "h", "shape": [2], "strides": [2], "offset": 0, )";
        QTest::newRow("bad base64") << layout + R"("memory": 4, "data": "AQ!D")"
                                    << "'data' in 'source' is not valid base64";
        QTest::newRow("not ASCII") << layout + R"("memory": 4, "data": "AQIDé===")"
                                   << "'data' in 'source' is not valid base64";
        QTest::newRow("short") << layout + R"("memory": 4, "data": "AQID")"
                               << "'data' in 'source' holds 3 bytes, but 'memory' says 4";
        QTest::newRow("long") << layout + R"("memory": 2, "data": "AQID")"
                              << "'data' in 'source' holds 3 bytes, but 'memory' says 2";
        QTest::newRow("huge memory")
            << layout + R"("memory": 9007199254740992, "data": "")"
            << "'memory' in 'source' is 9007199254740992 bytes; a snapshot holds at most 8388608 bytes";
        QTest::newRow("negative memory")
            << layout + R"("memory": -4, "data": "")"
            << "'memory' in 'source' is -4; a snapshot's memory is at least 0 bytes";
        QTest::newRow("no data") << layout + R"("memory": 4)"
                                 << "'source' needs the field 'data'";
        QTest::newRow("no memory") << layout + R"("data": "AQIDBA==")"
                                   << "'source' needs the field 'memory'";
        QTest::newRow("no offset")
            << R"("kind": "snapshot", "format": "h", "shape": [2], "strides": [2], "memory": 4, "data": "AQIDBA==")"
            << "'source' needs the field 'offset'";
        QTest::newRow("fill") << layout + R"("memory": 4, "data": "AQIDBA==", "fill": "index")"
                              << "unknown field 'fill' in 'source'";
        QTest::newRow("data not a string") << layout + R"("memory": 4, "data": [1, 2])"
                                           << "'data' in 'source' must be a string";
    }

    void hostileFile()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QString error;
        const auto scenario = ScenarioFile::parse(("{\"source\": {" + source + "}}").toUtf8(), &error);
        QVERIFY(!scenario);
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }

    // A file whose numbers are read but whose layout the exporter refuses: one line from the build,
    // through the real command line, exit 1.
    void hostileLayoutThroughTheCommandLine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative extent")
            << R"("kind": "snapshot", "format": "B", "shape": [-3], "strides": [1], "offset": 0, "memory": 2, "data": "AAA=")"
            << "axis 0 has a negative extent (-3)";
        QTest::newRow("outside its memory")
            << R"("kind": "snapshot", "format": "h", "shape": [3], "strides": [2], "offset": 0, "memory": 4, "data": "AQIDBA==")"
            << "the layout reaches outside its memory";
        QTest::newRow("overflowing stride")
            << R"("kind": "snapshot", "format": "B", "shape": [3], "strides": [9007199254740992], "offset": 0, "memory": 1, "data": "AA==")"
            << "the layout reaches outside its memory";
    }

    void hostileLayoutThroughTheCommandLine()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.stridescope");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(("{\"source\": {" + source + "}}").toUtf8());
        file.close();
        const testcli::Run run = testcli::run({"inspect", path});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QCOMPARE(run.err.trimmed().count('\n'), 0);
    }

    // `stridescope inspect FILE` on a saved snapshot: the report is the original's, its memory named
    // after the captured type, as for a user who got the file in a bug report.
    void inspectASavedSnapshot()
    {
        const Captured captured = capture("", "np.arange(12, dtype=np.int16).reshape(3, 4).T");
        QVERIFY(captured.scenario);
        QTemporaryDir dir;
        const QString path = dir.filePath("case.stridescope");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ScenarioFile::toJson(*captured.scenario));
        file.close();
        const testcli::Run run = testcli::run({"inspect", "--json", path});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject report = run.json();
        QCOMPARE(report["result"].toObject()["outcome"].toString(), QString("copy"));
        QCOMPARE(report["source"].toObject()["memory"].toObject()["owner"].toString(),
                 QString("a snapshot of numpy.ndarray's memory"));
        QCOMPARE(report["result"].toObject()["tolist"].toVariant().toList().size(), 4);
        QCOMPARE(
            QJsonDocument(report["result"].toObject()["tolist"].toArray()).toJson(QJsonDocument::Compact),
            QByteArray("[[0,4,8],[1,5,9],[2,6,10],[3,7,11]]"));
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
