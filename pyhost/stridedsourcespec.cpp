#include "stridedsourcespec.h"

#include "core/quotedtext.h"

namespace stridescope {

std::string StridedSourceSpec::fillName(Fill fill)
{
    switch (fill) {
    case Fill::Index:
        return "index";
    case Fill::Bytes:
        return "bytes";
    case Fill::Zero:
        return "zero";
    }
    return "index";
}

std::optional<StridedSourceSpec::Fill> StridedSourceSpec::parseFill(const std::string& name)
{
    for (Fill fill : {Fill::Index, Fill::Bytes, Fill::Zero})
        if (name == fillName(fill))
            return fill;
    return std::nullopt;
}

std::string StridedSourceSpec::unknownFill(const std::string& name)
{
    return "unknown fill " + quotedText(name) + ": use 'index', 'bytes' or 'zero'";
}

} // namespace stridescope
