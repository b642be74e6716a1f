// The byte check of a copy against its source, next to what bounds it: a plain memcpy of the same
// bytes (memory bandwidth) and the element-by-element walk in C order the check replaced.
#include "core/copymap.h"
#include "core/copyverifier.h"

#include "squarecounters.h"

#include <benchmark/benchmark.h>

#include <cstring>
#include <numeric>
#include <vector>

using namespace stridescope;

namespace {

// A transposed N x N uint8 array (strides 1, N) and its C-order copy, as CPython makes it.
struct Transpose
{
    explicit Transpose(Extent n)
        : map(StridedLayout(1, {n, n}, {1, n}, 0, n * n), StridedLayout(1, {n, n}, {n, 1})),
          source(std::size_t(n * n)), copy(std::size_t(n * n))
    {
        std::iota(source.begin(), source.end(), std::uint8_t(0));
        for (Extent i = 0; i < n; ++i)
            for (Extent j = 0; j < n; ++j)
                copy[std::size_t(i * n + j)] = source[std::size_t(j * n + i)];
    }
    CopyMap map;
    std::vector<std::uint8_t> source;
    std::vector<std::uint8_t> copy;
};

void memcpyOfTheSameBytes(benchmark::State& state)
{
    const Extent n = state.range(0);
    std::vector<std::uint8_t> a(std::size_t(n * n), 1), b(std::size_t(n * n));
    for (auto _ : state) {
        std::memcpy(b.data(), a.data(), a.size());
        benchmark::DoNotOptimize(b.data());
        benchmark::ClobberMemory();
    }
    setSquareCounters(state, n);
}

void verifyTranspose(benchmark::State& state)
{
    const Extent n = state.range(0);
    const int threads = int(state.range(1));
    Transpose t(n);
    for (auto _ : state) {
        auto r =
            CopyVerifier::verify(t.map, t.source.data(), t.copy.data(), ByteCount(t.copy.size()), threads);
        if (r.firstMismatch >= 0)
            state.SkipWithError("the copy does not match");
        benchmark::DoNotOptimize(r);
    }
    setSquareCounters(state, n);
}

// What the probe did before CopyVerifier: one CopyMap entry at a time, in C order.
void verifyTransposeElementwise(benchmark::State& state)
{
    const Extent n = state.range(0);
    Transpose t(n);
    for (auto _ : state) {
        ByteCount verified = 0;
        t.map.visit(0, t.map.size(), [&](const CopyMap::Entry& e) {
            if (t.source[std::size_t(*e.source)] != t.copy[std::size_t(e.destination)])
                return false;
            ++verified;
            return true;
        });
        benchmark::DoNotOptimize(verified);
    }
    setSquareCounters(state, n);
}

} // namespace

BENCHMARK(memcpyOfTheSameBytes)->Arg(1024)->Arg(4096)->Arg(8192)->Unit(benchmark::kMillisecond);
// Second argument: threads (0: one per core for a large copy).
BENCHMARK(verifyTranspose)
    ->Args({1024, 1})
    ->Args({4096, 1})
    ->Args({8192, 1})
    ->Args({8192, 0})
    ->Args({16384, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(verifyTransposeElementwise)->Arg(1024)->Arg(8192)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
