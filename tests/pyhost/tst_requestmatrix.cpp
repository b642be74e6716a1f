// The request matrix and the conformance check against real exporters, in process: numpy, bytes,
// bytearray, array.array, memoryview, CPython's _testbuffer.ndarray and Stridescope's own exporter
// must conform (a rule is undecided only where the facts cannot decide it), and real misbehaving
// exporters (a pybind11 def_buffer class, raw C-API types built by the test build) must fail the
// rule they break, with the documentation's words.
#include "core/conformancecheck.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"

#include <QTest>

#include <set>

using namespace stridescope;

namespace {

Scenario python(const std::string& code)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    // The test build's extension modules (tests/exporters) are importable like a user's own.
    s.code = "import sys\nsys.path.insert(0, '" STRIDESCOPE_TEST_EXPORTERS_DIR "')\n" + code;
    return s;
}

Scenario strided(std::vector<Extent> shape, std::optional<std::vector<ByteOffset>> strides,
                 bool indirect = false)
{
    Scenario s;
    s.strided.format = "h";
    s.strided.shape = std::move(shape);
    s.strided.strides = std::move(strides);
    s.strided.indirect = indirect;
    return s;
}

InspectionReport check(const Scenario& s)
{
    Inspector::Options options;
    options.probe.requestMatrix = true;
    options.probe.snapshotLimit = 0;
    return PythonHost::instance().call([s, options] { return Inspector::run(s, options); });
}

// "PyBUF_ND shape" for every verdict of the given result, as a set.
using Found = std::set<std::string>;
Found verdicts(const InspectionReport& r, ConformanceVerdict::Result result)
{
    Found found;
    for (const RequestOutcome& o : r.requests)
        for (const ConformanceVerdict& v : o.verdicts)
            if (v.result == result)
                found.insert(o.request.name + " " + v.rule);
    return found;
}

std::string text(const Found& f)
{
    std::string s;
    for (const std::string& x : f)
        s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? "none" : s;
}

// Every verdict with its detail, for a failing comparison's message.
std::string dump(const InspectionReport& r)
{
    std::string s;
    for (const RequestOutcome& o : r.requests)
        for (const ConformanceVerdict& v : o.verdicts)
            if (v.result != ConformanceVerdict::Result::Pass)
                s += "\n  " + o.request.name + " " + v.rule + " " + ConformanceVerdict::resultName(v.result) +
                     ": " + v.detail;
    return s;
}

const RequestOutcome& outcome(const InspectionReport& r, const std::string& name)
{
    for (const RequestOutcome& o : r.requests)
        if (o.request.name == name)
            return o;
    throw std::runtime_error("no outcome for " + name);
}

