#pragma once

#include "pyhost/inspectionreport.h"

#include <QString>
#include <QStringList>

namespace stridescope {

// `stridescope requests`: asks the scenario's object for every standard buffer request
// (PyBUF_SIMPLE ... PyBUF_FULL_RO), prints what each returned or raised, marks what differs from the
// PyBUF_FULL_RO view, and checks each answer against the buffer protocol's documented rules.
// Exit codes: 0 no rule broken, 1 the scenario is invalid, its source could not be built or is no
// buffer, 2 usage errors, 3 the exporter broke a rule.
class RequestsCommand
{
public:
    enum ExitCode
    {
        Conforms = 0,
        InvalidScenario = 1,
        UsageError = 2,
        RuleBroken = 3
    };

    // `arguments` starts with the program name, then "requests".
    static int run(const QStringList& arguments);
    // The text report: one row per request, then the verdicts.
    static QString render(const InspectionReport& report);
};

} // namespace stridescope
