#pragma once

#include "memoryblock.h"
#include "pythonerror.h"
#include "scenario.h"
#include "sourceerror.h"
#include "sourcelimits.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>

namespace stridescope {

// What a source produced: the object handed to PyMemoryView_GetContiguous and what is known about it.
struct BuiltSource
{
    pybind11::object object;           // the object passed to the call
    pybind11::object keepAlive;        // owner of memory the object does not own (FromMemory/FromBuffer)
    std::optional<MemoryBlock> memory; // the block the buffer points into, when the source knows it
    std::string output;                // captured stdout and stderr
    bool outputTruncated = false;
};

// Builds the object under inspection. Every implementation runs on the Python thread with the GIL held.
class BufferSource
{
public:
    virtual ~BufferSource() = default;
    // Throws SourceError with a one-line message naming the problem.
    virtual BuiltSource build() = 0;

    static std::unique_ptr<BufferSource> fromScenario(const Scenario& scenario, const SourceLimits& limits);
};

} // namespace stridescope
