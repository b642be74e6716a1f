#pragma once

#include <QStringList>

namespace stridescope {

// `stridescope inspect`: builds the scenario's source in the embedded interpreter, makes the real
// PyMemoryView_GetContiguous call and prints the report. Exit codes: 0 the call was made (whatever
// its outcome), 1 the scenario is invalid or its source could not be built, 2 usage errors.
class InspectCommand
{
public:
    enum ExitCode
    {
        CallMade = 0,
        InvalidScenario = 1,
        UsageError = 2
    };

    // `arguments` starts with the program name, then "inspect".
    static int run(const QStringList& arguments);
};

} // namespace stridescope
