#include "pythoncodesource.h"

#include "outputcapture.h"
#include "pythonerrorcapture.h"
#include "stridedbuffertype.h"

#include <pybind11/eval.h>

#include <Python.h>

#include <optional>

namespace py = pybind11;

namespace stridescope {

namespace {

constexpr std::size_t kMaxMessageLength = 500;

// SourceError messages are one line: exception texts may span lines (numpy's do) or be huge.
std::string oneLineMessage(const std::string& text)
{
    std::string line;
    line.reserve(std::min(text.size(), kMaxMessageLength + 3));
    for (char c : text) {
        if (line.size() >= kMaxMessageLength) {
            line += "...";
            break;
        }
        if (c == '\n' || c == '\r') {
            if (!line.empty() && line.back() != ' ')
                line += ' ';
        } else {
            line += c;
        }
    }
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    return line;
}

std::string describe(const PythonError& error)
{
    if (error.type == "KeyboardInterrupt")
        return "the Python code was interrupted (KeyboardInterrupt)";
    return oneLineMessage("Python raised " + error.oneLine());
}

// Tracebacks show the offending source line only if linecache knows the code. An entry with no
// modification time is never evicted by linecache.checkcache().
void registerSourceLines(const std::string& code)
{
    py::object lines = py::cast(code).attr("splitlines")(true); // cast: bad UTF-8 raises, not aborts
    py::module_::import("linecache").attr("cache")[kScenarioFilename] =
        py::make_tuple(code.size(), py::none(), lines, kScenarioFilename);
}

// Runs the code in `scope`; returns the value of a final expression statement, or an empty object.
py::object runCode(const std::string& code, py::dict scope)
{
    py::module_ ast = py::module_::import("ast");
    py::module_ builtins = py::module_::import("builtins");
    py::object compile = builtins.attr("compile");

    py::object tree = ast.attr("parse")(code, kScenarioFilename, "exec");
    py::list body = tree.attr("body");
    py::object lastExpression;
    if (!body.empty() && py::isinstance(body[body.size() - 1], ast.attr("Expr")))
        lastExpression = ast.attr("Expression")(body.attr("pop")().attr("value"));

    builtins.attr("exec")(compile(tree, kScenarioFilename, "exec"), scope);
    if (!lastExpression)
        return {};
    return builtins.attr("eval")(compile(lastExpression, kScenarioFilename, "eval"), scope);
}

} // namespace

PythonCodeSource::PythonCodeSource(std::string code, SourceLimits limits)
    : m_code(std::move(code)), m_limits(limits)
{
}

BuiltSource PythonCodeSource::build()
{
    std::optional<OutputCapture> capture;
    auto failure = [&](const std::string& message, std::optional<PythonError> python) {
        if (!capture)
            return SourceError(message, std::move(python), {}, false);
        capture->restore();
        return SourceError(message, std::move(python), capture->text(), capture->truncated());
    };

    // StridedBuffers that the code builds itself obey the same allocation limit (--max-memory).
    StridedBufferType::setPythonLimits(m_limits);

    py::dict scope;
    py::object object;
    try {
        if (!m_limits.outputToDescriptors)
            capture.emplace(m_limits.outputLimit);
        scope["__builtins__"] = py::module_::import("builtins");
        scope["__name__"] = "__main__";
        try {
            scope["np"] = py::module_::import("numpy");
        } catch (py::error_already_set& error) {
            error.restore();
            PythonError python = takePythonError();
            if (python.type == "KeyboardInterrupt")
                throw failure(describe(python), python);
            throw failure(oneLineMessage("numpy could not be imported (" + python.oneLine() + ")"), python);
        }

        registerSourceLines(m_code);
        object = runCode(m_code, scope);
        if (!object) {
            if (!scope.contains("buf"))
                throw failure("the code must end with an expression or assign the variable 'buf'", std::nullopt);
            object = scope["buf"];
        }
    } catch (py::error_already_set& error) {
        // Every exception ends here, SystemExit too: nothing may print it or exit the process.
        error.restore();
        PythonError python = takePythonError();
        throw failure(describe(python), python);
    }

    BuiltSource built;
    built.object = object;
    built.keepAlive = scope;
    if (capture) {
        capture->restore();
        built.output = capture->text();
        built.outputTruncated = capture->truncated();
    }
    return built;
}

} // namespace stridescope
