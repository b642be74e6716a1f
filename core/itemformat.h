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
    char code = 'B';       // struct code: x c b B ? h H i I l L q Q n N e f d s p P, plus 'w' 'u' (numpy)
    int count = 1;         // bytes of an 's'/'p' field ('3s' is one field of count 3; '3h' is three fields)
    ByteOffset offset = 0; // byte offset inside the item
    ByteCount size = 1;    // bytes of this field
    char byteOrder = '@';  // '@' native, '<' little, '>' big ('=' and '!' are normalised)
    bool complex = false;  // numpy 'Z' prefix: a pair of floats
    std::string name;      // record field name ('T{<h:x:}'; "s.p" inside a record named s), empty otherwise

    // The code as the format spells it: "h", "3s", "Zd".
    std::string codeText() const;
    // The numpy name of the type: "int16", "float64", "complex128", "bytes", "bool".
    std::string typeName() const;
};

// Bytes of an item no field holds: 'x' pad codes, native alignment ('hd' pads 2-7), or the tail of an
// item larger than its format says (numpy's aligned 'T{d:b:h:a:}' is 16 bytes, its fields 10).
struct ItemPadding
{
    ByteOffset offset = 0;
    ByteCount size = 0;
    ByteOffset end() const { return offset + size; }
};

// What a byte of an item is: a field's byte, or a byte of padding.
struct ItemPlace
{
    int field = -1;      // index into ItemFormat::fields(), -1 for padding (or outside the item)
    ItemPadding padding; // the whole run of padding the byte lies in, when field < 0
    bool isPadding() const { return field < 0 && padding.size > 0; }
    bool operator==(const ItemPlace& o) const
    {
        return field == o.field && padding.offset == o.padding.offset && padding.size == o.padding.size;
    }
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

    // The field layout: the runs of padding between and after the fields, lowest first, for an item
    // of `itemSize` bytes (the buffer's itemsize; bytes past the format's own size are padding).
    // Worked out once by parse(); at most one run per field, plus the tail.
    std::vector<ItemPadding> padding(ByteCount itemSize) const;
    // Where byte `byte` of an item of `itemSize` bytes lies (a binary search, O(log fields)).
    ItemPlace placeOf(ByteOffset byte, ByteCount itemSize) const;
    // Whether the item has more than one part (fields or padding), i.e. whether there are lines
    // between its bytes to draw.
    bool hasInnerBoundaries(ByteCount itemSize) const;

    // Renders one item as Python's tolist() would show it ("3", "1.5", "b'ab'", "(1, 2.0)").
    // `bytes` must hold itemSize() bytes.
    std::string decode(std::span<const unsigned char> bytes) const;

private:
    std::string m_text;
    ByteCount m_itemSize = 0;
    std::vector<FormatField> m_fields;
    std::vector<int> m_sized;           // indices of the fields of one or more bytes, by offset
    std::vector<ItemPadding> m_padding; // inside [0, itemSize()), lowest first
};

} // namespace stridescope
