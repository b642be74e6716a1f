// The copy order (core/CopySteps) against the real PyMemoryView_GetContiguous: which source bytes
// CPython reads, in which order, and where each element lands in the new bytes object.
//
// How the order is observed: every element (or, where a row is one memcpy, every row) of the
// source lives on a page of its own, and only one page of the source is readable at a time. Each
// time CPython's copy moves on to another page it faults; the SIGSEGV handler records the page,
// makes it the readable one and returns, and the copy goes on. The recorded pages are the order in
// which CPython's copy read the source. Writes go to the bytes object CPython allocates and are
// not observed; copy_base writes a row in the same loop order it reads it, and the test checks
// where each element landed by its bytes.
#include "core/copysteps.h"
#include "pyhost/pythonhost.h"

#include <Python.h>

#include <QTest>

#include <csignal>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

using namespace stridescope;

namespace {

// The fault tracer's state: plain globals, as a signal handler can reach nothing else.
std::uint8_t* g_region = nullptr; // the traced memory: page 0 (pointer tables) is never protected
std::size_t g_pages = 0;
std::size_t g_pageSize = 0;
std::ptrdiff_t g_open = -1; // the one data page readable now
constexpr std::size_t maxFaults = 4096;
std::ptrdiff_t g_faults[maxFaults];
std::size_t g_faultCount = 0;
struct sigaction g_previous;

void onFault(int signal, siginfo_t* info, void* context)
{
    auto* address = static_cast<std::uint8_t*>(info->si_addr);
    if (!g_region || address < g_region + g_pageSize || address >= g_region + g_pages * g_pageSize ||
        g_faultCount == maxFaults) {
        // Not ours: crash as the process would have.
        sigaction(SIGSEGV, &g_previous, nullptr);
        (void)signal;
        (void)context;
        return;
    }
    const std::ptrdiff_t page = (address - g_region) / std::ptrdiff_t(g_pageSize);
    if (g_open >= 0)
        mprotect(g_region + g_open * g_pageSize, g_pageSize, PROT_NONE);
    mprotect(g_region + page * g_pageSize, g_pageSize, PROT_READ);
    g_open = page;
    g_faults[g_faultCount++] = page;
}

struct Source
{
    std::string format = "B";
    ByteCount itemSize = 1;
    std::vector<Extent> shape;
    std::vector<ByteOffset> strides;    // bytes
    std::vector<ByteOffset> suboffsets; // empty: direct
    ByteOffset bufOffset = 0;           // of buf in the region
    // Indirect: the pointer table lives on page 0 at bufOffset; entry r points at rowStarts[r].
    std::vector<ByteOffset> rowStarts;
};

struct Traced
{
    bool copied = false;
    std::vector<std::ptrdiff_t> pagesRead; // in the order CPython read them
    std::vector<std::uint8_t> result;      // the new bytes object
    std::vector<std::uint8_t> region;      // the source's memory, as it was
    StridedLayout layout;                  // the source, offsets relative to the region
    std::string error;
};

// Builds the source in a fresh region of `pages` pages, each element's bytes holding its C-order
// position + 1, and copies it with the real PyMemoryView_GetContiguous while tracing the reads.
Traced traceCopy(const Source& s, std::size_t pages, char order)
{
    return PythonHost::instance().call([&]() -> Traced {
        Traced t;
        g_pageSize = std::size_t(sysconf(_SC_PAGESIZE));
        g_pages = pages;
        const std::size_t size = pages * g_pageSize;
        void* mapped = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) {
            t.error = "mmap failed";
            return t;
        }
        auto* region = static_cast<std::uint8_t*>(mapped);
        std::memset(region, 0xEE, size);

        StridedLayout layout(s.itemSize, s.shape, s.strides, s.bufOffset, ByteCount(size));
        if (!s.suboffsets.empty()) {
            StridedLayout::PointerTable table;
            for (std::size_t r = 0; r < s.rowStarts.size(); ++r) {
                const ByteOffset slot = s.bufOffset + ByteOffset(r) * s.strides[0];
                void* target = region + s.rowStarts[r];
                std::memcpy(region + slot, &target, sizeof target);
                table[slot] = s.rowStarts[r];
            }
            layout.setFrozenSuboffsets(s.suboffsets, table);
        }
        const ElementIndex count = layout.elementCount().value_or(0);
        for (ElementIndex k = 0; k < count; ++k)
            std::memset(region + *layout.elementOffsetAt(k), int((k + 1) & 0xFF), std::size_t(s.itemSize));
        t.layout = layout;
        t.region.assign(region, region + size);

        Py_buffer view{};
        std::vector<Py_ssize_t> shape(s.shape.begin(), s.shape.end());
        std::vector<Py_ssize_t> strides(s.strides.begin(), s.strides.end());
        std::vector<Py_ssize_t> suboffsets(s.suboffsets.begin(), s.suboffsets.end());
        view.buf = region + s.bufOffset;
        view.obj = nullptr;
        view.len = Py_ssize_t(count * s.itemSize);
        view.itemsize = Py_ssize_t(s.itemSize);
        view.readonly = 1;
        view.ndim = int(shape.size());
        view.format = const_cast<char*>(s.format.c_str());
        view.shape = shape.data();
        view.strides = strides.data();
        view.suboffsets = suboffsets.empty() ? nullptr : suboffsets.data();
        PyObject* source = PyMemoryView_FromBuffer(&view);
        if (!source) {
            PyErr_Clear();
            t.error = "PyMemoryView_FromBuffer failed";
            munmap(mapped, size);
            return t;
        }

        // Only page 0 stays readable; every other page faults once each time the copy comes to it.
        g_region = region;
        g_open = -1;
        g_faultCount = 0;
        mprotect(region + g_pageSize, size - g_pageSize, PROT_NONE);
        struct sigaction action
        {
        };
        action.sa_sigaction = onFault;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &g_previous);
        PyObject* result = PyMemoryView_GetContiguous(source, PyBUF_READ, order);
        sigaction(SIGSEGV, &g_previous, nullptr);
        mprotect(region, size, PROT_READ | PROT_WRITE);
        g_region = nullptr;
        t.pagesRead.assign(g_faults, g_faults + g_faultCount);

        if (!result) {
            PyErr_Clear();
            t.error = "PyMemoryView_GetContiguous raised";
        } else {
            const Py_buffer* out = PyMemoryView_GET_BUFFER(result);
            const auto* bytes = static_cast<const std::uint8_t*>(out->buf);
            t.copied = bytes < region || bytes >= region + size;
            t.result.assign(bytes, bytes + out->len);
            Py_DECREF(result);
        }
        Py_DECREF(source);
        munmap(mapped, size);
        return t;
    });
}

