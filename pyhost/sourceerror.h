#pragma once

#include "pythonerror.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace stridescope {

// A source that could not be built: the scenario is invalid, or its Python code raised.
// Plain data, so it can cross into the GUI and the command line. Failed Python code keeps what it
// printed before it failed: print-debugging is how users find out why their scenario raises.
struct SourceError : std::runtime_error
{
    explicit SourceError(const std::string& message, std::optional<PythonError> python = std::nullopt,
                         std::string output = {}, bool outputTruncated = false)
        : std::runtime_error(message), python(std::move(python)), output(std::move(output)),
          outputTruncated(outputTruncated)
    {
    }
    std::optional<PythonError> python;
    std::string output;
    bool outputTruncated = false;
};

} // namespace stridescope
