#include "itemformat.h"

#include "quotedtext.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace stridescope {

namespace {

constexpr char nativeOrder()
{
    return std::endian::native == std::endian::little ? '<' : '>';
}

struct CodeInfo
{
    ByteCount nativeSize;
    ByteCount standardSize; // 0: not allowed in standard mode (struct: "bad char in struct format")
};

std::optional<CodeInfo> codeInfo(char code)
{
    switch (code) {
    case 'x':
    case 'c':
    case 'b':
    case 'B':
    case '?':
    case 's':
    case 'p':
        return CodeInfo{1, 1};
    case 'h':
    case 'H':
    case 'e':
        return CodeInfo{2, 2};
    case 'i':
    case 'I':
    case 'f':
        return CodeInfo{4, 4};
    case 'l':
    case 'L':
        return CodeInfo{ByteCount(sizeof(long)), 4};
    case 'q':
    case 'Q':
    case 'd':
        return CodeInfo{8, 8};
    case 'n':
    case 'N':
        return CodeInfo{ByteCount(sizeof(std::size_t)), 0};
    case 'P':
    case 'O':
        return CodeInfo{ByteCount(sizeof(void*)), 0};
    case 'g':
        return CodeInfo{ByteCount(sizeof(long double)), 16};
    case 'w':
        return CodeInfo{4, 4}; // numpy: UCS4 character
    case 'u':
        return CodeInfo{2, 2}; // UCS2 character
    default:
        return std::nullopt;
    }
}

bool isOrderChar(char ch)
{
    return ch != 0 && std::strchr("@=<>!^", ch);
}

// Recursive-descent parser over PEP 3118 / struct format text. Every size is checked against
// ItemFormat::maxItemSize as it grows (so no sum or product of sizes can overflow), fields are only
// made when they are kept, and the recursion depth is bounded by ItemFormat::maxDepth.
class Parser
{
public:
    explicit Parser(const std::string& text) : m_text(text) {}

    // What a sequence of items adds up to, filled in as it is parsed: its fields (made only when
    // `keep`: a record repeated zero times is counted, not made), how many fields it counts against
    // the limit, its size and alignment, and the byte order in force.
    struct Sequence
    {
        char& mode;
        std::vector<FormatField>& out;
        std::size_t& fieldCount;
        ByteCount& size;
        ByteCount& alignment;
        int depth;
        bool keep;
    };

    // Parses items up to `closing` (0: the end of the text).
    // `mode` is the byte order in force; as numpy reads PEP 3118 (its _dtype_from_pep3118 keeps one
    // byte order for the whole stream), one set inside a record stays in force after its '}':
    // numpy's packed 'T{h:a:T{B:x:=f:y:}:s:(3)h:c:}' puts c at 7, not at the native-aligned 8.
    bool parseSequence(char closing, char& mode, std::vector<FormatField>& out, std::size_t& fieldCount,
                       ByteCount& size, ByteCount& alignment, int depth, bool keep)
    {
        if (depth > ItemFormat::maxDepth)
            return fail("records nest deeper than " + std::to_string(ItemFormat::maxDepth) +
                        " levels at position " + std::to_string(m_pos));
        Sequence sequence{mode, out, fieldCount, size, alignment, depth, keep};
        std::size_t lastItemBegin = out.size();
        bool afterItem = false; // a ':name:' may follow an item, once
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size()) {
                if (closing != 0)
                    return fail(std::string("missing '") + closing + "'");
                return true;
            }
            const char ch = m_text[m_pos];
            if (closing != 0 && ch == closing) {
                ++m_pos;
                return true;
            }
            if (isOrderChar(ch)) {
                mode = ch;
                ++m_pos;
                afterItem = false;
                continue;
            }
            if (ch == ':') {
                if (!afterItem)
                    return fail("field name at position " + std::to_string(m_pos) +
                                " does not follow an item");
                if (!parseFieldName(out, lastItemBegin))
                    return false;
                afterItem = false;
                continue;
            }
            lastItemBegin = out.size();
            afterItem = true;
            if (!parseItem(sequence))
                return false;
        }
    }

    const std::string& error() const { return m_error; }

