#pragma once

#include "pyhost/scenario.h"
#include "pyhost/sourcelimits.h"

#include <QString>

namespace stridescope {

// Code that reproduces the current scenario outside Stridescope, for the inspector's Copy buttons and
// `stridescope snippet`. Both start from the bytes Stridescope's exporter puts in the block
// (StridedBufferStorage::build) and print the outcome, shape, strides, GET_BASE and the result's bytes.
//  - C: a small embedding program that builds the same buffer (a Py_buffer filled in by hand, or
//    the scenario's Python code) and calls PyMemoryView_GetContiguous on it; its build line names
//    the python3-config of the interpreter Stridescope embeds.
//  - Python: the same through ctypes.pythonapi, for a stock python3 with numpy: a strided buffer is
//    exported by _testbuffer.ndarray when it can take the layout, else made with
//    PyMemoryView_FromBuffer (the snippet then says that an alias's GET_BASE is NULL, not the exporter).
class SnippetGenerator
{
public:
    SnippetGenerator() = delete;

    // A strided or memory scenario Stridescope refuses (StridedBufferStorage::resolve with `limits`,
    // the window's by default) gets a snippet that says why and fails when run.
    static QString c(const Scenario& scenario, const SourceLimits& limits = {});
    static QString python(const Scenario& scenario, const SourceLimits& limits = {});

    // How Stridescope runs Python code: the value of a final expression line, else `buf`.
    // Splits `code` into the statements before and that expression (empty when there is none).
    static std::pair<QString, QString> splitFinalExpression(const QString& code);

    // The interpreter Stridescope embeds, and its python3-config (the C snippet's build line).
    static QString pythonExecutable();
    static QString pythonConfig();
};

} // namespace stridescope
