#pragma once

#include "pythonerror.h"

namespace stridescope {

// The filename under which scenario code is compiled; PythonError::line refers to it.
inline constexpr const char* kScenarioFilename = "<scenario>";

// Converts the Python exception that is set now into plain data and clears it. Call with the GIL
// held. Never throws: whatever fails while describing the exception (str() raising, traceback
// formatting failing, no memory) gives a shorter description instead. With no exception set the
// result is a SystemError saying so.
PythonError takePythonError() noexcept;

} // namespace stridescope