private:
    // ':name:' after an item: names its fields (a record's get it as a prefix).
    bool parseFieldName(std::vector<FormatField>& out, std::size_t itemBegin)
    {
        const auto end = m_text.find(':', m_pos + 1);
        if (end == std::string::npos)
            return fail("unterminated field name at position " + std::to_string(m_pos));
        const std::string name = m_text.substr(m_pos + 1, end - m_pos - 1);
        for (std::size_t i = itemBegin; i < out.size(); ++i)
            out[i].name = out[i].name.empty() ? name : name + "." + out[i].name;
        m_pos = end + 1;
        return true;
    }

    // One item: [ '(' sub-array shape ')' [ byte order ] ] [ count ] code
    bool parseItem(Sequence& sequence)
    {
        ByteCount shapeRepeat = 1;
        if (m_text[m_pos] == '(') {
            if (!parseShape(shapeRepeat))
                return false;
            skipSpace();
            if (m_pos < m_text.size() && isOrderChar(m_text[m_pos])) // numpy: '(2)>d'
                sequence.mode = m_text[m_pos++];
            skipSpace();
        }
        ByteCount count = 1;
        if (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            const std::size_t at = m_pos;
            auto [ptr, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_text.size(), count);
            if (ec != std::errc())
                return fail("repeat count at position " + std::to_string(at) + " does not fit in 64 bits");
            m_pos = ptr - m_text.data();
            skipSpace();
        }
        if (m_pos >= m_text.size())
            return fail("repeat count without a format code at the end");
        if (m_text[m_pos] == 'T')
            return parseRecord(sequence, shapeRepeat, count);
        return parseCode(sequence, shapeRepeat, count);
    }

    // A format code (or 'Z' and one), repeated shapeRepeat * count times ('3s' is one string).
    bool parseCode(Sequence& sequence, ByteCount shapeRepeat, ByteCount count)
    {
        const char mode = sequence.mode;
        char ch = m_text[m_pos];
        bool complex = false;
        if (ch == 'Z') {
            complex = true;
            ++m_pos;
            if (m_pos >= m_text.size() || m_text[m_pos] == 0 || !std::strchr("efdg", m_text[m_pos]))
                return fail("'Z' (complex) must be followed by e, f, d or g");
            ch = m_text[m_pos];
        }
        auto info = codeInfo(ch);
        if (!info)
            return fail("unknown format code " + codeText(ch) + " at position " + std::to_string(m_pos));
        ++m_pos;
        const bool native = mode == '@' || mode == '^';
        ByteCount unit = native ? info->nativeSize : info->standardSize;
        if (unit == 0)
            return fail("format code " + codeText(ch) + " is only allowed in native mode ('@')");
        if (complex)
            unit *= 2;
        const char order =
            (mode == '@' || mode == '=' || mode == '^') ? nativeOrder() : (mode == '!' ? '>' : mode);
        const bool isString = ch == 's' || ch == 'p';
        const ByteCount fieldAlign =
            (mode == '@' && !isString && ch != 'x') ? (complex ? unit / 2 : unit) : 1;
        if (mode == '@' && !alignUp(sequence.size, fieldAlign))
            return false;
        sequence.alignment = std::max(sequence.alignment, fieldAlign);
        if (ch == 'x') { // pad bytes: no field, no alignment
            ByteCount pad = 0;
            return sizeOf(saturatingProduct(shapeRepeat, count), 1, pad) && grow(sequence.size, pad);
        }
        // '3s' is one field of three bytes (a sub-array shape repeats it); '3h' is three fields.
        const ByteCount repeat = isString ? shapeRepeat : saturatingProduct(shapeRepeat, count);
        const ByteCount fieldSize = isString ? count : unit;
        ByteCount total = 0;
        if (!sizeOf(repeat, fieldSize, total) || !addFields(sequence.fieldCount, repeat))
            return false;
        const ByteOffset first = sequence.size;
        if (!grow(sequence.size, total))
            return false;
        if (!sequence.keep)
            return true;
        // Bounded now: repeat by maxFields, every offset and size by maxItemSize.
        for (ByteCount r = 0; r < repeat; ++r)
            sequence.out.push_back(FormatField{
                ch, isString ? int(fieldSize) : 1, first + r * fieldSize, fieldSize, order, complex, {}});
        return true;
    }

    // 'T{...}', repeated shapeRepeat * count times: sizes by arithmetic, fields copied only when kept.
    bool parseRecord(Sequence& sequence, ByteCount shapeRepeat, ByteCount count)
    {
        auto& [mode, out, fieldCount, size, alignment, depth, keep] = sequence;
        const ByteCount repeat = saturatingProduct(shapeRepeat, count);
        ++m_pos;
        skipSpace();
        if (m_pos >= m_text.size() || m_text[m_pos] != '{')
            return fail("'T' must be followed by '{'");
        ++m_pos;
        std::vector<FormatField> inner;
        std::size_t innerFields = 0;
        ByteCount innerSize = 0, innerAlign = 1;
        const bool keepInner = keep && repeat > 0;
        if (!parseSequence('}', mode, inner, innerFields, innerSize, innerAlign, depth + 1, keepInner))
            return false;
        if (mode == '@' && !alignUp(size, innerAlign))
            return false;
        alignment = std::max(alignment, innerAlign);
        ByteCount total = 0;
        if (!sizeOf(repeat, innerSize, total) ||
            !addFields(fieldCount, saturatingProduct(repeat, ByteCount(innerFields))))
            return false;
        const ByteOffset first = size;
        if (!grow(size, total))
            return false;
        if (keepInner && !inner.empty()) { // repeat * inner.size() <= maxFields here
            for (ByteCount r = 0; r < repeat; ++r)
                for (FormatField f : inner) {
                    f.offset += first + r * innerSize;
                    out.push_back(std::move(f));
                }
        }
        return true;
    }

    // '(2,3)': the product of the extents.
    bool parseShape(ByteCount& product)
    {
        const std::size_t open = m_pos;
        const auto end = m_text.find(')', m_pos);
        if (end == std::string::npos)
            return fail("unterminated '(' at position " + std::to_string(open));
        const std::string dims = m_text.substr(m_pos + 1, end - m_pos - 1);
        product = 1;
        std::size_t p = 0;
        bool expectNumber = true;
        while (true) {
            while (p < dims.size() && dims[p] == ' ')
                ++p;
            if (p >= dims.size())
                break;
            if (!expectNumber) {
                if (dims[p] != ',')
                    return badShape(dims);
                ++p;
                expectNumber = true;
                continue;
            }
            if (!std::isdigit(static_cast<unsigned char>(dims[p])))
                return badShape(dims);
            ByteCount d = 0;
            auto [ptr, ec] = std::from_chars(dims.data() + p, dims.data() + dims.size(), d);
            if (ec != std::errc())
                return fail("sub-array shape " + quotedText("(" + dims + ")") +
                            " has an extent that does not fit in 64 bits");
            product = saturatingProduct(product, d);
            p = std::size_t(ptr - dims.data());
            expectNumber = false;
        }
        if (expectNumber)
            return badShape(dims);
        m_pos = end + 1;
        return true;
    }

    bool badShape(const std::string& dims)
    {
        return fail("bad sub-array shape " + quotedText("(" + dims + ")"));
    }
    // A repeat count (count times sub-array extents): any number is fine while it repeats nothing
    // of any size, so it saturates instead of failing; sizeOf and addFields refuse what it makes.
    static ByteCount saturatingProduct(ByteCount a, ByteCount b)
    {
        ByteCount product = 0;
        if (a == 0 || b == 0)
            return 0;
        if (__builtin_mul_overflow(a, b, &product))
            return std::numeric_limits<ByteCount>::max();
        return product;
    }
    // repeat items of `unit` bytes, refused past maxItemSize.
    bool sizeOf(ByteCount repeat, ByteCount unit, ByteCount& out)
    {
        if (repeat == 0 || unit == 0) {
            out = 0;
            return true;
        }
        if (__builtin_mul_overflow(repeat, unit, &out) || out > ItemFormat::maxItemSize)
            return tooLarge();
        return true;
    }
    // size += add, refused past maxItemSize.
    bool grow(ByteCount& size, ByteCount add)
    {
        ByteCount sum = 0;
        if (__builtin_add_overflow(size, add, &sum) || sum > ItemFormat::maxItemSize)
            return tooLarge();
        size = sum;
        return true;
    }
    bool tooLarge()
    {
        return fail("the item size exceeds " + std::to_string(ItemFormat::maxItemSize) +
                    " bytes (the largest item numpy can describe) at position " + std::to_string(m_pos));
    }
    bool alignUp(ByteCount& size, ByteCount a)
    {
        if (a <= 1 || size % a == 0)
            return true;
        return grow(size, a - size % a);
    }
    bool addFields(std::size_t& fieldCount, ByteCount more)
    {
        if (more > ByteCount(ItemFormat::maxFields - fieldCount))
            return fail("the item has more than " + std::to_string(ItemFormat::maxFields) +
                        " fields (at position " + std::to_string(m_pos) + ")");
        fieldCount += std::size_t(more);
        return true;
    }
    static std::string codeText(char ch)
    {
        if (static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) < 0x7f)
            return std::string("'") + ch + "'";
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(ch));
        return buf;
    }
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
    std::string m_error;
};

