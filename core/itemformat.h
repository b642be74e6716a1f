#pragma once

#include "units.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stridescope {

// One item of a struct-module format ('h', '3s', a nested 'T{...}' is flattened into its items).
struct FormatField
{
    char code = 'B';        // struct code: x c b B ? h H i I l L q Q n N e f d s p P, plus 'w' 'u' (numpy)
    int count = 1;          // bytes of an 's'/'p' field ('3s' is one field of count 3; '3h' is three fields)
    ByteOffset offset = 0;  // byte offset inside the item
    ByteCount size = 1;     // bytes of this field
    char byteOrder = '@';   // '@' native, '<' little, '>' big ('=' and '!' are normalised)
    bool complex = false;   // numpy 'Z' prefix: a pair of floats
    std::string name;       // record field name ('T{<h:x:}'; "s.p" inside a record named s), empty otherwise
};

// The item format a buffer declares (PEP 3118 / struct syntax): its size, its fields and how to show a value.
//
// The text may come from anyone (a scenario file, an exporter), so parsing is bounded whatever it says:
// sizes are computed arithmetically with every step overflow-checked, and a format past one of the
// limits below is refused with a message naming the limit. Repeating an empty record any number of
// times costs nothing: it has size 0 and no fields.
class ItemFormat
{
public:
    // The largest item: numpy's itemsize is a C int, and no buffer Stridescope can build holds more.
    static constexpr ByteCount maxItemSize = 2147483647;
    // The most fields one item may have (each is decoded, filled and drawn on its own).
    static constexpr std::size_t maxFields = 100000;
    // The deepest nesting of records ('T{' inside 'T{'); the parser recurses once per level.
    static constexpr int maxDepth = 64;
    // The longest format text read: longer ones are refused before any parsing, and no view has to
    // lay out (or a snippet quote) megabytes of it.
    static constexpr std::size_t maxTextLength = 8192;
    // decode() shows at most this many bytes of one 's'/'p' field, then "...".
    static constexpr ByteCount maxShownBytes = 1024;

    // Parses `text`; on failure returns nullopt and sets `error` to a sentence naming the problem.
    static std::optional<ItemFormat> parse(const std::string& text, std::string* error = nullptr);

    const std::string& text() const { return m_text; }
    ByteCount itemSize() const { return m_itemSize; }
    const std::vector<FormatField>& fields() const { return m_fields; }

    // Renders one item as Python's tolist() would show it ("3", "1.5", "b'ab'", "(1, 2.0)").
    // `bytes` must hold itemSize() bytes.
    std::string decode(std::span<const unsigned char> bytes) const;

private:
    std::string m_text;
    ByteCount m_itemSize = 0;
    std::vector<FormatField> m_fields;
};

} // namespace stridescope
