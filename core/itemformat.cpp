#include "itemformat.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace stridescope {

namespace {

constexpr char nativeOrder() { return std::endian::native == std::endian::little ? '<' : '>'; }

struct CodeInfo
{
    ByteCount nativeSize;
    ByteCount standardSize; // 0: not allowed in standard mode (struct: "bad char in struct format")
};

std::optional<CodeInfo> codeInfo(char code)
{
    switch (code) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return CodeInfo{1, 1};
    case 'h': case 'H': case 'e': return CodeInfo{2, 2};
    case 'i': case 'I': case 'f': return CodeInfo{4, 4};
    case 'l': case 'L': return CodeInfo{ByteCount(sizeof(long)), 4};
    case 'q': case 'Q': case 'd': return CodeInfo{8, 8};
    case 'n': case 'N': return CodeInfo{ByteCount(sizeof(std::size_t)), 0};
    case 'P': case 'O': return CodeInfo{ByteCount(sizeof(void*)), 0};
    case 'g': return CodeInfo{ByteCount(sizeof(long double)), 16};
    case 'w': return CodeInfo{4, 4}; // numpy: UCS4 character
    case 'u': return CodeInfo{2, 2}; // UCS2 character
    default: return std::nullopt;
    }
}

// Recursive-descent parser over PEP 3118 / struct format text.
class Parser
{
public:
    explicit Parser(const std::string& text) : m_text(text) {}

    bool parseSequence(char closing, char mode, std::vector<FormatField>& out, ByteCount& size,
                       ByteCount& alignment)
    {
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size()) {
                if (closing != 0)
                    return fail(std::string("missing '") + closing + "'");
                return true;
            }
            char ch = m_text[m_pos];
            if (ch == closing) {
                ++m_pos;
                return true;
            }
            if (std::strchr("@=<>!^", ch)) {
                mode = ch;
                ++m_pos;
                continue;
            }
            if (ch == ':') { // field name for the previous item
                auto end = m_text.find(':', m_pos + 1);
                if (end == std::string::npos)
                    return fail("unterminated field name at position " + std::to_string(m_pos));
                std::string name = m_text.substr(m_pos + 1, end - m_pos - 1);
                for (std::size_t i = m_lastItemBegin; i < out.size(); ++i)
                    out[i].name = name;
                m_pos = end + 1;
                continue;
            }
            ByteCount repeat = 1;
            if (ch == '(') {
                auto end = m_text.find(')', m_pos);
                if (end == std::string::npos)
                    return fail("unterminated '(' at position " + std::to_string(m_pos));
                std::string dims = m_text.substr(m_pos + 1, end - m_pos - 1);
                std::size_t p = 0;
                while (p < dims.size()) {
                    ByteCount d = 0;
                    auto [ptr, ec] = std::from_chars(dims.data() + p, dims.data() + dims.size(), d);
                    if (ec != std::errc() || d < 0)
                        return fail("bad sub-array shape '(" + dims + ")'");
                    if (__builtin_mul_overflow(repeat, d, &repeat))
                        return fail("sub-array shape '(" + dims + ")' is too large");
                    p = ptr - dims.data();
                    while (p < dims.size() && (dims[p] == ',' || dims[p] == ' '))
                        ++p;
                }
                m_pos = end + 1;
                skipSpace();
            }
            bool hasCount = false;
            ByteCount count = 1;
            if (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
                auto [ptr, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_text.size(), count);
                if (ec != std::errc())
                    return fail("repeat count too large at position " + std::to_string(m_pos));
                m_pos = ptr - m_text.data();
                hasCount = true;
                skipSpace();
            }
            if (m_pos >= m_text.size())
                return fail("repeat count without a format code at the end");
            if (__builtin_mul_overflow(repeat, count, &repeat))
                return fail("repeat count too large");
            ch = m_text[m_pos];
            m_lastItemBegin = out.size();
            if (ch == 'T') {
                ++m_pos;
                skipSpace();
                if (m_pos >= m_text.size() || m_text[m_pos] != '{')
                    return fail("'T' must be followed by '{'");
                ++m_pos;
                std::vector<FormatField> inner;
                ByteCount innerSize = 0, innerAlign = 1;
                if (!parseSequence('}', mode, inner, innerSize, innerAlign))
                    return false;
                if (mode == '@')
                    size = alignUp(size, innerAlign);
                alignment = std::max(alignment, innerAlign);
                for (ByteCount r = 0; r < repeat; ++r) {
                    if (out.size() > 100000)
                        return fail("format has too many fields");
                    for (FormatField f : inner) {
                        f.offset += size;
                        out.push_back(f);
                    }
                    if (__builtin_add_overflow(size, innerSize, &size))
                        return fail("format too large");
                }
                continue;
            }
            bool complex = false;
            if (ch == 'Z') {
                complex = true;
                ++m_pos;
                if (m_pos >= m_text.size() || !std::strchr("efdg", m_text[m_pos]))
                    return fail("'Z' (complex) must be followed by e, f, d or g");
                ch = m_text[m_pos];
            }
            auto info = codeInfo(ch);
            if (!info)
                return fail(std::string("unknown format code '") + ch + "' at position " + std::to_string(m_pos));
            ++m_pos;
            bool native = mode == '@' || mode == '^';
            ByteCount unit = native ? info->nativeSize : info->standardSize;
            if (unit == 0)
                return fail(std::string("format code '") + ch + "' is only allowed in native mode ('@')");
            if (complex)
                unit *= 2;
            char order = (mode == '@' || mode == '=' || mode == '^') ? nativeOrder() : (mode == '!' ? '>' : mode);
            bool isString = ch == 's' || ch == 'p';
            ByteCount fieldAlign = (mode == '@' && !isString && ch != 'x') ? (complex ? unit / 2 : unit) : 1;
            if (mode == '@')
                size = alignUp(size, fieldAlign);
            alignment = std::max(alignment, fieldAlign);
            if (isString) {
                // '3s' is one field of three bytes; a sub-array shape repeats it.
                ByteCount fieldsToAdd = hasCount ? repeat / std::max<ByteCount>(count, 1) : repeat;
                if (count == 0)
                    fieldsToAdd = repeat == 0 ? 1 : repeat;
                for (ByteCount r = 0; r < fieldsToAdd; ++r) {
                    if (out.size() > 100000)
                        return fail("format has too many fields");
                    out.push_back(FormatField{ch, int(count), size, count, order, false, {}});
                    size += count;
                }
                continue;
            }
            if (ch == 'x') {
                size += repeat; // pad bytes: no field, no alignment
                continue;
            }
            for (ByteCount r = 0; r < repeat; ++r) {
                if (out.size() > 100000)
                    return fail("format has too many fields");
                out.push_back(FormatField{ch, 1, size, unit, order, complex, {}});
                if (__builtin_add_overflow(size, unit, &size))
                    return fail("format too large");
            }
        }
    }

    const std::string& error() const { return m_error; }

