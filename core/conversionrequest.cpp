#include "conversionrequest.h"

#include <algorithm>
#include <cctype>

namespace stridescope {

std::string ConversionRequest::cExpression() const
{
    return std::string(bufferType == BufferType::Read ? "PyBUF_READ" : "PyBUF_WRITE") + ", '" + order + "'";
}

std::optional<ConversionRequest::BufferType> ConversionRequest::parseBufferType(const std::string& text)
{
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (t == "read" || t == "pybuf_read")
        return BufferType::Read;
    if (t == "write" || t == "pybuf_write")
        return BufferType::Write;
    return std::nullopt;
}

std::optional<char> ConversionRequest::parseOrder(const std::string& text)
{
    if (text.size() != 1)
        return std::nullopt;
    char c = char(std::toupper(static_cast<unsigned char>(text[0])));
    if (c == 'C' || c == 'F' || c == 'A')
        return c;
    return std::nullopt;
}

} // namespace stridescope
