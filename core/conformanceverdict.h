#pragma once

#include <string>

namespace stridescope {

// One rule of the buffer protocol's documentation, checked on one request's answer.
struct ConformanceVerdict
{
    enum class Result
    {
        Pass,
        Fail,
        Undecided
    };

    std::string rule; // short name: "format", "shape", "contiguity", "release", ...
    Result result = Result::Undecided;
    std::string quote;  // the documentation's words the rule stands on (Doc/c-api/buffer.rst)
    std::string detail; // what was seen: why it fails, why it cannot be decided, or what passed

    static std::string resultName(Result r)
    {
        return r == Result::Pass ? "pass" : r == Result::Fail ? "fail" : "undecided";
    }
};

} // namespace stridescope
