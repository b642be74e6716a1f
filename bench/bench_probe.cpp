// An inspection in process, next to the call it is about: CPython's own copy of a transposed
// N x N uint8 numpy array (PyMemoryView_GetContiguous, PyBUF_READ, 'C'), and the whole
// Inspector::run on the same array (export, prediction, the call, the check of every copied byte,
// the report; no snapshots, as `inspect --json`). The difference is what Stridescope adds to the
// call; the prediction alone (the model) is listed too.
#include "core/conformancecheck.h"
#include "core/conversionprediction.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"
#include "pyhost/requestmatrix.h"
#include "squarecounters.h"

#include <pybind11/embed.h>

#include <benchmark/benchmark.h>

#include <Python.h>

#include <string>

using namespace stridescope;
namespace py = pybind11;

namespace {

std::string transposeCode(Extent n)
{
    return "np.arange(" + std::to_string(n) + " * " + std::to_string(n) + ", dtype=np.uint8).reshape(" +
           std::to_string(n) + ", " + std::to_string(n) + ").T";
}

// The array, built on the Python thread (with numpy's path and numpy).
py::object buildTranspose(Extent n)
{
    PythonHost::enableSitePackages();
    py::dict scope;
    scope["np"] = py::module_::import("numpy");
    return py::eval(transposeCode(n), scope);
}

void cpythonCopy(benchmark::State& state)
{
    const Extent n = state.range(0);
    PythonHost& host = PythonHost::instance();
    PyObject* array = host.call([n] { return buildTranspose(n).release().ptr(); });
    for (auto _ : state) {
        const bool ok = host.call([array] {
            PyObject* copy = PyMemoryView_GetContiguous(array, PyBUF_READ, 'C');
            Py_XDECREF(copy);
            return copy != nullptr;
        });
        if (!ok) {
            state.SkipWithError("PyMemoryView_GetContiguous failed");
            break;
        }
    }
    host.call([array] { Py_DECREF(array); });
    setSquareCounters(state, n);
}
BENCHMARK(cpythonCopy)
    ->Arg(1024)
    ->Arg(4096)
    ->Arg(8192)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

// Includes building the array each time (np.arange and the transpose): compare with
// buildTheArrayAlone for what the inspection itself costs.
void inspectorRun(benchmark::State& state)
{
    const Extent n = state.range(0);
    Scenario scenario;
    scenario.kind = Scenario::SourceKind::Python;
    scenario.code = transposeCode(n);
    Inspector::Options options;
    options.probe.snapshotLimit = 0; // as inspect --json: nothing is drawn
    for (auto _ : state) {
        const InspectionReport report =
            PythonHost::instance().call([&] { return Inspector::run(scenario, options); });
        if (report.result.bytesVerified != n * n) {
            state.SkipWithError("not every copied byte was checked");
            break;
        }
    }
    setSquareCounters(state, n);
}
BENCHMARK(inspectorRun)
    ->Arg(1024)
    ->Arg(4096)
    ->Arg(8192)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

// What the window adds to every inspection by always asking for the request matrix: 17
// PyObject_GetBuffer calls, the fields read through GuardedMemory, and the conformance check. No
// element is read or copied, so the size of the array should not matter.
void requestMatrix(benchmark::State& state)
{
    const Extent n = state.range(0);
    PythonHost& host = PythonHost::instance();
    PyObject* array = host.call([n] { return buildTranspose(n).release().ptr(); });
    for (auto _ : state) {
        const std::size_t rows = host.call([array] {
            auto outcomes = RequestMatrix::run(array, std::nullopt);
            ConformanceCheck::check(outcomes, std::nullopt);
            return outcomes.size();
        });
        benchmark::DoNotOptimize(rows);
    }
    host.call([array] { Py_DECREF(array); });
}
BENCHMARK(requestMatrix)->Arg(16)->Arg(8192)->Unit(benchmark::kMicrosecond)->UseRealTime();

void buildTheArrayAlone(benchmark::State& state)
{
    const Extent n = state.range(0);
    for (auto _ : state)
        PythonHost::instance().call([n] { benchmark::DoNotOptimize(buildTranspose(n).ptr()); });
    setSquareCounters(state, n);
}
BENCHMARK(buildTheArrayAlone)
    ->Arg(1024)
    ->Arg(4096)
    ->Arg(8192)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

// The model: contiguity, the rule and the copy method, from the layout alone (O(ndim)).
void predictTranspose(benchmark::State& state)
{
    const Extent n = state.range(0);
    ConversionPrediction::Source source;
    source.typeName = "numpy.ndarray";
    source.layout = StridedLayout(1, {n, n}, {1, n}, 0, n * n);
    source.exported.len = n * n;
    source.exported.itemSize = 1;
    source.exported.ndim = 2;
    source.exported.format = "B";
    source.exported.shape = std::vector<Extent>{n, n};
    source.exported.strides = std::vector<ByteOffset>{1, n};
    ConversionRequest request;
    for (auto _ : state)
        benchmark::DoNotOptimize(ConversionPrediction::predict(source, request).outcome);
}
BENCHMARK(predictTranspose)->Arg(1024)->Arg(16384)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
