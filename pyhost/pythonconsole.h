#pragma once

#include "consoleanswer.h"
#include "consolelimits.h"
#include "inspector.h"
#include "memoryblock.h"

#include <pybind11/pybind11.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// The interactive console's interpreter state: the scenario's namespace, kept between commands, in
// which the user's commands run as in Python's own console (an expression's value is printed and
// kept in `_`). `show(obj)` inspects any object with the scenario's request (or the order and
// buffer type it is given) and hands the report to the window. Lives and runs on the Python thread,
// GIL held; it runs only code the user typed or allowed.
class PythonConsole
{
public:
    using ShowHandler = std::function<void(InspectionReport report)>;
    // The name the scenario's object has in the namespace, unless the code used that name itself.
    static constexpr const char* objectName = "obj";

    explicit PythonConsole(ShowHandler onShow);

    // Builds the namespace. With `runScenario`, the scenario's source is built (its code run) and
    // its object named `obj`; otherwise, or when that fails (the answer says why), the namespace
    // starts empty but for show().
    ConsoleAnswer start(const Scenario& scenario, const Inspector::Options& options, bool runScenario);
    // Runs one command: statements in order, the value of a final expression printed.
    ConsoleAnswer run(const std::string& command);
    // What `text` (the end of the input line) can be completed to: Python's rlcompleter on the
    // namespace, at most maximumCompletions, sorted.
    std::vector<std::string> complete(const std::string& text);

private:
    void show(pybind11::handle object, const pybind11::object& order, const pybind11::object& buffertype);

    ShowHandler m_onShow;
    pybind11::dict m_namespace;
    Scenario m_scenario;
    Inspector::Options m_options;
    pybind11::object m_scenarioObject; // the source's object, whose memory the source knows
    std::optional<MemoryBlock> m_scenarioMemory;
    pybind11::object m_scenarioKeepAlive; // the owner of memory the source's object does not own
    int m_commands = 0;
    int m_showsThisCommand = 0;
};

} // namespace stridescope