template <class T> T load(const unsigned char* p, char order)
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
        return mantissa ? std::numeric_limits<double>::quiet_NaN()
                        : sign * std::numeric_limits<double>::infinity();
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
        } else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c < 0x20 || c >= 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else
            out += char(c);
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
    std::size_t fieldCount = 0;
    if (text.find_first_not_of(" \t\n") == std::string::npos) {
        if (error)
            *error = "empty format";
        return std::nullopt;
    }
    if (text.size() > maxTextLength) {
        if (error)
            *error = "format text of " + std::to_string(text.size()) + " characters; at most " +
                     std::to_string(maxTextLength) + " are read";
        return std::nullopt;
    }
    char mode = '@';
    if (!parser.parseSequence(0, mode, format.m_fields, fieldCount, format.m_itemSize, alignment, 0, true)) {
        if (error)
            *error = "format " + quotedText(text) + ": " + parser.error();
        return std::nullopt;
    }
    // The field layout: fields come out of the parser in offset order and never overlap, so the
    // padding is what lies between one field's end and the next one's start.
    ByteOffset covered = 0;
    for (std::size_t i = 0; i < format.m_fields.size(); ++i) {
        const FormatField& f = format.m_fields[i];
        if (f.size <= 0)
            continue;
        if (f.offset > covered)
            format.m_padding.push_back({covered, f.offset - covered});
        format.m_sized.push_back(int(i));
        covered = std::max(covered, f.offset + f.size);
    }
    if (format.m_itemSize > covered)
        format.m_padding.push_back({covered, format.m_itemSize - covered});
    return format;
}