private:
    static ByteCount alignUp(ByteCount v, ByteCount a) { return a <= 1 ? v : (v + a - 1) / a * a; }
    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    bool fail(std::string message)
    {
        m_error = std::move(message);
        return false;
    }

    const std::string& m_text;
    std::size_t m_pos = 0;
    std::size_t m_lastItemBegin = 0;
    std::string m_error;
};

template <class T>
T load(const unsigned char* p, char order)
{
    unsigned char tmp[sizeof(T)];
    std::memcpy(tmp, p, sizeof(T));
    if (order != nativeOrder())
        std::reverse(tmp, tmp + sizeof(T));
    T v;
    std::memcpy(&v, tmp, sizeof(T));
    return v;
}

std::uint64_t loadUnsigned(const unsigned char* p, ByteCount size, char order)
{
    std::uint64_t v = 0;
    for (ByteCount i = 0; i < size; ++i) {
        ByteCount b = order == '<' ? size - 1 - i : i;
        v = (v << 8) | p[b];
    }
    return v;
}

double halfToDouble(std::uint16_t h)
{
    int exponent = (h >> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    double sign = (h & 0x8000) ? -1.0 : 1.0;
    if (exponent == 0)
        return sign * std::ldexp(mantissa, -24);
    if (exponent == 31)
        return mantissa ? std::numeric_limits<double>::quiet_NaN() : sign * std::numeric_limits<double>::infinity();
    return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

std::string bytesRepr(const unsigned char* p, ByteCount n)
{
    bool hasSingle = std::find(p, p + n, '\'') != p + n;
    bool hasDouble = std::find(p, p + n, '"') != p + n;
    char quote = (hasSingle && !hasDouble) ? '"' : '\'';
    std::string out = "b";
    out += quote;
    static const char* hex = "0123456789abcdef";
    for (ByteCount i = 0; i < n; ++i) {
        unsigned char c = p[i];
        if (c == quote || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '\t') out += "\\t";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c >= 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else out += char(c);
    }
    out += quote;
    return out;
}

// Python's repr(float): shortest round-trip digits, fixed notation for exponents in [-4, 16).
std::string pythonFloatRepr(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    bool negative = sci[0] == '-';
    if (negative)
        sci.erase(0, 1);
    auto ePos = sci.find('e');
    std::string digits = sci.substr(0, ePos);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    int exponent = std::stoi(sci.substr(ePos + 1));
    std::string out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = "0." + std::string(-exponent - 1, '0') + digits;
        } else if (int(digits.size()) <= exponent + 1) {
            out = digits + std::string(exponent + 1 - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char ebuf[16];
        std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += ebuf;
    }
    return negative ? "-" + out : out;
}

} // namespace

std::optional<ItemFormat> ItemFormat::parse(const std::string& text, std::string* error)
{
    Parser parser(text);
    ItemFormat format;
    format.m_text = text;
    ByteCount alignment = 1;
    if (text.find_first_not_of(" \t\n") == std::string::npos) {
        if (error)
            *error = "empty format";
        return std::nullopt;
    }
    if (!parser.parseSequence(0, '@', format.m_fields, format.m_itemSize, alignment)) {
        if (error)
            *error = "format '" + text + "': " + parser.error();
        return std::nullopt;
    }
    return format;
}

std::string ItemFormat::decode(std::span<const unsigned char> bytes) const
{
    auto decodeField = [&](const FormatField& f) -> std::string {
        if (f.offset + f.size > ByteOffset(bytes.size()))
            return "?";
        const unsigned char* p = bytes.data() + f.offset;
        if (f.complex) {
            ByteCount half = f.size / 2;
            auto part = [&](const unsigned char* q) {
                if (half == 4) return double(load<float>(q, f.byteOrder));
                if (half == 8) return load<double>(q, f.byteOrder);
                if (half == 2) return halfToDouble(std::uint16_t(loadUnsigned(q, 2, f.byteOrder)));
                return std::numeric_limits<double>::quiet_NaN();
            };
            return "(" + pythonFloatRepr(part(p)) + "+" + pythonFloatRepr(part(p + half)) + "j)";
        }
        switch (f.code) {
        case 'c': case 's': case 'p':
            return bytesRepr(p, f.size);
        case '?':
            return std::any_of(p, p + f.size, [](unsigned char c) { return c != 0; }) ? "True" : "False";
        case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': {
            std::uint64_t u = loadUnsigned(p, f.size, f.byteOrder);
            int shift = 64 - int(f.size) * 8;
            std::int64_t s = shift > 0 ? std::int64_t(u << shift) >> shift : std::int64_t(u);
            return std::to_string(s);
        }
        case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N': case 'P':
            return std::to_string(loadUnsigned(p, f.size, f.byteOrder));
        case 'e':
            return pythonFloatRepr(halfToDouble(std::uint16_t(loadUnsigned(p, 2, f.byteOrder))));
        case 'f':
            return pythonFloatRepr(double(load<float>(p, f.byteOrder)));
        case 'd':
            return pythonFloatRepr(load<double>(p, f.byteOrder));
        case 'w': case 'u': {
            std::uint64_t cp = loadUnsigned(p, f.size, f.byteOrder);
            if (cp >= 0x20 && cp < 0x7f && cp != '\'' && cp != '\\')
                return std::string("'") + char(cp) + "'";
            char b[24];
            std::snprintf(b, sizeof b, "'\\U%08llx'", static_cast<unsigned long long>(cp));
            return b;
        }
        default: {
            std::string hexText = "0x";
            static const char* hex = "0123456789abcdef";
            for (ByteCount i = 0; i < f.size; ++i) {
                hexText += hex[p[i] >> 4];
                hexText += hex[p[i] & 15];
            }
            return hexText;
        }
        }
    };
    if (m_fields.size() == 1)
        return decodeField(m_fields.front());
    std::string out = "(";
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (i)
            out += ", ";
        if (i >= 64) {
            out += "...";
            break;
        }
        out += decodeField(m_fields[i]);
    }
    out += ")";
    return out;
}

} // namespace stridescope
