#pragma once

#include "pyhost/scenario.h"
#include "pyhost/sourcelimits.h"

#include <QString>

namespace stridescope {

// Code that reproduces the current scenario outside Stridescope, for the inspector's Copy buttons.
//  - C: a small embedding program that builds the same buffer (a Py_buffer filled in by hand, or
//    the scenario's Python code) and calls PyMemoryView_GetContiguous on it.
//  - Python: the same with ctypes.pythonapi, runnable in Stridescope's Python editor (strided
//    buffers use _stridescope.StridedBuffer) or, for code and memory scenarios, in any python3.
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
};

} // namespace stridescope
