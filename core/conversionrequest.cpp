#include "conversionrequest.h"

#include <algorithm>
#include <cctype>

namespace stridescope {

std::string ConversionRequest::cExpression() const
{
    return std::string(bufferType == BufferType::Read ? "PyBUF_READ" : "PyBUF_WRITE") + ", '" + order + "'";
}

std::string ConversionRequest::callText() const
{
    return "PyMemoryView_GetContiguous(obj, " + cExpression() + ")";
}

std::string ConversionRequest::copyOrderWords() const
{
    return std::string(copyOrder() == 'C' ? "in C order" : "in Fortran order") +
           (order == 'A' ? " ('A' copies in C order)" : "");
}

std::string ConversionRequest::orderWords(char order)
{
    switch (order) {
    case 'C':
        return "C order: the last index varies fastest (row-major)";
    case 'F':
        return "Fortran order: the first index varies fastest (column-major)";
    default:
        return "Any: C or Fortran, whichever the buffer already has (a copy is " +
               ConversionRequest{BufferType::Read, 'A'}.copyOrderWords() + ")";
    }
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
