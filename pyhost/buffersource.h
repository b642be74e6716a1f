#pragma once

#include "memoryblock.h"
#include "pythonerror.h"
#include "scenario.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace stridescope {

// Limits that protect the machine from a scenario.
struct SourceLimits
{
    ByteCount allocationLimit = ByteCount(1) << 30; // bytes of memory a strided source may allocate
    std::size_t outputLimit = std::size_t(1) << 20; // bytes of captured stdout/stderr kept
};

// A source that could not be built: the scenario is invalid, or its Python code raised.
struct SourceError : std::runtime_error
{
    explicit SourceError(const std::string& message, std::optional<PythonError> python = std::nullopt)
        : std::runtime_error(message), python(std::move(python)) {}
    std::optional<PythonError> python;
};

// What a source produced: the object handed to PyMemoryView_GetContiguous and what is known about it.
struct BuiltSource
{
    pybind11::object object;                 // the object passed to the call
    pybind11::object keepAlive;              // owner of memory the object does not own (FromMemory/FromBuffer)
    std::optional<MemoryBlock> memory;       // the block the buffer points into, when the source knows it
    std::string output;                      // captured stdout and stderr
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
