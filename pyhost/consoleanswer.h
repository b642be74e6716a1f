#pragma once

#include <string>

namespace stridescope {

// How one console command (or the console's start) ended: done, or why not in one line. The
// traceback, as Python's own console prints it, has gone to sys.stderr already. On a start that
// went well, the message names what the namespace holds.
struct ConsoleAnswer
{
    bool ok = true;
    std::string message;
};

} // namespace stridescope