std::vector<ItemPadding> ItemFormat::padding(ByteCount itemSize) const
{
    std::vector<ItemPadding> out;
    for (const ItemPadding& p : m_padding) {
        if (p.offset >= itemSize)
            break;
        out.push_back({p.offset, std::min(p.size, itemSize - p.offset)});
    }
    // Past the format's own size (an exporter's larger itemsize): one more run, joined to a tail run.
    if (itemSize > m_itemSize) {
        if (!out.empty() && out.back().end() == m_itemSize)
            out.back().size = itemSize - out.back().offset;
        else
            out.push_back({m_itemSize, itemSize - m_itemSize});
    }
    return out;
}

ItemPlace ItemFormat::placeOf(ByteOffset byte, ByteCount itemSize) const
{
    ItemPlace place;
    if (byte < 0 || byte >= itemSize)
        return place;
    // The last sized field starting at or before the byte.
    auto it = std::upper_bound(m_sized.begin(), m_sized.end(), byte,
                               [this](ByteOffset b, int i) { return b < m_fields[std::size_t(i)].offset; });
    if (it != m_sized.begin()) {
        const FormatField& f = m_fields[std::size_t(*(it - 1))];
        if (byte < f.offset + f.size && byte < m_itemSize) {
            place.field = *(it - 1);
            return place;
        }
    }
    // Past the format's own size: the tail, joined to a run of padding that ends the format.
    const bool tail = itemSize > m_itemSize;
    if (byte >= m_itemSize) {
        const bool joined = !m_padding.empty() && m_padding.back().end() == m_itemSize;
        const ByteOffset from = joined ? m_padding.back().offset : m_itemSize;
        place.padding = {from, itemSize - from};
        return place;
    }
    // Not in a field, inside the format: in one of its runs of padding (they cover the rest).
    auto p = std::upper_bound(m_padding.begin(), m_padding.end(), byte,
                              [](ByteOffset b, const ItemPadding& r) { return b < r.offset; });
    if (p == m_padding.begin())
        return place;
    ItemPadding run = *(p - 1);
    if (byte >= run.end())
        return place;
    if (tail && run.end() == m_itemSize)
        run.size = itemSize - run.offset;
    run.size = std::min(run.size, itemSize - run.offset);
    place.padding = run;
    return place;
}

