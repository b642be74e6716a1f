#pragma once

#include "inspectionreport.h"
#include "inspector.h"
#include "scenario.h"
#include "sourceerror.h"
#include "workermessage.h"

#include <string>
#include <string_view>

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

    static std::string encode(const Ready& ready);
    static std::string encode(const InspectRequest& request);
    static std::string encode(const InspectionReport& report);
    static std::string encode(const SourceError& error);

    // Each throws WireError on a malformed payload.
    static Ready decodeReady(std::string_view payload);
    static InspectRequest decodeInspectRequest(std::string_view payload);
    static InspectionReport decodeReport(std::string_view payload);
    static SourceError decodeSourceError(std::string_view payload);
};

} // namespace stridescope
