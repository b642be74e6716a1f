#include "quotedtext.h"

#include <cstdio>

namespace stridescope {

std::string quotedText(std::string_view text, std::size_t shown)
{
    std::size_t end = text.size();
    if (end > shown) {
        end = shown;
        while (end > 0 &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) // not inside a UTF-8 character
            --end;
    }
    std::string out = "'";
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else
            out += char(c);
    }
    if (end < text.size())
        out += "...";
    return out + "'";
}

} // namespace stridescope