bool ItemFormat::hasInnerBoundaries(ByteCount itemSize) const
{
    return m_sized.size() + padding(itemSize).size() > 1;
}

std::string FormatField::codeText() const
{
    std::string out;
    if (code == 's' || code == 'p')
        out = std::to_string(count);
    if (complex)
        out += 'Z';
    return out + code;
}

std::string FormatField::typeName() const
{
    const std::string bits = std::to_string(size * 8);
    if (complex)
        return "complex" + bits;
    switch (code) {
    case 'b':
    case 'h':
    case 'i':
    case 'l':
    case 'q':
    case 'n':
        return "int" + bits;
    case 'B':
    case 'H':
    case 'I':
    case 'L':
    case 'Q':
    case 'N':
        return "uint" + bits;
    case 'e':
    case 'f':
    case 'd':
        return "float" + bits;
    case 'g':
        return "longdouble";
    case '?':
        return "bool";
    case 'c':
    case 's':
        return "bytes";
    case 'p':
        return "Pascal string";
    case 'w':
    case 'u':
        return "str";
    case 'P':
        return "pointer";
    case 'O':
        return "object";
    default:
        return "bytes";
    }
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
                if (half == 4)
                    return double(load<float>(q, f.byteOrder));
                if (half == 8)
                    return load<double>(q, f.byteOrder);
                if (half == 2)
                    return halfToDouble(std::uint16_t(loadUnsigned(q, 2, f.byteOrder)));
                return std::numeric_limits<double>::quiet_NaN();
            };
            return "(" + pythonFloatRepr(part(p)) + "+" + pythonFloatRepr(part(p + half)) + "j)";
        }
        switch (f.code) {
        case 'c':
        case 's':
        case 'p':
            if (f.size > maxShownBytes) // a 1 GB string is not shown whole
                return bytesRepr(p, maxShownBytes) + "...";
            return bytesRepr(p, f.size);
        case '?':
            return std::any_of(p, p + f.size, [](unsigned char c) { return c != 0; }) ? "True" : "False";
        case 'b':
        case 'h':
        case 'i':
        case 'l':
        case 'q':
        case 'n': {
            std::uint64_t u = loadUnsigned(p, f.size, f.byteOrder);
            int shift = 64 - int(f.size) * 8;
            std::int64_t s = shift > 0 ? std::int64_t(u << shift) >> shift : std::int64_t(u);
            return std::to_string(s);
        }
        case 'B':
        case 'H':
        case 'I':
        case 'L':
        case 'Q':
        case 'N':
        case 'P':
            return std::to_string(loadUnsigned(p, f.size, f.byteOrder));
        case 'e':
            return pythonFloatRepr(halfToDouble(std::uint16_t(loadUnsigned(p, 2, f.byteOrder))));
        case 'f':
            return pythonFloatRepr(double(load<float>(p, f.byteOrder)));
        case 'd':
            return pythonFloatRepr(load<double>(p, f.byteOrder));
        case 'w':
        case 'u': {
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