const ConformanceVerdict* verdict(const RequestOutcome& o, const std::string& rule)
{
    for (const ConformanceVerdict& v : o.verdicts)
        if (v.rule == rule)
            return &v;
    return nullptr;
}

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestRequestMatrix : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(PythonHost::instance().startupError().empty()); }

    // Exporters that follow every rule: no verdict fails; a rule is undecided only where the facts
    // cannot decide it ("memory": the exporter's memory is known only from its own views, or its
    // elements are reached through pointers).
    void goodExportersConform_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("undecided"); // the only rule that may be undecided, empty: none
        QTest::addColumn<QString>("refused");   // the requests refused (each with a BufferError)
        const QString writable = "PyBUF_WRITABLE PyBUF_CONTIG PyBUF_STRIDED PyBUF_RECORDS PyBUF_FULL";
        const QString notC = "PyBUF_SIMPLE PyBUF_WRITABLE PyBUF_FORMAT PyBUF_ND PyBUF_C_CONTIGUOUS "
                             "PyBUF_CONTIG PyBUF_CONTIG_RO";
        // memoryview, _testbuffer and Stridescope's exporter refuse PyBUF_FORMAT without PyBUF_ND for
        // any format but 'B' (a view without shape is unsigned bytes).
        QTest::newRow("numpy 1-D") << python("np.arange(6, dtype=np.int16)") << "memory"
                                   << "";
        QTest::newRow("numpy row of a 2-D array")
            << python("np.arange(12, dtype=np.int16).reshape(3, 4)[1]") << ""
            << "";
        QTest::newRow("bytes") << python("b'abcdef'") << "memory" << writable;
        QTest::newRow("bytearray") << python("bytearray(b'abcdef')") << "memory"
                                   << "";
        QTest::newRow("array.array") << python("import array\narray.array('i', range(5))") << "memory"
                                     << "";
        QTest::newRow("memoryview of a 2-D array")
            << python("memoryview(np.arange(12, dtype=np.int16).reshape(3, 4))") << ""
            << "PyBUF_FORMAT PyBUF_F_CONTIGUOUS";
        QTest::newRow("memoryview, every other row")
            << python("memoryview(np.arange(12, dtype=np.int16).reshape(3, 4))[::2]") << ""
            << notC + " PyBUF_F_CONTIGUOUS PyBUF_ANY_CONTIGUOUS";
        QTest::newRow("memoryview 0-d") << python("memoryview(np.array(5, dtype=np.int32))") << ""
                                        << "PyBUF_FORMAT";
        QTest::newRow("_testbuffer C")
            << python("from _testbuffer import *\nndarray(list(range(12)), shape=[3, 4], format='h')")
            << "memory"
            << "PyBUF_WRITABLE PyBUF_FORMAT PyBUF_F_CONTIGUOUS PyBUF_CONTIG PyBUF_STRIDED PyBUF_RECORDS "
               "PyBUF_FULL";
        QTest::newRow("_testbuffer Fortran")
            << python("from _testbuffer import *\nndarray(list(range(12)), shape=[3, 4], format='h', "
                      "flags=ND_FORTRAN)")
            << "memory"
            << "PyBUF_SIMPLE PyBUF_WRITABLE PyBUF_FORMAT PyBUF_ND PyBUF_C_CONTIGUOUS PyBUF_CONTIG "
               "PyBUF_CONTIG_RO PyBUF_STRIDED PyBUF_RECORDS PyBUF_FULL";
        QTest::newRow("_testbuffer PIL") << python("from _testbuffer import *\nndarray(list(range(12)), "
                                                   "shape=[3, 4], format='h', flags=ND_PIL)")
                                         << "memory"
                                         << "ALL BUT PyBUF_INDIRECT PyBUF_FULL_RO";
        QTest::newRow("_testbuffer writable") << python("from _testbuffer import *\nndarray(list(range(12)), "
                                                        "shape=[3, 4], format='h', flags=ND_WRITABLE)")
                                              << "memory"
                                              << "PyBUF_FORMAT PyBUF_F_CONTIGUOUS";
        QTest::newRow("StridedBuffer C") << strided({3, 4}, std::nullopt) << ""
                                         << "PyBUF_FORMAT PyBUF_F_CONTIGUOUS";
        QTest::newRow("StridedBuffer every other column")
            << strided({3, 2}, std::vector<ByteOffset>{8, 4}) << ""
            << notC + " PyBUF_F_CONTIGUOUS PyBUF_ANY_CONTIGUOUS";
        QTest::newRow("StridedBuffer indirect") << strided({3, 4}, std::nullopt, true) << "memory"
                                                << "ALL BUT PyBUF_INDIRECT PyBUF_FULL PyBUF_FULL_RO";
    }
    void goodExportersConform()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, undecided);
        QFETCH(QString, refused);
        const InspectionReport r = check(scenario);
        QVERIFY(r.requestsChecked);
        QCOMPARE(r.requests.size(), BufferRequest::standard().size());
        QVERIFY2(verdicts(r, ConformanceVerdict::Result::Fail).empty(), dump(r).c_str());
        QVERIFY(ConformanceCheck::conforms(r.requests));
        for (const RequestOutcome& o : r.requests)
            for (const ConformanceVerdict& v : o.verdicts)
                if (v.result == ConformanceVerdict::Result::Undecided)
                    QVERIFY2(QString::fromStdString(v.rule) == undecided,
                             (o.request.name + " " + v.rule + ": " + v.detail).c_str());
        Found expected;
        for (const BufferRequest& b : BufferRequest::standard()) {
            const QString name = QString::fromStdString(b.name);
            const bool named = refused.split(' ').contains(name);
            if (refused.startsWith("ALL BUT ") ? !named : named)
                expected.insert(b.name);
        }
        Found refusals;
        for (const RequestOutcome& o : r.requests) {
            if (o.raised())
                refusals.insert(o.request.name);
            QVERIFY(!o.raised() || o.errorIsBufferError);
            // Every view is released: the exporter's count is back where it was.
            QCOMPARE(o.refcountAfter, o.refcountBefore);
        }
        QVERIFY2(refusals == expected, text(refusals).c_str());
        // A known memory decides the memory rule: every view's buf and elements lie inside it.
        if (undecided.isEmpty())
            QVERIFY(r.requestsMemory);
    }

    // numpy refuses with ValueError, not the BufferError PyObject_GetBuffer's documentation demands
    // (numpy/numpy#3634, open): that rule alone fails, on exactly the requests it refuses.
    void numpyRefusesWithValueError_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("refused");
        const QString cOnly = "PyBUF_F_CONTIGUOUS";
        const QString notC = "PyBUF_SIMPLE PyBUF_WRITABLE PyBUF_FORMAT PyBUF_ND PyBUF_C_CONTIGUOUS "
                             "PyBUF_CONTIG PyBUF_CONTIG_RO";
        QTest::newRow("C") << python("np.arange(12, dtype=np.int16).reshape(3, 4)") << cOnly;
        QTest::newRow("transposed") << python("np.arange(12, dtype=np.int16).reshape(3, 4).T") << notC;
        QTest::newRow("sliced") << python("np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]")
                                << notC + " PyBUF_F_CONTIGUOUS PyBUF_ANY_CONTIGUOUS";
        QTest::newRow("read-only") << python("a = np.arange(6.0)\na.flags.writeable = False\na")
                                   << "PyBUF_WRITABLE PyBUF_CONTIG PyBUF_STRIDED PyBUF_RECORDS PyBUF_FULL";
    }
    void numpyRefusesWithValueError()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, refused);
        const InspectionReport r = check(scenario);
        Found expected;
        for (const QString& name : refused.split(' '))
            expected.insert(name.toStdString() + " refusal");
        const Found failed = verdicts(r, ConformanceVerdict::Result::Fail);
        QVERIFY2(failed == expected, (text(failed) + dump(r)).c_str());
        for (const QString& name : refused.split(' ')) {
            const RequestOutcome& o = outcome(r, name.toStdString());
            QCOMPARE(o.errorType, std::string("ValueError"));
            QVERIFY(verdict(o, "refusal")->quote.find("it MUST raise PyExc_BufferError") !=
                    std::string::npos);
        }
    }

    // pybind11 2.10's def_buffer: every request that asks for strides gets the same view, so a
    // transposed matrix answers PyBUF_C_CONTIGUOUS with Fortran strides; without strides it gives
    // ndim 1 and no shape, even to PyBUF_ND.
    void pybind11IgnoresContiguityRequests()
    {
        const InspectionReport r =
            check(python("import pybind_matrix\npybind_matrix.Matrix(3, 4, transposed=True)"));
        QCOMPARE(r.sourceType, std::string("pybind_matrix.Matrix"));
        const Found expected{
            "PyBUF_C_CONTIGUOUS contiguity", "PyBUF_ND shape",        "PyBUF_CONTIG shape",
            "PyBUF_CONTIG_RO shape",         "PyBUF_SIMPLE elements", "PyBUF_WRITABLE elements",
            "PyBUF_FORMAT elements",         "PyBUF_ND elements",     "PyBUF_CONTIG elements",
            "PyBUF_CONTIG_RO elements"};
        const Found failed = verdicts(r, ConformanceVerdict::Result::Fail);
        QVERIFY2(failed == expected, (text(failed) + dump(r)).c_str());
        const RequestOutcome& c = outcome(r, "PyBUF_C_CONTIGUOUS");
        QVERIFY(!c.raised());
        QCOMPARE(*c.view->strides, (std::vector<std::int64_t>{4, 16}));
        const ConformanceVerdict* contiguity = verdict(c, "contiguity");
        QVERIFY(contiguity->quote.find(
                    "PyBUF_C_CONTIGUOUS | shape yes | strides yes | suboffsets NULL | contig C") !=
                std::string::npos);
        QVERIFY2(contiguity->detail.find("not C-contiguous") != std::string::npos,
                 contiguity->detail.c_str());
        const ConformanceVerdict* simple = verdict(outcome(r, "PyBUF_SIMPLE"), "elements");
        QVERIFY(simple->quote.find("Without stride information, the buffer must be C-contiguous.") !=
                std::string::npos);
        // The differences from the PyBUF_FULL_RO view, as the Requests tab marks them.
        const RequestOutcome& full = outcome(r, "PyBUF_FULL_RO");
        QCOMPARE(outcome(r, "PyBUF_ND").differencesFrom(full),
                 (std::vector<std::string>{"ndim", "format", "shape", "strides"}));
        QVERIFY(c.differencesFrom(full) == std::vector<std::string>{"format"});
    }

    void formatWithoutPyBufFormatFails()
    {
        const InspectionReport r =
            check(python("import misbehaving_exporters\nmisbehaving_exporters.FormatAlways()"));
        Found expected;
        for (const BufferRequest& b : BufferRequest::standard())
            if (!b.asks(BufferRequest::Format))
                expected.insert(b.name + " format");
        QCOMPARE(expected.size(), std::size_t(12));
        const Found failed = verdicts(r, ConformanceVerdict::Result::Fail);
        QVERIFY2(failed == expected, (text(failed) + dump(r)).c_str());
        const ConformanceVerdict* v = verdict(outcome(r, "PyBUF_STRIDES"), "format");
        QVERIFY(v->quote.find(
                    "If set, this field MUST be filled in correctly. Otherwise, this field MUST be NULL.") !=
                std::string::npos);
        QCOMPARE(v->detail, std::string("format is 'h' though PyBUF_FORMAT was not requested"));
        QCOMPARE(verdict(outcome(r, "PyBUF_FORMAT"), "itemsize")->result, ConformanceVerdict::Result::Pass);
    }

    void leakedReferenceFails()
    {
        const InspectionReport r =
            check(python("import misbehaving_exporters\nmisbehaving_exporters.LeakyRef()"));
        Found expected;
        for (const BufferRequest& b : BufferRequest::standard())
            expected.insert(b.name + " release");
        const Found failed = verdicts(r, ConformanceVerdict::Result::Fail);
        QVERIFY2(failed == expected, (text(failed) + dump(r)).c_str());
        for (const RequestOutcome& o : r.requests) {
            QCOMPARE(o.refcountAfter, o.refcountBefore + 1);
            QVERIFY(verdict(o, "release")->detail.ends_with("1 reference leaked"));
            QVERIFY(verdict(o, "release")->quote.starts_with("PyBuffer_Release:"));
        }
    }

    // Pointers to unmapped memory and an ndim past 64 are reported, never read in place.
    void wildPointersAreReportedNotRead_data()
    {
        QTest::addColumn<int>("ndim");
        QTest::addColumn<QString>("failures");
        QTest::newRow("ndim 1")
            << 1 << "PyBUF_CONTIG shape, PyBUF_CONTIG_RO shape, PyBUF_FORMAT format, PyBUF_ND shape";
        QTest::newRow("ndim 65")
            << 65
            << "PyBUF_CONTIG ndim, PyBUF_CONTIG_RO ndim, PyBUF_FORMAT format, PyBUF_FORMAT ndim, "
               "PyBUF_ND ndim, PyBUF_SIMPLE ndim, PyBUF_WRITABLE ndim";
    }
    void wildPointersAreReportedNotRead()
    {
        QFETCH(int, ndim);
        QFETCH(QString, failures);
        const InspectionReport r =
            check(python("import misbehaving_exporters\nmisbehaving_exporters.WildPointers(" +
                         std::to_string(ndim) + ")"));
        const Found failed = verdicts(r, ConformanceVerdict::Result::Fail);
        QVERIFY2(text(failed) == failures.toStdString(), (text(failed) + dump(r)).c_str());
        const RequestOutcome& nd = outcome(r, "PyBUF_ND");
        QCOMPARE(nd.view->ndim, ndim);
        QVERIFY(!nd.view->shape);
        QCOMPARE(nd.unreadable, std::vector<std::string>{"shape"});
        QCOMPARE(outcome(r, "PyBUF_FORMAT").unreadable, std::vector<std::string>{"format"});
    }

    // inspect must stay fast: the matrix runs only when asked for.
    void matrixOnlyWhenAsked()
    {
        Scenario s = strided({3, 4}, std::nullopt);
        const InspectionReport r = PythonHost::instance().call([s] { return Inspector::run(s, {}); });
        QVERIFY(!r.requestsChecked);
        QVERIFY(r.requests.empty());
    }
};

QTEST_GUILESS_MAIN(TestRequestMatrix)
#include "tst_requestmatrix.moc"
