// ViewPairOverlap against numpy's own np.shares_memory (exact, max_work=None) and np.may_share_memory
// on many pairs of views of one base array, built in the real interpreter: slices, transposes,
// reshapes, dtype views, and as_strided layouts with odd, zero and negative strides.
#include "core/viewpairoverlap.h"
#include "pyhost/pythonhost.h"

#include <pybind11/eval.h>
#include <pybind11/stl.h>

#include <QTest>

using namespace stridescope;
namespace py = pybind11;

namespace {

struct View
{
    ByteCount itemSize = 1;
    std::vector<Extent> shape;
    std::vector<ByteOffset> strides;
    ByteOffset offset = 0; // from the base array's first byte
};

struct Pair
{
    std::string description;
    View a;
    View b;
    bool shares = false;
    bool mayShare = false;
};

// Each pair: two views of one uint8 block `base`, described as numpy sees them.
const char* kPairs = R"(
import numpy as np
from numpy.lib.stride_tricks import as_strided
rng = np.random.default_rng(20261129)
base = np.zeros(4096, dtype=np.uint8)
origin = base.__array_interface__['data'][0]

def describe(v):
    return (v.itemsize, list(v.shape), list(v.strides), v.__array_interface__['data'][0] - origin)

def random_slice(arr):
    idx = []
    for n in arr.shape:
        k = rng.integers(0, 5)
        if k == 0:
            idx.append(slice(None))
        elif k == 1:
            idx.append(slice(None, None, -1))
        else:
            start = int(rng.integers(0, n)) if n else 0
            stop = int(rng.integers(start, n + 1)) if n else 0
            step = int(rng.integers(1, 4)) * (1 if rng.integers(0, 4) else -1)
            idx.append(slice(start, stop, step) if step > 0 else slice(stop - 1 if stop > 0 else None, start - 1 if start > 0 else None, step))
    return arr[tuple(idx)]

def random_view(arr):
    v = random_slice(arr)
    if v.ndim > 1 and rng.integers(0, 3) == 0:
        v = v.transpose(rng.permutation(v.ndim))
    if rng.integers(0, 4) == 0:
        v = random_slice(v)
    return v

def random_as_strided(itemsize):
    # Any strides, odd ones too, zero and negative, kept inside the block.
    while True:
        ndim = int(rng.integers(1, 4))
        shape = [int(rng.integers(1, 7)) for _ in range(ndim)]
        strides = [int(rng.integers(-40, 41)) for _ in range(ndim)]
        low = sum(min(0, (n - 1) * s) for n, s in zip(shape, strides))
        high = sum(max(0, (n - 1) * s) for n, s in zip(shape, strides)) + itemsize
        if high - low > 600:
            continue
        start = int(rng.integers(-low, 700 - high + 1))
        dt = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[itemsize]
        root = base[start:start + itemsize].view(dt)
        return as_strided(root, shape=shape, strides=strides)

pairs = []
shapes = [(24,), (4, 6), (2, 3, 4), (6, 5), (3, 2, 2, 3)]
for i in range(1500):
    kind = i % 3
    if kind < 2:
        dt = [np.int8, np.int16, np.int32, np.float64][int(rng.integers(0, 4))]
        shape = shapes[int(rng.integers(0, len(shapes)))]
        n = int(np.prod(shape))
        skip = int(rng.integers(0, 3)) * np.dtype(dt).itemsize
        arr = base[skip:skip + n * np.dtype(dt).itemsize].view(dt).reshape(shape)
        if kind == 1 and rng.integers(0, 2):
            arr = arr.T
        a = random_view(arr)
        b = random_view(arr)
        if rng.integers(0, 4) == 0 and b.ndim and b.shape[-1] and b.strides[-1] == b.itemsize and b.shape[-1] * b.itemsize % 2 == 0:
            b = b.view(np.uint8 if b.itemsize != 1 else np.uint8)  # a view with another itemsize
        name = 'slice'
    else:
        a = random_as_strided(int(rng.choice([1, 2, 4, 8])))
        b = random_as_strided(int(rng.choice([1, 2, 4, 8])))
        name = 'as_strided'
    pairs.append((name, describe(a), describe(b), bool(np.shares_memory(a, b, max_work=None)), bool(np.may_share_memory(a, b))))
)";

View toView(const py::tuple& t)
{
    return View{t[0].cast<ByteCount>(), t[1].cast<std::vector<Extent>>(),
                t[2].cast<std::vector<ByteOffset>>(), t[3].cast<ByteOffset>()};
}

