#pragma once

#include <string>

namespace stridescope {

// A Python exception, copied out as plain data so it can cross into the GUI and the CLI.
struct PythonError
{
    std::string type;      // "ValueError", "KeyboardInterrupt", ...
    std::string message;   // str(exc)
    std::string traceback; // traceback.format_exception(...) joined; empty when there is none
    int line = -1;         // line in the user's code where it was raised, -1 if unknown

    std::string oneLine() const { return message.empty() ? type : type + ": " + message; }
};

} // namespace stridescope
