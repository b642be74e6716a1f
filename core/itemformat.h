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
    int count = 1;          // repeat count ('3s' is one field of count 3; '3h' is three fields)
    ByteOffset offset = 0;  // byte offset inside the item
    ByteCount size = 1;     // bytes of this field
    char byteOrder = '@';   // '@' native, '<' little, '>' big ('=' and '!' are normalised)
    bool complex = false;   // numpy 'Z' prefix: a pair of floats
    std::string name;       // record field name ('T{<h:x:}'), empty otherwise
};

// The item format a buffer declares (PEP 3118 / struct syntax): its size, its fields and how to show a value.
class ItemFormat
{
public:
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
