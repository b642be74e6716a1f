#include "pythoncodesource.h"

#include "core/quotedtext.h"
#include "outputcapture.h"
#include "pythonerrorcapture.h"
#include "pythonhost.h"
#include "stridedbuffertype.h"

#include <pybind11/eval.h>

#include <Python.h>

#include <filesystem>
#include <optional>

namespace py = pybind11;

namespace stridescope {

namespace {

std::string describe(const PythonError& error)
{
    if (error.type == "KeyboardInterrupt")
        return "the Python code was interrupted (KeyboardInterrupt)";
    return PythonCodeSource::oneLineMessage("Python raised " + error.oneLine());
}

// The code, parsed: its statements, a final expression statement split off (its value is the
// source), and whether it refers to numpy's usual name.
struct ParsedCode
{
    py::object module;
    py::object lastExpression;
    bool usesNp = false;
};

ParsedCode parseCode(const std::string& code)
{
    py::module_ ast = py::module_::import("ast");
    ParsedCode parsed;
    parsed.module = ast.attr("parse")(code, kScenarioFilename, "exec");
    // numpy takes ~0.1 s to import, ten times Python's own start-up, so only code that names `np`
    // gets it. A name built at run time (eval("np.zeros(3)")) is not seen: it raises NameError.
    py::object name = ast.attr("Name");
    for (py::handle node : ast.attr("walk")(parsed.module)) {
        if (py::isinstance(node, name) && node.attr("id").cast<std::string>() == "np") {
            parsed.usesNp = true;
            break;
        }
    }
    py::list body = parsed.module.attr("body");
    if (!body.empty() && py::isinstance(body[body.size() - 1], ast.attr("Expr")))
        parsed.lastExpression = ast.attr("Expression")(body.attr("pop")().attr("value"));
    return parsed;
}

// Runs the code in `scope`; returns the value of a final expression statement, or an empty object.
py::object runCode(const ParsedCode& parsed, py::dict scope)
{
    py::module_ builtins = py::module_::import("builtins");
    py::object compile = builtins.attr("compile");
    builtins.attr("exec")(compile(parsed.module, kScenarioFilename, "exec"), scope);
    if (!parsed.lastExpression)
        return {};
    return builtins.attr("eval")(compile(parsed.lastExpression, kScenarioFilename, "eval"), scope);
}

// Why the import folders cannot be used, or nothing. Python skips a folder on sys.path that does not
// exist without a word; a user who named one is told instead.
std::optional<std::string> missingImportFolder(const std::vector<std::string>& folders)
{
    if (auto problem = Scenario::importPathProblem(folders))
        return problem;
    for (const std::string& folder : folders) {
        std::error_code error;
        const auto status = std::filesystem::status(folder, error);
        if (!std::filesystem::exists(status))
            return "the import folder " + quotedText(folder, Scenario::maximumImportFolderLength) +
                   " does not exist";
        if (!std::filesystem::is_directory(status))
            return "the import folder " + quotedText(folder, Scenario::maximumImportFolderLength) +
                   " is not a folder";
    }
    return std::nullopt;
}

// Puts the import folders at the front of sys.path, in their order, as PYTHONPATH does.
void prependImportPath(const std::vector<std::string>& folders)
{
    if (folders.empty())
        return;
    py::list front;
    for (const std::string& folder : folders)
        front.append(py::str(folder));
    py::module_::import("sys").attr("path")[py::slice(0, 0, 1)] = front;
}

} // namespace

PythonCodeSource::PythonCodeSource(std::string code, std::vector<std::string> importPath, SourceLimits limits,
                                   std::string objectName)
    : m_code(std::move(code)), m_importPath(std::move(importPath)), m_limits(limits),
      m_objectName(std::move(objectName))
{
}

std::string PythonCodeSource::oneLineMessage(const std::string& text)
{
    constexpr std::size_t kMaxMessageLength = 500;
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

void PythonCodeSource::registerSourceLines(const std::string& code, const std::string& filename)
{
    // An entry with no modification time is never evicted by linecache.checkcache().
    py::object lines = py::cast(code).attr("splitlines")(true); // cast: bad UTF-8 raises, not aborts
    py::module_::import("linecache").attr("cache")[py::str(filename)] =
        py::make_tuple(code.size(), py::none(), lines, filename);
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
        if (!PythonHost::enableSitePackages())
            throw py::error_already_set();
        if (auto missing = missingImportFolder(m_importPath))
            throw failure(*missing, std::nullopt);
        prependImportPath(m_importPath);
        scope["__builtins__"] = py::module_::import("builtins");
        scope["__name__"] = "__main__";
        const ParsedCode parsed = parseCode(m_code);
        if (parsed.usesNp) {
            try {
                scope["np"] = py::module_::import("numpy");
            } catch (py::error_already_set& error) {
                error.restore();
                PythonError python = takePythonError();
                if (python.type == "KeyboardInterrupt")
                    throw failure(describe(python), python);
                throw failure(oneLineMessage("numpy could not be imported (" + python.oneLine() + ")"),
                              python);
            }
        }

        registerSourceLines(m_code, kScenarioFilename);
        object = runCode(parsed, scope);
        if (!m_objectName.empty()) {
            if (!scope.contains(m_objectName.c_str()))
                throw failure("the code does not define '" + m_objectName + "'", std::nullopt);
            object = scope[m_objectName.c_str()];
        } else if (!object) {
            if (!scope.contains("buf"))
                throw failure("the code must end with an expression or assign the variable 'buf'",
                              std::nullopt);
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
