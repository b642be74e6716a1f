#pragma once

#include <string>
#include <string_view>

namespace stridescope {

// A user's text (a format, a field name, a value from a file) in single quotes, for a one-line
// message: control characters are escaped (\n, \x01) and text past `shown` bytes is cut with "...".
std::string quotedText(std::string_view text, std::size_t shown = 60);

} // namespace stridescope
