#pragma once

// The counters of a benchmark over an N x N uint8 array: bytes per second and nanoseconds per
// element, so figures at different N compare directly.
#include "core/units.h"

#include <benchmark/benchmark.h>

namespace stridescope {

inline void setSquareCounters(benchmark::State& state, Extent n)
{
    state.SetBytesProcessed(state.iterations() * n * n);
    state.counters["ns/element"] = benchmark::Counter(
        double(state.iterations() * n * n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

} // namespace stridescope
