#include "pythonconsole.h"

#include "buffersource.h"
#include "objectinspector.h"
#include "pythoncodesource.h"
#include "pythonerrorcapture.h"
#include "pythonhost.h"
#include "requestarguments.h"
#include "stridedbuffertype.h"

#include <Python.h>

#include <algorithm>

namespace py = pybind11;

namespace stridescope {

namespace {

// The one-line answer to a command that raised: the exception's type and message, cut short.
std::string oneLine(const PythonError& error)
{
    if (error.type == "KeyboardInterrupt")
        return "interrupted (KeyboardInterrupt)";
    return PythonCodeSource::oneLineMessage(error.oneLine());
}

// Writes to the console's sys.stderr, as Python's own console prints a traceback. What fails here
// (a replaced, broken sys.stderr) is dropped: the answer still says what happened.
void writeError(const std::string& text)
{
    if (text.empty())
        return;
    try {
        py::module_::import("sys").attr("stderr").attr("write")(
            py::str(PyUnicode_DecodeUTF8(text.data(), Py_ssize_t(text.size()), "replace")));
    } catch (py::error_already_set&) {
        PyErr_Clear();
    }
}

// The exception set now, printed with its traceback and described in one line.
ConsoleAnswer failed(py::error_already_set& error)
{
    error.restore();
    const PythonError python = takePythonError();
    writeError(python.traceback.empty() ? python.oneLine() + "\n" : python.traceback);
    return {false, oneLine(python)};
}

// "Names: a, b, obj, show": what the user can reach, without the dunder names.
std::string namesSummary(const py::dict& scope)
{
    constexpr std::size_t kShown = 20;
    std::vector<std::string> names;
    for (auto item : scope) {
        std::string name = py::str(item.first).cast<std::string>();
        if (name.rfind("__", 0) != 0)
            names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    std::string text = "Names: ";
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > kShown)
        text += ", and " + std::to_string(names.size() - kShown) + " more";
    return text + ". show(obj) draws an object in the views.";
}

} // namespace

PythonConsole::PythonConsole(ShowHandler onShow) : m_onShow(std::move(onShow)) {}

ConsoleAnswer PythonConsole::start(const Scenario& scenario, const Inspector::Options& options,
                                   bool runScenario)
{
    m_scenario = scenario;
    m_options = options;
    m_options.probe.snapshotLimit =
        std::clamp<ByteCount>(options.probe.snapshotLimit, 0, ConsoleLimits::maximumSnapshotBytes);
    ConsoleAnswer answer;
    py::dict scope;
    // StridedBuffers that commands build obey the allocation limit (--max-memory), as the code's do.
    StridedBufferType::setPythonLimits(options.limits);
    if (runScenario) {
        try {
            // A comparison's code need not end with an expression: its first object is named.
            std::unique_ptr<BufferSource> source =
                scenario.compare
                    ? std::make_unique<PythonCodeSource>(scenario.code, scenario.importPath, options.limits,
                                                         scenario.compare->firstName)
                    : BufferSource::fromScenario(scenario, options.limits);
            BuiltSource built = source->build();
            if (built.keepAlive && py::isinstance<py::dict>(built.keepAlive))
                scope = built.keepAlive.cast<py::dict>(); // the namespace the code ran in
            else if (built.keepAlive)
                m_scenarioKeepAlive = built.keepAlive;
            m_scenarioObject = built.object;
            m_scenarioMemory = built.memory;
            if (!scope.contains(objectName))
                scope[objectName] = built.object;
        } catch (const SourceError& e) {
            if (e.python)
                writeError(e.python->traceback);
            answer = {false, std::string("the scenario's source could not be built (") + e.what() +
                                 "); the console starts without its names"};
        }
    }
    try {
        if (!PythonHost::enableSitePackages())
            throw py::error_already_set();
        if (!scope.contains("__builtins__"))
            scope["__builtins__"] = py::module_::import("builtins");
        if (!scope.contains("__name__"))
            scope["__name__"] = "__main__";
        scope["show"] = py::cpp_function(
            [this](py::handle object, py::object order, py::object buffertype) {
                show(object, order, buffertype);
            },
            py::arg("obj"), py::arg("order") = py::none(), py::arg("buffertype") = py::none(),
            "show(obj, order=None, buffertype=None)\n\n"
            "Draws obj in Stridescope's views: PyMemoryView_GetContiguous(obj, buffertype, order), with\n"
            "the scenario's request unless order ('C', 'F', 'A') or buffertype ('read', 'write') is given.\n"
            "An edit of the scenario, or Run, draws the scenario again.");
    } catch (py::error_already_set& error) {
        return failed(error);
    }
    m_namespace = scope;
    if (answer.ok)
        answer.message = namesSummary(scope);
    return answer;
}

ConsoleAnswer PythonConsole::run(const std::string& command)
{
    if (!m_namespace)
        return {false, "the console has not started"};
    if (command.size() > ConsoleLimits::maximumCommandLength)
        return {false, "the command is longer than " + std::to_string(ConsoleLimits::maximumCommandLength) +
                           " bytes"};
    m_showsThisCommand = 0;
    const std::string filename = "<console-" + std::to_string(++m_commands) + ">";
    try {
        PythonCodeSource::registerSourceLines(command, filename);
        py::module_ ast = py::module_::import("ast");
        py::module_ builtins = py::module_::import("builtins");
        py::object module = ast.attr("parse")(command, filename, "exec");
        // As IPython does: a final expression is run on its own in "single" mode, so its value is
        // printed (sys.displayhook, which also sets `_`); the statements before it print nothing.
        py::list body = module.attr("body");
        py::object last;
        if (!body.empty() && py::isinstance(body[body.size() - 1], ast.attr("Expr"))) {
            py::list lastBody;
            lastBody.append(body.attr("pop")());
            last = ast.attr("Interactive")(lastBody);
        }
        builtins.attr("exec")(builtins.attr("compile")(module, filename, "exec"), m_namespace);
        if (last)
            builtins.attr("exec")(builtins.attr("compile")(last, filename, "single"), m_namespace);
    } catch (py::error_already_set& error) {
        return failed(error); // SystemExit too: the console does not end the interpreter
    }
    return {};
}

std::vector<std::string> PythonConsole::complete(const std::string& text)
{
    std::vector<std::string> found;
    if (!m_namespace || text.empty())
        return found;
    try {
        py::object completer = py::module_::import("rlcompleter").attr("Completer")(m_namespace);
        for (std::size_t state = 0; state < ConsoleLimits::maximumCompletions; ++state) {
            py::object match = completer.attr("complete")(text, state);
            if (match.is_none())
                break;
            found.push_back(match.cast<std::string>());
        }
    } catch (py::error_already_set&) {
        PyErr_Clear(); // an attribute that raised while listed (or Stop): no completions
        found.clear();
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

void PythonConsole::show(py::handle object, const py::object& order, const py::object& buffertype)
{
    const ConversionRequest request = requestArguments(buffertype, order, m_scenario.request);
    if (!PyObject_CheckBuffer(object.ptr()))
        throw py::type_error(std::string("show() draws objects that support the buffer protocol; a ") +
                             Py_TYPE(object.ptr())->tp_name + " does not");
    if (++m_showsThisCommand > ConsoleLimits::maximumShowsPerCommand)
        throw py::value_error("show() was called more than " +
                              std::to_string(ConsoleLimits::maximumShowsPerCommand) +
                              " times in one command; the views draw only the last one anyway");
    std::optional<MemoryBlock> memory;
    if (m_scenarioObject && object.is(m_scenarioObject))
        memory = m_scenarioMemory; // the source knows its block better than discovery does
    InspectionReport report;
    try {
        report = ObjectInspector::run(object, request, m_options, memory);
    } catch (const SourceError& e) {
        throw py::value_error(e.what());
    }
    m_onShow(std::move(report));
}

} // namespace stridescope
