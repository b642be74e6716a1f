#pragma once

#include "core/conversionrequest.h"
#include "core/quotedtext.h"

#include <optional>
#include <string>

namespace stridescope {

// A comparison scenario: the Python code defines two objects in one namespace, each inspected with
// its own request; the first with the scenario's request. Their overlap is worked out from the
// memory both views point into.
struct ScenarioComparison
{
    std::string firstName = "a";
    std::string secondName = "b";
    ConversionRequest secondRequest;

    static constexpr std::size_t maximumNameLength = 64;

    // Why `name` cannot name an object of the code's namespace (one line), nothing when it can: an
    // ASCII Python identifier of at most maximumNameLength characters.
    static std::optional<std::string> nameProblem(const std::string& name)
    {
        if (name.empty())
            return "an object's name is empty";
        if (name.size() > maximumNameLength)
            return "an object's name is longer than " + std::to_string(maximumNameLength) + " characters";
        const auto letter = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        };
        if (!letter(name.front()))
            return quotedText(name, maximumNameLength) +
                   " is not a Python name (it must start with a letter or _)";
        for (char c : name)
            if (!letter(c) && !(c >= '0' && c <= '9'))
                return quotedText(name, maximumNameLength) +
                       " is not a Python name (letters, digits and _ only)";
        return std::nullopt;
    }

    bool operator==(const ScenarioComparison&) const = default;
};

} // namespace stridescope