// The result layout CPython gives the copy (memory_from_contiguous_copy): C strides for 'C' and 'A',
// Fortran strides for 'F'.
StridedLayout resultLayout(const Source& s, char order)
{
    return StridedLayout(s.itemSize, s.shape,
                         order == 'F' ? StridedLayout::fortranStrides(s.shape, s.itemSize)
                                      : StridedLayout::cStrides(s.shape, s.itemSize));
}

} // namespace

Q_DECLARE_METATYPE(Source)

class TestCopySteps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(PythonHost::instance().startupError().empty()); }

    void stepsAreTheOrderCPythonCopiesIn_data()
    {
        QTest::addColumn<Source>("source");
        QTest::addColumn<int>("pages");
        QTest::addColumn<char>("order");
        const ByteOffset P = sysconf(_SC_PAGESIZE);
        // Direct sources: buf on a page after page 0, elements a page or more apart.
        Source reversed{"B", 1, {6}, {-P}, {}, 6 * P, {}};
        Source transposed{"B", 1, {3, 4}, {P, 3 * P}, {}, P, {}};
        Source mixed3d{"B", 1, {2, 3, 2}, {-P, 4 * P, -2 * P}, {}, 4 * P, {}};
        Source ints{"i", 4, {2, 3}, {P, 2 * P}, {}, P, {}};
        // Each row one memcpy (last axis contiguous), rows on their own pages, bottom row first in memory.
        Source rows{"B", 1, {3, 5}, {-P, 1}, {}, 3 * P, {}};
        // PIL-style: a table of row pointers on page 0, rows scattered out of order after it.
        Source pil{"B", 1, {3, 4}, {ByteOffset(sizeof(void*)), P}, {0, -1}, 16, {9 * P, 1 * P, 5 * P}};
        // PIL-style with contiguous rows (still element by element: CPython copies through a row buffer).
        Source pilRows{"B", 1, {3, 4}, {ByteOffset(sizeof(void*)), 1}, {0, -1}, 16, {3 * P, 1 * P, 2 * P}};
        for (char order : {'C', 'F', 'A'}) {
            const std::string o(1, order);
            QTest::newRow(("1-D reversed " + o).c_str()) << reversed << 8 << order;
            QTest::newRow(("2-D transposed " + o).c_str()) << transposed << 14 << order;
            QTest::newRow(("3-D negative strides " + o).c_str()) << mixed3d << 14 << order;
            QTest::newRow(("int32 items " + o).c_str()) << ints << 8 << order;
            QTest::newRow(("rows reversed " + o).c_str()) << rows << 5 << order;
            QTest::newRow(("PIL indirect " + o).c_str()) << pil << 14 << order;
            QTest::newRow(("PIL contiguous rows " + o).c_str()) << pilRows << 5 << order;
        }
    }

    void stepsAreTheOrderCPythonCopiesIn()
    {
        QFETCH(Source, source);
        QFETCH(int, pages);
        QFETCH(char, order);
        const Traced t = traceCopy(source, std::size_t(pages), order);
        QVERIFY2(t.error.empty(), t.error.c_str());
        QVERIFY(t.copied);

        const CopySteps steps(t.layout, resultLayout(source, order));
        const ElementIndex count = t.layout.elementCount().value_or(0);
        QCOMPARE(steps.count(), count);
        QCOMPARE(ByteCount(t.result.size()), count * source.itemSize);

        // The order: the pages the steps read, one entry per change of page, are the pages CPython read.
        const ByteOffset pageSize = sysconf(_SC_PAGESIZE);
        std::vector<std::ptrdiff_t> predicted;
        for (ElementIndex k = 0; k < count; ++k) {
            const CopySteps::Step step = steps.at(k);
            QVERIFY(step.source);
            const std::ptrdiff_t page = std::ptrdiff_t(*step.source / pageSize);
            if (predicted.empty() || predicted.back() != page)
                predicted.push_back(page);
        }
        QCOMPARE(t.pagesRead, predicted);

        // Where each lands: step k's result bytes are its source bytes (each element's bytes hold k + 1).
        for (ElementIndex k = 0; k < count; ++k) {
            const CopySteps::Step step = steps.at(k);
            QCOMPARE(step.step, k);
            QCOMPARE(step.index, t.layout.unravel(k));
            QCOMPARE(step.itemSize, source.itemSize);
            for (ByteCount b = 0; b < source.itemSize; ++b) {
                QCOMPARE(int(t.result[std::size_t(step.result + b)]), int((k + 1) & 0xFF));
                QCOMPARE(int(t.region[std::size_t(*step.source + b)]), int((k + 1) & 0xFF));
            }
            // 'C' and 'A' write the new object front to back; 'F' jumps.
            if (order != 'F')
                QCOMPARE(step.result, k * source.itemSize);
        }
    }

    // An indirect source of no elements is still copied (PyBuffer_IsContiguous is false for any
    // suboffsets): a new empty object, read nowhere, and no steps.
    void emptyIndirectCopiesNothing()
    {
        const ByteOffset P = sysconf(_SC_PAGESIZE);
        const Source empty{"B", 1, {0, 4}, {ByteOffset(sizeof(void*)), P}, {0, -1}, 16, {}};
        const Traced t = traceCopy(empty, 3, 'C');
        QVERIFY2(t.error.empty(), t.error.c_str());
        QVERIFY(t.copied);
        QVERIFY(t.pagesRead.empty());
        QVERIFY(t.result.empty());
        QCOMPARE(CopySteps(t.layout, resultLayout(empty, 'C')).count(), ElementIndex(0));
    }

    // No copy has no steps.
    void nothingCopiedHasNoSteps() { QVERIFY(CopySteps().isEmpty()); }

    // Random access by k is arithmetic: the last step of a 2^40-element source costs what the first does.
    void hugeSourcesStepWithoutTables()
    {
        const std::vector<Extent> shape{1 << 20, 1 << 20};
        const StridedLayout source(8, shape, {8, ByteOffset(8) << 20}); // Fortran order
        const CopySteps steps(source, StridedLayout(8, shape, StridedLayout::cStrides(shape, 8)));
        QCOMPARE(steps.count(), ElementIndex(1) << 40);
        const CopySteps::Step last = steps.at(steps.count() - 1);
        QCOMPARE(last.index, (std::vector<Extent>{(1 << 20) - 1, (1 << 20) - 1}));
        QCOMPARE(*last.source, (ByteOffset(1) << 43) - 8);
        QCOMPARE(last.result, (ByteOffset(1) << 43) - 8);
        const CopySteps::Step second = steps.at(1);
        QCOMPARE(*second.source, ByteOffset(8) << 20); // the last axis is innermost
        QCOMPARE(second.result, ByteOffset(8));
    }
};

QTEST_GUILESS_MAIN(TestCopySteps)
#include "tst_copysteps.moc"
