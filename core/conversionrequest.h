#pragma once

#include <optional>
#include <string>

namespace stridescope {

// The two arguments of PyMemoryView_GetContiguous besides the object.
struct ConversionRequest
{
    enum class BufferType
    {
        Read,
        Write
    };
    BufferType bufferType = BufferType::Read;
    char order = 'C'; // 'C', 'F' or 'A'

    bool operator==(const ConversionRequest&) const = default;

    std::string bufferTypeName() const { return bufferType == BufferType::Read ? "read" : "write"; }
    std::string cExpression() const; // "PyBUF_READ, 'C'"
    // "PyMemoryView_GetContiguous(obj, PyBUF_READ, 'C')": the one text of the call that every report,
    // picture, title and index shows.
    std::string callText() const;
    // The order a copy is laid out in: Fortran for 'F'; C for 'C' and for 'A' (CPython copies 'A' in C
    // order).
    char copyOrder() const { return order == 'F' ? 'F' : 'C'; }
    // How a copy is laid out, in words: "in C order ('A' copies in C order)".
    std::string copyOrderWords() const;
    // What an order asks for, in words (the request bar's tips).
    static std::string orderWords(char order);
    static std::optional<BufferType> parseBufferType(const std::string& text);
    static std::optional<char> parseOrder(const std::string& text);
};

} // namespace stridescope