std::vector<Pair> pairsFromNumpy(const std::string& code)
{
    return PythonHost::instance().call([code] {
        if (!PythonHost::enableSitePackages()) // numpy's path
            throw py::error_already_set();
        py::dict ns;
        py::exec(code, ns);
        std::vector<Pair> pairs;
        for (py::handle item : ns["pairs"].cast<py::list>()) {
            auto t = item.cast<py::tuple>();
            pairs.push_back(Pair{t[0].cast<std::string>(), toView(t[1]), toView(t[2]), t[3].cast<bool>(),
                                 t[4].cast<bool>()});
        }
        return pairs;
    });
}

StridedLayout layout(const View& v)
{
    return StridedLayout(v.itemSize, v.shape, v.strides, v.offset, 4096);
}

QString show(const View& v)
{
    QStringList shape, strides;
    for (Extent e : v.shape)
        shape << QString::number(e);
    for (ByteOffset s : v.strides)
        strides << QString::number(s);
    return QStringLiteral("itemsize %1 shape (%2) strides (%3) offset %4")
        .arg(v.itemSize)
        .arg(shape.join(','))
        .arg(strides.join(','))
        .arg(v.offset);
}

} // namespace

class TestPairOverlap : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(PythonHost::instance().startupError().empty()); }

    // Every pair decided, and decided as numpy decides it; a Shared witness really shares a byte.
    void agreesWithNumpy()
    {
        const std::vector<Pair> pairs = pairsFromNumpy(kPairs);
        QCOMPARE(pairs.size(), std::size_t(1500));
        int shared = 0, disjointButMeet = 0;
        for (const Pair& p : pairs) {
            const StridedLayout a = layout(p.a), b = layout(p.b);
            const auto result = ViewPairOverlap::decide(a, b);
            const QString where =
                QString::fromStdString(p.description) + ": a " + show(p.a) + ", b " + show(p.b);
            QVERIFY2(result.verdict != ViewPairOverlap::Verdict::Undecided, qPrintable(where));
            QVERIFY2((result.verdict == ViewPairOverlap::Verdict::Shared) == p.shares, qPrintable(where));
            QVERIFY2(result.rangesMeet == p.mayShare, qPrintable(where));
            if (p.shares) {
                ++shared;
                const ByteOffset x = *a.elementOffset(result.indexA), y = *b.elementOffset(result.indexB);
                QVERIFY2(x < y + p.b.itemSize && y < x + p.a.itemSize, qPrintable(where));
            } else if (p.mayShare) {
                ++disjointButMeet;
            }
        }
        // The sample holds both kinds the exact answer must tell apart from the bounds.
        QVERIFY2(shared > 300, qPrintable(QString::number(shared)));
        QVERIFY2(disjointButMeet > 50, qPrintable(QString::number(disjointButMeet)));
    }

    // Interleaved halves of a long array meet everywhere by range, yet share nothing: the gcd prunes
    // at the first node, so even 10^12 elements cost a handful of steps.
    void interleavedViewsAreDisjointCheaply()
    {
        const Extent n = 1'000'000'000'000;
        const StridedLayout even(8, {n}, {16}, 0), odd(8, {n}, {16}, 8);
        const auto result = ViewPairOverlap::decide(even, odd);
        QCOMPARE(result.verdict, ViewPairOverlap::Verdict::Disjoint);
        QVERIFY(result.rangesMeet);
        QVERIFY2(result.work < 10, qPrintable(QString::number(result.work)));
        const StridedLayout shifted(8, {n}, {16}, 16);
        QCOMPARE(ViewPairOverlap::decide(even, shifted).verdict, ViewPairOverlap::Verdict::Shared);
    }

    // Where the exact answer needs more steps than allowed, the verdict says so instead of guessing.
    void tooHardIsUndecidedWithAReason()
    {
        // Coprime strides 9999991 and 10000019 (itemsize 1): the search must try many x values.
        const StridedLayout a(1, {1000, 1000}, {9'999'991, 10'000'019}, 0), b(1, {1}, {1}, 5'000'000'007);
        const auto limited = ViewPairOverlap::decide(a, b, 50);
        QCOMPARE(limited.verdict, ViewPairOverlap::Verdict::Undecided);
        QVERIFY(QString::fromStdString(limited.reason).contains("50 search steps"));
        QVERIFY(ViewPairOverlap::decide(a, b).verdict != ViewPairOverlap::Verdict::Undecided);
    }

    void emptyViewsShareNothing()
    {
        const StridedLayout a(4, {10}, {4}, 0), empty(4, {0}, {4}, 12);
        const auto result = ViewPairOverlap::decide(a, empty);
        QCOMPARE(result.verdict, ViewPairOverlap::Verdict::Disjoint);
        QVERIFY(!result.rangesMeet);
    }
};

QTEST_GUILESS_MAIN(TestPairOverlap)
#include "tst_pairoverlap.moc"
