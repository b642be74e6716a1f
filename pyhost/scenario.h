#pragma once

#include "stridedsourcespec.h"
#include "../core/conversionrequest.h"

#include <string>

namespace stridescope {

// Everything one inspection needs: the source to build and the request to make.
// The scenario file (JSON, see README) is this struct written out.
struct Scenario
{
    enum class SourceKind { Strided, Python, Memory };

    SourceKind kind = SourceKind::Strided;
    StridedSourceSpec strided;           // Strided and Memory kinds
    MemoryViewFunction memoryFunction = MemoryViewFunction::FromBuffer; // Memory kind
    std::string code;                    // Python kind
    ConversionRequest request;

    // Python code runs only for the Python kind; the others are data, built by Stridescope itself.
    bool runsUserCode() const { return kind == SourceKind::Python; }

    static std::string kindName(SourceKind kind);

    bool operator==(const Scenario&) const = default;
};

} // namespace stridescope
