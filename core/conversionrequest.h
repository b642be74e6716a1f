#pragma once

#include <optional>
#include <string>

namespace stridescope {

// The two arguments of PyMemoryView_GetContiguous besides the object.
struct ConversionRequest
{
    enum class BufferType { Read, Write };
    BufferType bufferType = BufferType::Read;
    char order = 'C'; // 'C', 'F' or 'A'

    std::string bufferTypeName() const { return bufferType == BufferType::Read ? "read" : "write"; }
    std::string cExpression() const; // "PyBUF_READ, 'C'"
    static std::optional<BufferType> parseBufferType(const std::string& text);
    static std::optional<char> parseOrder(const std::string& text);
};

} // namespace stridescope
