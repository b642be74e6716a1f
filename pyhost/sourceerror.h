#pragma once

#include "pythonerror.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace stridescope {

// A source that could not be built: the scenario is invalid, or its Python code raised.
// Plain data, so it can cross into the GUI and the command line.
struct SourceError : std::runtime_error
{
    explicit SourceError(const std::string& message, std::optional<PythonError> python = std::nullopt)
        : std::runtime_error(message), python(std::move(python)) {}
    std::optional<PythonError> python;
};

} // namespace stridescope
