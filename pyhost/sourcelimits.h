#pragma once

#include "core/units.h"

#include <cstddef>

namespace stridescope {

// Limits that protect the machine from a scenario.
struct SourceLimits
{
    ByteCount allocationLimit = ByteCount(1) << 30; // bytes of memory a strided source may allocate
    std::size_t outputLimit = std::size_t(1) << 20; // bytes of captured stdout/stderr kept
    // In the worker process: print() goes straight to file descriptors 1 and 2, which the
    // supervisor captures, so what the code printed survives a crash of the interpreter. Otherwise
    // sys.stdout and sys.stderr are captured in the process (OutputCapture).
    bool outputToDescriptors = false;
};

} // namespace stridescope
