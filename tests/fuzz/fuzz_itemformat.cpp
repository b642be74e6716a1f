// libFuzzer target: the item format parser and decode. Input: a format text, optionally followed by
// a NUL byte and the bytes of one item to decode. Checks what every user of a parsed format relies on.
#include "core/itemformat.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace stridescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto* text = reinterpret_cast<const char*>(data);
    const auto* nul = static_cast<const char*>(std::memchr(text, 0, size));
    const std::string format(text, nul ? std::size_t(nul - text) : size);
    std::string error;
    const auto parsed = ItemFormat::parse(format, &error);
    if (!parsed) {
        if (error.empty() || error.find('\n') != std::string::npos)
            std::abort(); // every refusal is one line naming the problem
        return 0;
    }
    const ByteCount itemSize = parsed->itemSize();
    if (itemSize < 0 || itemSize > ItemFormat::maxItemSize || parsed->fields().size() > ItemFormat::maxFields)
        std::abort();
    for (const FormatField& f : parsed->fields())
        if (f.offset < 0 || f.size < 0 || f.offset + f.size > itemSize)
            std::abort();
    // Decode one item: the bytes after the NUL, repeated to the item size (small items only, so a
    // run stays fast; the parser itself has been checked above).
    if (itemSize <= (1 << 16)) {
        std::vector<unsigned char> item(std::size_t(itemSize), 0);
        const std::size_t tail = nul ? size - std::size_t(nul - text) - 1 : 0;
        for (std::size_t i = 0; tail > 0 && i < item.size(); ++i)
            item[i] = reinterpret_cast<const unsigned char*>(nul + 1)[i % tail];
        (void)parsed->decode(item);
    }
    return 0;
}
