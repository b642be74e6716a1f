#pragma once

#include "consoleanswer.h"
#include "inspectionreport.h"
#include "inspector.h"
#include "scenario.h"
#include "sourceerror.h"
#include "workermessage.h"

#include <string>
#include <string_view>
#include <vector>

namespace stridescope {

// Encodes the plain-data structs that cross between the processes.
class ReportCodec
{
public:
    struct Ready
    {
        std::string pythonVersion;
        std::string startupError;
    };
    struct InspectRequest
    {
        Scenario scenario;
        Inspector::Options options;
    };

    struct ConsoleStart
    {
        Scenario scenario;
        Inspector::Options options;
        bool runScenario = false; // the user allowed the scenario's code (or it has none)
    };

    static std::string encode(const Ready& ready);
    static std::string encode(const ConsoleStart& start);
    static std::string encode(const ConsoleAnswer& answer);
    static std::string encodeText(const std::string& text);
    static std::string encodeTexts(const std::vector<std::string>& texts);
    static std::string encode(const InspectRequest& request);
    // With `snapshotFd` >= 0 (a shared memory file both processes hold, see WorkerServer), the
    // snapshots' bytes go into that file and the payload only says where: a report with two
    // 64 MiB snapshots is then a small message. The file is rewritten by every report.
    static std::string encode(const InspectionReport& report, int snapshotFd = -1);
    static std::string encode(const SourceError& error);

    // Each throws WireError on a malformed payload.
    static Ready decodeReady(std::string_view payload);
    static InspectRequest decodeInspectRequest(std::string_view payload);
    // A snapshot larger than `maxSnapshotBytes` is malformed (the worker was asked for no more).
    static InspectionReport decodeReport(std::string_view payload, int snapshotFd = -1,
                                         ByteCount maxSnapshotBytes = -1);
    static SourceError decodeSourceError(std::string_view payload);
    static ConsoleStart decodeConsoleStart(std::string_view payload);
    static ConsoleAnswer decodeConsoleAnswer(std::string_view payload);
    static std::string decodeText(std::string_view payload);
    static std::vector<std::string> decodeTexts(std::string_view payload);
};

} // namespace stridescope
