#pragma once

#include "byteownership.h"
#include "core/itemformat.h"
#include "nestedcoverage.h"
#include "stripoverview.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <optional>

namespace stridescope {

// What one byte strip shows, whether it is the source block or a copy: who owns each byte, the byte
// values, where each element's bytes start, which bytes belong to the memory block, where buf is.
struct StripContent
{
    const ByteOwnership* owners = nullptr;
    ElementIndex elementCount = 0;
    ByteCount itemSize = 1;
    // The items' field layout, when they have parts to tell apart (fields, padding): field
    // boundaries are drawn inside each element and padding bytes shaded. nullptr: plain items.
    const ItemFormat* format = nullptr;
    std::function<std::optional<std::uint8_t>(ByteOffset)> byteValue;
    std::function<std::optional<ByteOffset>(ElementIndex)> elementOffset;
    ByteOffset memoryFirst = 0; // bytes outside [memoryFirst, memoryEnd) lie outside the block
    ByteOffset memoryEnd = 0;
    ByteOffset bufOffset = -1; // where the `buf` marker goes, -1 for none
    QString bufLabel = QStringLiteral("buf");
    bool gutter = true; // offsets at row starts, left of the strip
    // The looks of the strip's bytes worked out once per report (zoomed-out frames read them instead of
    // asking `owners` per sample); asked only when a frame is drawn per pixel. May be unset, and may
    // give nullptr (not built yet, or past `render`'s bound): the frame is then drawn from samples.
    std::function<const StripOverview*()> overview;
    // For nested layouts, how elements cover any byte range, from the layout's structure: zoomed-out
    // frames then average every byte under each pixel exactly, with no overview. May be unset.
    const NestedCoverage* coverage = nullptr;
};

} // namespace stridescope
