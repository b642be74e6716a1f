#pragma once

#include <optional>

namespace stridescope {

// This machine's memcpy bandwidth: the speed of a contiguous copy, next to which the speed of
// CPython's copy of a strided buffer means something. Measured once per process, then kept.
class MemoryBandwidth
{
public:
    MemoryBandwidth() = delete;

    // Bytes per second of memcpy between two blocks far larger than the caches. The first call
    // measures (about 50 ms and 128 MiB, freed after); later calls and other threads get the kept
    // figure (they wait while a measurement runs).
    static double bytesPerSecond();
    // The kept figure, if a measurement has finished; never waits.
    static std::optional<double> ifMeasured();
};

} // namespace stridescope
